"""The record: one append-only, hash-chained table of facts per project, and its projections.

``Entry`` rows are never updated or deleted (database triggers refuse it); a
mistake is corrected by a later ``correction`` fact. ``ChainHead`` holds the
last sequence number and hash of each project and is the lock every append
takes, so concurrent appends never fork the chain. Everything else here is a
projection: rebuilt from the entries to identical state by ``guishu rebuild``.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models

ZERO_HASH = "0" * 64


class Project(models.Model):
    """One sales site (案场) running one policy (changes are facts in its record)."""

    code = models.SlugField(max_length=32, unique=True)
    name = models.CharField(max_length=100)
    policy = models.CharField(max_length=32, help_text="preset id (s8 ...) in force from the start")
    timezone = models.CharField(max_length=64, default="Asia/Shanghai")
    created_at = models.DateTimeField(auto_now_add=True)

    def __str__(self) -> str:
        return f"{self.name} ({self.code})"


class ChainHead(models.Model):
    """The end of a project's chain; locked by every append (one consistent lock order)."""

    project = models.OneToOneField(Project, on_delete=models.PROTECT, primary_key=True, related_name="head")
    seq = models.PositiveBigIntegerField(default=0)
    hash = models.CharField(max_length=64, default=ZERO_HASH)
    at = models.DateTimeField(null=True)  # the last entry's time: the next one is never earlier
    # the first entry hashed in chain format v2 (``record.chain``); earlier ones keep v1
    format_from = models.PositiveBigIntegerField(default=1)
    # the latest signed tree head, over all ``seq`` entries: signed in every group commit
    root = models.BinaryField(max_length=32, null=True)
    signed_at = models.DateTimeField(null=True)
    key = models.CharField(max_length=16, blank=True, default="")
    signature = models.BinaryField(max_length=64, null=True)


class Entry(models.Model):
    """One fact of the record, chained to the previous one by SHA-256."""

    # no separate index on project or actor: the unique constraints lead with project, and
    # every index costs a page write in each append's commit
    project = models.ForeignKey(Project, on_delete=models.PROTECT, related_name="entries", db_index=False)
    seq = models.PositiveBigIntegerField()
    fact_id = models.CharField(max_length=64)
    kind = models.CharField(max_length=32)
    at = models.DateTimeField()
    payload = models.JSONField()
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+", db_index=False
    )
    prev_hash = models.CharField(max_length=64)
    hash = models.CharField(max_length=64)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["project", "seq"], name="entry_unique_seq"),
            models.UniqueConstraint(fields=["project", "fact_id"], name="entry_unique_fact"),
        ]
        indexes = [models.Index(fields=["project", "kind", "at"], name="entry_kind_at")]

    def __str__(self) -> str:
        return f"{self.project_id}#{self.seq} {self.kind}"


class GroupVerdict(models.Model):
    """Projection: the current verdict of one customer group."""

    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="verdicts", db_index=False)
    group = models.CharField(max_length=32)
    owner_kind = models.CharField(max_length=16)
    owner_id = models.CharField(max_length=64, blank=True, default="")
    state = models.CharField(max_length=16)
    since = models.DateTimeField(null=True)
    protected_until = models.DateTimeField(null=True)
    data = models.JSONField()  # the verdict's stable JSON (docs/verdicts.md), as of last_fact
    last_fact = models.CharField(max_length=64)  # the group's latest fact

    class Meta:
        constraints = [models.UniqueConstraint(fields=["project", "group"], name="verdict_unique_group")]
        indexes = [models.Index(fields=["project", "owner_id", "state"], name="verdict_owner")]


class PhoneIndex(models.Model):
    """Projection: normalised phone -> group, with the parts a masked phone can match."""

    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="+", db_index=False)
    phone = models.CharField(max_length=20)
    head3 = models.CharField(max_length=3)
    tail4 = models.CharField(max_length=4)
    group = models.CharField(max_length=32)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["project", "phone"], name="phone_unique")]
        indexes = [models.Index(fields=["project", "tail4"], name="phone_tail4")]


class NameIndex(models.Model):
    """Projection: written name and its pinyin key -> group, for lookups by name."""

    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="+", db_index=False)
    name = models.CharField(max_length=64)
    pinyin = models.CharField(max_length=128)
    group = models.CharField(max_length=32)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["project", "name", "group"], name="name_unique")]
        indexes = [models.Index(fields=["project", "pinyin"], name="name_pinyin")]


class Membership(models.Model):
    """Projection: who works at a site, in which role, from its ``staff_joined`` / ``staff_left``
    facts (the record stays the one source of truth; ``guishu rebuild`` rewrites these rows).

    ``staff`` is the person's staff id in the record, which is his login name: one person has
    one login and one staff id at every site of the deployment, with a role per site.
    """

    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="+", db_index=False)
    staff = models.CharField(max_length=64)
    name = models.CharField(max_length=64)
    role = models.CharField(max_length=32)
    team = models.CharField(max_length=64, blank=True, default="")
    channel = models.CharField(max_length=64, blank=True, default="")  # an agent's firm
    joined_at = models.DateTimeField()
    left_at = models.DateTimeField(null=True)  # set by staff_left: from then on he may do nothing here
    fact = models.CharField(max_length=64)  # the latest fact that made this row

    class Meta:
        constraints = [models.UniqueConstraint(fields=["project", "staff"], name="membership_unique_staff")]
        indexes = [models.Index(fields=["staff", "left_at"], name="membership_staff")]

    @property
    def active(self) -> bool:
        return self.left_at is None


class GroupRole(models.Model):
    """A role over every site of the deployment (the developer group's 集团管理员): granted on
    the control side by ``guishu group-admin``, not by any one site's record."""

    user = models.OneToOneField(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="group_role")
    role = models.CharField(max_length=32, choices=[("group_admin", "集团管理员")])
    granted_at = models.DateTimeField(auto_now_add=True)


class TreeNode(models.Model):
    """A complete subtree of the project's Merkle tree (``guishu.core.merkle``): the node at
    ``level`` whose last leaf is entry ``last`` covers entries ``last - 2**level + 1 .. last``
    (its index at its level is ``last // 2**level - 1``). Keyed by (last, level): the nodes an
    append completes sit side by side at the end of the table, so an append writes one page of
    it. Appended with the entries that complete it, never changed; proofs read these rows and
    never recompute a stored node from its leaves."""

    pk = models.CompositePrimaryKey("project", "last", "level")
    project = models.ForeignKey(Project, on_delete=models.PROTECT, related_name="+", db_index=False)
    last = models.PositiveBigIntegerField()
    level = models.PositiveSmallIntegerField()
    hash = models.BinaryField(max_length=32)


class SignedHead(models.Model):
    """A signed tree head (``guishu.core.tree_heads``) kept in the project's checkpoint log: its
    Merkle root at ``size`` entries, signed with the site's Ed25519 key. The latest head is
    signed in every group commit and kept on the chain head (``ChainHead.signature``); one head
    a second at most is also appended here, in the same transaction, and never changed."""

    pk = models.CompositePrimaryKey("project", "size")
    project = models.ForeignKey(Project, on_delete=models.PROTECT, related_name="+", db_index=False)
    size = models.PositiveBigIntegerField()
    root = models.BinaryField(max_length=32)
    at = models.DateTimeField()
    key = models.CharField(max_length=16)  # the signing key's id (tree_heads.key_id)
    signature = models.BinaryField(max_length=64)
