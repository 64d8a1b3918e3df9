import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from governance.models import PolicyIndexPage
from home.models import AuditEntry, CommunityPage, CommunityRole
from home.services.communities import (
    child_page_ensure,
    community_create,
    community_ensure,
    community_index_ensure,
    home_page_intro_set,
)
from home.services.roles import bureau_group
from tests.factories import SubDistrictFactory, UserFactory, community_index_page, home_page, member

pytestmark = pytest.mark.django_db
Role = CommunityRole.Role


def _fields(**overrides):
    fields = {
        "title": "铁路新村",
        "slug": "tielu-xincun",
        "sub_district": SubDistrictFactory(),
        "address": "铁西街道建设路12号",
        "year_built": 1978,
        "management_mode": CommunityPage.ManagementMode.BUNDLED,
        "renovation_status": CommunityPage.RenovationStatus.IN_PLAN,
    }
    fields.update(overrides)
    return fields


def _bureau_user():
    user = UserFactory()
    bureau_group().user_set.add(user)
    return user


def test_community_create_publishes_the_page_under_the_index():
    community = community_create(actor=None, index_page=community_index_page(), **_fields())
    community.refresh_from_db()
    assert community.live
    assert community.get_parent().specific == community_index_page()
    assert community.get_latest_revision() is not None
    assert community.url.endswith("/tielu-xincun/")


def test_community_create_makes_one_group_per_role_with_page_permissions_on_its_subtree():
    community = community_create(actor=None, index_page=community_index_page(), **_fields())
    assert set(CommunityRole.objects.filter(community=community).values_list("role", flat=True)) == set(Role.values)
    secretary = member(community, Role.OWNERS_COMMITTEE)
    assert community.permissions_for_user(secretary).can_publish()


def test_community_create_writes_an_audit_entry_with_the_bureau_actor():
    officer = _bureau_user()
    community = community_create(actor=officer, index_page=community_index_page(), **_fields())
    entry = AuditEntry.objects.get(action="community.create", target_id=str(community.pk))
    assert entry.actor == officer
    assert entry.community_id == community.pk
    assert entry.after["management_mode"] == "bundled"


def test_sgyy_compound_keeps_its_former_work_unit():
    community = community_create(
        actor=None,
        index_page=community_index_page(),
        **_fields(is_sgyy_compound=True, former_property_unit="新乡铁路分局"),
    )
    assert community.is_sgyy_compound
    assert community.former_property_unit == "新乡铁路分局"


def test_sgyy_compound_without_former_work_unit_is_refused_and_nothing_is_written():
    with pytest.raises(ValidationError) as excinfo:
        community_create(actor=None, index_page=community_index_page(), **_fields(is_sgyy_compound=True))
    assert "former_property_unit" in excinfo.value.message_dict
    assert not CommunityPage.objects.exists()


def test_a_resident_or_committee_member_may_not_create_a_community():
    community = community_create(actor=None, index_page=community_index_page(), **_fields())
    secretary = member(community, Role.OWNERS_COMMITTEE)
    with pytest.raises(PermissionDenied):
        community_create(actor=secretary, index_page=community_index_page(), **_fields(slug="other"))
    assert CommunityPage.objects.count() == 1


def test_second_community_with_the_same_slug_is_refused_in_chinese():
    community_create(actor=None, index_page=community_index_page(), **_fields())
    with pytest.raises(ValidationError) as excinfo:
        community_create(actor=None, index_page=community_index_page(), **_fields(title="别的小区"))
    assert "tielu-xincun" in excinfo.value.message_dict["slug"][0]
    assert CommunityPage.objects.count() == 1


@pytest.mark.parametrize(
    ("field", "value"),
    [("year_built", 1800), ("year_built", 3000), ("management_mode", "mafia"), ("renovation_status", "done")],
)
def test_implausible_facts_are_refused(field, value):
    with pytest.raises(ValidationError) as excinfo:
        community_create(actor=None, index_page=community_index_page(), **_fields(**{field: value}))
    assert field in excinfo.value.message_dict
    assert not CommunityPage.objects.exists()


def test_community_ensure_twice_creates_one_community():
    first = community_ensure(actor=None, index_page=community_index_page(), **_fields())
    second = community_ensure(actor=None, index_page=community_index_page(), **_fields(title="改了名"))
    assert first.pk == second.pk
    assert CommunityPage.objects.count() == 1
    assert AuditEntry.objects.filter(action="community.create").count() == 1


def test_index_pages_are_ensured_once_including_the_policy_index_of_governance():
    home = home_page()
    index = community_index_ensure(actor=None, home_page=home, title="小区", slug="xiaoqu", intro="<p>全市小区</p>")
    again = community_index_ensure(actor=None, home_page=home, title="小区", slug="xiaoqu")
    policy = child_page_ensure(actor=None, parent=home, page_class=PolicyIndexPage, slug="zhengce", title="政策指引")
    assert index.pk == again.pk and index.live
    assert isinstance(policy, PolicyIndexPage) and policy.live
    assert PolicyIndexPage.objects.count() == 1


def test_home_page_intro_is_published_and_audited_only_when_it_changes():
    home = home_page()
    home_page_intro_set(actor=None, home_page=home, intro="<p>欢迎</p>")
    home_page_intro_set(actor=None, home_page=home, intro="<p>欢迎</p>")
    home.refresh_from_db()
    assert home.intro == "<p>欢迎</p>"
    assert AuditEntry.objects.filter(action="home_page.intro_set").count() == 1
