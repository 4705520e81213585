"""Reception rotation (issue 14): "next customer" over HTTP under 8 front desks, and the wall
board's update latency, on a site of N customer groups.

One fresh SQLite database (bench/out/rotation-N/), built with the desk bench's builder
(``bench/desk.py``: the bulk importer, one registration per group, 100 consultants), then 60
consultants signed in at the desk (``queue`` ``sign_in`` facts) and 8 front-desk logins. The
site is served as it ships (``guishu serve --no-demo``: gunicorn, the machine's sizing), then:

- next customer: 8 client threads, each signed in over HTTP as its own front desk (the login
  page, its CSRF token, a kept-open connection), press "next customer" (``POST
  /s/bench/rotation/next/``, a fresh press key each time) and, right after each answer, send
  ``back`` for the consultant it assigned (``POST .../rotation/change/``), so the queue never
  empties; 2,000 timed presses after a warm-up — p50 / p99 and presses/s (one desk alone
  first, 200 presses: the service time without the queueing). The baseline, in the
  same run: raw SQLite ``BEGIN IMMEDIATE; INSERT; COMMIT`` at synchronous=FULL, one commit
  after another, before and after the load — p50 / p99 per commit, and next-customer p99 ÷ raw
  commit p99;
- the wall board: Debian's chromium (Playwright) opens ``/board/<token>/``; 100 times, after a
  random pause (so a change falls anywhere in the board's 1 s poll), a queue change that moves
  who is up is appended in-process (a ``break`` of the one up, then his ``back``), and the time
  from just before the append to the change of ``[data-up]`` in the page is taken — p50 / p99
  / max, with the append's own time.

    .venv/bin/python bench/rotation.py --groups 1000000
    .venv/bin/python bench/rotation.py --groups 1000000 --reuse   # serve the site built before

The 1M build takes ~8 minutes on this machine; ``--reuse`` serves the site an earlier run left
in bench/out/rotation-N/ (its earlier receptions stay in the record, and any consultant an
interrupted run left with a customer is sent back first). The result is printed as one JSON
line and kept in bench/out/rotation-N.json.
"""

from __future__ import annotations

import argparse
import hashlib
import http.client
import json
import os
import random
import re
import secrets
import sqlite3
import statistics
import subprocess
import sys
import threading
import time
from datetime import UTC, datetime
from http.cookies import SimpleCookie
from pathlib import Path
from typing import Any
from urllib.parse import urlencode

sys.path.insert(0, str(Path(__file__).resolve().parent))
import desk as desk_bench  # bench/desk.py: the site builder and the server

CHROMIUM = "/usr/bin/chromium"
CONSULTANTS = 60  # signed in at the desk, of the site's 100
CLIENTS = 8
PRESSES = 2000  # timed, over all clients
WARM = 15  # untimed presses per client first (each worker's engine replays the record)
BOARD_CHANGES = 100
PASSWORD = "bench-password-1"  # noqa: S105
ASSIGNED = re.compile(r"由\s*(\S+?)\s*接待")


def raw_commit_latencies(path: Path, n: int) -> list[float]:
    """The baseline: one durable single-row commit after another (WAL, synchronous=FULL), each
    timed (bench/desk.py's ``raw_sqlite_rate`` gives the rate only)."""
    db = sqlite3.connect(path, isolation_level=None)
    db.execute("PRAGMA journal_mode=WAL")
    db.execute("PRAGMA synchronous=FULL")
    db.execute("CREATE TABLE IF NOT EXISTS t (id INTEGER PRIMARY KEY, payload TEXT)")
    out = []
    for i in range(n):
        t = time.perf_counter()
        db.execute("BEGIN IMMEDIATE")
        db.execute("INSERT INTO t (payload) VALUES (?)", (json.dumps({"i": i, "kind": "reception"}),))
        db.execute("COMMIT")
        out.append(time.perf_counter() - t)
    db.close()
    return out


class Desk:
    """One front desk: its own login, session and kept-open connection to the server."""

    def __init__(self, port: int, username: str) -> None:
        self.c = http.client.HTTPConnection("127.0.0.1", port, timeout=600)
        self.cookies: dict[str, str] = {}
        self.reconnects = 0
        self.sign_in(username)

    def _request(self, method: str, path: str, body: str | None = None, headers: dict[str, str] | None = None) -> Any:
        h = {"Cookie": "; ".join(f"{k}={v}" for k, v in self.cookies.items()), **(headers or {})}
        try:
            self.c.request(method, path, body=body, headers=h)
            response = self.c.getresponse()
        except (BrokenPipeError, ConnectionResetError, http.client.RemoteDisconnected):
            # gunicorn closes a connection idle for 5 s (keepalive): while a cold worker replays
            # the record, a waiting desk's may be closed; open it again (counted)
            self.reconnects += 1
            self.c.close()
            self.c.connect()
            self.c.request(method, path, body=body, headers=h)
            response = self.c.getresponse()
        text = response.read().decode()
        for value in response.headers.get_all("Set-Cookie") or []:
            jar: SimpleCookie = SimpleCookie()
            jar.load(value)
            for k, morsel in jar.items():
                self.cookies[k] = morsel.value
        return response.status, text

    def sign_in(self, username: str) -> None:
        """As a person would: the login page, its CSRF token, the password."""
        status, page = self._request("GET", "/accounts/login/")
        assert status == 200, status
        token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page)
        assert token is not None
        body = urlencode({"username": username, "password": PASSWORD, "csrfmiddlewaretoken": token.group(1)})
        status, _ = self._request(
            "POST", "/accounts/login/", body, {"Content-Type": "application/x-www-form-urlencoded"}
        )
        assert status == 302 and "sessionid" in self.cookies, (status, self.cookies.keys())

    def post(self, path: str, fields: dict[str, str]) -> tuple[int, str]:
        """A form posted as htmx posts it: the CSRF cookie's secret in X-CSRFToken."""
        headers = {
            "X-CSRFToken": self.cookies["csrftoken"],
            "Content-Type": "application/x-www-form-urlencoded",
            "HX-Request": "true",
        }
        status, text = self._request("POST", path, urlencode(fields), headers)
        return status, text

    def press(self) -> tuple[int, str]:
        key = secrets.token_urlsafe(12)  # 16 characters of [A-Za-z0-9_-]
        return self.post("/s/bench/rotation/next/", {"key": key, "been_here": "no", "purpose": "enquiry"})

    def back(self, staff: str) -> int:
        status, _ = self.post("/s/bench/rotation/change/", {"action": "back", "staff": staff})
        return status


def wait_for_server(port: int) -> None:
    for _ in range(1200):
        try:
            c = http.client.HTTPConnection("127.0.0.1", port, timeout=5)
            c.request("GET", "/accounts/login/")
            c.getresponse().read()
            c.close()
            return
        except OSError:
            time.sleep(0.5)
    raise RuntimeError("the server did not start")


def next_customer_load(
    port: int, staff_of: dict[str, str], clients: int = CLIENTS, presses: int = PRESSES, warm: int = WARM
) -> dict[str, Any]:
    desks = [Desk(port, f"fd{i}") for i in range(clients)]
    lat: list[list[float]] = [[] for _ in desks]
    backs: list[list[float]] = [[] for _ in desks]
    refused: list[int] = [0] * clients
    errors: list[str] = []
    start = threading.Barrier(clients + 1)
    per = presses // clients

    def run(i: int) -> None:
        d = desks[i]
        try:
            for n in range(warm + per):
                if n == warm:
                    start.wait()
                t = time.perf_counter()
                status, text = d.press()
                took = time.perf_counter() - t
                if status == 409:  # nobody ready: counted, and the press is not a sample
                    refused[i] += 1
                    time.sleep(0.01)
                    continue
                assert status == 200, (status, text[:300])
                found = ASSIGNED.search(text)
                assert found is not None, text[:300]
                staff = staff_of[found.group(1)]
                if n >= warm:
                    lat[i].append(took)
                t = time.perf_counter()
                status = d.back(staff)
                if n >= warm:
                    backs[i].append(time.perf_counter() - t)
                assert status == 200, status
        except Exception as exc:  # reported, and the run fails below
            errors.append(f"desk {i}: {exc!r}")
            start.abort()

    threads = [threading.Thread(target=run, args=(i,)) for i in range(clients)]
    for th in threads:
        th.start()
    start.wait()
    t0 = time.perf_counter()
    for th in threads:
        th.join()
    wall = time.perf_counter() - t0
    if errors:
        raise RuntimeError("; ".join(errors))
    samples = [x for block in lat for x in block]
    back = [x for block in backs for x in block]
    return {
        "presses": len(samples),
        "refused_409": sum(refused),
        "next_p50_ms": round(desk_bench.pct(samples, 0.5), 2),
        "next_p99_ms": round(desk_bench.pct(samples, 0.99), 2),
        "next_max_ms": round(max(samples) * 1000, 2),
        "back_p50_ms": round(desk_bench.pct(back, 0.5), 2),
        "back_p99_ms": round(desk_bench.pct(back, 0.99), 2),
        "presses_per_s": round(len(samples) / wall, 1),
        "reconnects": sum(d.reconnects for d in desks),
        "writes_per_s": round((len(samples) + len(back)) / wall, 1),
        "_samples": samples,
    }


def board_latency(port: int, token: str, project: Any) -> dict[str, Any]:
    """100 changes of who is up, each timed from just before its append to the board's DOM."""
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"  # the ORM beside Playwright's event loop
    from playwright.sync_api import sync_playwright

    from guishu.record.actions import append_fact
    from guishu.rotation import selectors

    rng = random.Random(14)
    changed = "prev => { const e = document.querySelector('[data-up]'); return e && e.textContent.trim() !== prev; }"
    lat, appends = [], []
    with sync_playwright() as p:
        browser = p.chromium.launch(
            executable_path=CHROMIUM,
            args=[
                "--no-sandbox",
                "--disable-gpu",
                "--disable-background-networking",
                "--disable-component-update",
                "--disable-sync",
                "--no-first-run",
            ],
        )
        page = browser.new_context(viewport={"width": 1280, "height": 800}).new_page()
        page.goto(f"http://127.0.0.1:{port}/board/{token}/")
        page.wait_for_selector("[data-up]")
        time.sleep(2.5)  # a few polls: the board shows the queue as it stands
        away = ""
        for k in range(BOARD_CHANGES):
            shown = page.inner_text("[data-up]").strip()
            up = next((x for x in selectors.board(project).lines if x.up), None)
            assert up is not None and up.name == shown, (shown, up)
            time.sleep(rng.uniform(0.0, 1.2))
            if k % 2 == 0:
                data = {"kind": "queue", "action": "break", "staff": up.staff}
                away = up.staff
            else:
                data = {"kind": "queue", "action": "back", "staff": away}
            t0 = time.perf_counter()
            append_fact(project=project, data=data)
            t1 = time.perf_counter()
            page.wait_for_function(changed, arg=shown, polling=5, timeout=15000)
            lat.append(time.perf_counter() - t0)
            appends.append(t1 - t0)
        browser.close()
    return {
        "board_changes": len(lat),
        "board_p50_ms": round(desk_bench.pct(lat, 0.5)),
        "board_p99_ms": round(desk_bench.pct(lat, 0.99)),
        "board_max_ms": round(max(lat) * 1000),
        "board_append_p50_ms": round(desk_bench.pct(appends, 0.5), 2),
        "board_append_max_ms": round(max(appends) * 1000, 2),
    }


def reused_site(groups: int) -> Path:
    """The site an earlier run built in bench/out/rotation-N/, with Django set up for it."""
    data = desk_bench.OUT / f"rotation-{groups}"
    os.environ["GUISHU_DATA_DIR"] = str(data)
    os.environ["DJANGO_SETTINGS_MODULE"] = "guishu.web.settings"
    import django

    django.setup()
    return data


def run_one(groups: int, *, reuse: bool = False) -> dict[str, Any]:
    from_before = reuse and (desk_bench.OUT / f"rotation-{groups}" / "guishu.sqlite3").exists()
    data = reused_site(groups) if from_before else desk_bench.fresh_site(f"rotation-{groups}")
    from django.contrib.auth.models import User

    from guishu.record import engines
    from guishu.record.actions import append_fact, create_project
    from guishu.record.bulk import bulk_import
    from guishu.record.models import Project
    from guishu.rotation.models import BoardLink

    result: dict[str, Any] = {"groups": groups}
    if from_before:
        project = Project.objects.get(code="bench")
        manager = User.objects.get(username="zhaoliu")
        result["reused_site"] = True
        # a desk of an interrupted run may have left its consultant with a customer
        live = engines.live_engine(project)
        with live.lock:
            busy = [x.staff for x in live.engine.queue.view(datetime.now(UTC)).lines if x.status != "ready"]
        for staff in busy:
            append_fact(project=project, data={"kind": "queue", "action": "back", "staff": staff})
    else:
        project = create_project(code="bench", name="bench", policy="s8")
        t0 = time.perf_counter()
        bulk_import(project, desk_bench.site_facts(groups))  # type: ignore[arg-type]
        result["build_s"] = round(time.perf_counter() - t0, 1)
        manager = User.objects.create_user(username="zhaoliu", password=PASSWORD)
        append_fact(
            project=project, data={"kind": "staff_joined", "staff": "zhaoliu", "name": "赵六", "role": "manager"}
        )
        for i in range(CLIENTS):
            User.objects.create_user(username=f"fd{i}", password=PASSWORD)
            append_fact(
                project=project,
                data={"kind": "staff_joined", "staff": f"fd{i}", "name": f"前台{i}", "role": "front_desk"},
            )
        for i in range(CONSULTANTS):
            append_fact(
                project=project, data={"kind": "queue", "action": "sign_in", "staff": f"c{i:03d}", "confirmed": "desk"}
            )
    token = secrets.token_urlsafe(24)
    BoardLink.objects.create(
        project=project, digest=hashlib.sha256(token.encode()).hexdigest(), label="bench", made_by=manager
    )
    staff_of = {f"顾问{i}": f"c{i:03d}" for i in range(100)}

    raw = raw_commit_latencies(data / "raw.sqlite3", 1000)
    port = desk_bench.free_port()
    server = desk_bench.serve(port)
    try:
        wait_for_server(port)
        # one desk alone first (it also warms both workers' engines): the service time without
        # the queueing of 8 desks on 2 cores
        alone = next_customer_load(port, staff_of, clients=1, presses=200, warm=WARM)
        alone.pop("_samples")
        result["one_desk"] = {k: v for k, v in alone.items() if k.startswith(("next_", "back_", "presses"))}
        t0 = time.perf_counter()
        load = next_customer_load(port, staff_of)
        result["load_s"] = round(time.perf_counter() - t0, 1)
        raw += raw_commit_latencies(data / "raw.sqlite3", 1000)
        samples = load.pop("_samples")
        result.update(load)
        result["raw_commit_p50_ms"] = round(desk_bench.pct(raw, 0.5), 3)
        result["raw_commit_p99_ms"] = round(desk_bench.pct(raw, 0.99), 3)
        result["next_p99_vs_raw_p99"] = round(desk_bench.pct(samples, 0.99) / desk_bench.pct(raw, 0.99), 1)
        result["next_p50_vs_raw_p50"] = round(desk_bench.pct(samples, 0.5) / desk_bench.pct(raw, 0.5), 1)
        result.update(board_latency(port, token, project))
    finally:
        server.terminate()
        server.wait()
    result["raw_commits_per_s"] = round(len(raw) / sum(raw))
    result["raw_commit_median_of_halves_ms"] = [
        round(statistics.median(raw[:1000]) * 1000, 3),
        round(statistics.median(raw[1000:]) * 1000, 3),
    ]
    return result


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--groups", default="1000000", help="sizes, comma-separated, each in a fresh process")
    ap.add_argument("--reuse", action="store_true", help="serve the site an earlier run built, if there is one")
    ap.add_argument("--one", type=int, help=argparse.SUPPRESS)
    args = ap.parse_args()
    if args.one:
        print(json.dumps(run_one(args.one, reuse=args.reuse), ensure_ascii=False), flush=True)
        return
    desk_bench.OUT.mkdir(parents=True, exist_ok=True)
    for n in (int(x) for x in args.groups.split(",")):
        out = subprocess.run(  # noqa: S603
            [sys.executable, __file__, "--one", str(n), *(["--reuse"] if args.reuse else [])],
            check=True,
            stdout=subprocess.PIPE,
            text=True,
        ).stdout
        line = out.strip().splitlines()[-1]
        (desk_bench.OUT / f"rotation-{n}.json").write_text(line + "\n")
        print(line, flush=True)


if __name__ == "__main__":
    main()
