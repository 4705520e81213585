"""The record's proof commands: verify, verify-receipt, checkpoints, signing-key.

``verify-receipt`` takes an agent's receipt (JSON) or a printed letter's code (核验码, the text or
URL of its QR). ``verify`` and ``verify-receipt`` answer 0 when everything holds, 1 when something does not,
and 2 on bad input (a file that is not what it should be), each with a line a person can read.
"""

from __future__ import annotations

import argparse
import json
from pathlib import Path
from typing import TYPE_CHECKING, Any

from guishu.cli.backups import add_backup_commands
from guishu.cli.boot import django_setup, named_project

if TYPE_CHECKING:
    from guishu.core.receipt_codes import ReceiptCode

BAD_INPUT = 2


def _read_json(path: str) -> Any:
    try:
        return json.loads(Path(path).read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise ValueError(f"{path}: 无法读取 JSON / cannot read JSON ({exc})") from None


def _public_key(text: str | None) -> Any:
    from guishu.core.tree_heads import public_from_b64

    if not text:
        return None
    try:
        return public_from_b64(text)
    except ValueError as exc:
        raise ValueError(f"--public-key 不是 Ed25519 公钥 / not an Ed25519 public key ({exc})") from None


def cmd_verify(args: argparse.Namespace) -> int:
    django_setup()
    from guishu.api.keys import key_problems
    from guishu.record import checkpoint_log
    from guishu.record.audit import projection_differences
    from guishu.record.models import Project
    from guishu.record.verify import verify_chain

    try:
        extra = checkpoint_log.read_file(Path(args.checkpoints)) if args.checkpoints else []
        key = _public_key(args.public_key)
    except (OSError, ValueError) as exc:
        print(exc)
        return BAD_INPUT
    code = 0
    projects = Project.objects.filter(**({"code": args.project} if args.project else {})).order_by("code")
    if args.project and not projects:
        print(f"没有案场 {args.project} / no such project")
        return BAD_INPUT
    for project in projects:
        heads = [h for h in extra if h.site == project.code]
        report = verify_chain(project, heads=heads, public_key=key)
        if report.ok:
            print(
                f"OK {project.code}: {report.entries} 条,链与默克尔树完整,签名树头覆盖全部 / "
                f"entries, chain and tree intact, all under a signed head"
            )
        else:
            code = 1
            where = f"第 {report.first_bad_seq} 条" if report.first_bad_seq is not None else "签名树头"
            fact = f" ({report.first_bad_fact})" if report.first_bad_fact else ""
            print(f"BAD {project.code}: {where}{fact}: {report.problem}")
        for problem in key_problems(project):  # the key table against the record's audit facts
            code = 1
            print(f"BAD {project.code}: 接口密钥 / API keys: {problem}")
        if args.projections:
            problems = projection_differences(project)
            for problem in problems:
                code = 1
                print(f"BAD {project.code}: 投影 / projection: {problem}")
            if not problems:
                print(f"OK {project.code}: 投影与重放一致 / projections match a replay")
    return code


def _read_code(path: str) -> ReceiptCode | None:
    """The printed letter's code (核验码) when the file holds one (or the URL its QR opens)."""
    from guishu.core import receipt_codes

    try:
        text = Path(path).read_text(encoding="utf-8-sig")[: receipt_codes.MAX_TEXT + 1]
    except (OSError, UnicodeDecodeError):
        return None
    return receipt_codes.parse(text) if receipt_codes.looks_like_code(text) else None


def _verify_code(code: ReceiptCode, *, offline: bool) -> int:
    if offline:
        print("核验码不含证明,须对照记录核对 (去掉 --offline) / a code holds no proof: check it against the record")
        return BAD_INPUT
    django_setup()
    from guishu.record.receipts import check_code

    problems = check_code(code)
    for problem in problems:
        print(f"INVALID {code.site} #{code.seq}: {problem}")
    if problems:
        return 1
    print(f"VALID {code.site} #{code.seq}: 核验码成立,条目在现在的记录中 / the printed code holds")
    return 0


def cmd_verify_receipt(args: argparse.Namespace) -> int:
    from guishu.core import receipts
    from guishu.core.receipts import Receipt

    code = _read_code(args.file)
    if code is not None:
        return _verify_code(code, offline=args.offline)
    try:
        receipt = Receipt.from_dict(_read_json(args.file))
        key = _public_key(args.public_key)
        later = None
        proof: list[bytes] = []
        if args.against:
            from guishu.core.tree_heads import TreeHead

            against = _read_json(args.against)
            if not isinstance(against, dict):
                raise ValueError(f"{args.against}: 不是一致性证明 / not a consistency proof")
            later = TreeHead.from_dict(against["tree_head"])
            proof = receipts.proof_from_hex(against.get("proof", []))
    except (KeyError, TypeError, ValueError) as exc:
        print(f"无效的回执文件 / not a receipt: {exc}")
        return BAD_INPUT
    if args.offline:
        if key is None:
            print("离线核对需要案场公钥 --public-key / offline, give the site's public key")
            return BAD_INPUT
        problems = receipts.check(receipt, key, later=later, consistency=proof)
    else:
        django_setup()
        from guishu.record.receipts import check_against_record

        problems = check_against_record(receipt)
    if problems:
        for problem in problems:
            print(f"INVALID {receipt.site} #{receipt.seq}: {problem}")
        return 1
    scope = "签名树头" if args.offline and later is None else "现在的记录"
    print(f"VALID {receipt.site} #{receipt.seq} ({receipt.fact_id}): 回执成立,条目在{scope}中 / the receipt holds")
    return 0


def cmd_checkpoints(args: argparse.Namespace) -> int:
    """Export the signed heads the database holds, one JSON line each (a witness keeps them)."""
    django_setup()
    from guishu.record import signed_heads, sql

    project = named_project(args.project)
    if project is None:
        return BAD_INPUT
    heads = signed_heads.all_heads(sql.Db(), project.pk, project.code)
    lines = "".join(json.dumps(h.to_dict(), sort_keys=True) + "\n" for h in heads)
    if args.out:
        Path(args.out).write_text(lines, encoding="utf-8")
        print(f"{project.code}: {len(heads)} 个签名树头 / signed heads -> {args.out}")
    else:
        print(lines, end="")
    return 0


def cmd_signing_key(args: argparse.Namespace) -> int:
    """The public half of the site's signing key: what agents check receipts with."""
    django_setup()
    from guishu.core.tree_heads import key_id, public_b64
    from guishu.record import signing

    public = signing.public_key()
    print(f"{public_b64(public)}  (key id {key_id(public)})")
    return 0


def add_proof_commands(sub: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    verify = sub.add_parser("verify", help="check every project's chain, tree and signed heads")
    verify.add_argument("--project")
    verify.add_argument("--projections", action="store_true", help="also replay and compare the projections")
    verify.add_argument("--checkpoints", help="an exported checkpoint log to hold the record to")
    verify.add_argument("--public-key", help="the site's public key (default: the deployment's own)")
    verify.set_defaults(func=cmd_verify)
    receipt = sub.add_parser("verify-receipt", help="check an agent's receipt")
    receipt.add_argument("file")
    receipt.add_argument("--offline", action="store_true", help="check the file alone, with --public-key")
    receipt.add_argument("--public-key")
    receipt.add_argument("--against", help="a later signed head and consistency proof (the API's answer)")
    receipt.set_defaults(func=cmd_verify_receipt)
    checkpoints = sub.add_parser("checkpoints", help="export a site's signed tree heads")
    checkpoints.add_argument("--project", default="demo")
    checkpoints.add_argument("--out")
    checkpoints.set_defaults(func=cmd_checkpoints)
    key = sub.add_parser("signing-key", help="print the public signing key")
    key.set_defaults(func=cmd_signing_key)
    add_backup_commands(sub)
