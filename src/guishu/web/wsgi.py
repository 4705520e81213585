"""WSGI entry point (gunicorn guishu.web.wsgi)."""

import gc
import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "guishu.web.settings")
application = get_wsgi_application()

# The process holds each project's engine: many long-lived, acyclic objects. A larger young
# generation keeps the cyclic collector from re-walking them on every few requests.
gc.set_threshold(100_000, 50, 100)
