"""WSGI entry point (gunicorn guishu.web.wsgi)."""

import os
import sys

from django.core.wsgi import get_wsgi_application

from guishu import collector

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "guishu.web.settings")
application = get_wsgi_application()

# The process holds each project's engine: many long-lived, acyclic objects. A larger young
# generation keeps the cyclic collector from re-walking them on every few requests.
collector.tune()

# Appends are serialised by one writer lock whose holder spends most of its time in fsync,
# with the GIL released. Python's default 5 ms switch interval then keeps the holder waiting
# to take the GIL back from request threads after every commit, stretching the one critical
# section every write queues on; a shorter interval hands it back promptly (bench/reports.py).
sys.setswitchinterval(0.0005)
