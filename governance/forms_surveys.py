"""Forms of the renovation willingness surveys (R-07). They parse only: governance.services.surveys decides."""

from django import forms
from django.utils.translation import gettext_lazy as _

from governance.models import HouseholdContact, OwnersDecision, SurveyHousehold
from governance.services.surveys import STAFF_OUTCOMES
from home.models import Building

ANSWER_CHOICES = [(SurveyHousehold.Answer.AGREE, _("agree")), (SurveyHousehold.Answer.DISAGREE, _("disagree"))]


def fund_votes(community):
    """The community's owners' votes on raising the maintenance fund (art. 278 item 6), cancelled ones left out."""
    return OwnersDecision.objects.filter(community_id=community.pk, matter=OwnersDecision.Matter.FUND_RAISING).exclude(
        status=OwnersDecision.Status.CANCELLED
    )


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, attrs=None):
        super().__init__(attrs, format="%Y-%m-%d")


class SurveyForm(forms.Form):
    title = forms.CharField(label=_("Title"), max_length=120)
    plan_summary = forms.CharField(
        label=_("Renovation plan"),
        widget=forms.Textarea(attrs={"rows": 8}),
        help_text=_("What will be done, who pays, how long the works take."),
    )
    management_model = forms.CharField(
        label=_("Property-management model after renovation"),
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text=_("e.g. a property company, owners' self-management, or the community's interim care."),
    )
    buildings = forms.ModelMultipleChoiceField(
        label=_("Buildings in scope"),
        queryset=Building.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("None chosen: the whole community."),
    )
    opens_on = forms.DateField(label=_("Opens"), widget=DateInput)
    closes_on = forms.DateField(label=_("Closes"), widget=DateInput)
    raises_maintenance_fund = forms.BooleanField(
        label=_("The plan also raises the maintenance fund"),
        required=False,
        help_text=_("Then an owners' vote on art. 278 item 6 must pass as well."),
    )
    fund_decision = forms.ModelChoiceField(
        label=_("Owners' vote on raising the fund"),
        queryset=OwnersDecision.objects.none(),
        required=False,
        empty_label=_("not set up yet"),
    )

    def __init__(self, *args, community, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["buildings"].queryset = Building.objects.filter(community_id=community.pk).order_by(
            "sort_order", "name"
        )
        self.fields["fund_decision"].queryset = fund_votes(community)


class AnswerForm(forms.Form):
    plan_answer = forms.ChoiceField(
        label=_("Do you agree with the renovation plan?"), choices=ANSWER_CHOICES, widget=forms.RadioSelect
    )
    model_answer = forms.ChoiceField(
        label=_("Do you agree with the property-management model?"), choices=ANSWER_CHOICES, widget=forms.RadioSelect
    )


class ContactForm(forms.Form):
    outcome = forms.ChoiceField(
        label=_("What happened"),
        choices=[(value, label) for value, label in HouseholdContact.Outcome.choices if value in STAFF_OUTCOMES],
        widget=forms.RadioSelect,
    )
    plan_answer = forms.ChoiceField(
        label=_("Renovation plan"), choices=ANSWER_CHOICES, widget=forms.RadioSelect, required=False
    )
    model_answer = forms.ChoiceField(
        label=_("Property-management model"), choices=ANSWER_CHOICES, widget=forms.RadioSelect, required=False
    )
    reason = forms.CharField(
        label=_("Reason or note"),
        max_length=300,
        required=False,
        help_text=_("Required when the household refused to answer."),
    )


class FundDecisionForm(forms.Form):
    fund_decision = forms.ModelChoiceField(
        label=_("Owners' vote on raising the fund"), queryset=OwnersDecision.objects.none()
    )

    def __init__(self, *args, community, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["fund_decision"].queryset = fund_votes(community)
