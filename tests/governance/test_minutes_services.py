"""Minutes: draft → signatures of attending members → publication; corrections append (A-12, C-07)."""

from datetime import date

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from governance.models import Minutes, MinutesRevision, MinutesSignature
from governance.services import meetings as svc
from home.models import AuditEntry, Notification
from tests.governance.test_meetings_support import body_with_members, meeting_under, shanghai, staff_of

pytestmark = pytest.mark.django_db


@pytest.fixture
def held():
    """A committee of 5 met on 10 March: members 0–2 present, 3 absent, 4 on leave; draft sent for signatures."""
    community, body, users = body_with_members(seats=5)
    meeting = meeting_under(body, starts_at=shanghai(2026, 3, 10, 19))
    for membership, status in zip(
        body.memberships.order_by("id"), ["present"] * 3 + ["absent", "on_leave"], strict=True
    ):
        svc.attendance_record(actor=users[0], meeting=meeting, membership=membership, status=status)
    minutes = svc.minutes_draft(actor=users[0], meeting=meeting, text="会议审议了年度预算。")
    svc.minutes_submit(actor=users[0], minutes=minutes)
    return community, body, users, meeting, minutes


def test_publishing_before_all_attending_members_signed_is_refused_naming_them_C07(held):
    _community, _body, users, _meeting, minutes = held
    svc.minutes_sign(user=users[0], minutes=minutes, decision="confirmed")
    with pytest.raises(ValidationError) as refused:
        svc.minutes_publish(actor=users[0], minutes=minutes)
    assert "委员1" in str(refused.value) and "委员2" in str(refused.value)
    minutes.refresh_from_db()
    assert minutes.status == Minutes.Status.CONFIRMING


def test_publishing_succeeds_once_a_refusal_is_recorded_with_its_reason_C07(held):
    _community, _body, users, _meeting, minutes = held
    svc.minutes_sign(user=users[0], minutes=minutes, decision="confirmed")
    svc.minutes_sign(user=users[1], minutes=minutes, decision="confirmed")
    with pytest.raises(ValidationError):
        svc.minutes_sign(user=users[2], minutes=minutes, decision="refused", note="")
    svc.minutes_sign(user=users[2], minutes=minutes, decision="refused", note="预算数字与会上不符")
    svc.minutes_publish(actor=users[0], minutes=minutes)
    minutes.refresh_from_db()
    assert minutes.status == Minutes.Status.PUBLISHED and minutes.published_at
    assert MinutesSignature.objects.get(membership__person__user=users[2]).note == "预算数字与会上不符"


def test_only_attending_members_sign_and_only_as_themselves(held):
    community, _body, users, _meeting, minutes = held
    with pytest.raises(PermissionDenied):
        svc.minutes_sign(user=users[3], minutes=minutes, decision="confirmed")  # absent
    with pytest.raises(PermissionDenied):
        svc.minutes_sign(user=staff_of(community), minutes=minutes, decision="confirmed")
    svc.minutes_sign(user=users[0], minutes=minutes, decision="confirmed")
    with pytest.raises(ValidationError):
        svc.minutes_sign(user=users[0], minutes=minutes, decision="refused", note="改主意")
    assert MinutesSignature.objects.count() == 1


def test_attending_members_are_asked_to_sign(held):
    _community, _body, users, meeting, _minutes = held
    asked = set(Notification.objects.filter(title__contains=meeting.title).values_list("recipient_id", flat=True))
    assert asked == {users[0].pk, users[1].pk, users[2].pk}


def publish(held):
    _community, _body, users, _meeting, minutes = held
    for user in users[:3]:
        svc.minutes_sign(user=user, minutes=minutes, decision="confirmed")
    svc.minutes_publish(actor=users[0], minutes=minutes)
    return minutes


def test_correction_after_publication_is_a_new_revision_with_its_reason_A12(held):
    minutes = publish(held)
    users = held[2]
    revision = svc.minutes_correct(
        actor=users[0], minutes=minutes, text="会议审议并通过了年度预算。", reason="漏记表决结果"
    )
    assert revision.number == 2 and revision.correction_reason == "漏记表决结果"
    assert MinutesRevision.objects.get(minutes=minutes, number=1).body == "会议审议了年度预算。"
    assert AuditEntry.objects.filter(action="minutes.correct").exists()
    with pytest.raises(ValidationError):
        svc.minutes_correct(actor=users[0], minutes=minutes, text="再改", reason="")


def test_a_published_minutes_cannot_be_redrafted(held):
    minutes = publish(held)
    with pytest.raises(ValidationError):
        svc.minutes_draft(actor=held[2][0], meeting=held[3], text="悄悄改掉")
    assert minutes.revisions.count() == 1


def test_member_of_another_community_cannot_draft_or_publish(held):
    _community, _own_body, _users, meeting, minutes = held
    _other, _body, strangers = body_with_members()
    with pytest.raises(PermissionDenied):
        svc.minutes_draft(actor=strangers[0], meeting=meeting, text="外人")
    with pytest.raises(PermissionDenied):
        svc.minutes_publish(actor=strangers[0], minutes=minutes)


def test_overdue_minutes_are_reported_once_to_committee_and_community_staff_A12(held):
    community, _body, users, meeting, _minutes = held
    staff = staff_of(community)
    assert svc.minutes_overdue_notify(today=date(2026, 3, 13)) == []
    already = set(Notification.objects.values_list("pk", flat=True))
    assert svc.minutes_overdue_notify(today=date(2026, 3, 14)) == [meeting]
    assert svc.minutes_overdue_notify(today=date(2026, 3, 15)) == []
    told = set(Notification.objects.exclude(pk__in=already).values_list("recipient_id", flat=True))
    assert staff.pk in told and users[4].pk in told
