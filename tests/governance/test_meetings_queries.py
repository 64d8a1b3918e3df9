"""The meeting page's queries do not grow with the number of members, resolutions or signatures."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from governance.services import meetings as svc
from tests.governance.test_meetings_support import body_with_members, meeting_under, resident_of, shanghai

pytestmark = pytest.mark.django_db


def held_meeting(seats, resolutions):
    community, body, users = body_with_members(seats=seats)
    meeting = meeting_under(body, starts_at=shanghai(2026, 3, 10, 19))
    for membership in body.memberships.all():
        svc.attendance_record(actor=None, meeting=meeting, membership=membership, status="present")
    for i in range(resolutions):
        svc.resolution_record(actor=None, meeting=meeting, text=f"决议{i}", votes_for=seats)
    minutes = svc.minutes_draft(actor=None, meeting=meeting, text="纪要")
    svc.minutes_submit(actor=None, minutes=minutes)
    for user in users:
        svc.minutes_sign(user=user, minutes=minutes, decision="confirmed")
    svc.minutes_publish(actor=None, minutes=minutes)
    return community, meeting


def queries_for(client, seats, resolutions):
    community, meeting = held_meeting(seats, resolutions)
    client.force_login(resident_of(community))
    client.get(meeting.url)  # warm the site and page caches
    with CaptureQueriesContext(connection) as captured:
        assert client.get(meeting.url).status_code == 200
    return len(captured)


def test_meeting_page_query_count_is_flat(client):
    small = queries_for(client, seats=5, resolutions=1)
    large = queries_for(client, seats=11, resolutions=6)
    assert large == small
