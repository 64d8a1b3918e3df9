"""Forms of the renovation application (issue 8): the application itself, its items, its funding plan and the
willingness survey it rests on. They parse only, with Chinese messages for what cannot be read; the writers of
property.services.renovation decide and refuse."""

from decimal import Decimal, InvalidOperation

from django import forms
from django.utils.translation import gettext_lazy as _
from wagtail.documents import get_document_model

from property.domain import renovation as rules
from property.models import FundingSource, RenovationProject

YES_NO = [("yes", _("Yes: the structure is safe and need not be torn down and rebuilt")), ("no", _("No, or not known"))]

# The largest amounts the columns hold: quantity 12 digits, cost 14 digits, both with 2 decimals.
MAX_QUANTITY = Decimal("9999999999.99")
MAX_COST = Decimal("999999999999.99")


def parse_decimal(value, *, maximum: Decimal, required: bool = True) -> Decimal | None:
    """A positive number with at most two decimals, written with or without thousands commas; else a Chinese
    ValidationError. Refuses 'NaN', 'Infinity', exponents beyond the column and more than two decimals."""
    text = str(value if value is not None else "").strip().replace(",", "").replace("，", "")
    if not text:
        if required:
            raise forms.ValidationError(_("Enter a number."), code="required")
        return None
    try:
        number = Decimal(text)
    except (InvalidOperation, ValueError):
        raise forms.ValidationError(_("“%(value)s” is not a number."), code="invalid", params={"value": text}) from None
    if not number.is_finite():
        raise forms.ValidationError(_("“%(value)s” is not a number."), code="invalid", params={"value": text})
    if number <= 0:
        raise forms.ValidationError(_("The number must be greater than zero."), code="min")
    if number > maximum:
        raise forms.ValidationError(_("The number is too large."), code="max")
    if number != number.quantize(rules.CENT):
        raise forms.ValidationError(_("At most two decimals (to the fen)."), code="decimals")
    return number.quantize(rules.CENT)


class DecimalText(forms.CharField):
    """A decimal typed as text (so that the browser never rejects it silently), parsed by parse_decimal."""

    def __init__(self, *, maximum: Decimal, **kwargs):
        self.maximum = maximum
        kwargs.setdefault("max_length", 30)
        kwargs.setdefault("widget", forms.TextInput(attrs={"inputmode": "decimal", "autocomplete": "off"}))
        super().__init__(**kwargs)

    def clean(self, value):
        value = super().clean(value)
        return parse_decimal(value, maximum=self.maximum, required=self.required)


def int_field(label, *, required=True, min_value=None, max_value=None, help_text=""):
    return forms.IntegerField(
        label=label,
        required=required,
        min_value=min_value,
        max_value=max_value,
        help_text=help_text,
        error_messages={
            "required": _("This field is required."),
            "invalid": _("Enter a whole number."),
            "min_value": _("Enter a number not less than %(limit_value)s."),
            "max_value": _("Enter a number not greater than %(limit_value)s."),
        },
        widget=forms.NumberInput(attrs={"inputmode": "numeric"}),
    )


class ApplicationForm(forms.Form):
    title = forms.CharField(label=_("Title of the application"), max_length=120)
    year_completed = int_field(
        _("Year the community was completed"),
        min_value=1900,
        max_value=2100,
        help_text=_(
            "Completed by the end of 2000: the focus of the programme (R-01). 2001–2005: project reserve only (R-02)."
        ),
    )
    buildings_count = int_field(_("Number of buildings"), min_value=1, max_value=9999)
    households = int_field(_("Number of households"), min_value=1, max_value=999999)
    problems = forms.CharField(
        label=_("Problems the residents want solved"),
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text=_(
            "From the lists of the programme (R-04): basic (water, drainage, power, gas, roofs, walls, stairwells, "
            "roads, fire safety), improvement (greening, lighting, lifts, accessibility, parking, charging) and "
            "enhancement (community services, care for the elderly and children, convenience shops)."
        ),
    )
    structure_safe = forms.ChoiceField(
        label=_("Is the structure of the houses safe?"), choices=YES_NO, widget=forms.RadioSelect
    )
    structure_statement = forms.CharField(
        label=_("Structure safety statement"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Who assessed the houses and what they found. Required when the structure is safe."),
    )
    excluded_kind = forms.ChoiceField(
        label=_("Is the community one of these kinds of area?"),
        choices=RenovationProject.ExcludedKind.choices,
        widget=forms.RadioSelect,
        required=False,
        help_text=_("These areas are not in the old-community renovation programme (R-03)."),
    )
    demolition_support_households = int_field(
        _("Households supporting the removal of illegal structures"),
        required=False,
        min_value=0,
        max_value=999999,
    )
    contributions_pledged = forms.BooleanField(
        label=_("The residents pledge money, materials or labour"), required=False
    )
    contributions_note = forms.CharField(
        label=_("What is pledged"),
        max_length=300,
        required=False,
        help_text=_("e.g. 30 households give 200 yuan each; neighbours repaint the stairwells."),
    )
    willingness_evidence = forms.CharField(
        label=_("Evidence of the residents' willingness"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("e.g. how many households signed the letter of intent. The formal survey (R-07) comes later."),
    )

    TINY_FIELDS = ("demolition_support_households", "contributions_pledged", "contributions_note")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["excluded_kind"].initial = ""

    @property
    def general_fields(self):
        return [self[name] for name in self.fields if name not in self.TINY_FIELDS]

    @property
    def tiny_fields(self):
        return [self[name] for name in self.TINY_FIELDS]

    @classmethod
    def initial_of(cls, project: RenovationProject) -> dict:
        initial = {name: getattr(project, name) for name in cls.base_fields}
        initial["structure_safe"] = "yes" if project.structure_safe else "no"
        return initial

    def data_for_service(self):
        from property.services.renovation import ApplicationData

        data = dict(self.cleaned_data)
        data["structure_safe"] = data["structure_safe"] == "yes"
        data["excluded_kind"] = data.get("excluded_kind") or ""
        return ApplicationData(**data)


def kind_choices():
    """ITEM_KINDS grouped by their R-04 category, for a select with optgroups."""
    groups = []
    for category, label in rules.CATEGORY_LABELS.items():
        groups.append((label, [(kind.code, kind.label) for kind in rules.ITEM_KINDS if kind.category == category]))
    return [("", _("Choose an item")), *groups]


class ItemForm(forms.Form):
    kind = forms.ChoiceField(label=_("Work item"), choices=kind_choices)
    quantity = DecimalText(label=_("Quantity"), maximum=MAX_QUANTITY)
    quantity_unit = forms.CharField(
        label=_("Unit of measure"), max_length=20, help_text=_("e.g. metres, square metres, places, buildings")
    )
    estimated_cost = DecimalText(label=_("Estimated cost (yuan)"), maximum=MAX_COST)
    description = forms.CharField(label=_("What the work covers"), max_length=300, required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["kind"].error_messages["invalid_choice"] = _("Choose an item from the list.")
        self.fields["kind"].error_messages["required"] = _("Choose an item from the list.")


# Evidence documents (a 三供一业 construction list, the city's S-04 exception): a scan, checked by its first bytes.
EVIDENCE_TYPES = {"pdf", "jpg", "jpeg", "png"}
EVIDENCE_SIGNATURES = (b"%PDF", b"\xff\xd8\xff", b"\x89PNG")
EVIDENCE_MAX_BYTES = 10 * 1024 * 1024


def evidence_upload_clean(upload):
    """The upload if it really is a PDF, JPG or PNG of at most 10 MB; None if there is none."""
    if not upload:
        return None
    suffix = upload.name.rsplit(".", 1)[-1].lower() if "." in upload.name else ""
    upload.seek(0)
    head = upload.read(8)
    upload.seek(0)
    if suffix not in EVIDENCE_TYPES or not head.startswith(EVIDENCE_SIGNATURES):
        raise forms.ValidationError(_("Upload the document as PDF, JPG or PNG."))
    if upload.size > EVIDENCE_MAX_BYTES:
        raise forms.ValidationError(_("The file may be at most 10 MB."))
    return upload


def evidence_document(*, user, title: str, upload):
    """Save a checked upload as a Wagtail document (call it in the transaction of the record that cites it)."""
    if upload is None:
        return None
    document = get_document_model()(title=title[:255], file=upload, uploaded_by_user=user)
    document.file_size = upload.size
    document.save()
    return document


class ItemExceptionForm(ItemForm):
    """The city's S-04 exception: a 三供一业 facility claimed again only with a reason and a document, logged."""

    override_reason = forms.CharField(
        label=_("Reason for the exception (city reviewers only)"),
        max_length=300,
        required=False,
        help_text=_("Only where the facility was not paid with a central subsidy, or the list is wrong (S-04)."),
    )
    override_document = forms.FileField(
        label=_("Document supporting the exception"),
        required=False,
        help_text=_("PDF, JPG or PNG, at most 10 MB."),
        widget=forms.ClearableFileInput(attrs={"accept": ".pdf,.jpg,.jpeg,.png"}),
    )

    def clean_override_document(self):
        return evidence_upload_clean(self.cleaned_data.get("override_document"))

    def clean(self):
        data = super().clean()
        if data.get("override_reason", "").strip() and not data.get("override_document"):
            self.add_error("override_document", _("An exception needs its supporting document."))
        return data


class FundingForm(forms.Form):
    """One amount per source of R-06; an empty field is a source not used."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for source, label in FundingSource.choices:
            self.fields[source] = DecimalText(label=label, maximum=MAX_COST, required=False)

    def amounts(self) -> dict[str, Decimal]:
        return {source: amount for source, amount in self.cleaned_data.items() if amount is not None}

    def typed_sum(self) -> Decimal | None:
        """The sum of what could be read, for showing beside a refusal; None when nothing could."""
        if not self.is_bound:
            return None
        total, any_read = rules.ZERO, False
        for source in FundingSource.values:
            try:
                amount = parse_decimal(self.data.get(source, ""), maximum=MAX_COST, required=False)
            except forms.ValidationError:
                continue
            if amount is not None:
                total += amount
                any_read = True
        return total if any_read else None


class SurveyLinkForm(forms.Form):
    survey = forms.TypedChoiceField(label=_("Willingness survey"), coerce=int, widget=forms.RadioSelect)

    def __init__(self, *args, surveys=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.surveys = {survey.pk: survey for survey in surveys}
        self.fields["survey"].choices = [
            (
                survey.pk,
                f"{survey.title}（{survey.get_status_display()}，{survey.opens_on:%Y-%m-%d}—{survey.closes_on:%Y-%m-%d}）",
            )
            for survey in surveys
        ]
        self.fields["survey"].error_messages["invalid_choice"] = _("Choose one of the community's surveys.")
        self.fields["survey"].error_messages["required"] = _("Choose one of the community's surveys.")

    def chosen(self):
        return self.surveys[self.cleaned_data["survey"]]
