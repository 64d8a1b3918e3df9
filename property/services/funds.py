"""The owners' money other than property fees: public income (V-11), the committee's working fund, donations of
money, materials and labour (捐资捐物、投工投劳) and the households' share of a renovation's cost (V-12).

These accounts belong to the owners: the owners' committee and the community staff keep them, never the
property company (permissions.can_keep_fund). Every writer checks the permission again, refuses bad input in
Chinese before writing anything, works in one transaction and records an audit entry. Cash entries are
append-only: a mistake is corrected with a reversing entry and a reason.
"""

from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Count, Exists, F, OuterRef, Q, Sum
from django.urls import reverse
from django.utils import timezone

from governance.models import OwnersDecision
from home.models import Building, Person, Unit
from home.permissions import is_bureau_staff
from home.services.audit import audit_record
from home.services.notifications import notify
from property import permissions
from property.domain import fees
from property.models import Allocation, Book, Charge, CostSharePlan, Donation, Fund, LedgerEntry
from property.selectors import book_balance_expression, units_of
from property.services import ledger

# The owners' accounts kept on these pages, in the order they are shown.
OWNERS_FUNDS = (Fund.PUBLIC_INCOME, Fund.WORKING_FUND, Fund.DONATIONS, Fund.COST_SHARING)
DIRECTIONS = ("income", "expense")
REVERSIBLE_KINDS = (LedgerEntry.Kind.INCOME, LedgerEntry.Kind.EXPENSE, LedgerEntry.Kind.DONATION)
DONATION_CATEGORY = "捐款"
V12_MESSAGE = (
    "按专有部分面积比例以外的方式分摊费用，须有业主的共同决定（V-12）：请选择本小区已公布最终结果、"
    "且所有事项均获通过的业主表决。"
)


def _check_keeper(actor, community, fund) -> None:
    if not permissions.can_keep_fund(actor, community, fund):
        raise PermissionDenied(
            "您没有记录本小区该账户的权限：公共收益、工作经费、捐赠和改造分摊由业主委员会和社区工作人员管理。"
        )


def today() -> date:
    return timezone.localdate()


def can_read_funds(user, community) -> bool:
    """The owners' accounts: whoever keeps one of them in this community, and the housing bureau."""
    return any(permissions.can_keep_fund(user, community, fund) for fund in OWNERS_FUNDS) or is_bureau_staff(user)


def cash_balance(community, fund: str) -> Decimal:
    """The cash of one account now, from the journal (one query)."""
    total = LedgerEntry.objects.filter(community=community, fund=fund).aggregate(
        total=book_balance_expression(Book.CASH)
    )["total"]
    return fees.money(total or fees.ZERO)


def _lock_community(community) -> None:
    """Serialise writers of one community's owners' accounts (the balance check and the entry it guards)."""
    type(community).objects.select_for_update().filter(pk=community.pk).values_list("pk", flat=True).first()


# ------------------------------------------------------------------ cash entries


@transaction.atomic
def cash_entry_record(
    *,
    actor,
    community,
    fund: str,
    direction: str,
    amount: Decimal,
    category: str,
    counterparty: str,
    booked_on: date,
    voucher_no: str = "",
    description: str = "",
) -> LedgerEntry:
    """Income into (debit cash, credit income) or an expenditure out of (debit expense, credit cash) an account.

    Property fees are billed and collected through charges and payments, never here. An expenditure larger
    than the cash the account holds is refused: the owners' money is never overdrawn.
    """
    if fund == Fund.PROPERTY_FEES:
        raise ValidationError({"fund": "物业费通过出账和收款记录，不能在这里直接记收支。"})
    if fund not in Fund.values:
        raise ValidationError({"fund": "没有这个账户。"})
    _check_keeper(actor, community, fund)
    errors = {}
    if direction not in DIRECTIONS:
        errors["direction"] = "请选择收入或支出。"
    if problem := fees.payment_problem(amount):
        errors["amount"] = problem
    if not (category or "").strip():
        errors["category"] = "请填写收支类别，例如“广告位租金”“公共照明电费”。"
    if booked_on is None:
        errors["booked_on"] = "请填写日期。"
    elif booked_on > today():
        errors["booked_on"] = "日期不能晚于今天：只记已经发生的收支。"
    if errors:
        raise ValidationError(errors)
    _lock_community(community)
    if direction == "expense":
        balance = cash_balance(community, fund)
        if amount > balance:
            raise ValidationError({"amount": f"该账户现有余额 {balance} 元，不足支付 {amount} 元：业主的钱不能透支。"})
    income = direction == "income"
    entry = LedgerEntry.objects.create(
        community=community,
        fund=fund,
        kind=LedgerEntry.Kind.INCOME if income else LedgerEntry.Kind.EXPENSE,
        booked_on=booked_on,
        debit=Book.CASH if income else Book.EXPENSE,
        credit=Book.INCOME if income else Book.CASH,
        amount=amount,
        category=category.strip()[:50],
        counterparty=(counterparty or "").strip()[:100],
        voucher_no=(voucher_no or "").strip()[:30],
        description=(description or "").strip()[:200],
        created_by=actor,
    )
    audit_record(
        actor=actor,
        community=community,
        action="fees.cash_entry_record",
        target=entry,
        after={
            "fund": fund,
            "direction": direction,
            "amount": str(amount),
            "category": entry.category,
            "booked_on": str(booked_on),
        },
    )
    return entry


@transaction.atomic
def cash_entry_reverse(*, actor, entry: LedgerEntry, reason: str) -> LedgerEntry:
    """Cancel an income, expenditure or money-donation entry made in error: the same amount, books swapped.

    Refused without a reason, a second time, and when taking the money back out would overdraw the account.
    """
    community = entry.community
    _check_keeper(actor, community, entry.fund)
    if entry.kind not in REVERSIBLE_KINDS:
        raise ValidationError("这里只能冲正收入、支出和捐款分录；物业费的收费和收款请在收费台冲正。")
    if not (reason or "").strip():
        raise ValidationError({"reason": "冲正必须写明原因。"})
    _lock_community(community)
    if LedgerEntry.objects.filter(reverses=entry).exists():
        raise ValidationError("这笔分录已经冲正过。")
    takes_cash_out = entry.debit == Book.CASH
    if takes_cash_out:
        balance = cash_balance(community, entry.fund)
        if entry.amount > balance:
            raise ValidationError(
                f"该账户现有余额 {balance} 元，冲正这笔 {entry.amount} 元的收入会使余额为负：请先冲正用这笔钱的支出。"
            )
    reversal = LedgerEntry.objects.create(
        community=community,
        fund=entry.fund,
        kind=LedgerEntry.Kind.REVERSAL,
        booked_on=today(),
        debit=entry.credit,
        credit=entry.debit,
        amount=entry.amount,
        donation_id=entry.donation_id,
        reverses=entry,
        category=entry.category,
        counterparty=entry.counterparty,
        voucher_no=entry.voucher_no,
        description=reason.strip()[:200],
        created_by=actor,
    )
    audit_record(
        actor=actor,
        community=community,
        action="fees.cash_entry_reverse",
        target=entry,
        before={"amount": str(entry.amount), "kind": entry.kind, "category": entry.category},
        after={"reversal": reversal.pk},
        note=reason.strip(),
    )
    return reversal


def reversed_subquery():
    return Exists(LedgerEntry.objects.filter(reverses=OuterRef("pk")))


def entries_of(community, funds=OWNERS_FUNDS):
    """The journal of the owners' accounts, newest first, with ``is_reversed`` annotated (no extra queries)."""
    return (
        LedgerEntry.objects.filter(community=community, fund__in=list(funds))
        .annotate(is_reversed=reversed_subquery())
        .select_related("reverses")
        .order_by("-booked_on", "-id")
    )


# ------------------------------------------------------------------ donations


def _donation_problems(kind, *, amount, item, quantity, estimated_value, hours) -> dict:
    errors = {}
    if kind == Donation.Kind.MONEY:
        if problem := fees.payment_problem(amount):
            errors["amount"] = problem
    elif kind == Donation.Kind.MATERIALS:
        if not (item or "").strip():
            errors["item"] = "请填写捐赠的物品。"
        if quantity is None or quantity <= 0:
            errors["quantity"] = "数量必须大于零。"
        if estimated_value is not None and (estimated_value < 0 or estimated_value != fees.money(estimated_value)):
            errors["estimated_value"] = "估价不能为负，最多精确到分。"
    elif kind == Donation.Kind.LABOUR:
        if hours is None or hours <= 0:
            errors["hours"] = "工时必须大于零。"
        elif Decimal(hours) != Decimal(hours).quantize(Decimal("0.1")):
            errors["hours"] = "工时最多精确到 0.1 小时。"
    else:
        errors["kind"] = "请选择捐款、捐物或投工投劳。"
    return errors


@transaction.atomic
def donation_record(
    *,
    actor,
    community,
    kind: str,
    donor_name: str,
    received_on: date,
    amount: Decimal | None = None,
    item: str = "",
    quantity: Decimal | None = None,
    measure: str = "",
    estimated_value: Decimal | None = None,
    hours: Decimal | None = None,
    purpose: str = "",
    on_thanks_list: bool = True,
    donor=None,
    unit: Unit | None = None,
) -> Donation:
    """A gift with its numbered receipt (JZ…). Money goes into the donations account (debit cash, credit
    income); materials (with an estimated value) and labour (in person-hours) stay out of the cash ledger."""
    _check_keeper(actor, community, Fund.DONATIONS)
    errors = _donation_problems(
        kind, amount=amount, item=item, quantity=quantity, estimated_value=estimated_value, hours=hours
    )
    if not (donor_name or "").strip():
        errors["donor_name"] = "请填写捐赠人。"
    if received_on is None:
        errors["received_on"] = "请填写日期。"
    elif received_on > today():
        errors["received_on"] = "日期不能晚于今天。"
    if unit is not None and ledger.community_of_unit(unit).pk != community.pk:
        errors["unit"] = "这套房屋不属于本小区。"
    if errors:
        raise ValidationError(errors)
    money_gift = kind == Donation.Kind.MONEY
    materials = kind == Donation.Kind.MATERIALS
    donation = Donation.objects.create(
        community=community,
        kind=kind,
        donor_name=donor_name.strip()[:100],
        donor=donor,
        unit=unit,
        amount=amount if money_gift else None,
        item=item.strip()[:100] if materials else "",
        quantity=quantity if materials else None,
        measure=(measure or "").strip()[:20] if materials else "",
        estimated_value=estimated_value if materials else None,
        hours=hours if kind == Donation.Kind.LABOUR else None,
        purpose=(purpose or "").strip()[:200],
        received_on=received_on,
        receipt_no=ledger.next_receipt_no(community, ledger.SERIES_DONATION, received_on),
        on_thanks_list=on_thanks_list,
        recorded_by=actor,
    )
    if money_gift:
        LedgerEntry.objects.create(
            community=community,
            fund=Fund.DONATIONS,
            kind=LedgerEntry.Kind.DONATION,
            booked_on=received_on,
            debit=Book.CASH,
            credit=Book.INCOME,
            amount=amount,
            donation=donation,
            category=DONATION_CATEGORY,
            counterparty=donation.donor_name,
            voucher_no=donation.receipt_no,
            description=donation.purpose,
            created_by=actor,
        )
    audit_record(
        actor=actor,
        community=community,
        action="fees.donation_record",
        target=donation,
        after={
            "kind": kind,
            "amount": str(amount) if money_gift else "",
            "item": donation.item,
            "hours": str(donation.hours or ""),
            "receipt": donation.receipt_no,
            "on_thanks_list": on_thanks_list,
        },
    )
    if donor is not None and donor.user_id:
        notify(
            recipient=donor.user,
            title="感谢您的捐赠",
            body=f"捐赠收据 {donation.receipt_no} 已开具。您可以随时选择是否在感谢名单上署名。",
            url=reverse("property:donation_receipt", args=[donation.pk]),
        )
    return donation


def is_donor(user, donation: Donation) -> bool:
    return bool(
        user is not None
        and user.is_authenticated
        and donation.donor_id is not None
        and donation.donor.user_id is not None
        and donation.donor.user_id == user.pk
    )


def can_read_donation(user, donation: Donation) -> bool:
    return is_donor(user, donation) or can_read_funds(user, donation.community)


@transaction.atomic
def donation_thanks_opt(*, actor, donation: Donation, on_thanks_list: bool) -> Donation:
    """The donor (or a keeper on the donor's word) chooses whether the name appears on the thank-you list."""
    if not (is_donor(actor, donation) or permissions.can_keep_fund(actor, donation.community, Fund.DONATIONS)):
        raise PermissionDenied("只有捐赠人本人或捐赠账户的管理人可以更改署名选择。")
    donation = Donation.objects.select_for_update().get(pk=donation.pk)
    before = donation.on_thanks_list
    if before != bool(on_thanks_list):
        donation.on_thanks_list = bool(on_thanks_list)
        donation.save(update_fields=["on_thanks_list"])
        audit_record(
            actor=actor,
            community=donation.community,
            action="fees.donation_thanks_opt",
            target=donation,
            before={"on_thanks_list": before},
            after={"on_thanks_list": donation.on_thanks_list},
        )
    return donation


def donations_standing(community):
    """Donations not cancelled: a money donation whose entry was reversed no longer counts."""
    cancelled = LedgerEntry.objects.filter(donation=OuterRef("pk"), kind=LedgerEntry.Kind.REVERSAL)
    return Donation.objects.filter(community=community).annotate(cancelled=Exists(cancelled)).filter(cancelled=False)


def donations_of(community):
    """Every donation of the community, newest first, with ``cancelled`` annotated."""
    cancelled = LedgerEntry.objects.filter(donation=OuterRef("pk"), kind=LedgerEntry.Kind.REVERSAL)
    return Donation.objects.filter(community=community).annotate(cancelled=Exists(cancelled))


@dataclass
class ThanksList:
    named: list = field(default_factory=list)  # Donations of donors who agreed to be named
    anonymous_people: int = 0
    money: Decimal = fees.ZERO
    materials_value: Decimal = fees.ZERO
    hours: Decimal = Decimal("0.0")
    counts: dict = field(default_factory=dict)


def thanks_list(community) -> ThanksList:
    """The thank-you list: donors who agreed by name with what they gave, the others only counted, and the
    totals by kind (money, estimated value of materials, person-hours). Three queries."""
    standing = donations_standing(community)
    named = list(standing.filter(on_thanks_list=True).order_by("-received_on", "-id"))
    anonymous = (
        standing.filter(on_thanks_list=False)
        .exclude(donor_name__in=[d.donor_name for d in named])
        .aggregate(people=Count("donor_name", distinct=True))["people"]
    )
    totals = {
        row["kind"]: row
        for row in standing.values("kind").annotate(
            n=Count("id"), money=Sum("amount"), value=Sum("estimated_value"), hours=Sum("hours")
        )
    }
    return ThanksList(
        named=named,
        anonymous_people=anonymous or 0,
        money=fees.money((totals.get(Donation.Kind.MONEY) or {}).get("money") or 0),
        materials_value=fees.money((totals.get(Donation.Kind.MATERIALS) or {}).get("value") or 0),
        hours=Decimal((totals.get(Donation.Kind.LABOUR) or {}).get("hours") or 0).quantize(Decimal("0.1")),
        counts={kind: row["n"] for kind, row in totals.items()},
    )


# ------------------------------------------------------------------ cost-sharing (V-12)


def decision_problem(decision, community) -> str | None:
    """None when the owners' decision allows another key: this community's, final, and every question passed."""
    if decision is None:
        return V12_MESSAGE
    if decision.community_id != community.pk:
        return "所选业主表决不属于本小区。"
    if decision.status != OwnersDecision.Status.FINAL:
        return V12_MESSAGE
    results = list(decision.questions.values_list("passed", flat=True))
    if not results or not all(results):
        return V12_MESSAGE
    return None


def passed_decisions(community):
    """The community's owners' votes whose final result is published and every question passed."""
    return (
        OwnersDecision.objects.filter(community_id=community.pk, status=OwnersDecision.Status.FINAL)
        .annotate(question_count=Count("questions"), passed_count=Count("questions", filter=Q(questions__passed=True)))
        .filter(question_count__gt=0, question_count=F("passed_count"))
    )


@transaction.atomic
def cost_share_plan_create(
    *,
    actor,
    community,
    title: str,
    total: Decimal,
    key: str,
    due_on: date,
    decision=None,
    buildings=(),
) -> CostSharePlan:
    """A plan to split a renovation's cost over the households: by share of exclusive area unless the owners
    decided on another key (V-12). Nothing is charged until the plan is issued."""
    _check_keeper(actor, community, Fund.COST_SHARING)
    errors = {}
    if not (title or "").strip():
        errors["title"] = "请填写名称，例如“3号楼屋面防水改造居民分摊”。"
    if problem := fees.payment_problem(total):
        errors["total"] = problem
    if key not in CostSharePlan.Key.values:
        errors["key"] = "请选择分摊方式。"
    elif key != CostSharePlan.Key.EXCLUSIVE_AREA and (problem := decision_problem(decision, community)):
        errors["decision"] = problem
    elif decision is not None and decision.community_id != community.pk:
        errors["decision"] = "所选业主表决不属于本小区。"
    if due_on is None:
        errors["due_on"] = "请填写缴费期限。"
    buildings = list(buildings)
    if any(b.community_id != community.pk for b in buildings):
        errors["buildings"] = "所选楼栋不属于本小区。"
    if errors:
        raise ValidationError(errors)
    plan = CostSharePlan.objects.create(
        community=community,
        title=title.strip()[:200],
        total=total,
        key=key,
        decision=decision,
        due_on=due_on,
        created_by=actor,
    )
    if buildings:
        plan.buildings.set(buildings)
    audit_record(
        actor=actor,
        community=community,
        action="fees.cost_share_plan_create",
        target=plan,
        after={
            "total": str(total),
            "key": key,
            "decision": decision.pk if decision else None,
            "buildings": [b.pk for b in buildings],
            "due_on": str(due_on),
        },
    )
    return plan


@dataclass
class ShareRow:
    unit: Unit
    area: Decimal | None
    share: Decimal | None  # percent, 4 decimals
    amount: Decimal | None


@dataclass
class CostSharePreview:
    plan: CostSharePlan
    rows: list[ShareRow]
    missing_area: list[str]
    total_area: Decimal

    @property
    def total(self) -> Decimal:
        return sum((row.amount or fees.ZERO for row in self.rows), fees.ZERO)

    @property
    def complete(self) -> bool:
        return bool(self.rows) and not self.missing_area


def plan_units(plan: CostSharePlan):
    """The homes the plan covers: of its buildings, or of the whole community."""
    units = units_of(plan.community).filter(kind=Unit.Kind.RESIDENCE)
    building_ids = [b.pk for b in plan.buildings.all()]
    if building_ids:
        units = units.filter(entrance__building_id__in=building_ids)
    return units.select_related("entrance__building").order_by(
        "entrance__building__sort_order", "entrance__building__name", "entrance__sort_order", "room"
    )


def cost_share_preview(plan: CostSharePlan) -> CostSharePreview:
    """Each home's exclusive area, its share and its amount (V-12, fees.apportion: the parts add up to the total
    exactly). Homes without any area are listed; the plan cannot be issued while there are any under the area key.
    """
    units = list(plan_units(plan))
    by_area = plan.key == CostSharePlan.Key.EXCLUSIVE_AREA
    missing = [u.label for u in units if u.effective_area is None] if by_area else []
    total_area = sum((u.effective_area or Decimal(0) for u in units), Decimal(0))
    if not units or missing:
        return CostSharePreview(plan, [ShareRow(u, u.effective_area, None, None) for u in units], missing, total_area)
    weights = [(u.pk, u.effective_area if by_area else Decimal(1)) for u in units]
    weight_sum = sum((w for _k, w in weights), Decimal(0))
    amounts = {share.key: share.amount for share in fees.apportion(plan.total, weights)}
    rows = [
        ShareRow(u, u.effective_area, (Decimal(w) * 100 / weight_sum).quantize(Decimal("0.0001")), amounts[u.pk])
        for u, (_k, w) in zip(units, weights, strict=True)
    ]
    return CostSharePreview(plan, rows, [], total_area)


@transaction.atomic
def cost_share_plan_issue(*, actor, plan: CostSharePlan) -> list[Charge]:
    """One cost-share charge per home, due on the plan's date. Issuing a second time issues nothing."""
    _check_keeper(actor, plan.community, Fund.COST_SHARING)
    claimed = CostSharePlan.objects.filter(pk=plan.pk, issued_at__isnull=True).update(issued_at=timezone.now())
    if not claimed:
        raise ValidationError("这个分摊方案已经出账，不能重复出账。")
    preview = cost_share_preview(plan)
    if preview.missing_area:
        raise ValidationError(
            "以下房屋没有专有部分面积，无法按面积分摊，请先在房屋登记中补齐面积：" + "、".join(preview.missing_area)
        )
    if not preview.rows:
        raise ValidationError("分摊范围内没有住宅，无法出账。")
    period = fees.period_start(plan.due_on)
    charges = []
    for row in preview.rows:
        if not row.amount:
            continue
        charges.append(
            ledger.charge_add(
                actor=actor,
                unit=row.unit,
                fund=Fund.COST_SHARING,
                amount=row.amount,
                period=period,
                kind=Charge.Kind.COST_SHARE,
                description=plan.title[:200],
                due_on=plan.due_on,
                cost_share_plan=plan,
            )
        )
    plan.refresh_from_db(fields=["issued_at"])
    audit_record(
        actor=actor,
        community=plan.community,
        action="fees.cost_share_plan_issue",
        target=plan,
        after={"charges": len(charges), "total": str(sum((c.amount for c in charges), fees.ZERO))},
    )
    _notify_payers(charges, plan)
    return charges


def _notify_payers(charges, plan) -> None:
    payer_ids = {c.payer_id for c in charges if c.payer_id and not c.charged_to_developer}
    for person in Person.objects.filter(pk__in=payer_ids, user__isnull=False).select_related("user"):
        notify(
            recipient=person.user,
            title=f"改造费用分摊：{plan.title}"[:200],
            body=f"您家应分摊的费用已出账，缴费期限 {plan.due_on:%Y-%m-%d}。分摊方式与明细可在缴费页面查看。",
            url="",
        )


@dataclass
class PlanProgress:
    charged: Decimal = fees.ZERO
    collected: Decimal = fees.ZERO

    @property
    def rate(self):
        return fees.collection_rate(self.collected, self.charged)


def plan_progress(plans) -> dict[int, PlanProgress]:
    """Per issued plan: charged (net of cancelled charges) and collected, from two aggregate queries."""
    plan_ids = [p.pk for p in plans]
    result = {pk: PlanProgress() for pk in plan_ids}
    for row in (
        Charge.objects.filter(cost_share_plan_id__in=plan_ids)
        .values("cost_share_plan_id")
        .annotate(total=Sum("amount"))
    ):
        result[row["cost_share_plan_id"]].charged += fees.money(row["total"])
    for row in (
        Allocation.objects.filter(charge__cost_share_plan_id__in=plan_ids)
        .values("charge__cost_share_plan_id", "kind")
        .annotate(total=Sum("amount"))
    ):
        progress = result[row["charge__cost_share_plan_id"]]
        if row["kind"] == Allocation.Kind.REVERSAL:
            progress.charged -= fees.money(row["total"])
        else:
            progress.collected += fees.money(row["total"])
    return result


def buildings_of(community):
    return Building.objects.filter(community_id=community.pk).order_by("sort_order", "name")
