"""Management modes, companies, contracts and notices (issue 9; DOMAIN-RULES P-01, P-02, P-10, V-13, seed §四).

Views parse, check the scope and the permission (property.management_permissions), call a writer of
property.services.management and show its Chinese refusal on the form; they change nothing themselves. Reads are in
property.management_selectors. Every form works without JavaScript (POST, then redirect).
"""

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import NoReverseMatch, path, reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from home.domain.masking import mask_name, mask_phone
from home.models import CommunityPage, CommunityRole, SubDistrict
from home.permissions import _roles_cache, is_bureau_staff
from property import management_permissions as can
from property import management_selectors as selectors
from property.domain import management as rules
from property.forms_management import (
    BundleForm,
    CompanyQuestionForm,
    ContractForm,
    FilingForm,
    NoticeForm,
    SelfManagementForm,
    StaffAddForm,
)
from property.forms_renovation import evidence_document
from property.models import CompanyStaff, PropertyCompany
from property.services import management as services
from property.views.common import add_errors, community_or_404, error_text, refuse

try:
    from property import repair_selectors
except ImportError:  # pragma: no cover - the repairs helper's module is part of the same issue
    repair_selectors = None

FORBIDDEN_TEMPLATE = "property/management/forbidden.html"
Role = CommunityRole.Role


def _refuse(request, community=None, message=""):
    return refuse(request, community, message, template=FORBIDDEN_TEMPLATE)


def _render_form(request, template, context, form):
    return render(request, template, context, status=400 if form.is_bound else 200)


def _decisions_url(community) -> str:
    try:
        return reverse("governance:decision_list", args=[community.pk])
    except NoReverseMatch:  # pragma: no cover
        return ""


def _sees_contact(user, community) -> bool:
    """The contact person's mobile unmasked: the committee and the bureau (D-01)."""
    return can.is_committee(user, community) or is_bureau_staff(user)


# ---------------------------------------------------------------- a community's management page


@require_GET
def management(request, community_id):
    community = community_or_404(community_id)
    user = request.user
    if not can.can_view_management(user, community):
        return _refuse(request, community)
    today = timezone.localdate()
    periods = selectors.periods_of(community)
    current = next((period for period in periods if period.ends_on is None), None)
    contract = selectors.contract_in_force(community)
    facts = selectors.contract_facts(contract, today) if contract else None
    company = None
    if current is not None and current.mode == rules.MARKET_COMPANY and current.contract_id:
        company = current.contract.company
    elif current is not None and current.mode == rules.BUNDLED and current.bundle_id:
        company = current.bundle.operator
    others = []
    if current is not None and current.mode == rules.BUNDLED and current.bundle_id:
        others = [member for member in selectors.bundle_members(current.bundle) if member.pk != community.pk]
    sees_contact = _sees_contact(user, community)
    notice_kinds = (
        [kind for kind in rules.NOTICE_KIND_LABELS if can.can_give_notice(user, contract, kind)]
        if contract is not None
        else []
    )
    context = {
        "community": community,
        "current": current,
        "periods": periods,
        "company": company,
        "contact_name": (company.contact_name if sees_contact else mask_name(company.contact_name)) if company else "",
        "contact_phone": (company.contact_phone if sees_contact else mask_phone(company.contact_phone))
        if company
        else "",
        "contract": contract,
        "facts": facts,
        "others": others,
        "may_record_contract": can.can_record_contract(user, community),
        "may_record_mode": can.can_record_mode(user, community),
        "may_bundle": can.is_community_staff(user, community) or is_bureau_staff(user),
        "may_file": contract is not None and contract.filed_on is None and can.can_file_contract(user, contract),
        "may_notice": bool(notice_kinds),
    }
    return render(request, "property/management/management.html", context)


# ---------------------------------------------------------------- contracts


@require_http_methods(["GET", "POST"])
def contract_new(request, community_id):
    community = community_or_404(community_id)
    user = request.user
    if not can.can_record_contract(user, community):
        return _refuse(request, community, _("Only members of the owners' committee record the service contract."))
    form = ContractForm(request.POST or None, request.FILES or None, community=community)
    has_votes = form.fields["approving_question"].queryset.exists()
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        upload = data.pop("document")
        for name in list(data):
            if name.endswith(("_basis", "_rate")):
                data.pop(name)
        try:
            with transaction.atomic():
                document = evidence_document(
                    user=user, title=f"{community.title}物业服务合同（{data['company'].name}）", upload=upload
                )
                contract = services.contract_record(actor=user, community=community, document=document, **data)
        except PermissionDenied as error:
            return _refuse(request, community, error_text(error))
        except ValidationError as error:
            add_errors(form, error)
        else:
            messages.success(request, _("The service contract is recorded and its fee rates are in the schedules."))
            return redirect("property:contract", contract.pk)
    context = {
        "community": community,
        "form": form,
        "has_votes": has_votes,
        "decisions_url": _decisions_url(community),
    }
    return _render_form(request, "property/management/contract_new.html", context, form)


def _contract_or_404(pk):
    contract = selectors.contract_for_page(pk)
    if contract is None:
        raise Http404
    return contract


@require_GET
def contract_detail(request, pk):
    contract = _contract_or_404(pk)
    user = request.user
    if not can.can_view_management(user, contract.community):
        return _refuse(request, contract.community)
    context = {
        "community": contract.community,
        "contract": contract,
        "facts": selectors.contract_facts(contract, timezone.localdate()),
        "may_file": contract.filed_on is None and can.can_file_contract(user, contract),
        "may_notice": contract.status == contract.Status.IN_FORCE
        and any(can.can_give_notice(user, contract, kind) for kind in rules.NOTICE_KIND_LABELS),
    }
    return render(request, "property/management/contract.html", context)


@require_http_methods(["GET", "POST"])
def contract_file(request, pk):
    contract = _contract_or_404(pk)
    user = request.user
    if not can.can_file_contract(user, contract):
        return _refuse(
            request, contract.community, _("Only the company's managers or the community staff record the filing.")
        )
    form = FilingForm(request.POST or None, initial={"filed_on": timezone.localdate()})
    if request.method == "POST" and form.is_valid():
        try:
            services.contract_file(actor=user, contract=contract, **form.cleaned_data)
        except PermissionDenied as error:
            return _refuse(request, contract.community, error_text(error))
        except ValidationError as error:
            add_errors(form, error)
        else:
            messages.success(request, _("The filing is recorded."))
            return redirect("property:contract", contract.pk)
    context = {
        "community": contract.community,
        "contract": contract,
        "form": form,
        "filing_due": contract.filing_due,
    }
    return _render_form(request, "property/management/contract_file.html", context, form)


@require_http_methods(["GET", "POST"])
def contract_notice(request, pk):
    contract = _contract_or_404(pk)
    user = request.user
    kinds = [kind for kind in rules.NOTICE_KIND_LABELS if can.can_give_notice(user, contract, kind)]
    if not kinds:
        return _refuse(request, contract.community, _("You may not give a notice for either party of this contract."))
    form = NoticeForm(
        request.POST or None, community=contract.community, kinds=kinds, initial={"given_on": timezone.localdate()}
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.contract_notice_give(actor=user, contract=contract, **form.cleaned_data)
        except PermissionDenied as error:
            return _refuse(request, contract.community, error_text(error))
        except ValidationError as error:
            add_errors(form, error)
        else:
            messages.success(request, _("The termination notice is recorded and the parties are told."))
            return redirect("property:contract", contract.pk)
    earliest = [
        (
            rules.NOTICE_KIND_LABELS[kind],
            rules.earliest_effective(kind, timezone.localdate(), contract_notice_days=contract.dismissal_notice_days),
        )
        for kind in kinds
    ]
    context = {"community": contract.community, "contract": contract, "form": form, "earliest": earliest}
    return _render_form(request, "property/management/contract_notice.html", context, form)


# ---------------------------------------------------------------- self-management and bundles


@require_http_methods(["GET", "POST"])
def self_management_new(request, community_id):
    community = community_or_404(community_id)
    user = request.user
    if not can.can_record_mode(user, community):
        return _refuse(request, community, _("Only the owners' committee or the community staff record the mode."))
    form = SelfManagementForm(request.POST or None, community=community, initial={"starts_on": timezone.localdate()})
    if request.method == "POST" and form.is_valid():
        try:
            services.self_management_start(actor=user, community=community, **form.cleaned_data)
        except PermissionDenied as error:
            return _refuse(request, community, error_text(error))
        except ValidationError as error:
            add_errors(form, error)
        else:
            messages.success(request, _("Self-management is recorded as the community's mode."))
            return redirect("property:management", community.pk)
    return _render_form(
        request, "property/management/self_management_new.html", {"community": community, "form": form}, form
    )


def _bundle_sub_districts(user):
    """The sub-districts where the user may organise a group: all for the bureau, else those of the communities
    where the user is community staff."""
    if is_bureau_staff(user):
        return SubDistrict.objects.select_related("district").order_by("district__name", "name")
    staff_of = [cid for cid, roles in _roles_cache(user).items() if Role.COMMUNITY_STAFF in roles]
    return (
        SubDistrict.objects.filter(communities__pk__in=staff_of)
        .select_related("district")
        .distinct()
        .order_by("district__name", "name")
    )


def _bundle_communities(user, sub_district):
    communities = CommunityPage.objects.live().filter(sub_district=sub_district).order_by("title")
    if is_bureau_staff(user):
        return communities
    staff_of = [cid for cid, roles in _roles_cache(user).items() if Role.COMMUNITY_STAFF in roles]
    return communities.filter(pk__in=staff_of)


@require_http_methods(["GET", "POST"])
def bundle_new(request):
    user = request.user
    if not user.is_authenticated:
        return _refuse(request)
    sub_districts = list(_bundle_sub_districts(user))
    if not sub_districts:
        return _refuse(request, None, _("Only the community staff or the housing bureau organise a bundled group."))
    chosen = request.POST.get("sub_district") or request.GET.get("sub_district")
    sub_district = next((item for item in sub_districts if str(item.pk) == chosen), None)
    if sub_district is None and len(sub_districts) == 1:
        sub_district = sub_districts[0]
    form = None
    if sub_district is not None:
        form = BundleForm(
            request.POST or None,
            communities=_bundle_communities(user, sub_district),
            initial={"started_on": timezone.localdate()},
        )
        if request.method == "POST" and form.is_valid():
            try:
                bundle = services.bundle_create(actor=user, sub_district=sub_district, **form.cleaned_data)
            except PermissionDenied as error:
                return _refuse(request, None, error_text(error))
            except ValidationError as error:
                add_errors(form, error)
            else:
                messages.success(request, _("The bundled group is recorded as the mode of its communities."))
                return redirect("property:bundle", bundle.pk)
    context = {"sub_districts": sub_districts, "sub_district": sub_district, "form": form}
    status = 400 if form is not None and form.is_bound else 200
    return render(request, "property/management/bundle_new.html", context, status=status)


@require_GET
def bundle_detail(request, pk):
    bundle = selectors.bundle_for_page(pk)
    if bundle is None:
        raise Http404
    user = request.user
    members = selectors.bundle_members(bundle)
    allowed = (
        is_bureau_staff(user)
        or (bundle.operator_id is not None and can.is_company_staff_of(user, bundle.operator))
        or any(can.can_view_management(user, member) for member in members)
    )
    if not allowed:
        return _refuse(request)
    return render(request, "property/management/bundle.html", {"bundle": bundle, "members": members})


# ---------------------------------------------------------------- the company registry and a company


@require_GET
def company_list(request):
    return render(request, "property/management/company_list.html", {"companies": selectors.company_registry()})


def _company_or_404(pk) -> PropertyCompany:
    return get_object_or_404(PropertyCompany, pk=pk)


def _quality(company) -> list | None:
    """Service-quality figures from the repairs (the repairs selector), a one-row list; None if unavailable."""
    if repair_selectors is None or not hasattr(repair_selectors, "company_quality"):
        return None
    return list(repair_selectors.company_quality([company.pk]))


def _company_page(request, company, *, add_form=None, status=200):
    user = request.user
    insider = is_bureau_staff(user) or can.is_company_staff_of(user, company)
    manages = is_bureau_staff(user) or can.is_company_manager_of(user, company)
    context = {
        "company": company,
        "served": selectors.communities_served(company),
        "quality": _quality(company),
        "insider": insider,
        "contact_name": company.contact_name if insider else mask_name(company.contact_name),
        "contact_phone": company.contact_phone if insider else mask_phone(company.contact_phone),
        "manages": manages,
        "staff": selectors.staff_of(company) if manages else [],
        "add_form": (add_form or StaffAddForm()) if manages else None,
        "may_ask": insider,
    }
    return render(request, "property/management/company.html", context, status=status)


@require_http_methods(["GET", "POST"])
def company_detail(request, pk):
    company = _company_or_404(pk)
    if request.method == "GET":
        return _company_page(request, company)
    user = request.user
    if not (is_bureau_staff(user) or can.is_company_manager_of(user, company)):
        return _refuse(request, None, _("Only the housing bureau or the company's managers manage its staff."))
    action = request.POST.get("action")
    if action == "remove":
        post = get_object_or_404(CompanyStaff, pk=request.POST.get("post"), company=company)
        try:
            services.company_staff_remove(actor=user, post=post)
        except PermissionDenied as error:
            return _refuse(request, None, error_text(error))
        messages.success(request, _("The staff account is deactivated; its access is withdrawn."))
        return redirect(reverse("property:company", args=[company.pk]) + "#staff")
    form = StaffAddForm(request.POST)
    if form.is_valid():
        data = form.cleaned_data
        try:
            services.company_staff_add(
                actor=user, company=company, user=data["account"], title=data["title"], is_manager=data["is_manager"]
            )
        except PermissionDenied as error:
            return _refuse(request, None, error_text(error))
        except ValidationError as error:
            add_errors(form, error)
        else:
            messages.success(request, _("The staff account is added; it reaches the communities the company serves."))
            return redirect(reverse("property:company", args=[company.pk]) + "#staff")
    return _company_page(request, company, add_form=form, status=400)


@require_http_methods(["GET", "POST"])
def company_questions(request, pk):
    company = _company_or_404(pk)
    user = request.user
    is_staff = can.is_company_staff_of(user, company)
    if not (is_staff or is_bureau_staff(user)):
        return _refuse(request, None, _("Only the company's staff and the housing bureau see its policy questions."))
    form = CompanyQuestionForm(request.POST or None) if is_staff else None
    if request.method == "POST":
        if form is None:
            return _refuse(request, None, _("Only the company's staff ask in its name."))
        if form.is_valid():
            try:
                services.company_question_ask(actor=user, company=company, **form.cleaned_data)
            except PermissionDenied as error:
                return _refuse(request, None, error_text(error))
            except ValidationError as error:
                add_errors(form, error)
            else:
                messages.success(request, _("The question is sent to the housing bureau in the company's name."))
                return redirect("property:company_questions", company.pk)
    rows = [
        {
            "link": link,
            "question": link.question,
            # Only the asker (and the site administrator) may open the governance page; the answer is shown here.
            "readable": link.question.asker_id == user.pk or user.is_superuser,
            "asker": link.question.asker.get_full_name() or link.question.asker.get_username(),
        }
        for link in selectors.company_questions(company)
    ]
    context = {"company": company, "rows": rows, "form": form}
    status = 400 if form is not None and form.is_bound else 200
    return render(request, "property/management/company_questions.html", context, status=status)


urlpatterns = [
    path("management/<int:community_id>/", management, name="management"),
    path("management/<int:community_id>/contract/new/", contract_new, name="contract_new"),
    path("management/<int:community_id>/self-management/", self_management_new, name="self_management_new"),
    path("management/contracts/<int:pk>/", contract_detail, name="contract"),
    path("management/contracts/<int:pk>/file/", contract_file, name="contract_file"),
    path("management/contracts/<int:pk>/notice/", contract_notice, name="contract_notice"),
    path("management/bundles/new/", bundle_new, name="bundle_new"),
    path("management/bundles/<int:pk>/", bundle_detail, name="bundle"),
    path("management/companies/", company_list, name="company_list"),
    path("management/companies/<int:pk>/", company_detail, name="company"),
    path("management/companies/<int:pk>/questions/", company_questions, name="company_questions"),
]
