"""The fee desk (收费台账) of those who keep a community's accounts — the owners' committee, the staff of the
property company serving the community, the community staff — and, read-only, the housing bureau: arrears,
collection rate, fee schedules, charge runs, payments at the counter, refunds and corrections, reminders (催告,
F-01), and the arrears notice for fellow owners (欠费公示, D-06).

Views parse, check the community scope and the permission (property/permissions.py), call a writer of
property/services/ledger.py or reminders.py and show its Chinese refusal; they change nothing themselves. Every
form works without JavaScript (POST, then redirect). Nothing here offers to cut water, power, heating or gas.
"""

from dataclasses import dataclass
from datetime import timedelta
from decimal import Decimal

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import NoReverseMatch, path, reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from home.models import CommunityPage, Ownership, Unit
from home.permissions import is_bureau_staff
from property import permissions
from property.domain import fees
from property.domain.fees import ZERO, months_between
from property.forms_desk import (
    BulkReminderForm,
    ChargeCorrectForm,
    ChargeRunForm,
    NoticeForm,
    PaymentForm,
    PaymentReverseForm,
    RefundForm,
    ReminderForm,
    ScheduleEndForm,
    ScheduleForm,
    UnitFindForm,
)
from property.models import Allocation, ArrearsNotice, Charge, ChargeRun, FeeSchedule, Fund, Payment
from property.selectors import (
    MonthCollection,
    arrears_by_building,
    arrears_by_unit,
    collection_by_month,
    consistency_problems,
    household_accounts,
)
from property.services import ledger
from property.services import reminders as reminder_svc
from property.views.common import add_errors, community_or_404, error_text, refuse

PER_PAGE = 50


# ---------------------------------------------------------------- helpers


def _unit(unit_id: int) -> tuple[Unit, CommunityPage]:
    unit = get_object_or_404(Unit.objects.select_related("entrance__building__community"), pk=unit_id)
    community = unit.entrance.building.community
    if not community.live:
        raise PermissionDenied
    return unit, community


def _url(name: str, *args) -> str | None:
    """The address of a page another part of the fees work builds, or None while it does not exist yet."""
    try:
        return reverse(name, args=args)
    except NoReverseMatch:
        return None


def _kept(user, community) -> list[str]:
    return permissions.funds_kept_by(user, community)


def _readable_funds(user, community) -> list[str]:
    """The accounts the desk shows: those the user keeps; every account for the housing bureau."""
    kept = _kept(user, community)
    if kept:
        return kept
    return list(Fund.values) if is_bureau_staff(user) else []


def _chosen_fund(request, funds) -> str:
    fund = request.GET.get("fund") or request.POST.get("fund")
    if fund in funds:
        return fund
    return Fund.PROPERTY_FEES if Fund.PROPERTY_FEES in funds else funds[0]


def _int(value) -> int | None:
    try:
        return int(value)
    except (TypeError, ValueError):
        return None


def _today():
    return timezone.localdate()


# ---------------------------------------------------------------- the desk


@dataclass
class BuildingRow:
    building_id: int
    building: str
    units: int
    units_owing: int
    overdue: Decimal
    rate: Decimal | None


@require_GET
def desk(request, community_id):
    community = community_or_404(community_id)
    if not permissions.can_read_fee_reports(request.user, community):
        return refuse(request, community)
    funds = _readable_funds(request.user, community)
    fund = _chosen_fund(request, funds)
    today = _today()
    first, last = reminder_svc.twelve_months(today)
    by_period = {month.period: month for month in collection_by_month(community, fund, first, last)}
    months = [by_period.get(period) or _empty_month(period) for period in months_between(first, last)]
    this_year = [month for month in months if month.period.year == today.year]
    year_charged = sum((m.charged for m in this_year), ZERO)
    year_collected = sum((m.collected for m in this_year), ZERO)

    unit_arrears = arrears_by_unit(community, fund, today)
    rates = {row.building_id: row.rate for row in reminder_svc.collection_by_building(community, fund, first, last)}
    buildings = [
        BuildingRow(b.building_id, b.building, b.units, b.units_owing, b.overdue, rates.get(b.building_id))
        for b in arrears_by_building(community, fund, today, unit_arrears)
    ]
    building_id = _int(request.GET.get("building"))
    if building_id not in {b.building_id for b in buildings}:
        building_id = None
    shown = [a for a in unit_arrears if building_id is None or a.building_id == building_id]
    page_obj = Paginator(shown, PER_PAGE).get_page(request.GET.get("page"))
    reminded = reminder_svc.last_reminders([a.unit_id for a in page_obj], fund)
    rows = [(arrear, reminded.get(arrear.unit_id)) for arrear in page_obj]

    context = {
        "community": community,
        "funds": [(value, Fund(value).label) for value in funds],
        "fund": fund,
        "fund_label": Fund(fund).label,
        "today": today,
        "months": months,
        "year": today.year,
        "year_charged": year_charged,
        "year_collected": year_collected,
        "year_rate": fees.collection_rate(year_collected, year_charged),
        "overdue_total": sum((a.overdue for a in unit_arrears), ZERO),
        "units_owing": len(unit_arrears),
        "buildings": buildings,
        "building_id": building_id,
        "rows": rows,
        "page_obj": page_obj,
        "problems": consistency_problems(community),
        "find_form": UnitFindForm(community=community, auto_id="find_%s"),
        "can_keep": bool(_kept(request.user, community)),
        "links": _desk_links(community, fund),
    }
    return render(request, "property/desk/desk.html", context)


def _empty_month(period):
    return MonthCollection(period, ZERO, ZERO)


def _desk_links(community, fund) -> dict:
    return {
        "export_arrears": _url("property:export_arrears", community.pk, fund),
        "export_collection": _url("property:export_collection", community.pk, fund),
        "export_ledger": _url("property:export_ledger", community.pk, fund),
        "export_charges": _url("property:export_charges", community.pk, fund),
        "funds": _url("property:funds", community.pk),
        "disclosures": _url("property:disclosures", community.pk),
    }


@require_GET
def unit_find(request, community_id):
    """The desk's search: building and room → the unit's account (several matches are listed)."""
    community = community_or_404(community_id)
    if not permissions.can_read_fee_reports(request.user, community):
        return refuse(request, community)
    form = UnitFindForm(request.GET, community=community)
    desk_url = reverse("property:desk", args=[community.pk])
    if not form.is_valid():
        messages.error(request, _("Choose a building and write the room number."))
        return redirect(desk_url)
    building, text = form.cleaned_data["building"], "".join(form.cleaned_data["room"].split())
    text = text.removesuffix("室").removeprefix(building.name)
    units = list(Unit.objects.filter(entrance__building=building).select_related("entrance__building"))
    matches = [u for u in units if text in (u.room, f"{u.entrance.name}{u.room}")]
    if len(matches) == 1:
        return redirect("property:unit_account", matches[0].pk)
    if not matches:
        messages.error(
            request, _("No unit %(room)s in %(building)s.") % {"room": text or "—", "building": building.name}
        )
        return redirect(desk_url)
    context = {"community": community, "building": building, "matches": matches}
    return render(request, "property/desk/unit_find.html", context)


# ---------------------------------------------------------------- fee schedules


def _schedules_context(request, community, form=None):
    kept = _kept(request.user, community)
    funds = _readable_funds(request.user, community)
    schedules = list(
        FeeSchedule.objects.filter(community=community, fund__in=funds).order_by("fund", "unit_kind", "-valid_from")
    )
    for schedule in schedules:
        schedule.can_end = schedule.fund in kept
    if form is None and kept:
        form = ScheduleForm(funds=kept, initial={"valid_from": fees.period_start(_today())})
    return {
        "community": community,
        "schedules": schedules,
        "form": form,
        "today": _today(),
        "can_keep": bool(kept),
    }


@require_http_methods(["GET", "POST"])
def schedules(request, community_id):
    community = community_or_404(community_id)
    if not permissions.can_read_fee_reports(request.user, community):
        return refuse(request, community)
    if request.method == "GET":
        return render(request, "property/desk/schedules.html", _schedules_context(request, community))
    kept = _kept(request.user, community)
    if not kept:
        return refuse(request, community)
    form = ScheduleForm(request.POST, funds=kept)
    if form.is_valid():
        try:
            ledger.schedule_create(actor=request.user, community=community, **form.cleaned_data)
        except PermissionDenied as error:
            return refuse(request, community, error_text(error))
        except ValidationError as error:
            add_errors(form, error)
        else:
            messages.success(request, _("The new rate is saved. Charge runs from its first month use it."))
            return redirect("property:schedules", community.pk)
    context = _schedules_context(request, community, form)
    return render(request, "property/desk/schedules.html", context, status=400)


@require_POST
def schedule_end(request, schedule_id):
    schedule = get_object_or_404(FeeSchedule.objects.select_related("community"), pk=schedule_id)
    community = schedule.community
    if not permissions.can_keep_fund(request.user, community, schedule.fund):
        return refuse(request, community)
    form = ScheduleEndForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Give the last day of this rate."))
        return redirect("property:schedules", community.pk)
    try:
        ledger.schedule_end(actor=request.user, schedule=schedule, valid_until=form.cleaned_data["valid_until"])
    except PermissionDenied as error:
        return refuse(request, community, error_text(error))
    except ValidationError as error:
        messages.error(request, error_text(error))
    else:
        messages.success(
            request, _("The rate ends on %(day)s.") % {"day": f"{form.cleaned_data['valid_until']:%Y-%m-%d}"}
        )
    return redirect("property:schedules", community.pk)


# ---------------------------------------------------------------- charge runs


@require_http_methods(["GET", "POST"])
def charge_run(request, community_id):
    community = community_or_404(community_id)
    kept = _kept(request.user, community)
    if not kept:
        return refuse(request, community)
    form = ChargeRunForm(request.POST or None, funds=kept, initial={"period": fees.period_start(_today())})
    if request.method == "POST" and form.is_valid():
        try:
            result = ledger.charges_run(
                actor=request.user,
                community=community,
                period=form.cleaned_data["period"],
                fund=form.cleaned_data["fund"],
            )
        except PermissionDenied as error:
            return refuse(request, community, error_text(error))
        except ValidationError as error:
            add_errors(form, error)
        else:
            run = result.run
            messages.success(
                request,
                _("%(month)s charged: %(count)s charges, %(total)s yuan in all.")
                % {"month": f"{run.period:%Y-%m}", "count": run.charges_created, "total": f"{run.total:.2f}"},
            )
            if result.skipped_no_area:
                messages.warning(
                    request,
                    _(
                        "Not charged, no area on record: %(units)s. Enter the area in the unit register, "
                        "then run the month again."
                    )
                    % {"units": "、".join(result.skipped_no_area)},
                )
            if result.skipped_no_schedule:
                messages.warning(
                    request,
                    _("%(count)s units of a kind without a rate were not charged.")
                    % {"count": result.skipped_no_schedule},
                )
            return redirect(f"{reverse('property:charge_run', args=[community.pk])}?run={run.pk}")
    runs = list(
        ChargeRun.objects.filter(community=community, fund__in=kept)
        .select_related("created_by")
        .order_by("-period", "-created_at")[:24]
    )
    context = {
        "community": community,
        "form": form,
        "runs": runs,
        "highlight": _int(request.GET.get("run")),
        "can_keep": True,
    }
    return render(request, "property/desk/charge_run.html", context, status=400 if form.is_bound else 200)


# ---------------------------------------------------------------- one unit's account


UNIT_FORMS = ("pay", "refund", "reverse", "correct", "remind")


def _unit_forms(unit, kept, bound=None) -> dict:
    """The desk's forms for one unit, each with its own prefix so the page's ids stay unique."""
    bound = bound or {}
    today = _today()
    payments = Payment.objects.filter(
        unit=unit, kind=Payment.Kind.PAYMENT, fund__in=kept, reversed_by__isnull=True
    ).order_by("-received_on", "-id")
    charges = (
        Charge.objects.filter(unit=unit, fund__in=kept)
        .exclude(allocations__kind=Allocation.Kind.REVERSAL)
        .order_by("-period", "-id")
    )
    return {
        "pay": bound.get("pay")
        or PaymentForm(
            prefix="pay",
            funds=kept,
            initial={"received_on": today, "idempotency_key": ledger.new_idempotency_key()},
        ),
        "refund": bound.get("refund")
        or RefundForm(prefix="refund", funds=kept, initial={"idempotency_key": ledger.new_idempotency_key()}),
        "reverse": bound.get("reverse") or PaymentReverseForm(prefix="reverse", payments=payments),
        "correct": bound.get("correct") or ChargeCorrectForm(prefix="correct", charges=charges),
        "remind": bound.get("remind")
        or ReminderForm(prefix="remind", funds=kept, initial={"deadline": today + _days(14)}),
    }


def _days(n):
    return timedelta(days=n)


def _unit_context(request, unit, community, bound=None) -> dict:
    today = _today()
    kept = _kept(request.user, community)
    funds = _readable_funds(request.user, community)
    accounts = [account for fund, account in household_accounts(unit).items() if fund in funds]
    paid_id = _int(request.GET.get("paid"))
    just_paid = None
    for account in accounts:
        account.label = Fund(account.fund).label
        account.overdue_now = account.overdue(today)
        for payment in account.payments:
            payment.receipt_url = _url("property:receipt", payment.pk)
            if payment.pk == paid_id:
                just_paid = payment
    owners = list(
        Ownership.objects.filter(unit=unit, ended_on__isnull=True)
        .select_related("person")
        .order_by("-is_designated_voter", "id")
    )
    return {
        "community": community,
        "unit": unit,
        "accounts": accounts,
        "owners": owners,
        "just_paid": just_paid,
        "reminders": list(reminder_svc.reminders_of(community).filter(unit=unit, fund__in=funds)[:10]),
        "forms": _unit_forms(unit, kept, bound) if kept else None,
        "household_url": _url("property:household", unit.pk),
        "desk_url": reverse("property:desk", args=[community.pk]),
        "today": today,
    }


@require_GET
def unit_account(request, unit_id):
    unit, community = _unit(unit_id)
    if not permissions.can_read_fee_reports(request.user, community):
        return refuse(request, community)
    return render(request, "property/desk/unit_account.html", _unit_context(request, unit, community))


def _unit_post(request, unit_id, key, make_form, act):
    """One counter action: parse the form, run the writer, tell the result; on a refusal, show the page again
    with the Chinese reason on the form and nothing changed."""
    unit, community = _unit(unit_id)
    kept = _kept(request.user, community)
    if not kept:
        return refuse(request, community)
    form = make_form(unit, kept)
    if form.is_valid():
        try:
            done, url = act(unit, community, form)
        except PermissionDenied as error:
            return refuse(request, community, error_text(error))
        except ValidationError as error:
            add_errors(form, error)
        else:
            messages.success(request, done)
            return redirect(url or reverse("property:unit_account", args=[unit.pk]))
    context = _unit_context(request, unit, community, bound={key: form})
    context["open_form"] = key
    return render(request, "property/desk/unit_account.html", context, status=400)


def _account_url(unit, **query) -> str:
    url = reverse("property:unit_account", args=[unit.pk])
    if query:
        url += "?" + "&".join(f"{k}={v}" for k, v in query.items())
    return url


@require_POST
def unit_pay(request, unit_id):
    def make(unit, kept):
        form = PaymentForm(request.POST, prefix="pay", funds=kept)
        if request.POST.get("pay-confirm_overpayment") == "on":
            form.offer_confirmation()  # asked once already: keep the box on the page
        return form

    def act(unit, community, form):
        data = form.cleaned_data
        try:
            payment = ledger.payment_record(
                actor=request.user,
                community=community,
                unit=unit,
                amount=data["amount"],
                method=data["method"],
                idempotency_key=data["idempotency_key"],
                fund=data["fund"],
                received_on=data["received_on"],
                payer_name=data["payer_name"],
                confirm_overpayment=data["confirm_overpayment"],
            )
        except ValidationError:
            # Refused as an overpayment: offer the "confirm prepayment" box (same form key, nothing recorded).
            if data["amount"] > 0 and fees.needs_overpayment_confirmation(
                amount=data["amount"],
                due=ledger.amount_owed(unit, data["fund"]),
                tolerance=ledger.overpayment_tolerance(),
            ):
                form.offer_confirmation()
            raise
        done = _("Received %(amount)s yuan, receipt %(receipt)s.") % {
            "amount": f"{payment.amount:.2f}",
            "receipt": payment.receipt_no,
        }
        return done, _account_url(unit, paid=payment.pk)

    return _unit_post(request, unit_id, "pay", make, act)


@require_POST
def unit_refund(request, unit_id):
    def act(unit, community, form):
        data = form.cleaned_data
        refund = ledger.refund_record(
            actor=request.user,
            unit=unit,
            amount=data["amount"],
            method=data["method"],
            reason=data["reason"],
            idempotency_key=data["idempotency_key"],
            fund=data["fund"],
        )
        return _("Refunded %(amount)s yuan, voucher %(receipt)s.") % {
            "amount": f"{refund.amount:.2f}",
            "receipt": refund.receipt_no,
        }, None

    return _unit_post(
        request, unit_id, "refund", lambda unit, kept: RefundForm(request.POST, prefix="refund", funds=kept), act
    )


@require_POST
def unit_reverse_payment(request, unit_id):
    def make(unit, kept):
        payments = Payment.objects.filter(unit=unit, kind=Payment.Kind.PAYMENT, fund__in=kept)
        return PaymentReverseForm(request.POST, prefix="reverse", payments=payments)

    def act(unit, community, form):
        data = form.cleaned_data
        reversal = ledger.payment_reverse(actor=request.user, payment=data["payment"], reason=data["reason"])
        return _("Payment %(receipt)s reversed, voucher %(voucher)s.") % {
            "receipt": data["payment"].receipt_no,
            "voucher": reversal.receipt_no,
        }, None

    return _unit_post(request, unit_id, "reverse", make, act)


@require_POST
def unit_correct_charge(request, unit_id):
    def make(unit, kept):
        charges = Charge.objects.filter(unit=unit, fund__in=kept)
        return ChargeCorrectForm(request.POST, prefix="correct", charges=charges)

    def act(unit, community, form):
        data = form.cleaned_data
        charge, amount = data["charge"], data["new_amount"]
        if amount is None:
            ledger.charge_reverse(actor=request.user, charge=charge, reason=data["reason"])
            return _("The charge for %(month)s is cancelled.") % {"month": f"{charge.period:%Y-%m}"}, None
        ledger.charge_correct(actor=request.user, charge=charge, amount=amount, reason=data["reason"])
        return _("The charge for %(month)s is corrected to %(amount)s yuan.") % {
            "month": f"{charge.period:%Y-%m}",
            "amount": f"{amount:.2f}",
        }, None

    return _unit_post(request, unit_id, "correct", make, act)


@require_POST
def unit_remind(request, unit_id):
    def act(unit, community, form):
        data = form.cleaned_data
        reminder = reminder_svc.reminder_send(
            actor=request.user, unit=unit, fund=data["fund"], deadline=data["deadline"], note=data["note"]
        )
        return _("Reminder sent: %(amount)s yuan overdue, to be paid by %(day)s.") % {
            "amount": f"{reminder.amount_due:.2f}",
            "day": f"{reminder.deadline:%Y-%m-%d}",
        }, None

    return _unit_post(
        request, unit_id, "remind", lambda unit, kept: ReminderForm(request.POST, prefix="remind", funds=kept), act
    )


# ---------------------------------------------------------------- reminders


def _reminders_context(request, community, form=None):
    funds = _readable_funds(request.user, community)
    kept = _kept(request.user, community)
    fund = _chosen_fund(request, funds)
    page_obj = Paginator(reminder_svc.reminders_of(community, fund), PER_PAGE).get_page(request.GET.get("page"))
    if form is None and kept:
        form = BulkReminderForm(funds=kept, initial={"deadline": _today() + _days(14)})
    return {
        "community": community,
        "funds": [(value, Fund(value).label) for value in funds],
        "fund": fund,
        "page_obj": page_obj,
        "reminders": list(page_obj),
        "form": form,
        "today": _today(),
        "can_keep": bool(kept),
    }


@require_GET
def reminders(request, community_id):
    community = community_or_404(community_id)
    if not permissions.can_read_fee_reports(request.user, community):
        return refuse(request, community)
    return render(request, "property/desk/reminders.html", _reminders_context(request, community))


@require_POST
def reminders_send(request, community_id):
    community = community_or_404(community_id)
    kept = _kept(request.user, community)
    if not kept:
        return refuse(request, community)
    form = BulkReminderForm(request.POST, funds=kept)
    if form.is_valid():
        try:
            result = reminder_svc.reminders_send_overdue(actor=request.user, community=community, **form.cleaned_data)
        except PermissionDenied as error:
            return refuse(request, community, error_text(error))
        except ValidationError as error:
            add_errors(form, error)
        else:
            messages.success(request, _("%(count)s reminders sent.") % {"count": len(result.sent)})
            if result.still_running:
                messages.info(
                    request,
                    _("%(count)s households were left out: their last reminder's deadline has not passed yet.")
                    % {"count": result.still_running},
                )
            if result.without_account:
                messages.warning(
                    request,
                    _("No one of these households uses the portal, deliver the reminder on paper: %(units)s")
                    % {"units": "、".join(result.without_account)},
                )
            return redirect(f"{reverse('property:reminders', args=[community.pk])}?fund={form.cleaned_data['fund']}")
    context = _reminders_context(request, community, form)
    return render(request, "property/desk/reminders.html", context, status=400)


# ---------------------------------------------------------------- the arrears notice (D-06)


def _notice_context(request, community, form=None):
    today = _today()
    kept = _kept(request.user, community)
    first, last = reminder_svc.twelve_months(today)
    notices = [
        (notice, reminder_svc.notice_rows(notice, today))
        for notice in reminder_svc.showing_notices(community, today).select_related("community")
    ]
    for notice, _rows in notices:
        notice.fund_label = Fund(notice.fund).label
        notice.can_withdraw = notice.fund in kept
    if form is None and kept:
        form = NoticeForm(funds=kept)
    return {
        "community": community,
        "notices": notices,
        "buildings": reminder_svc.collection_by_building(community, Fund.PROPERTY_FEES, first, last),
        "first": first,
        "last": last,
        "form": form,
        "history": list(ArrearsNotice.objects.filter(community=community).order_by("-published_at")[:10])
        if kept
        else [],
        "max_days": reminder_svc.max_notice_days(),
        "today": today,
    }


@require_GET
def arrears_notice(request, community_id):
    community = community_or_404(community_id)
    if not permissions.can_read_arrears_notice(request.user, community):
        return refuse(request, community, _("The arrears notice is for the signed-in owners of this community only."))
    return render(request, "property/desk/arrears_notice.html", _notice_context(request, community))


@require_POST
def arrears_notice_publish(request, community_id):
    community = community_or_404(community_id)
    kept = _kept(request.user, community)
    if not kept:
        return refuse(request, community)
    form = NoticeForm(request.POST, funds=kept)
    if form.is_valid():
        try:
            notice = reminder_svc.arrears_notice_publish(actor=request.user, community=community, **form.cleaned_data)
        except PermissionDenied as error:
            return refuse(request, community, error_text(error))
        except ValidationError as error:
            add_errors(form, error)
        else:
            messages.success(
                request,
                _("The arrears notice is posted for the owners until %(day)s.")
                % {"day": f"{notice.expires_on:%Y-%m-%d}"},
            )
            return redirect("property:arrears_notice", community.pk)
    return render(request, "property/desk/arrears_notice.html", _notice_context(request, community, form), status=400)


@require_POST
def arrears_notice_withdraw(request, notice_id):
    notice = get_object_or_404(ArrearsNotice.objects.select_related("community"), pk=notice_id)
    community = notice.community
    if not permissions.can_keep_fund(request.user, community, notice.fund):
        return refuse(request, community)
    try:
        reminder_svc.arrears_notice_withdraw(actor=request.user, notice=notice)
    except PermissionDenied as error:
        return refuse(request, community, error_text(error))
    except ValidationError as error:
        messages.error(request, error_text(error))
    else:
        messages.success(request, _("The arrears notice is withdrawn; the owners no longer see it."))
    return redirect("property:arrears_notice", community.pk)


urlpatterns = [
    path("fees/<int:community_id>/", desk, name="desk"),
    path("fees/<int:community_id>/find/", unit_find, name="desk_unit_find"),
    path("fees/<int:community_id>/schedules/", schedules, name="schedules"),
    path("fees/schedules/<int:schedule_id>/end/", schedule_end, name="schedule_end"),
    path("fees/<int:community_id>/charges/run/", charge_run, name="charge_run"),
    path("fees/units/<int:unit_id>/", unit_account, name="unit_account"),
    path("fees/units/<int:unit_id>/pay/", unit_pay, name="desk_unit_pay"),
    path("fees/units/<int:unit_id>/refund/", unit_refund, name="desk_unit_refund"),
    path("fees/units/<int:unit_id>/reverse-payment/", unit_reverse_payment, name="desk_unit_reverse_payment"),
    path("fees/units/<int:unit_id>/correct-charge/", unit_correct_charge, name="desk_unit_correct_charge"),
    path("fees/units/<int:unit_id>/remind/", unit_remind, name="desk_unit_remind"),
    path("fees/<int:community_id>/reminders/", reminders, name="reminders"),
    path("fees/<int:community_id>/reminders/send/", reminders_send, name="reminders_send"),
    path("fees/<int:community_id>/arrears-notice/", arrears_notice, name="arrears_notice"),
    path("fees/<int:community_id>/arrears-notice/publish/", arrears_notice_publish, name="arrears_notice_publish"),
    path("fees/arrears-notices/<int:notice_id>/withdraw/", arrears_notice_withdraw, name="arrears_notice_withdraw"),
]
