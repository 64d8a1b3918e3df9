"""Forms of the committee's records of an owners' vote: paper and assisted ballots, written proxies, their check.

They only parse; the writers in governance.services.decisions decide and refuse in Chinese (A-10, V-22).
"""

from django import forms
from django.utils.translation import gettext_lazy as _

from governance.models import Ballot, Proxy
from home.domain.identity import normalise_mobile

SCAN_ACCEPT = ".pdf,.jpg,.jpeg,.png,application/pdf,image/jpeg,image/png"
SCAN_HELP = _("PDF, JPG or PNG, at most 10 MB.")


class ElectorSearchForm(forms.Form):
    q = forms.CharField(
        label=_("Room or unit"),
        max_length=50,
        required=False,
        help_text=_("Part of the building, entrance or room, e.g. 3号楼 or 201."),
    )


class PaperBallotForm(forms.Form):
    """One owner's answers to every question, entered from a signed paper ballot or with the owner (A-10)."""

    channel = forms.ChoiceField(
        label=_("How the owner voted"),
        choices=[
            (Ballot.Channel.PAPER, _("Paper ballot signed by the owner (scan required)")),
            (Ballot.Channel.ASSISTED, _("Entered with an owner who has no phone (note required)")),
        ],
        initial=Ballot.Channel.PAPER,
        widget=forms.RadioSelect,
        error_messages={"required": _("Choose paper ballot or entered with the owner.")},
    )
    scan = forms.FileField(
        label=_("Scan of the signed ballot"),
        required=False,
        help_text=SCAN_HELP,
        widget=forms.ClearableFileInput(attrs={"accept": SCAN_ACCEPT}),
    )
    note = forms.CharField(
        label=_("Note"),
        max_length=300,
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("For a ballot entered with the owner: who helped and how the owner confirmed the choice."),
    )
    proxy = forms.ModelChoiceField(
        label=_("Signed by the owner's proxy"),
        queryset=Proxy.objects.none(),
        required=False,
        empty_label=_("No, by the owner"),
    )

    field_order = ["channel", "scan", "note", "proxy"]

    def __init__(self, *args, questions, proxies, **kwargs):
        super().__init__(*args, **kwargs)
        self.questions = list(questions)
        self.fields["proxy"].queryset = proxies
        if not proxies.exists():
            del self.fields["proxy"]
        for question in self.questions:
            self.fields[f"q{question.pk}"] = forms.ChoiceField(
                label=f"{question.position}. {question.text}",
                choices=Ballot.Choice.choices,
                required=False,
                widget=forms.RadioSelect,
            )

    def answers(self) -> dict:
        """{question id: choice} as the writer takes it; a missing answer stays missing (the writer refuses)."""
        return {q.pk: self.cleaned_data.get(f"q{q.pk}") for q in self.questions if self.cleaned_data.get(f"q{q.pk}")}


class ProxyUploadForm(forms.Form):
    """A signed letter of proxy (V-22): the proxy's name, optionally his portal account by phone number."""

    proxy_name = forms.CharField(
        label=_("Proxy's name"),
        max_length=100,
        error_messages={"required": _("Enter the proxy's name.")},
    )
    proxy_phone = forms.CharField(
        label=_("Proxy's mobile number (optional)"),
        max_length=30,
        required=False,
        help_text=_(
            "The mobile number of the proxy's portal account, so that he can vote online once the proxy is "
            "accepted. A tenant votes only through an accepted written proxy."
        ),
    )
    document = forms.FileField(
        label=_("Scan of the signed letter of proxy"),
        help_text=SCAN_HELP,
        widget=forms.ClearableFileInput(attrs={"accept": SCAN_ACCEPT}),
        error_messages={"required": _("Attach the scan of the signed letter of proxy.")},
    )

    def clean_proxy_phone(self):
        value = (self.cleaned_data.get("proxy_phone") or "").strip()
        if not value:
            return ""
        normalised = normalise_mobile(value)
        if normalised is None:
            raise forms.ValidationError(_("Enter an 11-digit mainland mobile number."))
        return normalised


class ProxyCheckForm(forms.Form):
    proxy = forms.IntegerField(widget=forms.HiddenInput)
    verdict = forms.ChoiceField(
        label=_("Check"),
        choices=[("accept", _("Accept")), ("reject", _("Reject"))],
        error_messages={"required": _("Choose accept or reject.")},
    )
    note = forms.CharField(
        label=_("Reason or note"),
        max_length=200,
        required=False,
        help_text=_("Required when rejecting."),
    )
