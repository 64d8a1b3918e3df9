"""Live 议事厅 over WebSocket (issue 4): new and changed posts of one topic, and changed rows of a community's
topic list. The events come from governance.services.discussions_live, sent once the writer's transaction
commits; every subscriber of a group gets the same fragment, rendered once per event.

Who may subscribe: the community's members (can_take_part_in_discussions: any role in THAT community) and
bureau staff. Anyone else is refused, even for a public topic: public topics are read as plain pages.
Refusals happen after the handshake, so the browser sees the code (and stops reconnecting). Close codes:
4401 not signed in, 4403 not allowed (or no such topic or community: we do not say which),
4429 sent more than its token bucket allows.

Client messages (JSON objects): {"type": "ping"} → {"type": "pong"}; on a topic socket
{"type": "catch_up", "after": <post id>} → the posts newer than that id, each as a "post.created" message
marked "catch_up": true (a page that is not the last one tells missed posts from later pages' posts by it).
Anything else, or anything malformed, is ignored.
"""

import asyncio
import json
import logging
import time

from channels.db import database_sync_to_async
from channels.generic.websocket import AsyncJsonWebsocketConsumer

from governance.domain.discussions import TokenBucket
from governance.permissions import can_take_part_in_discussions
from governance.services import discussions_live as live
from home.permissions import forget_roles, is_bureau_staff

logger = logging.getLogger(__name__)

CLOSE_UNAUTHENTICATED = 4401
CLOSE_FORBIDDEN = 4403
CLOSE_FLOODING = 4429

# Every frame a client sends costs one token: 20 at once, 5 a second after that. A browser sends one
# catch_up per connection and a ping now and then, so only a misbehaving client ever runs dry.
MESSAGE_RATE, MESSAGE_BURST = 5.0, 20.0
# A catch-up reads and renders up to CATCH_UP_LIMIT posts: a few at once, then one every 2 seconds; more
# are ignored (the client still has the live stream), not punished.
CATCH_UP_RATE, CATCH_UP_BURST = 0.5, 3.0
MAX_FRAME_CHARS = 4096
HUB_REFRESH_SECONDS = 3600
# A socket's access is checked again this often: a resident who moved out, or a member whose role was taken
# away, stops receiving within minutes instead of at their next reconnection.
ACCESS_RECHECK_SECONDS = 300


class _Hub:
    """The one subscriber of a group in this process (and event loop): it receives each event from the channel
    layer once, turns it into JSON text once, and hands that text to every local socket of the group.

    With 200 sockets on a topic, a group_send otherwise costs 200 layer messages (deep-copied by the in-memory
    layer, which also sweeps all its channels on each receive; 200 Redis round trips with channels_redis),
    200 consumer dispatches (each with a thread hop to close stale DB connections) and 200 JSON encodings.
    Through the hub it is one of each, then one frame write per socket, in the order the events came."""

    _hubs: dict = {}

    def __init__(self, layer, group: str):
        self.layer, self.group = layer, group
        self.consumers: list = []
        self.joined = asyncio.Event()
        self.channel = None
        loop = asyncio.get_running_loop()
        self.task = loop.create_task(self._run())
        self.refresher = loop.create_task(self._refresh())

    @classmethod
    async def join(cls, consumer, group: str) -> None:
        key = (asyncio.get_running_loop(), group)
        hub = cls._hubs.get(key)
        if hub is None:
            hub = cls._hubs[key] = cls(consumer.channel_layer, group)
        hub.consumers.append(consumer)
        await hub.joined.wait()

    @classmethod
    async def leave(cls, consumer, group: str) -> None:
        key = (asyncio.get_running_loop(), group)
        hub = cls._hubs.get(key)
        if hub is None or consumer not in hub.consumers:
            return
        hub.consumers.remove(consumer)
        if not hub.consumers:
            del cls._hubs[key]
            hub.task.cancel()
            hub.refresher.cancel()
            if hub.channel is not None:
                await hub.layer.group_discard(hub.group, hub.channel)

    async def _refresh(self):
        """Layers drop a group member after a day (group_expiry); a hub may live longer than any one socket."""
        await self.joined.wait()
        while True:
            await asyncio.sleep(HUB_REFRESH_SECONDS)
            try:
                await self.layer.group_add(self.group, self.channel)
            except asyncio.CancelledError:
                raise
            except Exception:
                logger.exception("Renewing %s failed", self.group)

    async def _run(self):
        try:
            self.channel = await self.layer.new_channel()
            await self.layer.group_add(self.group, self.channel)
        finally:
            self.joined.set()
        while True:
            try:
                event = await self.layer.receive(self.channel)
            except asyncio.CancelledError:
                raise
            except Exception:  # the layer's outage costs the live push, not the sockets; try again
                logger.exception("Receiving on %s failed", self.group)
                await asyncio.sleep(1)
                continue
            if event.get("type") not in _FORWARDED:
                continue
            text = json.dumps({"type": event["type"], **(event.get("payload") or {})})
            for consumer in list(self.consumers):
                try:
                    await consumer.send(text_data=text)
                except Exception:
                    logger.exception("Sending to a socket of %s failed", self.group)


_FORWARDED = {"post.created", "post.changed", "topic.changed"}


def _forget_cached_access(user) -> None:
    """The request-scoped caches of roles and bureau membership live as long as the socket: drop them."""
    forget_roles(user)
    if hasattr(user, "_is_bureau_cache"):
        del user._is_bureau_cache


def _may_subscribe(user, community_id: int) -> bool:
    return is_bureau_staff(user) or can_take_part_in_discussions(user, community_id)


@database_sync_to_async
def _topic_community(user, topic_id: int) -> int | None:
    """The topic's community when the user may follow the topic live, else None."""
    from governance.models import Topic

    community_id = Topic.objects.filter(pk=topic_id).values_list("community_id", flat=True).first()
    if community_id is None or not _may_subscribe(user, community_id):
        return None
    return community_id


@database_sync_to_async
def _community_allowed(user, community_id: int) -> bool:
    from home.models import CommunityPage

    return CommunityPage.objects.filter(pk=community_id).exists() and _may_subscribe(user, community_id)


class _DiscussionConsumer(AsyncJsonWebsocketConsumer):
    group_name: str | None = None
    refused = False

    async def connect(self):
        self.bucket = TokenBucket(rate=MESSAGE_RATE, burst=MESSAGE_BURST)
        user = self.scope.get("user")
        if user is None or not user.is_authenticated:
            await self._refuse(CLOSE_UNAUTHENTICATED)
            return
        group = await self.admit(user)
        if group is None:
            await self._refuse(CLOSE_FORBIDDEN)
            return
        self.group_name = group
        await self.accept()
        await _Hub.join(self, group)
        self.access_check = asyncio.get_running_loop().create_task(self._recheck_access(user))

    async def _recheck_access(self, user):
        while self.group_name is not None:
            await asyncio.sleep(ACCESS_RECHECK_SECONDS)
            await database_sync_to_async(_forget_cached_access)(user)
            if self.group_name is not None and await self.admit(user) is None:
                self.refused = True
                await self._leave()
                await self.close(code=CLOSE_FORBIDDEN)
                return

    async def _refuse(self, code: int):
        """Accept, then close with the code: a close before the handshake reaches a browser only as a failed
        handshake (1006), and the page must tell "sign in again" from "try again later"."""
        self.refused = True
        await self.accept()
        await self.close(code=code)

    async def admit(self, user) -> str | None:
        """The group to join, or None to refuse."""
        raise NotImplementedError

    async def disconnect(self, code):
        check = getattr(self, "access_check", None)
        if check is not None and check is not asyncio.current_task():
            check.cancel()
        await self._leave()

    async def _leave(self):
        if self.group_name:
            group, self.group_name = self.group_name, None
            await _Hub.leave(self, group)

    # ---------------------------------------------------------------- from the client

    async def receive(self, text_data=None, bytes_data=None, **kwargs):
        if self.refused or self.group_name is None:
            return
        if not self.bucket.take(time.monotonic()):
            # Stop sending to it first, so a flooding client costs the group nothing more.
            self.refused = True
            await self._leave()
            await self.close(code=CLOSE_FLOODING)
            return
        if text_data is None or len(text_data) > MAX_FRAME_CHARS:
            return
        try:
            content = json.loads(text_data)
        except ValueError:
            return
        if isinstance(content, dict) and isinstance(content.get("type"), str):
            await self.receive_json(content)

    async def receive_json(self, content, **kwargs):
        if content["type"] == "ping":
            await self.send_json({"type": "pong"})

    # ---------------------------------------------------------------- from the channel layer
    # Events normally arrive through the process's _Hub; these handlers serve an event sent to this
    # consumer's own channel.

    async def _forward(self, event):
        if self.group_name is None:
            return
        payload = event.get("payload") or {}
        await self.send_json({"type": event["type"], **payload})

    async def post_created(self, event):
        await self._forward(event)

    async def post_changed(self, event):
        await self._forward(event)

    async def topic_changed(self, event):
        await self._forward(event)


class TopicConsumer(_DiscussionConsumer):
    """/ws/discussions/topics/<topic_id>/: the posts of one topic as they are written, changed or hidden."""

    async def admit(self, user):
        self.topic_id = int(self.scope["url_route"]["kwargs"]["topic_id"])
        self.catch_up_bucket = TokenBucket(rate=CATCH_UP_RATE, burst=CATCH_UP_BURST)
        community_id = await _topic_community(user, self.topic_id)
        return None if community_id is None else live.topic_group(self.topic_id)

    async def receive_json(self, content, **kwargs):
        if content["type"] == "catch_up":
            after = content.get("after")
            if isinstance(after, bool) or not isinstance(after, int) or after < 0:
                return
            if not self.catch_up_bucket.take(time.monotonic()):
                return
            for payload in await database_sync_to_async(live.posts_after)(self.topic_id, after):
                if self.group_name is None:
                    return
                await self.send_json({"type": "post.created", **payload, "catch_up": True})
            return
        await super().receive_json(content, **kwargs)


class CommunityTopicsConsumer(_DiscussionConsumer):
    """/ws/discussions/communities/<community_id>/: rows of the community's topic list as topics change."""

    async def admit(self, user):
        community_id = int(self.scope["url_route"]["kwargs"]["community_id"])
        if not await _community_allowed(user, community_id):
            return None
        return live.community_topics_group(community_id)
