"""Carrying out a renovation project (issue 8, R-09): milestones with their publicity notice (公示), progress
reports with a site photo, money received from the planned sources, and the link to the residents' cost-sharing
plan of the fees ledger.

Views parse, check the permission (the county/district of the community and the city; progress also the
community's staff), call a writer of property.services.renovation and show its refusal; they change nothing
themselves. Every form works without JavaScript (POST, then redirect to the project page).
"""

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import path, reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods

from property import renovation_permissions as can
from property.domain import renovation as rules
from property.models import CostSharePlan, FundingSource, Milestone, RenovationProject
from property.pictures import picture_clean, picture_save
from property.services import renovation as services
from property.views.common import add_errors, error_text, refuse

FORBIDDEN_TEMPLATE = "property/renovation/project_forbidden.html"
PHOTO_FORMATS = {"JPEG": "jpg", "PNG": "png", "WEBP": "webp", "GIF": "gif"}


def _refuse(request, project, message=""):
    return refuse(request, project.community, message, template=FORBIDDEN_TEMPLATE)


def _project(project_id) -> RenovationProject:
    return get_object_or_404(
        RenovationProject.objects.select_related("community__sub_district__district", "plan"), pk=project_id
    )


def _done(request, project, text):
    messages.success(request, text)
    return redirect(reverse("property:renovation_project", args=[project.pk]))


# ---------------------------------------------------------------- forms


class MilestoneForm(forms.Form):
    kind = forms.ChoiceField(label=gettext_lazy("Milestone"), choices=Milestone.Kind.choices)
    reached_on = forms.DateField(label=gettext_lazy("Reached on"), widget=forms.DateInput(attrs={"type": "date"}))
    note = forms.CharField(
        label=gettext_lazy("What was done"),
        widget=forms.Textarea(attrs={"rows": 4}),
        max_length=4000,
        help_text=gettext_lazy("It is published in the publicity notice on the community page."),
    )


class ProgressForm(forms.Form):
    percent = forms.IntegerField(label=gettext_lazy("Percent complete"), min_value=0, max_value=100)
    note = forms.CharField(label=gettext_lazy("Note"), max_length=300)
    photo = forms.FileField(
        label=gettext_lazy("Site photo (optional)"),
        required=False,
        help_text=gettext_lazy("A JPEG, PNG, WebP or GIF picture of at most 8 MB."),
        widget=forms.ClearableFileInput(attrs={"accept": "image/jpeg,image/png,image/webp,image/gif"}),
    )
    photo_alt = forms.CharField(
        label=gettext_lazy("What the photo shows"),
        max_length=200,
        required=False,
        help_text=gettext_lazy("Read out to people who cannot see the photo, e.g. 3号楼外墙保温施工."),
    )

    def clean_photo(self):
        return picture_clean(
            self.cleaned_data.get("photo"),
            formats=PHOTO_FORMATS,
            refusal=_("Only JPEG, PNG, WebP or GIF pictures can be uploaded."),
        )

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("photo") and not (cleaned.get("photo_alt") or "").strip():
            self.add_error("photo_alt", _("Please say what the photo shows."))
        return cleaned


class ReceiptForm(forms.Form):
    source = forms.ChoiceField(label=gettext_lazy("Source"))
    amount = forms.DecimalField(
        label=gettext_lazy("Amount (yuan)"),
        max_digits=14,
        decimal_places=2,
        help_text=gettext_lazy("A negative amount corrects an earlier receipt."),
    )
    received_on = forms.DateField(label=gettext_lazy("Received on"), widget=forms.DateInput(attrs={"type": "date"}))
    reference = forms.CharField(
        label=gettext_lazy("Reference"), max_length=100, help_text=gettext_lazy("e.g. the allocation document number")
    )

    def __init__(self, *args, sources=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["source"].choices = list(sources)


class CostShareForm(forms.Form):
    plan = forms.ModelChoiceField(label=gettext_lazy("Cost-sharing plan"), queryset=CostSharePlan.objects.none())

    def __init__(self, *args, community=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["plan"].queryset = CostSharePlan.objects.filter(community=community).order_by("-created_at")


# ---------------------------------------------------------------- views


@require_http_methods(["GET", "POST"])
def renovation_milestone(request, project_id):
    project = _project(project_id)
    if not can.may_record_execution(request.user, project):
        return _refuse(request, project)
    reached = list(project.milestones.order_by("reached_on", "id"))
    expected = rules.MILESTONES[len(reached)] if len(reached) < len(rules.MILESTONES) else None
    form = MilestoneForm(request.POST or None, initial={"kind": expected, "reached_on": services.today()})
    if request.method == "POST" and form.is_valid():
        try:
            milestone = services.milestone_record(actor=request.user, project=project, **form.cleaned_data)
        except PermissionDenied as error:
            return _refuse(request, project, error_text(error))
        except ValidationError as error:
            add_errors(form, error)
        else:
            text = _("Recorded: %(kind)s. The publicity notice is published.") % {"kind": milestone.get_kind_display()}
            return _done(request, project, text)
    context = {
        "project": project,
        "form": form,
        "reached": reached,
        "expected_label": rules.MILESTONE_LABELS.get(expected, ""),
        "in_execution": project.stage in services.EXECUTION_STAGES,
    }
    return render(request, "property/renovation/exec_milestone.html", context, status=400 if form.is_bound else 200)


def _make_image(upload, *, title: str, alt: str, user):
    """A wagtail Image from a checked upload, in the root collection."""
    return picture_save(upload, stem="renovation-progress", title=title, user=user, description=alt)


@require_http_methods(["GET", "POST"])
def renovation_progress(request, project_id):
    project = _project(project_id)
    if not can.may_report_progress(request.user, project):
        return _refuse(request, project)
    form = ProgressForm(request.POST or None, request.FILES or None, initial={"percent": project.percent_complete})
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        photo = None
        try:
            with transaction.atomic():
                if data["photo"]:
                    photo = _make_image(
                        data["photo"],
                        title=f"{project.title} {data['percent']}% {data['photo_alt']}",
                        alt=data["photo_alt"],
                        user=request.user,
                    )
                services.progress_report(
                    actor=request.user, project=project, percent=data["percent"], note=data["note"], photo=photo
                )
        except (PermissionDenied, ValidationError) as error:
            if photo is not None:
                photo.file.delete(save=False)  # the row went with the transaction; the file would stay
            if isinstance(error, PermissionDenied):
                return _refuse(request, project, error_text(error))
            add_errors(form, error)
        else:
            return _done(request, project, _("Progress reported: %(percent)s%%.") % {"percent": data["percent"]})
    context = {"project": project, "form": form}
    return render(request, "property/renovation/exec_progress.html", context, status=400 if form.is_bound else 200)


@require_http_methods(["GET", "POST"])
def renovation_receipt(request, project_id):
    project = _project(project_id)
    if not can.may_record_execution(request.user, project):
        return _refuse(request, project)
    labels = dict(FundingSource.choices)
    planned = [
        (source, labels[source])
        for source in project.funding.order_by("id").values_list("source", flat=True)
        if source != FundingSource.RESIDENTS
    ]
    form = ReceiptForm(request.POST or None, sources=planned, initial={"received_on": services.today()})
    if request.method == "POST" and form.is_valid():
        try:
            receipt = services.receipt_record(actor=request.user, project=project, **form.cleaned_data)
        except PermissionDenied as error:
            return _refuse(request, project, error_text(error))
        except ValidationError as error:
            add_errors(form, error)
        else:
            text = _("Recorded: %(source)s %(amount)s yuan.") % {
                "source": receipt.get_source_display(),
                "amount": receipt.amount,
            }
            return _done(request, project, text)
    context = {
        "project": project,
        "form": form,
        "in_execution": project.stage in services.EXECUTION_STAGES,
        "has_residents_line": project.funding.filter(source=FundingSource.RESIDENTS).exists(),
    }
    return render(request, "property/renovation/exec_receipt.html", context, status=400 if form.is_bound else 200)


@require_http_methods(["GET", "POST"])
def renovation_cost_share_link(request, project_id):
    project = _project(project_id)
    if not (can.may_record_execution(request.user, project) or can.may_edit_items(request.user, project)):
        return _refuse(request, project)
    form = CostShareForm(
        request.POST or None, community=project.community, initial={"plan": project.cost_share_plan_id}
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.cost_share_link(actor=request.user, project=project, plan=form.cleaned_data["plan"])
        except PermissionDenied as error:
            return _refuse(request, project, error_text(error))
        except ValidationError as error:
            add_errors(form, error)
        else:
            return _done(
                request, project, _("Linked to the cost-sharing plan %(title)s.") % {"title": form.cleaned_data["plan"]}
            )
    context = {"project": project, "form": form, "has_plans": form.fields["plan"].queryset.exists()}
    return render(request, "property/renovation/exec_cost_share.html", context, status=400 if form.is_bound else 200)


urlpatterns = [
    path("renovation/<int:project_id>/milestone/", renovation_milestone, name="renovation_milestone"),
    path("renovation/<int:project_id>/progress/", renovation_progress, name="renovation_progress"),
    path("renovation/<int:project_id>/receipt/", renovation_receipt, name="renovation_receipt"),
    path("renovation/<int:project_id>/cost-share/", renovation_cost_share_link, name="renovation_cost_share_link"),
]
