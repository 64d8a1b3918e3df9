"""我的账户 (/me/): details, units, claims with reasons, roles per community, links onward."""

import pytest
from django.urls import reverse

from home.models import CommunityRole, Unit
from home.services.claims import unit_claim_reject, unit_claim_submit, unit_claim_verify
from tests.factories import UserFactory, community_with_units, member

pytestmark = pytest.mark.django_db
Role = CommunityRole.Role


def test_profile_needs_a_login(client):
    response = client.get(reverse("profile"))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("account_login"))


def test_profile_shows_my_own_phone_in_full_and_my_email(client):
    user = UserFactory(phone="+8613812345678", email="wang@example.com", full_name="王秀英")
    client.force_login(user)
    html = client.get(reverse("profile")).content.decode()
    assert "138 1234 5678" in html
    assert "wang@example.com" in html
    assert 'value="王秀英"' in html
    assert reverse("account_change_password") in html
    assert reverse("account_change_phone") in html
    assert reverse("home:notifications") in html


def test_profile_shows_units_claims_with_reasons_and_roles(client):
    community = community_with_units(buildings=1, entrances=1, units=3)
    units = list(Unit.objects.filter(entrance__building__community=community))
    secretary = member(community, Role.OWNERS_COMMITTEE)
    user = UserFactory()
    unit_claim_verify(
        actor=secretary,
        claim=unit_claim_submit(user=user, unit=units[0], relation="owner", claimant_name="王秀英"),
    )
    unit_claim_reject(
        actor=secretary,
        claim=unit_claim_submit(user=user, unit=units[1], relation="tenant", claimant_name="王秀英"),
        reason="未提供租赁合同",
    )
    unit_claim_submit(user=user, unit=units[2], relation="family", claimant_name="王秀英")
    client.force_login(user)
    html = client.get(reverse("profile")).content.decode()
    assert units[0].label in html
    assert "已核验" in html and "已驳回" in html and "待核验" in html
    assert "未提供租赁合同" in html
    assert "居民" in html and "业主" in html
    assert community.title in html
    assert reverse("home:claim_start", kwargs={"community_id": community.pk}) in html
    assert reverse("home:claim_withdraw", kwargs={"pk": user.unit_claims.get(status="pending").pk}) in html
    assert "您有 2 条未读通知" in html  # verified + rejected


def test_committee_members_find_their_queue_and_audit_log_on_the_profile(client):
    community = community_with_units(buildings=1)
    client.force_login(member(community, Role.OWNERS_COMMITTEE))
    html = client.get(reverse("profile")).content.decode()
    assert reverse("home:claim_queue", kwargs={"community_id": community.pk}) in html
    assert reverse("home:audit_log", kwargs={"community_id": community.pk}) in html


def test_a_resident_sees_no_committee_links(client):
    community = community_with_units(buildings=1)
    client.force_login(member(community, Role.RESIDENT))
    html = client.get(reverse("profile")).content.decode()
    assert reverse("home:claim_queue", kwargs={"community_id": community.pk}) not in html
    assert reverse("home:audit_log", kwargs={"community_id": community.pk}) not in html


def test_profile_saves_a_new_name(client):
    user = UserFactory(full_name="王秀")
    client.force_login(user)
    response = client.post(reverse("profile"), {"full_name": " 王秀英 "})
    assert response["Location"] == reverse("profile")
    user.refresh_from_db()
    assert user.full_name == "王秀英"


def test_profile_refuses_an_empty_name(client):
    user = UserFactory(full_name="王秀英")
    client.force_login(user)
    response = client.post(reverse("profile"), {"full_name": "   "})
    assert response.status_code == 400
    assert "请填写您的姓名" in response.content.decode()
    user.refresh_from_db()
    assert user.full_name == "王秀英"


def test_profile_query_count_does_not_grow_with_claims_roles_and_notifications(client, django_assert_max_num_queries):
    user = UserFactory()
    client.force_login(user)

    def belong_to_one_more_community():
        community = community_with_units(buildings=1, entrances=1, units=2)
        units = list(Unit.objects.filter(entrance__building__community=community))
        secretary = member(community, Role.OWNERS_COMMITTEE)
        claim = unit_claim_submit(user=user, unit=units[0], relation="owner", claimant_name="王秀英")
        unit_claim_verify(actor=secretary, claim=claim)
        unit_claim_submit(user=user, unit=units[1], relation="family", claimant_name="王秀英")

    belong_to_one_more_community()
    with django_assert_max_num_queries(30) as few:
        client.get(reverse("profile"))
    for _ in range(3):
        belong_to_one_more_community()
    with django_assert_max_num_queries(len(few.captured_queries)):
        html = client.get(reverse("profile")).content.decode()
    assert html.count("在此小区申请房屋认证") == 4
