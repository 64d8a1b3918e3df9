"""Owners' votes (业主表决) for owners and for the committee: the list, the committee's draft and rules forms, the
vote page (ballot, receipt, result, objections), the frozen electorate and the live turnout panel.

Views parse, ask governance.permissions, call a writer of governance.services.decisions (which asks again and
keeps the audit log) and show its refusal in Chinese; every POST ends in a redirect. No page shows another
owner's choice: on a secret ballot and on an open one alike, others see who took part, never what they chose.
"""

from decimal import Decimal

from django.contrib import messages
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db.models import Exists, OuterRef
from django.http import JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import path, reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from governance import permissions
from governance.forms_decisions import CHOICES, DecisionForm, ProcedureRulesForm
from governance.models import Ballot, Elector, Objection, OwnersDecision, Resolution, Topic
from governance.services import decisions as svc
from home import permissions as home_permissions
from home.domain.masking import mask_name
from home.models import CommunityPage

Status = OwnersDecision.Status
FORBIDDEN_TEMPLATE = "governance/decisions/forbidden.html"
ELECTORS_PER_PAGE = 50


# ---------------------------------------------------------------- access


def can_see_drafts(user, community) -> bool:
    """A draft is the committee's working paper: the committee and the community staff who run votes, the
    moderators of the 议事厅 a draft may come from, and bureau staff."""
    return (
        permissions.can_start_owners_decision(user, community)
        or permissions.can_moderate_discussions(user, community)
        or home_permissions.is_bureau_staff(user)
    )


def can_read_decision(user, decision: OwnersDecision) -> bool:
    """An announced vote is read by the community's members (and bureau staff); a draft (or a draft that was
    cancelled before it was announced) only by those who see drafts."""
    community = decision.community
    if decision.announced_at is None:
        return can_see_drafts(user, community)
    return permissions.can_read_community_records(user, community) or can_see_drafts(user, community)


def _refuse(request, community=None):
    if not request.user.is_authenticated:
        return redirect_to_login(request.get_full_path())
    return render(request, FORBIDDEN_TEMPLATE, {"community": community}, status=403)


def _community(community_id: int) -> CommunityPage:
    return get_object_or_404(CommunityPage.objects.live(), pk=community_id)


def _decision(decision_id: int) -> OwnersDecision:
    return get_object_or_404(
        OwnersDecision.objects.select_related(
            "community",
            "scope_building",
            "scope_entrance__building",
            "created_by",
            "announcement",
            "preliminary_notice",
            "final_notice",
            "resolution__meeting",
        ),
        pk=decision_id,
    )


def _messages_of(error: ValidationError) -> list[str]:
    return list(error.messages)


def _flash(request, error: ValidationError) -> None:
    for message in _messages_of(error):
        messages.error(request, message)


def _detail_url(decision) -> str:
    return reverse("governance:decision_detail", args=[decision.pk])


# ---------------------------------------------------------------- the list


def _phase(decision: OwnersDecision, now) -> str:
    if decision.status == Status.ANNOUNCED:
        if now < decision.opens_at:
            return "upcoming"
        return "open" if now < decision.closes_at else "closed"
    return decision.status


@require_GET
def decision_list(request, community_id):
    community = _community(community_id)
    user = request.user
    drafts = can_see_drafts(user, community)
    if not (permissions.can_read_community_records(user, community) or drafts):
        return _refuse(request, community)
    now = timezone.now()
    decisions = OwnersDecision.objects.filter(community=community).select_related("scope_building", "scope_entrance")
    if not drafts:
        decisions = decisions.filter(announced_at__isnull=False)
    groups = {key: [] for key in ("open", "upcoming", "closed", "preliminary", "final", "draft", "cancelled")}
    for decision in decisions.order_by("-created_at", "-pk"):
        decision.phase = _phase(decision, now)
        groups[decision.phase].append(decision)
    sections = [
        ("open", _("Voting now"), groups["open"]),
        ("upcoming", _("Announced, voting not yet open"), groups["upcoming"]),
        ("closed", _("Closed, being counted"), groups["closed"]),
        ("preliminary", _("Preliminary result published"), groups["preliminary"]),
        ("final", _("Final result published"), groups["final"]),
    ]
    if drafts:
        sections.append(("draft", _("Drafts (only the committee sees these)"), groups["draft"]))
    sections.append(("cancelled", _("Cancelled"), groups["cancelled"]))
    context = {
        "community": community,
        "sections": [s for s in sections if s[2] or s[0] == "open"],
        "can_start": permissions.can_start_owners_decision(user, community),
        "rules": svc.rules_of(community) if permissions.can_start_owners_decision(user, community) else None,
    }
    return render(request, "governance/decisions/list.html", context)


# ---------------------------------------------------------------- the committee's draft form


def _save_draft(request, community, form, decision=None):
    data = form.cleaned_data
    return svc.decision_save_draft(
        actor=request.user,
        community=community,
        decision=decision,
        title=data["title"],
        description=data["description"],
        matter=data["matter"],
        opens_at=data["opens_at"],
        closes_at=data["closes_at"],
        is_secret=data["is_secret"],
        questions=data["questions"],
        **form.scope_parts(community),
    )


def _add_errors(form, error: ValidationError) -> None:
    for message in _messages_of(error):
        form.add_error(None, message)


def _draft_form(request, community, decision=None):
    """The committee's draft form, for a new vote or a draft not yet announced (the writer refuses the rest)."""
    if not permissions.can_start_owners_decision(request.user, community):
        return _refuse(request, community)
    if decision is not None and request.method == "GET" and decision.status != Status.DRAFT:
        messages.error(request, _("The vote has been announced: its questions can no longer change (A-09)."))
        return redirect(_detail_url(decision))
    initial = DecisionForm.initial_for(decision) if decision is not None else None
    form = DecisionForm(request.POST or None, community=community, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            saved = _save_draft(request, community, form, decision)
        except ValidationError as error:
            _add_errors(form, error)
        except PermissionDenied:
            return _refuse(request, community)
        else:
            messages.success(request, _("The draft is saved. Check it, then announce it."))
            return redirect(_detail_url(saved))
    context = {"community": community, "form": form, "decision": decision}
    return render(request, "governance/decisions/form.html", context, status=400 if form.is_bound else 200)


@require_http_methods(["GET", "POST"])
def decision_new(request, community_id):
    return _draft_form(request, _community(community_id))


@require_http_methods(["GET", "POST"])
def decision_edit(request, decision_id):
    decision = _decision(decision_id)
    return _draft_form(request, decision.community, decision)


# ---------------------------------------------------------------- rules of procedure (V-20)


@require_http_methods(["GET", "POST"])
def procedure_rules(request, community_id):
    community = _community(community_id)
    if not permissions.can_start_owners_decision(request.user, community):
        return _refuse(request, community)
    current = svc.rules_of(community)
    form = ProcedureRulesForm(request.POST or None, initial=ProcedureRulesForm.initial_for(current))
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            svc.procedure_rules_set(
                actor=request.user,
                community=community,
                include_special_spaces_in_area=data["include_special_spaces_in_area"] == "yes",
                ballots_changeable=data["ballots_changeable"] == "yes",
                objection_days=data["objection_days"],
            )
        except ValidationError as error:
            _add_errors(form, error)
        except PermissionDenied:
            return _refuse(request, community)
        else:
            messages.success(request, _("The voting rules are saved; they apply to votes announced from now on."))
            return redirect("governance:decision_list", community_id=community.pk)
    context = {"community": community, "form": form, "current": current}
    return render(request, "governance/decisions/rules.html", context, status=400 if form.is_bound else 200)


# ---------------------------------------------------------------- the vote page


def _question_rows(decision: OwnersDecision, questions) -> list[dict]:
    """Both tallies of every choice against both denominators (all owners of the scope; those taking part)."""
    rows = []
    for question in questions:
        if question.participating_owners is None:
            rows.append({"question": question, "counted": False})
            continue
        lines = [
            ("participating", _("Took part"), question.participating_owners, question.participating_area),
            ("approving", _("Agree"), question.approving_owners, question.approving_area),
            ("rejecting", _("Disagree"), question.rejecting_owners, question.rejecting_area),
            ("abstaining", _("Abstain"), question.abstaining_owners, question.abstaining_area),
        ]
        part_owners, part_area = question.participating_owners, question.participating_area
        rows.append(
            {
                "question": question,
                "counted": True,
                "lines": [
                    {
                        "key": key,
                        "label": label,
                        "owners": owners,
                        "area": area,
                        "owners_of_all": _percent(owners, decision.total_owners),
                        "area_of_all": _percent(area, decision.total_area),
                        "owners_of_part": "" if key == "participating" else _percent(owners, part_owners),
                        "area_of_part": "" if key == "participating" else _percent(area, part_area),
                    }
                    for key, label, owners, area in lines
                ],
                "reasons": [svc.reason_sentence(_tidy_reason(reason)) for reason in question.reasons or []],
                "sentence": svc.result_sentence(decision, question),
            }
        )
    return rows


def _tidy_reason(reason: dict) -> dict:
    """Areas in a stored reason to the cent: on SQLite the writer stores SUM()s with spurious digits
    ("5336.30000000000"); the numbers themselves are exact."""
    tidy = dict(reason)
    for key in ("counted", "base"):
        value = str(tidy.get(key, ""))
        if "." in value:
            tidy[key] = str(Decimal(value).quantize(Decimal("0.01")))
    return tidy


def _percent(part, whole) -> str:
    if not whole:
        return "—"
    return f"{(100 * part / whole):.2f}%"


def _receipts(decision, electors) -> dict:
    """The current choices of the owners this user votes for (his receipts), one query: shown to him only."""
    if not electors:
        return {}
    labels = dict(CHOICES)
    found: dict[int, dict] = {}
    ballots = svc.current_ballots(decision).filter(elector__in=[e.pk for e in electors]).order_by("question__position")
    for ballot in ballots:
        receipt = found.setdefault(ballot.elector_id, {"cast_at": ballot.cast_at, "choices": {}, "chosen": {}})
        receipt["cast_at"] = max(receipt["cast_at"], ballot.cast_at)
        receipt["choices"][ballot.question_id] = labels.get(ballot.choice, ballot.choice)
        receipt["chosen"][ballot.question_id] = ballot.choice
    return found


def _ballot_entry(decision, questions, elector, proxy, receipt, is_open) -> dict:
    return {
        "elector": elector,
        "proxy": proxy,
        "receipt": receipt,
        "receipt_rows": [(q, receipt["choices"].get(q.pk, "—")) for q in questions] if receipt else [],
        "can_vote": is_open and (receipt is None or decision.ballots_changeable),
        "questions": [
            {
                "question": q,
                "options": [
                    (value, label, bool(receipt) and receipt["chosen"].get(q.pk) == value) for value, label in CHOICES
                ],
            }
            for q in questions
        ],
    }


def _voter_context(request, decision, questions, now) -> dict:
    """One ballot block for every owner the user votes for: himself, and each owner whose accepted written proxy
    names him (V-22); or why he cannot vote."""
    user = request.user
    entries = svc.electors_for(decision, user)
    receipts = _receipts(decision, [elector for elector, _proxy in entries])
    is_open = decision.is_open_at(now)
    context = {
        "ballots": [
            _ballot_entry(decision, questions, elector, proxy, receipts.get(elector.pk), is_open)
            for elector, proxy in entries
        ],
        "vote_refusal": "",
    }
    if not entries and decision.status == Status.ANNOUNCED:
        represented = svc.own_elector(decision, user) is not None
        context["vote_refusal"] = (
            _("Your written proxy votes for you in this vote: your own online ballot is not accepted.")
            if represented
            else _(
                "You are not a voter of this vote: only the owners of its scope (or their designated co-owner) "
                "vote; "
                "a tenant votes only with the owner's written proxy, checked by the committee."
            )
        )
    context["can_object"] = (
        bool(entries) and decision.status == Status.PRELIMINARY and now < decision.objection_deadline
    )
    return context


@require_GET
def decision_detail(request, decision_id):
    decision = _decision(decision_id)
    community = decision.community
    user = request.user
    if not can_read_decision(user, decision):
        return _refuse(request, community)
    now = timezone.now()
    questions = list(decision.questions.all())
    convenor = permissions.can_start_owners_decision(user, community)
    context = {
        "decision": decision,
        "community": community,
        "questions": questions,
        "phase": _phase(decision, now),
        "rule_text": svc.approval_rule_text(decision.matter) if decision.matter else "",
        "scope_label": svc.scope_label(decision),
        "convenor": convenor,
        "choices": CHOICES,
        "source_topic": Topic.objects.filter(owners_decision=decision).first(),
        "question_rows": _question_rows(decision, questions) if decision.counted_at else [],
        "final_due": svc.final_notice_due(decision),
        "final_overdue": svc.final_notice_overdue(decision, now),
        "final_late": _published_late(decision),
        "can_answer": convenor,
    }
    if decision.announced_at is not None:
        context.update(_voter_context(request, decision, questions, now))
    if decision.counted_at is not None:
        objections = list(decision.objections.select_related("filed_by").order_by("filed_at", "pk"))
        context["objections"] = [
            {"objection": o, "filer": mask_name(getattr(o.filed_by, "full_name", "") or "") or "—"} for o in objections
        ]
    if convenor:
        if decision.status == Status.DRAFT:
            context["announce_problems"] = svc.announce_problems(decision, now)
        if decision.status == Status.PRELIMINARY:
            context["finalize_problems"] = svc.finalize_problems(decision, now)
            context["resolutions"] = list(
                Resolution.objects.filter(meeting__path__startswith=community.path)
                .select_related("meeting")
                .order_by("-created_at")[:50]
            )
        context["can_count"] = decision.status == Status.ANNOUNCED and now >= decision.closes_at
        context["can_cancel"] = decision.status in (Status.DRAFT, Status.ANNOUNCED)
    return render(request, "governance/decisions/detail.html", context)


def _published_late(decision) -> bool:
    """A-12: the final result was published after its due date."""
    due = svc.final_notice_due(decision)
    return decision.finalized_at is not None and due is not None and decision.finalized_at > due


def _read_or_refuse(request, decision):
    if not can_read_decision(request.user, decision):
        return _refuse(request, decision.community)
    return None


def _convenor_or_refuse(request, decision):
    if not permissions.can_start_owners_decision(request.user, decision.community):
        return _refuse(request, decision.community)
    return None


@require_POST
def decision_vote(request, decision_id):
    """The owner's (or accepted proxy's) online ballot on every question; refusals come back in Chinese."""
    decision = _decision(decision_id)
    refusal = _read_or_refuse(request, decision)
    if refusal:
        return refusal
    answers = {q.pk: request.POST.get(f"q{q.pk}", "") for q in decision.questions.all()}
    chosen = request.POST.get("elector", "")
    try:
        svc.ballot_cast(
            user=request.user, decision=decision, answers=answers, elector_id=int(chosen) if chosen.isdigit() else None
        )
    except (ValidationError, PermissionDenied) as error:
        text = _messages_of(error) if isinstance(error, ValidationError) else [str(error)]
        for message in text:
            messages.error(request, message)
    else:
        messages.success(request, _("Your ballot is recorded."))
    return redirect(_detail_url(decision) + "#ballot")


def _committee_action(request, decision_id, act, done: str):
    """Run a committee writer on the vote; its Chinese refusal, or `done`, is shown on the vote page."""
    decision = _decision(decision_id)
    refusal = _convenor_or_refuse(request, decision)
    if refusal:
        return refusal
    try:
        act(decision)
    except ValidationError as error:
        _flash(request, error)
    else:
        messages.success(request, done)
    return redirect(_detail_url(decision))


@require_POST
def decision_announce(request, decision_id):
    return _committee_action(
        request,
        decision_id,
        lambda decision: svc.decision_announce(actor=request.user, decision=decision),
        _("The vote is announced: the electorate and the totals are frozen."),
    )


@require_POST
def decision_cancel(request, decision_id):
    reason = request.POST.get("reason", "")
    return _committee_action(
        request,
        decision_id,
        lambda decision: svc.decision_cancel(actor=request.user, decision=decision, reason=reason),
        _("The vote is cancelled."),
    )


@require_POST
def decision_count(request, decision_id):
    return _committee_action(
        request,
        decision_id,
        lambda decision: svc.decision_count(actor=request.user, decision=decision),
        _("The ballots are counted and the preliminary result is published."),
    )


@require_POST
def decision_finalize(request, decision_id):
    decision = _decision(decision_id)
    refusal = _convenor_or_refuse(request, decision)
    if refusal:
        return refusal
    resolution = None
    chosen = request.POST.get("resolution", "")
    if chosen:
        resolution = Resolution.objects.select_related("meeting").filter(pk=chosen if chosen.isdigit() else 0).first()
        if resolution is None:
            messages.error(request, _("Choose a resolution of this community's meetings."))
            return redirect(_detail_url(decision))
    try:
        svc.decision_finalize(actor=request.user, decision=decision, resolution=resolution)
    except ValidationError as error:
        _flash(request, error)
    else:
        messages.success(request, _("The final result is published."))
    return redirect(_detail_url(decision))


@require_POST
def objection_file(request, decision_id):
    decision = _decision(decision_id)
    refusal = _read_or_refuse(request, decision)
    if refusal:
        return refusal
    try:
        svc.objection_file(user=request.user, decision=decision, text=request.POST.get("text", ""))
    except ValidationError as error:
        _flash(request, error)
    except PermissionDenied as error:
        messages.error(request, str(error) or _("Only owners of the vote's electorate can file an objection."))
    else:
        messages.success(request, _("Your objection is filed; the committee must answer it."))
    return redirect(_detail_url(decision) + "#objections")


@require_POST
def objection_answer(request, objection_id):
    objection = get_object_or_404(Objection.objects.select_related("decision__community"), pk=objection_id)
    decision = objection.decision
    refusal = _convenor_or_refuse(request, decision)
    if refusal:
        return refusal
    try:
        svc.objection_answer(actor=request.user, objection=objection, answer=request.POST.get("answer", ""))
    except ValidationError as error:
        _flash(request, error)
    else:
        messages.success(request, _("The answer is published with the objection."))
    return redirect(_detail_url(decision) + "#objections")


# ---------------------------------------------------------------- the frozen electorate


@require_GET
def decision_electorate(request, decision_id):
    """The electorate frozen at announcement (V-04, V-18, V-19, V-23): units, area, the voter's surname only, and
    whether each owner took part (never the choice)."""
    decision = _decision(decision_id)
    refusal = _read_or_refuse(request, decision)
    if refusal:
        return refusal
    electors = (
        Elector.objects.filter(decision=decision)
        .select_related("voter")
        .annotate(took_part=Exists(Ballot.objects.filter(elector=OuterRef("pk"))))
        .order_by("pk")
    )
    page_obj = Paginator(electors, ELECTORS_PER_PAGE).get_page(request.GET.get("page"))
    rows = [{"elector": e, "voter": svc.masked_voter_name(e), "took_part": e.took_part} for e in page_obj.object_list]
    context = {
        "decision": decision,
        "community": decision.community,
        "page_obj": page_obj,
        "rows": rows,
        "scope_label": svc.scope_label(decision),
    }
    return render(request, "governance/decisions/electorate.html", context)


# ---------------------------------------------------------------- the live turnout panel


def _turnout_numbers(decision) -> dict:
    turnout = svc.turnout_of(decision)
    channels = dict(Ballot.Channel.choices)
    return {
        "total_area": str(_cents(turnout.total.area)),
        "total_owners": turnout.total.owners,
        "participating_area": str(_cents(turnout.participating.area)),
        "participating_owners": turnout.participating.owners,
        "area_line": str(turnout.area_line),
        "owners_line": turnout.owners_line,
        "area_reached": turnout.area_reached,
        "owners_reached": turnout.owners_reached,
        "area_percent": _whole_percent(turnout.participating.area, turnout.total.area),
        "owners_percent": _whole_percent(turnout.participating.owners, turnout.total.owners),
        "by_channel": [
            {"channel": key, "label": str(label), "owners": turnout.by_channel.get(key, 0)}
            for key, label in channels.items()
        ],
        "as_of": timezone.localtime().strftime("%H:%M:%S"),
    }


def _cents(area) -> Decimal:
    """Areas to the cent: SQLite's SUM of decimals comes back with spurious digits."""
    return Decimal(area).quantize(Decimal("0.01"))


def _whole_percent(part, whole) -> int:
    return int(100 * part / whole) if whole else 0


def _turnout_refusal(request, decision):
    """The live panel is the committee's and the community staff's (who votes is not yet public while open)."""
    if not permissions.can_start_owners_decision(request.user, decision.community):
        return _refuse(request, decision.community)
    return None


@require_GET
def decision_turnout(request, decision_id):
    decision = _decision(decision_id)
    refusal = _turnout_refusal(request, decision)
    if refusal:
        return refusal
    context = {
        "decision": decision,
        "community": decision.community,
        "numbers": _turnout_numbers(decision) if decision.announced_at else None,
        "json_url": reverse("governance:decision_turnout_json", args=[decision.pk]),
    }
    return render(request, "governance/decisions/turnout.html", context)


@require_GET
def decision_turnout_json(request, decision_id):
    decision = _decision(decision_id)
    if not request.user.is_authenticated or not permissions.can_start_owners_decision(request.user, decision.community):
        return JsonResponse(
            {"error": _("Only the committee and the community staff see the live turnout.")}, status=403
        )
    if decision.announced_at is None:
        return JsonResponse({"error": _("The vote has not been announced.")}, status=404)
    return JsonResponse(_turnout_numbers(decision))


urlpatterns = [
    path("community/<int:community_id>/votes/", decision_list, name="decision_list"),
    path("community/<int:community_id>/votes/new/", decision_new, name="decision_new"),
    path("community/<int:community_id>/votes/rules/", procedure_rules, name="procedure_rules"),
    path("votes/<int:decision_id>/", decision_detail, name="decision_detail"),
    path("votes/<int:decision_id>/edit/", decision_edit, name="decision_edit"),
    path("votes/<int:decision_id>/vote/", decision_vote, name="decision_vote"),
    path("votes/<int:decision_id>/announce/", decision_announce, name="decision_announce"),
    path("votes/<int:decision_id>/cancel/", decision_cancel, name="decision_cancel"),
    path("votes/<int:decision_id>/count/", decision_count, name="decision_count"),
    path("votes/<int:decision_id>/finalize/", decision_finalize, name="decision_finalize"),
    path("votes/<int:decision_id>/objections/", objection_file, name="objection_file"),
    path("objections/<int:objection_id>/answer/", objection_answer, name="objection_answer"),
    path("votes/<int:decision_id>/electorate/", decision_electorate, name="decision_electorate"),
    path("votes/<int:decision_id>/turnout/", decision_turnout, name="decision_turnout"),
    path("votes/<int:decision_id>/turnout.json", decision_turnout_json, name="decision_turnout_json"),
]
