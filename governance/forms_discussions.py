"""Forms of the 议事厅. They only parse; the writers in governance.services.discussions decide and refuse."""

from django import forms
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from governance.domain import discussions as rules
from governance.models import PostReport, Topic
from home.models import Building

WRITE_SOMETHING = _("Please write something.")


class MultipleImageInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleImageField(forms.FileField):
    """Up to four pictures in one <input type=file multiple>; checked by content in the writer."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("widget", MultipleImageInput(attrs={"accept": "image/*"}))
        kwargs.setdefault("required", False)
        super().__init__(*args, **kwargs)

    def clean(self, data, initial=None):
        files = data if isinstance(data, list | tuple) else ([data] if data else [])
        return [super(MultipleImageField, self).clean(f, initial) for f in files]


IMAGES_HELP = _("Up to 4 photos (JPEG, PNG or WebP, 5 MB each). Their location data is removed.")


def _show_as_field(options):
    return forms.ChoiceField(
        label=_("Post as"),
        choices=options,
        initial=options[0][0] if options else "",
        required=False,
        widget=forms.RadioSelect,
        help_text=_("Your phone number is never shown."),
    )


class TopicForm(forms.Form):
    title = forms.CharField(
        label=_("Title"),
        max_length=rules.TITLE_MAX_CHARS,
        error_messages={"required": _("Please give the topic a title.")},
    )
    body = forms.CharField(
        label=_("What would you like to discuss?"),
        widget=forms.Textarea(attrs={"rows": 6}),
        error_messages={"required": WRITE_SOMETHING},
    )
    kind = forms.ChoiceField(
        label=_("Kind of topic"),
        error_messages={"required": _("Choose whether this is a discussion or a proposal.")},
        choices=[
            (Topic.Kind.DISCUSSION, pgettext_lazy("discussion kind", "Discussion")),
            (Topic.Kind.PROPOSAL, _("Proposal (replies can take a stance)")),
        ],
        initial=Topic.Kind.DISCUSSION,
        widget=forms.RadioSelect,
    )
    building = forms.ModelChoiceField(
        label=_("Building concerned"),
        queryset=Building.objects.none(),
        required=False,
        empty_label=_("The whole community"),
    )
    images = MultipleImageField(label=_("Photos"), help_text=IMAGES_HELP)

    field_order = ["title", "body", "kind", "building", "show_as", "images"]

    def __init__(self, *args, community, show_as_options, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["building"].queryset = Building.objects.filter(community_id=community.pk).order_by(
            "sort_order", "name"
        )
        self.fields["show_as"] = _show_as_field(show_as_options)
        self.order_fields(self.field_order)


STANCE_CHOICES = [
    ("support", pgettext_lazy("stance", "Support")),
    ("oppose", pgettext_lazy("stance", "Oppose")),
    ("neutral", pgettext_lazy("stance", "Neutral")),
    ("", _("No stance")),
]


class ReplyForm(forms.Form):
    body = forms.CharField(
        label=_("Your reply"), widget=forms.Textarea(attrs={"rows": 4}), error_messages={"required": WRITE_SOMETHING}
    )
    parent = forms.IntegerField(required=False, widget=forms.HiddenInput)
    stance = forms.ChoiceField(
        label=_("Your stance"), choices=STANCE_CHOICES, required=False, initial="", widget=forms.RadioSelect
    )
    images = MultipleImageField(label=_("Photos"), help_text=IMAGES_HELP)

    def __init__(self, *args, topic, show_as_options, **kwargs):
        super().__init__(*args, **kwargs)
        if topic.kind != Topic.Kind.PROPOSAL:
            del self.fields["stance"]
        self.fields["show_as"] = _show_as_field(show_as_options)
        self.order_fields(["body", "stance", "show_as", "images", "parent"])


class PostEditForm(forms.Form):
    body = forms.CharField(
        label=_("Text"), widget=forms.Textarea(attrs={"rows": 6}), error_messages={"required": WRITE_SOMETHING}
    )


class PostReportForm(forms.Form):
    reason = forms.ChoiceField(
        label=_("What is wrong with this post?"),
        choices=PostReport.Reason.choices,
        widget=forms.RadioSelect,
        error_messages={"required": _("Choose why you are reporting this post.")},
    )
    note = forms.CharField(
        label=_("Details (optional; required for “other”)"),
        max_length=200,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
