"""Forms of the fee desk. They parse only: property/services/ledger.py and reminders.py decide and refuse."""

import re
from datetime import date

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from home.models import Building
from property.domain import arrears as rules
from property.models import Charge, FeeSchedule, Fund, Payment
from property.models.ledger import UNIT_KINDS

COUNTER_METHODS = [(Payment.Method.CASH, _("cash")), (Payment.Method.TRANSFER, _("bank transfer"))]


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, attrs=None):
        super().__init__(attrs, format="%Y-%m-%d")


class MonthField(forms.CharField):
    """An ``<input type="month">`` read as the first day of that month."""

    widget = forms.TextInput(attrs={"type": "month", "placeholder": "2026-01"})

    def to_python(self, value):
        value = super().to_python(value)
        if not value:
            return None
        match = re.fullmatch(r"(\d{4})-(\d{1,2})", value.strip())
        if not match or not 1 <= int(match.group(2)) <= 12:
            raise ValidationError(_("Choose a month, e.g. 2026-01."), code="invalid")
        return date(int(match.group(1)), int(match.group(2)), 1)

    def prepare_value(self, value):
        return f"{value:%Y-%m}" if isinstance(value, date) else value


def fund_choices(funds) -> list[tuple[str, str]]:
    labels = dict(Fund.choices)
    return [(fund, labels[fund]) for fund in funds]


class FundForm(forms.Form):
    """A form whose first field is one of the accounts the user keeps."""

    fund = forms.ChoiceField(label=_("Account"), choices=())

    def __init__(self, *args, funds, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["fund"].choices = fund_choices(funds)
        if Fund.PROPERTY_FEES in funds and not self.is_bound:
            self.fields["fund"].initial = Fund.PROPERTY_FEES


class UnitFindForm(forms.Form):
    building = forms.ModelChoiceField(label=_("Building"), queryset=Building.objects.none(), empty_label=None)
    room = forms.CharField(
        label=_("Room"), max_length=40, help_text=_("e.g. 301, or 2单元301 where several entrances have a 301.")
    )

    def __init__(self, *args, community, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["building"].queryset = Building.objects.filter(community_id=community.pk).order_by(
            "sort_order", "name"
        )


class ScheduleForm(FundForm):
    unit_kind = forms.ChoiceField(label=_("Kind of unit"), choices=UNIT_KINDS)
    basis = forms.ChoiceField(label=_("Basis"), choices=FeeSchedule.Basis.choices, initial=FeeSchedule.Basis.PER_M2)
    rate = forms.DecimalField(
        label=_("Rate (yuan)"),
        max_digits=10,
        decimal_places=4,
        help_text=_("Per m² of effective area per month, or the fixed amount per month."),
    )
    valid_from = forms.DateField(label=_("Valid from"), widget=DateInput)
    valid_until = forms.DateField(
        label=_("Valid until"), widget=DateInput, required=False, help_text=_("Leave empty: valid until replaced.")
    )
    approval_reference = forms.CharField(
        label=_("Approved by"),
        max_length=200,
        help_text=_("The contract clause or owners' decision that set this rate (F-04), e.g. 物业服务合同第五条"),
    )
    late_fee_daily_rate = forms.DecimalField(
        label=_("Late fee per day (share of the amount due)"),
        max_digits=8,
        decimal_places=6,
        required=False,
        help_text=_("Leave empty unless the property service contract sets a late fee (F-05), e.g. 0.0003."),
    )
    late_fee_clause = forms.CharField(
        label=_("Contract clause for the late fee"),
        max_length=200,
        required=False,
        help_text=_("Required with a late fee: the clause of the contract that sets it."),
    )


class ScheduleEndForm(forms.Form):
    valid_until = forms.DateField(label=_("Last day of this rate"), widget=DateInput)


class ChargeRunForm(FundForm):
    period = MonthField(label=_("Month to charge"))


class PaymentForm(FundForm):
    amount = forms.DecimalField(label=_("Amount (yuan)"), max_digits=12, decimal_places=2)
    method = forms.ChoiceField(label=_("Method"), choices=COUNTER_METHODS, initial=Payment.Method.CASH)
    received_on = forms.DateField(label=_("Date received"), widget=DateInput)
    payer_name = forms.CharField(label=_("Paid by"), max_length=100, required=False)
    confirm_overpayment = forms.BooleanField(
        label=_("Confirm prepayment: the household pays more than it owes"),
        required=False,
        widget=forms.HiddenInput,
    )
    idempotency_key = forms.CharField(widget=forms.HiddenInput, max_length=64)

    def offer_confirmation(self) -> None:
        """Show the prepayment checkbox (after the writer refused an overpayment without it)."""
        self.fields["confirm_overpayment"].widget = forms.CheckboxInput()

    @property
    def offers_confirmation(self) -> bool:
        return isinstance(self.fields["confirm_overpayment"].widget, forms.CheckboxInput)


class RefundForm(FundForm):
    amount = forms.DecimalField(label=_("Amount (yuan)"), max_digits=12, decimal_places=2)
    method = forms.ChoiceField(label=_("Method"), choices=COUNTER_METHODS, initial=Payment.Method.CASH)
    reason = forms.CharField(label=_("Reason"), max_length=200)
    idempotency_key = forms.CharField(widget=forms.HiddenInput, max_length=64)


class PaymentReverseForm(forms.Form):
    payment = forms.ModelChoiceField(label=_("Payment"), queryset=Payment.objects.none())
    reason = forms.CharField(label=_("Reason"), max_length=200, help_text=_("e.g. entered twice, transfer returned."))

    def __init__(self, *args, payments, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["payment"].queryset = payments
        self.fields["payment"].label_from_instance = lambda p: (
            f"{p.receipt_no} · {p.received_on:%Y-%m-%d} · {p.amount:.2f} 元 · {p.get_fund_display()}"
        )


class ChargeCorrectForm(forms.Form):
    charge = forms.ModelChoiceField(label=_("Charge"), queryset=Charge.objects.none())
    new_amount = forms.DecimalField(
        label=_("Correct amount (yuan)"),
        max_digits=12,
        decimal_places=2,
        required=False,
        help_text=_("Leave empty to cancel the charge; give the right amount to replace it."),
    )
    reason = forms.CharField(label=_("Reason"), max_length=200)

    def __init__(self, *args, charges, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["charge"].queryset = charges
        self.fields["charge"].label_from_instance = lambda c: (
            f"{c.period:%Y-%m} · {c.get_kind_display()} · {c.amount:.2f} 元 · {c.get_fund_display()}"
        )


class ReminderForm(FundForm):
    deadline = forms.DateField(label=_("Pay by"), widget=DateInput)
    note = forms.CharField(
        label=_("Note (optional)"),
        max_length=200,
        required=False,
        help_text=_("e.g. the desk's opening hours. Never a threat to cut water, power, heating or gas."),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["deadline"].help_text = gettext(
            "At least %(days)s days from today: a reasonable period (Civil Code art. 944)."
        ) % {"days": rules.MIN_REMINDER_DAYS}


class BulkReminderForm(ReminderForm):
    min_months = forms.IntegerField(label=_("Households overdue for at least (months)"), min_value=1, initial=3)


class NoticeForm(FundForm):
    min_months = forms.IntegerField(
        label=_("List units overdue for at least (months)"), min_value=1, initial=rules.DEFAULT_NOTICE_MONTHS
    )
    days = forms.IntegerField(label=_("Show for (days)"), min_value=1, initial=rules.MAX_NOTICE_DAYS)
