"""Every WebSocket route of the site lives under /ws/."""

from django.urls import path

from governance.consumers import CommunityTopicsConsumer, TopicConsumer
from home.consumers import NotificationConsumer

websocket_urlpatterns = [
    path("ws/notifications/", NotificationConsumer.as_asgi()),
    path("ws/discussions/topics/<int:topic_id>/", TopicConsumer.as_asgi()),
    path("ws/discussions/communities/<int:community_id>/", CommunityTopicsConsumer.as_asgi()),
]
