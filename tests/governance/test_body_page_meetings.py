"""The body page links its meetings' calendar and scheduling, and flags minutes overdue (A-12, C-07)."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from tests.governance.test_meetings_support import body_with_members, meeting_under

pytestmark = pytest.mark.django_db


def test_member_sees_schedule_and_calendar_links_and_overdue_minutes(client):
    _community, body, users = body_with_members()
    meeting_under(body, starts_at=timezone.now() - timedelta(days=10), title="上月会议")
    client.force_login(users[0])
    html = client.get(body.url).content.decode()
    assert reverse("governance:body_calendar", args=[body.pk]) in html
    assert reverse("governance:meeting_schedule", args=[body.pk]) in html
    assert "纪要逾期" in html


def test_past_meetings_list_keeps_a_flat_query_count(client, django_assert_max_num_queries):
    _community, body, users = body_with_members()
    client.force_login(users[0])
    client.get(body.url)
    counts = []
    for n in (1, 6):
        while body.get_children().count() < n:
            meeting_under(body, starts_at=timezone.now() - timedelta(days=10 + body.get_children().count()))
        with django_assert_max_num_queries(60) as captured:
            client.get(body.url)
        counts.append(len(captured))
    assert counts[0] == counts[1]
