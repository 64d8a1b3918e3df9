"""The live 议事厅 over WebSocket (issue 4): who may subscribe to a topic or a community's topic list, what
they receive when the writers commit, catching up after a reconnect, and a flooding client being cut off.

Through the site's own stack (origin check, session cookie, URL routes) with the in-memory channel layer.
"""

import asyncio

import pytest
from asgiref.sync import async_to_sync, sync_to_async
from channels.auth import AuthMiddlewareStack
from channels.routing import URLRouter
from channels.security.websocket import AllowedHostsOriginValidator
from channels.testing import WebsocketCommunicator
from django.conf import settings as django_settings
from django.contrib.auth.models import Group
from django.test import Client

from governance.consumers import CLOSE_FLOODING, CLOSE_FORBIDDEN, CLOSE_UNAUTHENTICATED, MESSAGE_BURST
from governance.models import Post, Topic
from governance.services.discussions import post_hide, post_reply, topic_open, topic_public_set
from home.models import CommunityRole
from tests.factories import CommunityPageFactory, UserFactory, member

Role = CommunityRole.Role
pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)

ORIGIN = b"http://testserver"


@pytest.fixture
def app(settings):
    """The site's WebSocket stack as portal.asgi builds it, with ALLOWED_HOSTS as in production (the test
    settings allow every host, which would let any Origin through)."""
    from portal.routing import websocket_urlpatterns

    settings.ALLOWED_HOSTS = ["testserver"]
    return AllowedHostsOriginValidator(AuthMiddlewareStack(URLRouter(websocket_urlpatterns)))


@pytest.fixture
def world():
    a, b = CommunityPageFactory(title="甲小区"), CommunityPageFactory(title="乙小区")
    author = member(a, Role.RESIDENT)
    topic = topic_open(actor=author, community=a, title="地下车库改造", body="大家怎么看？")
    proposal = topic_open(actor=author, community=a, title="加装电梯方案", body="请表态。", kind=Topic.Kind.PROPOSAL)
    return {
        "a": a,
        "b": b,
        "author": author,
        "reader": member(a, Role.OWNER),
        "stranger": member(b, Role.RESIDENT),
        "moderator": member(a, Role.OWNERS_COMMITTEE),
        "topic": topic,
        "proposal": proposal,
    }


def cookie_of(user) -> bytes:
    client = Client()
    client.force_login(user)
    return f"{django_settings.SESSION_COOKIE_NAME}={client.cookies[django_settings.SESSION_COOKIE_NAME].value}".encode()


def topic_path(topic) -> str:
    return f"/ws/discussions/topics/{topic.pk}/"


def community_path(community) -> str:
    return f"/ws/discussions/communities/{community.pk}/"


async def socket(app, path, user=None, origin=ORIGIN):
    headers = [(b"origin", origin)]
    if user is not None:
        headers.append((b"cookie", await sync_to_async(cookie_of)(user)))
    return WebsocketCommunicator(app, path, headers=headers)


async def close_code(communicator):
    """The close code a refused socket gets: refusals come right after the handshake, so browsers see them."""
    connected, code = await communicator.connect()
    if connected:
        output = await communicator.receive_output(timeout=2)
        assert output["type"] == "websocket.close"
        code = output.get("code")
    await communicator.wait()
    return code


async def connected(communicator):
    """Connected and subscribed: the consumer handles one message at a time, so once it answers a ping it has
    finished connecting, including joining the topic's group (a browser's catch-up covers that moment)."""
    ok, _ = await communicator.connect(timeout=3)
    assert ok
    await communicator.send_json_to({"type": "ping"})
    assert await communicator.receive_json_from(timeout=3) == {"type": "pong"}
    return communicator


def reply(topic, user, body, **kwargs):
    return post_reply(actor=user, topic=topic, body=body, **kwargs)


# --- receiving ----------------------------------------------------------------------------------------------------


def test_member_receives_a_reply_and_a_threaded_reply_when_the_writer_commits(app, world):
    topic, reader, author = world["topic"], world["reader"], world["author"]

    async def scenario():
        listener = await connected(await socket(app, topic_path(topic), reader))
        assert await listener.receive_nothing(timeout=0.1)
        first = await sync_to_async(reply)(topic, author, "车库入口太窄了")
        got_first = await listener.receive_json_from(timeout=2)
        second = await sync_to_async(reply)(topic, reader, "同意，应该拓宽", parent=first)
        got_second = await listener.receive_json_from(timeout=2)
        await listener.disconnect()
        return first, got_first, second, got_second

    first, got_first, second, got_second = async_to_sync(scenario)()
    assert got_first["type"] == "post.created"
    assert (got_first["id"], got_first["parent_id"], got_first["topic_id"]) == (first.pk, None, topic.pk)
    assert "车库入口太窄了" in got_first["html"]
    assert f'id="post-{first.pk}"' in got_first["html"]
    assert (got_second["id"], got_second["parent_id"]) == (second.pk, first.pk)
    assert "同意，应该拓宽" in got_second["html"]


def test_a_stance_reply_carries_the_new_tally(app, world):
    proposal, reader = world["proposal"], world["reader"]

    async def scenario():
        listener = await connected(await socket(app, topic_path(proposal), world["author"]))
        await sync_to_async(reply)(proposal, reader, "支持加装", stance="support")
        message = await listener.receive_json_from(timeout=2)
        await listener.disconnect()
        return message

    message = async_to_sync(scenario)()
    assert message["tally"] == {"support": 1, "oppose": 0, "neutral": 0}


def test_the_topic_list_socket_receives_the_changed_row(app, world):
    topic = world["topic"]

    async def scenario():
        listener = await connected(await socket(app, community_path(world["a"]), world["reader"]))
        await sync_to_async(reply)(topic, world["author"], "顶一下")
        message = await listener.receive_json_from(timeout=2)
        await listener.disconnect()
        return message

    message = async_to_sync(scenario)()
    assert message["type"] == "topic.changed"
    assert message["id"] == topic.pk
    assert f'id="topic-{topic.pk}"' in message["html"]
    assert message["last_activity_at"]


def test_bureau_staff_may_follow_a_topic_live(app, world):
    staff = UserFactory()
    staff.groups.add(Group.objects.get_or_create(name=django_settings.PORTAL_BUREAU_GROUP)[0])

    async def scenario():
        listener = await connected(await socket(app, topic_path(world["topic"]), staff))
        await sync_to_async(reply)(world["topic"], world["author"], "请住建局关注")
        message = await listener.receive_json_from(timeout=2)
        await listener.disconnect()
        return message

    assert async_to_sync(scenario)()["type"] == "post.created"


def test_a_hidden_post_is_pushed_as_the_placeholder_never_its_text(app, world):
    topic = world["topic"]
    post = reply(topic, world["author"], "这条带有人身攻击的内容")

    async def scenario():
        listener = await connected(await socket(app, topic_path(topic), world["reader"]))
        await sync_to_async(post_hide)(actor=world["moderator"], post=post, reason="人身攻击")
        message = await listener.receive_json_from(timeout=2)
        await listener.disconnect()
        return message

    message = async_to_sync(scenario)()
    assert message["type"] == "post.changed"
    assert message["id"] == post.pk
    assert f'id="post-{post.pk}"' in message["html"]
    assert "人身攻击的内容" not in message["html"]


# --- refusals -----------------------------------------------------------------------------------------------------


def test_a_member_of_another_community_is_refused_even_for_a_public_topic(app, world):
    topic, stranger = world["topic"], world["stranger"]
    topic_public_set(actor=world["moderator"], topic=topic, public=True)

    async def scenario():
        on_topic = await close_code(await socket(app, topic_path(topic), stranger))
        on_list = await close_code(await socket(app, community_path(world["a"]), stranger))
        own = await connected(await socket(app, community_path(world["b"]), stranger))
        await sync_to_async(reply)(topic, world["author"], "只给甲小区")
        nothing = await own.receive_nothing(timeout=0.3)
        await own.disconnect()
        return on_topic, on_list, nothing

    on_topic, on_list, nothing = async_to_sync(scenario)()
    assert on_topic == CLOSE_FORBIDDEN
    assert on_list == CLOSE_FORBIDDEN
    assert nothing  # their own community's list hears nothing of A's topics


def test_anonymous_visitors_are_refused(app, world):
    async def scenario():
        return (
            await close_code(await socket(app, topic_path(world["topic"]))),
            await close_code(await socket(app, community_path(world["a"]))),
        )

    assert async_to_sync(scenario)() == (CLOSE_UNAUTHENTICATED, CLOSE_UNAUTHENTICATED)


def test_a_signed_in_user_without_a_role_and_a_missing_topic_are_refused(app, world):
    nobody = UserFactory()

    async def scenario():
        return (
            await close_code(await socket(app, topic_path(world["topic"]), nobody)),
            await close_code(await socket(app, "/ws/discussions/topics/999999/", world["reader"])),
            await close_code(await socket(app, "/ws/discussions/communities/999999/", world["reader"])),
        )

    assert async_to_sync(scenario)() == (CLOSE_FORBIDDEN, CLOSE_FORBIDDEN, CLOSE_FORBIDDEN)


def test_a_foreign_origin_is_refused_before_the_session_is_looked_at(app, world):
    async def scenario():
        foreign = await socket(app, topic_path(world["topic"]), world["reader"], origin=b"https://evil.example")
        accepted, _ = await foreign.connect()
        return accepted

    assert async_to_sync(scenario)() is False


def test_the_site_application_serves_the_topic_socket_with_the_session_login(world):
    """portal.asgi itself (origin check, session middleware, routes): a member's browser cookie is enough."""
    from portal.asgi import application

    topic = world["topic"]

    async def scenario():
        listener = await connected(await socket(application, topic_path(topic), world["reader"]))
        post = await sync_to_async(reply)(topic, world["author"], "经由站点的实时回复")
        message = await listener.receive_json_from(timeout=2)
        await listener.disconnect()
        refused = await close_code(await socket(application, topic_path(topic), world["stranger"]))
        return post, message, refused

    post, message, refused = async_to_sync(scenario)()
    assert message["id"] == post.pk
    assert refused == CLOSE_FORBIDDEN


# --- catching up --------------------------------------------------------------------------------------------------


def test_catch_up_sends_exactly_the_missed_posts_oldest_first(app, world):
    topic, author = world["topic"], world["author"]
    seen = reply(topic, author, "断线前看到的")
    writers = [world["reader"], world["moderator"], author]  # posting is rate-limited per user
    missed = [reply(topic, writer, f"断线期间第{i}条") for i, writer in enumerate(writers, 1)]

    async def scenario():
        listener = await connected(await socket(app, topic_path(topic), world["reader"]))
        await listener.send_json_to({"type": "catch_up", "after": seen.pk})
        received = [await listener.receive_json_from(timeout=2) for _ in missed]
        nothing_more = await listener.receive_nothing(timeout=0.3)
        # A live post, then a second catch-up from the newest id: nothing is sent twice.
        live_post = await sync_to_async(reply)(topic, world["moderator"], "重连之后的新回复")
        live_message = await listener.receive_json_from(timeout=2)
        await listener.send_json_to({"type": "catch_up", "after": live_post.pk})
        nothing_again = await listener.receive_nothing(timeout=0.3)
        await listener.disconnect()
        return received, nothing_more, live_post, live_message, nothing_again

    received, nothing_more, live_post, live_message, nothing_again = async_to_sync(scenario)()
    assert [m["type"] for m in received] == ["post.created"] * 3
    assert [m["id"] for m in received] == [p.pk for p in missed]
    assert all(m["catch_up"] for m in received)
    assert "catch_up" not in live_message
    assert "断线期间第1条" in received[0]["html"]
    assert nothing_more
    assert live_message["id"] == live_post.pk
    assert nothing_again


def test_catch_up_from_zero_leaves_out_the_opening_post(app, world):
    topic = world["topic"]
    only = reply(topic, world["author"], "唯一的回复")
    opening = Post.objects.get(topic=topic, is_opening=True)

    async def scenario():
        listener = await connected(await socket(app, topic_path(topic), world["reader"]))
        await listener.send_json_to({"type": "catch_up", "after": 0})
        message = await listener.receive_json_from(timeout=2)
        nothing_more = await listener.receive_nothing(timeout=0.3)
        await listener.disconnect()
        return message, nothing_more

    message, nothing_more = async_to_sync(scenario)()
    assert message["id"] == only.pk != opening.pk
    assert nothing_more


def test_malformed_messages_are_ignored_and_the_socket_keeps_working(app, world):
    async def scenario():
        listener = await connected(await socket(app, topic_path(world["topic"]), world["reader"]))
        for frame in [
            "not json",
            "[1, 2]",
            '{"type": 3}',
            '{"type": "catch_up", "after": "x"}',
            '{"type": "catch_up", "after": -1}',
            '{"type": "catch_up", "after": true}',
            '{"type": "shout"}',
            '{"no": "type"}',
            "x" * 10000,
        ]:
            await listener.send_to(text_data=frame)
        await listener.send_to(bytes_data=b"\x00\x01")
        nothing = await listener.receive_nothing(timeout=0.3)
        await listener.send_json_to({"type": "ping"})
        pong = await listener.receive_json_from(timeout=2)
        await listener.disconnect()
        return nothing, pong

    nothing, pong = async_to_sync(scenario)()
    assert nothing
    assert pong == {"type": "pong"}


# --- flooding -----------------------------------------------------------------------------------------------------


def test_a_flooding_client_is_closed_and_others_still_receive_the_next_post(app, world):
    topic = world["topic"]

    async def scenario():
        flooder = await connected(await socket(app, topic_path(topic), world["author"]))
        listener = await connected(await socket(app, topic_path(topic), world["reader"]))
        for _ in range(int(MESSAGE_BURST) + 30):
            await flooder.send_json_to({"type": "ping"})
        outputs = []
        while True:
            output = await flooder.receive_output(timeout=2)
            outputs.append(output)
            if output["type"] == "websocket.close":
                break
        post = await sync_to_async(reply)(topic, world["moderator"], "洪水之后的正常回复")
        message = await listener.receive_json_from(timeout=2)
        await listener.disconnect()
        return outputs, post, message

    outputs, post, message = async_to_sync(scenario)()
    pongs = [o for o in outputs if o["type"] == "websocket.send"]
    assert outputs[-1] == {"type": "websocket.close", "code": CLOSE_FLOODING}
    assert len(pongs) <= MESSAGE_BURST + 1
    assert message["id"] == post.pk


def test_sockets_of_one_topic_share_one_subscription_that_outlives_a_leaver(app, world):
    """The process-local hub: one layer subscription per topic, kept while any socket of it is open."""
    from governance.consumers import _Hub

    topic = world["topic"]

    async def scenario():
        first = await connected(await socket(app, topic_path(topic), world["reader"]))
        second = await connected(await socket(app, topic_path(topic), world["moderator"]))
        hubs_while_open = len(_Hub._hubs)
        await first.disconnect()
        post = await sync_to_async(reply)(topic, world["author"], "还有人在吗")
        message = await second.receive_json_from(timeout=2)
        await second.disconnect()
        return hubs_while_open, post, message, len(_Hub._hubs)

    hubs_while_open, post, message, hubs_after = async_to_sync(scenario)()
    assert hubs_while_open == 1
    assert message["id"] == post.pk
    assert hubs_after == 0


def test_the_shared_subscription_renews_its_group_membership(app, world, monkeypatch):
    """Channel layers forget a group member after group_expiry (a day); a topic may stay open longer, so the
    hub adds itself to the group again now and then (on any layer: in memory or Redis)."""
    from channels.layers import get_channel_layer

    from governance import consumers
    from governance.services.discussions_live import topic_group

    monkeypatch.setattr(consumers, "HUB_REFRESH_SECONDS", 0.05)
    layer = get_channel_layer()
    group = topic_group(world["topic"].pk)
    joins = []
    group_add = layer.group_add

    async def recording_group_add(group_name, channel):
        joins.append(group_name)
        await group_add(group_name, channel)

    monkeypatch.setattr(layer, "group_add", recording_group_add)

    async def scenario():
        listener = await connected(await socket(app, topic_path(world["topic"]), world["reader"]))
        await asyncio.sleep(0.3)
        await listener.disconnect()

    async_to_sync(scenario)()
    assert joins.count(group) >= 3  # the first join, then renewals


def test_a_member_whose_role_is_taken_away_is_disconnected_at_the_next_access_check(app, world, monkeypatch):
    from governance import consumers
    from home.services.roles import role_revoke

    monkeypatch.setattr(consumers, "ACCESS_RECHECK_SECONDS", 0.1)

    async def scenario():
        kept = await connected(await socket(app, topic_path(world["topic"]), world["author"]))
        leaving = await connected(await socket(app, topic_path(world["topic"]), world["reader"]))
        await sync_to_async(role_revoke)(world["reader"], world["a"], Role.OWNER)
        closed = await leaving.receive_output(timeout=3)
        await asyncio.sleep(0.3)  # a few more checks: the member who kept the role stays
        await kept.send_json_to({"type": "ping"})
        still_there = await kept.receive_json_from(timeout=3)
        await kept.disconnect()
        return closed, still_there

    closed, still_there = async_to_sync(scenario)()
    assert closed == {"type": "websocket.close", "code": CLOSE_FORBIDDEN}
    assert still_there == {"type": "pong"}
