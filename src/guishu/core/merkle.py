"""A Merkle tree over a site's record in the manner of RFC 6962 / RFC 9162 (Certificate
Transparency): inclusion proofs for any entry, consistency proofs between any two tree sizes.

Pure: the tree's stored nodes are read through ``NodeReader`` (level, index) -> hash, where the
node at (level, index) is the hash of the complete subtree over leaves
``[index * 2**level, (index + 1) * 2**level)``. Only complete subtrees are ever stored:
appending leaf n completes one node per level at which n + 1 is a multiple of 2**level
(``completed_by``), two nodes per entry on average, and never changes a stored node. Every
other subtree a proof needs (the tree's ragged right edge) is folded from O(log n) stored ones.

Hashes: leaf = SHA-256(0x00 || data), interior = SHA-256(0x01 || left || right); the tree of
size 0 has the hash of the empty string.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Sequence

NodeReader = Callable[[int, int], bytes]
EMPTY_ROOT = hashlib.sha256(b"").digest()


def leaf_hash(data: bytes) -> bytes:
    return hashlib.sha256(b"\x00" + data).digest()


def node_hash(left: bytes, right: bytes) -> bytes:
    return hashlib.sha256(b"\x01" + left + right).digest()


def _split(n: int) -> int:
    """The largest power of two smaller than n (n >= 2)."""
    return 1 << ((n - 1).bit_length() - 1)


def completed_by(index: int, leaf: bytes, read: NodeReader) -> list[tuple[int, int, bytes]]:
    """The nodes that appending the leaf hash ``leaf`` at ``index`` completes, lowest first:
    (level, index at that level, hash). ``read`` must already know every earlier leaf's nodes."""
    out = [(0, index, leaf)]
    level, i, h = 0, index, leaf
    while i % 2 == 1:  # a right child: its left sibling is complete and stored
        h = node_hash(read(level, i - 1), h)
        level, i = level + 1, i // 2
        out.append((level, i, h))
    return out


def subtree(start: int, end: int, read: NodeReader) -> bytes:
    """MTH(D[start:end]) for a range RFC 6962's recursion produces (``start`` a multiple of the
    largest power of two not above ``end - start``)."""
    n = end - start
    if n == 0:
        return EMPTY_ROOT
    if n & (n - 1) == 0 and start % n == 0:  # complete and aligned: stored
        return read(n.bit_length() - 1, start // n)
    k = _split(n)
    return node_hash(subtree(start, start + k, read), subtree(start + k, end, read))


def root(size: int, read: NodeReader) -> bytes:
    return subtree(0, size, read)


def inclusion_proof(index: int, size: int, read: NodeReader) -> list[bytes]:
    """PATH(index, D[0:size]) of RFC 6962 section 2.1.1, leaf-side first."""
    if not 0 <= index < size:
        raise ValueError(f"leaf {index} is not in a tree of size {size}")
    path: list[bytes] = []
    start, end = 0, size
    while end - start > 1:
        k = _split(end - start)
        if index < start + k:
            path.append(subtree(start + k, end, read))
            end = start + k
        else:
            path.append(subtree(start, start + k, read))
            start = start + k
    path.reverse()
    return path


def consistency_proof(old: int, new: int, read: NodeReader) -> list[bytes]:
    """PROOF(old, D[0:new]) of RFC 6962 section 2.1.2."""
    if not 0 <= old <= new:
        raise ValueError(f"no consistency proof from size {old} to {new}")
    if old == 0 or old == new:
        return []
    proof: list[bytes] = []
    start, end, complete = 0, new, True
    m = old
    while True:
        n = end - start
        if m == n:
            if not complete:
                proof.append(subtree(start, end, read))
            break
        k = _split(n)
        if m <= k:
            proof.append(subtree(start + k, end, read))
            end = start + k
        else:
            proof.append(subtree(start, start + k, read))
            start, m, complete = start + k, m - k, False
    proof.reverse()
    return proof


def verify_inclusion(leaf: bytes, index: int, size: int, proof: Sequence[bytes], expected_root: bytes) -> bool:
    """RFC 9162 section 2.1.3.2: does ``proof`` place the leaf hash at ``index`` in the tree of
    ``size`` whose root is ``expected_root``?"""
    if not 0 <= index < size:
        return False
    fn, sn = index, size - 1
    r = leaf
    for p in proof:
        if sn == 0:
            return False
        if fn & 1 or fn == sn:
            r = node_hash(p, r)
            if not fn & 1:
                while fn and not fn & 1:
                    fn >>= 1
                    sn >>= 1
        else:
            r = node_hash(r, p)
        fn >>= 1
        sn >>= 1
    return sn == 0 and r == expected_root


def verify_consistency(old: int, new: int, old_root: bytes, new_root: bytes, proof: Sequence[bytes]) -> bool:
    """RFC 9162 section 2.1.4.2: is the tree of size ``old`` (``old_root``) a prefix of the tree
    of size ``new`` (``new_root``)?"""
    if not 0 <= old <= new:
        return False
    if old == new:
        return not proof and old_root == new_root
    if old == 0:
        return not proof  # the empty tree is a prefix of every tree
    if not proof:
        return False
    path = list(proof)
    if old & (old - 1) == 0:  # old is a power of two: its root is the first node
        path.insert(0, old_root)
    fn, sn = old - 1, new - 1
    while fn & 1:
        fn >>= 1
        sn >>= 1
    fr = sr = path[0]
    for c in path[1:]:
        if sn == 0:
            return False
        if fn & 1 or fn == sn:
            fr = node_hash(c, fr)
            sr = node_hash(c, sr)
            if not fn & 1:
                while fn and not fn & 1:
                    fn >>= 1
                    sn >>= 1
        else:
            sr = node_hash(sr, c)
        fn >>= 1
        sn >>= 1
    return sn == 0 and fr == old_root and sr == new_root


class Frontier:
    """A tree's right edge: the complete subtrees it ends with (one per set bit of its size,
    the highest first). Enough to append leaves (each append returns the nodes it completes,
    lowest first, as ``completed_by`` does) and to compute the root, without reading the tree."""

    __slots__ = ("_stack", "size")

    def __init__(self, size: int = 0, nodes: Sequence[bytes] = ()) -> None:
        if len(nodes) != size.bit_count():
            raise ValueError(f"a tree of size {size} ends with {size.bit_count()} subtrees, not {len(nodes)}")
        self.size = size
        self._stack = list(nodes)

    @staticmethod
    def nodes_of(size: int) -> list[tuple[int, int]]:
        """(level, index) of the subtrees a tree of ``size`` ends with, the highest first."""
        return [(level, (size >> level) - 1) for level in reversed(range(size.bit_length())) if size >> level & 1]

    @classmethod
    def read(cls, size: int, read: NodeReader) -> Frontier:
        return cls(size, [read(level, index) for level, index in cls.nodes_of(size)])

    def copy(self) -> Frontier:
        return Frontier(self.size, self._stack)

    def append(self, leaf: bytes) -> list[tuple[int, int, bytes]]:
        """Append the leaf hash ``leaf``; the (level, index, hash) of every node it completes."""
        index = self.size
        out = [(0, index, leaf)]
        level, h = 0, leaf
        while index >> level & 1:  # a right child: merge with the complete left sibling
            h = node_hash(self._stack.pop(), h)
            level += 1
            out.append((level, index >> level, h))
        self._stack.append(h)
        self.size += 1
        return out

    def root(self) -> bytes:
        if not self._stack:
            return EMPTY_ROOT
        h = self._stack[-1]
        for left in reversed(self._stack[:-1]):
            h = node_hash(left, h)
        return h
