"""The community's ledger: fee schedules, charges, payments, their allocation, and the journal of entries.

Charges, payments, allocations and journal entries are append-only (AppendOnly, plus database triggers added in
the migration). Balances are always derived from them (property/selectors.py); nothing stores a running total.
"""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from .base import AppendOnly

UNIT_KINDS = [
    ("residence", _("residence")),
    ("special_space", _("parking space, stall or similar special space")),
]


class Fund(models.TextChoices):
    """The accounts of one community's ledger (issue 6)."""

    PROPERTY_FEES = "property_fees", _("property fees")
    COST_SHARING = "cost_sharing", _("renovation cost-sharing")
    PUBLIC_INCOME = "public_income", _("public income")
    WORKING_FUND = "working_fund", _("committee working fund")
    DONATIONS = "donations", _("donations")


class Book(models.TextChoices):
    """The side of an entry: every journal entry moves its amount from the credit book to the debit book."""

    RECEIVABLE = "receivable", _("receivable from households")
    CASH = "cash", _("cash and bank")
    INCOME = "income", _("income")
    EXPENSE = "expense", _("expenditure")


class FeeSchedule(models.Model):
    """A rate for one kind of unit, valid between two dates: 元/m²/month on the effective area, or a fixed amount
    per month (F-03). A schedule that has been charged is never changed; a new rate is a new schedule (F-04)."""

    class Basis(models.TextChoices):
        PER_M2 = "per_m2", _("yuan per m² per month on the effective area")
        FIXED = "fixed", _("fixed amount per month")

    community = models.ForeignKey("home.CommunityPage", on_delete=models.PROTECT, related_name="fee_schedules")
    fund = models.CharField(_("account"), max_length=20, choices=Fund.choices, default=Fund.PROPERTY_FEES)
    unit_kind = models.CharField(_("kind of unit"), max_length=20, choices=UNIT_KINDS)
    basis = models.CharField(_("basis"), max_length=10, choices=Basis.choices, default=Basis.PER_M2)
    rate = models.DecimalField(_("rate (yuan)"), max_digits=10, decimal_places=4)
    valid_from = models.DateField(_("valid from"))
    valid_until = models.DateField(_("valid until"), null=True, blank=True)
    approval_reference = models.CharField(
        _("approved by"),
        max_length=200,
        help_text=_("The contract clause or owners' decision that set this rate (F-04), e.g. 物业服务合同第五条"),
    )
    late_fee_daily_rate = models.DecimalField(
        _("late fee per day (share of the amount due)"),
        max_digits=8,
        decimal_places=6,
        null=True,
        blank=True,
        help_text=_("Leave empty: no late fee unless the contract sets one (F-05)."),
    )
    late_fee_clause = models.CharField(_("contract clause for the late fee"), max_length=200, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["community_id", "fund", "unit_kind", "-valid_from"]
        constraints = [
            models.CheckConstraint(condition=Q(rate__gt=0), name="fee_schedule_rate_positive"),
            models.CheckConstraint(
                condition=Q(valid_until__isnull=True) | Q(valid_until__gte=models.F("valid_from")),
                name="fee_schedule_dates_ordered",
            ),
            models.CheckConstraint(
                condition=Q(late_fee_daily_rate__isnull=True) | ~Q(late_fee_clause=""),
                name="fee_schedule_late_fee_needs_clause",
            ),
        ]
        verbose_name = _("fee schedule")
        verbose_name_plural = _("fee schedules")

    def __str__(self):
        return f"{self.get_unit_kind_display()} {self.rate} ({self.valid_from}–{self.valid_until or ''})"


class ChargeRun(AppendOnly):
    """One run of the periodic charges for a period: who ran it and what it added."""

    community = models.ForeignKey("home.CommunityPage", on_delete=models.PROTECT, related_name="charge_runs")
    fund = models.CharField(_("account"), max_length=20, choices=Fund.choices, default=Fund.PROPERTY_FEES)
    period = models.DateField(_("period"), help_text=_("The first day of the month charged."))
    charges_created = models.PositiveIntegerField(default=0)
    total = models.DecimalField(max_digits=14, decimal_places=2, default=0)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-period", "-created_at"]
        verbose_name = _("charge run")
        verbose_name_plural = _("charge runs")


class Charge(AppendOnly):
    """What one unit owes for one period (or one cost-sharing plan): the document behind a receivable entry.

    ``payer`` is who is billed: the unit's owner, or the developer for an unsold or undelivered unit (P-08).
    The figures it was computed from are kept so a resident can see why the fee is what it is.
    """

    class Kind(models.TextChoices):
        PERIODIC = "periodic", _("periodic fee")
        COST_SHARE = "cost_share", _("renovation cost share")
        LATE_FEE = "late_fee", _("late fee (per contract)")
        ADJUSTMENT = "adjustment", _("corrected charge")

    community = models.ForeignKey("home.CommunityPage", on_delete=models.PROTECT, related_name="charges")
    fund = models.CharField(_("account"), max_length=20, choices=Fund.choices)
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices, default=Kind.PERIODIC)
    unit = models.ForeignKey("home.Unit", on_delete=models.PROTECT, related_name="charges")
    period = models.DateField(_("period"))
    due_on = models.DateField(_("due on"))
    amount = models.DecimalField(_("amount (yuan)"), max_digits=12, decimal_places=2)
    payer = models.ForeignKey(
        "home.Person", on_delete=models.PROTECT, null=True, blank=True, related_name="charges", verbose_name=_("payer")
    )
    charged_to_developer = models.BooleanField(_("charged to the developer"), default=False)
    schedule = models.ForeignKey(FeeSchedule, on_delete=models.PROTECT, null=True, blank=True, related_name="charges")
    cost_share_plan = models.ForeignKey(
        "property.CostSharePlan", on_delete=models.PROTECT, null=True, blank=True, related_name="charges"
    )
    corrects = models.ForeignKey(
        "self", on_delete=models.PROTECT, null=True, blank=True, related_name="corrections", verbose_name=_("corrects")
    )
    run = models.ForeignKey(ChargeRun, on_delete=models.PROTECT, null=True, blank=True, related_name="charges")
    area = models.DecimalField(_("billing area (m²)"), max_digits=10, decimal_places=2, null=True, blank=True)
    rate = models.DecimalField(_("rate"), max_digits=10, decimal_places=4, null=True, blank=True)
    description = models.CharField(_("description"), max_length=200, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["unit_id", "period", "id"]
        constraints = [
            models.CheckConstraint(condition=Q(amount__gt=0), name="charge_amount_positive"),
            # Running a period twice creates nothing new: one periodic charge per unit, account and month.
            models.UniqueConstraint(
                fields=["unit", "fund", "period"], condition=Q(kind="periodic"), name="uniq_periodic_charge"
            ),
            models.UniqueConstraint(
                fields=["unit", "cost_share_plan"], condition=Q(kind="cost_share"), name="uniq_cost_share_charge"
            ),
            models.UniqueConstraint(
                fields=["unit", "fund", "period"], condition=Q(kind="late_fee"), name="uniq_late_fee_charge"
            ),
        ]
        indexes = [
            models.Index(fields=["community", "fund", "period"], name="charge_community_period"),
            models.Index(fields=["unit", "fund", "period"], name="charge_unit_period"),
            models.Index(fields=["period", "fund"], include=["community", "amount"], name="charge_period_fund"),
        ]
        verbose_name = _("charge")
        verbose_name_plural = _("charges")

    def __str__(self):
        return f"{self.unit_id} {self.period:%Y-%m} {self.amount}"


class Payment(AppendOnly):
    """Money received from (or refunded to) a household, with its numbered receipt (收据).

    ``idempotency_key`` makes a double-submitted form or a repeated provider callback record the money once.
    A reversal (a payment entered by mistake, a bounced transfer) is its own row pointing at the original.
    """

    class Kind(models.TextChoices):
        PAYMENT = "payment", _("payment")
        REFUND = "refund", _("refund")
        REVERSAL = "reversal", _("reversal of a payment")

    class Method(models.TextChoices):
        CASH = "cash", _("cash")
        TRANSFER = "transfer", _("bank transfer")
        ONLINE = "online", _("online payment")

    community = models.ForeignKey("home.CommunityPage", on_delete=models.PROTECT, related_name="payments")
    fund = models.CharField(_("account"), max_length=20, choices=Fund.choices)
    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices, default=Kind.PAYMENT)
    unit = models.ForeignKey("home.Unit", on_delete=models.PROTECT, related_name="payments")
    method = models.CharField(_("method"), max_length=10, choices=Method.choices)
    amount = models.DecimalField(_("amount (yuan)"), max_digits=12, decimal_places=2)
    received_on = models.DateField(_("date"))
    payer_name = models.CharField(_("paid by"), max_length=100, blank=True)
    receipt_no = models.CharField(_("receipt number"), max_length=30)
    idempotency_key = models.CharField(max_length=64, unique=True)
    reverses = models.OneToOneField("self", on_delete=models.PROTECT, null=True, blank=True, related_name="reversed_by")
    reason = models.CharField(_("reason"), max_length=200, blank=True)
    provider_reference = models.CharField(_("provider reference"), max_length=64, blank=True)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-received_on", "-id"]
        constraints = [
            models.CheckConstraint(condition=Q(amount__gt=0), name="payment_amount_positive"),
            models.UniqueConstraint(fields=["community", "receipt_no"], name="uniq_payment_receipt_no"),
            models.CheckConstraint(
                condition=Q(kind="reversal", reverses__isnull=False) | (~Q(kind="reversal") & Q(reverses__isnull=True)),
                name="payment_reversal_points_at_original",
            ),
        ]
        indexes = [models.Index(fields=["unit", "fund"], name="payment_unit_fund")]
        verbose_name = _("payment")
        verbose_name_plural = _("payments")

    def __str__(self):
        return self.receipt_no

    @property
    def signed_amount(self):
        return self.amount if self.kind == self.Kind.PAYMENT else -self.amount


class Allocation(AppendOnly):
    """Which charge a payment settled (oldest first), or that a charge was cancelled by a reversal.

    A negative allocation undoes an earlier one (a payment reversed, a charge reversed after being paid).
    The period, unit and account are copied from the charge so the reports aggregate one table.
    """

    class Kind(models.TextChoices):
        PAYMENT = "payment", _("paid")
        REVERSAL = "reversal", _("cancelled by a reversal")

    community = models.ForeignKey("home.CommunityPage", on_delete=models.PROTECT, related_name="+")
    fund = models.CharField(max_length=20, choices=Fund.choices)
    kind = models.CharField(max_length=10, choices=Kind.choices)
    charge = models.ForeignKey(Charge, on_delete=models.PROTECT, related_name="allocations")
    payment = models.ForeignKey(Payment, on_delete=models.PROTECT, null=True, blank=True, related_name="allocations")
    unit = models.ForeignKey("home.Unit", on_delete=models.PROTECT, related_name="+")
    period = models.DateField()
    amount = models.DecimalField(max_digits=12, decimal_places=2)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.CheckConstraint(condition=~Q(amount=0), name="allocation_amount_not_zero"),
            models.CheckConstraint(
                condition=Q(kind="payment", payment__isnull=False) | Q(kind="reversal", payment__isnull=True),
                name="allocation_payment_matches_kind",
            ),
        ]
        indexes = [
            models.Index(fields=["community", "fund", "period"], name="alloc_community_period"),
            models.Index(fields=["unit", "fund"], name="alloc_unit_fund"),
            models.Index(
                fields=["period", "fund", "kind"], include=["community", "amount"], name="alloc_period_fund_kind"
            ),
        ]


class LedgerEntry(AppendOnly):
    """One journal entry of a community's ledger: ``amount`` moves from the ``credit`` book to the ``debit`` book
    of one account (fund). A correction is a reversing entry (debit and credit swapped) with a reason."""

    class Kind(models.TextChoices):
        CHARGE = "charge", _("charge")
        PAYMENT = "payment", _("payment received")
        REFUND = "refund", _("refund")
        INCOME = "income", _("income")
        EXPENSE = "expense", _("expenditure")
        DONATION = "donation", _("donation of money")
        REVERSAL = "reversal", _("reversing entry")

    community = models.ForeignKey("home.CommunityPage", on_delete=models.PROTECT, related_name="ledger_entries")
    fund = models.CharField(_("account"), max_length=20, choices=Fund.choices)
    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices)
    booked_on = models.DateField(_("date"))
    debit = models.CharField(_("debit"), max_length=12, choices=Book.choices)
    credit = models.CharField(_("credit"), max_length=12, choices=Book.choices)
    amount = models.DecimalField(_("amount (yuan)"), max_digits=14, decimal_places=2)
    unit = models.ForeignKey("home.Unit", on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    charge = models.ForeignKey(Charge, on_delete=models.PROTECT, null=True, blank=True, related_name="entries")
    payment = models.ForeignKey(Payment, on_delete=models.PROTECT, null=True, blank=True, related_name="entries")
    donation = models.ForeignKey(
        "property.Donation", on_delete=models.PROTECT, null=True, blank=True, related_name="entries"
    )
    reverses = models.OneToOneField("self", on_delete=models.PROTECT, null=True, blank=True, related_name="reversed_by")
    category = models.CharField(
        _("category"), max_length=50, blank=True, help_text=_("e.g. 广告位租金, 公共照明电费 (income and expenditure)")
    )
    counterparty = models.CharField(_("counterparty"), max_length=100, blank=True)
    voucher_no = models.CharField(_("voucher number"), max_length=30, blank=True)
    description = models.CharField(_("description"), max_length=200, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["booked_on", "id"]
        constraints = [
            models.CheckConstraint(condition=Q(amount__gt=0), name="ledger_amount_positive"),
            models.CheckConstraint(condition=~Q(debit=models.F("credit")), name="ledger_two_different_books"),
            models.CheckConstraint(
                condition=Q(kind="reversal", reverses__isnull=False) | (~Q(kind="reversal") & Q(reverses__isnull=True)),
                name="ledger_reversal_points_at_original",
            ),
        ]
        indexes = [
            models.Index(fields=["community", "fund", "booked_on"], name="ledger_community_fund_date"),
            models.Index(fields=["unit", "fund"], name="ledger_unit_fund"),
        ]
        verbose_name = _("ledger entry")
        verbose_name_plural = _("ledger entries")

    def __str__(self):
        return f"{self.booked_on} {self.get_fund_display()} {self.amount}"


class ReceiptSequence(models.Model):
    """The last receipt number used per community, series and year; locked while a number is taken."""

    community = models.ForeignKey("home.CommunityPage", on_delete=models.CASCADE, related_name="+")
    series = models.CharField(max_length=10)
    year = models.PositiveSmallIntegerField()
    last_number = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["community", "series", "year"], name="uniq_receipt_sequence")]

    def __str__(self):
        return f"{self.series}-{self.year}: {self.last_number}"


class Reminder(AppendOnly):
    """A written reminder to pay (催告, F-01) sent to the payer of a unit, with the deadline it sets.

    Reminders are the only thing the product does about late payment: never a suggestion to cut water, power,
    heating or gas (Civil Code art. 944). A unit can appear on an arrears notice only after one (D-06).
    """

    community = models.ForeignKey("home.CommunityPage", on_delete=models.PROTECT, related_name="+")
    unit = models.ForeignKey("home.Unit", on_delete=models.PROTECT, related_name="fee_reminders")
    fund = models.CharField(_("account"), max_length=20, choices=Fund.choices, default=Fund.PROPERTY_FEES)
    amount_due = models.DecimalField(_("amount due"), max_digits=12, decimal_places=2)
    deadline = models.DateField(_("pay by"))
    note = models.CharField(_("note"), max_length=200, blank=True)
    sent_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+")
    sent_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-sent_at"]
        indexes = [models.Index(fields=["community", "unit"], name="reminder_community_unit")]
        verbose_name = _("payment reminder")
        verbose_name_plural = _("payment reminders")


class ArrearsNotice(models.Model):
    """A posting of the arrears list for the community's signed-in owners (D-06), shown until ``expires_on``.

    The list itself is read live when shown, so a unit that has paid drops off at once (within 3 days at most).
    """

    community = models.ForeignKey("home.CommunityPage", on_delete=models.PROTECT, related_name="arrears_notices")
    fund = models.CharField(_("account"), max_length=20, choices=Fund.choices, default=Fund.PROPERTY_FEES)
    min_months = models.PositiveSmallIntegerField(_("listed from months in arrears"), default=3)
    published_at = models.DateTimeField(default=timezone.now)
    expires_on = models.DateField(_("shown until"))
    withdrawn_at = models.DateTimeField(null=True, blank=True)
    published_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+")

    class Meta:
        ordering = ["-published_at"]
        verbose_name = _("arrears notice")
        verbose_name_plural = _("arrears notices")

    def __str__(self):
        return f"{self.community_id} {self.published_at:%Y-%m-%d}"


class OnlinePayment(models.Model):
    """A household's online payment in progress with the provider; a ``Payment`` is recorded once it succeeds."""

    class Status(models.TextChoices):
        PENDING = "pending", _("waiting for the payment")
        SUCCEEDED = "succeeded", _("paid")
        FAILED = "failed", _("failed or cancelled")

    community = models.ForeignKey("home.CommunityPage", on_delete=models.PROTECT, related_name="+")
    unit = models.ForeignKey("home.Unit", on_delete=models.PROTECT, related_name="+")
    fund = models.CharField(max_length=20, choices=Fund.choices, default=Fund.PROPERTY_FEES)
    amount = models.DecimalField(max_digits=12, decimal_places=2)
    reference = models.CharField(max_length=64, unique=True)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.PENDING)
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    payment = models.OneToOneField(Payment, on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [models.CheckConstraint(condition=Q(amount__gt=0), name="online_payment_amount_positive")]

    def __str__(self):
        return self.reference
