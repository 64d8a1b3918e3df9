"""Unit claims through the services: submit, verify, reject, withdraw — and every refusal."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import translation

from home import permissions
from home.models import AuditEntry, CommunityRole, Notification, Person, Residency, Unit, UnitClaim
from home.services.claims import unit_claim_reject, unit_claim_submit, unit_claim_verify, unit_claim_withdraw
from tests.factories import OwnershipFactory, PersonFactory, UserFactory, community_with_units, member

pytestmark = pytest.mark.django_db
Role = CommunityRole.Role
Status = UnitClaim.Status


@pytest.fixture(autouse=True)
def _chinese():
    with translation.override("zh-hans"):
        yield


@pytest.fixture
def community():
    return community_with_units(buildings=2, entrances=2, units=3)


@pytest.fixture
def unit(community):
    return Unit.objects.filter(entrance__building__community=community).first()


@pytest.fixture
def secretary(community):
    return member(community, Role.OWNERS_COMMITTEE, full_name="李秘书")


def submit(user, unit, **overrides):
    data = {"relation": "owner", "claimant_name": "王秀英", "evidence_note": "产权证尾号 1234", **overrides}
    return unit_claim_submit(user=user, unit=unit, **data)


def messages_of(error: ValidationError) -> str:
    return " ".join(error.messages)


# --- submit ---------------------------------------------------------------------------------------------------


def test_submitted_claim_is_pending_audited_and_tells_the_committee(community, unit, secretary):
    other_community_secretary = member(community_with_units(buildings=1), Role.OWNERS_COMMITTEE)
    claimant = UserFactory()
    claim = submit(claimant, unit)
    assert claim.status == Status.PENDING
    entry = AuditEntry.objects.get(action="unit_claim.submit")
    assert entry.community_id == community.pk
    assert entry.actor == claimant
    assert entry.after["status"] == "pending"
    notification = Notification.objects.get(recipient=secretary)
    assert "待审核" in notification.title
    assert unit.label in notification.body
    assert notification.url == f"/community/{community.pk}/claims/"
    assert not Notification.objects.filter(recipient=other_community_secretary).exists()


def test_claim_of_a_unit_that_does_not_exist_is_refused_and_nothing_is_written(secretary):
    with pytest.raises(ValidationError) as refused:
        submit(UserFactory(), 999_999)
    assert "该房屋不存在" in messages_of(refused.value)
    assert not UnitClaim.objects.exists()
    assert not AuditEntry.objects.exists()
    assert not Notification.objects.exists()


def test_second_claim_of_the_same_unit_by_the_same_person_is_refused(unit):
    claimant = UserFactory()
    submit(claimant, unit)
    with pytest.raises(ValidationError) as refused:
        submit(claimant, unit, relation="tenant")
    assert "您已申请过该房屋" in messages_of(refused.value)
    assert UnitClaim.objects.count() == 1


def test_second_claim_after_verification_is_refused(unit, secretary):
    claimant = UserFactory()
    unit_claim_verify(actor=secretary, claim=submit(claimant, unit))
    with pytest.raises(ValidationError) as refused:
        submit(claimant, unit)
    assert "您已申请过该房屋" in messages_of(refused.value)


def test_a_new_claim_is_allowed_after_a_rejection_or_withdrawal(unit, secretary):
    claimant = UserFactory()
    unit_claim_reject(actor=secretary, claim=submit(claimant, unit), reason="信息不符")
    unit_claim_withdraw(user=claimant, claim=submit(claimant, unit))
    assert submit(claimant, unit).status == Status.PENDING


def test_two_people_may_claim_the_same_unit(unit):
    submit(UserFactory(), unit, relation="owner")
    submit(UserFactory(), unit, relation="family")
    assert UnitClaim.objects.filter(unit=unit, status=Status.PENDING).count() == 2


def test_without_a_committee_the_community_staff_are_told(community, unit):
    staff = member(community, Role.COMMUNITY_STAFF)
    submit(UserFactory(), unit)
    assert Notification.objects.get(recipient=staff).url == f"/community/{community.pk}/claims/"


def test_staff_are_not_told_when_there_is_a_committee(community, unit, secretary):
    staff = member(community, Role.COMMUNITY_STAFF)
    submit(UserFactory(), unit)
    assert not Notification.objects.filter(recipient=staff).exists()


def test_more_than_five_pending_claims_by_one_user_are_refused(community):
    claimant = UserFactory()
    units = list(Unit.objects.filter(entrance__building__community=community)[:6])
    for unit in units[:5]:
        submit(claimant, unit)
    with pytest.raises(ValidationError) as refused:
        submit(claimant, units[5])
    assert "5 份申请正在等待审核" in messages_of(refused.value)
    assert UnitClaim.objects.filter(user=claimant).count() == 5


@pytest.mark.parametrize("name", ["", "   ", None])
def test_claim_without_a_name_is_refused(unit, name):
    with pytest.raises(ValidationError) as refused:
        submit(UserFactory(), unit, claimant_name=name)
    assert "请填写您的姓名" in messages_of(refused.value)
    assert not UnitClaim.objects.exists()


def test_claim_with_an_unknown_relation_is_refused(unit):
    with pytest.raises(ValidationError) as refused:
        submit(UserFactory(), unit, relation="landlord")
    assert "业主、家庭成员还是租户" in messages_of(refused.value)


def test_claim_with_a_too_long_evidence_note_is_refused(unit):
    with pytest.raises(ValidationError):
        submit(UserFactory(), unit, evidence_note="证" * 201)
    assert not UnitClaim.objects.exists()


def test_visitors_cannot_claim(unit):
    from django.contrib.auth.models import AnonymousUser

    with pytest.raises(PermissionDenied):
        submit(AnonymousUser(), unit)


# --- verify ---------------------------------------------------------------------------------------------------


def test_verified_owner_claim_links_a_person_records_residency_and_grants_resident_and_owner(
    community, unit, secretary
):
    claimant = UserFactory(phone="+8613700000001")
    claim = unit_claim_verify(actor=secretary, claim=submit(claimant, unit))
    assert claim.status == Status.VERIFIED
    assert claim.decided_by == secretary
    assert claim.decided_at is not None
    person = Person.objects.get(user=claimant)
    assert person.full_name == "王秀英"
    residency = Residency.objects.get(person=person, unit=unit)
    assert residency.relation == "owner"
    assert residency.verified_by == secretary
    claimant = type(claimant).objects.get(pk=claimant.pk)
    assert permissions.roles_in(claimant, community) == {Role.RESIDENT, Role.OWNER}
    assert permissions.is_verified_resident(claimant, community)


def test_verified_tenant_becomes_a_resident_but_not_an_owner(community, unit, secretary):
    claimant = UserFactory()
    unit_claim_verify(actor=secretary, claim=submit(claimant, unit, relation="tenant"))
    claimant = type(claimant).objects.get(pk=claimant.pk)
    assert permissions.roles_in(claimant, community) == {Role.RESIDENT}


def test_verification_reuses_the_person_already_linked_to_the_user(unit, secretary):
    claimant = UserFactory()
    existing = PersonFactory(user=claimant, full_name="王秀英")
    unit_claim_verify(actor=secretary, claim=submit(claimant, unit))
    assert Person.objects.filter(user=claimant).get() == existing
    assert Residency.objects.get(unit=unit).person == existing


def test_verification_links_the_registered_owner_with_the_same_phone(unit, secretary):
    registered = OwnershipFactory(unit=unit, person=PersonFactory(full_name="王秀英", phone="137 0000 0001")).person
    claimant = UserFactory(phone="+8613700000001")
    unit_claim_verify(actor=secretary, claim=submit(claimant, unit))
    registered.refresh_from_db()
    assert registered.user == claimant
    assert Person.objects.count() == 1


def test_verification_is_audited_with_before_and_after(community, unit, secretary):
    claim = unit_claim_verify(actor=secretary, claim=submit(UserFactory(), unit))
    entry = AuditEntry.objects.get(action="unit_claim.verify")
    assert entry.actor == secretary
    assert entry.community_id == community.pk
    assert entry.target_id == str(claim.pk)
    assert entry.before == {"status": "pending"}
    assert entry.after["status"] == "verified"
    assert entry.after["roles"] == ["resident", "owner"]


def test_verification_tells_the_claimant(community, unit, secretary):
    claimant = UserFactory()
    unit_claim_verify(actor=secretary, claim=submit(claimant, unit))
    notification = Notification.objects.get(recipient=claimant)
    assert notification.title == "您的房屋认证已通过"
    assert unit.label in notification.body
    assert notification.url == f"/community/{community.pk}/residents/"


def test_community_staff_may_verify(community, unit):
    staff = member(community, Role.COMMUNITY_STAFF)
    assert unit_claim_verify(actor=staff, claim=submit(UserFactory(), unit)).status == Status.VERIFIED


def test_committee_member_of_another_community_cannot_verify_and_nothing_changes(unit):
    outsider = member(community_with_units(buildings=1), Role.OWNERS_COMMITTEE)
    claimant = UserFactory()
    claim = submit(claimant, unit)
    with pytest.raises(PermissionDenied):
        unit_claim_verify(actor=outsider, claim=claim)
    claim.refresh_from_db()
    assert claim.status == Status.PENDING
    assert not Residency.objects.exists()
    assert not CommunityRole.objects.filter(group__user=claimant).exists()


@pytest.mark.parametrize("role", [Role.RESIDENT, Role.OWNER, Role.PARTY_BRANCH, Role.PROPERTY_STAFF])
def test_other_roles_of_the_same_community_cannot_verify(community, unit, role):
    with pytest.raises(PermissionDenied):
        unit_claim_verify(actor=member(community, role), claim=submit(UserFactory(), unit))


def test_a_decided_claim_cannot_be_decided_again(unit, secretary):
    claim = unit_claim_verify(actor=secretary, claim=submit(UserFactory(), unit))
    with pytest.raises(ValidationError) as refused:
        unit_claim_reject(actor=secretary, claim=claim, reason="重复")
    assert "已经处理过" in messages_of(refused.value)
    claim.refresh_from_db()
    assert claim.status == Status.VERIFIED


# --- reject and withdraw ----------------------------------------------------------------------------------------


def test_rejection_needs_a_reason(unit, secretary):
    claim = submit(UserFactory(), unit)
    with pytest.raises(ValidationError) as refused:
        unit_claim_reject(actor=secretary, claim=claim, reason="  ")
    assert "请填写驳回理由" in messages_of(refused.value)
    claim.refresh_from_db()
    assert claim.status == Status.PENDING


def test_rejection_is_audited_and_tells_the_claimant_why(unit, secretary):
    claimant = UserFactory()
    claim = unit_claim_reject(actor=secretary, claim=submit(claimant, unit), reason="登记表中业主姓名不符")
    assert claim.status == Status.REJECTED
    assert claim.decision_reason == "登记表中业主姓名不符"
    assert AuditEntry.objects.get(action="unit_claim.reject").after["reason"] == "登记表中业主姓名不符"
    notification = Notification.objects.get(recipient=claimant)
    assert notification.title == "您的房屋认证未通过"
    assert "登记表中业主姓名不符" in notification.body
    assert not Residency.objects.exists()


def test_rejection_by_another_community_is_refused(unit):
    outsider = member(community_with_units(buildings=1), Role.OWNERS_COMMITTEE)
    claim = submit(UserFactory(), unit)
    with pytest.raises(PermissionDenied):
        unit_claim_reject(actor=outsider, claim=claim, reason="不符")
    claim.refresh_from_db()
    assert claim.status == Status.PENDING


def test_claimant_can_withdraw_a_pending_claim(unit):
    claimant = UserFactory()
    claim = unit_claim_withdraw(user=claimant, claim=submit(claimant, unit))
    assert claim.status == Status.WITHDRAWN
    assert AuditEntry.objects.filter(action="unit_claim.withdraw").exists()


def test_nobody_else_can_withdraw_a_claim(unit):
    claim = submit(UserFactory(), unit)
    with pytest.raises(PermissionDenied):
        unit_claim_withdraw(user=UserFactory(), claim=claim)


def test_a_verified_claim_cannot_be_withdrawn(unit, secretary):
    claimant = UserFactory()
    claim = unit_claim_verify(actor=secretary, claim=submit(claimant, unit))
    with pytest.raises(ValidationError):
        unit_claim_withdraw(user=claimant, claim=claim)
