"""The stored Merkle tree (issue 12): nodes appended with entries, proofs read from the rows."""

from __future__ import annotations

import hashlib

import pytest
from django.db import transaction

from guishu.core import merkle
from guishu.record import sql, tree
from guishu.record.actions import create_project
from guishu.record.models import ZERO_HASH, Project, TreeNode
from tests.db_owner import as_owner

pytestmark = pytest.mark.django_db


def _hashes(n: int, start: int = 0) -> list[str]:
    return [hashlib.sha256(f"entry {i}".encode()).hexdigest() for i in range(start, start + n)]


def _bare() -> Project:
    """A site with no entries yet (the writer builds its own tree as it appends)."""
    tree.forget()
    return create_project(code="bare", name="空案场", policy="s8")


def _head(hashes: list[str], size: int) -> str:
    return hashes[size - 1] if size else ZERO_HASH


def _reference(hashes: list[str]) -> dict[tuple[int, int], bytes]:
    nodes: dict[tuple[int, int], bytes] = {}
    for i, h in enumerate(hashes):
        for level, position, node in merkle.completed_by(
            i, merkle.leaf_hash(bytes.fromhex(h)), lambda level, position: nodes[(level, position)]
        ):
            nodes[(level, position)] = node
    return nodes


def test_the_frontier_is_one_complete_subtree_per_set_bit() -> None:
    assert tree.frontier(0) == []
    assert tree.frontier(1) == [(0, 0)]
    assert tree.frontier(6) == [(1, 2), (2, 0)]  # leaves 4-5 and 0-3
    assert tree.frontier(8) == [(3, 0)]


def test_appends_in_batches_store_the_same_tree_and_its_proofs() -> None:
    project = _bare()
    hashes = _hashes(45)
    db = sql.Db()
    with transaction.atomic():
        size = 0
        for batch in (1, 1, 5, 8, 13, 17):  # group commits of several sizes
            tree.append_leaves(db, project.pk, size, _head(hashes, size), hashes[size : size + batch])
            size += batch
    assert size == 45 and tree.stored_size(db, project.pk) == 45
    reference = _reference(hashes)
    assert TreeNode.objects.filter(project=project).count() == len(reference)
    for n in (1, 2, 7, 16, 31, 45):
        assert tree.root(db, project.pk, n) == merkle.root(n, lambda level, position: reference[(level, position)])
    root = tree.root(db, project.pk, 45)
    for seq in (1, 2, 17, 32, 45):
        proof = tree.inclusion_proof(db, project.pk, seq, 45)
        leaf = merkle.leaf_hash(bytes.fromhex(hashes[seq - 1]))
        assert merkle.verify_inclusion(leaf, seq - 1, 45, proof, root)
    for old in (1, 3, 16, 30):
        proof = tree.consistency_proof(db, project.pk, old, 45)
        assert merkle.verify_consistency(old, 45, tree.root(db, project.pk, old), root, proof)


@pytest.mark.django_db(transaction=True)  # the owner takes the connection, outside a transaction
def test_a_missing_node_is_named() -> None:
    project = _bare()
    with as_owner(), transaction.atomic():  # the owner: the app's role may not DELETE a node
        db = sql.Db()
        tree.append_leaves(db, project.pk, 0, ZERO_HASH, _hashes(4))
        TreeNode.objects.filter(project=project, level=2).delete()
        with pytest.raises(tree.MissingNode, match=r"\(2, 0\)"):
            tree.root(db, project.pk, 4)
