"""The shipped server: gunicorn, with worker processes and threads suited to the machine.

Several worker processes are safe: each keeps its own engines and catches up from the record
(``record.engines``), and appends queue on one writer path across processes
(``record.writer``). The access log names the path without its query string, so a phone
typed into a lookup never reaches a log line.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from typing import Any

from gunicorn.app.base import BaseApplication

# method, path (no query), status, bytes, milliseconds; the client address first
ACCESS_LOG_FORMAT = '%(h)s "%(m)s %(U)s" %(s)s %(B)s %(M)sms'


@dataclass(frozen=True)
class Sizing:
    workers: int
    threads: int


def sizing(cores: int | None = None) -> Sizing:
    """One worker process per core (at least two, so one busy worker never stops the site) and
    a few threads each: requests spend much of their time waiting on the database's fsync."""
    n = cores if cores is not None else len(os.sched_getaffinity(0))
    return Sizing(workers=max(2, min(n, 8)), threads=4)


class GuishuServer(BaseApplication):  # type: ignore[misc]
    def __init__(self, options: dict[str, Any]) -> None:
        self.options = options
        super().__init__()

    def load_config(self) -> None:
        for key, value in self.options.items():
            self.cfg.set(key, value)

    def load(self) -> Any:
        from guishu.web.wsgi import application

        return application


def serve(addr: str, *, workers: int, threads: int, data_dir: str) -> None:
    """Run gunicorn in the foreground until it is stopped (Ctrl-C, SIGTERM)."""
    options: dict[str, Any] = {
        "bind": addr,
        "workers": workers,
        "threads": threads,
        "worker_class": "gthread",
        "keepalive": 5,
        "timeout": 60,
        "graceful_timeout": 20,
        "accesslog": "-",
        "errorlog": "-",
        "access_log_format": ACCESS_LOG_FORMAT,
        "proc_name": "guishu",
        # gunicornc's socket beside the data it serves, so two instances never share one
        "control_socket": os.path.join(data_dir, "gunicorn.ctl"),
        "forwarded_allow_ips": os.environ.get("GUISHU_FORWARDED_ALLOW_IPS", "127.0.0.1,::1"),
    }
    GuishuServer(options).run()
