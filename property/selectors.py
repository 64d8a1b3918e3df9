"""Reads of the ledger that pages, exports and writers share. Every figure is derived from the append-only rows
and aggregated in the database; the number of queries does not grow with the number of units or months."""

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

from django.db.models import (
    Case,
    Count,
    DecimalField,
    ExpressionWrapper,
    F,
    Max,
    Min,
    OuterRef,
    Q,
    Subquery,
    Sum,
    Value,
    When,
)
from django.db.models.functions import Coalesce

from home.models import Building, Unit
from property.domain.fees import ZERO, collection_rate, money

from .models import Allocation, Book, Charge, LedgerEntry, Payment

MONEY = DecimalField(max_digits=16, decimal_places=2)
# SQLite sums decimals as floats: comparisons of sums allow half a fen, and every sum is rounded to the fen.
HALF_FEN = Decimal("0.005")


def _sum(expression="amount", **filters):
    if filters:
        return Coalesce(Sum(expression, filter=Q(**filters)), Value(ZERO), output_field=MONEY)
    return Coalesce(Sum(expression), Value(ZERO), output_field=MONEY)


def signed_payment():
    """A payment counts in, a refund or a reversal of a payment counts out."""
    return Case(When(kind=Payment.Kind.PAYMENT, then=F("amount")), default=-F("amount"), output_field=MONEY)


def units_of(community):
    return Unit.objects.filter(entrance__building__community=community)


# ------------------------------------------------------------------ one household


@dataclass
class ChargeLine:
    charge: Charge
    settled: Decimal
    paid: Decimal
    cancelled: Decimal

    @property
    def open(self) -> Decimal:
        return self.charge.amount - self.settled


@dataclass
class HouseholdAccount:
    """One unit's position in one account: its charges with what is paid, its payments, and the balance."""

    fund: str
    lines: list[ChargeLine] = field(default_factory=list)
    payments: list[Payment] = field(default_factory=list)
    credit: Decimal = ZERO

    @property
    def owed(self) -> Decimal:
        return sum((line.open for line in self.lines), ZERO)

    @property
    def balance(self) -> Decimal:
        """Positive: the household owes this much; negative: it has paid this much in advance."""
        return self.owed - self.credit

    def overdue(self, today: date) -> Decimal:
        return sum((line.open for line in self.lines if line.charge.due_on < today), ZERO)


def settled_by_charge(charge_ids) -> dict[int, dict[str, Decimal]]:
    """{charge id: {"payment": paid, "reversal": cancelled}} for the given charges, in one query."""
    result: dict[int, dict[str, Decimal]] = defaultdict(lambda: {"payment": ZERO, "reversal": ZERO})
    rows = Allocation.objects.filter(charge_id__in=charge_ids).values("charge_id", "kind").annotate(total=Sum("amount"))
    for row in rows:
        result[row["charge_id"]][row["kind"]] = money(row["total"])
    return result


def free_credit(unit_id: int, fund: str) -> Decimal:
    """Money paid and not yet applied to a charge (a prepayment or an overpayment)."""
    paid = Payment.objects.filter(unit_id=unit_id, fund=fund).aggregate(total=_sum(signed_payment()))["total"]
    applied = Allocation.objects.filter(unit_id=unit_id, fund=fund, kind=Allocation.Kind.PAYMENT).aggregate(
        total=_sum()
    )["total"]
    return money(paid - applied)


def free_credits(community, unit_ids, fund: str) -> dict[int, Decimal]:
    """``free_credit`` of many units of one community in two queries (units that never paid are left out)."""
    paid = dict(
        Payment.objects.filter(community=community, unit_id__in=list(unit_ids), fund=fund)
        .values("unit_id")
        .annotate(total=_sum(signed_payment()))
        .values_list("unit_id", "total")
    )
    applied = dict(
        Allocation.objects.filter(community=community, unit_id__in=list(paid), fund=fund, kind=Allocation.Kind.PAYMENT)
        .values("unit_id")
        .annotate(total=_sum())
        .values_list("unit_id", "total")
    )
    return {unit_id: money(total - (applied.get(unit_id) or ZERO)) for unit_id, total in paid.items()}


def household_accounts(unit: Unit, funds=None) -> dict[str, HouseholdAccount]:
    """Every account the unit has charges or payments in, oldest charge first; four queries in all."""
    charges = list(
        Charge.objects.filter(unit=unit, **({"fund__in": funds} if funds else {}))
        .select_related("schedule", "corrects")
        .order_by("period", "id")
    )
    settled = settled_by_charge([c.pk for c in charges])
    payments = list(
        Payment.objects.filter(unit=unit, **({"fund__in": funds} if funds else {})).order_by("-received_on", "-id")
    )
    applied = dict(
        Allocation.objects.filter(unit=unit, kind=Allocation.Kind.PAYMENT)
        .values("fund")
        .annotate(total=Sum("amount"))
        .values_list("fund", "total")
    )
    applied = {fund: money(total) for fund, total in applied.items()}
    accounts: dict[str, HouseholdAccount] = {}
    for charge in charges:
        parts = settled[charge.pk]
        account = accounts.setdefault(charge.fund, HouseholdAccount(charge.fund))
        account.lines.append(
            ChargeLine(charge, parts["payment"] + parts["reversal"], parts["payment"], parts["reversal"])
        )
    paid_in: dict[str, Decimal] = defaultdict(lambda: ZERO)
    for payment in payments:
        accounts.setdefault(payment.fund, HouseholdAccount(payment.fund)).payments.append(payment)
        paid_in[payment.fund] += payment.signed_amount
    for fund, account in accounts.items():
        account.credit = paid_in[fund] - (applied.get(fund) or ZERO)
    return accounts


# ------------------------------------------------------------------ arrears


@dataclass
class UnitArrears:
    unit_id: int
    label: str
    building_id: int
    building: str
    overdue: Decimal
    open_months: int
    oldest_period: date | None


def settled_subquery():
    """What has been settled of the outer charge (paid or cancelled), as a correlated subquery."""
    return Coalesce(
        Subquery(
            Allocation.objects.filter(charge=OuterRef("pk"))
            .values("charge")
            .annotate(total=Sum("amount"))
            .values("total")[:1],
            output_field=MONEY,
        ),
        Value(ZERO),
        output_field=MONEY,
    )


def applied_subquery():
    """What has been applied of the outer payment to charges, as a correlated subquery."""
    return Coalesce(
        Subquery(
            Allocation.objects.filter(payment=OuterRef("pk"))
            .values("payment")
            .annotate(total=Sum("amount"))
            .values("total")[:1],
            output_field=MONEY,
        ),
        Value(ZERO),
        output_field=MONEY,
    )


def open_overdue_charges(today: date, fund: str, **scope):
    """Charges due before ``today`` and not fully settled, with their ``open`` amount annotated."""
    return (
        Charge.objects.filter(fund=fund, due_on__lt=today, **scope)
        .annotate(settled=settled_subquery())
        .annotate(open=ExpressionWrapper(F("amount") - F("settled"), output_field=MONEY))
        .filter(open__gt=HALF_FEN)
    )


def arrears_by_unit(community, fund: str, today: date) -> list[UnitArrears]:
    """Units with overdue charges (due before today and not settled), largest first: two queries."""
    owing = {
        row["unit_id"]: row
        for row in open_overdue_charges(today, fund, community=community)
        .values("unit_id")
        .annotate(overdue=Sum("open"), months=Count("id"), oldest=Min("period"))
    }
    units = Unit.objects.filter(pk__in=owing).select_related("entrance__building")
    result = [
        UnitArrears(
            unit_id=unit.pk,
            label=unit.label,
            building_id=unit.entrance.building_id,
            building=unit.entrance.building.name,
            overdue=money(owing[unit.pk]["overdue"]),
            open_months=owing[unit.pk]["months"],
            oldest_period=owing[unit.pk]["oldest"],
        )
        for unit in units
    ]
    result.sort(key=lambda a: (-a.overdue, a.label))
    return result


@dataclass
class BuildingArrears:
    building_id: int
    building: str
    units: int
    units_owing: int
    overdue: Decimal


def arrears_by_building(community, fund: str, today: date, unit_arrears: list[UnitArrears] | None = None):
    """Per building: units, units owing, amount overdue (D-06 item 6: aggregate figures are always allowed)."""
    unit_arrears = arrears_by_unit(community, fund, today) if unit_arrears is None else unit_arrears
    buildings = Building.objects.filter(community=community).annotate(
        unit_count=Count("entrances__units", distinct=True)
    )
    owing: dict[int, list[UnitArrears]] = defaultdict(list)
    for arrear in unit_arrears:
        owing[arrear.building_id].append(arrear)
    return [
        BuildingArrears(
            building.pk,
            building.name,
            building.unit_count,
            len(owing[building.pk]),
            sum((a.overdue for a in owing[building.pk]), ZERO),
        )
        for building in buildings
    ]


# ------------------------------------------------------------------ collection rate


@dataclass
class MonthCollection:
    period: date
    charged: Decimal
    collected: Decimal

    @property
    def rate(self) -> Decimal | None:
        return collection_rate(self.collected, self.charged)


def _collection_grouped(fund: str, first: date, last: date, key: str, scope: dict) -> dict:
    """{key value: MonthCollection} of the periods ``first``…``last``, grouped by ``key`` (the period or the
    community): charged net of reversals and paid toward it. Two aggregate queries over the period indexes."""
    charged = dict(
        Charge.objects.filter(fund=fund, period__gte=first, period__lte=last, **scope)
        .values(key)
        .annotate(total=Sum("amount"))
        .values_list(key, "total")
    )
    allocated = defaultdict(lambda: {"payment": ZERO, "reversal": ZERO})
    for row in (
        Allocation.objects.filter(fund=fund, period__gte=first, period__lte=last, **scope)
        .values(key, "kind")
        .annotate(total=Sum("amount"))
    ):
        allocated[row[key]][row["kind"]] = money(row["total"])
    return {
        value: MonthCollection(
            value if key == "period" else last,
            money(charged.get(value) or ZERO) - allocated[value]["reversal"],
            allocated[value]["payment"],
        )
        for value in set(charged) | set(allocated)
    }


def collection_by_month(community, fund: str, first: date, last: date) -> list[MonthCollection]:
    """Per billing period: what was charged (net of reversals) and what has been paid toward it.

    ``community=None`` gives the whole city. Two aggregate queries over the period indexes.
    """
    scope = {} if community is None else {"community": community}
    by_period = _collection_grouped(fund, first, last, "period", scope)
    return [by_period[period] for period in sorted(by_period)]


def collection_by_community(fund: str, first: date, last: date, communities=None) -> dict[int, MonthCollection]:
    """City-wide: one total per community over the periods (the bureau's comparison), two queries."""
    scope = {} if communities is None else {"community__in": communities}
    return _collection_grouped(fund, first, last, "community_id", scope)


# ------------------------------------------------------------------ accounts and consistency


def book_balance_expression(book: str):
    return _sum(
        Case(
            When(debit=book, then=F("amount")),
            When(credit=book, then=-F("amount")),
            default=Value(ZERO),
            output_field=MONEY,
        )
    )


@dataclass
class FundStatement:
    """Cash in and out of one account over a period, by category (what a disclosure shows)."""

    fund: str
    start: date
    end: date
    opening: Decimal
    income: list[tuple[str, Decimal]]
    expense: list[tuple[str, Decimal]]
    closing: Decimal

    @property
    def total_income(self) -> Decimal:
        return sum((amount for _c, amount in self.income), ZERO)

    @property
    def total_expense(self) -> Decimal:
        return sum((amount for _c, amount in self.expense), ZERO)


def fund_statement(community, fund: str, start: date, end: date) -> FundStatement:
    """Opening and closing cash of the account and its cash movements between, by category; three queries.

    A movement's category is its own ``category`` or, failing that, its kind (payments, refunds, donations).
    Reversing entries count against the category of what they reverse.
    """
    cash = Q(debit=Book.CASH) | Q(credit=Book.CASH)
    entries = LedgerEntry.objects.filter(cash, community=community, fund=fund)
    opening = entries.filter(booked_on__lt=start).aggregate(total=book_balance_expression(Book.CASH))["total"]
    rows = (
        entries.filter(booked_on__gte=start, booked_on__lte=end)
        .annotate(
            label=Case(
                When(reverses__isnull=False, then=F("reverses__category")),
                default=F("category"),
            ),
            origin=Case(When(reverses__isnull=False, then=F("reverses__kind")), default=F("kind")),
            inflow=Case(
                When(reverses__isnull=False, reverses__debit=Book.CASH, then=Value(True)),
                When(reverses__isnull=True, debit=Book.CASH, then=Value(True)),
                default=Value(False),
            ),
        )
        .values("label", "origin", "inflow")
        .annotate(total=book_balance_expression(Book.CASH))
    )
    kinds = dict(LedgerEntry.Kind.choices)
    income: dict[str, Decimal] = defaultdict(lambda: ZERO)
    expense: dict[str, Decimal] = defaultdict(lambda: ZERO)
    for row in rows:
        label = row["label"] or str(kinds.get(row["origin"], row["origin"]))
        if row["inflow"]:
            income[label] += money(row["total"])
        else:
            expense[label] -= money(row["total"])
    opening = money(opening or ZERO)
    closing = opening + sum(income.values(), ZERO) - sum(expense.values(), ZERO)
    return FundStatement(fund, start, end, opening, sorted(income.items()), sorted(expense.items()), closing)


def consistency_problems(community) -> list[str]:
    """Prove the totals match: the ledger against the documents behind it, per unit and per account.

    1. Every charge, payment and money donation has its journal entry, of the same amount.
    2. The receivable of every unit and account in the journal equals charges − cancellations − net payments.
    3. No charge is settled beyond its amount or below zero, and no payment applied beyond its amount.
    Returns Chinese descriptions of what does not match; empty when the books agree.
    """
    problems = []
    unlinked = (
        Charge.objects.filter(community=community).filter(~Q(entries__kind=LedgerEntry.Kind.CHARGE)).count()
        + Payment.objects.filter(community=community, entries__isnull=True).count()
    )
    if unlinked:
        problems.append(f"{unlinked} 笔收费或收款没有对应的记账分录。")
    journal = {
        (row["unit_id"], row["fund"]): money(row["total"])
        for row in LedgerEntry.objects.filter(community=community, unit__isnull=False)
        .values("unit_id", "fund")
        .annotate(total=book_balance_expression(Book.RECEIVABLE))
    }
    documents: dict[tuple[int, str], Decimal] = defaultdict(lambda: ZERO)
    for row in Charge.objects.filter(community=community).values("unit_id", "fund").annotate(total=Sum("amount")):
        documents[(row["unit_id"], row["fund"])] += money(row["total"])
    for row in (
        Allocation.objects.filter(community=community, kind=Allocation.Kind.REVERSAL)
        .values("unit_id", "fund")
        .annotate(total=Sum("amount"))
    ):
        documents[(row["unit_id"], row["fund"])] -= money(row["total"])
    for row in (
        Payment.objects.filter(community=community).values("unit_id", "fund").annotate(total=_sum(signed_payment()))
    ):
        documents[(row["unit_id"], row["fund"])] -= money(row["total"])
    for key in set(journal) | set(documents):
        if (journal.get(key) or ZERO) != documents[key]:
            in_journal = journal.get(key) or ZERO
            problems.append(
                f"房屋 {key[0]} 的 {key[1]} 账户：分录应收 {in_journal} 元，单据合计 {documents[key]} 元，不一致。"
            )
    over = (
        Charge.objects.filter(community=community)
        .annotate(settled=_sum("allocations__amount"))
        .filter(Q(settled__gt=F("amount") + HALF_FEN) | Q(settled__lt=-HALF_FEN))
        .count()
    )
    if over:
        problems.append(f"{over} 笔收费的核销金额超出应收或为负。")
    over_applied = (
        Payment.objects.filter(community=community, kind=Payment.Kind.PAYMENT)
        .annotate(applied=_sum("allocations__amount"))
        .filter(applied__gt=F("amount") + HALF_FEN)
        .count()
    )
    if over_applied:
        problems.append(f"{over_applied} 笔收款的核销金额超出收款金额。")
    return problems


def unit_overdue(unit_ids, fund: str, today: date) -> dict[int, Decimal]:
    """Overdue amount per unit for the given units (the C-01 check and the household banner); one query."""
    rows = (
        open_overdue_charges(today, fund, unit_id__in=list(unit_ids))
        .values("unit_id")
        .annotate(overdue=Sum("open"))
        .values_list("unit_id", "overdue")
    )
    return {unit_id: money(overdue) for unit_id, overdue in rows}


def last_receipt_period(community) -> date | None:
    return Charge.objects.filter(community=community).aggregate(last=Max("period"))["last"]
