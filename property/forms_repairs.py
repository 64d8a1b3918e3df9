"""Forms of the repair pages (issue 9): filing a request with up to three photos, and the steps after it (the
company assigns, starts and finishes; the resident who filed confirms with a rating, sends it back or cancels).
The forms parse; property.services.management decides."""

from django import forms
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from property.models import RepairRequest
from property.pictures import picture_clean, picture_save

PHOTO_FORMATS = {"JPEG": "jpg", "PNG": "png"}
MAX_PHOTOS = 3
PHOTO_ACCEPT = "image/jpeg,image/png"


def repair_photo_clean(upload):
    """The upload if it is a JPEG or PNG picture of at most 8 MB; None if there is none."""
    return picture_clean(upload, formats=PHOTO_FORMATS, refusal=_("Only JPEG or PNG pictures can be uploaded."))


def repair_image(upload, *, title: str, user):
    """A Wagtail image from a checked upload (call it inside the transaction of the request that cites it)."""
    return picture_save(upload, stem="repair", title=title, user=user)


class RepairForm(forms.Form):
    where = forms.ChoiceField(
        label=gettext_lazy("Where"), choices=RepairRequest.Where.choices, widget=forms.RadioSelect
    )
    unit = forms.TypedChoiceField(
        label=gettext_lazy("My home"),
        coerce=int,
        required=False,
        empty_value=None,
        help_text=gettext_lazy("Only for a repair in your own home."),
    )
    location = forms.CharField(
        label=gettext_lazy("Place"), max_length=100, help_text=gettext_lazy("e.g. 3号楼2单元四楼楼道")
    )
    category = forms.ChoiceField(label=gettext_lazy("Kind of repair"), choices=RepairRequest.Category.choices)
    urgency = forms.ChoiceField(
        label=gettext_lazy("Urgency"),
        choices=RepairRequest.Urgency.choices,
        initial=RepairRequest.Urgency.NORMAL,
        widget=forms.RadioSelect,
        help_text=gettext_lazy(
            "Urgent: a burst pipe, a power cut, a smell of gas, somebody trapped in a lift — repaired within 24 "
            "hours. Ordinary: within 3 days."
        ),
    )
    description = forms.CharField(
        label=gettext_lazy("What is wrong"), max_length=1000, widget=forms.Textarea(attrs={"rows": 4})
    )
    photo_1 = forms.FileField(
        label=gettext_lazy("Photo 1 (optional)"),
        required=False,
        help_text=gettext_lazy("A JPEG or PNG picture of at most 8 MB."),
        widget=forms.ClearableFileInput(attrs={"accept": PHOTO_ACCEPT}),
    )
    photo_2 = forms.FileField(
        label=gettext_lazy("Photo 2 (optional)"),
        required=False,
        widget=forms.ClearableFileInput(attrs={"accept": PHOTO_ACCEPT}),
    )
    photo_3 = forms.FileField(
        label=gettext_lazy("Photo 3 (optional)"),
        required=False,
        widget=forms.ClearableFileInput(attrs={"accept": PHOTO_ACCEPT}),
    )

    def __init__(self, *args, units=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["unit"].choices = [("", "—")] + [(unit.pk, str(unit)) for unit in units]

    def clean_photo_1(self):
        return repair_photo_clean(self.cleaned_data.get("photo_1"))

    def clean_photo_2(self):
        return repair_photo_clean(self.cleaned_data.get("photo_2"))

    def clean_photo_3(self):
        return repair_photo_clean(self.cleaned_data.get("photo_3"))

    def clean(self):
        data = super().clean()
        if data.get("where") == RepairRequest.Where.OWN_UNIT and not data.get("unit"):
            self.add_error("unit", _("Choose your home."))
        return data

    def photos(self):
        return [upload for name in ("photo_1", "photo_2", "photo_3") if (upload := self.cleaned_data.get(name))]


class AssignForm(forms.Form):
    assignee = forms.TypedChoiceField(label=gettext_lazy("Repairer"), coerce=int)
    note = forms.CharField(label=gettext_lazy("Note (optional)"), max_length=500, required=False)

    def __init__(self, *args, staff=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["assignee"].choices = list(staff)


class NoteForm(forms.Form):
    note = forms.CharField(label=gettext_lazy("Note (optional)"), max_length=500, required=False)


class FinishForm(forms.Form):
    note = forms.CharField(
        label=gettext_lazy("What was done"), max_length=500, widget=forms.Textarea(attrs={"rows": 3})
    )
    photo = forms.FileField(
        label=gettext_lazy("Photo after repair (optional)"),
        required=False,
        help_text=gettext_lazy("A JPEG or PNG picture of at most 8 MB."),
        widget=forms.ClearableFileInput(attrs={"accept": PHOTO_ACCEPT}),
    )

    def clean_photo(self):
        return repair_photo_clean(self.cleaned_data.get("photo"))


RATING_CHOICES = [(5, "★★★★★ 5"), (4, "★★★★ 4"), (3, "★★★ 3"), (2, "★★ 2"), (1, "★ 1")]


class ConfirmForm(forms.Form):
    rating = forms.TypedChoiceField(
        label=gettext_lazy("How satisfied are you with the repair?"),
        choices=RATING_CHOICES,
        coerce=int,
        widget=forms.RadioSelect,
        help_text=gettext_lazy("5 stars: very satisfied; 1 star: very dissatisfied."),
    )
    note = forms.CharField(
        label=gettext_lazy("Comment (optional)"),
        max_length=300,
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )


class ReopenForm(forms.Form):
    note = forms.CharField(
        label=gettext_lazy("What is still wrong"), max_length=500, widget=forms.Textarea(attrs={"rows": 2})
    )


ACTION_FORMS = {
    "assign": AssignForm,
    "start": NoteForm,
    "finish": FinishForm,
    "confirm": ConfirmForm,
    "reopen": ReopenForm,
    "cancel": NoteForm,
}
