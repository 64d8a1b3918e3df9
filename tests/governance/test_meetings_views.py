"""Meeting views: scoping (403 in another community, login for anonymous), the page, print view and iCal feed."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from governance.models import Attendance, MeetingPage, Minutes, MinutesSignature
from governance.services import meetings as svc
from tests.governance.test_meetings_support import body_with_members, meeting_under, resident_of, shanghai

pytestmark = pytest.mark.django_db


@pytest.fixture
def published():
    """Community A's committee met; three present; minutes signed (one refusal) and published; one resolution."""
    community, body, users = body_with_members(seats=5)
    meeting = meeting_under(body, starts_at=shanghai(2026, 3, 10, 19))
    for membership, status in zip(body.memberships.order_by("id"), ["present"] * 3 + ["absent"] * 2, strict=True):
        svc.attendance_record(actor=users[0], meeting=meeting, membership=membership, status=status)
    svc.resolution_record(actor=users[0], meeting=meeting, text="通过年度预算", votes_for=3)
    minutes = svc.minutes_draft(actor=users[0], meeting=meeting, text="会议审议了年度预算。")
    svc.minutes_submit(actor=users[0], minutes=minutes)
    svc.minutes_sign(user=users[0], minutes=minutes, decision="confirmed")
    svc.minutes_sign(user=users[1], minutes=minutes, decision="confirmed")
    svc.minutes_sign(user=users[2], minutes=minutes, decision="refused", note="数字有误")
    svc.minutes_publish(actor=users[0], minutes=minutes)
    return community, body, users, meeting


def test_resident_of_the_community_reads_published_minutes_with_signatures(client, published):
    community, _body, _users, meeting = published
    client.force_login(resident_of(community))
    page = client.get(meeting.url)
    assert page.status_code == 200
    text = page.content.decode()
    assert "会议审议了年度预算。" in text and "数字有误" in text and "业委会〔2026〕1号" in text
    printed = client.get(reverse("governance:minutes_print", args=[meeting.pk]))
    assert printed.status_code == 200 and "数字有误" in printed.content.decode()


def test_resident_of_B_cannot_read_the_minutes_of_A(client, published):
    _community, _body, _users, meeting = published
    other_community, _other_body, _other_users = body_with_members()
    client.force_login(resident_of(other_community))
    assert client.get(reverse("governance:minutes_print", args=[meeting.pk])).status_code == 403
    assert "会议审议了年度预算。" not in client.get(meeting.url).content.decode()


def test_anonymous_is_sent_to_login_for_the_print_view(client, published):
    meeting = published[3]
    response = client.get(reverse("governance:minutes_print", args=[meeting.pk]))
    assert response.status_code == 302 and reverse("account_login") in response["Location"]


@pytest.mark.parametrize("name", ["meeting_attendance", "minutes_edit", "resolution_add"])
def test_member_of_another_community_gets_403_on_management_pages(client, name):
    _community, body, _users = body_with_members()
    meeting = meeting_under(body, starts_at=timezone.now() - timedelta(days=1))
    _other, _other_body, strangers = body_with_members()
    client.force_login(strangers[0])
    assert client.get(reverse(f"governance:{name}", args=[meeting.pk])).status_code == 403
    assert client.post(reverse(f"governance:{name}", args=[meeting.pk]), {"text": "x"}).status_code == 403


def test_member_of_another_community_cannot_publish_the_notice_by_post(client):
    _community, body, _users = body_with_members()
    meeting = meeting_under(body, starts_at=timezone.now() + timedelta(days=30))
    _other, _other_body, strangers = body_with_members()
    client.force_login(strangers[0])
    assert client.post(reverse("governance:meeting_notice_publish", args=[meeting.pk])).status_code == 403
    meeting.refresh_from_db()
    assert meeting.notice_published_at is None


def test_manager_publishes_the_notice_from_the_meeting_page(client):
    _community, body, users = body_with_members()
    meeting = meeting_under(body, starts_at=timezone.now() + timedelta(days=30))
    client.force_login(users[0])
    page = client.get(meeting.url).content.decode()
    assert reverse("governance:meeting_notice_publish", args=[meeting.pk]) in page
    client.post(reverse("governance:meeting_notice_publish", args=[meeting.pk]))
    meeting.refresh_from_db()
    assert meeting.agenda_locked


def test_attendance_form_records_each_member(client):
    _community, body, users = body_with_members(seats=5)
    meeting = meeting_under(body, starts_at=timezone.now() - timedelta(hours=2))
    client.force_login(users[0])
    data = {f"status-{m.pk}": "present" for m in body.memberships.all()}
    response = client.post(reverse("governance:meeting_attendance", args=[meeting.pk]), data)
    assert response.status_code == 302
    assert Attendance.objects.filter(meeting=meeting, status="present").count() == 5


def test_member_signs_in_the_portal_and_publishing_early_shows_who_is_missing(client):
    _community, body, users = body_with_members(seats=5)
    meeting = meeting_under(body, starts_at=timezone.now() - timedelta(hours=2))
    for membership in body.memberships.all()[:3]:
        svc.attendance_record(actor=users[0], meeting=meeting, membership=membership, status="present")
    minutes = svc.minutes_draft(actor=users[0], meeting=meeting, text="草稿")
    svc.minutes_submit(actor=users[0], minutes=minutes)
    client.force_login(users[1])
    client.post(reverse("governance:minutes_sign", args=[meeting.pk]), {"decision": "confirmed"})
    assert MinutesSignature.objects.filter(membership__person__user=users[1]).exists()
    client.force_login(users[0])
    response = client.post(reverse("governance:minutes_publish", args=[meeting.pk]), follow=True)
    minutes.refresh_from_db()
    assert minutes.status == Minutes.Status.CONFIRMING
    text = response.content.decode()
    assert "委员0" in text and "委员2" in text


def test_body_calendar_lists_upcoming_meetings_as_text_calendar(client):
    _community, body, _users = body_with_members()
    upcoming = meeting_under(body, title="第二次会议", starts_at=timezone.now() + timedelta(days=10))
    meeting_under(body, title="上次会议", starts_at=timezone.now() - timedelta(days=10))
    response = client.get(reverse("governance:body_calendar", args=[body.pk]))
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/calendar")
    text = response.content.decode()
    assert f"UID:meeting-{upcoming.pk}@" in text and "第二次会议" in text and "上次会议" not in text
    assert "\r\nEND:VCALENDAR\r\n" in text


def test_correction_without_reason_is_refused_and_with_reason_shown_publicly(client, published):
    community, _body, users, meeting = published
    client.force_login(users[0])
    url = reverse("governance:minutes_edit", args=[meeting.pk])
    response = client.post(url, {"text": "更正后的纪要", "reason": ""})
    assert response.status_code == 200 and 'aria-describedby="id_reason_' in response.content.decode()
    assert Minutes.objects.get(meeting=meeting).revisions.count() == 1
    client.post(url, {"text": "更正后的纪要", "reason": "漏记表决结果"})
    client.force_login(resident_of(community))
    page = client.get(meeting.url).content.decode()
    assert "更正后的纪要" in page and "漏记表决结果" in page


def test_member_schedules_a_meeting_from_the_portal_and_a_late_date_is_refused_C07(client):
    _community, body, users = body_with_members()
    client.force_login(users[0])
    url = reverse("governance:meeting_schedule", args=[body.pk])
    assert client.get(url).status_code == 200
    too_soon = timezone.localtime() + timedelta(days=3)
    data = {
        "title": "临时会议",
        "starts_at": too_soon.strftime("%Y-%m-%dT%H:%M"),
        "place": "活动室",
        "agenda": "审议预算\n公示账目",
    }
    response = client.post(url, data)
    assert response.status_code == 200 and "C-07" in response.content.decode()
    data["starts_at"] = (timezone.localtime() + timedelta(days=10)).strftime("%Y-%m-%dT%H:%M")
    response = client.post(url, data)
    assert response.status_code == 302
    meeting = MeetingPage.objects.child_of(body).get()
    assert list(meeting.agenda_items.values_list("title", flat=True)) == ["审议预算", "公示账目"]


def test_member_of_another_community_cannot_schedule_meetings_of_this_body(client):
    _community, body, _users = body_with_members()
    _other, _other_body, strangers = body_with_members()
    client.force_login(strangers[0])
    url = reverse("governance:meeting_schedule", args=[body.pk])
    assert client.get(url).status_code == 403
    assert client.post(url, {"title": "x", "starts_at": "2030-01-01T10:00", "agenda": "x"}).status_code == 403
