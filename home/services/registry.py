"""Writers of the unit register: buildings, entrances, units, people and their ownerships.

Every function takes `actor`: a user, who must be allowed to manage the community's register (D-12), or None
for the system (the demo seed, the register import). Each writes an audit entry when it changes something and
nothing when there is nothing to change, so calling an "ensure" twice leaves the second call without effect.
Personal identifiers never enter the audit log in full: it shows them masked (D-04).
"""

from decimal import Decimal

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from home import permissions
from home.domain import register_sheet
from home.domain.identity import (
    ID_BIRTH_DATE,
    ID_CHARACTERS,
    ID_CHECKSUM,
    ID_LENGTH,
    ID_REGION,
    id_number_problem,
    normalise_id_number,
    normalise_mobile,
)
from home.domain.masking import mask_id_number, mask_name, mask_phone
from home.fields import identifier_hash
from home.models import Building, CommunityPage, Entrance, Ownership, Person, Unit
from home.services.audit import audit_record


def id_number_message(reason: str) -> str:
    """The Chinese explanation of an identity.ID_* problem code."""
    messages = {
        ID_LENGTH: _("An ID number has 18 characters."),
        ID_CHARACTERS: _("An ID number is 17 digits followed by a digit or X."),
        ID_REGION: _("The ID number does not begin with a known province code."),
        ID_BIRTH_DATE: _("The birth date in the ID number (characters 7 to 14) is not a real date."),
        ID_CHECKSUM: _("The last character of the ID number does not match the others: please check for a typo."),
    }
    return messages.get(reason, _("The ID number is not valid."))


def ensure_may_manage(actor, community: CommunityPage) -> None:
    """None is the system; a user must manage this community's register (permissions.can_manage_register)."""
    if actor is not None and not permissions.can_manage_register(actor, community):
        raise PermissionDenied(_("Only the owners' committee or the community staff may change the unit register."))


def _clean_name(value: str, *, max_length: int, message: str) -> str:
    value = (value or "").strip()
    if not value:
        raise ValidationError(message)
    if len(value) > max_length:
        raise ValidationError(
            _("%(value)s is too long: at most %(max)d characters.") % {"value": value, "max": max_length}
        )
    return value


def _clean_area(value, label: str) -> Decimal | None:
    if value is None or value == "":
        return None
    area = register_sheet.parse_area(value)
    if isinstance(area, str):
        raise ValidationError(
            _("%(label)s must be a positive number of square metres with at most two decimals.") % {"label": label}
        )
    return area


def _decimal_text(value: Decimal | None) -> str | None:
    return None if value is None else str(value)


def _changes(instance, values: dict) -> tuple[dict, dict]:
    """(before, after) of the fields whose value differs; applies the new values to `instance`."""
    before, after = {}, {}
    for name, value in values.items():
        if getattr(instance, name) != value:
            before[name], after[name] = getattr(instance, name), value
            setattr(instance, name, value)
    return before, after


def _jsonable(values: dict) -> dict:
    return {key: str(value) if isinstance(value, Decimal) else value for key, value in values.items()}


def _update_audited(instance, values: dict, *, actor, community: CommunityPage, action: str):
    """Save the fields of `values` that differ and record them; an unchanged instance is not touched."""
    before, after = _changes(instance, values)
    if after:
        instance.save(update_fields=list(after))
        audit_record(
            actor=actor,
            community=community,
            action=action,
            target=instance,
            before=_jsonable(before),
            after=_jsonable(after),
        )
    return instance


def building_ensure(*, actor, community: CommunityPage, name: str, floors=None, sort_order=0) -> Building:
    """The building `name` of `community`, created if missing; `floors` and `sort_order` updated if they differ."""
    ensure_may_manage(actor, community)
    name = _clean_name(name, max_length=30, message=_("The building name is required."))
    with transaction.atomic():
        building = Building.objects.filter(community=community, name=name).first()
        if building is None:
            building = Building.objects.create(community=community, name=name, floors=floors, sort_order=sort_order)
            audit_record(
                actor=actor,
                community=community,
                action="building.create",
                target=building,
                after={"name": name, "floors": floors, "sort_order": sort_order},
            )
            return building
        values = {"sort_order": sort_order} | ({"floors": floors} if floors is not None else {})
        return _update_audited(building, values, actor=actor, community=community, action="building.update")


def entrance_ensure(*, actor, building: Building, name: str, sort_order=0) -> Entrance:
    """The entrance (单元) `name` of `building`, created if missing."""
    community = building.community
    ensure_may_manage(actor, community)
    name = _clean_name(name, max_length=30, message=_("The entrance name is required."))
    with transaction.atomic():
        entrance = Entrance.objects.filter(building=building, name=name).first()
        if entrance is None:
            entrance = Entrance.objects.create(building=building, name=name, sort_order=sort_order)
            audit_record(
                actor=actor,
                community=community,
                action="entrance.create",
                target=entrance,
                after={"name": name, "sort_order": sort_order},
            )
            return entrance
        return _update_audited(
            entrance, {"sort_order": sort_order}, actor=actor, community=community, action="entrance.update"
        )


def unit_ensure(
    *,
    actor,
    entrance: Entrance,
    room: str,
    kind=Unit.Kind.RESIDENCE,
    registered_area=None,
    surveyed_area=None,
    contract_area=None,
    delivered=True,
) -> Unit:
    """The unit `room` of `entrance` with exactly these areas (V-16) and flags, created or updated.

    At least one area is required: a unit without area cannot be counted (V-17).
    """
    community = entrance.building.community
    ensure_may_manage(actor, community)
    room = _clean_name(room, max_length=20, message=_("The room number is required."))
    if kind not in Unit.Kind.values:
        raise ValidationError(_("Unknown unit kind."))
    values = {
        "kind": kind,
        "registered_area": _clean_area(registered_area, _("The registered area")),
        "surveyed_area": _clean_area(surveyed_area, _("The surveyed area")),
        "contract_area": _clean_area(contract_area, _("The contract area")),
        "delivered": bool(delivered),
    }
    if all(values[name] is None for name in ("registered_area", "surveyed_area", "contract_area")):
        raise ValidationError(_("A unit needs at least one area: registered, surveyed or contract area."))
    with transaction.atomic():
        unit = Unit.objects.filter(entrance=entrance, room=room).first()
        if unit is None:
            unit = Unit.objects.create(entrance=entrance, room=room, **values)
            audit_record(actor=actor, community=community, action="unit.create", target=unit, after=_jsonable(values))
            return unit
        return _update_audited(unit, values, actor=actor, community=community, action="unit.update")


def clean_phone(phone: str) -> str:
    """E.164 or "" for an empty value; ValidationError for anything that is not a mainland mobile number."""
    if not (phone or "").strip():
        return ""
    normalised = normalise_mobile(phone)
    if normalised is None:
        raise ValidationError(_("%(value)s is not a mainland mobile number.") % {"value": phone})
    return normalised


def clean_id_number(id_number: str) -> str:
    if not (id_number or "").strip():
        return ""
    value = normalise_id_number(id_number)
    problem = id_number_problem(value, today=timezone.localdate())
    if problem is not None:
        raise ValidationError(id_number_message(problem))
    return value


def _person_snapshot(person: Person) -> dict:
    return {
        "full_name": person.masked_name,
        "phone": mask_phone(person.phone),
        "id_number": mask_id_number(person.id_number),
        "is_developer": person.is_developer,
        "user": person.user_id,
    }


def person_find(*, full_name: str, phone: str, id_number: str, is_developer: bool = False) -> Person | None:
    """The person these identifiers point to (V-18): by ID number; else by name and phone; a developer by
    name alone. Nothing else identifies a person, so a name without phone or ID number finds nobody."""
    if id_number:
        person = Person.objects.filter(id_number_hash=identifier_hash(id_number)).first()
        if person is not None:
            if person.full_name != full_name:
                raise ValidationError(
                    _("This ID number is already registered under another name (%(name)s).")
                    % {"name": mask_name(person.full_name)}
                )
            return person
    candidates = Person.objects.filter(full_name=full_name, is_developer=is_developer).order_by("pk")
    if id_number:
        candidates = candidates.filter(id_number_hash="")
    if phone:
        return candidates.filter(phone=phone).first()
    if is_developer and not id_number:
        return candidates.filter(phone="").first()
    return None


def person_ensure(*, actor, full_name: str, phone="", id_number="", is_developer=False, user=None) -> Person:
    """The person with these identifiers, created if unknown; blank phone, ID number or account filled in.

    Identity (V-18): the ID number when given, else name and phone; a developer (a legal person) also by its
    name. A person with neither phone nor ID number cannot be told apart from a namesake, so each such call
    creates a new person. Existing values are never overwritten: corrections go through the committee.
    """
    if actor is not None and not permissions.can_manage_any_register(actor):
        raise PermissionDenied(_("Only the owners' committee or the community staff may change the unit register."))
    full_name = _clean_name(full_name, max_length=100, message=_("The name is required."))
    phone = clean_phone(phone)
    id_number = clean_id_number(id_number)
    with transaction.atomic():
        person = person_find(full_name=full_name, phone=phone, id_number=id_number, is_developer=is_developer)
        if user is not None and Person.objects.filter(user=user).exclude(pk=getattr(person, "pk", None)).exists():
            raise ValidationError(_("This account is already linked to another person in the register."))
        if person is None:
            person = Person.objects.create(
                full_name=full_name,
                phone=phone,
                id_number=id_number,
                id_number_hash=identifier_hash(id_number),
                is_developer=is_developer,
                user=user,
            )
            audit_record(
                actor=actor, community=None, action="person.create", target=person, after=_person_snapshot(person)
            )
            return person
        if user is not None and person.user_id not in (None, user.pk):
            raise ValidationError(_("This person is already linked to another account."))
        before = _person_snapshot(person)
        filled = []
        for name, value in (("phone", phone), ("id_number", id_number), ("user", user)):
            if value and not getattr(person, name):
                setattr(person, name, value)
                filled.append(name)
        if "id_number" in filled:
            person.id_number_hash = identifier_hash(id_number)
            filled.append("id_number_hash")
        if filled:
            person.save(update_fields=filled)
            audit_record(
                actor=actor,
                community=None,
                action="person.update",
                target=person,
                before=before,
                after=_person_snapshot(person),
            )
        return person


def designated_voter_conflict_message(unit: Unit, voter: Person) -> str:
    return _(
        "%(unit)s already has a designated voter (%(name)s): co-owners of a unit name only one person to vote."
    ) % {"unit": unit.label, "name": voter.masked_name}


def ownership_add(
    *, actor, unit: Unit, person: Person, owner_status=Ownership.OwnerStatus.REGISTERED, is_designated_voter=False
) -> Ownership:
    """`person` owns `unit` (V-21 status), possibly as the co-owners' designated voter (V-19).

    Refuses a second designated voter for the same unit. If the person already owns the unit, the status and
    the voter flag are brought to the given values, so calling it twice changes nothing.
    """
    unit = Unit.objects.select_related("entrance__building__community").get(pk=unit.pk)
    community = unit.entrance.building.community
    ensure_may_manage(actor, community)
    if owner_status not in Ownership.OwnerStatus.values:
        raise ValidationError(_("Unknown owner status."))
    with transaction.atomic():
        current = (
            Ownership.objects.select_for_update().filter(unit=unit, ended_on__isnull=True).select_related("person")
        )
        current = list(current)
        if is_designated_voter:
            other_voter = next((o for o in current if o.is_designated_voter and o.person_id != person.pk), None)
            if other_voter is not None:
                raise ValidationError(designated_voter_conflict_message(unit, other_voter.person))
        ownership = next((o for o in current if o.person_id == person.pk), None)
        values = {"owner_status": owner_status, "is_designated_voter": bool(is_designated_voter)}
        if ownership is None:
            ownership = Ownership.objects.create(unit=unit, person=person, **values)
            audit_record(
                actor=actor,
                community=community,
                action="ownership.create",
                target=ownership,
                after={"unit": unit.label, "person": person.masked_name, **values},
            )
            return ownership
        return _update_audited(ownership, values, actor=actor, community=community, action="ownership.update")
