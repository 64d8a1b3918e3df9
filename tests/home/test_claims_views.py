"""The claim form, the committee's queue and its decisions, over HTTP: scoping, refusals, no-JS flow."""

import re

import pytest
from django.urls import reverse

from home import permissions
from home.models import CommunityRole, Residency, Unit, UnitClaim
from home.services.claims import unit_claim_submit
from tests.factories import UserFactory, community_with_units, member

pytestmark = pytest.mark.django_db
Role = CommunityRole.Role
Status = UnitClaim.Status


@pytest.fixture
def community():
    return community_with_units(buildings=2, entrances=2, units=3)


@pytest.fixture
def other():
    return community_with_units(buildings=1, entrances=1, units=2)


def units_of(community):
    return Unit.objects.filter(entrance__building__community=community).select_related("entrance__building")


def claim_url(community, building=None):
    url = reverse("home:claim_start", kwargs={"community_id": community.pk})
    return f"{url}?building={building.pk}" if building else url


def queue_url(community):
    return reverse("home:claim_queue", kwargs={"community_id": community.pk})


def decide_url(community, claim):
    return reverse("home:claim_decide", kwargs={"community_id": community.pk, "pk": claim.pk})


def pending_claim(unit, **overrides):
    data = {"relation": "owner", "claimant_name": "王秀英", "evidence_note": "产权证尾号 1234", **overrides}
    user = data.pop("user", None) or UserFactory()
    return unit_claim_submit(user=user, unit=unit, **data)


def post_claim(client, community, unit_obj, **overrides):
    data = {
        "building": unit_obj.entrance.building_id,
        "unit": unit_obj.pk,
        "relation": "owner",
        "claimant_name": "王秀英",
        "evidence_note": "",
        **overrides,
    }
    return client.post(claim_url(community, unit_obj.entrance.building), data)


# --- the claim form -----------------------------------------------------------------------------------------


def test_claim_form_needs_a_login(client, community):
    response = client.get(claim_url(community))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("account_login"))


def test_step_one_lists_the_buildings_as_links(client, community):
    client.force_login(UserFactory())
    html = client.get(claim_url(community)).content.decode()
    assert "第1步" in html
    for building in community.buildings.all():
        assert f'href="?building={building.pk}"' in html


def test_step_two_groups_the_rooms_by_entrance(client, community):
    client.force_login(UserFactory(full_name="王秀英"))
    building = community.buildings.first()
    html = client.get(claim_url(community, building)).content.decode()
    assert html.count("<optgroup") == 2
    assert '<optgroup label="1单元">' in html
    assert 'value="王秀英"' in html  # the name is filled in from the account
    assert 'type="radio"' in html


def test_building_of_another_community_is_not_found(client, community, other):
    client.force_login(UserFactory())
    assert client.get(claim_url(community, other.buildings.first())).status_code == 404
    assert client.get(claim_url(community) + "?building=abc").status_code == 404


def test_posting_a_claim_creates_it_and_goes_to_the_profile(client, community):
    user = UserFactory()
    client.force_login(user)
    unit = units_of(community).first()
    response = post_claim(client, community, unit)
    assert response.status_code == 302
    assert response["Location"] == reverse("profile")
    claim = UnitClaim.objects.get()
    assert (claim.user, claim.unit, claim.status) == (user, unit, Status.PENDING)
    assert "已提交" in client.get(reverse("profile")).content.decode()


def test_claim_of_a_unit_that_does_not_exist_is_a_chinese_form_error_and_nothing_is_written(client, community):
    client.force_login(UserFactory())
    unit = units_of(community).first()
    response = post_claim(client, community, unit, unit=987_654)
    assert response.status_code == 400
    assert "请从列表中选择房间" in response.content.decode()
    assert not UnitClaim.objects.exists()


def test_claim_of_a_unit_in_another_building_is_refused(client, community):
    client.force_login(UserFactory())
    first, second = community.buildings.all()[:2]
    unit_elsewhere = units_of(community).filter(entrance__building=second).first()
    response = client.post(
        claim_url(community, first),
        {"building": first.pk, "unit": unit_elsewhere.pk, "relation": "owner", "claimant_name": "王秀英"},
    )
    assert response.status_code == 400
    assert not UnitClaim.objects.exists()


def test_second_claim_of_the_same_unit_shows_the_refusal_next_to_the_room(client, community):
    client.force_login(UserFactory())
    unit = units_of(community).first()
    post_claim(client, community, unit)
    response = post_claim(client, community, unit, relation="family")
    html = response.content.decode()
    assert response.status_code == 400
    assert "您已申请过该房屋" in html
    assert 'id="id_unit_error"' in html
    assert UnitClaim.objects.count() == 1


def test_claim_without_name_or_relation_is_refused_in_chinese(client, community):
    client.force_login(UserFactory())
    unit = units_of(community).first()
    html = post_claim(client, community, unit, claimant_name="", relation="").content.decode()
    assert "请填写您的姓名" in html
    assert "请选择您是业主、家庭成员还是租户" in html
    assert not UnitClaim.objects.exists()


def test_claim_form_of_a_600_unit_community_keeps_a_flat_query_count(client, django_assert_max_num_queries):
    big = community_with_units(buildings=2, entrances=6, units=50)
    client.force_login(UserFactory())
    building = big.buildings.first()
    client.get(claim_url(big, building))  # warm the site-root cache, as any earlier request would have
    with django_assert_max_num_queries(12):
        html = client.get(claim_url(big, building)).content.decode()
    assert html.count("<option") == 300 + 1


# --- the committee's queue ----------------------------------------------------------------------------------


def test_queue_shows_pending_claims_with_the_phone_masked(client, community):
    claim = pending_claim(units_of(community).first(), user=UserFactory(phone="+8613912345678"))
    client.force_login(member(community, Role.OWNERS_COMMITTEE))
    html = client.get(queue_url(community)).content.decode()
    assert claim.unit.label in html
    assert "王秀英" in html
    assert "139****5678" in html
    assert "13912345678" not in html
    assert "产权证尾号 1234" in html


def test_queue_marks_a_phone_that_matches_the_register(client, community):
    from tests.factories import OwnershipFactory, PersonFactory

    unit = units_of(community).first()
    OwnershipFactory(unit=unit, person=PersonFactory(full_name="王秀英", phone="13912345678"))
    pending_claim(unit, user=UserFactory(phone="+8613912345678"))
    client.force_login(member(community, Role.OWNERS_COMMITTEE))
    assert "手机号与登记一致" in client.get(queue_url(community)).content.decode()


def test_queue_shows_only_this_communitys_claims(client, community, other):
    pending_claim(units_of(other).first(), claimant_name="外小区申请人")
    client.force_login(member(community, Role.OWNERS_COMMITTEE))
    assert "外小区申请人" not in client.get(queue_url(community)).content.decode()


def test_committee_member_of_another_community_gets_403_on_the_queue(client, community, other):
    client.force_login(member(other, Role.OWNERS_COMMITTEE))
    assert client.get(queue_url(community)).status_code == 403


@pytest.mark.parametrize("role", [Role.RESIDENT, Role.OWNER, Role.PROPERTY_STAFF])
def test_other_roles_get_403_on_the_queue(client, community, role):
    client.force_login(member(community, role))
    assert client.get(queue_url(community)).status_code == 403


def test_community_staff_see_the_queue(client, community):
    client.force_login(member(community, Role.COMMUNITY_STAFF))
    response = client.get(queue_url(community))
    assert response.status_code == 200
    assert "待审核的房屋认证申请" in response.content.decode()


def test_anonymous_visitor_is_sent_to_login_from_the_queue(client, community):
    response = client.get(queue_url(community))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("account_login"))


def test_queue_query_count_does_not_grow_with_the_claims(client, community, django_assert_max_num_queries):
    client.force_login(member(community, Role.OWNERS_COMMITTEE))
    for unit in units_of(community)[:1]:
        pending_claim(unit)
    with django_assert_max_num_queries(25) as one:
        client.get(queue_url(community))
    for unit in units_of(community)[1:]:
        pending_claim(unit)
        pending_claim(unit)
    with django_assert_max_num_queries(len(one.captured_queries)):
        html = client.get(queue_url(community)).content.decode()
    assert html.count('class="card stack" id="claim-') == 20  # one page


# --- decisions ---------------------------------------------------------------------------------------------


def test_committee_verifies_and_the_resident_then_sees_community_only_content(client, community):
    claimant = UserFactory()
    claim = pending_claim(units_of(community).first(), user=claimant)
    client.force_login(member(community, Role.OWNERS_COMMITTEE))
    response = client.post(decide_url(community, claim), {"decision": "verify"})
    assert response.status_code == 302
    assert response["Location"] == queue_url(community)
    claim.refresh_from_db()
    assert claim.status == Status.VERIFIED
    assert Residency.objects.filter(person__user=claimant, unit=claim.unit).exists()

    client.force_login(claimant)
    assert permissions.is_verified_resident(type(claimant).objects.get(pk=claimant.pk), community)
    residents = reverse("home:community_residents", kwargs={"community_id": community.pk})
    assert client.get(residents).status_code == 200


def test_reject_without_a_reason_shows_a_chinese_error_at_the_field_and_changes_nothing(client, community):
    claim = pending_claim(units_of(community).first())
    client.force_login(member(community, Role.OWNERS_COMMITTEE))
    response = client.post(decide_url(community, claim), {"decision": "reject", "reason": ""})
    html = response.content.decode()
    assert response.status_code == 400
    assert "请填写驳回理由" in html
    assert f'id="reason-{claim.pk}_error"' in html
    assert re.search(rf'<textarea[^>]*aria-describedby="[^"]*reason-{claim.pk}_error', html)
    claim.refresh_from_db()
    assert claim.status == Status.PENDING


def test_reject_with_a_reason(client, community):
    claim = pending_claim(units_of(community).first())
    client.force_login(member(community, Role.OWNERS_COMMITTEE))
    client.post(decide_url(community, claim), {"decision": "reject", "reason": "房号与登记表不符"})
    claim.refresh_from_db()
    assert (claim.status, claim.decision_reason) == (Status.REJECTED, "房号与登记表不符")


def test_committee_member_of_a_cannot_decide_a_claim_in_b(client, community, other):
    """Posting to B's URL is 403; smuggling B's claim into A's URL is 404. Nothing changes either way."""
    claim_in_b = pending_claim(units_of(other).first())
    client.force_login(member(community, Role.OWNERS_COMMITTEE))
    assert client.post(decide_url(other, claim_in_b), {"decision": "verify"}).status_code == 403
    assert client.post(decide_url(community, claim_in_b), {"decision": "verify"}).status_code == 404
    claim_in_b.refresh_from_db()
    assert claim_in_b.status == Status.PENDING
    assert not Residency.objects.exists()


def test_decide_is_post_only(client, community):
    claim = pending_claim(units_of(community).first())
    client.force_login(member(community, Role.OWNERS_COMMITTEE))
    assert client.get(decide_url(community, claim)).status_code == 405


def test_unknown_decision_changes_nothing(client, community):
    claim = pending_claim(units_of(community).first())
    client.force_login(member(community, Role.OWNERS_COMMITTEE))
    assert client.post(decide_url(community, claim), {"decision": "maybe"}).status_code == 400
    claim.refresh_from_db()
    assert claim.status == Status.PENDING


# --- withdraw ------------------------------------------------------------------------------------------------


def test_claimant_withdraws_from_the_profile(client, community):
    claimant = UserFactory()
    claim = pending_claim(units_of(community).first(), user=claimant)
    client.force_login(claimant)
    assert "撤回申请" in client.get(reverse("profile")).content.decode()
    client.post(reverse("home:claim_withdraw", kwargs={"pk": claim.pk}))
    claim.refresh_from_db()
    assert claim.status == Status.WITHDRAWN


def test_nobody_can_withdraw_someone_elses_claim(client, community):
    claim = pending_claim(units_of(community).first())
    client.force_login(UserFactory())
    assert client.post(reverse("home:claim_withdraw", kwargs={"pk": claim.pk})).status_code == 404
    claim.refresh_from_db()
    assert claim.status == Status.PENDING
