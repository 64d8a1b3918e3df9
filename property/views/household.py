"""What a household sees of its fees (issue 6): its statement per account, its numbered receipts, and paying
online through the configured payment provider.

Views parse, check the community scope and the permission (property.permissions), call a writer of
property.services.online and show its Chinese refusal; they change nothing themselves. The statement never shows
who else paid or anyone's phone: only amounts, months, receipts and how each charge was computed.
"""

from collections import defaultdict
from dataclasses import dataclass
from decimal import Decimal

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Sum
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import path, reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from home.models import CommunityPage, Unit
from property import permissions
from property.domain.fees import ZERO, amount_in_words, money
from property.forms_household import OnlinePaymentForm
from property.models import Allocation, Charge, FeeSchedule, Fund, OnlinePayment, Payment
from property.selectors import household_accounts, signed_payment, unit_overdue
from property.services import ledger
from property.services import online as svc
from property.views.common import add_errors, error_text, refuse

FORBIDDEN_TEMPLATE = "property/household/forbidden.html"


def _refuse(request, community=None, message=""):
    return refuse(request, community, message, template=FORBIDDEN_TEMPLATE)


UNIT_RELATED = "entrance__building__community"


# ---------------------------------------------------------------- helpers


def _unit(unit_id: int) -> Unit:
    return get_object_or_404(Unit.objects.select_related(UNIT_RELATED), pk=unit_id)


def _fund(value) -> str:
    return value if value in Fund.values else Fund.PROPERTY_FEES


# ---------------------------------------------------------------- my fees


@dataclass
class UnitBalance:
    unit: Unit
    balances: list  # [(fund label, balance)]
    overdue: Decimal

    @property
    def total(self) -> Decimal:
        return sum((balance for _label, balance in self.balances), ZERO)


def _balances(unit_ids) -> dict[int, dict[str, Decimal]]:
    """{unit id: {fund: balance}}: charges − cancellations − net payments, in three aggregate queries."""
    result: dict[int, dict[str, Decimal]] = defaultdict(lambda: defaultdict(lambda: ZERO))
    for row in Charge.objects.filter(unit_id__in=unit_ids).values("unit_id", "fund").annotate(total=Sum("amount")):
        result[row["unit_id"]][row["fund"]] += money(row["total"])
    for row in (
        Allocation.objects.filter(unit_id__in=unit_ids, kind=Allocation.Kind.REVERSAL)
        .values("unit_id", "fund")
        .annotate(total=Sum("amount"))
    ):
        result[row["unit_id"]][row["fund"]] -= money(row["total"])
    for row in (
        Payment.objects.filter(unit_id__in=unit_ids).values("unit_id", "fund").annotate(total=Sum(signed_payment()))
    ):
        result[row["unit_id"]][row["fund"]] -= money(row["total"])
    return result


@require_GET
def my_fees(request, community_id):
    """我的缴费: the signed-in user's households in the community; one household goes straight to its statement."""
    community = get_object_or_404(CommunityPage.objects.live(), pk=community_id)
    if not request.user.is_authenticated:
        return _refuse(request)
    unit_ids = permissions.household_unit_ids(request.user, community)
    if not unit_ids:
        return _refuse(
            request, community, _("Your account has no household registered in this community, so it has no fees.")
        )
    if len(unit_ids) == 1:
        return redirect("property:household", unit_id=next(iter(unit_ids)))
    units = list(Unit.objects.filter(pk__in=unit_ids).select_related("entrance__building"))
    units.sort(key=lambda u: (u.entrance.building.sort_order, u.entrance.sort_order, u.room))
    balances = _balances(unit_ids)
    overdue = unit_overdue(unit_ids, Fund.PROPERTY_FEES, timezone.localdate())
    labels = dict(Fund.choices)
    rows = [
        UnitBalance(
            unit=unit,
            balances=[(labels[fund], amount) for fund, amount in sorted(balances[unit.pk].items()) if amount],
            overdue=overdue.get(unit.pk, ZERO),
        )
        for unit in units
    ]
    return render(request, "property/household/my_fees.html", {"community": community, "rows": rows})


# ---------------------------------------------------------------- the statement


@dataclass
class StatementLine:
    """One charge as the household sees it."""

    charge: Charge
    open: Decimal
    paid: Decimal
    state: str  # paid | part | open | overdue | cancelled
    computed: str
    corrected_by: list


def _computed(charge: Charge) -> str:
    if charge.area is not None and charge.rate is not None:
        return _("%(area)s m² × %(rate)s yuan/m²/month") % {"area": charge.area, "rate": charge.rate}
    if charge.kind == Charge.Kind.PERIODIC and charge.rate is not None:
        return _("fixed %(rate)s yuan a month") % {"rate": money(charge.rate)}
    return charge.description or charge.get_kind_display()


def _state(line, today) -> str:
    if line.cancelled > 0 and line.cancelled >= line.charge.amount:
        return "cancelled"
    if line.open <= 0:
        return "paid"
    if line.charge.due_on < today:
        return "overdue"
    if line.paid > 0:
        return "part"
    return "open"


@dataclass
class StatementAccount:
    fund: str
    label: str
    balance: Decimal
    overdue: Decimal
    lines: list
    payments: list
    reversed_ids: set

    @property
    def owed(self) -> Decimal:
        return self.balance if self.balance > 0 else ZERO

    @property
    def credit(self) -> Decimal:
        return -self.balance if self.balance < 0 else ZERO


def _statement(unit: Unit, today) -> list[StatementAccount]:
    labels = dict(Fund.choices)
    accounts = []
    for fund, account in sorted(household_accounts(unit).items(), key=lambda item: Fund.values.index(item[0])):
        corrections = defaultdict(list)
        for line in account.lines:
            if line.charge.corrects_id:
                corrections[line.charge.corrects_id].append(line.charge)
        lines = [
            StatementLine(
                charge=line.charge,
                open=line.open,
                paid=line.paid,
                state=_state(line, today),
                computed=_computed(line.charge),
                corrected_by=corrections.get(line.charge.pk, []),
            )
            for line in account.lines
        ]
        lines.reverse()  # the latest month first
        receipts = {payment.pk: payment.receipt_no for payment in account.payments}
        for payment in account.payments:
            payment.reverses_receipt = receipts.get(payment.reverses_id, "")
        accounts.append(
            StatementAccount(
                fund=fund,
                label=labels[fund],
                balance=account.balance,
                overdue=account.overdue(today),
                lines=lines,
                payments=account.payments,
                reversed_ids={p.reverses_id for p in account.payments if p.reverses_id},
            )
        )
    return accounts


@require_GET
def household(request, unit_id):
    unit = _unit(unit_id)
    community = unit.entrance.building.community
    # can_read_household, asked in two parts: the page also shows whether the reader is of the household.
    is_household = unit.pk in permissions.household_unit_ids(request.user)
    if not is_household and not permissions.can_read_fee_reports(request.user, community):
        return _refuse(request, community)
    today = timezone.localdate()
    schedules = list(
        FeeSchedule.objects.filter(community=community, unit_kind=unit.kind).order_by("fund", "-valid_from")
    )
    for schedule in schedules:
        schedule.current = schedule.valid_from <= today and (
            schedule.valid_until is None or schedule.valid_until >= today
        )
    context = {
        "community": community,
        "unit": unit,
        "accounts": _statement(unit, today),
        "schedules": schedules,
        "today": today,
        "is_household": is_household,
    }
    return render(request, "property/household/household.html", context)


# ---------------------------------------------------------------- receipts


@dataclass
class Settled:
    charge: Charge
    amount: Decimal


@require_GET
def receipt(request, payment_id):
    payment = get_object_or_404(
        Payment.objects.select_related("community", f"unit__{UNIT_RELATED}", "recorded_by", "reverses"),
        pk=payment_id,
    )
    unit = payment.unit
    if not permissions.can_read_household(request.user, unit):
        return _refuse(request, unit.entrance.building.community)
    settled: dict[int, Settled] = {}
    for allocation in payment.allocations.select_related("charge").order_by("period", "charge_id"):
        entry = settled.setdefault(allocation.charge_id, Settled(allocation.charge, ZERO))
        entry.amount += allocation.amount
    settled_lines = [entry for entry in settled.values() if entry.amount]
    applied = sum((entry.amount for entry in settled_lines), ZERO)
    reversal = Payment.objects.filter(reverses=payment).only("pk", "receipt_no", "received_on").first()
    context = {
        "community": payment.community,
        "payment": payment,
        "unit": unit,
        "in_words": amount_in_words(payment.amount),
        "settled": settled_lines,
        "prepaid": payment.amount - applied if payment.kind == Payment.Kind.PAYMENT and not reversal else ZERO,
        "reversed_by": reversal,
    }
    return render(request, "property/household/receipt.html", context)


# ---------------------------------------------------------------- paying online


@require_http_methods(["GET", "POST"])
def pay_online(request, unit_id):
    unit = _unit(unit_id)
    community = unit.entrance.building.community
    if not permissions.can_read_household(request.user, unit):
        return _refuse(request, community)
    fund = _fund(request.POST.get("fund") if request.method == "POST" else request.GET.get("fund"))
    owed = ledger.amount_owed(unit, fund)
    status = 200
    if request.method == "POST":
        form = OnlinePaymentForm(request.POST)
        if form.is_valid():
            try:
                started = svc.online_payment_start(
                    user=request.user, unit=unit, amount=form.cleaned_data["amount"], fund=form.cleaned_data["fund"]
                )
            except PermissionDenied as error:
                return _refuse(request, community, error_text(error))
            except ValidationError as error:
                add_errors(form, error)
            else:
                return_url = request.build_absolute_uri(reverse("property:online_result", args=[started.reference]))
                return redirect(svc.redirect_url(started, return_url))
        status = 400
    else:
        form = OnlinePaymentForm(initial={"amount": owed if owed > 0 else None, "fund": fund})
    context = {
        "community": community,
        "unit": unit,
        "form": form,
        "owed": owed,
        "fund_label": dict(Fund.choices)[fund],
        "provider_label": svc.provider().label,
    }
    return render(request, "property/household/pay_online.html", context, status=status)


def _own_online_payment(request, reference):
    """The online payment, or a refusal: only the user who started it sees it."""
    online = get_object_or_404(
        OnlinePayment.objects.select_related("community", f"unit__{UNIT_RELATED}", "payment"), reference=reference
    )
    if not request.user.is_authenticated:
        return online, _refuse(request)
    if online.user_id != request.user.pk:
        return online, _refuse(request, online.community, _("Only the person who started this payment can see it."))
    return online, None


@require_http_methods(["GET", "POST"])
def fake_provider(request, reference):
    """模拟支付: the stand-in provider's page, only while FakeProvider is the configured provider."""
    if not svc.uses_fake_provider():
        raise Http404
    online, refusal = _own_online_payment(request, reference)
    if refusal:
        return refusal
    if online.status != OnlinePayment.Status.PENDING:
        return redirect("property:online_result", reference=online.reference)
    if request.method == "POST":
        data = {"reference": online.reference, "outcome": request.POST.get("outcome")}
        try:
            svc.online_payment_confirm(data, user=request.user)
        except PermissionDenied as error:
            return _refuse(request, online.community, error_text(error))
        except ValidationError as error:
            messages.error(request, error_text(error))
            return redirect("property:fake_provider", reference=online.reference)
        return redirect("property:online_result", reference=online.reference)
    return render(request, "property/household/fake_provider.html", {"community": online.community, "online": online})


@require_GET
def online_result(request, reference):
    online, refusal = _own_online_payment(request, reference)
    if refusal:
        return refusal
    context = {"community": online.community, "online": online, "unit": online.unit}
    return render(request, "property/household/online_result.html", context)


urlpatterns = [
    path("fees/<int:community_id>/my/", my_fees, name="my_fees"),
    path("fees/households/<int:unit_id>/", household, name="household"),
    path("fees/households/<int:unit_id>/pay/", pay_online, name="pay_online"),
    path("fees/receipts/<int:payment_id>/", receipt, name="receipt"),
    path("fees/pay/fake/<str:reference>/", fake_provider, name="fake_provider"),
    path("fees/pay/result/<str:reference>/", online_result, name="online_result"),
]
