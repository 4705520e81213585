"""WSGI entry point (gunicorn guishu.web.wsgi)."""

import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "guishu.web.settings")
application = get_wsgi_application()
