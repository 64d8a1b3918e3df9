"""The writers of the fees ledger: schedules, charge runs, payments, refunds and corrections.

Every writer checks the permission again, refuses bad input in Chinese before writing anything, works inside
one transaction, writes its journal entries beside the documents, and records an audit entry. Nothing here
updates or deletes a charge, payment, allocation or entry: a correction is a reversing entry with a reason.
"""

import uuid
from collections import defaultdict
from datetime import date
from decimal import Decimal

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import F, Q, Sum
from django.utils import timezone

from home.models import Ownership, Unit
from home.services.audit import audit_record
from property import permissions
from property.domain import fees
from property.models import (
    Allocation,
    Book,
    Charge,
    ChargeRun,
    FeeSchedule,
    Fund,
    LedgerEntry,
    Payment,
    ReceiptSequence,
)
from property.selectors import (
    HALF_FEN,
    applied_subquery,
    free_credit,
    free_credits,
    settled_by_charge,
    settled_subquery,
    units_of,
)

SERIES_PAYMENT = "SJ"  # 收据
SERIES_REFUND = "TK"  # 退款凭证
SERIES_REVERSAL = "CZ"  # 冲正凭证
SERIES_DONATION = "JZ"  # 捐赠收据


def _check_keeper(actor, community, fund) -> None:
    if not permissions.can_keep_fund(actor, community, fund):
        raise PermissionDenied("您没有记录本小区该账户的权限。")


def community_of_unit(unit: Unit):
    return unit.entrance.building.community


def next_receipt_no(community, series: str, on: date) -> str:
    """The next number of a receipt series for the year, e.g. SJ2026-000123; the counter row is locked."""
    sequence, _created = ReceiptSequence.objects.get_or_create(community=community, series=series, year=on.year)
    sequence = ReceiptSequence.objects.select_for_update().get(pk=sequence.pk)
    sequence.last_number += 1
    sequence.save(update_fields=["last_number"])
    return f"{series}{on.year}-{sequence.last_number:06d}"


def overpayment_tolerance() -> Decimal:
    return Decimal(str(getattr(settings, "PORTAL_OVERPAYMENT_TOLERANCE", "10.00")))


# ------------------------------------------------------------------ fee schedules


@transaction.atomic
def schedule_create(
    *,
    actor,
    community,
    unit_kind: str,
    rate: Decimal,
    valid_from: date,
    approval_reference: str,
    basis: str = FeeSchedule.Basis.PER_M2,
    fund: str = Fund.PROPERTY_FEES,
    valid_until: date | None = None,
    late_fee_daily_rate: Decimal | None = None,
    late_fee_clause: str = "",
) -> FeeSchedule:
    """A new rate from a date (F-03). Refused when it overlaps another rate for the same kind of unit."""
    _check_keeper(actor, community, fund)
    errors = {}
    if rate is None or rate <= 0:
        errors["rate"] = "费率必须大于零。"
    if not approval_reference.strip():
        errors["approval_reference"] = "请写明依据：物业服务合同条款或业主大会决定（F-04）。"
    if valid_until is not None and valid_until < valid_from:
        errors["valid_until"] = "结束日期不能早于开始日期。"
    if late_fee_daily_rate and not late_fee_clause.strip():
        errors["late_fee_clause"] = "只有物业服务合同约定了违约金，才能收取；请写明合同条款（F-05）。"
    if errors:
        raise ValidationError(errors)
    overlapping = (
        FeeSchedule.objects.select_for_update()
        .filter(community=community, fund=fund, unit_kind=unit_kind)
        .filter(Q(valid_until__isnull=True) | Q(valid_until__gte=valid_from))
    )
    if valid_until is not None:
        overlapping = overlapping.filter(valid_from__lte=valid_until)
    if overlapping.exists():
        raise ValidationError(
            {"valid_from": "与现行收费标准的有效期重叠：请先为现行标准设定结束日期，再从次日起启用新标准。"}
        )
    schedule = FeeSchedule.objects.create(
        community=community,
        fund=fund,
        unit_kind=unit_kind,
        basis=basis,
        rate=rate,
        valid_from=valid_from,
        valid_until=valid_until,
        approval_reference=approval_reference.strip(),
        late_fee_daily_rate=late_fee_daily_rate or None,
        late_fee_clause=late_fee_clause.strip(),
        created_by=actor,
    )
    audit_record(
        actor=actor,
        community=community,
        action="fees.schedule_create",
        target=schedule,
        after={"rate": str(rate), "basis": basis, "unit_kind": unit_kind, "valid_from": str(valid_from)},
    )
    return schedule


@transaction.atomic
def schedule_end(*, actor, schedule: FeeSchedule, valid_until: date) -> FeeSchedule:
    """Close a rate on a date (the only change a schedule takes). Periods already charged stay as they were."""
    schedule = FeeSchedule.objects.select_for_update().get(pk=schedule.pk)
    _check_keeper(actor, schedule.community, schedule.fund)
    if valid_until < schedule.valid_from:
        raise ValidationError({"valid_until": "结束日期不能早于开始日期。"})
    if schedule.charges.filter(period__gt=valid_until).exists():
        raise ValidationError({"valid_until": "此日期之后的月份已按该标准出账，不能提前结束；请做更正。"})
    before = str(schedule.valid_until or "")
    schedule.valid_until = valid_until
    schedule.save(update_fields=["valid_until"])
    audit_record(
        actor=actor,
        community=schedule.community,
        action="fees.schedule_end",
        target=schedule,
        before={"valid_until": before},
        after={"valid_until": str(valid_until)},
    )
    return schedule


# ------------------------------------------------------------------ charges


def _payers(unit_ids) -> dict[int, tuple[int | None, bool]]:
    """{unit id: (payer person id, charged to developer)}; P-08: unsold or undelivered units go to the developer."""
    today = timezone.localdate()
    by_unit: dict[int, list[Ownership]] = {}
    for ownership in (
        Ownership.objects.filter(unit_id__in=unit_ids)
        .filter(Q(ended_on__isnull=True) | Q(ended_on__gte=today))
        .select_related("person")
        .order_by("-is_designated_voter", "id")
    ):
        by_unit.setdefault(ownership.unit_id, []).append(ownership)
    payers = {}
    for unit_id in unit_ids:
        owners = by_unit.get(unit_id, [])
        developer = next(
            (o for o in owners if o.owner_status == Ownership.OwnerStatus.DEVELOPER_RETAINED or o.person.is_developer),
            None,
        )
        if developer is not None:
            payers[unit_id] = (developer.person_id, True)
        else:
            payers[unit_id] = (owners[0].person_id if owners else None, False)
    return payers


def _last_day(period: date) -> date:
    return date.fromordinal(fees.add_months(period, 1).toordinal() - 1)


class ChargeRunResult:
    def __init__(self, run: ChargeRun | None, skipped_no_area: list[str], skipped_no_schedule: int):
        self.run = run
        self.skipped_no_area = skipped_no_area
        self.skipped_no_schedule = skipped_no_schedule


@transaction.atomic
def charges_run(*, actor, community, period: date, fund: str = Fund.PROPERTY_FEES) -> ChargeRunResult:
    """Charge every unit of the community for one month by the schedule valid on the month's first day.

    Idempotent: units already charged for the period are left alone, and a run that would add nothing is
    refused. Units not delivered or still held by the developer are charged to the developer (P-08). A unit
    without any area under a per-m² rate is listed, never charged zero.
    """
    _check_keeper(actor, community, fund)
    period = fees.period_start(period)
    # Serialise runs of one community: the first one to lock the schedules runs, the second finds its charges.
    schedules = list(
        FeeSchedule.objects.select_for_update()
        .filter(community=community, fund=fund, valid_from__lte=period)
        .filter(Q(valid_until__isnull=True) | Q(valid_until__gte=period))
    )
    by_kind = {schedule.unit_kind: schedule for schedule in schedules}
    if not by_kind:
        raise ValidationError("该月没有有效的收费标准，请先设定收费标准。")
    charged = set(
        Charge.objects.filter(community=community, fund=fund, period=period, kind=Charge.Kind.PERIODIC).values_list(
            "unit_id", flat=True
        )
    )
    units = [u for u in units_of(community).select_related("entrance__building") if u.pk not in charged]
    payers = _payers([u.pk for u in units])
    due_on = _last_day(period)
    new_charges, no_area, no_schedule = [], [], 0
    for unit in units:
        schedule = by_kind.get(unit.kind)
        if schedule is None:
            no_schedule += 1
            continue
        area = unit.effective_area
        amount = fees.monthly_charge(rate=schedule.rate, area=area, fixed=schedule.basis == FeeSchedule.Basis.FIXED)
        if amount is None:
            no_area.append(unit.label)
            continue
        payer_id, developer = payers[unit.pk]
        new_charges.append(
            Charge(
                community=community,
                fund=fund,
                kind=Charge.Kind.PERIODIC,
                unit=unit,
                period=period,
                due_on=due_on,
                amount=amount,
                payer_id=payer_id,
                charged_to_developer=developer,
                schedule=schedule,
                area=area if schedule.basis == FeeSchedule.Basis.PER_M2 else None,
                rate=schedule.rate,
                created_by=actor,
            )
        )
    if not new_charges:
        if charged:
            raise ValidationError(f"{period:%Y年%m月} 已出账，本次没有新增任何费用。")
        raise ValidationError("没有可以出账的房屋：请检查房屋面积和收费标准。")
    run = ChargeRun.objects.create(
        community=community,
        fund=fund,
        period=period,
        charges_created=len(new_charges),
        total=sum((c.amount for c in new_charges), fees.ZERO),
        created_by=actor,
    )
    for charge in new_charges:
        charge.run = run
    try:
        with transaction.atomic():
            created = Charge.objects.bulk_create(new_charges, batch_size=500)
    except IntegrityError as error:
        raise ValidationError(f"{period:%Y年%m月} 正在由他人出账，请稍后刷新查看。") from error
    _journal_charges(created, booked_on=period, actor=actor)
    apply_credit(community=community, fund=fund, unit_ids=[c.unit_id for c in created])
    audit_record(
        actor=actor,
        community=community,
        action="fees.charges_run",
        target=run,
        after={"period": f"{period:%Y-%m}", "charges": len(created), "total": str(run.total)},
        note=f"skipped without area: {len(no_area)}; without schedule: {no_schedule}",
    )
    return ChargeRunResult(run, no_area, no_schedule)


def _journal_charges(charges, *, booked_on: date, actor) -> None:
    """Debit the households' receivable, credit the account's income."""
    LedgerEntry.objects.bulk_create(
        [
            LedgerEntry(
                community_id=c.community_id,
                fund=c.fund,
                kind=LedgerEntry.Kind.CHARGE,
                booked_on=booked_on,
                debit=Book.RECEIVABLE,
                credit=Book.INCOME,
                amount=c.amount,
                unit_id=c.unit_id,
                charge=c,
                category=str(Charge.Kind(c.kind).label),
                description=c.description or f"{c.period:%Y-%m}",
                created_by=actor,
            )
            for c in charges
        ],
        batch_size=500,
    )


@transaction.atomic
def charge_add(
    *,
    actor,
    unit: Unit,
    fund: str,
    amount: Decimal,
    period: date,
    kind: str,
    description: str,
    due_on: date | None = None,
    cost_share_plan=None,
    corrects: Charge | None = None,
) -> Charge:
    """One charge outside a periodic run: a cost share, a contractual late fee or a corrected charge."""
    community = community_of_unit(unit)
    _check_keeper(actor, community, fund)
    if problem := fees.payment_problem(amount):
        raise ValidationError({"amount": problem})
    payer_id, developer = _payers([unit.pk])[unit.pk]
    period = fees.period_start(period)
    charge = Charge.objects.create(
        community=community,
        fund=fund,
        kind=kind,
        unit=unit,
        period=period,
        due_on=due_on or _last_day(period),
        amount=amount,
        payer_id=payer_id,
        charged_to_developer=developer,
        cost_share_plan=cost_share_plan,
        corrects=corrects,
        description=description,
        created_by=actor,
    )
    _journal_charges([charge], booked_on=min(period, timezone.localdate()), actor=actor)
    apply_credit(community=community, fund=fund, unit_ids=[unit.pk])
    return charge


# ------------------------------------------------------------------ allocation


def apply_credit(*, community, fund: str, unit_ids) -> None:
    """Settle open charges, oldest first, from each unit's free credit (prepayment or released payments).

    Batched over the units: five queries whatever their number (a monthly run over 600 prepaid homes).
    """
    credits = {unit_id: credit for unit_id, credit in free_credits(community, unit_ids, fund).items() if credit > 0}
    if not credits:
        return
    open_by_unit: dict[int, list[tuple[Charge, Decimal]]] = defaultdict(list)
    for charge in (
        Charge.objects.filter(unit_id__in=credits, fund=fund)
        .annotate(settled=settled_subquery())
        .filter(amount__gt=F("settled") + HALF_FEN)
        .order_by("unit_id", "due_on", "period", "id")
    ):
        open_by_unit[charge.unit_id].append((charge, charge.amount - fees.money(charge.settled)))
    sources_by_unit: dict[int, list[list]] = defaultdict(list)
    for payment in (
        Payment.objects.filter(
            unit_id__in=[unit_id for unit_id in credits if unit_id in open_by_unit],
            fund=fund,
            kind=Payment.Kind.PAYMENT,
            reversed_by__isnull=True,
        )
        .annotate(applied=applied_subquery())
        .filter(amount__gt=F("applied") + HALF_FEN)
        .order_by("unit_id", "received_on", "id")
    ):
        sources_by_unit[payment.unit_id].append([payment, payment.amount - fees.money(payment.applied)])
    rows = []
    for unit_id, open_items in open_by_unit.items():
        rows += _allocations(community, fund, open_items, sources_by_unit[unit_id], credits[unit_id])
    Allocation.objects.bulk_create(rows, batch_size=500)


def _allocations(community, fund, open_items, sources, credit: Decimal) -> list[Allocation]:
    """The allocations of ``credit`` to the open charges, drawing on the payments oldest first.

    Refunds and reversals have used up the newest money: the credit caps what is drawn from the sources.
    """
    shares = fees.allocate_fifo([(charge, amount) for charge, amount in open_items], credit)
    rows = []
    for share in shares:
        need = share.amount
        for source in sources:
            if need <= 0:
                break
            take = min(source[1], need)
            if take <= 0:
                continue
            rows.append(
                Allocation(
                    community=community,
                    fund=fund,
                    kind=Allocation.Kind.PAYMENT,
                    charge=share.key,
                    payment=source[0],
                    unit_id=share.key.unit_id,
                    period=share.key.period,
                    amount=take,
                )
            )
            source[1] -= take
            need -= take
    return rows


# ------------------------------------------------------------------ payments


def _existing_for_key(idempotency_key: str, unit: Unit, amount: Decimal) -> Payment | None:
    existing = Payment.objects.filter(idempotency_key=idempotency_key).first()
    if existing is None:
        return None
    if existing.unit_id != unit.pk or existing.amount != amount:
        raise ValidationError("这张表单已经提交过另一笔收款；请刷新页面后重新填写。")
    return existing


def amount_owed(unit: Unit, fund: str) -> Decimal:
    """Everything charged and not yet settled, less free credit (what paying in full means today)."""
    charges = list(Charge.objects.filter(unit=unit, fund=fund).values_list("pk", "amount"))
    settled = settled_by_charge([pk for pk, _a in charges])
    owed = sum((amount - settled[pk]["payment"] - settled[pk]["reversal"] for pk, amount in charges), fees.ZERO)
    return owed - free_credit(unit.pk, fund)


def payment_record(
    *,
    actor,
    community,
    unit: Unit,
    amount: Decimal,
    method: str,
    idempotency_key: str,
    fund: str = Fund.PROPERTY_FEES,
    received_on: date | None = None,
    payer_name: str = "",
    confirm_overpayment: bool = False,
    provider_reference: str = "",
    via_provider: bool = False,
) -> Payment:
    """Record money received for a unit, settle its charges oldest first and number its receipt.

    The same ``idempotency_key`` submitted twice returns the first payment and records nothing more. A payment
    beyond what is owed plus a small tolerance needs ``confirm_overpayment`` (it becomes a prepayment).
    ``via_provider`` is the online provider's confirmation, made for the household, not by a cashier.
    """
    if problem := fees.payment_problem(amount):
        raise ValidationError({"amount": problem})
    if community_of_unit(unit).pk != community.pk:
        raise ValidationError({"unit": "这套房屋不属于本小区，不能在这里收款。"})
    if not via_provider:
        _check_keeper(actor, community, fund)
    if not idempotency_key:
        raise ValidationError("缺少防重复提交标识，请刷新页面后重试。")
    if (existing := _existing_for_key(idempotency_key, unit, amount)) is not None:
        return existing
    try:
        with transaction.atomic():
            Unit.objects.select_for_update().filter(pk=unit.pk).first()
            if (existing := _existing_for_key(idempotency_key, unit, amount)) is not None:
                return existing
            owed = amount_owed(unit, fund)
            if not confirm_overpayment and fees.needs_overpayment_confirmation(
                amount=amount, due=owed, tolerance=overpayment_tolerance()
            ):
                raise ValidationError(
                    {
                        "amount": f"本次收款 {amount} 元超过应缴 {max(owed, fees.ZERO)} 元；"
                        "如确为预缴，请勾选“确认预缴”后再提交。"
                    }
                )
            received_on = received_on or timezone.localdate()
            payment = Payment.objects.create(
                community=community,
                fund=fund,
                kind=Payment.Kind.PAYMENT,
                unit=unit,
                method=method,
                amount=amount,
                received_on=received_on,
                payer_name=payer_name.strip(),
                receipt_no=next_receipt_no(community, SERIES_PAYMENT, received_on),
                idempotency_key=idempotency_key,
                provider_reference=provider_reference,
                recorded_by=actor if getattr(actor, "is_authenticated", False) else None,
            )
            _journal_payment(payment, debit=Book.CASH, credit=Book.RECEIVABLE, kind=LedgerEntry.Kind.PAYMENT)
            apply_credit(community=community, fund=fund, unit_ids=[unit.pk])
            audit_record(
                actor=actor,
                community=community,
                action="fees.payment_record",
                target=payment,
                after={"amount": str(amount), "method": method, "receipt": payment.receipt_no, "unit": unit.pk},
            )
            return payment
    except IntegrityError:
        # The same form submitted twice at once: the other request recorded it.
        existing = _existing_for_key(idempotency_key, unit, amount)
        if existing is None:
            raise
        return existing


def _journal_payment(payment: Payment, *, debit: str, credit: str, kind: str, reverses=None, reason="") -> None:
    LedgerEntry.objects.create(
        community=payment.community,
        fund=payment.fund,
        kind=kind,
        booked_on=payment.received_on,
        debit=debit,
        credit=credit,
        amount=payment.amount,
        unit=payment.unit,
        payment=payment,
        reverses=reverses,
        category=str(Payment.Kind(payment.kind).label) if reverses is None else reverses.category,
        counterparty=payment.payer_name,
        voucher_no=payment.receipt_no,
        description=reason,
        created_by=payment.recorded_by,
    )


@transaction.atomic
def refund_record(
    *,
    actor,
    unit: Unit,
    amount: Decimal,
    method: str,
    reason: str,
    idempotency_key: str,
    fund: str = Fund.PROPERTY_FEES,
) -> Payment:
    """Pay back money the household has in credit (a prepayment, an overpayment, fees refunded under F-04)."""
    community = community_of_unit(unit)
    _check_keeper(actor, community, fund)
    if problem := fees.payment_problem(amount):
        raise ValidationError({"amount": problem})
    if not reason.strip():
        raise ValidationError({"reason": "请写明退款原因。"})
    if (existing := _existing_for_key(idempotency_key, unit, amount)) is not None:
        return existing
    Unit.objects.select_for_update().filter(pk=unit.pk).first()
    credit = free_credit(unit.pk, fund)
    if amount > credit:
        raise ValidationError({"amount": f"该户只有 {max(credit, fees.ZERO)} 元预缴余额可退。"})
    today = timezone.localdate()
    refund = Payment.objects.create(
        community=community,
        fund=fund,
        kind=Payment.Kind.REFUND,
        unit=unit,
        method=method,
        amount=amount,
        received_on=today,
        reason=reason.strip(),
        receipt_no=next_receipt_no(community, SERIES_REFUND, today),
        idempotency_key=idempotency_key,
        recorded_by=actor,
    )
    _journal_payment(refund, debit=Book.RECEIVABLE, credit=Book.CASH, kind=LedgerEntry.Kind.REFUND)
    audit_record(
        actor=actor,
        community=community,
        action="fees.refund_record",
        target=refund,
        after={"amount": str(amount), "receipt": refund.receipt_no},
        note=reason,
    )
    return refund


@transaction.atomic
def payment_reverse(*, actor, payment: Payment, reason: str) -> Payment:
    """Undo a payment entered by mistake or returned by the bank: a reversing payment, entry and allocations."""
    _check_keeper(actor, payment.community, payment.fund)
    if not reason.strip():
        raise ValidationError({"reason": "冲正必须写明原因。"})
    Unit.objects.select_for_update().filter(pk=payment.unit_id).first()
    if payment.kind != Payment.Kind.PAYMENT:
        raise ValidationError("只能冲正收款记录。")
    if Payment.objects.filter(reverses=payment).exists():
        raise ValidationError("这笔收款已经冲正过。")
    today = timezone.localdate()
    reversal = Payment.objects.create(
        community=payment.community,
        fund=payment.fund,
        kind=Payment.Kind.REVERSAL,
        unit=payment.unit,
        method=payment.method,
        amount=payment.amount,
        received_on=today,
        reverses=payment,
        reason=reason.strip(),
        receipt_no=next_receipt_no(payment.community, SERIES_REVERSAL, today),
        idempotency_key=f"reversal-{payment.pk}",
        recorded_by=actor,
    )
    original_entry = payment.entries.get(reverses__isnull=True, kind=LedgerEntry.Kind.PAYMENT)
    _journal_payment(
        reversal,
        debit=Book.RECEIVABLE,
        credit=Book.CASH,
        kind=LedgerEntry.Kind.REVERSAL,
        reverses=original_entry,
        reason=reason.strip(),
    )
    _undo_allocations(payment.allocations.values("charge_id").annotate(total=Sum("amount")), payment=payment)
    apply_credit(community=payment.community, fund=payment.fund, unit_ids=[payment.unit_id])
    audit_record(
        actor=actor,
        community=payment.community,
        action="fees.payment_reverse",
        target=payment,
        after={"reversal": reversal.receipt_no},
        note=reason,
    )
    return reversal


def _undo_allocations(rows, *, payment: Payment | None = None, charge: Charge | None = None) -> None:
    """Negative allocations cancelling what was applied (per charge of a payment, or per payment of a charge)."""
    undo = []
    for row in rows:
        if row["total"] == 0:
            continue
        target_charge = charge or Charge.objects.get(pk=row["charge_id"])
        source = payment or Payment.objects.get(pk=row["payment_id"])
        undo.append(
            Allocation(
                community_id=target_charge.community_id,
                fund=target_charge.fund,
                kind=Allocation.Kind.PAYMENT,
                charge=target_charge,
                payment=source,
                unit_id=target_charge.unit_id,
                period=target_charge.period,
                amount=-row["total"],
            )
        )
    Allocation.objects.bulk_create(undo)


@transaction.atomic
def charge_reverse(*, actor, charge: Charge, reason: str, reapply: bool = True) -> LedgerEntry:
    """Cancel a charge made in error. Money already applied to it is released and settles other charges
    (``reapply=False`` leaves it free for the corrected charge that follows, see ``charge_correct``)."""
    _check_keeper(actor, charge.community, charge.fund)
    if not reason.strip():
        raise ValidationError({"reason": "冲正必须写明原因。"})
    Unit.objects.select_for_update().filter(pk=charge.unit_id).first()
    if charge.allocations.filter(kind=Allocation.Kind.REVERSAL).exists():
        raise ValidationError("这笔费用已经冲正过。")
    _undo_allocations(
        charge.allocations.filter(kind=Allocation.Kind.PAYMENT).values("payment_id").annotate(total=Sum("amount")),
        charge=charge,
    )
    Allocation.objects.create(
        community_id=charge.community_id,
        fund=charge.fund,
        kind=Allocation.Kind.REVERSAL,
        charge=charge,
        unit_id=charge.unit_id,
        period=charge.period,
        amount=charge.amount,
    )
    original = charge.entries.get(kind=LedgerEntry.Kind.CHARGE)
    entry = LedgerEntry.objects.create(
        community_id=charge.community_id,
        fund=charge.fund,
        kind=LedgerEntry.Kind.REVERSAL,
        booked_on=timezone.localdate(),
        debit=original.credit,
        credit=original.debit,
        amount=original.amount,
        unit_id=charge.unit_id,
        charge=charge,
        reverses=original,
        category=original.category,
        description=reason.strip(),
        created_by=actor,
    )
    if reapply:
        apply_credit(community=charge.community, fund=charge.fund, unit_ids=[charge.unit_id])
    audit_record(
        actor=actor,
        community=charge.community,
        action="fees.charge_reverse",
        target=charge,
        before={"amount": str(charge.amount)},
        note=reason,
    )
    return entry


@transaction.atomic
def charge_correct(*, actor, charge: Charge, amount: Decimal, reason: str) -> Charge:
    """A wrong amount: reverse the charge and issue the corrected one for the same period (both kept)."""
    if problem := fees.payment_problem(amount):
        raise ValidationError({"amount": problem})
    if amount == charge.amount:
        raise ValidationError({"amount": "新金额与原金额相同，无需更正。"})
    # The money released from the wrong charge settles the corrected one first (same month, same due date).
    charge_reverse(actor=actor, charge=charge, reason=reason, reapply=False)
    return charge_add(
        actor=actor,
        unit=charge.unit,
        fund=charge.fund,
        amount=amount,
        period=charge.period,
        due_on=charge.due_on,
        kind=Charge.Kind.ADJUSTMENT,
        description=f"更正 {charge.period:%Y-%m}：{reason.strip()}"[:200],
        corrects=charge,
    )


def new_idempotency_key() -> str:
    """Put into a form when it is shown; the same key coming back twice is the same submission."""
    return uuid.uuid4().hex


@transaction.atomic
def late_fee_assess(*, actor, charge: Charge, on: date | None = None) -> Charge:
    """F-05: a contractual late fee on one overdue periodic charge, only when its schedule's contract sets a rate.

    Charged once per charge, on the open principal only (never on an earlier late fee), capped at 30% of it,
    and kept as its own charge so the statement shows it apart from the fee.
    """
    _check_keeper(actor, charge.community, charge.fund)
    on = on or timezone.localdate()
    schedule = charge.schedule
    if charge.kind != Charge.Kind.PERIODIC or schedule is None or not schedule.late_fee_daily_rate:
        raise ValidationError("合同未约定违约金，不能收取（F-05）。")
    Unit.objects.select_for_update().filter(pk=charge.unit_id).first()
    if Charge.objects.filter(unit=charge.unit, fund=charge.fund, period=charge.period, kind=Charge.Kind.LATE_FEE):
        raise ValidationError("这笔费用的违约金已经计收过。")
    parts = settled_by_charge([charge.pk])[charge.pk]
    principal = charge.amount - parts["payment"] - parts["reversal"]
    days_late = (on - charge.due_on).days
    amount = fees.late_fee(principal=principal, days_late=days_late, daily_rate=schedule.late_fee_daily_rate)
    if amount <= 0:
        raise ValidationError("这笔费用没有逾期未缴的金额，不产生违约金。")
    late = charge_add(
        actor=actor,
        unit=charge.unit,
        fund=charge.fund,
        amount=amount,
        period=charge.period,
        due_on=on,
        kind=Charge.Kind.LATE_FEE,
        description=(
            f"{charge.period:%Y-%m} 违约金：{principal} 元 × {schedule.late_fee_daily_rate} × {days_late} 天"
            f"（{schedule.late_fee_clause}，上限 30%）"
        )[:200],
    )
    audit_record(
        actor=actor,
        community=charge.community,
        action="fees.late_fee_assess",
        target=late,
        after={"amount": str(amount), "principal": str(principal), "days": days_late},
        note=schedule.late_fee_clause,
    )
    return late
