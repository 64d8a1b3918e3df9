"""Writers and readers of renovation willingness surveys (改造意愿征询, R-07).

A survey asks every household of its scope whether it agrees with the renovation plan and, separately, with the
property-management model after renovation. Each passes only when agreeing households are ≥ 80% of ALL households
in scope; unreturned forms count as not agreeing (R-07, governance.domain.decisions.willingness_passes).

Each writer checks who may act (again, after the view), refuses bad input with a Chinese ValidationError or
PermissionDenied before writing anything, records the change in the audit log, all inside one transaction.
"""

import io
from dataclasses import dataclass
from datetime import date, datetime

from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Count, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.html import format_html, format_html_join
from django.utils.translation import gettext as _

from governance import permissions
from governance.domain import surveys as rules
from governance.models import HouseholdContact, NoticePage, OwnersDecision, SurveyHousehold, WillingnessSurvey
from home import permissions as home_permissions
from home.models import Building, CommunityRole, Unit
from home.services.audit import audit_record
from home.services.notifications import notify

Role = CommunityRole.Role
Status = WillingnessSurvey.Status
Answer = SurveyHousehold.Answer
Outcome = HouseholdContact.Outcome

ANSWERS = (Answer.AGREE, Answer.DISAGREE)
# What the door-to-door workers record; online answers come only from the household itself (answer_online).
STAFF_OUTCOMES = (Outcome.CONTACTED, Outcome.AGREED, Outcome.REFUSED, Outcome.UNREACHABLE, Outcome.PAPER_FORM)
OUTCOMES_WITH_ANSWERS = (Outcome.AGREED, Outcome.PAPER_FORM)
HOUSEHOLD_FILTERS = ("no_answer", "refused", "unreachable")


# --- reading ---------------------------------------------------------------------------------------------------


def today(now: datetime | None = None) -> date:
    """The calendar date in Asia/Shanghai (the portal's TIME_ZONE)."""
    return timezone.localdate(now or timezone.now())


def can_run(user, community) -> bool:
    return permissions.can_run_willingness_surveys(user, community)


def surveys_visible_to(user, community):
    """Members see open and closed surveys; the committee and the community staff also their drafts."""
    surveys = WillingnessSurvey.objects.filter(community=community)
    if not can_run(user, community):
        surveys = surveys.exclude(status=Status.DRAFT)
    return surveys


def can_read_survey(user, survey: WillingnessSurvey) -> bool:
    if survey.status == Status.DRAFT:
        return can_run(user, survey.community)
    return permissions.can_read_community_records(user, survey.community)


def scope_label(survey: WillingnessSurvey) -> str:
    names = [b.name for b in survey.buildings.all()]
    return "、".join(names) if names else _("whole community")


def units_in_scope(survey: WillingnessSurvey):
    """The residential units (households) of the survey's scope: special spaces are not households."""
    units = Unit.objects.filter(entrance__building__community=survey.community, kind=Unit.Kind.RESIDENCE)
    building_ids = [b.pk for b in survey.buildings.all()]
    if building_ids:
        units = units.filter(entrance__building_id__in=building_ids)
    return units


def households_of(survey: WillingnessSurvey, user) -> list[SurveyHousehold]:
    """The households of the survey the user lives in (a current verified residency, any relation)."""
    if user is None or not user.is_authenticated:
        return []
    return list(
        SurveyHousehold.objects.filter(
            survey=survey, unit__residencies__person__user=user, unit__residencies__ended_on__isnull=True
        )
        .select_related("unit__entrance__building")
        .distinct()
        .order_by("unit_id")
    )


def rule_text() -> str:
    return _(
        "The renovation plan and, separately, the property-management model pass only when at least 80 per cent of ALL "
        "households in scope agree; a household that does not return its form counts as not agreeing (R-07)."
    )


def fund_rule_text() -> str:
    return _(
        "The plan also raises the maintenance fund: that needs its own owners' vote under Civil Code art. 278 "
        "item 6 as well, and the renovation goes ahead only when both pass."
    )


def live_counts(survey: WillingnessSurvey) -> dict:
    """The current answers, counted in the database (one query)."""
    return survey.households.aggregate(
        households=Count("pk"),
        plan_agree=Count("pk", filter=Q(plan_answer=Answer.AGREE)),
        plan_disagree=Count("pk", filter=Q(plan_answer=Answer.DISAGREE)),
        model_agree=Count("pk", filter=Q(model_answer=Answer.AGREE)),
        model_disagree=Count("pk", filter=Q(model_answer=Answer.DISAGREE)),
    )


@dataclass(frozen=True)
class SurveyProgress:
    plan: rules.Progress
    model: rules.Progress


def progress_of(survey: WillingnessSurvey, counts: dict | None = None) -> SurveyProgress | None:
    """Plan and model against the 80% line of all households in scope; None before the survey opens."""
    if not survey.total_households:
        return None
    counts = counts if counts is not None else live_counts(survey)
    total = survey.total_households
    return SurveyProgress(
        plan=rules.survey_progress(households=total, agree=counts["plan_agree"], disagree=counts["plan_disagree"]),
        model=rules.survey_progress(households=total, agree=counts["model_agree"], disagree=counts["model_disagree"]),
    )


def progress_by_building(survey: WillingnessSurvey) -> tuple[list[dict], dict]:
    """Per building: households, plan and model agree/disagree, no answer, and the households whose latest
    door-to-door outcome is contacted / refused / unreachable. ONE aggregate query, whatever the buildings."""
    agree, disagree = Answer.AGREE, Answer.DISAGREE
    rows = list(
        survey.households.values("building", "building__name", "building__sort_order")
        .annotate(
            households=Count("pk"),
            plan_agree=Count("pk", filter=Q(plan_answer=agree)),
            plan_disagree=Count("pk", filter=Q(plan_answer=disagree)),
            model_agree=Count("pk", filter=Q(model_answer=agree)),
            model_disagree=Count("pk", filter=Q(model_answer=disagree)),
            no_answer=Count("pk", filter=Q(plan_answer="", model_answer="")),
            contacted=Count("pk", filter=Q(last_outcome=Outcome.CONTACTED)),
            refused=Count("pk", filter=Q(last_outcome=Outcome.REFUSED)),
            unreachable=Count("pk", filter=Q(last_outcome=Outcome.UNREACHABLE)),
        )
        .order_by("building__sort_order", "building__name")
    )
    keys = (
        "households",
        "plan_agree",
        "plan_disagree",
        "model_agree",
        "model_disagree",
        "no_answer",
        "contacted",
        "refused",
        "unreachable",
    )
    totals = {key: sum(row[key] for row in rows) for key in keys}
    for row in (*rows, totals):
        row["answered"] = row["households"] - row["no_answer"]
        row["plan_percent"] = rules.percent_of(row["plan_agree"], row["households"])
        row["model_percent"] = rules.percent_of(row["model_agree"], row["households"])
    return rows, totals


def households_for_list(survey: WillingnessSurvey, *, building: Building, show: str = ""):
    """The households of one building for the door-to-door workers, filtered by no answer / refused / unreachable.
    Unit labels only, never residents' names."""
    households = survey.households.filter(building=building).select_related("unit__entrance__building")
    if show == "no_answer":
        households = households.filter(plan_answer="", model_answer="")
    elif show in ("refused", "unreachable"):
        households = households.filter(last_outcome=show)
    return households.order_by("unit__entrance__sort_order", "unit__room")


def fund_gate_state(survey: WillingnessSurvey) -> str:
    """The item-6 owners' vote on raising the fund: "" (not needed), "missing", "running", "passed", "failed"."""
    if not survey.raises_maintenance_fund:
        return ""
    decision = survey.fund_decision
    if decision is None:
        return "missing"
    if decision.status == OwnersDecision.Status.CANCELLED:
        return "failed"
    if decision.status != OwnersDecision.Status.FINAL:
        return "running"
    results = [q.passed for q in decision.questions.all()]
    return "passed" if results and all(results) else "failed"


def fund_gate_label(state: str) -> str:
    return {
        "missing": _("the owners' vote on raising the fund has not been set up yet"),
        "running": _("the owners' vote on raising the fund has no final result yet"),
        "passed": _("the owners' vote on raising the fund passed (final result)"),
        "failed": _("the owners' vote on raising the fund did not pass"),
    }.get(state, "")


def gates_passed(survey: WillingnessSurvey) -> bool:
    """Both gates: the closed survey passed on the plan AND the model (R-07), and where the plan raises the
    maintenance fund, the linked item-6 owners' vote is FINAL with every question passed."""
    if survey.status != Status.CLOSED or not (survey.plan_passed and survey.model_passed):
        return False
    return not survey.raises_maintenance_fund or fund_gate_state(survey) == "passed"


def result_sentence(survey: WillingnessSurvey, which: str) -> str:
    """ "plan" or "model": the frozen numbers and the verdict in one line."""
    agree = survey.plan_agree if which == "plan" else survey.model_agree
    passed = survey.plan_passed if which == "plan" else survey.model_passed
    if agree is None or not survey.total_households:
        return _("not counted yet")
    return _("%(agree)d of %(total)d households agree (%(percent)d%%); at least %(needed)d needed: %(verdict)s") % {
        "agree": agree,
        "total": survey.total_households,
        "percent": rules.percent_of(agree, survey.total_households),
        "needed": rules.agree_needed(survey.total_households),
        "verdict": _("passed") if passed else _("not passed"),
    }


def survey_url(survey: WillingnessSurvey) -> str:
    return reverse("governance:survey_detail", args=[survey.pk])


# --- checks ----------------------------------------------------------------------------------------------------


def _require_runner(actor, community) -> None:
    if not can_run(actor, community):
        raise PermissionDenied(_("Only the owners' committee or the community staff run willingness surveys."))


def _clean_text(value, *, max_length: int, empty: str) -> str:
    text = (value or "").strip()
    if not text:
        raise ValidationError(empty)
    if len(text) > max_length:
        raise ValidationError(_("At most %(n)d characters.") % {"n": max_length})
    return text


def _clean_answers(plan_answer, model_answer) -> tuple[str, str]:
    if plan_answer not in ANSWERS or model_answer not in ANSWERS:
        raise ValidationError(_("Answer both questions: the renovation plan and the property-management model."))
    return plan_answer, model_answer


def _require_open(survey: WillingnessSurvey, now=None) -> None:
    if survey.status != Status.OPEN:
        raise ValidationError(_("This survey is not open: answers can no longer be given or changed."))
    day = today(now)
    if day > survey.closes_on:
        raise ValidationError(_("This survey closed on %(day)s.") % {"day": survey.closes_on.isoformat()})
    if day < survey.opens_on:
        raise ValidationError(_("This survey opens on %(day)s.") % {"day": survey.opens_on.isoformat()})


def _is_fund_vote(decision: OwnersDecision, community) -> bool:
    return decision.community_id == community.pk and decision.matter == OwnersDecision.Matter.FUND_RAISING


# --- drafting -------------------------------------------------------------------------------------------------


def survey_save_draft(
    *,
    actor,
    community,
    title,
    plan_summary,
    management_model,
    buildings,
    opens_on: date,
    closes_on: date,
    raises_maintenance_fund: bool = False,
    fund_decision: OwnersDecision | None = None,
    survey: WillingnessSurvey | None = None,
) -> WillingnessSurvey:
    """Create a draft survey, or change one that has not opened yet. Buildings: none means the whole community;
    only this community's buildings are accepted."""
    _require_runner(actor, community)
    if survey is not None:
        if survey.community_id != community.pk:
            raise PermissionDenied(_("This survey belongs to another community."))
        if survey.status != Status.DRAFT:
            raise ValidationError(_("The survey has opened: its plan, model and scope can no longer change."))
    errors = {}
    cleaned = {}
    for field, value, max_length, empty in (
        ("title", title, 120, _("Give the survey a title.")),
        ("plan_summary", plan_summary, 5000, _("Describe the renovation plan.")),
        ("management_model", management_model, 3000, _("Describe the property-management model after renovation.")),
    ):
        try:
            cleaned[field] = _clean_text(value, max_length=max_length, empty=empty)
        except ValidationError as error:
            errors[field] = error.messages
    buildings = list(buildings or [])
    if any(b.community_id != community.pk for b in buildings):
        errors["buildings"] = [_("Only buildings of this community can be in the survey's scope.")]
    if opens_on is None or closes_on is None:
        errors["closes_on"] = [_("Give the dates the survey opens and closes.")]
    elif opens_on > closes_on:
        errors["closes_on"] = [_("The survey cannot close before it opens.")]
    if fund_decision is not None and not _is_fund_vote(fund_decision, community):
        errors["fund_decision"] = [_("Choose an owners' vote of this community on raising the fund (item 6).")]
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        creating = survey is None
        if creating:
            survey = WillingnessSurvey(community=community, created_by=actor)
        before = {} if creating else {"title": survey.title, "closes_on": str(survey.closes_on)}
        survey.title = cleaned["title"]
        survey.plan_summary = cleaned["plan_summary"]
        survey.management_model = cleaned["management_model"]
        survey.opens_on = opens_on
        survey.closes_on = closes_on
        survey.raises_maintenance_fund = bool(raises_maintenance_fund)
        survey.fund_decision = fund_decision if raises_maintenance_fund else None
        survey.save()
        survey.buildings.set(buildings)
        audit_record(
            actor=actor,
            community=community,
            action="willingness_survey.draft",
            target=survey,
            before=before,
            after={
                "title": survey.title,
                "buildings": [b.pk for b in buildings],
                "opens_on": str(opens_on),
                "closes_on": str(closes_on),
                "raises_maintenance_fund": survey.raises_maintenance_fund,
            },
        )
    return survey


def survey_link_fund_decision(*, actor, survey: WillingnessSurvey, decision: OwnersDecision) -> WillingnessSurvey:
    """The item-6 owners' vote usually starts after the survey: link it whenever, until the survey is linked."""
    _require_runner(actor, survey.community)
    if not survey.raises_maintenance_fund:
        raise ValidationError(_("This plan does not raise the maintenance fund."))
    if not _is_fund_vote(decision, survey.community):
        raise ValidationError(_("Choose an owners' vote of this community on raising the fund (item 6)."))
    with transaction.atomic():
        before = {"fund_decision": survey.fund_decision_id}
        survey.fund_decision = decision
        survey.save(update_fields=["fund_decision"])
        audit_record(
            actor=actor,
            community=survey.community,
            action="willingness_survey.link_fund_decision",
            target=survey,
            before=before,
            after={"fund_decision": decision.pk},
        )
    return survey


# --- opening --------------------------------------------------------------------------------------------------


def survey_open(*, actor, survey: WillingnessSurvey, now: datetime | None = None) -> WillingnessSurvey:
    """Freeze one household per residential unit in scope, open the survey, post a members-only notice and tell
    the residents in scope."""
    community = survey.community
    _require_runner(actor, community)
    now = now or timezone.now()
    with transaction.atomic():
        survey = WillingnessSurvey.objects.select_for_update().get(pk=survey.pk)
        if survey.status != Status.DRAFT:
            raise ValidationError(_("This survey has already been opened."))
        if today(now) > survey.closes_on:
            raise ValidationError(_("The closing date has passed: change the dates before opening the survey."))
        units = list(units_in_scope(survey).select_related("entrance").order_by("pk"))
        if not units:
            raise ValidationError(_("There are no households (residential units) in the survey's scope."))
        SurveyHousehold.objects.bulk_create(
            SurveyHousehold(survey=survey, unit=unit, building_id=unit.entrance.building_id) for unit in units
        )
        survey.total_households = len(units)
        survey.status = Status.OPEN
        survey.opened_at = now
        survey.save(update_fields=["total_households", "status", "opened_at"])
        _post_notice(actor=actor, survey=survey, kind="open")
        audit_record(
            actor=actor,
            community=community,
            action="willingness_survey.open",
            target=survey,
            after={"total_households": survey.total_households},
        )
        survey_pk = survey.pk
        transaction.on_commit(lambda: _tell_residents(survey_pk))
    return survey


def residents_in_scope(survey: WillingnessSurvey):
    User = get_user_model()
    return User.objects.filter(
        person__residencies__unit__in=survey.households.values("unit"), person__residencies__ended_on__isnull=True
    ).distinct()


def _tell_residents(survey_pk: int) -> None:
    survey = WillingnessSurvey.objects.get(pk=survey_pk)
    url = survey_url(survey)
    for user in residents_in_scope(survey):
        notify(
            recipient=user,
            title=_("Renovation willingness survey: %(title)s") % {"title": survey.title},
            body=_("Give your household's opinion by %(day)s. Unreturned forms count as not agreeing.")
            % {"day": survey.closes_on.isoformat()},
            url=url,
        )


def _issuer(actor, community) -> str:
    if home_permissions.has_role(actor, community, Role.OWNERS_COMMITTEE):
        return _("%(community)s owners' committee") % {"community": community.title}
    return _("%(community)s community residents' committee") % {"community": community.title}


def _post_notice(*, actor, survey: WillingnessSurvey, kind: str) -> NoticePage:
    """The opening announcement (members only) or the result disclosure (members only), once each."""
    community = survey.community
    slug = f"survey-{survey.pk}-{kind}"
    existing = NoticePage.objects.child_of(community).filter(slug=slug).first()
    if existing is not None:
        return existing
    facts = [
        (_("Survey scope"), scope_label(survey)),
        (_("Period"), f"{survey.opens_on.isoformat()} — {survey.closes_on.isoformat()}"),
        (_("Households in scope"), str(survey.total_households)),
    ]
    if kind == "open":
        title = _("Renovation willingness survey: %(title)s") % {"title": survey.title}
        body = format_html(
            '<dl>{}</dl><h3>{}</h3><p>{}</p><h3>{}</h3><p>{}</p><p>{}</p><p>{}</p><p><a href="{}">{}</a></p>',
            format_html_join("", "<dt>{}</dt><dd>{}</dd>", facts),
            _("Renovation plan"),
            survey.plan_summary,
            _("Property-management model after renovation"),
            survey.management_model,
            rule_text(),
            _("Households without a phone can answer on a paper form collected door to door."),
            survey_url(survey),
            _("Give your household's opinion"),
        )
        notice_type, category = NoticePage.Type.GENERAL, ""
    else:
        title = _("Result of the renovation willingness survey: %(title)s") % {"title": survey.title}
        fund = ""
        if survey.raises_maintenance_fund:
            fund = format_html("<p>{} {}</p>", fund_rule_text(), fund_gate_label(fund_gate_state(survey)))
        body = format_html(
            '<dl>{}</dl><ul><li>{}：{}</li><li>{}：{}</li></ul><p>{}</p>{}<p><a href="{}">{}</a></p>',
            format_html_join("", "<dt>{}</dt><dd>{}</dd>", facts),
            _("Renovation plan"),
            result_sentence(survey, "plan"),
            _("Property-management model"),
            result_sentence(survey, "model"),
            rule_text(),
            fund,
            survey_url(survey),
            _("Survey page"),
        )
        notice_type, category = NoticePage.Type.DISCLOSURE, NoticePage.DisclosureCategory.OTHER
    buildings = list(survey.buildings.all())
    notice = NoticePage(
        title=title[:255],
        slug=slug,
        notice_type=notice_type,
        disclosure_category=category,
        audience=NoticePage.Audience.BUILDINGS if buildings else NoticePage.Audience.COMMUNITY,
        is_public=False,
        issuer=_issuer(actor, community),
        body=body,
    )
    community.add_child(instance=notice)
    for building in buildings:
        notice.buildings.add(building)
    notice.save_revision(user=actor, log_action=True).publish(user=actor, skip_permission_checks=True)
    return notice


# --- answers and the door-to-door log ---------------------------------------------------------------------------


def answer_online(
    *, user, survey: WillingnessSurvey, plan_answer, model_answer, household=None, now=None
) -> SurveyHousehold:
    """A verified resident of a household in scope answers for the household. One opinion per household: the
    latest answer replaces the household's current answers while the survey is open; every answer is logged."""
    now = now or timezone.now()
    mine = households_of(survey, user)
    if household is not None:
        mine = [h for h in mine if h.pk == household.pk]
    if not mine:
        raise PermissionDenied(_("Only verified residents of a household in the survey's scope can answer."))
    plan_answer, model_answer = _clean_answers(plan_answer, model_answer)
    with transaction.atomic():
        survey = WillingnessSurvey.objects.select_for_update().get(pk=survey.pk)
        _require_open(survey, now)
        household = SurveyHousehold.objects.select_for_update().get(pk=mine[0].pk)
        before = {"plan": household.plan_answer, "model": household.model_answer}
        _set_answers(household, Outcome.ONLINE, plan_answer, model_answer, now)
        HouseholdContact.objects.create(
            household=household,
            outcome=Outcome.ONLINE,
            plan_answer=plan_answer,
            model_answer=model_answer,
            recorded_by=user,
            recorded_at=now,
        )
        audit_record(
            actor=user,
            community=survey.community,
            action="willingness_survey.answer_online",
            target=survey,
            before=before,
            after={"household": household.pk, "plan": plan_answer, "model": model_answer},
        )
    return household


def _set_answers(household: SurveyHousehold, outcome: str, plan_answer: str, model_answer: str, now) -> None:
    household.last_outcome = outcome
    fields = ["last_outcome"]
    if plan_answer:
        household.plan_answer = plan_answer
        household.model_answer = model_answer
        household.answered_at = now
        fields += ["plan_answer", "model_answer", "answered_at"]
    household.save(update_fields=fields)


def record_contact(
    *, actor, household: SurveyHousehold, outcome, plan_answer="", model_answer="", reason="", now=None
) -> HouseholdContact:
    """The door-to-door log (入户征询记录), append-only. "agreed" (answered to the visitor) and "paper_form" set the
    household's answers (both required); "refused" needs a reason; "contacted" and "unreachable" keep them."""
    now = now or timezone.now()
    survey = household.survey
    _require_runner(actor, survey.community)
    if outcome not in STAFF_OUTCOMES:
        raise ValidationError({"outcome": [_("Choose what happened.")]})
    reason = " ".join((reason or "").split())
    if len(reason) > 300:
        raise ValidationError({"reason": [_("At most %(n)d characters.") % {"n": 300}]})
    if outcome in OUTCOMES_WITH_ANSWERS:
        plan_answer, model_answer = _clean_answers(plan_answer, model_answer)
    else:
        plan_answer = model_answer = ""
    if outcome == Outcome.REFUSED and not reason:
        raise ValidationError({"reason": [_("Write down why the household refused to answer.")]})
    with transaction.atomic():
        locked = WillingnessSurvey.objects.select_for_update().get(pk=survey.pk)
        _require_open(locked, now)
        household = SurveyHousehold.objects.select_for_update().get(pk=household.pk)
        before = {"plan": household.plan_answer, "model": household.model_answer, "outcome": household.last_outcome}
        _set_answers(household, outcome, plan_answer, model_answer, now)
        contact = HouseholdContact.objects.create(
            household=household,
            outcome=outcome,
            plan_answer=plan_answer,
            model_answer=model_answer,
            reason=reason,
            recorded_by=actor,
            recorded_at=now,
        )
        audit_record(
            actor=actor,
            community=survey.community,
            action=f"willingness_survey.contact_{outcome}",
            target=survey,
            before=before,
            after={"household": household.pk, "plan": plan_answer, "model": model_answer},
            note=reason,
        )
    return contact


# --- closing --------------------------------------------------------------------------------------------------


def survey_close(*, actor, survey: WillingnessSurvey, now: datetime | None = None) -> WillingnessSurvey:
    """On or after the closing date (Asia/Shanghai): count the agreeing households in the database, freeze the
    result (R-07: each of plan and model passes only with ≥ 80% of ALL households) and publish it."""
    community = survey.community
    _require_runner(actor, community)
    now = now or timezone.now()
    with transaction.atomic():
        survey = WillingnessSurvey.objects.select_for_update().get(pk=survey.pk)
        if survey.status != Status.OPEN:
            raise ValidationError(_("Only an open survey can be closed."))
        if today(now) < survey.closes_on:
            raise ValidationError(
                _("The survey runs until %(day)s; it can be closed on or after that day.")
                % {"day": survey.closes_on.isoformat()}
            )
        counts = live_counts(survey)
        total = survey.total_households
        survey.plan_agree = counts["plan_agree"]
        survey.model_agree = counts["model_agree"]
        survey.plan_passed = rules.willingness_passes(survey.plan_agree, total)
        survey.model_passed = rules.willingness_passes(survey.model_agree, total)
        survey.status = Status.CLOSED
        survey.closed_at = now
        survey.result_notice = _post_notice(actor=actor, survey=survey, kind="result")
        survey.save(
            update_fields=[
                "plan_agree",
                "model_agree",
                "plan_passed",
                "model_passed",
                "status",
                "closed_at",
                "result_notice",
            ]
        )
        audit_record(
            actor=actor,
            community=community,
            action="willingness_survey.close",
            target=survey,
            after={
                "total_households": total,
                "plan_agree": survey.plan_agree,
                "model_agree": survey.model_agree,
                "plan_passed": survey.plan_passed,
                "model_passed": survey.model_passed,
            },
        )
    return survey


# --- export ---------------------------------------------------------------------------------------------------


def household_log_export(*, actor, survey: WillingnessSurvey) -> bytes:
    """The door-to-door log as an Excel workbook, by unit label (no residents' names). The export is audited."""
    import openpyxl

    _require_runner(actor, survey.community)
    answer_label = dict(Answer.choices)
    outcome_label = dict(Outcome.choices)
    workbook = openpyxl.Workbook()
    log = workbook.active
    log.title = _("Door-to-door log")[:31]
    log.append([_("Building"), _("Unit"), _("Outcome"), _("Plan"), _("Model"), _("Reason or note"), _("Recorded")])
    contacts = (
        HouseholdContact.objects.filter(household__survey=survey)
        .select_related("household__unit__entrance__building")
        .order_by(
            "household__building__sort_order", "household__unit__entrance__sort_order", "household__unit__room", "pk"
        )
    )
    for contact in contacts:
        unit = contact.household.unit
        log.append(
            [
                unit.entrance.building.name,
                unit.label,
                str(outcome_label.get(contact.outcome, contact.outcome)),
                str(answer_label.get(contact.plan_answer, "")) if contact.plan_answer else "",
                str(answer_label.get(contact.model_answer, "")) if contact.model_answer else "",
                contact.reason,
                timezone.localtime(contact.recorded_at).strftime("%Y-%m-%d %H:%M"),
            ]
        )
    summary = workbook.create_sheet(_("By building")[:31])
    rows, totals = progress_by_building(survey)
    summary.append(
        [
            _("Building"),
            _("Households"),
            _("Plan: agree"),
            _("Plan: disagree"),
            _("Model: agree"),
            _("Model: disagree"),
            _("No answer"),
            _("Refused"),
            _("Unreachable"),
        ]
    )
    for row in (*rows, {**totals, "building__name": _("Total")}):
        summary.append(
            [
                row["building__name"],
                row["households"],
                row["plan_agree"],
                row["plan_disagree"],
                row["model_agree"],
                row["model_disagree"],
                row["no_answer"],
                row["refused"],
                row["unreachable"],
            ]
        )
    buffer = io.BytesIO()
    workbook.save(buffer)
    audit_record(
        actor=actor,
        community=survey.community,
        action="willingness_survey.export",
        target=survey,
        after={"contacts": contacts.count()},
    )
    return buffer.getvalue()
