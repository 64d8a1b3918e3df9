"""Unit claims: a user says "I live in 3号楼2单元201室 as owner / family / tenant"; the committee decides.

A verified claim links the user to a Person of the registry, records the Residency and grants the community
roles that open community-only content (resident; owner too when the relation is owner).
"""

from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from home import permissions
from home.domain.identity import normalise_mobile
from home.models import CommunityRole, Person, Residency, Unit, UnitClaim
from home.services.audit import audit_record
from home.services.notifications import notify
from home.services.roles import role_grant

Role = CommunityRole.Role
Status = UnitClaim.Status
Relation = Residency.Relation

OPEN_STATUSES = (Status.PENDING, Status.VERIFIED)
MAX_PENDING_PER_USER = 5
NAME_MAX_LENGTH = UnitClaim._meta.get_field("claimant_name").max_length
EVIDENCE_MAX_LENGTH = UnitClaim._meta.get_field("evidence_note").max_length
REASON_MAX_LENGTH = UnitClaim._meta.get_field("decision_reason").max_length


def unit_claim_submit(*, user, unit, relation, claimant_name, evidence_note="") -> UnitClaim:
    """File a claim to a unit. Refuses a unit that does not exist, an empty name, an unknown relation and a
    second open (pending or verified) claim of the same unit by the same user."""
    if user is None or not user.is_authenticated:
        raise PermissionDenied
    unit = _unit_with_address(unit)
    relation = _valid_relation(relation)
    claimant_name = _required_text(claimant_name, NAME_MAX_LENGTH, empty=_("Please enter your name."))
    evidence_note = _optional_text(evidence_note, EVIDENCE_MAX_LENGTH)
    community = unit.entrance.building.community

    with transaction.atomic():
        _refuse_second_open_claim(user, unit)
        _refuse_too_many_pending(user)
        try:
            with transaction.atomic():
                claim = UnitClaim.objects.create(
                    user=user,
                    unit=unit,
                    relation=relation,
                    claimant_name=claimant_name,
                    evidence_note=evidence_note,
                )
        except IntegrityError as error:  # a double submit racing the check above
            raise ValidationError(_second_claim_message(), code="duplicate") from error
        audit_record(
            actor=user,
            community=community,
            action="unit_claim.submit",
            target=claim,
            after={"status": claim.status, "unit": unit.label, "relation": relation, "name": claimant_name},
        )
        _tell_committee(community, claim)
    return claim


def unit_claim_verify(*, actor, claim: UnitClaim) -> UnitClaim:
    """Accept a pending claim: link the Person, record the Residency, grant the community roles."""
    community = _community_of(claim)
    _require_verifier(actor, community)
    with transaction.atomic():
        claim = _locked_pending(claim)
        person = _person_for(claim)
        residency = _residency_record(claim, person, actor)
        granted = [Role.RESIDENT] + ([Role.OWNER] if claim.relation == Relation.OWNER else [])
        for role in granted:
            role_grant(claim.user, community, role)
        permissions.forget_roles(claim.user)
        claim.status = Status.VERIFIED
        claim.decided_by = actor
        claim.decided_at = timezone.now()
        claim.save(update_fields=["status", "decided_by", "decided_at"])
        audit_record(
            actor=actor,
            community=community,
            action="unit_claim.verify",
            target=claim,
            before={"status": Status.PENDING},
            after={
                "status": claim.status,
                "unit": claim.unit.label,
                "relation": claim.relation,
                "person": person.pk,
                "residency": residency.pk,
                "roles": [str(role) for role in granted],
            },
        )
        notify(
            recipient=claim.user,
            title=_("Your unit claim has been verified"),
            body=_("%(unit)s in %(community)s is now verified as yours (%(relation)s).")
            % {"unit": claim.unit.label, "community": community.title, "relation": claim.get_relation_display()},
            url=_residents_url(community),
        )
    return claim


def unit_claim_reject(*, actor, claim: UnitClaim, reason: str) -> UnitClaim:
    """Refuse a pending claim. The reason is required: the claimant is told why."""
    community = _community_of(claim)
    _require_verifier(actor, community)
    reason = _required_text(reason, REASON_MAX_LENGTH, empty=_("Please give a reason for the rejection."))
    with transaction.atomic():
        claim = _locked_pending(claim)
        claim.status = Status.REJECTED
        claim.decision_reason = reason
        claim.decided_by = actor
        claim.decided_at = timezone.now()
        claim.save(update_fields=["status", "decision_reason", "decided_by", "decided_at"])
        audit_record(
            actor=actor,
            community=community,
            action="unit_claim.reject",
            target=claim,
            before={"status": Status.PENDING},
            after={"status": claim.status, "reason": reason},
        )
        notify(
            recipient=claim.user,
            title=_("Your unit claim was not approved"),
            body=_("%(unit)s in %(community)s: %(reason)s")
            % {"unit": claim.unit.label, "community": community.title, "reason": reason},
            url=reverse("profile"),
        )
    return claim


def unit_claim_withdraw(*, user, claim: UnitClaim) -> UnitClaim:
    """The claimant takes back a claim the committee has not decided yet."""
    if user is None or not user.is_authenticated or claim.user_id != user.pk:
        raise PermissionDenied
    community = _community_of(claim)
    with transaction.atomic():
        claim = _locked_pending(claim)
        claim.status = Status.WITHDRAWN
        claim.save(update_fields=["status"])
        audit_record(
            actor=user,
            community=community,
            action="unit_claim.withdraw",
            target=claim,
            before={"status": Status.PENDING},
            after={"status": claim.status},
        )
    return claim


# --- helpers -------------------------------------------------------------------------------------------


def _unit_with_address(unit) -> Unit:
    unit_id = getattr(unit, "pk", unit)
    found = Unit.objects.select_related("entrance__building__community").filter(pk=unit_id).first()
    if unit_id is None or found is None:
        raise ValidationError(_("This unit does not exist. Choose a room from the list."), code="no_unit")
    return found


def _valid_relation(relation) -> str:
    if relation not in Relation.values:
        raise ValidationError(_("Choose whether you are the owner, a family member or a tenant."), code="relation")
    return relation


def _required_text(value, max_length: int, *, empty: str) -> str:
    value = (value or "").strip()
    if not value:
        raise ValidationError(empty, code="required")
    if len(value) > max_length:
        raise ValidationError(
            _("Please keep this under %(count)d characters.") % {"count": max_length}, code="max_length"
        )
    return value


def _optional_text(value, max_length: int) -> str:
    value = (value or "").strip()
    if len(value) > max_length:
        raise ValidationError(
            _("Please keep this under %(count)d characters.") % {"count": max_length}, code="max_length"
        )
    return value


def _second_claim_message(status=Status.PENDING) -> str:
    if status == Status.VERIFIED:
        return _("You have already claimed this unit and your claim has been verified.")
    return _("You have already claimed this unit; the committee will look at your earlier claim.")


def _refuse_second_open_claim(user, unit: Unit) -> None:
    earlier = UnitClaim.objects.filter(user=user, unit=unit, status__in=OPEN_STATUSES).first()
    if earlier is not None:
        raise ValidationError(_second_claim_message(earlier.status), code="duplicate")
    if Residency.objects.filter(unit=unit, person__user=user, ended_on__isnull=True).exists():
        raise ValidationError(_("You are already a verified resident of this unit."), code="already_resident")


def _refuse_too_many_pending(user) -> None:
    """Each claim notifies the committee; a cap keeps one account from flooding them."""
    if UnitClaim.objects.filter(user=user, status=Status.PENDING).count() >= MAX_PENDING_PER_USER:
        raise ValidationError(
            _("You already have %(count)d claims waiting. Please wait until the committee has decided them.")
            % {"count": MAX_PENDING_PER_USER},
            code="too_many",
        )


def _community_of(claim: UnitClaim):
    return (
        Unit.objects.select_related("entrance__building__community").get(pk=claim.unit_id).entrance.building.community
    )


def _require_verifier(actor, community) -> None:
    if not permissions.can_verify_claims(actor, community):
        raise PermissionDenied


def _locked_pending(claim: UnitClaim) -> UnitClaim:
    locked = (
        UnitClaim.objects.select_for_update(of=("self",))
        .select_related("user", "unit__entrance__building")
        .get(pk=claim.pk)
    )
    if locked.status != Status.PENDING:
        raise ValidationError(_("This claim has already been decided."), code="decided")
    return locked


def _person_for(claim: UnitClaim) -> Person:
    """The user's Person: the one already linked to them, else the unit's registered owner with the same
    phone and no login yet, else a new Person under the name given in the claim."""
    user = claim.user
    linked = Person.objects.filter(user=user).first()
    if linked is not None:
        return linked
    phone = normalise_mobile(user.phone or "")
    if phone:
        for person in Person.objects.filter(
            ownerships__unit=claim.unit, ownerships__ended_on__isnull=True, user__isnull=True
        ).distinct():
            if normalise_mobile(person.phone) == phone:
                person.user = user
                person.save(update_fields=["user"])
                return person
    return Person.objects.create(full_name=claim.claimant_name, phone=user.phone or "", user=user)


def _residency_record(claim: UnitClaim, person: Person, actor) -> Residency:
    residency = Residency.objects.filter(unit=claim.unit, person=person, ended_on__isnull=True).first()
    if residency is None:
        return Residency.objects.create(
            unit=claim.unit, person=person, relation=claim.relation, verified_at=timezone.now(), verified_by=actor
        )
    residency.relation = claim.relation
    residency.verified_at = timezone.now()
    residency.verified_by = actor
    residency.save(update_fields=["relation", "verified_at", "verified_by"])
    return residency


def members_of(community, role):
    return (
        get_user_model()
        .objects.filter(groups__community_role__community=community, groups__community_role__role=role, is_active=True)
        .distinct()
    )


def claim_verifiers_to_tell(community):
    """The owners' committee; where there is none yet (C-15), the community staff who verify instead."""
    committee = list(members_of(community, Role.OWNERS_COMMITTEE))
    return committee or list(members_of(community, Role.COMMUNITY_STAFF))


def _tell_committee(community, claim: UnitClaim) -> None:
    url = reverse("home:claim_queue", kwargs={"community_id": community.pk})
    for member in claim_verifiers_to_tell(community):
        notify(
            recipient=member,
            title=_("A unit claim is waiting for verification"),
            body=_("%(name)s claims %(unit)s as %(relation)s.")
            % {"name": claim.claimant_name, "unit": claim.unit.label, "relation": claim.get_relation_display()},
            url=url,
        )


def _residents_url(community) -> str:
    return reverse("home:community_residents", kwargs={"community_id": community.pk})
