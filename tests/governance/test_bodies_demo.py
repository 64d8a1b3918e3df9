"""The demo seed of bodies (G1): every kind in place with members, the interim committee keeps half its seats
for owners (C-15), a second run adds nothing."""

from io import StringIO

import pytest

from governance.models import BodyPage, Membership
from home.models import CommunityPage
from portal.management.demo_bodies import seed_bodies
from tests.factories import OwnershipFactory, UnitFactory, community_with_units

pytestmark = pytest.mark.django_db
Kind = BodyPage.Kind


def community_with_owners(**kwargs):
    community = community_with_units(buildings=2, entrances=1, units=9, **kwargs)
    from home.models import Unit

    for unit in Unit.objects.filter(entrance__building__community=community):
        OwnershipFactory(unit=unit)
    return community


def test_seed_bodies_creates_the_three_bodies_with_members_once():
    community = community_with_owners(management_mode=CommunityPage.ManagementMode.MARKET_COMPANY)
    bare = community_with_owners(management_mode=CommunityPage.ManagementMode.NONE)
    seed_bodies(StringIO())
    counts = Membership.objects.count()
    seed_bodies(StringIO())
    assert Membership.objects.count() == counts

    kinds = set(BodyPage.objects.child_of(community).values_list("kind", flat=True))
    assert {Kind.PARTY_BRANCH, Kind.DELIBERATION_COUNCIL, Kind.OWNERS_COMMITTEE} <= kinds
    committee = BodyPage.objects.child_of(community).get(kind=Kind.OWNERS_COMMITTEE)
    assert Membership.objects.filter(body=committee).count() == 7
    assert BodyPage.objects.child_of(bare).filter(kind=Kind.RESIDENTS_COMMITTEE_SELF_MGMT).exists()
    assert not BodyPage.objects.child_of(bare).filter(kind=Kind.OWNERS_COMMITTEE).exists()


def test_seed_bodies_skips_a_community_without_enough_owners():
    community = community_with_units(buildings=1, entrances=1, units=2)
    for unit in UnitFactory._meta.model.objects.filter(entrance__building__community=community):
        OwnershipFactory(unit=unit)
    out = StringIO()
    seed_bodies(out)
    assert not BodyPage.objects.child_of(community).exists()
    assert "skipped" in out.getvalue()
