"""The unit register of one community: upload an .xlsx import, watch it run, export, download the template.

Only the owners' committee and the community staff of THAT community (permissions.can_manage_register);
everyone else gets 403, anonymous visitors the login page.
"""

from urllib.parse import quote

from django import forms
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import path
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_GET, require_http_methods

from home import permissions
from home.models import CommunityPage, RegisterImport
from home.services.register_export import XLSX_CONTENT_TYPE, register_export_workbook, register_template_workbook
from home.services.register_import import MAX_UPLOAD_BYTES, register_import_start

RECENT_IMPORTS = 10


class RegisterUploadForm(forms.Form):
    file = forms.FileField(
        label=_("Register file (.xlsx)"),
        widget=forms.ClearableFileInput(
            attrs={"accept": ".xlsx,application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"}
        ),
        error_messages={"required": _("Choose the .xlsx file of the register."), "empty": _("The file is empty.")},
    )


def _community_for_register(request, community_id: int) -> CommunityPage:
    community = get_object_or_404(CommunityPage, pk=community_id)
    if not permissions.can_manage_register(request.user, community):
        raise PermissionDenied
    return community


def _status_payload(register_import: RegisterImport) -> dict:
    finished = register_import.status in (RegisterImport.Status.SUCCEEDED, RegisterImport.Status.FAILED)
    return {
        "status": register_import.status,
        "status_label": str(register_import.get_status_display()),
        "percent": register_import.percent,
        "processed_rows": register_import.processed_rows,
        "total_rows": register_import.total_rows,
        "finished": finished,
    }


@login_required
@require_http_methods(["GET", "POST"])
def register_import(request, community_id):
    community = _community_for_register(request, community_id)
    form = RegisterUploadForm(request.POST, request.FILES) if request.method == "POST" else RegisterUploadForm()
    if form.is_bound and form.is_valid():
        try:
            started = register_import_start(
                actor=request.user, community=community, uploaded_file=form.cleaned_data["file"]
            )
        except ValidationError as error:
            form.add_error("file", error)
        else:
            return redirect("home:register_import_status", community_id=community.pk, pk=started.pk)
    recent = RegisterImport.objects.filter(community=community).select_related("uploaded_by")[:RECENT_IMPORTS]
    return render(
        request,
        "home/register/import.html",
        {
            "community": community,
            "form": form,
            "recent_imports": recent,
            "max_upload_mb": MAX_UPLOAD_BYTES // (1024 * 1024),
        },
        status=400 if form.errors else 200,
    )


@login_required
@require_GET
def register_import_status(request, community_id, pk):
    """The progress of one import; `?format=json` for the page's polling script (register-import.js)."""
    community = _community_for_register(request, community_id)
    register_import = get_object_or_404(
        RegisterImport.objects.select_related("uploaded_by"), pk=pk, community=community
    )
    payload = _status_payload(register_import)
    if request.GET.get("format") == "json":
        response = JsonResponse(payload)
        response["Cache-Control"] = "no-store"
        return response
    return render(
        request,
        "home/register/status.html",
        {
            "community": community,
            "register_import": register_import,
            "finished": payload["finished"],
            "summary": register_import.summary,
            "errors": register_import.errors,
            "error_count": register_import.summary.get("error_count", len(register_import.errors)),
            "more_errors": max(0, register_import.summary.get("error_count", 0) - len(register_import.errors)),
        },
    )


def _xlsx_response(data: bytes, filename: str, fallback: str) -> HttpResponse:
    response = HttpResponse(data, content_type=XLSX_CONTENT_TYPE)
    response["Content-Disposition"] = f"attachment; filename=\"{fallback}\"; filename*=UTF-8''{quote(filename)}"
    response["Cache-Control"] = "no-store"  # personal data: no copies in shared caches
    return response


@login_required
@require_GET
def register_export(request, community_id):
    """The register as .xlsx, ID numbers masked; every export lands in the audit log (D-12)."""
    community = _community_for_register(request, community_id)
    data = register_export_workbook(actor=request.user, community=community)
    stamp = timezone.localtime().strftime("%Y%m%d")
    return _xlsx_response(data, f"{community.title}-房屋登记表-{stamp}.xlsx", f"register-{community.pk}-{stamp}.xlsx")


@login_required
@require_GET
def register_template(request, community_id):
    _community_for_register(request, community_id)
    return _xlsx_response(register_template_workbook(), "房屋登记表-模板.xlsx", "register-template.xlsx")


urlpatterns = [
    path("community/<int:community_id>/register/import/", register_import, name="register_import"),
    path(
        "community/<int:community_id>/register/imports/<int:pk>/",
        register_import_status,
        name="register_import_status",
    ),
    path("community/<int:community_id>/register/export.xlsx", register_export, name="register_export"),
    path("community/<int:community_id>/register/template.xlsx", register_template, name="register_template"),
]
