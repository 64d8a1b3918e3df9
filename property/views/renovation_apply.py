"""The application side of renovation projects (issue 8): the community's projects and the way to apply, the
application form with its eligibility explained line by line, residents' signatures, submission, the items by
R-04 category, the funding plan (R-06) and the willingness survey it rests on (R-07).

Views parse, check the community scope and the permission, call a writer of property.services.renovation and show
its refusal in Chinese; they change nothing themselves. Every form works without JavaScript (POST, then redirect).
"""

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Prefetch
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import path
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from governance.models import WillingnessSurvey
from home.permissions import is_bureau_staff, roles_in
from property import renovation_permissions as can
from property.domain import renovation as rules
from property.forms_renovation import (
    ApplicationForm,
    FundingForm,
    ItemExceptionForm,
    ItemForm,
    SurveyLinkForm,
    evidence_document,
)
from property.models import ApplicationSigner, RenovationItem, RenovationProject, ReviewStep
from property.services import renovation as svc
from property.views.common import add_errors, community_or_404, error_text, refuse

FORBIDDEN_TEMPLATE = "property/renovation/apply_forbidden.html"
Stage = RenovationProject.Stage
MIN_SIGNERS = svc.MIN_RESIDENT_SIGNERS


def _refuse(request, community=None, message=""):
    return refuse(request, community, message, template=FORBIDDEN_TEMPLATE)


def _project(project_id) -> RenovationProject:
    return get_object_or_404(
        RenovationProject.objects.select_related("community", "community__sub_district", "survey"), pk=project_id
    )


def _reads_community(user, community) -> bool:
    """Anyone with a role in the community, the reviewers covering it and the bureau."""
    return bool(roles_in(user, community)) or can.covers(user, community) or is_bureau_staff(user)


def _error_messages(request, error) -> None:
    for text in getattr(error, "messages", None) or [str(error)]:
        messages.error(request, text)


def _signed_count(project: RenovationProject, signer_ids: set[int]) -> int:
    """As the writer counts: the applicant and every other resident who signed."""
    return len(signer_ids - {project.applicant_id}) + 1


def _assessment(project: RenovationProject) -> dict:
    eligibility = svc.eligibility_of(project)
    return {
        "verdict": eligibility.verdict,
        "label": eligibility.label,
        "reasons": eligibility.reasons,
        "tone": {rules.CORE: "success", rules.RESERVE: "warning"}.get(eligibility.verdict, "danger"),
    }


# ---------------------------------------------------------------- the community's projects


@require_GET
def renovation_community(request, community_id):
    community = community_or_404(community_id)
    if not _reads_community(request.user, community):
        return _refuse(request, community)
    user = request.user
    projects = list(
        RenovationProject.objects.filter(community=community)
        .select_related("plan")
        .prefetch_related(Prefetch("signers", queryset=ApplicationSigner.objects.only("id", "project_id", "user_id")))
        .order_by("-created_at", "-id")
    )
    today = svc.today()
    may_sign = can.may_sign(user, community_project_stub(community)) if projects else False
    rows = []
    for project in projects:
        signer_ids = {signer.user_id for signer in project.signers.all()}
        residents = project.applied_as == RenovationProject.AppliedAs.RESIDENTS
        editable = project.stage in svc.EDITABLE_STAGES
        rows.append(
            {
                "project": project,
                "overdue": project.stage == Stage.IN_REVIEW and rules.is_overdue(project.level_due_on, today),
                "residents": residents,
                "signed": _signed_count(project, signer_ids) if residents else None,
                "has_signed": user.pk in signer_ids or user.pk == project.applicant_id,
                "may_sign": residents and editable and may_sign,
                "may_edit": editable and can.is_applicant_side(user, project),
            }
        )
    applying_as = can.applying_as(user, community)
    context = {
        "community": community,
        "rows": rows,
        "applying_as": applying_as,
        "has_committee": can.community_has_committee(community),
        "min_signers": MIN_SIGNERS,
    }
    return render(request, "property/renovation/apply_community.html", context)


def community_project_stub(community) -> RenovationProject:
    """may_sign reads only the project's community: ask once for the whole list."""
    return RenovationProject(community=community)


# ---------------------------------------------------------------- the application


def _returned_step(project: RenovationProject) -> ReviewStep | None:
    if project.stage != Stage.RETURNED:
        return None
    return project.steps.filter(decision=ReviewStep.Decision.RETURN).order_by("-decided_at", "-id").first()


def _form_context(request, community, form, project=None) -> dict:
    context = {
        "community": community,
        "form": form,
        "project": project,
        "tiny_households": rules.TINY_HOUSEHOLDS,
        "min_signers": MIN_SIGNERS,
        "editable": project is None or project.stage in svc.EDITABLE_STAGES,
    }
    if project is not None:
        signer_ids = set(project.signers.values_list("user_id", flat=True))
        context.update(
            {
                "assessment": _assessment(project),
                "returned": _returned_step(project),
                "residents": project.applied_as == RenovationProject.AppliedAs.RESIDENTS,
                "signed": _signed_count(project, signer_ids),
                "has_signed": request.user.pk in signer_ids or request.user.pk == project.applicant_id,
                "items_count": project.items.count(),
                "items_total": svc.items_total(project),
            }
        )
    return context


@require_http_methods(["GET", "POST"])
def renovation_apply(request, community_id):
    community = community_or_404(community_id)
    if not can.applying_as(request.user, community):
        return _refuse(
            request, community, _("Only the owners' committee, or the residents where there is none, apply.")
        )
    initial = {
        "title": _("Renovation of %(name)s") % {"name": community.title},
        "year_completed": community.year_built,
        "buildings_count": community.buildings.count() or None,
        "excluded_kind": "",
    }
    form = ApplicationForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            project = svc.application_save(actor=request.user, community=community, data=form.data_for_service())
        except PermissionDenied as error:
            return _refuse(request, community, error_text(error))
        except ValidationError as error:
            add_errors(form, error)
        else:
            messages.success(request, _("The application is saved as a draft. Its eligibility is explained below."))
            return redirect("property:renovation_edit", project.pk)
    context = _form_context(request, community, form)
    return render(request, "property/renovation/apply_form.html", context, status=400 if form.is_bound else 200)


@require_http_methods(["GET", "POST"])
def renovation_edit(request, project_id):
    project = _project(project_id)
    community = project.community
    if not can.is_applicant_side(request.user, project):
        return _refuse(request, community)
    editable = project.stage in svc.EDITABLE_STAGES
    if request.method == "POST" and not editable:
        messages.error(request, _("The application is under review and cannot be changed now."))
        return redirect("property:renovation_edit", project.pk)
    form = ApplicationForm(request.POST or None, initial=ApplicationForm.initial_of(project))
    if request.method == "POST" and form.is_valid():
        try:
            svc.application_save(actor=request.user, community=community, data=form.data_for_service(), project=project)
        except PermissionDenied as error:
            return _refuse(request, community, error_text(error))
        except ValidationError as error:
            add_errors(form, error)
        else:
            messages.success(request, _("The application is saved. Its eligibility is explained below."))
            return redirect("property:renovation_edit", project.pk)
    context = _form_context(request, community, form, project)
    return render(request, "property/renovation/apply_form.html", context, status=400 if form.is_bound else 200)


@require_POST
def renovation_sign(request, project_id):
    project = _project(project_id)
    if not can.may_sign(request.user, project):
        return _refuse(request, project.community)
    try:
        svc.application_sign(actor=request.user, project=project)
    except PermissionDenied as error:
        return _refuse(request, project.community, error_text(error))
    except ValidationError as error:
        _error_messages(request, error)
    else:
        messages.success(request, _("You have signed the application."))
    return redirect("property:renovation_community", project.community_id)


@require_POST
def renovation_submit(request, project_id):
    project = _project(project_id)
    if not can.is_applicant_side(request.user, project):
        return _refuse(request, project.community)
    try:
        svc.application_submit(actor=request.user, project=project)
    except PermissionDenied as error:
        return _refuse(request, project.community, error_text(error))
    except ValidationError as error:
        messages.error(request, _("The application was not submitted:"))
        _error_messages(request, error)
        return redirect("property:renovation_edit", project.pk)
    messages.success(request, _("The application is submitted to the community for its recommendation."))
    return redirect("property:renovation_project", project.pk)


# ---------------------------------------------------------------- items


CATEGORY_ORDER = (rules.BASIC, rules.IMPROVEMENT, rules.ENHANCEMENT)


def _item_groups(items) -> list[dict]:
    groups = []
    for category in CATEGORY_ORDER:
        rows = [item for item in items if item.category == category]
        groups.append(
            {
                "category": category,
                "label": rules.CATEGORY_LABELS[category],
                "items": rows,
                "subtotal": sum((item.estimated_cost for item in rows), rules.ZERO),
            }
        )
    return groups


@require_http_methods(["GET", "POST"])
def renovation_items(request, project_id):
    project = _project(project_id)
    community = project.community
    if not can.may_read(request.user, project):
        return _refuse(request, community)
    may_edit = can.may_edit_items(request.user, project)
    may_except = community.is_sgyy_compound and can.is_city_reviewer(request.user)
    form_class = ItemExceptionForm if may_except else ItemForm
    form = form_class(request.POST or None, request.FILES or None) if may_edit else None
    if request.method == "POST":
        if not may_edit:
            return _refuse(request, community)
        if form.is_valid():
            data = dict(form.cleaned_data)
            upload = data.pop("override_document", None)
            try:
                with transaction.atomic():  # a refused item leaves no stray document behind
                    document = evidence_document(
                        user=request.user, title=f"{project.title}：S-04例外处理依据", upload=upload
                    )
                    item = svc.item_add(actor=request.user, project=project, override_document=document, **data)
            except PermissionDenied as error:
                return _refuse(request, community, error_text(error))
            except ValidationError as error:
                add_errors(form, error)
            else:
                messages.success(request, _("Added: %(item)s.") % {"item": item.get_kind_display()})
                return redirect("property:renovation_items", project.pk)
    items = list(project.items.all())
    claimed = svc.sgyy_claimed_facilities(community) if community.is_sgyy_compound else set()
    context = {
        "community": community,
        "project": project,
        "groups": _item_groups(items),
        "total": sum((item.estimated_cost for item in items), rules.ZERO),
        "form": form,
        "may_edit": may_edit,
        "show_edit": can.is_applicant_side(request.user, project),
        "sgyy_claimed": [rules.FACILITY_LABELS[f] for f in rules.FACILITY_LABELS if f in claimed],
    }
    return render(
        request,
        "property/renovation/apply_items.html",
        context,
        status=400 if form is not None and form.is_bound else 200,
    )


@require_POST
def renovation_item_remove(request, item_id):
    item = get_object_or_404(RenovationItem.objects.select_related("project__community"), pk=item_id)
    project = item.project
    if not can.may_edit_items(request.user, project):
        return _refuse(request, project.community)
    label = item.get_kind_display()
    try:
        svc.item_remove(actor=request.user, item=item)
    except PermissionDenied as error:
        return _refuse(request, project.community, error_text(error))
    except ValidationError as error:
        _error_messages(request, error)
    else:
        messages.success(request, _("Removed: %(item)s.") % {"item": label})
    return redirect("property:renovation_items", project.pk)


# ---------------------------------------------------------------- funding


@require_http_methods(["GET", "POST"])
def renovation_funding(request, project_id):
    project = _project(project_id)
    community = project.community
    if not can.may_read(request.user, project):
        return _refuse(request, community)
    may_edit = can.may_edit_items(request.user, project)
    lines = list(project.funding.all())
    initial = {line.source: line.amount for line in lines}
    form = FundingForm(request.POST or None, initial=initial)
    total = svc.items_total(project)
    planned = sum((line.amount for line in lines), rules.ZERO)
    shown_sum = planned
    if request.method == "POST":
        if not may_edit:
            return _refuse(request, community)
        typed = form.typed_sum()
        shown_sum = typed if typed is not None else rules.ZERO
        if form.is_valid():
            if request.POST.get("action") == "check":
                shown_sum = sum(form.amounts().values(), rules.ZERO)
                refusal = rules.funding_refusal(total, list(form.amounts().values())) if form.amounts() else ""
                if refusal:
                    form.add_error(None, refusal)
                else:
                    messages.info(request, _("The sources add up to the items' estimate. Save to keep the plan."))
            else:
                try:
                    svc.funding_plan_set(actor=request.user, project=project, amounts=form.amounts())
                except PermissionDenied as error:
                    return _refuse(request, community, error_text(error))
                except ValidationError as error:
                    add_errors(form, error)
                else:
                    messages.success(request, _("The funding plan is saved."))
                    return redirect("property:renovation_funding", project.pk)
    context = {
        "community": community,
        "project": project,
        "form": form,
        "may_edit": may_edit,
        "show_edit": can.is_applicant_side(request.user, project),
        "lines": lines,
        "items_total": total,
        "planned": planned,
        "shown_sum": shown_sum,
        "gap": total - shown_sum,
        "gap_abs": abs(total - shown_sum),
    }
    return render(request, "property/renovation/apply_funding.html", context, status=400 if form.errors else 200)


# ---------------------------------------------------------------- the willingness survey


@require_http_methods(["GET", "POST"])
def renovation_survey_link(request, project_id):
    project = _project(project_id)
    community = project.community
    if not can.may_read(request.user, project):
        return _refuse(request, community)
    may_edit = can.may_edit_items(request.user, project)
    surveys = list(WillingnessSurvey.objects.filter(community=community).order_by("-created_at", "-id"))
    form = (
        SurveyLinkForm(request.POST or None, surveys=surveys, initial={"survey": project.survey_id})
        if may_edit
        else None
    )
    if request.method == "POST":
        if not may_edit:
            return _refuse(request, community)
        if form.is_valid():
            try:
                svc.survey_link(actor=request.user, project=project, survey=form.chosen())
            except PermissionDenied as error:
                return _refuse(request, community, error_text(error))
            except ValidationError as error:
                add_errors(form, error)
            else:
                messages.success(request, _("The willingness survey is linked to the project."))
                return redirect("property:renovation_survey_link", project.pk)
    survey = project.survey
    result = svc.survey_result(survey)
    context = {
        "community": community,
        "project": project,
        "form": form,
        "may_edit": may_edit,
        "show_edit": can.is_applicant_side(request.user, project),
        "surveys": surveys,
        "survey": survey,
        "result": result,
        "plan_share": rules.willingness_share_text(result.plan_agree, result.total_households) if result else "",
        "model_share": rules.willingness_share_text(result.model_agree, result.total_households) if result else "",
        "reasons": rules.survey_reasons(result),
    }
    return render(
        request,
        "property/renovation/apply_survey.html",
        context,
        status=400 if form is not None and form.is_bound else 200,
    )


# ---------------------------------------------------------------- URLs

urlpatterns = [
    path("renovation/community/<int:community_id>/", renovation_community, name="renovation_community"),
    path("renovation/community/<int:community_id>/apply/", renovation_apply, name="renovation_apply"),
    path("renovation/<int:project_id>/edit/", renovation_edit, name="renovation_edit"),
    path("renovation/<int:project_id>/sign/", renovation_sign, name="renovation_sign"),
    path("renovation/<int:project_id>/submit/", renovation_submit, name="renovation_submit"),
    path("renovation/<int:project_id>/items/", renovation_items, name="renovation_items"),
    path("renovation/items/<int:item_id>/remove/", renovation_item_remove, name="renovation_item_remove"),
    path("renovation/<int:project_id>/funding/", renovation_funding, name="renovation_funding"),
    path("renovation/<int:project_id>/survey/", renovation_survey_link, name="renovation_survey_link"),
]
