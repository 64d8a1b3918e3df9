"""Writers of a community's bodies and their seats (DOMAIN-RULES C-01, C-02, C-10, C-11, C-15, G-03).

Who may write: the community staff of the community and bureau staff (permissions.can_manage_bodies), or
None for the system (seed, the nightly `governance_terms` command). Committee members do not seat or unseat
anybody: the assembly elects them and the community records the result.

A seat on the owners' committee or the interim property-management committee gives the person's account the
OWNERS_COMMITTEE role of the community; the party branch gives PARTY_BRANCH; the deliberation council gives
DELIBERATION_COUNCIL. Ending the last such seat takes the role away again.
"""

from datetime import date

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext as _

from governance.domain import committee
from governance.models import BodyPage, Membership
from governance.permissions import can_manage_bodies, community_of
from home import permissions as home_permissions
from home.models import AuditEntry, CommunityPage, CommunityRole, Ownership, Person
from home.services.audit import audit_record
from home.services.notifications import notify
from home.services.roles import role_grant, role_revoke

Kind = BodyPage.Kind
Position = Membership.Position
EndReason = Membership.EndReason
Role = CommunityRole.Role

ROLE_OF_KIND = {
    Kind.OWNERS_COMMITTEE: Role.OWNERS_COMMITTEE,
    Kind.PROPERTY_MGMT_COMMITTEE: Role.OWNERS_COMMITTEE,
    Kind.PARTY_BRANCH: Role.PARTY_BRANCH,
    Kind.DELIBERATION_COUNCIL: Role.DELIBERATION_COUNCIL,
}
# One holder at a time; any number of vice-chairs, deputies and members.
SINGLE_POSITIONS = frozenset({Position.CHAIR, Position.SECRETARY, Position.CONVENOR})
# Seats on these always end: C-02 (committee), C-15 (interim committee).
TERM_LIMITED_KINDS = frozenset({Kind.OWNERS_COMMITTEE, Kind.PROPERTY_MGMT_COMMITTEE})
# Bodies that only an owners' committee or its substitutes may stand for (C-15): at most one of them.
COMMITTEE_KINDS = frozenset({Kind.OWNERS_COMMITTEE, Kind.PROPERTY_MGMT_COMMITTEE, Kind.RESIDENTS_COMMITTEE_SELF_MGMT})


def seat_count_message(problem: str) -> str:
    return {
        committee.SEATS_MISSING: _("An owners' committee needs its number of seats (C-01)."),
        committee.SEATS_TOO_FEW: _(
            "Too few seats: an owners' committee has 5 to 11, an interim committee 7 or more (C-01, C-15)."
        ),
        committee.SEATS_TOO_MANY: _("Too many seats: an owners' committee has at most 11 members (C-01)."),
        committee.SEATS_EVEN: _("The number of seats must be odd (C-01, C-15)."),
    }[problem]


def term_message(problem: str, term_start: date) -> str:
    if problem == committee.TERM_ORDER:
        return _("The term must end after it starts.")
    return _("A term lasts at most five years: starting %(start)s it ends on %(latest)s at the latest (C-02).") % {
        "start": term_start.isoformat(),
        "latest": committee.latest_term_end(term_start).isoformat(),
    }


def _check_may_manage(actor, community: CommunityPage) -> None:
    if actor is not None and not can_manage_bodies(actor, community):
        raise PermissionDenied(_("Only the community staff or housing bureau staff may change the members of a body."))


def _today() -> date:
    return timezone.localdate()


def is_owner_in(person: Person, community: CommunityPage) -> bool:
    """C-01: a current, non-developer ownership of a unit in the community."""
    if person.is_developer:
        return False
    return (
        Ownership.objects.filter(person=person, ended_on__isnull=True, unit__entrance__building__community=community)
        .exclude(owner_status=Ownership.OwnerStatus.DEVELOPER_RETAINED)
        .exists()
    )


def owner_person_ids(community: CommunityPage) -> set[int]:
    return set(
        Ownership.objects.filter(
            ended_on__isnull=True, unit__entrance__building__community=community, person__is_developer=False
        )
        .exclude(owner_status=Ownership.OwnerStatus.DEVELOPER_RETAINED)
        .values_list("person_id", flat=True)
    )


def current_memberships(body: BodyPage):
    return Membership.objects.filter(body=body, ended_on__isnull=True)


@transaction.atomic
def body_rules_check(*, community, kind, seat_count, term_start, term_end, body_pk=None) -> None:
    """The rules a body must meet however it is written (service or Wagtail admin): one body of each kind and
    one committee or substitute per community (C-15), seats (C-01, C-15), term (C-02)."""
    if kind not in Kind.values:
        raise ValidationError({"kind": _("Unknown kind of body.")})
    existing = set(BodyPage.objects.child_of(community).exclude(pk=body_pk).values_list("kind", flat=True))
    if kind in existing:
        raise ValidationError({"kind": _("This community already has a %(kind)s.") % {"kind": Kind(kind).label}})
    if kind in COMMITTEE_KINDS and existing & COMMITTEE_KINDS:
        raise ValidationError(
            {"kind": _("A community has one owners' committee, or one body standing in for it (C-15).")}
        )
    if problem := committee.seat_count_problem(kind, seat_count):
        raise ValidationError({"seat_count": seat_count_message(problem)})
    if problem := committee.term_problem(term_start, term_end):
        raise ValidationError({"term_end": term_message(problem, term_start)})


def body_create(
    *,
    actor,
    community: CommunityPage,
    kind: str,
    title: str = "",
    term_start: date | None = None,
    term_end: date | None = None,
    seat_count: int | None = None,
    intro: str = "",
) -> BodyPage:
    """Publish a body under its community. One body of each kind, and only one of the owners' committee and its
    substitutes (C-15)."""
    _check_may_manage(actor, community)
    body_rules_check(community=community, kind=kind, seat_count=seat_count, term_start=term_start, term_end=term_end)
    body = BodyPage(
        title=title or str(Kind(kind).label),
        slug=slugify(kind.replace("_", "-")),
        kind=kind,
        term_start=term_start,
        term_end=term_end,
        seat_count=seat_count,
        intro=intro,
    )
    community.add_child(instance=body)
    body.save_revision(user=actor, log_action=True).publish(user=actor, skip_permission_checks=True)
    audit_record(
        actor=actor,
        community=community,
        action="body.create",
        target=body,
        after={
            "kind": kind,
            "seat_count": seat_count,
            "term_start": term_start.isoformat() if term_start else None,
            "term_end": term_end.isoformat() if term_end else None,
        },
    )
    return body


def _validate_seat(body: BodyPage, community: CommunityPage, person: Person, position: str, term_start, term_end):
    if position not in Position.values:
        raise ValidationError({"position": _("Unknown position.")})
    if term_start is None:
        raise ValidationError({"term_start": _("Give the date the term starts.")})
    if term_end is None and body.kind in TERM_LIMITED_KINDS:
        raise ValidationError(
            {"term_end": _("Give the date the term ends: a committee term lasts at most five years (C-02).")}
        )
    if problem := committee.term_problem(term_start, term_end):
        raise ValidationError({"term_end": term_message(problem, term_start)})
    seated = list(current_memberships(body).values_list("person_id", "position"))
    if any(person_id == person.pk for person_id, _position in seated):
        raise ValidationError({"person": _("%(name)s already holds a seat on this body.") % {"name": person.full_name}})
    if position in SINGLE_POSITIONS and any(held == position for _person_id, held in seated):
        raise ValidationError(
            {
                "position": _("Somebody already holds the position of %(position)s.")
                % {"position": Position(position).label}
            }
        )
    owners = owner_person_ids(community)
    candidate_is_owner = person.pk in owners
    if body.kind in committee.OWNER_ONLY_KINDS and not candidate_is_owner:
        raise ValidationError(
            {
                "person": _("%(name)s is not an owner in this community: committee members must be owners (C-01).")
                % {"name": person.full_name}
            }
        )
    problem = committee.seat_problem(
        body.kind,
        body.seat_count,
        len(seated),
        candidate_is_owner=candidate_is_owner,
        owners_seated=sum(1 for person_id, _position in seated if person_id in owners),
    )
    if problem == committee.SEATS_FULL:
        raise ValidationError(
            {
                "person": _("All %(count)d seats are filled: end a membership before adding another (C-01).")
                % {"count": len(seated)}
            }
        )
    if problem == committee.OWNERS_MINORITY:
        raise ValidationError(
            {
                "person": _(
                    "At least half of the interim committee's seats belong to owners (C-15): this seat needs an owner."
                )
            }
        )
    if body.kind in (Kind.OWNERS_COMMITTEE, Kind.PROPERTY_MGMT_COMMITTEE):
        if refusals := committee.eligibility_problems(person):
            raise ValidationError({"person": refusals})


@transaction.atomic
def membership_add(
    *,
    actor,
    body: BodyPage,
    person: Person,
    position: str = Position.MEMBER,
    term_start: date | None = None,
    term_end: date | None = None,
) -> Membership:
    """Seat a person on a body for a term (the body's current term unless given)."""
    community = community_of(body)
    _check_may_manage(actor, community)
    BodyPage.objects.select_for_update().filter(pk=body.pk).first()
    term_start = term_start or body.term_start
    term_end = term_end or body.term_end
    _validate_seat(body, community, person, position, term_start, term_end)
    membership = Membership.objects.create(
        body=body, person=person, position=position, term_start=term_start, term_end=term_end
    )
    audit_record(
        actor=actor,
        community=community,
        action="membership.add",
        target=membership,
        after={
            "body": body.title,
            "position": position,
            "term_start": term_start.isoformat(),
            "term_end": term_end.isoformat() if term_end else None,
        },
    )
    _sync_role(person, community, body.kind)
    return membership


def _sync_role(person: Person, community: CommunityPage, kind: str) -> None:
    """Give or take the role that goes with seats of this kind, as the person's current seats say."""
    role = ROLE_OF_KIND.get(kind)
    user = person.user
    if role is None or user is None:
        return
    kinds = [k for k, r in ROLE_OF_KIND.items() if r == role]
    still_seated = Membership.objects.filter(
        person=person, ended_on__isnull=True, body__kind__in=kinds, body__path__startswith=community.path
    ).exists()
    if still_seated:
        role_grant(user, community, role)
    else:
        role_revoke(user, community, role)
    home_permissions.forget_roles(user)


def person_roles_sync(person: Person) -> None:
    """Bring the person's account roles in line with their current seats, e.g. after the person was linked to an
    account (a verified claim, registry.person_ensure(user=...)). Idempotent."""
    if person.user is None:
        return
    for membership in Membership.objects.filter(person=person, ended_on__isnull=True).select_related("body"):
        _sync_role(person, community_of(membership.body), membership.body.kind)


@transaction.atomic
def membership_end(*, actor, membership: Membership, reason: str, on: date | None = None, note: str = "") -> Membership:
    """End a seat (C-10). The membership stays as history."""
    body = membership.body
    community = community_of(body)
    _check_may_manage(actor, community)
    if reason not in EndReason.values:
        raise ValidationError({"reason": _("Choose why the membership ends.")})
    if membership.ended_on is not None:
        raise ValidationError(_("This membership has already ended."))
    on = on or _today()
    if on < membership.term_start:
        raise ValidationError({"on": _("A membership cannot end before it started.")})
    membership.ended_on = on
    membership.end_reason = reason
    membership.save(update_fields=["ended_on", "end_reason"])
    audit_record(
        actor=actor,
        community=community,
        action="membership.end",
        target=membership,
        before={"ended_on": None},
        after={"ended_on": on.isoformat(), "reason": reason},
        note=note,
    )
    _sync_role(membership.person, community, body.kind)
    return membership


def _community_staff_users(community: CommunityPage):
    group = CommunityRole.objects.get(community=community, role=Role.COMMUNITY_STAFF).group
    return list(group.user_set.filter(is_active=True))


def _body_member_users(body: BodyPage):
    return [m.person.user for m in current_memberships(body).select_related("person__user") if m.person.user]


def _recipients(body: BodyPage, community: CommunityPage):
    users = {user.pk: user for user in [*_body_member_users(body), *_community_staff_users(community)]}
    return list(users.values())


def memberships_expire(today: date | None = None) -> list[Membership]:
    """C-10: end every seat whose term ran out or whose holder no longer owns a unit in the community (for bodies
    whose members must be owners). Tells the body's members and the community staff, and says when fewer than
    half of the seats remain filled."""
    today = today or _today()
    ended = []
    bodies = {}
    for membership in Membership.objects.filter(ended_on__isnull=True).select_related("body", "person"):
        body = membership.body
        community = community_of(body)
        requires = body.kind in committee.OWNER_ONLY_KINDS
        reason = committee.automatic_end_reason(
            term_end=membership.term_end,
            today=today,
            still_owner=is_owner_in(membership.person, community) if requires else True,
            requires_ownership=requires,
        )
        if reason is None:
            continue
        on = membership.term_end if reason == committee.TERM_EXPIRED else today
        with transaction.atomic():
            membership_end(actor=None, membership=membership, reason=reason, on=on)
        ended.append(membership)
        bodies.setdefault(body.pk, (body, community, []))[2].append(membership)
    for body, community, memberships in bodies.values():
        with transaction.atomic():
            _notify_seats_ended(body, community, memberships)
    return ended


def _notify_seats_ended(body: BodyPage, community: CommunityPage, memberships: list[Membership]) -> None:
    filled = current_memberships(body).count()
    names = "、".join(m.person.full_name for m in memberships)
    title = _("%(body)s: %(count)d seats ended") % {"body": body.title, "count": len(memberships)}
    body_text = _("Seats that ended automatically (C-10): %(names)s.") % {"names": names}
    if committee.reelection_due(body.seat_count, filled):
        body_text += " " + _(
            "Fewer than half of the seats are filled: the owners' assembly must re-elect the body (C-10)."
        )
    for user in _recipients(body, community):
        notify(recipient=user, title=title, body=body_text, url=body.url or "")


def term_reminders_send(today: date | None = None) -> list[BodyPage]:
    """C-11: three months before a body's term ends, tell its members and the community staff once."""
    today = today or _today()
    reminded = []
    for body in BodyPage.objects.live().filter(term_end__isnull=False, term_end__gte=today):
        if not committee.term_ending_soon(body.term_end, today):
            continue
        community = community_of(body)
        with transaction.atomic():
            if _reminder_sent(body):
                continue
            title = _("%(body)s: the term ends on %(end)s") % {"body": body.title, "end": body.term_end.isoformat()}
            text = _(
                "Start preparing the election of the next term now and report it to the sub-district in writing (C-11)."
            )
            for user in _recipients(body, community):
                notify(recipient=user, title=title, body=text, url=body.url or "")
            audit_record(
                actor=None,
                community=community,
                action="body.term_reminder",
                target=body,
                after={"term_end": body.term_end.isoformat()},
            )
        reminded.append(body)
    return reminded


def _reminder_sent(body: BodyPage) -> bool:
    return AuditEntry.objects.filter(
        action="body.term_reminder",
        target_type=body._meta.label_lower,
        target_id=str(body.pk),
        after__term_end=body.term_end.isoformat(),
    ).exists()


# Reads shared by the body page, the community page, the profile and the members page.

POSITION_ORDER = [
    Position.SECRETARY,
    Position.CHAIR,
    Position.DEPUTY_SECRETARY,
    Position.VICE_CHAIR,
    Position.CONVENOR,
    Position.MEMBER,
]


def by_position(memberships) -> list[Membership]:
    rank = {position.value: index for index, position in enumerate(POSITION_ORDER)}
    return sorted(memberships, key=lambda m: (rank.get(m.position, len(rank)), m.term_start, m.pk))


def seated(body: BodyPage) -> list[Membership]:
    """Current seats with their holders, in order of position."""
    return by_position(current_memberships(body).select_related("person"))


def body_status(body: BodyPage, filled: int, today: date) -> dict:
    """What the page says about the term: seats filled, re-election due (C-10), term ending soon (C-11)."""
    return {
        "filled": filled,
        "seat_count": body.seat_count,
        "reelection_due": committee.reelection_due(body.seat_count, filled),
        "term_ending_soon": committee.term_ending_soon(body.term_end, today),
    }


def community_bodies(community: CommunityPage, today: date | None = None) -> list[BodyPage]:
    """The community's live bodies with `member_count` and `status`, in one query."""
    from django.db.models import Count, Q

    today = today or _today()
    bodies = list(
        BodyPage.objects.child_of(community)
        .live()
        .annotate(member_count=Count("memberships", filter=Q(memberships__ended_on__isnull=True)))
        .order_by("path")
    )
    for body in bodies:
        body.status = body_status(body, body.member_count, today)
    return bodies


def person_seats(user) -> list[Membership]:
    """The user's current seats on any body, with the body and its community's title."""
    if user is None or not user.is_authenticated:
        return []
    memberships = list(
        Membership.objects.filter(person__user=user, ended_on__isnull=True)
        .select_related("body")
        .order_by("body__path")
    )
    communities = {
        c.path: c
        for c in CommunityPage.objects.filter(path__in={m.body.path[: -BodyPage.steplen] for m in memberships})
    }
    for membership in memberships:
        membership.community = communities.get(membership.body.path[: -BodyPage.steplen])
    return memberships
