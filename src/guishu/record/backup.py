"""Back up one site's record with the signing key, and restore it into a deployment.

A backup is a folder:

- ``record.jsonl``: a header line (the site, the chain head with its signed head, the v2 mark,
  the people the entries name as actors), then every entry exactly as stored, then the signed
  heads of the checkpoint log table;
- ``signing-ed25519.pem``: the key (mode 0600) — whoever holds the backup can sign: keep it
  as the key itself is kept (docs/security.md).

Restoring writes the entries back unchanged (never re-hashed), rebuilds the Merkle tree from
their hashes and the projections from a replay, and then ``guishu verify`` holds the restored
record to the backed-up signed heads: a backup altered in between fails there.
"""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Any

from django.contrib.auth.models import User
from django.db import transaction

from guishu.core.tree_heads import TreeHead
from guishu.record import checkpoint_log, signed_heads, signing, sql, tree
from guishu.record.actions import ENTRY_INSERT
from guishu.record.chain import canonical_text
from guishu.record.models import ZERO_HASH, ChainHead, Entry, Project
from guishu.record.rebuild import rebuild_all

FORMAT = "guishu backup v1"
RECORD = "record.jsonl"
KEY = "signing-ed25519.pem"


class BackupError(ValueError):
    """A backup that cannot be made or restored, said in Chinese and English."""


def back_up(project: Project, folder: Path) -> int:
    """Write the site's backup into ``folder`` (made, must be empty); how many entries."""
    folder.mkdir(parents=True, exist_ok=True)
    if any(folder.iterdir()):
        raise BackupError(f"备份目录不是空的 / the backup folder {folder} is not empty")
    db = sql.Db()
    with transaction.atomic():  # one consistent moment of the record
        head = ChainHead.objects.get(project=project)
        latest = signed_heads.latest(db, project.pk, project.code)
        actors = sorted(set(Entry.objects.filter(project=project, actor__isnull=False).values_list("actor", flat=True)))
        people = [
            {"id": u.pk, "username": u.username, "first_name": u.first_name}
            for u in User.objects.filter(pk__in=actors).order_by("pk")
        ]
        header = {
            "format": FORMAT,
            "site": {
                "code": project.code,
                "name": project.name,
                "policy": project.policy,
                "timezone": project.timezone,
            },
            "chain_head": {"seq": head.seq, "hash": head.hash, "format_from": head.format_from},
            "signed_head": latest.to_dict() if latest else None,
            "actors": people,
        }
        count = 0
        with (folder / RECORD).open("w", encoding="utf-8") as out:
            out.write(json.dumps(header, ensure_ascii=False, sort_keys=True) + "\n")
            for e in Entry.objects.filter(project=project).order_by("seq").iterator(chunk_size=2000):
                row = {
                    "seq": e.seq,
                    "fact_id": e.fact_id,
                    "kind": e.kind,
                    "at": e.at.isoformat(),
                    "payload": canonical_text(e.payload),
                    "actor": e.actor_id,
                    "prev_hash": e.prev_hash,
                    "hash": e.hash,
                }
                out.write(json.dumps({"entry": row}, ensure_ascii=False) + "\n")
                count += 1
            for h in signed_heads.all_heads(db, project.pk, project.code):
                out.write(json.dumps({"signed_head": h.to_dict()}) + "\n")
    key = folder / KEY
    fd = os.open(key, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(fd, "wb") as out_key:
        out_key.write(signing.key_path().read_bytes())
    return count


def _read(folder: Path) -> tuple[dict[str, Any], list[dict[str, Any]], list[TreeHead]]:
    path = folder / RECORD
    try:
        lines = path.read_text(encoding="utf-8").splitlines()
    except (OSError, UnicodeDecodeError) as exc:
        raise BackupError(f"无法读取备份 / cannot read {path}: {exc}") from None
    try:
        header = json.loads(lines[0])
        if header.get("format") != FORMAT:
            raise BackupError(f"不是 guishu 备份 / {path} is not a guishu backup")
        entries, heads = [], []
        for line in lines[1:]:
            item = json.loads(line)
            if "entry" in item:
                entries.append(item["entry"])
            else:
                heads.append(TreeHead.from_dict(item["signed_head"]))
    except (IndexError, KeyError, TypeError, ValueError) as exc:
        if isinstance(exc, BackupError):
            raise
        raise BackupError(f"备份文件已损坏 / the backup {path} is damaged: {exc}") from None
    return header, entries, heads


def _install_key(folder: Path) -> None:
    """The backup's key becomes the deployment's, unless the deployment has another already."""
    theirs = (folder / KEY).read_bytes()
    path = signing.key_path()
    if path.exists():
        if path.read_bytes() != theirs:
            raise BackupError(
                f"本部署已有另一把签名密钥 ({path}) / this deployment has another signing key: restore into a "
                "deployment with none, or with this backup's key"
            )
        return
    path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(fd, "wb") as out:
        out.write(theirs)
    signing.forget()


def restore(folder: Path) -> Project:
    """Restore a backup as a new site of this deployment (its code must be free)."""
    header, entries, heads = _read(folder)
    site = header["site"]
    if Project.objects.filter(code=site["code"]).exists():
        raise BackupError(f"案场 {site['code']} 已存在 / the site {site['code']} exists already")
    if not (folder / KEY).exists():
        raise BackupError(f"备份中没有签名密钥 / the backup has no {KEY}")
    _install_key(folder)
    db = sql.Db()
    with transaction.atomic():
        for person in header["actors"]:
            found = User.objects.filter(pk=person["id"]).first()
            if found is None:
                user = User(id=person["id"], username=person["username"], first_name=person["first_name"])
                user.set_unusable_password()  # a login of another deployment: no password here
                user.save()
            elif found.username != person["username"]:
                raise BackupError(
                    f"用户编号 {person['id']} 在本部署是 {found.username},备份中是 {person['username']} / "
                    "a user id of the backup is another person here"
                )
        project = Project.objects.create(
            code=site["code"], name=site["name"], policy=site["policy"], timezone=site["timezone"]
        )
        head = header["chain_head"]
        ChainHead.objects.create(project=project, format_from=head["format_from"])
        insert = ENTRY_INSERT.format(json=db.json)
        rows = []
        for e in entries:
            rows.append(
                (
                    project.pk,
                    e["seq"],
                    e["fact_id"],
                    e["kind"],
                    db.time(_aware(e["at"])),
                    e["payload"],
                    e["actor"],
                    e["prev_hash"],
                    e["hash"],
                )
            )
            if len(rows) >= 2000:
                db.executemany(insert, rows)
                rows = []
        if rows:
            db.executemany(insert, rows)
        tree.forget(project.pk)
        tree.append_leaves(db, project.pk, 0, ZERO_HASH, [e["hash"] for e in entries])
        last_at = _aware(entries[-1]["at"]) if entries else None
        db.execute(
            "UPDATE record_chainhead SET seq = %s, hash = %s, at = %s WHERE project_id = %s",
            (head["seq"], head["hash"], db.time(last_at), project.pk),
        )
        if header["signed_head"]:
            signed = TreeHead.from_dict(header["signed_head"])
            db.execute(signed_heads.HEAD_SIGNATURE, (*signed_heads.signature_columns(db, signed), project.pk))
        for h in heads:
            db.execute(signed_heads.HEAD_INSERT, (project.pk, h.size, h.root, db.time(h.at), h.key, h.signature))
        rebuild_all(project)
    checkpoint_log.set_aside(project.code)  # the restored record's own log starts at its latest head
    if header["signed_head"]:
        checkpoint_log.write([TreeHead.from_dict(header["signed_head"])])
    return project


def _aware(text: str) -> Any:
    from datetime import datetime

    at = datetime.fromisoformat(text)
    if at.tzinfo is None:
        raise BackupError(f"备份中的时间没有时区 / a time without its zone: {text}")
    return at
