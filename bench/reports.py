"""Channel report ingestion over HTTP: 16 concurrent clients against gunicorn (issue 4).

A fresh SQLite site (bench/out/reports/), 20 channels each with an API key, then 16 client
threads POST /api/v1/reports with distinct masked phones over keep-alive connections for a
fixed count. Reports throughput and p50/p99 latency, and, as the baseline measured in the same
run, raw SQLite durable commits (BEGIN IMMEDIATE; INSERT; COMMIT at synchronous=FULL).

    .venv/bin/python bench/reports.py --clients 16 --requests 6400 --workers 2 --threads 8
"""

from __future__ import annotations

import argparse
import http.client
import json
import sys
import threading
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from desk import free_port, fresh_site, pct, raw_sqlite_rate, serve


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--clients", type=int, default=16)
    ap.add_argument("--requests", type=int, default=6400)
    ap.add_argument("--workers", type=int, default=2)
    ap.add_argument("--threads", type=int, default=8, help="threads per worker")
    args = ap.parse_args()
    data = fresh_site("reports")
    from guishu.api import keys as api_keys
    from guishu.record.actions import append_fact, create_project

    project = create_project(code="reports", name="reports", policy="s6")
    for i in range(20):  # a key works only for an agent on the site's staff
        append_fact(project=project, data={"kind": "channel_joined", "channel": f"ch{i}", "name": f"ch{i}"})
        append_fact(
            project=project,
            data={"kind": "staff_joined", "staff": f"a{i}", "name": f"a{i}", "role": "agent", "channel": f"ch{i}"},
        )
    keys = [api_keys.issue(project=project, agent=f"a{i}", channel=f"ch{i}")[1] for i in range(20)]
    port = free_port()
    server = serve(port, workers=args.workers, threads=args.threads)
    latencies: list[float] = []
    statuses: dict[int, int] = {}
    lock = threading.Lock()
    per_client = args.requests // args.clients

    def client(c: int) -> None:
        conn = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
        for i in range(per_client):
            n = c * per_client + i
            digits = f"139{n:08d}"
            body = json.dumps({"name": "客户", "gender": "F", "phone": f"{digits[:4]}**{digits[-5:]}"})
            headers = {"Authorization": f"Bearer {keys[n % 20]}", "Content-Type": "application/json"}
            t = time.perf_counter()
            conn.request("POST", "/api/v1/reports", body=body, headers=headers)
            response = conn.getresponse()
            response.read()
            with lock:
                latencies.append(time.perf_counter() - t)
                statuses[response.status] = statuses.get(response.status, 0) + 1

    try:
        for _ in range(200):
            try:
                probe = http.client.HTTPConnection("127.0.0.1", port, timeout=5)
                probe.request("GET", "/api/v1/openapi.json")
                probe.getresponse().read()
                break
            except OSError:
                time.sleep(0.1)
        threads = [threading.Thread(target=client, args=(c,)) for c in range(args.clients)]
        start = time.perf_counter()
        for th in threads:
            th.start()
        for th in threads:
            th.join()
        elapsed = time.perf_counter() - start
    finally:
        server.terminate()
        server.wait()
    raw = raw_sqlite_rate(data / "raw.sqlite3")
    print(
        json.dumps(
            {
                "clients": args.clients,
                "workers": args.workers,
                "threads": args.threads,
                "requests": len(latencies),
                "statuses": statuses,
                "reports_per_s": round(len(latencies) / elapsed),
                "p50_ms": round(pct(latencies, 0.5), 1),
                "p99_ms": round(pct(latencies, 0.99), 1),
                "raw_sqlite_commits_per_s": round(raw),
            }
        )
    )


if __name__ == "__main__":
    main()
