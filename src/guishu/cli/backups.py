"""``guishu backup`` and ``guishu restore``: one site's record and the signing key, out and back
in, the restore followed by ``verify``."""

from __future__ import annotations

import argparse
from pathlib import Path

from guishu.cli.boot import django_setup, named_project

BAD_INPUT = 2


def cmd_backup(args: argparse.Namespace) -> int:
    django_setup()
    from guishu.record.backup import BackupError, back_up

    project = named_project(args.project)
    if project is None:
        return BAD_INPUT
    try:
        count = back_up(project, Path(args.out))
    except (BackupError, OSError) as exc:
        print(exc)
        return BAD_INPUT
    print(f"{project.code}: {count} 条与签名密钥已备份到 {args.out} / entries and the signing key backed up")
    print("备份含签名密钥,请像保管密钥一样保管 / the backup holds the signing key: keep it as safe as the key")
    return 0


def cmd_restore(args: argparse.Namespace) -> int:
    django_setup()
    from guishu.record.backup import BackupError, restore
    from guishu.record.verify import verify_chain

    try:
        project = restore(Path(args.folder))
    except (BackupError, OSError) as exc:
        print(exc)
        return BAD_INPUT
    report = verify_chain(project)
    if not report.ok:
        where = f"第 {report.first_bad_seq} 条" if report.first_bad_seq is not None else "签名树头"
        print(f"BAD {project.code}: 恢复后校验失败 / verify fails after the restore: {where}: {report.problem}")
        return 1
    print(f"OK {project.code}: 已恢复 {report.entries} 条,校验通过 / entries restored and verified")
    return 0


def add_backup_commands(sub: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    backup = sub.add_parser("backup", help="back up a site's record and the signing key")
    backup.add_argument("--project", required=True)
    backup.add_argument("--out", required=True, help="an empty or new folder")
    backup.set_defaults(func=cmd_backup)
    restore = sub.add_parser("restore", help="restore a site from a backup folder, then verify it")
    restore.add_argument("folder")
    restore.set_defaults(func=cmd_restore)
