import pytest

from home import permissions
from home.models import CommunityRole
from tests.factories import CommunityPageFactory, member

pytestmark = pytest.mark.django_db
Role = CommunityRole.Role


def test_a_new_community_gets_one_group_per_role():
    community = CommunityPageFactory()
    assert set(CommunityRole.objects.filter(community=community).values_list("role", flat=True)) == set(Role.values)


def test_committee_role_in_one_community_gives_nothing_in_another():
    a, b = CommunityPageFactory(), CommunityPageFactory()
    secretary = member(a, Role.OWNERS_COMMITTEE)
    assert permissions.can_verify_claims(secretary, a)
    assert not permissions.can_verify_claims(secretary, b)
    assert not permissions.can_view_community_content(secretary, b)


def test_committee_can_edit_pages_under_its_own_community_only():
    a, b = CommunityPageFactory(), CommunityPageFactory()
    secretary = member(a, Role.OWNERS_COMMITTEE)
    assert a.permissions_for_user(secretary).can_edit()
    assert a.permissions_for_user(secretary).can_publish()
    assert not b.permissions_for_user(secretary).can_edit()
