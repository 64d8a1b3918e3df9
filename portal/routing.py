"""Every WebSocket route of the site lives under /ws/."""

from django.urls import path

from home.consumers import NotificationConsumer

websocket_urlpatterns = [
    path("ws/notifications/", NotificationConsumer.as_asgi()),
]
