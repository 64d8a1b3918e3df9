"""Demo meetings: two past meetings with published minutes and resolutions and one upcoming with its notice,
per body; running the seed twice changes nothing."""

from io import StringIO

import pytest

from governance.models import BodyPage, MeetingPage, Minutes, MinutesSignature, Resolution
from portal.management.demo_meetings import seed_meetings
from tests.governance.test_meetings_support import body_with_members

pytestmark = pytest.mark.django_db


def counts():
    return (
        MeetingPage.objects.count(),
        Minutes.objects.filter(status="published").count(),
        Resolution.objects.count(),
        MinutesSignature.objects.count(),
    )


def test_seed_meetings_for_each_body_is_idempotent():
    community, committee, _users = body_with_members(seats=5)
    council = BodyPage(title="居民议事会", slug="council", kind=BodyPage.Kind.DELIBERATION_COUNCIL, seat_count=5)
    community.add_child(instance=council)
    seed_meetings(StringIO())
    first = counts()
    assert MeetingPage.objects.child_of(committee).count() == 3
    past = MeetingPage.objects.child_of(committee).order_by("starts_at")[:2]
    for meeting in past:
        assert meeting.minutes.status == Minutes.Status.PUBLISHED
        assert meeting.resolutions.count() == 2
        # every attending member has signed
        assert (
            meeting.minutes.revisions.get().signatures.count() == meeting.attendances.filter(status="present").count()
        )
    upcoming = MeetingPage.objects.child_of(committee).order_by("-starts_at").first()
    assert upcoming.notice_published_at is not None
    seed_meetings(StringIO())
    assert counts() == first
