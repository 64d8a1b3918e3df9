"""The owners' accounts other than property fees (V-11, V-12): the accounts page with each account's balance and
this year's income and expenditure by category, the cash-entry form and reversals; donations with their
receipts and the thank-you list; renovation cost-sharing plans with their preview, issue and collection.

Views parse, check the community scope and the permission, call a writer of property.services.funds and show
its refusal in Chinese; they change nothing themselves. Every form works without JavaScript (POST, then redirect).
"""

from datetime import date

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import path, reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from property import permissions
from property.domain import fees
from property.forms_funds import CashEntryForm, CostSharePlanForm, DonationForm, ReverseForm, ThanksOptForm
from property.models import CostSharePlan, Donation, Fund, LedgerEntry
from property.selectors import fund_statement
from property.services import funds as svc
from property.views.common import add_errors, community_or_404, error_text, refuse

FORBIDDEN_TEMPLATE = "property/funds/forbidden.html"


def _refuse(request, community=None, message=""):
    return refuse(request, community, message, template=FORBIDDEN_TEMPLATE)


ENTRIES_PER_PAGE = 20
DONATIONS_PER_PAGE = 20


# ---------------------------------------------------------------- helpers


def _fund_label(fund: str) -> str:
    return str(Fund(fund).label)


# ---------------------------------------------------------------- accounts


@require_GET
def funds_overview(request, community_id):
    community = community_or_404(community_id)
    if not svc.can_read_funds(request.user, community):
        return _refuse(request, community)
    today = svc.today()
    start = date(today.year, 1, 1)
    accounts = []
    for fund in svc.OWNERS_FUNDS:
        statement = fund_statement(community, fund, start, today)
        accounts.append(
            {
                "fund": fund,
                "label": _fund_label(fund),
                "statement": statement,
                "can_keep": permissions.can_keep_fund(request.user, community, fund),
            }
        )
    shown = request.GET.get("fund", "")
    funds = [shown] if shown in svc.OWNERS_FUNDS else svc.OWNERS_FUNDS
    page_obj = Paginator(svc.entries_of(community, funds), ENTRIES_PER_PAGE).get_page(request.GET.get("page"))
    kept = {fund for fund in svc.OWNERS_FUNDS if permissions.can_keep_fund(request.user, community, fund)}
    context = {
        "community": community,
        "accounts": accounts,
        "year": today.year,
        "page_obj": page_obj,
        "entries": page_obj.object_list,
        "shown": shown if shown in svc.OWNERS_FUNDS else "",
        "fund_filters": [(fund, _fund_label(fund)) for fund in svc.OWNERS_FUNDS],
        "kept": kept,
        "reversible": [str(kind) for kind in svc.REVERSIBLE_KINDS],
        "reverse_form": ReverseForm(),
        "can_keep_donations": Fund.DONATIONS in kept,
    }
    return render(request, "property/funds/overview.html", context)


@require_http_methods(["GET", "POST"])
def cash_entry_new(request, community_id, fund):
    community = community_or_404(community_id)
    if fund not in svc.OWNERS_FUNDS:
        raise Http404
    if not permissions.can_keep_fund(request.user, community, fund):
        return _refuse(request, community)
    form = CashEntryForm(request.POST or None, initial={"booked_on": svc.today(), "direction": "income"})
    if request.method == "POST" and form.is_valid():
        try:
            entry = svc.cash_entry_record(actor=request.user, community=community, fund=fund, **form.cleaned_data)
        except PermissionDenied as error:
            return _refuse(request, community, error_text(error))
        except ValidationError as error:
            add_errors(form, error)
        else:
            messages.success(
                request,
                _("Recorded: %(category)s %(amount)s yuan.") % {"category": entry.category, "amount": entry.amount},
            )
            return redirect(reverse("property:funds", args=[community.pk]) + f"?fund={fund}")
    context = {
        "community": community,
        "form": form,
        "fund": fund,
        "fund_label": _fund_label(fund),
        "balance": svc.cash_balance(community, fund),
    }
    return render(request, "property/funds/entry_form.html", context, status=400 if form.is_bound else 200)


@require_POST
def cash_entry_reverse(request, entry_id):
    entry = get_object_or_404(LedgerEntry.objects.select_related("community"), pk=entry_id)
    community = entry.community
    if entry.fund not in svc.OWNERS_FUNDS or not permissions.can_keep_fund(request.user, community, entry.fund):
        return _refuse(request, community)
    form = ReverseForm(request.POST)
    target = reverse("property:funds", args=[community.pk]) + f"?fund={entry.fund}"
    if not form.is_valid():
        messages.error(request, _("Write the reason for the reversal."))
        return redirect(target)
    try:
        svc.cash_entry_reverse(actor=request.user, entry=entry, reason=form.cleaned_data["reason"])
    except PermissionDenied as error:
        return _refuse(request, community, error_text(error))
    except ValidationError as error:
        messages.error(request, error_text(error))
    else:
        messages.success(request, _("The entry is reversed; both entries stay in the journal."))
    return redirect(target)


# ---------------------------------------------------------------- donations


@require_http_methods(["GET", "POST"])
def donations(request, community_id):
    community = community_or_404(community_id)
    if not permissions.can_keep_fund(request.user, community, Fund.DONATIONS):
        return _refuse(request, community)
    form = DonationForm(request.POST or None, initial={"received_on": svc.today(), "kind": Donation.Kind.MONEY})
    if request.method == "POST" and form.is_valid():
        try:
            donation = svc.donation_record(actor=request.user, community=community, **form.cleaned_data)
        except PermissionDenied as error:
            return _refuse(request, community, error_text(error))
        except ValidationError as error:
            add_errors(form, error)
        else:
            messages.success(request, _("Donation recorded, receipt %(no)s.") % {"no": donation.receipt_no})
            return redirect("property:donation_receipt", donation.pk)
    page_obj = Paginator(svc.donations_of(community), DONATIONS_PER_PAGE).get_page(request.GET.get("page"))
    context = {
        "community": community,
        "form": form,
        "page_obj": page_obj,
        "donations": page_obj.object_list,
        "can_keep_donations": True,
    }
    return render(request, "property/funds/donations.html", context, status=400 if form.is_bound else 200)


def _donation(donation_id) -> Donation:
    return get_object_or_404(
        svc.Donation.objects.select_related("community", "donor", "unit__entrance__building"), pk=donation_id
    )


@require_GET
def donation_receipt(request, donation_id):
    donation = _donation(donation_id)
    if not svc.can_read_donation(request.user, donation):
        return _refuse(request, donation.community)
    is_donor = svc.is_donor(request.user, donation)
    thanks_form = ThanksOptForm(initial={"on_thanks_list": donation.on_thanks_list})
    if not is_donor:
        thanks_form.fields["on_thanks_list"].label = _("The donor agrees to be named on the thank-you list")
    context = {
        "community": donation.community,
        "donation": donation,
        "amount_words": fees.amount_in_words(donation.amount) if donation.amount else "",
        "cancelled": donation.entries.filter(kind=LedgerEntry.Kind.REVERSAL).exists(),
        "is_donor": is_donor,
        "can_keep": permissions.can_keep_fund(request.user, donation.community, Fund.DONATIONS),
        "thanks_form": thanks_form,
    }
    return render(request, "property/funds/donation_receipt.html", context)


@require_POST
def donation_thanks_opt(request, donation_id):
    donation = _donation(donation_id)
    if not svc.can_read_donation(request.user, donation):
        return _refuse(request, donation.community)
    form = ThanksOptForm(request.POST)
    form.is_valid()
    try:
        svc.donation_thanks_opt(
            actor=request.user, donation=donation, on_thanks_list=form.cleaned_data.get("on_thanks_list", False)
        )
    except PermissionDenied as error:
        return _refuse(request, donation.community, error_text(error))
    messages.success(request, _("Your choice for the thank-you list is saved."))
    nxt = request.POST.get("next", "")
    if nxt == "thanks":
        return redirect("property:thanks", donation.community_id)
    return redirect("property:donation_receipt", donation.pk)


@require_GET
def thanks(request, community_id):
    community = community_or_404(community_id)
    if not permissions.can_read_disclosures(request.user, community):
        return _refuse(request, community)
    person = getattr(request.user, "person", None)
    mine = list(svc.donations_of(community).filter(donor=person)) if person is not None else []
    context = {"community": community, "thanks": svc.thanks_list(community), "mine": mine}
    return render(request, "property/funds/thanks.html", context)


# ---------------------------------------------------------------- cost-sharing


def _plan(plan_id) -> CostSharePlan:
    return get_object_or_404(
        CostSharePlan.objects.select_related("community", "decision", "created_by").prefetch_related("buildings"),
        pk=plan_id,
    )


@require_http_methods(["GET", "POST"])
def cost_shares(request, community_id):
    community = community_or_404(community_id)
    if not svc.can_read_funds(request.user, community):
        return _refuse(request, community)
    can_keep = permissions.can_keep_fund(request.user, community, Fund.COST_SHARING)
    form = CostSharePlanForm(request.POST or None, community=community) if can_keep else None
    if request.method == "POST":
        if not can_keep:
            return _refuse(request, community)
        if form.is_valid():
            try:
                plan = svc.cost_share_plan_create(actor=request.user, community=community, **form.cleaned_data)
            except PermissionDenied as error:
                return _refuse(request, community, error_text(error))
            except ValidationError as error:
                add_errors(form, error)
            else:
                messages.success(request, _("Plan saved. Check the shares, then issue the charges."))
                return redirect("property:cost_share_detail", plan.pk)
    plans = list(CostSharePlan.objects.filter(community=community).prefetch_related("buildings"))
    progress = svc.plan_progress([p for p in plans if p.issued_at])
    rows = [{"plan": plan, "progress": progress.get(plan.pk)} for plan in plans]
    context = {
        "community": community,
        "rows": rows,
        "form": form,
        "can_keep": can_keep,
        "can_keep_donations": permissions.can_keep_fund(request.user, community, Fund.DONATIONS),
    }
    return render(request, "property/funds/cost_shares.html", context, status=400 if form and form.is_bound else 200)


@require_GET
def cost_share_detail(request, plan_id):
    plan = _plan(plan_id)
    if not svc.can_read_funds(request.user, plan.community):
        return _refuse(request, plan.community)
    context = {
        "community": plan.community,
        "plan": plan,
        "preview": svc.cost_share_preview(plan),
        "progress": svc.plan_progress([plan])[plan.pk] if plan.issued_at else None,
        "can_keep": permissions.can_keep_fund(request.user, plan.community, Fund.COST_SHARING),
    }
    return render(request, "property/funds/cost_share_detail.html", context)


@require_POST
def cost_share_issue(request, plan_id):
    plan = _plan(plan_id)
    if not permissions.can_keep_fund(request.user, plan.community, Fund.COST_SHARING):
        return _refuse(request, plan.community)
    try:
        charges = svc.cost_share_plan_issue(actor=request.user, plan=plan)
    except PermissionDenied as error:
        return _refuse(request, plan.community, error_text(error))
    except ValidationError as error:
        messages.error(request, error_text(error))
    else:
        messages.success(request, _("%(n)s charges issued.") % {"n": len(charges)})
    return redirect("property:cost_share_detail", plan.pk)


urlpatterns = [
    path("fees/<int:community_id>/funds/", funds_overview, name="funds"),
    path("fees/<int:community_id>/funds/<str:fund>/new/", cash_entry_new, name="cash_entry_new"),
    path("fees/funds/entries/<int:entry_id>/reverse/", cash_entry_reverse, name="cash_entry_reverse"),
    path("fees/<int:community_id>/donations/", donations, name="donations"),
    path("fees/donations/<int:donation_id>/receipt/", donation_receipt, name="donation_receipt"),
    path("fees/donations/<int:donation_id>/thanks/", donation_thanks_opt, name="donation_thanks_opt"),
    path("fees/<int:community_id>/thanks/", thanks, name="thanks"),
    path("fees/<int:community_id>/cost-sharing/", cost_shares, name="cost_shares"),
    path("fees/cost-sharing/<int:plan_id>/", cost_share_detail, name="cost_share_detail"),
    path("fees/cost-sharing/<int:plan_id>/issue/", cost_share_issue, name="cost_share_issue"),
]
