"""The record's proofs at scale (issue 12): verify, receipts, and what signing costs a commit.

    .venv/bin/python bench/proofs.py --entries 1000000

- **verify**: ``guishu verify``'s check (``verify_chain``: chain, every tree node, the signed
  heads) over a bulk-imported site of N entries, against the baseline measured in the same run:
  one raw SHA-256 pass over the same rows' bytes, read through the same driver.
- **receipts**: 2,000 receipts (inclusion proof under the latest signed head) of random entries,
  in-process and over HTTP (``GET /api/v1/receipts/{seq}`` through ``guishu serve``, one
  kept-open connection, an agent's key), p50 / p99.
- **commits**: WAL frames per registration commit and registrations per second against raw
  SQLite FULL commits, for this tree and for the tree before issue 12 (``--before``, a git
  revision checked out in a temporary worktree), each in a fresh process on a fresh database,
  alternating rounds.
"""

from __future__ import annotations

import argparse
import hashlib
import http.client
import json
import os
import random
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from desk import OUT, ROOT, free_port, fresh_site, pct, raw_sqlite_rate, serve, site_facts

BEFORE = "b2f5220"  # main just before issue 12's writer change


def _registration(i: int) -> dict[str, object]:
    return {
        "kind": "registration",
        "mode": "visit",
        "consultant": f"c{i % 100:03d}",
        "customer": {"name": "新客户", "gender": "F", "phone": f"+86136{i:08d}", "intent": "两居", "source": "路过"},
    }


def commits_child(rounds: int, per_round: int) -> dict[str, object]:
    """In a fresh process: WAL frames per registration commit (checkpoints off while counting)
    and the sequential registration rate against raw commits, alternating rounds."""
    data = Path(tempfile.mkdtemp(prefix="proofs-commits-"))
    os.environ["GUISHU_DATA_DIR"] = str(data)
    os.environ["DJANGO_SETTINGS_MODULE"] = "guishu.web.settings"
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection

    call_command("migrate", interactive=False, verbosity=0)
    from guishu.record import checkpoints
    from guishu.record.actions import append_fact, create_project
    from guishu.record.bulk import bulk_import

    project = create_project(code="bench", name="bench", policy="s8")
    bulk_import(project, site_facts(10000))  # type: ignore[arg-type]
    for i in range(200):  # warm: the engine, the caches, the tree's frontier
        append_fact(project=project, data=_registration(i))
    checkpoints.committed = lambda: None  # type: ignore[assignment]  # let the log grow, to count it
    with connection.cursor() as c:
        c.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        c.execute("PRAGMA page_size")
        page = int(c.fetchone()[0])
    wal = Path(str(connection.settings_dict["NAME"]) + "-wal")
    start = wal.stat().st_size if wal.exists() else 0
    n = 200
    for i in range(n):
        append_fact(project=project, data=_registration(10_000 + i))
    frames = (wal.stat().st_size - start) / (page + 24) / n
    del checkpoints.committed  # the module's own again
    import importlib

    importlib.reload(checkpoints)
    ratios = []
    rates = []
    for r in range(rounds):
        t = time.perf_counter()
        for i in range(per_round):
            append_fact(project=project, data=_registration(20_000 + r * per_round + i))
        rate = per_round / (time.perf_counter() - t)
        raw = raw_sqlite_rate(data / "raw.sqlite3", n=3 * per_round)
        rates.append(rate)
        ratios.append(rate / raw)
    return {
        "wal_frames_per_commit": round(frames, 1),
        "registrations_per_s": round(statistics.median(rates)),
        "vs_raw": f"{statistics.median(ratios):.0%}",
        "vs_raw_rounds": [f"{x:.0%}" for x in ratios],
    }


def commits(revision: str | None, rounds: int, per_round: int) -> dict[str, object]:
    env = os.environ.copy()
    tmp = None
    if revision:
        tmp = tempfile.mkdtemp(prefix="guishu-before-")
        subprocess.run(["git", "worktree", "add", "--detach", tmp, revision], cwd=ROOT, check=True, capture_output=True)  # noqa: S603, S607
        env["PYTHONPATH"] = f"{tmp}/src{os.pathsep}{tmp}/bench"
    try:
        script = Path(__file__)  # this script, importing the revision's guishu when given one
        out = subprocess.run(  # noqa: S603
            [sys.executable, str(script), "--commits-child", f"{rounds},{per_round}"],
            env=env,
            capture_output=True,
            text=True,
            check=True,
        )
        return json.loads(out.stdout.strip().splitlines()[-1])  # type: ignore[no-any-return]
    finally:
        if tmp:
            subprocess.run(["git", "worktree", "remove", "--force", tmp], cwd=ROOT, check=False, capture_output=True)  # noqa: S603, S607


def raw_pass(db_path: Path, project_id: int) -> float:
    """The baseline: SHA-256 of every entry row's bytes, read through the same driver."""
    import sqlite3

    db = sqlite3.connect(db_path)
    t = time.perf_counter()
    cur = db.execute(
        "SELECT seq, fact_id, kind, at, payload, actor_id, prev_hash, hash FROM record_entry "
        "WHERE project_id = ? ORDER BY seq",
        (project_id,),
    )
    sha = hashlib.sha256
    while rows := cur.fetchmany(2000):
        for seq, fact_id, kind, at, payload, actor, prev, digest in rows:
            sha(f"{seq}{fact_id}{kind}{at}{payload}{actor}{prev}{digest}".encode()).hexdigest()
    elapsed = time.perf_counter() - t
    db.close()
    return elapsed


def bench_facts(entries: int) -> tuple[list[object], list[int]]:
    """The desk bench's site (100 consultants, registrations) with a channel firm, one agent,
    and one report of his in every 500 entries; the reports' entry numbers."""
    from guishu.core.events import fact_from_dict

    facts = site_facts(entries - 102)
    at = facts[100].at  # type: ignore[attr-defined]
    facts[100:100] = [
        fact_from_dict({"kind": "channel_joined", "id": "hx", "at": at.isoformat(), "channel": "hx", "name": "华信"}),
        fact_from_dict(
            {
                "kind": "staff_joined",
                "id": "wangwu",
                "at": at.isoformat(),
                "staff": "wangwu",
                "name": "王五",
                "role": "agent",
                "channel": "hx",
            }
        ),
    ]
    reports = []
    for i in range(600, len(facts), 500):
        old = facts[i]
        facts[i] = fact_from_dict(
            {
                "kind": "report",
                "id": f"rep{i}",
                "at": old.at.isoformat(),
                "channel": "hx",
                "agent": "wangwu",  # type: ignore[attr-defined]
                "name": "报备客户",
                "gender": "M",
                "phone": f"+86137{i:08d}",
            }
        )
        reports.append(i + 1)
    return facts, reports


def run(entries: int) -> dict[str, object]:
    data = fresh_site(f"proofs-{entries}")
    from django.db import connection

    from guishu.api import keys as api_keys
    from guishu.core import receipts as pure
    from guishu.record import receipts, signing
    from guishu.record.actions import create_project
    from guishu.record.bulk import bulk_import
    from guishu.record.verify import verify_chain

    project = create_project(code="bench", name="bench", policy="s8")
    facts, reports = bench_facts(entries)
    t0 = time.perf_counter()
    bulk_import(project, facts)  # type: ignore[arg-type]
    result: dict[str, object] = {"entries": entries, "build_s": round(time.perf_counter() - t0, 1)}
    t = time.perf_counter()
    report = verify_chain(project)
    verify_s = time.perf_counter() - t
    assert report.ok, report
    raw_s = raw_pass(Path(str(connection.settings_dict["NAME"])), project.pk)
    result |= {
        "verify_s": round(verify_s, 2),
        "raw_sha256_s": round(raw_s, 2),
        "verify_vs_raw": round(verify_s / raw_s, 2),
    }

    rng = random.Random(12)
    seqs = [rng.randrange(1, entries + 1) for _ in range(2000)]
    public = signing.public_key()
    samples = []
    for seq in seqs:
        t = time.perf_counter()
        r = receipts.issue(project, seq)
        samples.append(time.perf_counter() - t)
        assert not pure.check(r, public)
    result |= {
        "receipt_inprocess_p50_ms": round(pct(samples, 0.5), 2),
        "receipt_inprocess_p99_ms": round(pct(samples, 0.99), 2),
    }

    # over HTTP, as an agent asks for one of his own receipts again
    # the API allows 600 requests a minute per key: ten keys of his share the 2,000
    plains = [api_keys.issue(project=project, agent="wangwu", channel="hx")[1] for _ in range(10)]
    port = free_port()
    server = serve(port)
    try:
        headers = {"Authorization": f"Bearer {plains[0]}"}
        for _ in range(600):
            try:
                c = http.client.HTTPConnection("127.0.0.1", port, timeout=600)
                c.request("GET", "/api/v1/signing-key", headers=headers)
                if c.getresponse().read() is not None:
                    break
            except OSError:
                time.sleep(0.5)
        http_samples = []
        refused = 0
        paths = [f"/api/v1/receipts/{rng.choice(reports)}" for _ in range(2000)]
        for i, path in enumerate(paths):
            t = time.perf_counter()
            c.request("GET", path, headers={"Authorization": f"Bearer {plains[i % 10]}"})
            response = c.getresponse()
            body = response.read()
            http_samples.append(time.perf_counter() - t)
            if response.status != 200 or b'"inclusion"' not in body:
                refused += 1
        result["receipt_http_not_200"] = refused
        result |= {
            "receipt_http_p50_ms": round(pct(http_samples, 0.5), 2),
            "receipt_http_p99_ms": round(pct(http_samples, 0.99), 2),
        }
    finally:
        server.terminate()
        server.wait()
    del data
    return result


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--entries", type=int, default=1_000_000)
    ap.add_argument("--rounds", type=int, default=5)
    ap.add_argument("--per-round", type=int, default=200)
    ap.add_argument("--before", default=BEFORE, help="the revision to compare commits with ('' for none)")
    ap.add_argument("--skip-scale", action="store_true")
    ap.add_argument("--commits-child", help=argparse.SUPPRESS)
    args = ap.parse_args()
    if args.commits_child:
        rounds, per_round = (int(x) for x in args.commits_child.split(","))
        print(json.dumps(commits_child(rounds, per_round)))
        return
    OUT.mkdir(parents=True, exist_ok=True)
    out: dict[str, object] = {}
    if args.before:
        out["commits_before"] = commits(args.before, args.rounds, args.per_round)
    out["commits_after"] = commits(None, args.rounds, args.per_round)
    if not args.skip_scale:
        out["scale"] = run(args.entries)
    print(json.dumps(out, ensure_ascii=False, indent=1))


if __name__ == "__main__":
    main()
