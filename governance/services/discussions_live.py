"""Live push of the 议事厅 over WebSocket (governance.consumers). Called by the writers in
governance.services.discussions through `transaction.on_commit`, so nobody sees a post that was rolled back.

Everyone in a group gets the same fragment, rendered once per event without per-viewer controls; a reload
shows a viewer's own controls (edit, hide). A channel-layer outage only costs the live push."""

import logging

from asgiref.sync import async_to_sync
from channels.layers import get_channel_layer
from django.template.loader import render_to_string

logger = logging.getLogger(__name__)

CATCH_UP_LIMIT = 100


def topic_group(topic_id: int) -> str:
    return f"topic-{topic_id}"


def community_topics_group(community_id: int) -> str:
    return f"topics-{community_id}"


def post_payload(post, tally: dict | None = None) -> dict:
    html = render_to_string(
        "governance/discussions/_post.html", {"post": post, "topic": post.topic, "live": True, "controls": None}
    )
    return {"id": post.pk, "parent_id": post.parent_id, "topic_id": post.topic_id, "html": html, "tally": tally}


def topic_payload(topic) -> dict:
    html = render_to_string("governance/discussions/_topic_row.html", {"topic": topic, "live": True})
    return {"id": topic.pk, "html": html, "last_activity_at": topic.last_activity_at.isoformat()}


def _send(group: str, event_type: str, payload: dict) -> None:
    layer = get_channel_layer()
    if layer is None:
        return
    try:
        async_to_sync(layer.group_send)(group, {"type": event_type, "payload": payload})
    except Exception:
        logger.exception("Live push to %s failed", group)


def _post(post_id: int):
    from governance.models import Post

    return Post.objects.select_related("topic").prefetch_related("images").filter(pk=post_id).first()


def _tally(topic) -> dict | None:
    from governance.selectors import stance_tally_of

    return stance_tally_of(topic) if topic.kind == topic.Kind.PROPOSAL else None


def post_created(post_id: int) -> None:
    post = _post(post_id)
    if post is None:
        return
    _send(topic_group(post.topic_id), "post.created", post_payload(post, _tally(post.topic)))
    topic_changed(post.topic_id)


def post_changed(post_id: int) -> None:
    post = _post(post_id)
    if post is None:
        return
    _send(topic_group(post.topic_id), "post.changed", post_payload(post, _tally(post.topic)))


def topic_changed(topic_id: int) -> None:
    from governance.models import Topic

    topic = Topic.objects.select_related("building").filter(pk=topic_id).first()
    if topic is None:
        return
    _send(community_topics_group(topic.community_id), "topic.changed", topic_payload(topic))


def posts_after(topic_id: int, after_id: int) -> list[dict]:
    """What a reconnecting client missed: posts of the topic newer than the last one it has, oldest first.
    The client drops any it already shows (by id), so overlap causes no duplicates."""
    from governance.models import Post

    posts = (
        Post.objects.filter(topic_id=topic_id, pk__gt=after_id, is_opening=False)
        .select_related("topic")
        .prefetch_related("images")
        .order_by("pk")[:CATCH_UP_LIMIT]
    )
    return [post_payload(post) for post in posts]
