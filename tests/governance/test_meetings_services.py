"""Meeting services: notice (A-09, C-07), attendance, resolutions (C-06, G-07), scoping."""

from datetime import timedelta

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from governance.models import Attendance, BodyPage, Membership, Resolution
from governance.services import meetings as svc
from home.models import AuditEntry, Notification
from tests.factories import CommunityPageFactory
from tests.governance.test_meetings_support import body_with_members, meeting_under, resident_of, shanghai, staff_of

pytestmark = pytest.mark.django_db


def assembly(starts_at):
    community, body, _users = body_with_members(kind=BodyPage.Kind.OWNERS_ASSEMBLY, seats=5)
    return community, body, meeting_under(body, starts_at=starts_at)


def test_assembly_notice_14_days_ahead_is_refused_naming_A09():
    community, _body, meeting = assembly(shanghai(2026, 3, 15, 19))
    with pytest.raises(ValidationError) as refused:
        svc.meeting_notice_publish(actor=staff_of(community), meeting=meeting, now=shanghai(2026, 3, 1, 10))
    assert "A-09" in str(refused.value)
    meeting.refresh_from_db()
    assert meeting.notice_published_at is None


def test_assembly_notice_15_days_ahead_locks_agenda_and_tells_members_owners_and_community_staff_A09():
    community, body, meeting = assembly(shanghai(2026, 3, 16, 19))
    staff = staff_of(community)
    owner = resident_of(community)
    svc.meeting_notice_publish(actor=staff, meeting=meeting, now=shanghai(2026, 3, 1, 10))
    meeting.refresh_from_db()
    assert meeting.agenda_locked
    assert AuditEntry.objects.filter(action="meeting.notice_publish", target_id=str(meeting.pk)).exists()
    recipients = set(Notification.objects.values_list("recipient_id", flat=True))
    assert staff.pk in recipients and owner.pk in recipients
    assert {m.person.user_id for m in body.memberships.all()} <= recipients


def test_committee_notice_6_days_ahead_is_refused_C07():
    community, body, _users = body_with_members()
    meeting = meeting_under(body, starts_at=shanghai(2026, 3, 7, 19))
    with pytest.raises(ValidationError, match="C-07"):
        svc.meeting_notice_publish(actor=staff_of(community), meeting=meeting, now=shanghai(2026, 3, 1))


def test_member_of_another_community_cannot_publish_the_notice():
    _community, body, _users = body_with_members()
    meeting = meeting_under(body)
    other_community, _other_body, other_users = body_with_members()
    with pytest.raises(PermissionDenied):
        svc.meeting_notice_publish(actor=other_users[0], meeting=meeting)
    with pytest.raises(PermissionDenied):
        svc.meeting_notice_publish(actor=staff_of(other_community), meeting=meeting)
    meeting.refresh_from_db()
    assert meeting.notice_published_at is None


def record(meeting, body, actor, statuses):
    for membership, status in zip(body.memberships.order_by("id"), statuses, strict=False):
        svc.attendance_record(actor=actor, meeting=meeting, membership=membership, status=status)


def test_resolution_needs_half_of_all_members_not_of_those_present_C06():
    _community, body, users = body_with_members(seats=7)
    meeting = meeting_under(body, starts_at=shanghai(2026, 3, 10, 19))
    record(meeting, body, users[0], ["present"] * 4 + ["absent", "on_leave", "absent"])
    lost = svc.resolution_record(actor=users[0], meeting=meeting, text="更换电梯", votes_for=3, votes_against=1)
    won = svc.resolution_record(actor=users[0], meeting=meeting, text="公示预算", votes_for=4)
    assert (lost.present_count, lost.seat_count, lost.carried) == (4, 7, False)
    assert won.carried
    assert lost.number == "业委会〔2026〕1号" and won.number == "业委会〔2026〕2号"


def test_more_votes_than_members_present_is_refused_no_proxies_C06():
    _community, body, users = body_with_members(seats=5)
    meeting = meeting_under(body)
    record(meeting, body, users[0], ["present"] * 3 + ["absent"] * 2)
    with pytest.raises(ValidationError, match="C-06"):
        svc.resolution_record(actor=users[0], meeting=meeting, text="代为投票", votes_for=4)
    assert not Resolution.objects.exists()


def test_council_outcome_is_a_consultation_outcome_not_an_owners_decision_G07():
    _community, body, users = body_with_members(kind=BodyPage.Kind.DELIBERATION_COUNCIL, seats=5)
    meeting = meeting_under(body, starts_at=shanghai(2026, 5, 1))
    record(meeting, body, users[0], ["present"] * 5)
    outcome = svc.resolution_record(actor=users[0], meeting=meeting, text="建议加装电梯", votes_for=5)
    assert outcome.kind == Resolution.Kind.CONSULTATION_OUTCOME
    assert outcome.number == "议事会〔2026〕1号"


def test_attendance_only_for_members_seated_on_the_meeting_day():
    _community, body, users = body_with_members(seats=5)
    meeting = meeting_under(body)
    gone = body.memberships.first()
    Membership.objects.filter(pk=gone.pk).update(ended_on=meeting.starts_at.date() - timedelta(days=10))
    with pytest.raises(ValidationError):
        svc.attendance_record(actor=users[1], meeting=meeting, membership=gone, status="present")
    assert not Attendance.objects.exists()


def test_agenda_required_before_notice():
    community = CommunityPageFactory()
    community, body, users = body_with_members(community)
    meeting = meeting_under(body, agenda=())
    with pytest.raises(ValidationError):
        svc.meeting_notice_publish(actor=users[0], meeting=meeting)
