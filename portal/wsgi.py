"""WSGI entry point for page workers (gunicorn) in the scale-out shape."""

import gc
import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "portal.settings.production")
application = get_wsgi_application()

# As in portal/asgi.py: what is loaded at start stays out of the garbage collector's full passes.
gc.collect()
gc.freeze()
