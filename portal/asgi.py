"""ASGI entry point: pages over HTTP and live updates over WebSocket at /ws/."""

import gc
import os

from django.core.asgi import get_asgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "portal.settings.dev")
django_asgi_app = get_asgi_application()

from channels.auth import AuthMiddlewareStack  # noqa: E402
from channels.routing import ProtocolTypeRouter, URLRouter  # noqa: E402
from channels.security.websocket import AllowedHostsOriginValidator  # noqa: E402

from portal.routing import websocket_urlpatterns  # noqa: E402

application = ProtocolTypeRouter(
    {
        "http": django_asgi_app,
        "websocket": AllowedHostsOriginValidator(AuthMiddlewareStack(URLRouter(websocket_urlpatterns))),
    }
)

# Everything loaded so far (Django, Wagtail, the project) lives as long as the process: keep it out of the
# cyclic garbage collector's full passes, which otherwise stop the server for 100 ms and more now and then
# (bench/discussions_ws.py: p99 delivery from ~190 ms to ~50–80 ms with 200 sockets).
gc.collect()
gc.freeze()
