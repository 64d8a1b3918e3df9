"""Overdue minutes (A-12, C-07): the daily command reports once; the meeting page and body-page tag flag it."""

from datetime import timedelta
from io import StringIO

import pytest
from django.core.management import call_command
from django.template import Context, Template
from django.utils import timezone

from home.models import Notification
from tests.governance.test_meetings_support import body_with_members, meeting_under, staff_of

pytestmark = pytest.mark.django_db


@pytest.fixture
def late():
    community, body, users = body_with_members()
    meeting = meeting_under(body, title="逾期会议", starts_at=timezone.now() - timedelta(days=5))
    recent = meeting_under(body, title="昨天的会议", starts_at=timezone.now() - timedelta(days=1))
    return community, body, users, meeting, recent


def test_command_notifies_committee_and_community_staff_once_A12(late):
    community, _body, users, _meeting, _recent = late
    staff = staff_of(community)
    out = StringIO()
    call_command("governance_minutes_overdue", stdout=out)
    assert "逾期会议" in out.getvalue() and "昨天的会议" not in out.getvalue()
    told = set(Notification.objects.values_list("recipient_id", flat=True))
    assert staff.pk in told and users[0].pk in told
    count = Notification.objects.count()
    call_command("governance_minutes_overdue", stdout=StringIO())
    assert Notification.objects.count() == count


def test_meeting_page_shows_minutes_overdue_to_readers(client, late):
    _community, _body, users, meeting, recent = late
    client.force_login(users[0])
    assert "纪要逾期未公布" in client.get(meeting.url).content.decode()
    assert "纪要逾期未公布" not in client.get(recent.url).content.decode()


def test_body_page_tag_flags_overdue_meetings_in_one_query(late, django_assert_max_num_queries):
    _community, body, _users, _meeting, _recent = late
    template = Template(
        "{% load meetings_tags %}{% overdue_minutes meetings as late_ids %}"
        "{% for m in meetings %}[{{ m.title }}{% minutes_overdue_badge m late_ids %}]{% endfor %}"
        "{% body_calendar_link body %}"
    )
    meetings = list(body.get_children().specific())
    with django_assert_max_num_queries(1):
        html = template.render(Context({"meetings": meetings, "body": body}))
    assert '[逾期会议<span class="badge badge-warning">纪要逾期未公布</span>' in html
    assert "[昨天的会议]" in html.replace("\n", "")
    assert f"/bodies/{body.pk}/meetings.ics" in html


def test_schedule_link_only_for_those_who_run_the_body(rf, late):
    from django.contrib.auth.models import AnonymousUser

    _community, body, users, _meeting, _recent = late
    template = Template("{% load meetings_tags %}{% schedule_meeting_link body %}")
    request = rf.get("/")
    request.user = users[0]
    assert f"/bodies/{body.pk}/meetings/new/" in template.render(Context({"body": body, "request": request}))
    request.user = AnonymousUser()
    assert "meetings/new" not in template.render(Context({"body": body, "request": request}))
