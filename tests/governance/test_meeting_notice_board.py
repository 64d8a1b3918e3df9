"""Publishing a meeting's notice also posts it on the community's notice board (type "meeting notice")."""

from datetime import timedelta

import pytest
from django.utils import timezone

from governance.models import BodyPage, NoticePage
from governance.services import meetings as svc
from governance.services.notices import notices_visible_to
from tests.governance.test_meetings_support import body_with_members, meeting_under, resident_of, shanghai, staff_of

pytestmark = pytest.mark.django_db


def test_assembly_notice_appears_on_the_board_for_residents_with_agenda_A09():
    community, body, _users = body_with_members(kind=BodyPage.Kind.OWNERS_ASSEMBLY, seats=5)
    meeting = meeting_under(body, starts_at=timezone.now() + timedelta(days=20), agenda=("审议年度预算", "选举业委会"))
    svc.meeting_notice_publish(actor=staff_of(community), meeting=meeting)
    notice = NoticePage.objects.child_of(community).get()
    assert notice.expire_at == meeting.starts_at + timedelta(days=1)
    assert notice.live and notice.notice_type == NoticePage.Type.MEETING and not notice.is_public
    assert "审议年度预算" in notice.body and "选举业委会" in notice.body
    assert notice in notices_visible_to(resident_of(community), community)


def test_party_branch_meeting_stays_off_the_community_board_G03():
    community, body, _users = body_with_members(kind=BodyPage.Kind.PARTY_BRANCH, seats=3)
    meeting = meeting_under(body, starts_at=shanghai(2026, 3, 16, 19))
    svc.meeting_notice_publish(actor=staff_of(community), meeting=meeting, now=shanghai(2026, 3, 1, 10))
    assert not NoticePage.objects.child_of(community).exists()
