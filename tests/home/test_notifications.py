"""Notifications: stored, pushed live to the recipient only (after commit), emailed, listed and marked read."""

import pytest
from asgiref.sync import async_to_sync, sync_to_async
from channels.layers import get_channel_layer
from channels.testing import WebsocketCommunicator
from django.conf import settings
from django.contrib.auth.models import AnonymousUser
from django.core import mail
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.urls import reverse

from home.consumers import NotificationConsumer, user_group_name
from home.models import Notification
from home.selectors_accounts import unread_notification_count
from home.services.notifications import notification_mark_all_read, notification_mark_read, notify
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


# --- the service ---------------------------------------------------------------------------------------------


def test_notify_stores_the_notification_and_emails_after_commit(django_capture_on_commit_callbacks):
    user = UserFactory(email="wang@example.com")
    with django_capture_on_commit_callbacks(execute=True):
        notification = notify(recipient=user, title="您的房屋认证已通过", body="1号楼1单元101室", url="/me/")
    assert Notification.objects.get() == notification
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == ["wang@example.com"]
    assert "您的房屋认证已通过" in message.subject
    assert settings.WAGTAILADMIN_BASE_URL.rstrip("/") + "/me/" in message.body


def test_emails_go_through_the_background_queue():
    from home.services.notifications import notification_email_send

    assert notification_email_send.backend == "background"


def test_notify_sends_no_email_without_an_address(django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        notify(recipient=UserFactory(email=""), title="通知")
    assert not mail.outbox


def test_nothing_is_sent_when_the_transaction_rolls_back(django_capture_on_commit_callbacks):
    user = UserFactory(email="wang@example.com")
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        with pytest.raises(RuntimeError), transaction.atomic():
            notify(recipient=user, title="不会发出")
            raise RuntimeError
    assert not callbacks
    assert not Notification.objects.exists()
    assert not mail.outbox


def test_notify_pushes_to_the_recipients_group_after_commit(django_capture_on_commit_callbacks):
    user = UserFactory()
    layer = get_channel_layer()
    channel = async_to_sync(layer.new_channel)()
    async_to_sync(layer.group_add)(user_group_name(user.pk), channel)
    with django_capture_on_commit_callbacks(execute=True):
        notification = notify(recipient=user, title="新的认证申请", body="王秀英", url="/community/1/claims/")
    event = async_to_sync(layer.receive)(channel)
    assert event["type"] == "notification.created"
    payload = event["payload"]
    assert payload["id"] == notification.pk
    assert (payload["title"], payload["body"], payload["url"]) == ("新的认证申请", "王秀英", "/community/1/claims/")
    assert payload["created_at"].startswith(str(notification.created_at.year))
    assert payload["unread_count"] == 1


def test_only_the_recipient_can_mark_a_notification_read():
    notification = notify(recipient=UserFactory(), title="通知")
    with pytest.raises(PermissionDenied):
        notification_mark_read(user=UserFactory(), notification=notification)
    notification.refresh_from_db()
    assert notification.read_at is None


def test_unread_count_counts_only_the_users_unread_notifications():
    user, other = UserFactory(), UserFactory()
    first = notify(recipient=user, title="一")
    notify(recipient=user, title="二")
    notify(recipient=other, title="三")
    notification_mark_read(user=user, notification=first)
    assert unread_notification_count(type(user).objects.get(pk=user.pk)) == 1
    assert unread_notification_count(AnonymousUser()) == 0
    assert unread_notification_count(None) == 0
    notification_mark_all_read(user=user)
    assert unread_notification_count(type(user).objects.get(pk=user.pk)) == 0


# --- the live channel ------------------------------------------------------------------------------------------


def communicator_for(user):
    communicator = WebsocketCommunicator(NotificationConsumer.as_asgi(), "/ws/notifications/")
    communicator.scope["user"] = user
    return communicator


def test_signed_in_user_receives_their_notification_live(django_capture_on_commit_callbacks):
    user = UserFactory()

    def create():
        with django_capture_on_commit_callbacks(execute=True):
            return notify(recipient=user, title="您的房屋认证已通过", url="/me/")

    async def scenario():
        communicator = communicator_for(user)
        connected, _ = await communicator.connect()
        assert connected
        notification = await sync_to_async(create)()
        message = await communicator.receive_json_from(timeout=2)
        await communicator.disconnect()
        return notification, message

    notification, message = async_to_sync(scenario)()
    assert message["type"] == "notification"
    assert message["id"] == notification.pk
    assert message["title"] == "您的房屋认证已通过"
    assert message["unread_count"] == 1


def test_anonymous_visitor_is_refused():
    async def scenario():
        connected, code = await communicator_for(AnonymousUser()).connect()
        return connected, code

    connected, code = async_to_sync(scenario)()
    assert not connected
    assert code == 4401


def test_user_a_never_receives_user_bs_notifications(django_capture_on_commit_callbacks):
    a, b = UserFactory(), UserFactory()

    def notify_b():
        with django_capture_on_commit_callbacks(execute=True):
            notify(recipient=b, title="只给 B")

    async def scenario():
        listener_a, listener_b = communicator_for(a), communicator_for(b)
        await listener_a.connect()
        await listener_b.connect()
        await sync_to_async(notify_b)()
        received_b = await listener_b.receive_json_from(timeout=2)
        nothing_for_a = await listener_a.receive_nothing(timeout=0.3)
        await listener_a.disconnect()
        await listener_b.disconnect()
        return received_b, nothing_for_a

    received_b, nothing_for_a = async_to_sync(scenario)()
    assert received_b["title"] == "只给 B"
    assert nothing_for_a


def test_the_site_routes_websockets_with_the_session_login(client, django_capture_on_commit_callbacks):
    """Through portal.asgi: the session cookie of a logged-in browser authenticates the socket."""
    from portal.asgi import application

    user = UserFactory()
    client.force_login(user)
    cookie = f"{settings.SESSION_COOKIE_NAME}={client.cookies[settings.SESSION_COOKIE_NAME].value}"

    def create():
        with django_capture_on_commit_callbacks(execute=True):
            notify(recipient=user, title="经由站点的推送")

    async def scenario():
        communicator = WebsocketCommunicator(
            application, "/ws/notifications/", headers=[(b"cookie", cookie.encode()), (b"origin", b"http://testserver")]
        )
        connected, _ = await communicator.connect()
        assert connected
        await sync_to_async(create)()
        message = await communicator.receive_json_from(timeout=2)
        await communicator.disconnect()
        return message

    assert async_to_sync(scenario)()["title"] == "经由站点的推送"


def test_the_site_refuses_a_websocket_without_a_session():
    from portal.asgi import application

    async def scenario():
        communicator = WebsocketCommunicator(
            application, "/ws/notifications/", headers=[(b"origin", b"http://testserver")]
        )
        return await communicator.connect()

    connected, _ = async_to_sync(scenario)()
    assert not connected


# --- the page ----------------------------------------------------------------------------------------------------


def test_notifications_page_needs_a_login(client):
    response = client.get(reverse("home:notifications"))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("account_login"))


def test_notifications_page_lists_only_my_notifications_newest_first(client):
    user = UserFactory()
    notify(recipient=user, title="较早的通知")
    notify(recipient=user, title="最新的通知")
    notify(recipient=UserFactory(), title="别人的通知")
    client.force_login(user)
    html = client.get(reverse("home:notifications")).content.decode()
    assert html.index("最新的通知") < html.index("较早的通知")
    assert "别人的通知" not in html
    assert "您有 2 条未读通知" in html


def test_notifications_page_is_paginated_with_a_flat_query_count(client, django_assert_max_num_queries):
    user = UserFactory()
    client.force_login(user)
    notify(recipient=user, title="通知 0")
    with django_assert_max_num_queries(20) as few:
        client.get(reverse("home:notifications"))
    for n in range(1, 45):
        notify(recipient=user, title=f"通知 {n}")
    with django_assert_max_num_queries(len(few.captured_queries)):
        html = client.get(reverse("home:notifications")).content.decode()
    assert html.count('<li class="card stack') == 20
    assert "通知 44" in html
    assert "通知 44" not in client.get(reverse("home:notifications") + "?page=3").content.decode()


def test_open_marks_read_and_goes_to_the_page(client):
    user = UserFactory()
    notification = notify(recipient=user, title="查看申请", url="/me/")
    client.force_login(user)
    response = client.post(reverse("home:notification_read", kwargs={"pk": notification.pk}), {"open": "1"})
    assert response["Location"] == "/me/"
    notification.refresh_from_db()
    assert notification.read_at is not None


def test_open_never_follows_a_link_to_another_site(client):
    user = UserFactory()
    notification = Notification.objects.create(recipient=user, title="可疑", url="https://evil.example/")
    client.force_login(user)
    response = client.post(reverse("home:notification_read", kwargs={"pk": notification.pk}), {"open": "1"})
    assert response["Location"] == reverse("home:notifications")


def test_marking_someone_elses_notification_is_not_found(client):
    notification = notify(recipient=UserFactory(), title="别人的")
    client.force_login(UserFactory())
    assert client.post(reverse("home:notification_read", kwargs={"pk": notification.pk})).status_code == 404
    notification.refresh_from_db()
    assert notification.read_at is None


def test_mark_all_read(client):
    user = UserFactory()
    notify(recipient=user, title="一")
    notify(recipient=user, title="二")
    other = notify(recipient=UserFactory(), title="别人的")
    client.force_login(user)
    response = client.post(reverse("home:notifications_read_all"))
    assert response["Location"] == reverse("home:notifications")
    assert not Notification.objects.filter(recipient=user, read_at__isnull=True).exists()
    other.refresh_from_db()
    assert other.read_at is None


def test_marking_read_is_post_only(client):
    user = UserFactory()
    notification = notify(recipient=user, title="一")
    client.force_login(user)
    assert client.get(reverse("home:notification_read", kwargs={"pk": notification.pk})).status_code == 405
    assert client.get(reverse("home:notifications_read_all")).status_code == 405
