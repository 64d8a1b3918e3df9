"""The audit log page of one community: who may see it, what it shows, and a flat query count."""

import pytest
from django.urls import reverse

from home.models import CommunityRole, Unit
from home.services.audit import audit_record
from home.services.claims import unit_claim_reject, unit_claim_submit, unit_claim_verify
from home.services.roles import bureau_group
from home.views.audit import action_label, changes_of, value_text
from tests.factories import UserFactory, community_with_units, member

pytestmark = pytest.mark.django_db
Role = CommunityRole.Role


@pytest.fixture
def community():
    return community_with_units(buildings=1, entrances=1, units=4)


@pytest.fixture
def secretary(community):
    return member(community, Role.OWNERS_COMMITTEE, full_name="李秘书")


def audit_url(community):
    return reverse("home:audit_log", kwargs={"community_id": community.pk})


def claim_history(community, secretary):
    units = list(Unit.objects.filter(entrance__building__community=community))
    verified = unit_claim_submit(user=UserFactory(), unit=units[0], relation="owner", claimant_name="王秀英")
    unit_claim_verify(actor=secretary, claim=verified)
    rejected = unit_claim_submit(user=UserFactory(), unit=units[1], relation="tenant", claimant_name="赵六")
    unit_claim_reject(actor=secretary, claim=rejected, reason="租赁合同未提供")


def test_committee_sees_who_did_what_with_before_and_after_in_chinese(client, community, secretary):
    claim_history(community, secretary)
    client.force_login(secretary)
    html = client.get(audit_url(community)).content.decode()
    assert "审计日志" in html
    assert "提交房屋认证申请" in html
    assert "房屋认证通过" in html
    assert "房屋认证驳回" in html
    assert "李秘书" in html
    assert "待核验 → 已核验" in html
    assert "租赁合同未提供" in html


def test_bureau_staff_see_any_communitys_log(client, community, secretary):
    claim_history(community, secretary)
    officer = UserFactory()
    bureau_group().user_set.add(officer)
    client.force_login(officer)
    assert client.get(audit_url(community)).status_code == 200


def test_committee_of_another_community_gets_403(client, community):
    client.force_login(member(community_with_units(buildings=1), Role.OWNERS_COMMITTEE))
    assert client.get(audit_url(community)).status_code == 403


@pytest.mark.parametrize("role", [Role.RESIDENT, Role.OWNER, Role.PARTY_BRANCH, Role.PROPERTY_STAFF])
def test_other_roles_of_the_community_get_403(client, community, role):
    client.force_login(member(community, role))
    assert client.get(audit_url(community)).status_code == 403


def test_anonymous_visitor_is_sent_to_login(client, community):
    response = client.get(audit_url(community))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("account_login"))


def test_log_shows_only_this_communitys_entries(client, community, secretary):
    other = community_with_units(buildings=1)
    unit = Unit.objects.filter(entrance__building__community=other).first()
    unit_claim_submit(user=UserFactory(), unit=unit, relation="owner", claimant_name="外小区的人")
    client.force_login(secretary)
    assert "外小区的人" not in client.get(audit_url(community)).content.decode()


def test_log_filters_by_kind_of_change(client, community, secretary):
    claim_history(community, secretary)
    client.force_login(secretary)
    html = client.get(audit_url(community) + "?action=unit_claim.reject").content.decode()
    assert "租赁合同未提供" in html
    assert "待核验 → 已核验" not in html
    unknown = client.get(audit_url(community) + "?action=nonsense").content.decode()
    assert "待核验 → 已核验" in unknown  # an unknown filter is ignored


def test_log_query_count_does_not_grow_with_the_entries(client, community, secretary, django_assert_max_num_queries):
    client.force_login(secretary)
    unit = Unit.objects.filter(entrance__building__community=community).first()
    audit_record(actor=secretary, community=community, action="unit.update", target=unit, after={"room": "101"})
    with django_assert_max_num_queries(20) as few:
        client.get(audit_url(community))
    for n in range(80):
        actor = UserFactory(full_name=f"操作人{n}")
        audit_record(actor=actor, community=community, action="unit.update", target=unit, after={"room": f"{n}"})
    with django_assert_max_num_queries(len(few.captured_queries)):
        html = client.get(audit_url(community)).content.decode()
    assert html.count('<li class="card">') == 25  # one page of entries


@pytest.mark.parametrize(
    ("action", "label"),
    [
        ("unit_claim.verify", "房屋认证通过"),
        ("register.import", "导入房屋登记表"),
        ("building.create", "创建楼栋"),
        ("ownership.add", "添加产权"),
        ("something.odd", "something.odd"),
    ],
)
def test_actions_are_named_in_chinese(action, label):
    from django.utils import translation

    with translation.override("zh-hans"):
        assert action_label(action) == label


def test_values_are_shown_readably():
    from django.utils import translation

    with translation.override("zh-hans"):
        assert value_text("verified") == "已核验"
        assert value_text(["resident", "owner"]) == "居民、业主"
        assert value_text(True) == "是"
        assert value_text(None) == "—"
        assert value_text("长" * 100).endswith("…")


def test_changes_list_every_field_once_in_order():
    class Entry:
        before = {"status": "pending"}
        after = {"status": "verified", "reason": "ok"}

    from django.utils import translation

    with translation.override("zh-hans"):
        changes = changes_of(Entry())
    assert [(c["field"], c["before"], c["after"]) for c in changes] == [
        ("状态", "待核验", "已核验"),
        ("理由", None, "ok"),
    ]
