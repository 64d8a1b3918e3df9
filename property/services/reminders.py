"""Reminders to pay (催告, F-01) and the arrears notice for fellow owners (欠费公示, D-06).

Late payment is met with a written reminder giving a reasonable period, then (outside the product) a lawsuit or
arbitration: nothing here, or anywhere in the product, suggests cutting water, power, heating or gas (Civil Code
art. 944). A unit may appear on an arrears notice only after a reminder whose deadline has passed; the notice
shows masked rooms and bands, never names, phones or exact amounts, and its list is read live, so a unit that pays
drops off at once.

Writers check the permission again, refuse in Chinese, work in one transaction and leave an audit entry. The reads
at the end serve the notice page (the lead may move them to property/selectors.py).
"""

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Count, Max, Min, Q, Sum
from django.urls import NoReverseMatch, reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from home.domain.masking import mask_room
from home.models import Building, Ownership, Residency, Unit
from home.services.audit import audit_record
from home.services.notifications import notify
from property import permissions
from property.domain import arrears as rules
from property.domain.fees import ZERO, add_months, arrears_band, collection_rate, money, period_start
from property.models import Allocation, ArrearsNotice, Charge, Fund, Reminder
from property.selectors import arrears_by_unit, open_overdue_charges


def _check_keeper(actor, community, fund) -> None:
    if not permissions.can_keep_fund(actor, community, fund):
        raise PermissionDenied("您没有为本小区该账户催缴或公示欠费的权限。")


def _today() -> date:
    return timezone.localdate()


def max_notice_days() -> int:
    return int(getattr(settings, "PORTAL_ARREARS_NOTICE_MAX_DAYS", rules.MAX_NOTICE_DAYS))


def _url(name: str, *args) -> str:
    try:
        return reverse(name, args=args)
    except NoReverseMatch:
        return ""


# ------------------------------------------------------------------ what is overdue, who is told


@dataclass
class Overdue:
    amount: Decimal = ZERO
    months: int = 0
    oldest: date | None = None


def overdue_of(unit_ids, fund: str, today: date) -> dict[int, Overdue]:
    """Overdue amount, number of open overdue charges (months) and oldest open period per unit; one query."""
    rows = (
        open_overdue_charges(today, fund, unit_id__in=list(unit_ids))
        .values("unit_id")
        .annotate(overdue=Sum("open"), months=Count("id"), oldest=Min("period"))
    )
    return {row["unit_id"]: Overdue(money(row["overdue"]), row["months"], row["oldest"]) for row in rows}


def recipients_of(unit_ids) -> dict[int, list]:
    """The users to tell about a unit's arrears: its current owners and verified residents with an account."""
    today = _today()
    current = Q(ended_on__isnull=True) | Q(ended_on__gte=today)
    people: dict[int, set[int]] = defaultdict(set)
    for model in (Ownership, Residency):
        for unit_id, user_id in model.objects.filter(
            current, unit_id__in=list(unit_ids), person__user__isnull=False, person__user__is_active=True
        ).values_list("unit_id", "person__user_id"):
            people[unit_id].add(user_id)
    users = get_user_model().objects.in_bulk({uid for ids in people.values() for uid in ids})
    return {unit_id: [users[uid] for uid in sorted(ids) if uid in users] for unit_id, ids in people.items()}


def reminder_text(*, unit_label: str, fund: str, overdue: Overdue, deadline: date, note: str = "") -> tuple[str, str]:
    """Title and body of the reminder: the amount, the months, the deadline, how to pay and whom to ask."""
    title = _("Reminder to pay: %(unit)s") % {"unit": unit_label}
    body = _(
        "Hello. The %(account)s of %(unit)s are overdue: %(months)s month(s) since %(oldest)s, %(amount)s yuan "
        "in all. Please pay by %(deadline)s, in cash or by bank transfer at the property service desk, or online "
        "on this portal. If a charge seems wrong to you, or paying is difficult for you at the moment, please "
        "contact the property service desk; we will look at it with you. Thank you for your understanding."
    ) % {
        "account": Fund(fund).label,
        "unit": unit_label,
        "months": overdue.months,
        "oldest": f"{overdue.oldest:%Y-%m}" if overdue.oldest else "—",
        "amount": f"{overdue.amount:.2f}",
        "deadline": f"{deadline:%Y-%m-%d}",
    }
    if note.strip():
        body += "\n" + _("Note: %(note)s") % {"note": note.strip()}
    return title, body


def _note_problem(note: str) -> str | None:
    if rules.mentions_utility_cut(note):
        return "催告不得以停水、停电、停暖、停气相威胁（民法典第九百四十四条），请修改附言。"
    if len(note) > 200:
        return "附言最多 200 字。"
    return None


def _active_reminders(unit_ids, fund: str, today: date) -> dict[int, Reminder]:
    """Reminders whose deadline has not passed yet, per unit (the household is still within its period)."""
    active = {}
    for reminder in Reminder.objects.filter(unit_id__in=list(unit_ids), fund=fund, deadline__gte=today).order_by(
        "sent_at"
    ):
        active[reminder.unit_id] = reminder
    return active


def _send(
    *, actor, community, unit: Unit, fund: str, overdue: Overdue, deadline: date, note: str, users, now=None
) -> Reminder:
    reminder = Reminder.objects.create(
        community=community,
        unit=unit,
        fund=fund,
        amount_due=overdue.amount,
        deadline=deadline,
        note=note.strip(),
        sent_by=actor,
        sent_at=now or timezone.now(),
    )
    title, body = reminder_text(unit_label=unit.label, fund=fund, overdue=overdue, deadline=deadline, note=note)
    url = _url("property:household", unit.pk)
    for user in users:
        notify(recipient=user, title=title, body=body, url=url)
    audit_record(
        actor=actor,
        community=community,
        action="fees.reminder_send",
        target=reminder,
        after={
            "unit": unit.pk,
            "fund": fund,
            "amount_due": str(overdue.amount),
            "months": overdue.months,
            "deadline": str(deadline),
            "told": len(users),
        },
        note=note.strip(),
    )
    return reminder


@transaction.atomic
def reminder_send(*, actor, unit: Unit, fund: str = Fund.PROPERTY_FEES, deadline: date, note: str = "") -> Reminder:
    """A written reminder to one household (F-01): refused without an overdue amount, with a deadline less than
    seven days away, while an earlier reminder's deadline is still running, or with a note threatening a cut."""
    unit = Unit.objects.select_related("entrance__building__community").get(pk=unit.pk)
    community = unit.entrance.building.community
    _check_keeper(actor, community, fund)
    today = _today()
    errors = {}
    if problem := rules.deadline_problem(deadline, today):
        errors["deadline"] = problem
    if problem := _note_problem(note):
        errors["note"] = problem
    if errors:
        raise ValidationError(errors)
    overdue = overdue_of([unit.pk], fund, today).get(unit.pk)
    if overdue is None or overdue.amount <= 0:
        raise ValidationError("该户没有逾期未缴的费用，无需催告。")
    if (active := _active_reminders([unit.pk], fund, today).get(unit.pk)) is not None:
        sent = timezone.localtime(active.sent_at)
        raise ValidationError(f"该户已于 {sent:%Y-%m-%d} 收到催告，缴费期限 {active.deadline:%Y-%m-%d} 尚未届满。")
    users = recipients_of([unit.pk]).get(unit.pk, [])
    return _send(
        actor=actor,
        community=community,
        unit=unit,
        fund=fund,
        overdue=overdue,
        deadline=deadline,
        note=note,
        users=users,
    )


@dataclass
class BulkReminderResult:
    sent: list[Reminder] = field(default_factory=list)
    still_running: int = 0  # skipped: an earlier reminder's deadline has not passed
    without_account: list[str] = field(default_factory=list)  # reminded, but nobody to tell online: deliver on paper


@transaction.atomic
def reminders_send_overdue(
    *,
    actor,
    community,
    fund: str = Fund.PROPERTY_FEES,
    min_months: int = 1,
    deadline: date,
    note: str = "",
    now=None,
) -> BulkReminderResult:
    """Remind every household with at least ``min_months`` overdue months whose last reminder has run out.

    ``now`` (default: now) is when the reminders go out; the demo sends some in the past."""
    _check_keeper(actor, community, fund)
    now = now or timezone.now()
    today = timezone.localdate(now)
    errors = {}
    if problem := rules.deadline_problem(deadline, today):
        errors["deadline"] = problem
    if min_months is None or min_months < 1:
        errors["min_months"] = "欠费月数至少为 1。"
    if problem := _note_problem(note):
        errors["note"] = problem
    if errors:
        raise ValidationError(errors)
    owing = [a for a in arrears_by_unit(community, fund, today) if a.open_months >= min_months]
    if not owing:
        raise ValidationError(f"没有逾期 {min_months} 个月及以上的住户，无需催告。")
    unit_ids = [a.unit_id for a in owing]
    active = _active_reminders(unit_ids, fund, today)
    targets = [a for a in owing if a.unit_id not in active]
    result = BulkReminderResult(still_running=len(owing) - len(targets))
    units = Unit.objects.select_related("entrance__building").in_bulk([a.unit_id for a in targets])
    told = recipients_of([a.unit_id for a in targets])
    for arrear in targets:
        users = told.get(arrear.unit_id, [])
        overdue = Overdue(arrear.overdue, arrear.open_months, arrear.oldest_period)
        result.sent.append(
            _send(
                actor=actor,
                community=community,
                unit=units[arrear.unit_id],
                fund=fund,
                overdue=overdue,
                deadline=deadline,
                note=note,
                users=users,
                now=now,
            )
        )
        if not users:
            result.without_account.append(arrear.label)
    return result


def reminders_of(community, fund: str | None = None):
    """The reminders sent in a community, newest first, with what the list shows loaded."""
    reminders = Reminder.objects.filter(community=community).select_related("unit__entrance__building", "sent_by")
    return reminders.filter(fund=fund) if fund else reminders


def last_reminders(unit_ids, fund: str) -> dict[int, Reminder]:
    """The latest reminder per unit (one query)."""
    latest = {}
    for reminder in Reminder.objects.filter(unit_id__in=list(unit_ids), fund=fund).order_by("sent_at", "pk"):
        latest[reminder.unit_id] = reminder
    return latest


# ------------------------------------------------------------------ the arrears notice (D-06)


def showing_notices(community, today: date | None = None):
    """Notices of the community still on display (not withdrawn, not expired), newest first."""
    today = today or _today()
    return ArrearsNotice.objects.filter(community=community, withdrawn_at__isnull=True, expires_on__gte=today)


@transaction.atomic
def arrears_notice_publish(
    *,
    actor,
    community,
    fund: str = Fund.PROPERTY_FEES,
    min_months: int = rules.DEFAULT_NOTICE_MONTHS,
    days: int = rules.MAX_NOTICE_DAYS,
) -> ArrearsNotice:
    """Post the masked arrears list for the community's owners for ``days`` days (at most the configured
    maximum, 30 by default). Units appear only after a reminder whose deadline has passed (D-06)."""
    _check_keeper(actor, community, fund)
    errors = {}
    if problem := rules.notice_days_problem(days, max_notice_days()):
        errors["days"] = problem
    if min_months is None or min_months < 1:
        errors["min_months"] = "欠费月数至少为 1。"
    if errors:
        raise ValidationError(errors)
    today = _today()
    if showing_notices(community, today).select_for_update().filter(fund=fund).exists():
        raise ValidationError("该账户已有一份正在公示的欠费名单；如需调整，请先撤下。")
    notice = ArrearsNotice.objects.create(
        community=community,
        fund=fund,
        min_months=min_months,
        expires_on=rules.notice_expires_on(today, days),
        published_by=actor,
    )
    audit_record(
        actor=actor,
        community=community,
        action="fees.arrears_notice_publish",
        target=notice,
        after={"fund": fund, "min_months": min_months, "expires_on": str(notice.expires_on)},
    )
    return notice


@transaction.atomic
def arrears_notice_withdraw(*, actor, notice: ArrearsNotice) -> ArrearsNotice:
    notice = ArrearsNotice.objects.select_for_update().select_related("community").get(pk=notice.pk)
    _check_keeper(actor, notice.community, notice.fund)
    if notice.withdrawn_at is not None:
        raise ValidationError("这份欠费公示已经撤下。")
    notice.withdrawn_at = timezone.now()
    notice.save(update_fields=["withdrawn_at"])
    audit_record(
        actor=actor,
        community=notice.community,
        action="fees.arrears_notice_withdraw",
        target=notice,
        before={"expires_on": str(notice.expires_on)},
        after={"withdrawn_at": notice.withdrawn_at.isoformat()},
    )
    return notice


@dataclass
class NoticeRow:
    """What fellow owners see of one unit: the masked room and two bands. Nothing else."""

    room: str
    amount_band: str
    months_band: str


def notice_rows(notice: ArrearsNotice, today: date | None = None) -> list[NoticeRow]:
    """The units listed now (read live: a unit that pays drops off at once); four queries."""
    today = today or _today()
    if not rules.notice_is_showing(
        expires_on=notice.expires_on, withdrawn=notice.withdrawn_at is not None, today=today
    ):
        return []
    owing = [a for a in arrears_by_unit(notice.community, notice.fund, today) if a.open_months >= notice.min_months]
    if not owing:
        return []
    reminded = dict(
        Reminder.objects.filter(unit_id__in=[a.unit_id for a in owing], fund=notice.fund, deadline__lt=today)
        .values("unit_id")
        .annotate(last=Max("sent_at"))
        .values_list("unit_id", "last")
    )
    listed = [
        a
        for a in owing
        if rules.may_list(
            rules.NoticeCandidate(
                a.unit_id,
                a.open_months,
                a.oldest_period,
                timezone.localtime(reminded[a.unit_id]).date() if a.unit_id in reminded else None,
            ),
            min_months=notice.min_months,
        )
    ]
    units = Unit.objects.select_related("entrance__building").in_bulk([a.unit_id for a in listed])
    ordered = sorted(
        listed,
        key=lambda a: (
            units[a.unit_id].entrance.building.sort_order,
            units[a.unit_id].entrance.building.name,
            units[a.unit_id].entrance.sort_order,
            units[a.unit_id].room,
        ),
    )
    return [
        NoticeRow(
            room=mask_room(
                units[a.unit_id].entrance.building.name, units[a.unit_id].entrance.name, units[a.unit_id].room
            ),
            amount_band=arrears_band(a.overdue),
            months_band=rules.months_band(a.open_months),
        )
        for a in ordered
    ]


@dataclass
class BuildingCollection:
    building_id: int
    building: str
    charged: Decimal
    collected: Decimal

    @property
    def rate(self) -> Decimal | None:
        return collection_rate(self.collected, self.charged)


def collection_by_building(community, fund: str, first: date, last: date) -> list[BuildingCollection]:
    """Per building: charged (net of cancellations) and collected for the periods; aggregates only (D-06 rule 6).
    Three queries."""
    path = "unit__entrance__building_id"
    scope = {"community": community, "fund": fund, "period__gte": first, "period__lte": last}
    charged = dict(Charge.objects.filter(**scope).values(path).annotate(total=Sum("amount")).values_list(path, "total"))
    allocated: dict[int, dict[str, Decimal]] = defaultdict(lambda: {"payment": ZERO, "reversal": ZERO})
    for row in Allocation.objects.filter(**scope).values(path, "kind").annotate(total=Sum("amount")):
        allocated[row[path]][row["kind"]] = money(row["total"])
    return [
        BuildingCollection(
            building.pk,
            building.name,
            money(charged.get(building.pk) or ZERO) - allocated[building.pk]["reversal"],
            allocated[building.pk]["payment"],
        )
        for building in Building.objects.filter(community=community).order_by("sort_order", "name")
        if building.pk in charged
    ]


def twelve_months(today: date) -> tuple[date, date]:
    """The first and last period of the twelve months up to this one."""
    last = period_start(today)
    return add_months(last, -11), last
