"""Forms of the management pages (issue 9): recording a contract with its fee rates, its filing and a termination
notice, self-management (P-10), a bundled group, a company's policy question and its staff accounts. They parse
only; the writers of property.services.management decide and refuse in Chinese."""

from django import forms
from django.contrib.auth import get_user_model
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from governance.models import PolicyTopic
from property.forms_renovation import evidence_upload_clean
from property.models import ContractNotice, FeeSchedule, PropertyCompany
from property.models.ledger import UNIT_KINDS
from property.services import management as services

DATE = {"type": "date"}
TEXTAREA = {"rows": 4}


def _question_label(question) -> str:
    return f"{question.decision.title}：{question.text}"


class QuestionChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        return _question_label(obj)


class ContractForm(forms.Form):
    company = forms.ModelChoiceField(
        label=_("Property company"), queryset=PropertyCompany.objects.filter(active=True).order_by("name")
    )
    approving_question = QuestionChoiceField(
        label=_("Approving owners' vote"),
        queryset=PropertyCompany.objects.none(),
        help_text=_("The passed owners' decision to hire this company (Civil Code art. 278(1)(4))."),
    )
    scope = forms.CharField(label=_("Services"), max_length=5000, widget=forms.Textarea(attrs=TEXTAREA))
    standards = forms.CharField(label=_("Service standards"), max_length=5000, widget=forms.Textarea(attrs=TEXTAREA))
    signed_on = forms.DateField(label=_("Contract signed on"), widget=forms.DateInput(attrs=DATE))
    starts_on = forms.DateField(label=_("Term starts on"), widget=forms.DateInput(attrs=DATE))
    ends_on = forms.DateField(label=_("Term ends on"), widget=forms.DateInput(attrs=DATE))
    dismissal_notice_days = forms.IntegerField(
        label=_("Agreed notice for dismissal (days)"),
        required=False,
        min_value=1,
        max_value=365,
        help_text=_("Leave empty where the contract agrees none: 60 days apply (Civil Code art. 946)."),
    )
    document = forms.FileField(
        label=_("Signed contract (PDF)"),
        required=False,
        help_text=_("Optional. PDF, at most 10 MB."),
        widget=forms.ClearableFileInput(attrs={"accept": ".pdf"}),
    )

    def __init__(self, *args, community, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["approving_question"].queryset = services.approving_questions(community).order_by("-pk")
        basis_choices = [("", _("not charged")), *FeeSchedule.Basis.choices]
        for kind, label in UNIT_KINDS:
            self.fields[f"{kind}_basis"] = forms.ChoiceField(
                label=_("Fee basis: %(kind)s") % {"kind": label}, choices=basis_choices, required=False
            )
            self.fields[f"{kind}_rate"] = forms.DecimalField(
                label=_("Rate in yuan: %(kind)s") % {"kind": label},
                required=False,
                min_value=0,
                max_digits=10,
                decimal_places=4,
            )

    def clean_document(self):
        upload = evidence_upload_clean(self.cleaned_data.get("document"))
        if upload is not None:
            upload.seek(0)
            is_pdf = upload.read(4) == b"%PDF"
            upload.seek(0)
            if not is_pdf:
                raise forms.ValidationError(_("Upload the signed contract as a PDF."))
        return upload

    def clean(self):
        data = super().clean()
        rates = []
        for kind, _label in UNIT_KINDS:
            basis, rate = data.get(f"{kind}_basis"), data.get(f"{kind}_rate")
            if basis and rate is None:
                self.add_error(f"{kind}_rate", _("Give the rate for this basis."))
            elif rate is not None and not basis:
                self.add_error(f"{kind}_basis", _("Choose the basis of this rate."))
            elif basis and rate is not None:
                rates.append(services.FeeRateInput(kind, basis, rate))
        if not rates and not self.errors:
            self.add_error("residence_rate", _("Give at least one fee rate of the contract."))
        data["fee_rates"] = rates
        return data

    def rate_fields(self):
        return [(self[f"{kind}_basis"], self[f"{kind}_rate"]) for kind, _label in UNIT_KINDS]

    def main_fields(self):
        return [self[name] for name in self.fields if not name.endswith(("_basis", "_rate"))]


class FilingForm(forms.Form):
    filed_on = forms.DateField(label=_("Filed on"), widget=forms.DateInput(attrs=DATE))
    filed_with = forms.CharField(
        label=_("Filed with"), max_length=100, help_text=_("e.g. the county housing authority and the sub-district")
    )


class NoticeForm(forms.Form):
    kind = forms.ChoiceField(label=_("Kind of notice"), choices=ContractNotice.Kind.choices)
    given_on = forms.DateField(label=_("Notice given on"), widget=forms.DateInput(attrs=DATE))
    effective_on = forms.DateField(label=_("Takes effect on"), widget=forms.DateInput(attrs=DATE))
    reason = forms.CharField(label=_("Reason"), required=False, max_length=2000, widget=forms.Textarea(attrs=TEXTAREA))
    approving_question = QuestionChoiceField(
        label=_("Owners' vote to dismiss"),
        queryset=PropertyCompany.objects.none(),
        required=False,
        help_text=_(
            "Required when the owners end the contract: a dismissal, or ending an indefinite-term contract (Civil Code "
            "art. 278(1)(4))."
        ),
    )

    def __init__(self, *args, community, kinds, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["approving_question"].queryset = services.approving_questions(community).order_by("-pk")
        self.fields["kind"].choices = [(value, label) for value, label in ContractNotice.Kind.choices if value in kinds]


class SelfManagementForm(forms.Form):
    starts_on = forms.DateField(label=_("Starts on"), widget=forms.DateInput(attrs=DATE))
    executing_body = forms.CharField(
        label=_("Executing body"), max_length=100, help_text=_("e.g. the owners' committee, or a property service team")
    )
    scope = forms.CharField(label=_("Scope of services"), widget=forms.Textarea(attrs=TEXTAREA))
    standards = forms.CharField(label=_("Standards"), widget=forms.Textarea(attrs=TEXTAREA))
    fees = forms.CharField(label=_("Fees"), widget=forms.Textarea(attrs=TEXTAREA))
    term_ends_on = forms.DateField(label=_("Term ends on"), widget=forms.DateInput(attrs=DATE))
    professionals = forms.CharField(
        label=_("Professional firms used"),
        required=False,
        widget=forms.Textarea(attrs=TEXTAREA),
        help_text=_("e.g. lift maintenance by a qualified firm (P-10)"),
    )
    approving_question = QuestionChoiceField(
        label=_("Owners' vote"), queryset=PropertyCompany.objects.none(), required=False
    )

    def __init__(self, *args, community, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["approving_question"].queryset = services.approving_questions(community).order_by("-pk")


class CommunityChoiceField(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj):
        return obj.title


class BundleForm(forms.Form):
    name = forms.CharField(label=_("Name of the group"), max_length=100)
    operator = forms.ModelChoiceField(
        label=_("Operating company"),
        queryset=PropertyCompany.objects.filter(active=True).order_by("name"),
        required=False,
    )
    operator_name = forms.CharField(
        label=_("Operator, where not a company"), max_length=100, required=False, help_text=_("e.g. 社区物业服务站")
    )
    guarantor = forms.CharField(label=_("Guaranteed by"), max_length=100, help_text=_("e.g. 胜利社区居民委员会"))
    started_on = forms.DateField(label=_("Started on"), widget=forms.DateInput(attrs=DATE))
    communities = CommunityChoiceField(
        label=_("Communities"), queryset=PropertyCompany.objects.none(), widget=forms.CheckboxSelectMultiple
    )
    note = forms.CharField(label=_("Note"), required=False, widget=forms.Textarea(attrs=TEXTAREA))

    def __init__(self, *args, communities, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["communities"].queryset = communities


class CompanyQuestionForm(forms.Form):
    title = forms.CharField(label=pgettext_lazy("policy", "Question"), max_length=120)
    details = forms.CharField(
        label=_("Details"), required=False, max_length=2000, widget=forms.Textarea(attrs=TEXTAREA)
    )
    topic = forms.ModelChoiceField(
        label=_("Policy topic"), queryset=PolicyTopic.objects.order_by("sort_order", "name"), required=False
    )


class StaffAddForm(forms.Form):
    account = forms.CharField(
        label=_("Username or mobile phone"), max_length=150, help_text=_("The person must already have an account.")
    )
    title = forms.CharField(label=_("Position"), max_length=50, required=False)
    is_manager = forms.BooleanField(label=_("Company manager"), required=False)

    def clean_account(self):
        value = self.cleaned_data["account"].strip()
        user = get_user_model().objects.filter(Q(username=value) | Q(phone=value), is_active=True).first()
        if user is None:
            raise forms.ValidationError(_("No account with this username or mobile phone."))
        return user
