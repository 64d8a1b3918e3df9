"""The five-level review of a renovation application and the gate to the annual plan (issue 8).

- ``renovation_queue``: each reviewer's queue at every level they act at, with days waiting, due date and an
  overdue flag (in words, not only colour); counts per level; "overdue only" filter.
- ``renovation_review``: the application, its eligibility reasons, items and funding, the full history of signed
  steps and, for the reviewer at the project's current level, the decision form (pass / return / reject).
- ``renovation_plan_enter``: the city's view of every blocker of plan_blockers, and the entry into a year's plan.
- ``renovation_sgyy``: the city records a 三供一业 compound's retrofits per facility and the former unit's
  construction list; the page says whether the compound is blocked from the plan and why (S-04, seed §二).

Views parse, check the permission, call a writer of property.services.renovation and show its refusal in
Chinese; they change nothing themselves (the uploaded construction list becomes a Document in the same
transaction as the writer's record, so a refusal leaves no file behind). Every form works without JavaScript.
"""

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import path, reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy
from django.views.decorators.http import require_GET, require_http_methods

from property import renovation_permissions as can
from property import renovation_queues as selectors
from property.domain import renovation as rules
from property.forms_renovation import evidence_document, evidence_upload_clean
from property.models import AnnualPlan, RenovationProject, SgyyRetrofit
from property.services import renovation as services
from property.views.common import add_errors, community_or_404, error_text, refuse

FORBIDDEN_TEMPLATE = "property/renovation/review_forbidden.html"
Stage = RenovationProject.Stage


def _refuse(request, community=None, message=""):
    return refuse(request, community, message, template=FORBIDDEN_TEMPLATE)


# ---------------------------------------------------------------- forms


class ReviewForm(forms.Form):
    # The level the form was shown for: a decision is only taken at the level the project is at now (a form left
    # open while another reviewer acted, or a reviewer of a higher level, is refused as skipping a level).
    level = forms.ChoiceField(choices=[(level, level) for level in rules.LEVELS], widget=forms.HiddenInput)
    decision = forms.ChoiceField(
        label=_lazy("Decision"),
        choices=[
            (rules.PASS, _lazy("Pass to the next level")),
            (rules.RETURN, _lazy("Return for revision")),
            (rules.REJECT, _lazy("Reject the application")),
        ],
        widget=forms.RadioSelect,
        error_messages={"required": _lazy("Choose pass, return for revision or reject.")},
    )
    opinion = forms.CharField(
        label=_lazy("Opinion"),
        required=False,  # the writer refuses an empty opinion, in its own words
        max_length=4000,
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text=_lazy(
            "Signed with your name and position and kept in the history. When you return the application, say "
            "exactly what the applicants must fix; when you reject it, say why."
        ),
    )


class PlanForm(forms.Form):
    plan = forms.ModelChoiceField(
        label=_lazy("Annual renovation plan"),
        queryset=AnnualPlan.objects.all(),
        empty_label=None,
        error_messages={
            "required": _lazy("Choose the year's plan."),
            "invalid_choice": _lazy("Choose the year's plan."),
        },
    )


class SgyyRetrofitForm(forms.Form):
    facility = forms.ChoiceField(label=_lazy("Facility"), choices=SgyyRetrofit.Facility.choices)
    status = forms.ChoiceField(
        label=_lazy("Status"), choices=SgyyRetrofit.Status.choices, widget=forms.RadioSelect, initial="done"
    )
    receiving_unit = forms.CharField(
        label=_lazy("Receiving unit"),
        max_length=100,
        required=False,
        help_text=_lazy("e.g. 新乡市供水公司"),
    )
    scope = forms.CharField(label=_lazy("What was renovated"), max_length=300, required=False)
    central_subsidy = forms.BooleanField(
        label=_lazy("Paid with a central subsidy (items of this facility cannot be claimed again, S-04)"),
        required=False,
        initial=True,
    )


class SgyyListForm(forms.Form):
    received_on = forms.DateField(
        label=_lazy("Received on"),
        widget=forms.DateInput(attrs={"type": "date"}),
        error_messages={"required": _lazy("Enter the date the list was received."), "invalid": _lazy("Enter a date.")},
    )
    document = forms.FileField(
        label=_lazy("Scan of the construction list (optional)"),
        required=False,
        help_text=_lazy("PDF, JPG or PNG, at most 10 MB."),
        widget=forms.ClearableFileInput(attrs={"accept": ".pdf,.jpg,.jpeg,.png"}),
    )

    def clean_received_on(self):
        received_on = self.cleaned_data["received_on"]
        if received_on > services.today():
            raise forms.ValidationError(_("The date cannot be later than today."))
        return received_on

    def clean_document(self):
        return evidence_upload_clean(self.cleaned_data.get("document"))


# ---------------------------------------------------------------- the queue


@require_GET
def renovation_queue(request):
    if not request.user.is_authenticated:
        return _refuse(request)
    overdue_only = request.GET.get("overdue") == "1"
    queues = selectors.review_queues(request.user, services.today(), overdue_only=overdue_only)
    if not queues:
        return _refuse(request, message=_("You do not review renovation applications."))
    context = {
        "queues": queues,
        "overdue_only": overdue_only,
        "shown": sum(len(queue.rows) for queue in queues),
        "read_only": all(queue.read_only for queue in queues),
        "awaiting_plan": selectors.awaiting_plan(request.user),
    }
    return render(request, "property/renovation/review_queue.html", context)


# ---------------------------------------------------------------- one application


def _project_or_404(project_id):
    project = selectors.review_project(project_id)
    if project is None:
        raise Http404
    return project


@require_http_methods(["GET", "POST"])
def renovation_review(request, project_id):
    project = _project_or_404(project_id)
    community = project.community
    level = project.review_level if project.stage == Stage.IN_REVIEW else ""
    may_review = bool(level) and can.may_review(request.user, project, level)
    if not may_review and not can.may_read(request.user, project):
        return _refuse(request, community)
    form = None
    if may_review or request.method == "POST":
        form = ReviewForm(request.POST or None, initial={"level": level or rules.COMMUNITY})
    if request.method == "POST" and form.is_valid():
        try:
            step = services.review_decide(
                actor=request.user,
                project=project,
                level=form.cleaned_data["level"],
                decision=form.cleaned_data["decision"],
                opinion=form.cleaned_data["opinion"],
            )
        except PermissionDenied as error:
            return _refuse(request, community, error_text(error))
        except ValidationError as error:
            add_errors(form, error)
        else:
            messages.success(
                request,
                _("Recorded: %(level)s, %(decision)s.")
                % {"level": rules.LEVEL_LABELS[step.level], "decision": rules.DECISION_LABELS[step.decision]},
            )
            return redirect("property:renovation_review", project.pk)
    if request.method == "POST" and not may_review and form.errors:
        return _refuse(request, community)
    today = services.today()
    items = list(project.items.all())
    funding = list(project.funding.all())
    context = {
        "project": project,
        "community": community,
        "eligibility": services.eligibility_of(project),
        "items": items,
        "items_total": sum((item.estimated_cost for item in items), rules.ZERO),
        "funding": funding,
        "funding_total": sum((line.amount for line in funding), rules.ZERO),
        "steps": list(project.steps.all()),
        "chain": selectors.chain_progress(project),
        "level_label": rules.LEVEL_LABELS.get(level, ""),
        "days_in_queue": (today - project.level_entered_on).days if level and project.level_entered_on else None,
        "overdue": rules.is_overdue(project.level_due_on, today) if level else False,
        "form": form if may_review else None,
        "reviewers_here": _reviewers_text(project, level) if level else "",
        "may_plan": can.is_city_reviewer(request.user) and project.stage == Stage.APPROVED,
        "may_sgyy": can.is_city_reviewer(request.user) and community.is_sgyy_compound,
    }
    return render(
        request, "property/renovation/review_project.html", context, status=400 if form and form.errors else 200
    )


def _reviewers_text(project, level: str) -> str:
    if level == rules.COMMUNITY:
        return _("the staff of %(community)s") % {"community": project.community.title}
    names = [str(officer) for officer in _officers_at(project, level)]
    return "、".join(names)


def _officers_at(project, level: str):
    from property.models import RenovationOfficer

    return RenovationOfficer.objects.filter(user__in=can.reviewers_at(project, level), active=True)[:5]


# ---------------------------------------------------------------- the annual plan


@require_http_methods(["GET", "POST"])
def renovation_plan_enter(request, project_id):
    project = _project_or_404(project_id)
    community = project.community
    if not can.is_city_reviewer(request.user):
        return _refuse(
            request, community, _("Only the city's joint review enters approved projects into the annual plan.")
        )
    current_year = AnnualPlan.objects.filter(year=services.today().year).first()
    form = PlanForm(request.POST or None, initial={"plan": current_year})
    refusals = []
    if request.method == "POST" and form.is_valid():
        try:
            services.plan_enter(actor=request.user, project=project, plan=form.cleaned_data["plan"])
        except PermissionDenied as error:
            return _refuse(request, community, error_text(error))
        except ValidationError as error:
            refusals = error.messages
        else:
            messages.success(
                request,
                _("%(project)s is in the %(plan)s.") % {"project": project.title, "plan": form.cleaned_data["plan"]},
            )
            return redirect("property:renovation_project", project.pk)
    result = services.survey_result(project.survey)
    context = {
        "project": project,
        "community": community,
        "blockers": services.plan_blockers(project),
        "refusals": refusals,
        "form": form,
        "has_plans": AnnualPlan.objects.exists(),
        "approved": project.stage == Stage.APPROVED,
        "survey": result,
        "plan_share": rules.willingness_share_text(result.plan_agree, result.total_households) if result else "",
        "model_share": rules.willingness_share_text(result.model_agree, result.total_households) if result else "",
    }
    status = 400 if refusals or form.errors else 200
    return render(request, "property/renovation/review_plan.html", context, status=status)


# ---------------------------------------------------------------- 三供一业


@require_http_methods(["GET", "POST"])
def renovation_sgyy(request, community_id):
    community = community_or_404(community_id)
    if not can.is_city_reviewer(request.user):
        return _refuse(request, community, _("Only the city's joint review records 三供一业 retrofits."))
    if not community.is_sgyy_compound:
        return _refuse(
            request, community, _("%(community)s is not a 三供一业 compound.") % {"community": community.title}
        )
    action = request.POST.get("action") if request.method == "POST" else ""
    retrofit_form = SgyyRetrofitForm(request.POST if action == "retrofit" else None, prefix="retrofit")
    list_form = SgyyListForm(
        request.POST if action == "list" else None,
        request.FILES if action == "list" else None,
        prefix="list",
        initial={"received_on": services.today()},
    )
    target = reverse("property:renovation_sgyy", args=[community.pk])
    if action == "retrofit" and retrofit_form.is_valid():
        try:
            record = services.sgyy_retrofit_record(
                actor=request.user, community=community, **retrofit_form.cleaned_data
            )
        except PermissionDenied as error:
            return _refuse(request, community, error_text(error))
        except ValidationError as error:
            add_errors(retrofit_form, error)
        else:
            messages.success(request, _("Recorded: %(record)s.") % {"record": record})
            return redirect(target)
    if action == "list" and list_form.is_valid():
        try:
            with transaction.atomic():
                document = evidence_document(
                    user=request.user,
                    title=f"{community.title}“三供一业”施工改造清单",
                    upload=list_form.cleaned_data["document"],
                )
                services.sgyy_list_record(
                    actor=request.user,
                    community=community,
                    received_on=list_form.cleaned_data["received_on"],
                    document=document,
                )
        except PermissionDenied as error:
            return _refuse(request, community, error_text(error))
        except ValidationError as error:
            add_errors(list_form, error)
        else:
            messages.success(request, _("The construction list is recorded; the compound may now enter the plan."))
            return redirect(target)
    context = {
        "community": community,
        "status": selectors.sgyy_status(community),
        "retrofit_form": retrofit_form,
        "list_form": list_form,
    }
    bound = retrofit_form.is_bound or list_form.is_bound
    return render(request, "property/renovation/review_sgyy.html", context, status=400 if bound else 200)


urlpatterns = [
    path("renovation/review/", renovation_queue, name="renovation_queue"),
    path("renovation/<int:project_id>/review/", renovation_review, name="renovation_review"),
    path("renovation/<int:project_id>/plan/", renovation_plan_enter, name="renovation_plan_enter"),
    path("renovation/sgyy/<int:community_id>/", renovation_sgyy, name="renovation_sgyy"),
]
