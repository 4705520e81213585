"""Front-desk lookup and registration on sites of 10k, 100k and 1M customer groups.

Each size runs in a fresh process with its own SQLite database (bench/out/desk-N/). The site is
built with the bulk importer (one registration per customer, 100 consultants), then:

- lookup: 2,000 front-desk queries (70 % full phones, 20 % masked 138****5678, 10 % names),
  in-process (``selectors.lookup``) and over HTTP (gunicorn, one worker, keep-alive client,
  the htmx partial, the query POSTed as the desk sends it) — p50 / p99;
- issue 15: 2,000 lookups as staff remember people (40 % pinyin initials, 40 % a name typed in
  pinyin, 20 % a surname alone) and 2,000 customer pages (客户档案), over HTTP — p50 / p99;
- registration: durable appends (record + verdict + projections, synchronous=FULL) in-process,
  sequential, in 7 rounds of 200, each followed by a round of raw SQLite ``BEGIN IMMEDIATE;
  INSERT; COMMIT`` at synchronous=FULL (this machine's fsync time drifts, so each round is
  compared with its neighbour; the median ratio is reported); then 8 concurrent writers
  (throughput, p99), whose queued appends share commits (group commit).

    .venv/bin/python bench/desk.py --groups 10000,100000,1000000
"""

from __future__ import annotations

import argparse
import http.client
import json
import os
import random
import secrets
import shutil
import socket
import sqlite3
import statistics
import string
import subprocess
import sys
import threading
import time
from datetime import datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

ROOT = Path(__file__).resolve().parents[1]
OUT = ROOT / "bench" / "out"


ROUNDS = 7  # registration rounds, each followed by a raw SQLite round
PER_ROUND = 200


def pct(samples: list[float], q: float) -> float:
    ordered = sorted(samples)
    return ordered[min(len(ordered) - 1, int(q * len(ordered)))] * 1000


def site_facts(groups: int) -> list[object]:
    from guishu.core.events import Answers, Customer, Registration, StaffJoined

    tz = ZoneInfo("Asia/Shanghai")
    now = datetime.now(tz) - timedelta(days=3)
    facts: list[object] = [
        StaffJoined(id=f"s{i}", at=now, staff=f"c{i:03d}", name=f"顾问{i}", role="consultant") for i in range(100)
    ]
    step = timedelta(seconds=120 / max(1, groups // 1000))
    surnames = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗"
    given = "伟芳娜敏静丽强磊军洋勇艳杰娟涛明超秀霞平"
    for k in range(groups):
        name = surnames[k % 20] + given[(k // 20) % 20] + given[(k // 400) % 20]
        facts.append(
            Registration(
                id=f"r{k}",
                at=now + step * k,
                mode="visit",
                consultant=f"c{k % 100:03d}",
                customer=Customer(name=name, gender="M", phone=f"+86139{k:08d}", intent="三居", source="路过"),
                answers=Answers(first_visit=True),
            )
        )
    return facts


def queries(groups: int, n: int = 2000) -> list[str]:
    rng = random.Random(5)
    out = []
    for _ in range(n):
        k = rng.randrange(groups)
        digits = f"139{k:08d}"
        roll = rng.random()
        if roll < 0.7:
            out.append(digits)
        elif roll < 0.9:
            out.append(f"{digits[:3]}****{digits[-4:]}")
        else:
            out.append(SURNAMES[k % 20] + GIVEN[(k // 20) % 20] + GIVEN[(k // 400) % 20])
    return out


SURNAMES = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗"
GIVEN = "伟芳娜敏静丽强磊军洋勇艳杰娟涛明超秀霞平"


def word_queries(groups: int, n: int = 2000) -> list[tuple[str, str]]:
    """Lookups the way staff remember people (issue 15), as (kind, query): 40 % pinyin initials
    (wwf), 40 % a whole name typed in pinyin (wangweifang), 20 % a surname alone (王), each of a
    customer of the site (the name of group k, as ``site_facts`` writes it)."""
    from guishu.core.identity import initials_of, name_pinyin

    rng = random.Random(7)
    out = []
    for _ in range(n):
        k = rng.randrange(groups)
        name = SURNAMES[k % 20] + GIVEN[(k // 20) % 20] + GIVEN[(k // 400) % 20]
        roll = rng.random()
        if roll < 0.4:
            out.append(("initials", initials_of(name_pinyin(name))))
        elif roll < 0.8:
            out.append(("pinyin", name_pinyin(name).replace(" ", "")))
        else:
            out.append(("surname", name[0]))
    return out


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def raw_sqlite_rate(path: Path, n: int = 2000) -> float:
    """The ceiling: one durable single-row commit after another (WAL, synchronous=FULL)."""
    db = sqlite3.connect(path, isolation_level=None)
    db.execute("PRAGMA journal_mode=WAL")
    db.execute("PRAGMA synchronous=FULL")
    db.execute("CREATE TABLE IF NOT EXISTS t (id INTEGER PRIMARY KEY, payload TEXT)")
    start = time.perf_counter()
    for i in range(n):
        db.execute("BEGIN IMMEDIATE")
        db.execute("INSERT INTO t (payload) VALUES (?)", (json.dumps({"i": i, "kind": "registration"}),))
        db.execute("COMMIT")
    rate = n / (time.perf_counter() - start)
    db.close()
    return rate


def fresh_site(name: str) -> Path:
    """An empty, migrated SQLite database in bench/out/<name>/, with Django set up for it."""
    data = OUT / name
    shutil.rmtree(data, ignore_errors=True)
    data.mkdir(parents=True)
    os.environ["GUISHU_DATA_DIR"] = str(data)
    os.environ["DJANGO_SETTINGS_MODULE"] = "guishu.web.settings"
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", interactive=False, verbosity=0)
    return data


def serve(port: int) -> subprocess.Popen[bytes]:
    """The site as it ships: ``guishu serve`` (gunicorn, its default workers and threads for
    this machine), without the demo, on the bench's data folder."""
    guishu = Path(sys.executable).with_name("guishu")
    cmd = [str(guishu), "serve", "--no-demo", "--addr", f"127.0.0.1:{port}"]
    return subprocess.Popen(cmd, env=os.environ.copy(), stdout=subprocess.DEVNULL)  # noqa: S603


def timed_lookups(c: http.client.HTTPConnection, queries: list[str], headers: dict[str, str]) -> list[float]:
    """Each query as the desk sends it: a POSTed form to the desk (a phone is never in a URL)."""
    from urllib.parse import urlencode

    bodies = [urlencode({"q": q}) for q in queries]
    samples = []
    for body in bodies:
        t = time.perf_counter()
        c.request("POST", "/s/bench/desk/", body=body, headers=headers)
        response = c.getresponse()
        response.read()
        samples.append(time.perf_counter() - t)
        assert response.status == 200, body
    return samples


def timed_pages(c: http.client.HTTPConnection, paths: list[str], headers: dict[str, str]) -> list[float]:
    samples = []
    for path in paths:
        t = time.perf_counter()
        c.request("GET", path, headers=headers)
        response = c.getresponse()
        response.read()
        samples.append(time.perf_counter() - t)
        assert response.status == 200, path
    return samples


def run_one(groups: int) -> dict[str, object]:
    data = fresh_site(f"desk-{groups}")
    from django.contrib.auth.models import User
    from django.contrib.sessions.backends.db import SessionStore
    from django.db import connection

    from guishu.desk import selectors
    from guishu.record import engines
    from guishu.record.actions import append_fact, create_project
    from guishu.record.bulk import bulk_import

    project = create_project(code="bench", name="bench", policy="s8")
    t0 = time.perf_counter()
    bulk_import(project, site_facts(groups))  # type: ignore[arg-type]
    build_s = time.perf_counter() - t0
    from guishu.sites.access import access_for

    manager = User.objects.create_user(username="zhaoliu", password="x")  # noqa: S106
    append_fact(project=project, data={"kind": "staff_joined", "staff": "zhaoliu", "name": "赵六", "role": "manager"})
    viewer = access_for(manager, "bench")
    assert viewer is not None
    result: dict[str, object] = {"groups": groups, "build_s": round(build_s, 1)}

    # lookup, in-process
    qs = queries(groups)
    selectors.lookup(viewer, qs[0])  # warm
    samples = []
    for q in qs:
        t = time.perf_counter()
        found = selectors.lookup(viewer, q)
        samples.append(time.perf_counter() - t)
        assert found.cards or found.note, q
    result["lookup_inprocess_p50_ms"] = round(pct(samples, 0.5), 2)
    result["lookup_inprocess_p99_ms"] = round(pct(samples, 0.99), 2)

    # lookup over HTTP through `guishu serve`, a kept-open connection (it stays with one worker
    # and its engine), the htmx partial. The floor, in the same run and on the same server and
    # connection: the same partial for an empty query, i.e. the request path (session, the
    # membership check, the middleware, the template) without the lookup.
    session = SessionStore()
    session["_auth_user_id"] = str(manager.pk)
    session["_auth_user_backend"] = "django.contrib.auth.backends.ModelBackend"
    session["_auth_user_hash"] = manager.get_session_auth_hash()
    session.create()
    port = free_port()
    server = serve(port)
    try:
        # the desk posts its query with the CSRF token, as htmx does (the cookie's secret in the
        # X-CSRFToken header)
        csrf = "".join(secrets.choice(string.ascii_letters + string.digits) for _ in range(32))
        headers = {
            "Cookie": f"sessionid={session.session_key}; csrftoken={csrf}",
            "X-CSRFToken": csrf,
            "Content-Type": "application/x-www-form-urlencoded",
            "HX-Request": "true",
        }
        for _ in range(600):
            try:
                c = http.client.HTTPConnection("127.0.0.1", port, timeout=600)
                c.request("POST", "/s/bench/desk/", body="q=13900000001", headers=headers)
                if c.getresponse().read() is not None:
                    break
            except OSError:
                time.sleep(0.5)

        timed_lookups(c, qs[:200], headers)  # warm this worker
        samples = timed_lookups(c, qs, headers)
        result["lookup_http_p50_ms"] = round(pct(samples, 0.5), 2)
        result["lookup_http_p99_ms"] = round(pct(samples, 0.99), 2)
        floor = timed_lookups(c, [""] * len(qs), headers)
        result["floor_http_p50_ms"] = round(pct(floor, 0.5), 2)
        result["floor_http_p99_ms"] = round(pct(floor, 0.99), 2)
        result["lookup_vs_floor_p99"] = round(pct(samples, 0.99) / pct(floor, 0.99), 2)
        # issue 15: initials, pinyin and surnames; each kind's p50 / p99 over HTTP
        asked = word_queries(groups)
        timed_lookups(c, [q for _kind, q in asked[:200]], headers)  # warm the syllables and the index
        took = timed_lookups(c, [q for _kind, q in asked], headers)
        result["words_http_p50_ms"] = round(pct(took, 0.5), 2)
        result["words_http_p99_ms"] = round(pct(took, 0.99), 2)
        for kind in ("initials", "pinyin", "surname"):
            mine = [t for (k, _q), t in zip(asked, took, strict=True) if k == kind]
            result[f"{kind}_http_p50_ms"] = round(pct(mine, 0.5), 2)
            result[f"{kind}_http_p99_ms"] = round(pct(mine, 0.99), 2)
        result["words_vs_floor_p99"] = round(pct(took, 0.99) / pct(floor, 0.99), 2)
        # the customer's page (客户档案) of 2,000 customers, each one registration, as the manager
        from guishu.core.engine_state import group_id

        rng = random.Random(11)
        paths = [f"/s/bench/customer/{group_id(f'+86139{rng.randrange(groups):08d}')}/" for _ in range(2000)]
        page_headers = {k: v for k, v in headers.items() if k not in ("HX-Request", "Content-Type")}
        timed_pages(c, paths[:200], page_headers)
        pages = timed_pages(c, paths, page_headers)
        result["customer_page_http_p50_ms"] = round(pct(pages, 0.5), 2)
        result["customer_page_http_p99_ms"] = round(pct(pages, 0.99), 2)
    finally:
        server.terminate()
        server.wait()

    # registration, in-process, sequential and durable, in rounds alternating with the raw
    # baseline: this machine's fsync time drifts, so each round compares like with like
    engines.live_engine(project)
    samples = []
    ratios, rates, raws = [], [], []
    for r in range(ROUNDS):
        block = []
        for i in range(r * PER_ROUND, (r + 1) * PER_ROUND):
            t = time.perf_counter()
            append_fact(
                project=project,
                data={
                    "kind": "registration",
                    "mode": "visit",
                    "consultant": f"c{i % 100:03d}",
                    "customer": {
                        "name": "新客户",
                        "gender": "F",
                        "phone": f"+86136{i:08d}",
                        "intent": "两居",
                        "source": "路过",
                    },
                },
            )
            block.append(time.perf_counter() - t)
        samples.extend(block)
        rate = len(block) / sum(block)
        raw = raw_sqlite_rate(data / "raw.sqlite3", n=3 * PER_ROUND)
        rates.append(rate)
        raws.append(raw)
        ratios.append(rate / raw)
    result["register_per_s"] = round(statistics.median(rates))
    result["raw_sqlite_commits_per_s"] = round(statistics.median(raws))
    result["register_vs_raw"] = f"{statistics.median(ratios):.0%}"
    result["register_vs_raw_rounds"] = [f"{x:.0%}" for x in ratios]
    result["register_p99_ms"] = round(pct(samples, 0.99), 1)

    # 8 concurrent writers
    lat: list[float] = []
    lock = threading.Lock()

    def writer(w: int) -> None:
        for i in range(60):
            t = time.perf_counter()
            append_fact(
                project=project,
                data={
                    "kind": "registration",
                    "mode": "call",
                    "consultant": f"c{w:03d}",
                    "customer": {"name": "并发", "gender": "M", "phone": f"+86135{w:02d}{i:06d}", "intent": "两居"},
                },
            )
            with lock:
                lat.append(time.perf_counter() - t)
        connection.close()

    threads = [threading.Thread(target=writer, args=(w,)) for w in range(8)]
    t0 = time.perf_counter()
    for th in threads:
        th.start()
    for th in threads:
        th.join()
    result["register_8_writers_per_s"] = round(len(lat) / (time.perf_counter() - t0))
    result["register_8_writers_p99_ms"] = round(pct(lat, 0.99), 1)
    return result


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--groups", default="10000,100000,1000000")
    ap.add_argument("--one", type=int, help=argparse.SUPPRESS)
    args = ap.parse_args()
    if args.one:
        print(json.dumps(run_one(args.one), ensure_ascii=False))
        return
    OUT.mkdir(parents=True, exist_ok=True)
    for n in (int(x) for x in args.groups.split(",")):
        out = subprocess.run(  # noqa: S603
            [sys.executable, __file__, "--one", str(n)], check=True, capture_output=True, text=True
        ).stdout
        print(out.strip().splitlines()[-1], flush=True)


if __name__ == "__main__":
    main()
