"""Forms of the owners' accounts: cash entries, reversals, donations and cost-sharing plans. They parse only;
property.services.funds decides and refuses in Chinese."""

from decimal import Decimal

from django import forms
from django.utils.translation import gettext_lazy as _

from property.models import CostSharePlan, Donation
from property.services import funds as svc


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, attrs=None):
        super().__init__(attrs, format="%Y-%m-%d")


def money_field(label, **kwargs):
    return forms.DecimalField(
        label=label,
        max_digits=14,
        decimal_places=2,
        widget=forms.NumberInput(attrs={"step": "0.01", "inputmode": "decimal"}),
        **kwargs,
    )


class CashEntryForm(forms.Form):
    direction = forms.ChoiceField(
        label=_("Income or expenditure"),
        choices=[("income", _("income")), ("expense", _("expenditure"))],
        widget=forms.RadioSelect,
    )
    amount = money_field(_("Amount (yuan)"))
    category = forms.CharField(
        label=_("Category"),
        max_length=50,
        help_text=_("e.g. advertising space rent, parking on common land, lighting of common areas"),
    )
    counterparty = forms.CharField(label=_("Paid by / paid to"), max_length=100, required=False)
    booked_on = forms.DateField(label=_("Date"), widget=DateInput)
    voucher_no = forms.CharField(
        label=_("Voucher or invoice number"), max_length=30, required=False, help_text=_("Keep the paper voucher.")
    )
    description = forms.CharField(label=_("Note"), max_length=200, required=False)


class ReverseForm(forms.Form):
    reason = forms.CharField(label=_("Reason for the reversal"), max_length=200)


class DonationForm(forms.Form):
    kind = forms.ChoiceField(label=_("Kind of donation"), choices=Donation.Kind.choices, widget=forms.RadioSelect)
    donor_name = forms.CharField(label=_("Donor"), max_length=100, help_text=_("A person, a family or a company."))
    amount = money_field(_("Amount (yuan)"), required=False, help_text=_("For money."))
    item = forms.CharField(
        label=_("Item given"), max_length=100, required=False, help_text=_("For materials, e.g. cement.")
    )
    quantity = forms.DecimalField(label=_("Quantity"), max_digits=10, decimal_places=2, required=False)
    measure = forms.CharField(label=_("Measure"), max_length=20, required=False, help_text=_("e.g. bags, metres"))
    estimated_value = money_field(_("Estimated value (yuan)"), required=False)
    hours = forms.DecimalField(
        label=_("Person-hours"),
        max_digits=8,
        decimal_places=1,
        required=False,
        help_text=_("For labour: hours worked, all helpers together."),
    )
    purpose = forms.CharField(label=_("Given for"), max_length=200, required=False, help_text=_("e.g. the roof works"))
    received_on = forms.DateField(label=_("Received on"), widget=DateInput)
    on_thanks_list = forms.BooleanField(
        label=_("The donor agrees to be named on the thank-you list"), required=False, initial=True
    )


class ThanksOptForm(forms.Form):
    on_thanks_list = forms.BooleanField(label=_("Show my name on the thank-you list"), required=False)


class CostSharePlanForm(forms.Form):
    title = forms.CharField(label=_("Title"), max_length=200, help_text=_("e.g. residents' share of the roof works"))
    total = money_field(_("Total the households share (yuan)"), min_value=Decimal("0.01"))
    key = forms.ChoiceField(
        label=_("How the cost is split"),
        choices=CostSharePlan.Key.choices,
        initial=CostSharePlan.Key.EXCLUSIVE_AREA,
        widget=forms.RadioSelect,
        help_text=_("By share of exclusive area unless the owners decided otherwise (V-12)."),
    )
    decision = forms.ModelChoiceField(
        label=_("Owners' decision on the split"),
        queryset=svc.OwnersDecision.objects.none(),
        required=False,
        empty_label=_("no decision"),
        help_text=_("Needed for an equal split: a vote of this community whose final result is published and passed."),
    )
    buildings = forms.ModelMultipleChoiceField(
        label=_("Buildings"),
        queryset=svc.Building.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("None chosen: every home of the community."),
    )
    due_on = forms.DateField(label=_("Pay by"), widget=DateInput)

    def __init__(self, *args, community, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["decision"].queryset = svc.passed_decisions(community).order_by("-finalized_at", "-id")
        self.fields["buildings"].queryset = svc.buildings_of(community)
