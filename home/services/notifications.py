"""In-app notifications: stored, pushed live over /ws/notifications/, and emailed when there is an address.

The row is written inside the caller's transaction; the push and the email wait for the commit, so nobody
is told about a change that was rolled back. Emails go through the background queue (django-tasks,
`manage.py db_worker --backend background`), so a slow mail server never holds up a page.
"""

import logging

from asgiref.sync import async_to_sync
from channels.layers import get_channel_layer
from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.core.mail import send_mail
from django.db import transaction
from django.utils import timezone
from django_tasks import task

from home.consumers import user_group_name
from home.models import Notification

logger = logging.getLogger(__name__)


def notify(*, recipient, title: str, body: str = "", url: str = "", email: bool = True) -> Notification:
    """`email=False` keeps it in the portal: for messages the recipient asked not to get by email."""
    notification = Notification.objects.create(
        recipient=recipient, title=str(title)[:200], body=str(body), url=str(url)[:300]
    )
    transaction.on_commit(lambda: _push(notification))
    if email and recipient.email:
        transaction.on_commit(lambda: _enqueue_email(notification.pk))
    return notification


def notification_mark_read(*, user, notification: Notification) -> Notification:
    if notification.recipient_id != user.pk:
        raise PermissionDenied
    if notification.read_at is None:
        notification.read_at = timezone.now()
        notification.save(update_fields=["read_at"])
    return notification


def notification_mark_all_read(*, user) -> int:
    return Notification.objects.filter(recipient=user, read_at__isnull=True).update(read_at=timezone.now())


def payload_of(notification: Notification) -> dict:
    return {
        "id": notification.pk,
        "title": notification.title,
        "body": notification.body,
        "url": notification.url,
        "created_at": notification.created_at.isoformat(),
    }


def _push(notification: Notification) -> None:
    layer = get_channel_layer()
    if layer is None:
        return
    payload = payload_of(notification)
    payload["unread_count"] = Notification.objects.filter(
        recipient_id=notification.recipient_id, read_at__isnull=True
    ).count()
    try:
        async_to_sync(layer.group_send)(
            user_group_name(notification.recipient_id), {"type": "notification.created", "payload": payload}
        )
    except Exception:
        # The notification is stored; a channel layer outage only costs the live push.
        logger.exception("Live push of notification %s failed", notification.pk)


def absolute_url(url: str) -> str:
    if not url or "://" in url:
        return url
    return settings.WAGTAILADMIN_BASE_URL.rstrip("/") + url


def _enqueue_email(notification_id: int) -> None:
    try:
        notification_email_send.enqueue(notification_id)
    except Exception:
        logger.exception("Could not queue the email for notification %s", notification_id)


@task(backend="background")
def notification_email_send(notification_id: int) -> None:
    notification = Notification.objects.select_related("recipient").filter(pk=notification_id).first()
    if notification is None or not notification.recipient.email:
        return
    lines = [notification.body] if notification.body else []
    if notification.url:
        lines.append(absolute_url(notification.url))
    send_mail(
        subject=f"[{settings.WAGTAIL_SITE_NAME}] {notification.title}",
        message="\n\n".join(lines) or notification.title,
        from_email=None,
        recipient_list=[notification.recipient.email],
    )
