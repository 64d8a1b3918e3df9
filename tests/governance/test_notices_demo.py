"""The demo notices seed: a handful per community, an emergency one pinned, safe to run twice."""

import io

import pytest
from wagtail.models import WorkflowPage

from governance.models import NoticePage
from portal.management.demo_notices import seed_notices
from tests.factories import community_with_units

pytestmark = pytest.mark.django_db


def test_seed_notices_is_idempotent_and_covers_each_kind():
    community = community_with_units(buildings=2, entrances=1, units=1)
    seed_notices(io.StringIO())
    seed_notices(io.StringIO())
    notices = NoticePage.objects.child_of(community).live()
    assert notices.count() == 5
    assert {n.notice_type for n in notices} == set(NoticePage.Type.values)
    assert notices.filter(notice_type=NoticePage.Type.EMERGENCY, expire_at__isnull=False).exists()
    assert notices.filter(disclosure_category=NoticePage.DisclosureCategory.MAINTENANCE_FUND).exists()
    assert notices.filter(audience=NoticePage.Audience.BUILDINGS, buildings__isnull=False).exists()
    assert WorkflowPage.objects.filter(page=community).count() == 1
