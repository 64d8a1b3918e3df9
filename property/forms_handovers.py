"""Forms of the handover pages (issue 9): starting a handover, recording a checklist item, acknowledging and closing
it, signing, filing, and a 三供一业 facility's handover. They parse only; the writers of
property.services.management decide and refuse in Chinese.

Uploads: a PDF goes to Wagtail documents, a JPG or PNG photo to Wagtail images. The upload check (type by the first
bytes, size) is the one shared with the 三供一业 construction list (property.forms_renovation)."""

from django import forms
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy
from PIL import Image as PILImage
from wagtail.images import get_image_model

from property.domain import management as rules
from property.forms_renovation import evidence_document, evidence_upload_clean
from property.models import Handover, HandoverSignature, PropertyCompany, ServiceContract, SgyyRetrofit

# Labels with a context: the models' plain msgids ("present" …) are used elsewhere with other meanings.
STATE_LABELS = {
    rules.PENDING: pgettext_lazy("handover", "not yet checked"),
    rules.PRESENT: pgettext_lazy("handover", "present"),
    rules.MISSING: pgettext_lazy("handover", "missing"),
    rules.DEFECTIVE: pgettext_lazy("handover", "defective"),
    rules.NOT_APPLICABLE: pgettext_lazy("handover", "not applicable"),
}
STATE_BADGES = {
    rules.PENDING: "badge-muted",
    rules.PRESENT: "badge-success",
    rules.MISSING: "badge-danger",
    rules.DEFECTIVE: "badge-warning",
    rules.NOT_APPLICABLE: "badge-muted",
}
STATUS_LABELS = {
    Handover.Status.OPEN: pgettext_lazy("handover", "being inspected"),
    Handover.Status.SIGNED: pgettext_lazy("handover", "signed off"),
}
RETROFIT_LABELS = {
    SgyyRetrofit.Status.NONE: pgettext_lazy("handover", "no retrofit"),
    SgyyRetrofit.Status.SCHEDULED: pgettext_lazy("handover", "retrofit scheduled"),
    SgyyRetrofit.Status.DONE: pgettext_lazy("handover", "retrofit done"),
}
SGYY_HANDOVER_LABELS = {
    SgyyRetrofit.HandoverStatus.NOT_STARTED: pgettext_lazy("handover", "not yet handed over"),
    SgyyRetrofit.HandoverStatus.AGREED: pgettext_lazy("handover", "handover agreement signed"),
    SgyyRetrofit.HandoverStatus.TRANSFERRED: pgettext_lazy("handover", "handed over"),
}
ORDER_LABELS = {
    SgyyRetrofit.Order.RETROFIT_FIRST: pgettext_lazy("handover", "retrofit first, then hand over"),
    SgyyRetrofit.Order.HANDOVER_FIRST: pgettext_lazy("handover", "hand over first, then retrofit"),
}
PARTY_KIND_LABELS = {
    Handover.PartyKind.DEVELOPER: pgettext_lazy("handover", "developer"),
    Handover.PartyKind.FORMER_UNIT: pgettext_lazy("handover", "former owning work unit"),
    Handover.PartyKind.COMPANY: pgettext_lazy("handover", "property company"),
    Handover.PartyKind.OWNERS: pgettext_lazy("handover", "the owners (owners' committee)"),
    Handover.PartyKind.UTILITY: pgettext_lazy("handover", "utility company"),
}

DATE = {"type": "date"}
UPLOAD_ACCEPT = ".pdf,.jpg,.jpeg,.png"
UTILITY_CHOICES = [
    (value, label) for value, label in SgyyRetrofit.Facility.choices if value != SgyyRetrofit.Facility.PROPERTY_MGMT
]


def attachment_clean(upload):
    """A checked PDF, JPG or PNG of at most 10 MB (None if none). A picture must open as one; it is marked so it
    can go to the images."""
    upload = evidence_upload_clean(upload)
    if upload is None:
        return None
    upload.seek(0)
    is_pdf = upload.read(4) == b"%PDF"
    upload.seek(0)
    upload.is_picture = not is_pdf
    if upload.is_picture:
        try:
            with PILImage.open(upload) as picture:
                picture.verify()
        except Exception as error:  # Pillow raises many kinds on a file that is not a picture
            raise forms.ValidationError(_("This file is not a picture.")) from error
        finally:
            upload.seek(0)
    return upload


def attachment_save(upload, *, user, title: str) -> tuple[list, list]:
    """(documents, images) for the writers, from a checked upload (call inside the writer's transaction)."""
    if upload is None:
        return [], []
    if getattr(upload, "is_picture", False):
        image = get_image_model()(title=title[:255], file=upload, uploaded_by_user=user)
        if hasattr(image, "description"):
            image.description = title[:255]
        image.save()
        return [], [image]
    return [evidence_document(user=user, title=title, upload=upload)], []


def attachment_discard(documents, images) -> None:
    """The rows went with the rolled-back transaction; the files would stay."""
    for stored in [*documents, *images]:
        stored.file.delete(save=False)


class AttachmentField(forms.FileField):
    def __init__(self, **kwargs):
        kwargs.setdefault("label", _("Photo or document (optional)"))
        kwargs.setdefault("required", False)
        kwargs.setdefault("help_text", _("A photo (JPG, PNG) or a PDF document, at most 10 MB."))
        kwargs.setdefault("widget", forms.ClearableFileInput(attrs={"accept": UPLOAD_ACCEPT}))
        super().__init__(**kwargs)

    def clean(self, data, initial=None):
        return attachment_clean(super().clean(data, initial))


class HandoverOpenForm(forms.Form):
    kind = forms.ChoiceField(label=_("Kind of handover"), choices=list(rules.HANDOVER_KIND_LABELS.items()))
    facility = forms.ChoiceField(
        label=_("Facility (三供一业 utility handovers only)"),
        choices=[("", "—"), *UTILITY_CHOICES],
        required=False,
    )
    outgoing_kind = forms.ChoiceField(label=_("Outgoing party"), choices=list(PARTY_KIND_LABELS.items()))
    outgoing_company = forms.ModelChoiceField(
        label=_("Outgoing property company"),
        queryset=PropertyCompany.objects.none(),
        required=False,
        help_text=_("Only when the outgoing party is a property company registered here."),
    )
    outgoing_name = forms.CharField(
        label=_("Outgoing party's name"),
        max_length=100,
        required=False,
        help_text=_("e.g. 郑州铁路局新乡房建生活段; may be left empty when a company is chosen."),
    )
    incoming_kind = forms.ChoiceField(label=_("Incoming party"), choices=list(PARTY_KIND_LABELS.items()))
    incoming_company = forms.ModelChoiceField(
        label=_("Incoming property company"),
        queryset=PropertyCompany.objects.none(),
        required=False,
        help_text=_("Only when the incoming party is a property company registered here."),
    )
    incoming_name = forms.CharField(
        label=_("Incoming party's name"),
        max_length=100,
        required=False,
        help_text=_("May be left empty when a company is chosen."),
    )
    contract = forms.ModelChoiceField(
        label=_("Service contract (optional)"), queryset=ServiceContract.objects.none(), required=False
    )
    inspected_on = forms.DateField(label=_("Inspection date"), required=False, widget=forms.DateInput(attrs=DATE))

    def __init__(self, *args, community, **kwargs):
        super().__init__(*args, **kwargs)
        companies = PropertyCompany.objects.filter(active=True).order_by("name")
        self.fields["outgoing_company"].queryset = companies
        self.fields["incoming_company"].queryset = companies
        self.fields["contract"].queryset = ServiceContract.objects.filter(community=community).select_related("company")
        if not community.is_sgyy_compound:
            self.fields["kind"].choices = [
                (value, label)
                for value, label in rules.HANDOVER_KIND_LABELS.items()
                if value not in (rules.SGYY_PROPERTY, rules.SGYY_UTILITY)
            ]
            del self.fields["facility"]

    def clean(self):
        data = super().clean()
        for side in ("outgoing", "incoming"):
            company = data.get(f"{side}_company")
            if company is not None and data.get(f"{side}_kind") != Handover.PartyKind.COMPANY:
                self.add_error(f"{side}_company", _("A company is chosen only when the party is a property company."))
            if company is None and not (data.get(f"{side}_name") or "").strip():
                self.add_error(f"{side}_name", _("Enter the party's name, or choose its company."))
        return data


class ItemCheckForm(forms.Form):
    state = forms.ChoiceField(
        label=_("What the inspection found"),
        choices=[(value, label) for value, label in STATE_LABELS.items() if value != rules.PENDING],
    )
    promised_on = forms.DateField(
        label=_("Promised by (missing items)"),
        required=False,
        widget=forms.DateInput(attrs=DATE),
        help_text=_("The date the outgoing party promised in writing to supply it (P-04)."),
    )
    note = forms.CharField(
        label=_("Note"),
        max_length=500,
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("Required for a defect or an item that does not apply."),
    )
    attachment = AttachmentField()


class ItemCloseForm(forms.Form):
    closing_note = forms.CharField(
        label=_("How it was settled"), max_length=500, widget=forms.Textarea(attrs={"rows": 2})
    )
    attachment = AttachmentField()


class ItemAddForm(forms.Form):
    label = forms.CharField(label=_("Item to add to the checklist"), max_length=200)


class SignForm(forms.Form):
    party = forms.ChoiceField(label=_("Signing for"), choices=())
    signer_name = forms.CharField(label=_("Name of the signer"), max_length=50)
    signer_title = forms.CharField(label=_("Position"), max_length=100, required=False)
    scan = forms.FileField(
        label=_("Scan of the signed paper page"),
        required=False,
        help_text=_("Required when signing for a party that has no account here: PDF, JPG or PNG, at most 10 MB."),
        widget=forms.ClearableFileInput(attrs={"accept": UPLOAD_ACCEPT}),
    )

    def __init__(self, *args, parties, **kwargs):
        """``parties``: [(party, label, capacity)] the user may still sign for."""
        super().__init__(*args, **kwargs)
        self.capacities = {party: capacity for party, _label, capacity in parties}
        self.fields["party"].choices = [(party, label) for party, label, _capacity in parties]

    def clean_scan(self):
        return evidence_upload_clean(self.cleaned_data.get("scan"))


class FileForm(forms.Form):
    filed_on = forms.DateField(label=_("Filed with the housing authority on"), widget=forms.DateInput(attrs=DATE))


class SgyyFacilityForm(forms.Form):
    handover_status = forms.ChoiceField(label=_("Handover"), choices=list(SGYY_HANDOVER_LABELS.items()))
    receiving_unit = forms.CharField(label=_("Receiving unit"), max_length=100, required=False)
    metered_per_household = forms.BooleanField(label=_("Metered and controlled per household (P-11)"), required=False)
    agreement_on = forms.DateField(
        label=_("Handover agreement signed on"), required=False, widget=forms.DateInput(attrs=DATE)
    )
    transferred_on = forms.DateField(
        label=_("Assets transferred on"), required=False, widget=forms.DateInput(attrs=DATE)
    )
    order = forms.ChoiceField(label=_("Order"), choices=[("", "—"), *ORDER_LABELS.items()], required=False)

    def __init__(self, *args, facility, **kwargs):
        super().__init__(*args, **kwargs)
        if facility == SgyyRetrofit.Facility.PROPERTY_MGMT:
            del self.fields["metered_per_household"]


SIGNING_PARTY_LABELS = dict(HandoverSignature.Party.choices)
