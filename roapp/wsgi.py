"""WSGI entry point: `granian --interface wsgi roapp.wsgi:application` (docs/operations.md)."""

import gc
import os

from django.conf import settings
from django.core.handlers.wsgi import WSGIHandler
from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "roapp.settings")
site = get_wsgi_application()


def _hooks_handler():
    """A second Django handler, built with settings.HOOKS_MIDDLEWARE instead of MIDDLEWARE.

    Django reads MIDDLEWARE once, when a handler is built, so the list is swapped for that moment only
    (at import, before any request). Everything else (URLs, views, database connections, signals) is shared.
    """
    browser = settings.MIDDLEWARE
    settings.MIDDLEWARE = settings.HOOKS_MIDDLEWARE
    try:
        return WSGIHandler()
    finally:
        settings.MIDDLEWARE = browser


hooks = _hooks_handler()


def application(environ, start_response):
    handler = hooks if environ.get("PATH_INFO", "").startswith("/hooks/") else site
    return handler(environ, start_response)


# Everything loaded so far (Django, the apps, ~100k objects) lives as long as the process. Freezing it
# keeps the garbage collector's full passes, which stop every thread of the worker, from re-scanning it
# on every pass: they took ~40 ms each, a visible tail in webhook latency (bench.webhooks).
gc.freeze()
