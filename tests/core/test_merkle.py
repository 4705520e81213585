"""The record's Merkle tree (issue 12), against a reference that shares none of its code: the
recursive definitions of RFC 6962 section 2.1 written out directly over the list of leaves."""

from __future__ import annotations

import hashlib

import pytest
from hypothesis import given
from hypothesis import strategies as st

from guishu.core import merkle


def _h(b: bytes) -> bytes:
    return hashlib.sha256(b).digest()


def mth(leaves: list[bytes]) -> bytes:
    """RFC 6962 MTH, literally."""
    n = len(leaves)
    if n == 0:
        return _h(b"")
    if n == 1:
        return _h(b"\x00" + leaves[0])
    k = 1 << ((n - 1).bit_length() - 1)
    return _h(b"\x01" + mth(leaves[:k]) + mth(leaves[k:]))


def path(m: int, leaves: list[bytes]) -> list[bytes]:
    n = len(leaves)
    if n == 1:
        return []
    k = 1 << ((n - 1).bit_length() - 1)
    if m < k:
        return [*path(m, leaves[:k]), mth(leaves[k:])]
    return [*path(m - k, leaves[k:]), mth(leaves[:k])]


def subproof(m: int, leaves: list[bytes], b: bool) -> list[bytes]:
    n = len(leaves)
    if m == n:
        return [] if b else [mth(leaves)]
    k = 1 << ((n - 1).bit_length() - 1)
    if m <= k:
        return [*subproof(m, leaves[:k], b), mth(leaves[k:])]
    return [*subproof(m - k, leaves[k:], False), mth(leaves[:k])]


class Stored:
    """Nodes as the record stores them: appended leaf by leaf, never rewritten."""

    def __init__(self) -> None:
        self.nodes: dict[tuple[int, int], bytes] = {}
        self.size = 0

    def read(self, level: int, index: int) -> bytes:
        return self.nodes[(level, index)]

    def append(self, data: bytes) -> None:
        for level, index, h in merkle.completed_by(self.size, merkle.leaf_hash(data), self.read):
            assert (level, index) not in self.nodes  # a stored node is never changed
            self.nodes[(level, index)] = h
        self.size += 1


def tree(n: int) -> tuple[list[bytes], Stored]:
    leaves = [f"entry {i}".encode() for i in range(n)]
    stored = Stored()
    for leaf in leaves:
        stored.append(leaf)
    return leaves, stored


LEAVES, STORED = tree(70)


@pytest.mark.parametrize("n", range(71))
def test_the_root_of_every_size_is_rfc_6962s(n: int) -> None:
    assert merkle.root(n, STORED.read) == mth(LEAVES[:n])


def test_about_two_nodes_are_stored_per_entry() -> None:
    assert len(STORED.nodes) < 2 * STORED.size


@given(st.integers(1, 70).flatmap(lambda n: st.tuples(st.just(n), st.integers(0, n - 1))))
def test_inclusion_proofs_are_rfc_6962s_and_verify(case: tuple[int, int]) -> None:
    n, m = case
    proof = merkle.inclusion_proof(m, n, STORED.read)
    assert proof == path(m, LEAVES[:n])
    root = mth(LEAVES[:n])
    leaf = merkle.leaf_hash(LEAVES[m])
    assert merkle.verify_inclusion(leaf, m, n, proof, root)
    # a changed entry, another position, a shorter or longer tree: refused
    assert not merkle.verify_inclusion(merkle.leaf_hash(b"forged"), m, n, proof, root)
    if n > 1:
        assert not merkle.verify_inclusion(leaf, (m + 1) % n, n, proof, root)
    # (a size is bound to its root by the signed tree head; against the next tree's root the
    # old proof fails)
    if n < len(LEAVES):
        assert not merkle.verify_inclusion(leaf, m, n + 1, proof, mth(LEAVES[: n + 1]))
    assert not merkle.verify_inclusion(leaf, m, n, proof[:-1], root) or not proof


@given(st.integers(1, 70).flatmap(lambda n: st.tuples(st.integers(1, n), st.just(n))))
def test_consistency_proofs_are_rfc_6962s_and_verify(case: tuple[int, int]) -> None:
    old, new = case
    proof = merkle.consistency_proof(old, new, STORED.read)
    assert proof == ([] if old == new else subproof(old, LEAVES[:new], True))
    old_root, new_root = mth(LEAVES[:old]), mth(LEAVES[:new])
    assert merkle.verify_consistency(old, new, old_root, new_root, proof)
    if old < new:
        # the old tree rewritten (its last entry changed) is not a prefix of the new one
        rewritten = mth([*LEAVES[: old - 1], b"rewritten"])
        assert not merkle.verify_consistency(old, new, rewritten, new_root, proof)
        assert not merkle.verify_consistency(old, new, old_root, mth([*LEAVES[: new - 1], b"x"]), proof)
        assert not merkle.verify_consistency(old, new, old_root, new_root, [])


def test_a_truncated_record_fails_against_a_later_head() -> None:
    """An attacker deletes the tail and appends anew: the tree he shows at the old size is not
    consistent with the head signed before."""
    _, stored = tree(40)
    signed = merkle.root(40, stored.read)
    _, forged = tree(30)
    for i in range(30, 45):
        forged.append(f"forged {i}".encode())
    forged_proof = merkle.consistency_proof(40, 45, forged.read)
    assert not merkle.verify_consistency(40, 45, signed, merkle.root(45, forged.read), forged_proof)


def test_bad_ranges_are_refused() -> None:
    with pytest.raises(ValueError, match="not in a tree"):
        merkle.inclusion_proof(5, 5, STORED.read)
    with pytest.raises(ValueError, match="no consistency proof"):
        merkle.consistency_proof(6, 5, STORED.read)
    assert merkle.root(0, STORED.read) == hashlib.sha256(b"").digest()
    assert not merkle.verify_inclusion(b"x", 0, 0, [], b"")
    assert merkle.verify_consistency(0, 5, b"", mth(LEAVES[:5]), [])


def test_the_frontier_appends_the_same_nodes_and_knows_every_root() -> None:
    """The writer keeps only the tree's right edge: it completes the same nodes as the stored
    tree and its root is RFC 6962's at every size, also when read back from stored nodes."""
    frontier = merkle.Frontier()
    made: dict[tuple[int, int], bytes] = {}
    for n, data in enumerate(LEAVES):
        assert frontier.root() == mth(LEAVES[:n])
        assert merkle.Frontier.read(n, STORED.read).root() == mth(LEAVES[:n])
        for level, index, h in frontier.append(merkle.leaf_hash(data)):
            made[(level, index)] = h
    assert made == STORED.nodes
    assert frontier.size == len(LEAVES)
    with pytest.raises(ValueError, match="ends with"):
        merkle.Frontier(3, [b"x"])
