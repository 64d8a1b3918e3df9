"""Renovation willingness surveys (改造意愿征询, R-07): the list, the survey page with the household's answer form,
and for the owners' committee and the community staff: drafting, opening, closing, progress by building, the
household list per building with the door-to-door form, and the export of the log.

Views parse, check the community scope and the permission, call a writer of governance.services.surveys and show
its refusal in Chinese; they change nothing themselves. Every form works without JavaScript (POST, then redirect).
"""

from django.contrib import messages
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import path, reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from governance import permissions
from governance.forms_surveys import AnswerForm, ContactForm, FundDecisionForm, SurveyForm
from governance.models import HouseholdContact, SurveyHousehold, WillingnessSurvey
from governance.services import surveys as svc
from home.models import Building, CommunityPage

FORBIDDEN_TEMPLATE = "governance/surveys/forbidden.html"
Status = WillingnessSurvey.Status


# ---------------------------------------------------------------- helpers


def _community(community_id: int) -> CommunityPage:
    return get_object_or_404(CommunityPage.objects.live(), pk=community_id)


def _survey(survey_id: int) -> WillingnessSurvey:
    return get_object_or_404(
        WillingnessSurvey.objects.select_related("community", "fund_decision").prefetch_related("buildings"),
        pk=survey_id,
    )


def _refuse(request, community=None, message=""):
    """Anonymous visitors are sent to log in; a logged-in user without access gets the Chinese 403 page."""
    if not request.user.is_authenticated:
        return redirect_to_login(request.get_full_path())
    return render(request, FORBIDDEN_TEMPLATE, {"community": community, "message": message}, status=403)


def _may_read(request, survey):
    return None if svc.can_read_survey(request.user, survey) else _refuse(request, survey.community)


def _may_run(request, community):
    return None if svc.can_run(request.user, community) else _refuse(request, community)


def _add_errors(form, error: ValidationError) -> None:
    if hasattr(error, "error_dict"):
        for field, errors in error.error_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    else:
        form.add_error(None, error)


def _message(error) -> str:
    return " ".join(getattr(error, "messages", None) or [str(error)])


# ---------------------------------------------------------------- list and page


@require_GET
def survey_list(request, community_id):
    community = _community(community_id)
    if not svc.can_run(request.user, community) and not permissions.can_read_community_records(request.user, community):
        return _refuse(request, community)
    surveys = list(svc.surveys_visible_to(request.user, community))
    context = {"community": community, "surveys": surveys, "can_run": svc.can_run(request.user, community)}
    return render(request, "governance/surveys/survey_list.html", context)


@require_GET
def survey_detail(request, survey_id):
    survey = _survey(survey_id)
    refusal = _may_read(request, survey)
    if refusal:
        return refusal
    return render(request, "governance/surveys/survey_detail.html", _detail_context(request, survey))


def _detail_context(request, survey, answer_form=None):
    can_run = svc.can_run(request.user, survey.community)
    households = svc.households_of(survey, request.user) if survey.status == Status.OPEN else []
    mine = households[0] if households else None
    if answer_form is None and mine is not None:
        initial = {"plan_answer": mine.plan_answer, "model_answer": mine.model_answer} if mine.plan_answer else None
        answer_form = AnswerForm(initial=initial)
    fund_state = svc.fund_gate_state(survey)
    return {
        "community": survey.community,
        "survey": survey,
        "scope": svc.scope_label(survey),
        "rule_text": svc.rule_text(),
        "fund_rule_text": svc.fund_rule_text(),
        "fund_state": fund_state,
        "fund_label": svc.fund_gate_label(fund_state),
        "progress": svc.progress_of(survey) if survey.status == Status.OPEN else None,
        "plan_result": svc.result_sentence(survey, "plan"),
        "model_result": svc.result_sentence(survey, "model"),
        "gates_passed": svc.gates_passed(survey),
        "household": mine,
        "answer_form": answer_form,
        "can_run": can_run,
        "can_close": can_run and survey.status == Status.OPEN and svc.today() >= survey.closes_on,
        "fund_form": FundDecisionForm(community=survey.community)
        if can_run and survey.raises_maintenance_fund and survey.status != Status.DRAFT
        else None,
    }


@require_POST
def survey_answer(request, survey_id):
    survey = _survey(survey_id)
    refusal = _may_read(request, survey)
    if refusal:
        return refusal
    form = AnswerForm(request.POST)
    if form.is_valid():
        try:
            svc.answer_online(
                user=request.user,
                survey=survey,
                plan_answer=form.cleaned_data["plan_answer"],
                model_answer=form.cleaned_data["model_answer"],
            )
        except PermissionDenied as error:
            return _refuse(request, survey.community, _message(error))
        except ValidationError as error:
            _add_errors(form, error)
        else:
            messages.success(
                request, _("Your household's opinion is recorded. You can change it until the survey closes.")
            )
            return redirect(svc.survey_url(survey))
    return render(
        request, "governance/surveys/survey_detail.html", _detail_context(request, survey, answer_form=form), status=400
    )


# ---------------------------------------------------------------- drafting, opening, closing


def _survey_form(request, community, survey=None):
    initial = None
    if survey is not None:
        initial = {
            "title": survey.title,
            "plan_summary": survey.plan_summary,
            "management_model": survey.management_model,
            "buildings": list(survey.buildings.all()),
            "opens_on": survey.opens_on,
            "closes_on": survey.closes_on,
            "raises_maintenance_fund": survey.raises_maintenance_fund,
            "fund_decision": survey.fund_decision,
        }
    form = SurveyForm(request.POST or None, initial=initial, community=community)
    if request.method == "POST" and form.is_valid():
        try:
            saved = svc.survey_save_draft(actor=request.user, community=community, survey=survey, **form.cleaned_data)
        except PermissionDenied as error:
            return _refuse(request, community, _message(error))
        except ValidationError as error:
            _add_errors(form, error)
        else:
            messages.success(request, _("The draft is saved. Open the survey when it is ready."))
            return redirect(svc.survey_url(saved))
    context = {"community": community, "survey": survey, "form": form, "rule_text": svc.rule_text()}
    return render(request, "governance/surveys/survey_form.html", context, status=400 if form.is_bound else 200)


@require_http_methods(["GET", "POST"])
def survey_new(request, community_id):
    community = _community(community_id)
    refusal = _may_run(request, community)
    return refusal or _survey_form(request, community)


@require_http_methods(["GET", "POST"])
def survey_edit(request, survey_id):
    survey = _survey(survey_id)
    refusal = _may_run(request, survey.community)
    if refusal:
        return refusal
    if survey.status != Status.DRAFT:
        messages.error(request, _("The survey has opened: its plan, model and scope can no longer change."))
        return redirect(svc.survey_url(survey))
    return _survey_form(request, survey.community, survey)


def _state_change(request, survey_id, writer, done: str):
    survey = _survey(survey_id)
    refusal = _may_run(request, survey.community)
    if refusal:
        return refusal
    try:
        writer(actor=request.user, survey=survey)
    except PermissionDenied as error:
        return _refuse(request, survey.community, _message(error))
    except ValidationError as error:
        messages.error(request, _message(error))
    else:
        messages.success(request, done)
    return redirect(svc.survey_url(survey))


@require_POST
def survey_open(request, survey_id):
    return _state_change(
        request, survey_id, svc.survey_open, _("The survey is open; the notice is posted and the residents are told.")
    )


@require_POST
def survey_close(request, survey_id):
    return _state_change(request, survey_id, svc.survey_close, _("The survey is closed and its result published."))


@require_POST
def survey_link_fund(request, survey_id):
    """Link the item-6 owners' vote on raising the fund (it usually starts after the survey opened)."""
    survey = _survey(survey_id)
    refusal = _may_run(request, survey.community)
    if refusal:
        return refusal
    form = FundDecisionForm(request.POST, community=survey.community)
    if not form.is_valid():
        messages.error(request, _("Choose an owners' vote of this community on raising the fund (item 6)."))
        return redirect(svc.survey_url(survey))
    try:
        svc.survey_link_fund_decision(actor=request.user, survey=survey, decision=form.cleaned_data["fund_decision"])
    except PermissionDenied as error:
        return _refuse(request, survey.community, _message(error))
    except ValidationError as error:
        messages.error(request, _message(error))
    else:
        messages.success(request, _("The owners' vote on raising the fund is linked."))
    return redirect(svc.survey_url(survey))


# ---------------------------------------------------------------- progress and the door-to-door log


@require_GET
def survey_progress(request, survey_id):
    survey = _survey(survey_id)
    refusal = _may_run(request, survey.community)
    if refusal:
        return refusal
    rows, totals = svc.progress_by_building(survey)
    context = {
        "community": survey.community,
        "survey": survey,
        "rows": rows,
        "totals": totals,
        "progress": svc.progress_of(survey, _counts_from(totals)) if survey.total_households else None,
    }
    return render(request, "governance/surveys/survey_progress.html", context)


def _counts_from(totals: dict) -> dict:
    keys = ("plan_agree", "plan_disagree", "model_agree", "model_disagree")
    return {key: totals[key] for key in keys}


@require_GET
def survey_households(request, survey_id, building_id):
    survey = _survey(survey_id)
    refusal = _may_run(request, survey.community)
    if refusal:
        return refusal
    building = get_object_or_404(Building, pk=building_id, community_id=survey.community_id)
    show = request.GET.get("show", "")
    show = show if show in svc.HOUSEHOLD_FILTERS else ""
    households = list(svc.households_for_list(survey, building=building, show=show))
    context = {
        "community": survey.community,
        "survey": survey,
        "building": building,
        "households": households,
        "show": show,
        "filters": [
            ("", _("all")),
            ("no_answer", _("no answer")),
            ("refused", _("refused")),
            ("unreachable", _("unreachable")),
        ],
        "outcomes": dict(HouseholdContact.Outcome.choices),
    }
    return render(request, "governance/surveys/household_list.html", context)


@require_http_methods(["GET", "POST"])
def household_contact(request, survey_id, household_id):
    survey = _survey(survey_id)
    refusal = _may_run(request, survey.community)
    if refusal:
        return refusal
    household = get_object_or_404(
        SurveyHousehold.objects.select_related("unit__entrance__building", "survey"), pk=household_id, survey=survey
    )
    form = ContactForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            svc.record_contact(actor=request.user, household=household, **form.cleaned_data)
        except PermissionDenied as error:
            return _refuse(request, survey.community, _message(error))
        except ValidationError as error:
            _add_errors(form, error)
        else:
            messages.success(request, _("Recorded for %(unit)s.") % {"unit": household.unit.label})
            return redirect(reverse("governance:survey_households", args=[survey.pk, household.building_id]))
    context = {
        "community": survey.community,
        "survey": survey,
        "household": household,
        "form": form,
        "log": list(household.contacts.select_related("recorded_by").order_by("-recorded_at", "-pk")[:20]),
        "outcomes": dict(HouseholdContact.Outcome.choices),
    }
    return render(request, "governance/surveys/household_contact.html", context, status=400 if form.is_bound else 200)


@require_GET
def survey_export(request, survey_id):
    survey = _survey(survey_id)
    refusal = _may_run(request, survey.community)
    if refusal:
        return refusal
    data = svc.household_log_export(actor=request.user, survey=survey)
    response = HttpResponse(data, content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
    response["Content-Disposition"] = f'attachment; filename="survey-{survey.pk}-log.xlsx"'
    return response


urlpatterns = [
    path("community/<int:community_id>/surveys/", survey_list, name="survey_list"),
    path("community/<int:community_id>/surveys/new/", survey_new, name="survey_new"),
    path("surveys/<int:survey_id>/", survey_detail, name="survey_detail"),
    path("surveys/<int:survey_id>/answer/", survey_answer, name="survey_answer"),
    path("surveys/<int:survey_id>/edit/", survey_edit, name="survey_edit"),
    path("surveys/<int:survey_id>/open/", survey_open, name="survey_open"),
    path("surveys/<int:survey_id>/close/", survey_close, name="survey_close"),
    path("surveys/<int:survey_id>/fund-vote/", survey_link_fund, name="survey_link_fund"),
    path("surveys/<int:survey_id>/progress/", survey_progress, name="survey_progress"),
    path("surveys/<int:survey_id>/buildings/<int:building_id>/", survey_households, name="survey_households"),
    path("surveys/<int:survey_id>/households/<int:household_id>/contact/", household_contact, name="household_contact"),
    path("surveys/<int:survey_id>/export.xlsx", survey_export, name="survey_export"),
]
