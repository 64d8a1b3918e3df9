"""The scale-out shape on the real servers: PostgreSQL through DATABASE_URL, Redis through REDIS_URL.

Skipped when they are not configured, except when PORTAL_EXPECT_SERVICES=1 (the second run of .ci/run): then
a missing configuration fails, so that CI can never pass the PostgreSQL+Redis run by skipping it.
"""

import asyncio
import os
import uuid

import pytest
from asgiref.sync import async_to_sync
from channels.layers import get_channel_layer
from django.conf import settings
from django.core.cache import cache
from django.db import connection

pytestmark = pytest.mark.services


@pytest.fixture(autouse=True)
def _require_services():
    missing = [name for name in ("DATABASE_URL", "REDIS_URL") if not os.environ.get(name)]
    if not missing:
        return
    message = f"{' and '.join(missing)} not set: the PostgreSQL/Redis tests need the real servers"
    if os.environ.get("PORTAL_EXPECT_SERVICES") == "1":
        pytest.fail(message + " (PORTAL_EXPECT_SERVICES=1)")
    pytest.skip(message)


@pytest.mark.django_db
def test_database_is_postgresql():
    assert connection.vendor == "postgresql"
    with connection.cursor() as cursor:
        cursor.execute("SELECT current_setting('server_version_num')::int")
        (version,) = cursor.fetchone()
    assert version >= 130000


@pytest.mark.django_db
def test_chinese_text_round_trips_through_postgresql():
    from home.models import District

    District.objects.create(name="牧野区", code="410711")
    assert District.objects.get(code="410711").name == "牧野区"


def test_channel_layer_is_redis():
    from channels_redis.core import RedisChannelLayer

    assert settings.CHANNEL_LAYERS["default"]["BACKEND"] == "channels_redis.core.RedisChannelLayer"
    assert isinstance(get_channel_layer(), RedisChannelLayer)


def test_group_send_round_trips_through_redis_between_two_layer_instances():
    """A second layer instance shares nothing in memory with the first: the message can only go through Redis."""
    from channels_redis.core import RedisChannelLayer

    config = settings.CHANNEL_LAYERS["default"]["CONFIG"]
    group = f"test-{uuid.uuid4().hex}"

    async def round_trip():
        receiver, sender = RedisChannelLayer(**config), RedisChannelLayer(**config)
        try:
            channel = await receiver.new_channel()
            await receiver.group_add(group, channel)
            await sender.group_send(group, {"type": "notification.created", "payload": {"title": "停水通知"}})
            message = await asyncio.wait_for(receiver.receive(channel), timeout=10)
            await receiver.group_discard(group, channel)
            return message
        finally:
            await sender.close_pools()
            await receiver.close_pools()

    message = async_to_sync(round_trip)()
    assert message == {"type": "notification.created", "payload": {"title": "停水通知"}}


def test_cache_is_redis():
    assert settings.CACHES["default"]["BACKEND"] == "django.core.cache.backends.redis.RedisCache"
    key = f"test-{uuid.uuid4().hex}"
    cache.set(key, "业委会", timeout=30)
    try:
        assert cache.get(key) == "业委会"
    finally:
        cache.delete(key)
