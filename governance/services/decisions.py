"""Writers and readers of owners' votes (业主共同决定). Every change of a vote's state goes through here.

Each writer checks who may act (again, after the view), refuses bad input with a Chinese ValidationError before
writing anything, and records the change in the audit log. The counting rules are home.domain.owners (who is an
owner, with how much area: V-16 … V-21) and governance.domain.decisions (the art. 278 test: V-03 … V-07, V-24).
"""

import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta
from decimal import Decimal

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Count, Exists, OuterRef, Q, Sum
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.html import format_html, format_html_join
from django.utils.translation import gettext as _

from governance import permissions
from governance.domain import decisions as rules
from governance.domain import meetings as meeting_rules
from governance.models import (
    Ballot,
    DecisionQuestion,
    Elector,
    ElectorUnit,
    NoticePage,
    Objection,
    OwnersDecision,
    ProcedureRules,
    Proxy,
    Resolution,
)
from governance.services.meetings import role_users
from home.domain import masking
from home.domain.owners import DEVELOPER, OwnerShare, UnitFacts, owner_tally
from home.models import Ownership, Unit
from home.models.roles import CommunityRole
from home.services.audit import audit_record
from home.services.notifications import notify

Role = CommunityRole.Role
Status = OwnersDecision.Status
Matter = OwnersDecision.Matter
Scope = OwnersDecision.Scope

FINAL_NOTICE_DAYS = 3  # decisions are published within 3 days (Beijing art. 37, the platform's default)
MAX_QUESTIONS = 10
SCAN_MAX_BYTES = 10 * 1024 * 1024
SCAN_TYPES = {"pdf", "jpg", "jpeg", "png"}
SCAN_SIGNATURES = (b"%PDF-", b"\xff\xd8", b"\x89PNG\r\n\x1a\n")  # what a PDF, JPEG or PNG file starts with
CENT = Decimal("0.01")


# --- reading ---------------------------------------------------------------------------------------------------


def rules_of(community) -> ProcedureRules:
    """The community's voting rules; an unsaved default when the committee has not set them (V-20 unset)."""
    return ProcedureRules.objects.filter(community=community).first() or ProcedureRules(community=community)


def domain_matter(matter: str):
    """The model's matter code as governance.domain.decisions.outcome takes it (a lift is judged by lift_outcome)."""
    return rules.HOME_TO_BUSINESS if matter == Matter.HOME_TO_BUSINESS else int(matter)


def approval_rule_text(matter: str) -> str:
    """The thresholds of a matter in words, for the announcement, the ballot page and the result."""
    if matter == Matter.HOME_TO_BUSINESS:
        return _("Every owner of the building must agree (Civil Code art. 279).")
    participation = _(
        "Owners holding at least 2/3 of the exclusive area and at least 2/3 of the owners must take part."
    )
    if matter == Matter.LIFT:
        approval = _(
            "At least 3/4 of the participating area and owners must agree (art. 278 item 7), and at least 2/3 "
            "of all owners of the scope (Henan regulation art. 59); the stricter result decides."
        )
    elif matter and int(matter) in rules.SPECIAL_MATTERS:
        approval = _("At least 3/4 of the participating area and of the participating owners must agree.")
    else:
        approval = _("More than half of the participating area and of the participating owners must agree.")
    return f"{participation}{approval}"


def scope_label(decision: OwnersDecision) -> str:
    if decision.scope == Scope.ENTRANCE and decision.scope_entrance_id:
        entrance = decision.scope_entrance
        return f"{entrance.building.name}{entrance.name}"
    if decision.scope == Scope.BUILDING and decision.scope_building_id:
        return decision.scope_building.name
    return _("whole community")


def units_in_scope(decision: OwnersDecision):
    units = Unit.objects.filter(entrance__building__community=decision.community)
    if decision.scope == Scope.BUILDING:
        units = units.filter(entrance__building=decision.scope_building)
    elif decision.scope == Scope.ENTRANCE:
        units = units.filter(entrance=decision.scope_entrance)
    return units


def elector_for(
    decision: OwnersDecision, user, *, elector_id: int | None = None
) -> tuple[Elector | None, Proxy | None]:
    """Whom `user` votes for in `decision`: as the elector's voter, or as the holder of an accepted written proxy
    (V-22). A proxy, once accepted, replaces the owner's own online ballot.

    Someone may vote for more than one owner (his own part and a neighbour's by proxy): `elector_id` picks one of
    `electors_for`; without it the first proxy comes first, as before."""
    if not getattr(user, "is_authenticated", False):
        return None, None
    if elector_id is not None:
        return next(((e, p) for e, p in electors_for(decision, user) if e.pk == int(elector_id)), (None, None))
    proxy = (
        Proxy.objects.select_related("elector")
        .filter(decision=decision, proxy_user=user, status=Proxy.Status.ACCEPTED)
        .first()
    )
    if proxy is not None:
        return proxy.elector, proxy
    elector = own_elector(decision, user)
    if elector is not None and elector.proxies.filter(status=Proxy.Status.ACCEPTED).exists():
        return None, None
    return elector, None


def electors_for(decision: OwnersDecision, user) -> list[tuple[Elector, Proxy | None]]:
    """Every owner `user` votes for: himself, unless his own written proxy was accepted, then each owner whose
    accepted written proxy names him (V-22)."""
    if not getattr(user, "is_authenticated", False):
        return []
    found = []
    own = own_elector(decision, user)
    if own is not None and not own.proxies.filter(status=Proxy.Status.ACCEPTED).exists():
        found.append((own, None))
    proxies = Proxy.objects.select_related("elector").filter(
        decision=decision, proxy_user=user, status=Proxy.Status.ACCEPTED
    )
    found.extend((proxy.elector, proxy) for proxy in proxies.order_by("id"))
    return found


def own_elector(decision: OwnersDecision, user) -> Elector | None:
    """The owner `user` is the voter of (V-19), whether or not he has given a written proxy."""
    if not getattr(user, "is_authenticated", False):
        return None
    return decision.electors.filter(voter__user=user).first()


def current_ballots(decision: OwnersDecision):
    """Ballots that count: the highest revision of each owner's answer to each question."""
    if not decision.ballots_changeable:
        # Frozen at announcement: _write_ballots then writes revision 1 only, so no ballot has a later revision and
        # the anti-join (quadratic on PostgreSQL before its statistics catch up, see bench/README) is not needed.
        return Ballot.objects.filter(decision=decision)
    later = Ballot.objects.filter(
        question=OuterRef("question"), elector=OuterRef("elector"), revision__gt=OuterRef("revision")
    )
    return Ballot.objects.filter(decision=decision).exclude(Exists(later))


@dataclass(frozen=True)
class QuestionCount:
    question: DecisionQuestion
    participating: rules.Tally
    approving: rules.Tally
    rejecting: rules.Tally
    abstaining: rules.Tally


def _area(value) -> Decimal:
    """A summed area to the cent: SQLite returns Sum() of a decimal column without its scale (302 for 302.00),
    which would otherwise show in the frozen reasons and notices differently than on PostgreSQL."""
    return Decimal(value or 0).quantize(CENT)


def _tally(row, prefix: str) -> rules.Tally:
    return rules.Tally(area=_area(row.get(f"{prefix}_area")), owners=row.get(f"{prefix}_owners") or 0)


def count_questions(decision: OwnersDecision) -> list[QuestionCount]:
    """Both tallies of every choice of every question, aggregated in the database (V-06: only ballots count)."""
    rows = {
        row["question"]: row
        for row in current_ballots(decision)
        .values("question")
        .annotate(
            participating_area=Sum("elector__area"),
            participating_owners=Count("elector", distinct=True),
            **{
                f"{name}_{measure}": aggregate(
                    "elector__area" if measure == "area" else "elector", filter=Q(choice=choice)
                )
                for name, choice in (("approving", "approve"), ("rejecting", "reject"), ("abstaining", "abstain"))
                for measure, aggregate in (("area", Sum), ("owners", Count))
            },
        )
    }
    counts = []
    for question in decision.questions.all():
        row = rows.get(question.pk, {})
        counts.append(
            QuestionCount(
                question=question,
                participating=_tally(row, "participating"),
                approving=_tally(row, "approving"),
                rejecting=_tally(row, "rejecting"),
                abstaining=_tally(row, "abstaining"),
            )
        )
    return counts


@dataclass(frozen=True)
class Turnout:
    """Who has taken part so far, against the 2/3 lines (V-03): for the committee's live panel."""

    total: rules.Tally
    participating: rules.Tally
    area_line: Decimal
    owners_line: int
    area_reached: bool
    owners_reached: bool
    by_channel: dict


def turnout_of(decision: OwnersDecision) -> Turnout:
    total = rules.Tally(area=decision.total_area or Decimal("0.00"), owners=decision.total_owners or 0)
    voted = Elector.objects.filter(decision=decision).filter(Exists(Ballot.objects.filter(elector=OuterRef("pk"))))
    agg = voted.aggregate(area=Sum("area"), owners=Count("pk"))
    participating = rules.Tally(area=_area(agg["area"]), owners=agg["owners"] or 0)
    by_channel = dict(
        current_ballots(decision)
        .values_list("channel")
        .annotate(n=Count("elector", distinct=True))
        .values_list("channel", "n")
    )
    # The lines: the least whole owners and the least area (to the cent) that meet 2/3 (以上, ≥).
    owners_line = -(-2 * total.owners // 3)
    area_line = (Decimal(2) * total.area / Decimal(3)).quantize(Decimal("0.01"), rounding="ROUND_CEILING")
    return Turnout(
        total=total,
        participating=participating,
        area_line=area_line,
        owners_line=owners_line,
        area_reached=3 * participating.area >= 2 * total.area,
        owners_reached=3 * participating.owners >= 2 * total.owners,
        by_channel=by_channel,
    )


def final_notice_due(decision: OwnersDecision) -> datetime | None:
    """A-12: the final result is published within 3 days of the end of the objection period."""
    if decision.objection_deadline is None:
        return None
    return decision.objection_deadline + timedelta(days=FINAL_NOTICE_DAYS)


def final_notice_overdue(decision: OwnersDecision, now: datetime | None = None) -> bool:
    due = final_notice_due(decision)
    return decision.status == Status.PRELIMINARY and due is not None and (now or timezone.now()) > due


# --- checks shared by the writers ------------------------------------------------------------------------------


def _require_convenor(actor, community) -> None:
    if not permissions.can_start_owners_decision(actor, community):
        raise PermissionDenied(_("Only the owners' committee, or the community staff where there is none, runs votes."))


def _clean_text(value, *, max_length: int, empty: str, too_long: str) -> str:
    text = " ".join((value or "").split())
    if not text:
        raise ValidationError(empty)
    if len(text) > max_length:
        raise ValidationError(too_long)
    return text


def _clean_scan(upload, *, required_message: str):
    if upload is None:
        return None
    suffix = upload.name.rsplit(".", 1)[-1].lower() if "." in upload.name else ""
    if suffix not in SCAN_TYPES:
        raise ValidationError(_("Upload the scan as PDF, JPG or PNG."))
    if upload.size > SCAN_MAX_BYTES:
        raise ValidationError(_("The scan may be at most 10 MB."))
    if upload.size == 0:
        raise ValidationError(required_message)
    upload.seek(0)
    head = upload.read(8)
    upload.seek(0)
    if not head.startswith(SCAN_SIGNATURES):  # a scan, not HTML or a program renamed to .pdf
        raise ValidationError(_("Upload the scan as PDF, JPG or PNG."))
    return upload


# --- the voting rules of the community (V-20) ------------------------------------------------------------------


def procedure_rules_set(
    *, actor, community, include_special_spaces_in_area: bool, ballots_changeable: bool, objection_days: int
) -> ProcedureRules:
    _require_convenor(actor, community)
    if include_special_spaces_in_area is None:
        raise ValidationError(_("Decide whether parking spaces count toward voting area (V-20)."))
    try:
        objection_days = int(objection_days)
    except (TypeError, ValueError):
        objection_days = 0
    if not 1 <= objection_days <= 30:
        raise ValidationError(_("The objection period must be between 1 and 30 days."))
    with transaction.atomic():
        current = ProcedureRules.objects.select_for_update().filter(community=community).first()
        before = (
            {}
            if current is None
            else {
                "include_special_spaces_in_area": current.include_special_spaces_in_area,
                "ballots_changeable": current.ballots_changeable,
                "objection_days": current.objection_days,
            }
        )
        after = {
            "include_special_spaces_in_area": bool(include_special_spaces_in_area),
            "ballots_changeable": bool(ballots_changeable),
            "objection_days": int(objection_days),
        }
        rules_row, _created = ProcedureRules.objects.update_or_create(
            community=community, defaults={**after, "updated_by": actor, "updated_at": timezone.now()}
        )
        audit_record(
            actor=actor, community=community, action="procedure_rules.set", target=rules_row, before=before, after=after
        )
    return rules_row


# --- drafting -------------------------------------------------------------------------------------------------


def _clean_draft(community, *, title, description, matter, scope, building, entrance, opens_at, closes_at, questions):
    title = _clean_text(
        title,
        max_length=200,
        empty=_("Enter the matter to decide."),
        too_long=_("The title may be at most 200 characters."),
    )
    if matter not in Matter.values:
        raise ValidationError(_("Choose which matter of art. 278 this vote decides."))
    if scope not in Scope.values:
        raise ValidationError(_("Choose the scope of the vote."))
    if scope == Scope.BUILDING and (building is None or building.community_id != community.pk):
        raise ValidationError(_("Choose a building of this community."))
    if scope == Scope.ENTRANCE and (entrance is None or entrance.building.community_id != community.pk):
        raise ValidationError(_("Choose an entrance of this community."))
    if matter == Matter.HOME_TO_BUSINESS and scope != Scope.BUILDING:
        raise ValidationError(
            _("Turning a home into business premises is decided by the owners of its building (V-07).")
        )
    if matter == Matter.LIFT and scope == Scope.COMMUNITY:
        raise ValidationError(_("A lift is decided by the owners of its entrance or building (V-24)."))
    if opens_at is None or closes_at is None:
        raise ValidationError(_("Set when voting opens and when it closes."))
    if closes_at <= opens_at:
        raise ValidationError(_("Voting must close after it opens."))
    texts = [" ".join((q or "").split()) for q in questions]
    texts = [q for q in texts if q]
    if not texts:
        raise ValidationError(_("Enter at least one question."))
    if len(texts) > MAX_QUESTIONS:
        raise ValidationError(_("A vote may have at most 10 questions."))
    if any(len(q) > 300 for q in texts):
        raise ValidationError(_("A question may be at most 300 characters."))
    return {
        "title": title,
        "description": (description or "").strip()[:5000],
        "matter": matter,
        "scope": scope,
        "scope_building": building
        if scope == Scope.BUILDING
        else (entrance.building if scope == Scope.ENTRANCE else None),
        "scope_entrance": entrance if scope == Scope.ENTRANCE else None,
        "opens_at": opens_at,
        "closes_at": closes_at,
    }, texts


def decision_save_draft(
    *,
    actor,
    community,
    decision: OwnersDecision | None = None,
    title: str,
    description: str = "",
    matter: str,
    scope: str = Scope.COMMUNITY,
    building=None,
    entrance=None,
    opens_at=None,
    closes_at=None,
    is_secret: bool = False,
    questions: list[str],
) -> OwnersDecision:
    """Create a draft vote, or change one that has not been announced. Once announced the question is locked."""
    _require_convenor(actor, community)
    if decision is not None and decision.community_id != community.pk:
        raise PermissionDenied(_("This vote belongs to another community."))
    values, texts = _clean_draft(
        community,
        title=title,
        description=description,
        matter=matter,
        scope=scope,
        building=building,
        entrance=entrance,
        opens_at=opens_at,
        closes_at=closes_at,
        questions=questions,
    )
    with transaction.atomic():
        if decision is None:
            decision = OwnersDecision(community=community, created_by=actor)
        else:
            decision = OwnersDecision.objects.select_for_update(no_key=True).get(pk=decision.pk)
            if decision.status != Status.DRAFT:
                raise ValidationError(_("The vote has been announced: its questions can no longer change (A-09)."))
        for field, value in values.items():
            setattr(decision, field, value)
        decision.is_secret = bool(is_secret)
        decision.save()
        decision.questions.all().delete()
        DecisionQuestion.objects.bulk_create(
            DecisionQuestion(decision=decision, position=i, text=text) for i, text in enumerate(texts, start=1)
        )
        audit_record(
            actor=actor,
            community=community,
            action="owners_decision.draft",
            target=decision,
            after={"matter": decision.matter, "scope": decision.scope, "questions": texts},
        )
    return decision


# --- the electorate (V-16 … V-23), frozen at announcement -------------------------------------------------------


@dataclass(frozen=True)
class ElectorDraft:
    owner_key: str
    label: str
    area: Decimal
    unit_ids: tuple[int, ...]
    voter_id: int | None
    is_developer: bool


def electorate_of(
    decision: OwnersDecision, *, include_special_spaces_in_area: bool, on=None
) -> tuple[list[ElectorDraft], list]:
    """The owners of the vote's scope, counted by the register's rules, with their units and voter. Totals are
    computed within the scope only (V-23). Returns the electors and the units of the scope (for their areas)."""
    today = on or timezone.localdate()
    units = list(
        units_in_scope(decision)
        .select_related("entrance__building")
        .order_by(
            "entrance__building__sort_order", "entrance__building_id", "entrance__sort_order", "entrance_id", "room"
        )
    )
    ownerships = (
        Ownership.objects.filter(unit__in=[u.pk for u in units])
        .filter(Q(ended_on__isnull=True) | Q(ended_on__gt=today))
        .select_related("person")
        .order_by("unit_id", "-is_designated_voter", "id")
    )
    shares_of: dict[int, list[Ownership]] = {}
    for ownership in ownerships:
        shares_of.setdefault(ownership.unit_id, []).append(ownership)

    facts = [
        UnitFacts(
            key=unit.pk,
            area=unit.effective_area,
            owners=tuple(
                OwnerShare(
                    identity_key=o.person.id_number_hash or f"person:{o.person_id}",
                    status=o.owner_status,
                    is_developer=o.person.is_developer,
                )
                for o in shares_of.get(unit.pk, [])
            ),
            delivered=unit.delivered,
            is_special_space=unit.kind == Unit.Kind.SPECIAL_SPACE,
        )
        for unit in units
    ]
    tally = owner_tally(facts, include_special_spaces_in_area=include_special_spaces_in_area)

    by_owner: dict[str, list[Unit]] = {}
    for unit in units:
        by_owner.setdefault(tally.owner_of_unit[unit.pk], []).append(unit)
    drafts = []
    for owner_key, owned in by_owner.items():
        shares = [o for unit in owned for o in shares_of.get(unit.pk, [])]
        is_developer = owner_key == DEVELOPER
        drafts.append(
            ElectorDraft(
                owner_key=owner_key,
                label=_label(owned, is_developer=is_developer),
                area=tally.area_by_owner[owner_key],
                unit_ids=tuple(unit.pk for unit in owned),
                voter_id=_voter_of(shares, is_developer=is_developer),
                is_developer=is_developer,
            )
        )
    return drafts, units


def _label(units: list[Unit], *, is_developer: bool) -> str:
    shown = "、".join(unit.label for unit in units[:3])
    if len(units) > 3:
        shown += _(" and %(n)d more") % {"n": len(units) - 3}
    return (_("Developer: %(units)s") % {"units": shown}) if is_developer else shown


def _voter_of(shares: list[Ownership], *, is_developer: bool) -> int | None:
    """V-19: the designated voter of the owner's part; a sole owner votes himself; the developer through its
    registered person. Co-owners who have not designated anyone can vote only on paper, signed (A-10)."""
    if is_developer:
        return next((o.person_id for o in shares if o.person.is_developer), None)
    designated = [o.person_id for o in shares if o.is_designated_voter]
    if designated:
        return designated[0]
    people = {o.person_id for o in shares}
    return people.pop() if len(people) == 1 else None


# --- announcing ------------------------------------------------------------------------------------------------


def announce_problems(decision: OwnersDecision, now: datetime) -> list[str]:
    """Why the vote cannot be announced now, in Chinese; empty when it can."""
    problems = []
    procedure = rules_of(decision.community)
    if procedure.include_special_spaces_in_area is None:
        problems.append(
            _(
                "The rules of procedure do not yet say whether parking spaces count toward voting area (V-20): "
                "set it first."
            )
        )
    if decision.status != Status.DRAFT:
        problems.append(_("Only a draft vote can be announced."))
    if not decision.matter or decision.opens_at is None or decision.closes_at is None:
        problems.append(_("Fill in the matter and the voting times first."))
    elif not meeting_rules.notice_period_met(
        body_kind=meeting_rules.OWNERS_ASSEMBLY, notice_at=now, starts_at=decision.closes_at
    ):
        earliest = meeting_rules.earliest_meeting_date(body_kind=meeting_rules.OWNERS_ASSEMBLY, notice_at=now)
        problems.append(
            _(
                "Owners must be told at least 15 days before the vote closes (A-09): it can close on %(date)s "
                "at the earliest."
            )
            % {"date": date_format(earliest, "Y年n月j日")}
        )
    if decision.closes_at is not None and decision.closes_at <= now:
        problems.append(_("The closing time has passed."))
    if not decision.questions.exists():
        problems.append(_("Enter at least one question."))
    return problems


def decision_announce(*, actor, decision: OwnersDecision, now: datetime | None = None) -> OwnersDecision:
    """Announce the vote: freeze the electorate and both totals (V-04, V-20, V-23), lock the questions (A-09),
    publish the announcement notice with the totals, and tell the owners in scope."""
    now = now or timezone.now()
    _require_convenor(actor, decision.community)
    with transaction.atomic():
        decision = (
            OwnersDecision.objects.select_for_update(no_key=True, of=("self",))
            .select_related("community")
            .get(pk=decision.pk)
        )
        problems = announce_problems(decision, now)
        if problems:
            raise ValidationError(problems)
        procedure = rules_of(decision.community)
        drafts, _units = electorate_of(
            decision,
            include_special_spaces_in_area=procedure.include_special_spaces_in_area,
            on=timezone.localdate(now),
        )
        if not drafts:
            raise ValidationError(_("The register has no owners in this scope: import the units first."))
        unit_area = {
            unit.pk: (unit.effective_area, unit.area_source, unit.kind == Unit.Kind.SPECIAL_SPACE) for unit in _units
        }
        electors = Elector.objects.bulk_create(
            Elector(
                decision=decision,
                owner_key=draft.owner_key,
                label=draft.label[:200],
                area=draft.area,
                unit_count=len(draft.unit_ids),
                voter_id=draft.voter_id,
                is_developer=draft.is_developer,
            )
            for draft in drafts
        )
        if not all(e.pk for e in electors):
            # PostgreSQL and SQLite ≥ 3.35 return the ids from bulk_create; elsewhere read the rows back and
            # match them by owner key (unique per vote), never by the order of the ids.
            by_key = {e.owner_key: e for e in decision.electors.all()}
            electors = [by_key[draft.owner_key] for draft in drafts]
        ElectorUnit.objects.bulk_create(
            ElectorUnit(
                elector=elector,
                unit_id=unit_id,
                area=_counted(unit_area[unit_id], procedure.include_special_spaces_in_area),
                area_source=unit_area[unit_id][1] or "",
            )
            for elector, draft in zip(electors, drafts, strict=True)
            for unit_id in draft.unit_ids
        )
        decision.total_area = sum((d.area for d in drafts), Decimal("0.00")).quantize(CENT)
        decision.total_owners = len(drafts)
        decision.include_special_spaces_in_area = procedure.include_special_spaces_in_area
        decision.ballots_changeable = procedure.ballots_changeable
        decision.status = Status.ANNOUNCED
        decision.announced_at = now
        decision.announced_by = actor
        decision.save()
        decision.announcement = _post_notice(
            actor=actor, decision=decision, slug=f"vote-{decision.pk}-announcement", kind="announcement"
        )
        decision.save(update_fields=["announcement"])
        audit_record(
            actor=actor,
            community=decision.community,
            action="owners_decision.announce",
            target=decision,
            after={
                "total_area": str(decision.total_area),
                "total_owners": decision.total_owners,
                "include_special_spaces_in_area": decision.include_special_spaces_in_area,
            },
        )
        transaction.on_commit(lambda: _tell_electors(decision))
    return decision


def _counted(facts, include_special: bool) -> Decimal:
    area, _source, special = facts
    if area is None or (special and not include_special):
        return Decimal("0.00")
    return Decimal(area).quantize(Decimal("0.01"))


def _tell_electors(decision: OwnersDecision) -> None:
    url = reverse("governance:decision_detail", args=[decision.pk])
    voters = Elector.objects.filter(decision=decision, voter__user__isnull=False).select_related("voter__user")
    # One transaction for all the notifications (not one commit each): about half the time for 600 owners
    # (bench/README); the pushes and emails follow on its commit.
    with transaction.atomic():
        for elector in voters:
            notify(
                recipient=elector.voter.user,
                title=_("Owners' vote: %(title)s") % {"title": decision.title},
                body=_("Voting is open from %(opens)s to %(closes)s.")
                % {"opens": _when(decision.opens_at), "closes": _when(decision.closes_at)},
                url=url,
            )


def _when(moment: datetime | None) -> str:
    return timezone.localtime(moment).strftime("%Y-%m-%d %H:%M") if moment else "—"


def _audience_buildings(decision: OwnersDecision):
    return [decision.scope_building] if decision.scope in (Scope.BUILDING, Scope.ENTRANCE) else []


def _post_notice(*, actor, decision: OwnersDecision, slug: str, kind: str) -> NoticePage:
    """The announcement, preliminary result or final result as a members-only notice of the community."""
    community = decision.community
    existing = NoticePage.objects.child_of(community).filter(slug=slug).first()
    if existing is not None:
        return existing
    url = reverse("governance:decision_detail", args=[decision.pk])
    facts = [
        (_("Matter"), decision.get_matter_display()),
        (_("Scope"), scope_label(decision)),
        (_("Voting"), f"{_when(decision.opens_at)} — {_when(decision.closes_at)}"),
        (_("Total exclusive area of the scope"), f"{decision.total_area} m²"),
        (_("Total owners of the scope"), str(decision.total_owners)),
        # "open" alone is the status 进行中 in the catalog: the kind of ballot needs its own msgids.
        (_("Ballot"), _("secret ballot") if decision.is_secret else _("open ballot")),
    ]
    if kind == "announcement":
        title = _("Owners' vote announced: %(title)s") % {"title": decision.title}
        body = format_html(
            '<dl>{}</dl><p>{}</p><ol>{}</ol><p>{}</p><p><a href="{}">{}</a></p>',
            format_html_join("", "<dt>{}</dt><dd>{}</dd>", facts),
            approval_rule_text(decision.matter),
            format_html_join("", "<li>{}</li>", ((q.text,) for q in decision.questions.all())),
            _("Owners without a phone can vote on a signed paper ballot, collected by the committee."),
            url,
            _("Vote page and electorate"),
        )
        notice_type, category = NoticePage.Type.GENERAL, ""
    else:
        final = kind == "final"
        title = (
            _("Final result of the owners' vote: %(title)s")
            if final
            else _("Preliminary result of the owners' vote: %(title)s")
        ) % {"title": decision.title}
        rows = format_html_join(
            "",
            "<li>{}：{}</li>",
            ((q.text, result_sentence(decision, q)) for q in decision.questions.all()),
        )
        tail = (
            _("Owners may file an objection on the vote page until %(deadline)s.")
            % {"deadline": _when(decision.objection_deadline)}
            if not final
            else _("This result is final.")
        )
        body = format_html(
            '<dl>{}</dl><ol>{}</ol><p>{}</p><p><a href="{}">{}</a></p>',
            format_html_join("", "<dt>{}</dt><dd>{}</dd>", facts),
            rows,
            tail,
            url,
            _("Full result"),
        )
        notice_type, category = NoticePage.Type.DISCLOSURE, NoticePage.DisclosureCategory.DECISIONS
    notice = NoticePage(
        title=title[:255],
        slug=slug,
        notice_type=notice_type,
        disclosure_category=category,
        audience=NoticePage.Audience.BUILDINGS if _audience_buildings(decision) else NoticePage.Audience.COMMUNITY,
        is_public=False,
        issuer=_issuer(decision),
        body=body,
    )
    community.add_child(instance=notice)
    for building in _audience_buildings(decision):
        notice.buildings.add(building)
    notice.save_revision(user=actor, log_action=True).publish(user=actor, skip_permission_checks=True)
    return notice


def _issuer(decision: OwnersDecision) -> str:
    return _("%(community)s owners' committee") % {"community": decision.community.title}


def result_sentence(decision: OwnersDecision, question: DecisionQuestion) -> str:
    """Both denominators and both tallies of every choice, in one line (the preliminary and final notices)."""
    if question.participating_owners is None:
        return _("not counted yet")
    verdict = (
        _("passed") if question.passed else (_("not passed") if question.quorate else _("not quorate, not passed"))
    )
    return _(
        "took part %(p_owners)d of %(t_owners)d owners, %(p_area)s of %(t_area)s m²; agree %(y_owners)d owners, "
        "%(y_area)s m²; disagree %(n_owners)d owners, %(n_area)s m²; abstain %(a_owners)d owners, %(a_area)s m²: "
        "%(verdict)s"
    ) % {
        "p_owners": question.participating_owners,
        "t_owners": decision.total_owners,
        "p_area": question.participating_area,
        "t_area": decision.total_area,
        "y_owners": question.approving_owners,
        "y_area": question.approving_area,
        "n_owners": question.rejecting_owners,
        "n_area": question.rejecting_area,
        "a_owners": question.abstaining_owners,
        "a_area": question.abstaining_area,
        "verdict": verdict,
    }


# --- casting ballots -------------------------------------------------------------------------------------------


def _clean_answers(decision: OwnersDecision, answers: dict) -> list[tuple[DecisionQuestion, str]]:
    questions = list(decision.questions.all())
    chosen = []
    for question in questions:
        choice = answers.get(question.pk) or answers.get(str(question.pk))
        if choice not in Ballot.Choice.values:
            raise ValidationError(_("Answer every question: agree, disagree or abstain."))
        chosen.append((question, choice))
    unknown = {str(k) for k in answers} - {str(q.pk) for q in questions}
    if unknown:
        raise ValidationError(_("The ballot answers a question that is not part of this vote."))
    return chosen


def _write_ballots(*, decision, elector, chosen, actor, channel, proxy=None, scan=None, note="", now) -> list[Ballot]:
    """Append the ballots of one owner under a lock on the owner; the unique constraint is the last guard.

    The locks of the vote's writers are FOR NO KEY UPDATE (PostgreSQL): they serialise the writers among themselves
    but not the foreign-key checks of the inserts (FOR KEY SHARE on the vote and the owner), which would otherwise
    deadlock a ballot against decision_count."""
    Elector.objects.select_for_update(no_key=True).filter(pk=elector.pk).first()
    if not OwnersDecision.objects.filter(pk=decision.pk, status=Status.ANNOUNCED).exists():
        # Counted (or cancelled) while this request waited for the owner's lock: decision_count locks every owner
        # before it counts, so a ballot either is in the count or is refused here.
        raise ValidationError(_("Voting has closed."))
    accepted = Proxy.objects.filter(elector=elector, status=Proxy.Status.ACCEPTED).first()
    if channel == Ballot.Channel.ONLINE and accepted is not None and (proxy is None or proxy.pk != accepted.pk):
        # V-22: once a written proxy is accepted (perhaps while this request was on its way), only the proxy votes
        # online for the owner.
        raise PermissionDenied(_("A written proxy of this owner has been accepted: only the proxy votes online."))
    latest = dict(
        Ballot.objects.filter(elector=elector)
        .values_list("question_id")
        .annotate(n=Count("id"))
        .values_list("question_id", "n")
    )
    if latest and not decision.ballots_changeable:
        raise ValidationError(_("This owner has already voted; the rules of procedure do not allow changing a ballot."))
    token = secrets.token_hex(16)
    ballots = []
    try:
        with transaction.atomic():
            for question, choice in chosen:
                ballot = Ballot(
                    decision=decision,
                    question=question,
                    elector=elector,
                    revision=latest.get(question.pk, 0) + 1,
                    choice=choice,
                    channel=channel,
                    proxy=proxy,
                    cast_by=actor,
                    cast_at=now,
                    token=token,
                    note=note,
                )
                if scan is not None and not ballots:
                    ballot.scan.save(f"{token}.{scan.name.rsplit('.', 1)[-1].lower()}", scan, save=False)
                elif scan is not None:
                    ballot.scan.name = ballots[0].scan.name
                ballot.save()
                ballots.append(ballot)
    except IntegrityError:
        raise ValidationError(
            _("This owner has already voted; the rules of procedure do not allow changing a ballot.")
        ) from None
    return ballots


def _require_open(decision: OwnersDecision, now: datetime) -> None:
    if decision.status != Status.ANNOUNCED or decision.closes_at is None or now >= decision.closes_at:
        raise ValidationError(_("Voting has closed."))
    if now < decision.opens_at:
        raise ValidationError(_("Voting has not opened yet."))


def ballot_cast(
    *, user, decision: OwnersDecision, answers: dict, now: datetime | None = None, elector_id: int | None = None
) -> list[Ballot]:
    """An owner's (or an accepted proxy's) online ballot on every question of the vote. `elector_id` says for whom
    when the user votes for several owners (see elector_for)."""
    now = now or timezone.now()
    with transaction.atomic():
        decision = OwnersDecision.objects.select_related("community").get(pk=decision.pk)
        if not permissions.can_read_community_records(user, decision.community):
            raise PermissionDenied(_("This vote belongs to another community."))
        _require_open(decision, now)
        elector, proxy = elector_for(decision, user, elector_id=elector_id)
        if elector is None:
            raise PermissionDenied(
                _(
                    "You are not a voter of this vote: only the owners of its scope (or their designated co-owner) "
                    "vote; "
                    "a tenant votes only with the owner's written proxy, checked by the committee."
                )
            )
        chosen = _clean_answers(decision, answers)
        ballots = _write_ballots(
            decision=decision,
            elector=elector,
            chosen=chosen,
            actor=user,
            channel=Ballot.Channel.ONLINE,
            proxy=proxy,
            now=now,
        )
        audit_record(
            actor=user,
            community=decision.community,
            action="ballot.cast",
            target=decision,
            after={"elector": elector.pk, "revision": ballots[0].revision, "proxy": proxy.pk if proxy else None},
        )
    return ballots


def ballot_enter(
    *,
    actor,
    decision: OwnersDecision,
    elector: Elector,
    answers: dict,
    channel: str,
    scan=None,
    note: str = "",
    proxy: Proxy | None = None,
    now: datetime | None = None,
) -> list[Ballot]:
    """A paper ballot (with the scan of the owner's signed ballot, A-10) or a ballot entered with an owner who has
    no phone (with a note of who helped and how), entered by the committee or the community staff."""
    now = now or timezone.now()
    _require_convenor(actor, decision.community)
    if elector.decision_id != decision.pk:
        raise ValidationError(_("This owner is not in the electorate of this vote."))
    if channel not in (Ballot.Channel.PAPER, Ballot.Channel.ASSISTED):
        raise ValidationError(_("Choose paper ballot or entered with the owner."))
    note = " ".join((note or "").split())[:300]
    scan = _clean_scan(scan, required_message=_("Attach the scan of the ballot signed by the owner (A-10)."))
    if channel == Ballot.Channel.PAPER and scan is None:
        raise ValidationError(_("Attach the scan of the ballot signed by the owner (A-10)."))
    if channel == Ballot.Channel.ASSISTED and not note:
        raise ValidationError(_("Note who helped the owner vote and how the owner confirmed the choice."))
    if proxy is not None and (proxy.elector_id != elector.pk or proxy.status != Proxy.Status.ACCEPTED):
        raise ValidationError(_("This written proxy has not been accepted for this owner."))
    with transaction.atomic():
        decision = OwnersDecision.objects.select_related("community").get(pk=decision.pk)
        _require_open(decision, now)
        chosen = _clean_answers(decision, answers)
        ballots = _write_ballots(
            decision=decision,
            elector=elector,
            chosen=chosen,
            actor=actor,
            channel=channel,
            proxy=proxy,
            scan=scan,
            note=note,
            now=now,
        )
        audit_record(
            actor=actor,
            community=decision.community,
            action=f"ballot.enter_{channel}",
            target=decision,
            after={"elector": elector.pk, "revision": ballots[0].revision, "proxy": proxy.pk if proxy else None},
            note=note,
        )
    return ballots


# --- written proxies (V-22) ------------------------------------------------------------------------------------


def proxy_upload(
    *, actor, decision: OwnersDecision, elector: Elector, proxy_name: str, proxy_user=None, document
) -> Proxy:
    """Upload a signed letter of proxy. The owner, the proxy himself or the committee may upload; it counts only
    once the committee has checked and accepted it."""
    community = decision.community
    if elector.decision_id != decision.pk:
        raise ValidationError(_("This owner is not in the electorate of this vote."))
    own = elector.voter_id and elector.voter.user_id == getattr(actor, "pk", None)
    if not (own or permissions.can_start_owners_decision(actor, community) or proxy_user == actor):
        raise PermissionDenied(_("Only the owner, the proxy or the committee may upload a proxy."))
    if not permissions.can_read_community_records(actor, community) and not permissions.can_start_owners_decision(
        actor, community
    ):
        raise PermissionDenied(_("This vote belongs to another community."))
    name = _clean_text(
        proxy_name,
        max_length=100,
        empty=_("Enter the proxy's name."),
        too_long=_("The name may be at most 100 characters."),
    )
    if document is None:
        raise ValidationError(_("Attach the scan of the signed letter of proxy."))
    document = _clean_scan(document, required_message=_("Attach the scan of the signed letter of proxy."))
    now = timezone.now()
    with transaction.atomic():
        # The caller's object may be stale: the state that decides is the row's, locked against the count.
        current = OwnersDecision.objects.select_for_update(no_key=True).get(pk=decision.pk)
        if current.status != Status.ANNOUNCED or now >= current.closes_at:
            raise ValidationError(_("Proxies are accepted only while the vote is announced and not closed."))
        token = secrets.token_hex(16)
        proxy = Proxy(
            decision=decision, elector=elector, proxy_name=name, proxy_user=proxy_user, token=token, uploaded_by=actor
        )
        proxy.document.save(f"{token}.{document.name.rsplit('.', 1)[-1].lower()}", document, save=False)
        proxy.save()
        audit_record(
            actor=actor, community=community, action="proxy.upload", target=proxy, after={"elector": elector.pk}
        )
    return proxy


def proxy_check(*, actor, proxy: Proxy, accept: bool, note: str = "") -> Proxy:
    """The committee checks the letter against the owner's signature on file; once, recorded."""
    decision = proxy.decision
    _require_convenor(actor, decision.community)
    note = " ".join((note or "").split())[:200]
    if not accept and not note:
        raise ValidationError(_("Give the reason for rejecting the proxy."))
    status = Proxy.Status.ACCEPTED if accept else Proxy.Status.REJECTED
    with transaction.atomic():
        # The same lock as _write_ballots: a ballot of the owner and the acceptance of his proxy are serialised.
        Elector.objects.select_for_update(no_key=True).filter(pk=proxy.elector_id).first()
        if accept and OwnersDecision.objects.filter(pk=decision.pk).values_list("status", flat=True).get() != (
            Status.ANNOUNCED
        ):
            raise ValidationError(_("Proxies are accepted only while the vote is announced and not closed."))
        if accept and Ballot.objects.filter(elector_id=proxy.elector_id).exists():
            raise ValidationError(_("This owner has already voted; a proxy can no longer vote for him."))
        try:
            with transaction.atomic():
                changed = Proxy.objects.filter(pk=proxy.pk, status=Proxy.Status.PENDING).update(
                    status=status, checked_by=actor, checked_at=timezone.now(), check_note=note
                )
        except IntegrityError:
            raise ValidationError(_("Another proxy for this owner has already been accepted.")) from None
        if not changed:
            raise ValidationError(_("This proxy has already been checked."))
        proxy.refresh_from_db()
        audit_record(
            actor=actor,
            community=decision.community,
            action=f"proxy.{status}",
            target=proxy,
            after={"status": status},
            note=note,
        )
        if proxy.proxy_user_id:
            transaction.on_commit(
                lambda: notify(
                    recipient=proxy.proxy_user,
                    title=_("Your written proxy was accepted") if accept else _("Your written proxy was rejected"),
                    body=note,
                    url=reverse("governance:decision_detail", args=[decision.pk]),
                )
            )
    return proxy


# --- closing, objections, final result -------------------------------------------------------------------------


def decision_count(*, actor, decision: OwnersDecision, now: datetime | None = None) -> OwnersDecision:
    """After the close: freeze both tallies of every question with the art. 278 test, publish the preliminary
    result notice and open the objection period (default 7 days, the rules of procedure may say otherwise)."""
    now = now or timezone.now()
    _require_convenor(actor, decision.community)
    with transaction.atomic():
        decision = (
            OwnersDecision.objects.select_for_update(no_key=True, of=("self",))
            .select_related("community")
            .get(pk=decision.pk)
        )
        if decision.status != Status.ANNOUNCED:
            raise ValidationError(_("Only an announced vote can be counted."))
        if now < decision.closes_at:
            raise ValidationError(_("The vote can be counted only after it closes."))
        # Wait for ballots still being written (each holds its owner's lock, see _write_ballots): the frozen result
        # then holds every ballot accepted before the close, and later writers see the new status and stop.
        list(Elector.objects.select_for_update(no_key=True).filter(decision=decision).values_list("pk", flat=True))
        total = rules.Tally(area=decision.total_area, owners=decision.total_owners)
        for count in count_questions(decision):
            question = count.question
            question.participating_area, question.participating_owners = (
                count.participating.area,
                count.participating.owners,
            )
            question.approving_area, question.approving_owners = count.approving.area, count.approving.owners
            question.rejecting_area, question.rejecting_owners = count.rejecting.area, count.rejecting.owners
            question.abstaining_area, question.abstaining_owners = count.abstaining.area, count.abstaining.owners
            question.quorate, question.passed, question.reasons = _verdict(decision.matter, total, count)
            question.save()
        decision.status = Status.PRELIMINARY
        decision.counted_at = now
        decision.objection_deadline = now + timedelta(days=rules_of(decision.community).objection_days)
        decision.save()
        decision.preliminary_notice = _post_notice(
            actor=actor, decision=decision, slug=f"vote-{decision.pk}-preliminary", kind="preliminary"
        )
        decision.save(update_fields=["preliminary_notice"])
        audit_record(
            actor=actor,
            community=decision.community,
            action="owners_decision.count",
            target=decision,
            after={q.pk: {"passed": q.passed, "quorate": q.quorate} for q in decision.questions.all()},
        )
    return decision


def _verdict(matter: str, total: rules.Tally, count: QuestionCount) -> tuple[bool, bool, list]:
    if matter == Matter.LIFT:
        lift = rules.lift_outcome(total, count.participating, count.approving)
        reasons = [_reason(r) for r in lift.civil_code.reasons] + [
            {**_reason(r), "rule": "henan_art_59"} for r in lift.henan_reasons
        ]
        return lift.civil_code.quorate, lift.passed, reasons
    result = rules.outcome(domain_matter(matter), total, count.participating, count.approving)
    return result.quorate, result.passed, [_reason(r) for r in result.reasons]


def _reason(shortfall: rules.Shortfall) -> dict:
    return {
        "stage": shortfall.stage,
        "measure": shortfall.measure,
        "counted": str(shortfall.counted),
        "base": str(shortfall.base),
        "threshold": f"{shortfall.threshold.numerator}/{shortfall.threshold.denominator}",
        "strict": shortfall.strict,
    }


def reason_sentence(reason: dict) -> str:
    """One failed test in Chinese, e.g. 参与表决的面积 1200.00 ㎡ 未达到总面积 2000.00 ㎡ 的 2/3 以上."""
    measure = _("area (m²)") if reason["measure"] == "area" else _("owners")
    if reason["stage"] == "participation":
        base_label = _("of all")
    else:
        base_label = _("of all owners") if reason.get("rule") == "henan_art_59" else _("of those taking part")
    relation = _("more than") if reason["strict"] else _("at least")
    stage = _("taking part") if reason["stage"] == "participation" else _("agreeing")
    return _("%(stage)s by %(measure)s: %(counted)s %(base_label)s %(base)s, needs %(relation)s %(threshold)s") % {
        "stage": stage,
        "measure": measure,
        "counted": reason["counted"],
        "base_label": base_label,
        "base": reason["base"],
        "relation": relation,
        "threshold": reason["threshold"],
    }


def objection_file(*, user, decision: OwnersDecision, text: str, now: datetime | None = None) -> Objection:
    """An owner of the electorate objects to the preliminary result within the objection period."""
    now = now or timezone.now()
    if not permissions.can_read_community_records(user, decision.community):
        raise PermissionDenied(_("This vote belongs to another community."))
    elector, _proxy = elector_for(decision, user)
    if elector is None:
        elector = own_elector(decision, user)  # an owner who gave a written proxy may still object
    if elector is None:
        raise PermissionDenied(_("Only owners of the vote's electorate can file an objection."))
    text = (text or "").strip()
    if not text:
        raise ValidationError(_("Write what you object to."))
    if len(text) > 2000:
        raise ValidationError(_("An objection may be at most 2000 characters."))
    with transaction.atomic():
        # The state that decides is the row's, locked against decision_finalize (the caller's object may be stale).
        decision = (
            OwnersDecision.objects.select_for_update(no_key=True, of=("self",))
            .select_related("community")
            .get(pk=decision.pk)
        )
        if decision.status != Status.PRELIMINARY or now >= decision.objection_deadline:
            raise ValidationError(_("Objections can be filed only during the objection period."))
        objection = Objection.objects.create(decision=decision, filed_by=user, filed_at=now, text=text)
        audit_record(actor=user, community=decision.community, action="objection.file", target=objection)
        url = reverse("governance:decision_detail", args=[decision.pk])
        recipients = list(role_users(decision.community, Role.OWNERS_COMMITTEE, Role.COMMUNITY_STAFF))
        transaction.on_commit(
            lambda: [
                notify(
                    recipient=r, title=_("Objection to the result of: %(title)s") % {"title": decision.title}, url=url
                )
                for r in recipients
            ]
        )
    return objection


def objection_answer(*, actor, objection: Objection, answer: str, now: datetime | None = None) -> Objection:
    decision = objection.decision
    _require_convenor(actor, decision.community)
    answer = (answer or "").strip()
    if not answer:
        raise ValidationError(_("Write the committee's answer."))
    if len(answer) > 2000:
        raise ValidationError(_("An answer may be at most 2000 characters."))
    with transaction.atomic():
        changed = Objection.objects.filter(pk=objection.pk, answered_at__isnull=True).update(
            answer=answer, answered_by=actor, answered_at=now or timezone.now()
        )
        if not changed:
            raise ValidationError(_("This objection has already been answered."))
        objection.refresh_from_db()
        audit_record(actor=actor, community=decision.community, action="objection.answer", target=objection)
        url = reverse("governance:decision_detail", args=[decision.pk])
        filer = objection.filed_by
        transaction.on_commit(
            lambda: notify(
                recipient=filer, title=_("The committee answered your objection"), body=answer[:200], url=url
            )
        )
    return objection


def finalize_problems(decision: OwnersDecision, now: datetime) -> list[str]:
    problems = []
    if decision.status != Status.PRELIMINARY:
        problems.append(_("Only a counted vote can be finalised."))
        return problems
    if now < decision.objection_deadline:
        problems.append(
            _("The objection period runs until %(deadline)s.") % {"deadline": _when(decision.objection_deadline)}
        )
    open_objections = decision.objections.filter(answered_at__isnull=True).count()
    if open_objections:
        problems.append(_("%(n)d objection(s) still need the committee's answer.") % {"n": open_objections})
    return problems


def decision_finalize(
    *, actor, decision: OwnersDecision, resolution: Resolution | None = None, now: datetime | None = None
) -> OwnersDecision:
    """Publish the final result as a notice (A-12, within 3 days of the objection period) and, when the vote was
    part of an owners' assembly, link the meeting's resolution."""
    now = now or timezone.now()
    _require_convenor(actor, decision.community)
    if resolution is not None and permissions.community_of(resolution.meeting) != decision.community:
        raise ValidationError(_("Choose a resolution of this community's meetings."))
    with transaction.atomic():
        decision = (
            OwnersDecision.objects.select_for_update(no_key=True, of=("self",))
            .select_related("community")
            .get(pk=decision.pk)
        )
        problems = finalize_problems(decision, now)
        if problems:
            raise ValidationError(problems)
        decision.status = Status.FINAL
        decision.finalized_at = now
        decision.resolution = resolution
        decision.save()
        decision.final_notice = _post_notice(
            actor=actor, decision=decision, slug=f"vote-{decision.pk}-final", kind="final"
        )
        decision.save(update_fields=["final_notice"])
        audit_record(
            actor=actor,
            community=decision.community,
            action="owners_decision.finalize",
            target=decision,
            after={"resolution": resolution.pk if resolution else None},
        )
    return decision


def decision_cancel(*, actor, decision: OwnersDecision, reason: str) -> OwnersDecision:
    """Cancel a vote that has not been counted; the ballots already cast stay on record."""
    _require_convenor(actor, decision.community)
    reason = " ".join((reason or "").split())
    if not reason:
        raise ValidationError(_("Give the reason for cancelling the vote."))
    with transaction.atomic():
        decision = OwnersDecision.objects.select_for_update(no_key=True).get(pk=decision.pk)
        if decision.status not in (Status.DRAFT, Status.ANNOUNCED):
            raise ValidationError(_("A counted vote cannot be cancelled."))
        before = decision.status
        decision.status = Status.CANCELLED
        decision.save(update_fields=["status"])
        audit_record(
            actor=actor,
            community=decision.community,
            action="owners_decision.cancel",
            target=decision,
            before={"status": before},
            after={"status": decision.status},
            note=reason,
        )
    return decision


def masked_voter_name(elector: Elector) -> str:
    """How others see who votes for an owner (D-01): the surname only."""
    if elector.voter_id is None:
        return "—"
    return masking.mask_name(elector.voter.full_name)
