"""The household's online-payment form (issue 6). It parses only: property.services.online decides."""

from django import forms
from django.utils.translation import gettext_lazy as _

from property.models import Fund


class OnlinePaymentForm(forms.Form):
    amount = forms.DecimalField(
        label=_("Amount to pay (yuan)"),
        max_digits=12,
        decimal_places=2,
        help_text=_("Filled in with what the household owes now; you may pay less."),
        widget=forms.NumberInput(attrs={"step": "0.01", "inputmode": "decimal"}),
    )
    fund = forms.ChoiceField(choices=Fund.choices, widget=forms.HiddenInput)
