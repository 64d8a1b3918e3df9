"""Builders for the meeting tests (no tests here): a body with seated members who have portal accounts."""

from datetime import date, datetime, timedelta

from django.utils import timezone

from governance.models import AgendaItem, BodyPage, MeetingPage, Membership
from home.models import CommunityRole
from tests.factories import CommunityPageFactory, PersonFactory, UserFactory, member

Role = CommunityRole.Role


def body_with_members(community=None, *, kind=BodyPage.Kind.OWNERS_COMMITTEE, seats=5, members=None):
    community = community or CommunityPageFactory()
    body = BodyPage(title=f"{community.title}业委会", slug=f"body-{kind}", kind=kind, seat_count=seats)
    community.add_child(instance=body)
    users = []
    for i in range(seats if members is None else members):
        user = UserFactory()
        role = Role.DELIBERATION_COUNCIL if kind == BodyPage.Kind.DELIBERATION_COUNCIL else Role.OWNERS_COMMITTEE
        from home.services.roles import role_grant

        role_grant(user, community, role)
        person = PersonFactory(full_name=f"委员{i}", user=user)
        Membership.objects.create(body=body, person=person, term_start=date(2024, 1, 1), term_end=date(2029, 1, 1))
        users.append(user)
    return community, body, users


def meeting_under(body, *, starts_at=None, title="第一次会议", agenda=("审议年度预算",)):
    meeting = MeetingPage(
        title=title,
        slug=f"m-{MeetingPage.objects.count() + 1}",
        starts_at=starts_at or timezone.now() + timedelta(days=30),
    )
    for i, item in enumerate(agenda):
        meeting.agenda_items.add(AgendaItem(title=item, sort_order=i))
    body.add_child(instance=meeting)
    return meeting


def shanghai(y, m, d, hh=9):
    from zoneinfo import ZoneInfo

    return datetime(y, m, d, hh, tzinfo=ZoneInfo("Asia/Shanghai"))


def staff_of(community):
    return member(community, Role.COMMUNITY_STAFF)


def resident_of(community):
    return member(community, Role.OWNER)
