"""Forms of the policy Q&A: asking, and the officials' desk (assign, answer, publish, close as duplicate).
They parse only: governance.services.policy decides and refuses."""

from django import forms
from django.db.models import F
from django.utils.translation import gettext_lazy as _

from governance.models import PolicyPage, PolicyQuestion, PolicyTopic
from home.models import CommunityPage

DESK_STATUS_CHOICES = [
    ("open", _("open (received or assigned)")),
    *PolicyQuestion.Status.choices,
    ("all", _("all")),
]


class AskForm(forms.Form):
    title = forms.CharField(
        label=_("Your question"),
        max_length=120,
        help_text=_("One sentence, 5 to 120 characters, e.g. 老旧小区改造后由谁来管理？"),
    )
    details = forms.CharField(
        label=_("Details"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 6}),
        help_text=_("What happened, what you would like to know (at most 2,000 characters)."),
    )
    community = forms.ModelChoiceField(
        label=_("Community"),
        queryset=CommunityPage.objects.none(),
        required=False,
        empty_label=_("not about one community"),
        help_text=_("Naming your community sends a local question to its sub-district office as well."),
    )
    topic = forms.ModelChoiceField(
        label=_("Policy topic"), queryset=PolicyTopic.objects.all(), required=False, empty_label=_("not sure")
    )

    def __init__(self, *args, community_ids=(), **kwargs):
        super().__init__(*args, **kwargs)
        ids = list(community_ids)
        self.fields["community"].queryset = CommunityPage.objects.live().filter(pk__in=ids).order_by("title")
        if not ids:
            del self.fields["community"]


class AssignForm(forms.Form):
    assignee = forms.ChoiceField(label=_("Assign to"))

    def __init__(self, *args, officials=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["assignee"].choices = [(str(o.user_id), f"{o.user} · {o.role_label}") for o in officials]


class AnswerForm(forms.Form):
    text = forms.CharField(
        label=_("Official answer"),
        widget=forms.Textarea(attrs={"rows": 10}),
        help_text=_("Sent to the asker; cite the documents it rests on below."),
    )
    cited_documents = forms.ModelMultipleChoiceField(
        label=_("Cited guidance documents"),
        queryset=PolicyPage.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["cited_documents"].queryset = PolicyPage.objects.live().order_by(
            F("issued_on").desc(nulls_last=True), "pk"
        )


class PublishForm(forms.Form):
    public_title = forms.CharField(
        label=_("Public title"),
        max_length=120,
        help_text=_("The question as the library shows it."),
    )
    public_question = forms.CharField(
        label=_("Public question"),
        widget=forms.Textarea(attrs={"rows": 6}),
        max_length=2000,
        help_text=_("Remove the asker's name, phone, ID number and room before publishing: the library is public."),
    )
    topics = forms.ModelMultipleChoiceField(
        label=_("Policy topics"),
        queryset=PolicyTopic.objects.all(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )


class DuplicateForm(forms.Form):
    answer_page = forms.TypedChoiceField(label=_("Already answered in"), coerce=int)

    def __init__(self, *args, answers=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["answer_page"].choices = [(page.pk, page.title) for page in answers]


class DeskFilterForm(forms.Form):
    status = forms.ChoiceField(label=_("Status"), choices=DESK_STATUS_CHOICES, required=False)
    mine = forms.BooleanField(label=_("Assigned to me"), required=False)

    def filters(self) -> tuple[str, bool]:
        if not self.is_valid():
            return "open", False
        return self.cleaned_data.get("status") or "open", bool(self.cleaned_data.get("mine"))
