"""Policy guidance and Q&A (PRODUCT.md capability 9): the bureau's guidance documents, residents' questions,
the officials who answer them, and the public library of anonymised answers.

Pages stay thin (fields, panels, parent rules, a get_context that calls selectors); the writers are in
governance/services/policy.py and the rules in governance/domain/policy.py.
"""

from django import forms
from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy
from modelcluster.fields import ParentalKey, ParentalManyToManyField
from wagtail.admin.forms import WagtailAdminPageForm
from wagtail.admin.panels import FieldPanel, FieldRowPanel, InlinePanel, MultiFieldPanel
from wagtail.fields import RichTextField
from wagtail.models import Orderable, Page, Task
from wagtail.search import index

from home.search import SegmentedSearchMixin

from .workflow import PeerReviewTaskMixin

ATTACHMENT_EXTENSIONS = ("pdf", "doc", "docx")


class PolicyTopic(models.Model):
    """A subject guidance and answers are filed under (改造, 物业管理, 维修资金 …)."""

    name = models.CharField(_("name"), max_length=40, unique=True)
    slug = models.SlugField(_("slug"), max_length=40, unique=True)
    sort_order = models.PositiveSmallIntegerField(_("order"), default=0)

    panels = [FieldPanel("name"), FieldPanel("slug"), FieldPanel("sort_order")]

    class Meta:
        ordering = ["sort_order", "name"]
        verbose_name = _("policy topic")
        verbose_name_plural = _("policy topics")

    def __str__(self):
        return self.name


class PolicyIndexPage(Page):
    """Bureau guidance documents and the policy Q&A library."""

    intro = RichTextField(_("introduction"), blank=True)

    content_panels = [*Page.content_panels, FieldPanel("intro")]
    parent_page_types = ["home.HomePage"]
    subpage_types = ["governance.PolicyPage", "governance.PolicyAnswerPage"]
    max_count = 1

    class Meta:
        verbose_name = _("policy index page")

    def get_context(self, request, *args, **kwargs):
        from governance.selectors import policy as policy_selectors

        context = super().get_context(request, *args, **kwargs)
        context.update(policy_selectors.policy_index_context(self, request.GET, request.user))
        return context


class PolicyPageForm(WagtailAdminPageForm):
    def clean(self):
        cleaned = super().clean()
        status = cleaned.get("status")
        replaced_by = cleaned.get("replaced_by")
        if status == PolicyPage.Status.IN_FORCE and replaced_by is not None:
            self.add_error("replaced_by", _("A document in force has not been replaced."))
        if status == PolicyPage.Status.AMENDED and replaced_by is None:
            self.add_error("replaced_by", _("Link the document that amended this one."))
        if replaced_by is not None and self.instance.pk and replaced_by.pk == self.instance.pk:
            self.add_error("replaced_by", _("A document cannot replace itself."))
        issued, effective = cleaned.get("issued_on"), cleaned.get("effective_on")
        if issued and effective and effective < issued:
            self.add_error("effective_on", _("A document cannot take effect before it was issued."))
        return cleaned


class PolicyPage(SegmentedSearchMixin, Page):
    """One guidance document: 文号, issuer, level, dates, status and what replaced it."""

    class Level(models.TextChoices):
        NATIONAL = "national", _("national")
        PROVINCIAL = "provincial", _("provincial")
        MUNICIPAL = "municipal", _("municipal")
        DISTRICT = "district", _("district / county")

    class Status(models.TextChoices):
        IN_FORCE = "in_force", _("in force")
        AMENDED = "amended", _("amended")
        REPEALED = "repealed", _("repealed")

    document_number = models.CharField(
        _("document number"), max_length=100, blank=True, help_text=_("文号, e.g. 国办发〔2020〕23号")
    )
    issuer = models.CharField(_("issued by"), max_length=200)
    level = models.CharField(_("level"), max_length=20, choices=Level.choices)
    issued_on = models.DateField(
        _("issued on"),
        null=True,
        blank=True,
        help_text=_("Leave empty only when the date cannot be checked against the original; lists show it last."),
    )
    effective_on = models.DateField(_("in force from"), null=True, blank=True)
    status = models.CharField(_("status"), max_length=20, choices=Status.choices, default=Status.IN_FORCE)
    replaced_by = models.ForeignKey(
        "self",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="replaces",
        verbose_name=_("replaced by"),
    )
    topics = ParentalManyToManyField(PolicyTopic, blank=True, related_name="documents", verbose_name=_("topics"))
    summary = models.TextField(_("summary"), max_length=600, help_text=_("Two or three sentences for lists."))
    body = RichTextField(_("text"))

    search_fields = [
        *Page.search_fields,
        *SegmentedSearchMixin.segmented_search_fields,
        index.FilterField("level"),
        index.FilterField("status"),
    ]
    content_panels = [
        *Page.content_panels,
        MultiFieldPanel(
            [
                FieldPanel("document_number"),
                FieldPanel("issuer"),
                FieldPanel("level"),
                FieldRowPanel([FieldPanel("issued_on"), FieldPanel("effective_on")]),
                FieldRowPanel([FieldPanel("status"), FieldPanel("replaced_by")]),
                FieldPanel("topics", widget=forms.CheckboxSelectMultiple),
            ],
            heading=_("document"),
        ),
        FieldPanel("summary"),
        FieldPanel("body"),
        InlinePanel("attachments", heading=_("attachments (PDF or Word)"), label=_("attachment")),
    ]
    parent_page_types = ["governance.PolicyIndexPage"]
    subpage_types: list[str] = []
    base_form_class = PolicyPageForm
    template = "governance/policy/policy_page.html"

    class Meta:
        verbose_name = _("guidance document")
        verbose_name_plural = _("guidance documents")
        indexes = [models.Index(fields=["level", "status", "issued_on"], name="policy_doc_listing")]

    def search_text_parts(self) -> list[str]:
        from django.utils.html import strip_tags

        return [self.document_number, self.issuer, self.summary, strip_tags(self.body)]

    def get_context(self, request, *args, **kwargs):
        from governance.selectors import policy as policy_selectors

        context = super().get_context(request, *args, **kwargs)
        context.update(policy_selectors.policy_page_context(self))
        return context


class PolicyAttachment(Orderable):
    page = ParentalKey(PolicyPage, on_delete=models.CASCADE, related_name="attachments")
    document = models.ForeignKey("wagtaildocs.Document", on_delete=models.PROTECT, related_name="+")

    panels = [FieldPanel("document")]

    class Meta(Orderable.Meta):
        verbose_name = _("attachment")

    def clean(self):
        if self.document_id and self.document.file_extension.lower() not in ATTACHMENT_EXTENSIONS:
            raise ValidationError({"document": _("Attach the document as PDF or Word (.pdf, .doc, .docx).")})


class PolicyAnswerPage(SegmentedSearchMixin, Page):
    """One official answer in the public library. The question is anonymised when published: no name, phone
    or unit of the asker (checked by governance/domain/policy.py before the page is written)."""

    question = models.TextField(_("question"), max_length=2000)
    answer = models.TextField(_("answer"))
    topics = ParentalManyToManyField(PolicyTopic, blank=True, related_name="answers", verbose_name=_("topics"))
    cited_documents = ParentalManyToManyField(
        PolicyPage, blank=True, related_name="cited_by", verbose_name=_("cited documents")
    )
    answered_by_name = models.CharField(_("answered by"), max_length=60)
    answered_in_role = models.CharField(_("official role"), max_length=120)
    answered_at = models.DateTimeField(_("answered at"))
    revised_at = models.DateTimeField(_("updated at"), null=True, blank=True)
    source_question = models.OneToOneField(
        "governance.PolicyQuestion",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="answer_page",
        editable=False,
    )

    search_fields = [*Page.search_fields, *SegmentedSearchMixin.segmented_search_fields]
    content_panels = [
        *Page.content_panels,
        FieldPanel("question"),
        FieldPanel("answer"),
        FieldPanel("topics", widget=forms.CheckboxSelectMultiple),
        FieldPanel("cited_documents", widget=forms.CheckboxSelectMultiple),
        MultiFieldPanel(
            [FieldPanel("answered_by_name"), FieldPanel("answered_in_role"), FieldPanel("answered_at")],
            heading=_("who answered"),
        ),
    ]
    parent_page_types = ["governance.PolicyIndexPage"]
    subpage_types: list[str] = []
    template = "governance/policy/answer_page.html"

    class Meta:
        verbose_name = _("policy answer")
        verbose_name_plural = _("policy answers")

    def search_text_parts(self) -> list[str]:
        return [self.question, self.answer]

    def get_context(self, request, *args, **kwargs):
        from governance.selectors import policy as policy_selectors

        context = super().get_context(request, *args, **kwargs)
        context.update(policy_selectors.answer_page_context(self, request.user))
        return context


class PolicyOfficial(models.Model):
    """A person who answers policy questions in an official role, and where: the whole city (the bureau), one
    district, or one sub-district (local matters of its own communities only)."""

    class Jurisdiction(models.TextChoices):
        CITY = "city", _("whole city")
        DISTRICT = "district", _("one district")
        SUB_DISTRICT = "sub_district", _("one sub-district")

    user = models.OneToOneField(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="policy_official")
    organisation = models.CharField(_("organisation"), max_length=100, help_text=_("e.g. 新乡市住房和城乡建设局"))
    position = models.CharField(_("position"), max_length=60, help_text=_("e.g. 物业管理科科长"))
    jurisdiction = models.CharField(_("jurisdiction"), max_length=20, choices=Jurisdiction.choices)
    district = models.ForeignKey(
        "home.District", on_delete=models.PROTECT, null=True, blank=True, related_name="+", verbose_name=_("district")
    )
    sub_district = models.ForeignKey(
        "home.SubDistrict",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("sub-district"),
    )
    active = models.BooleanField(_("active"), default=True)

    panels = [
        FieldPanel("user"),
        FieldPanel("organisation"),
        FieldPanel("position"),
        FieldPanel("jurisdiction"),
        FieldPanel("district"),
        FieldPanel("sub_district"),
        FieldPanel("active"),
    ]

    class Meta:
        constraints = [
            models.CheckConstraint(
                name="policy_official_area_matches_jurisdiction",
                condition=(
                    models.Q(jurisdiction="city", district__isnull=True, sub_district__isnull=True)
                    | models.Q(jurisdiction="district", district__isnull=False, sub_district__isnull=True)
                    | models.Q(jurisdiction="sub_district", district__isnull=True, sub_district__isnull=False)
                ),
            )
        ]
        verbose_name = _("policy official")
        verbose_name_plural = _("policy officials")

    def __str__(self):
        return f"{self.organisation} {self.position}"

    @property
    def role_label(self) -> str:
        return f"{self.organisation} {self.position}"


class PolicyQuestion(models.Model):
    """A question someone asked, privately, and the official answer it received. Only the anonymised copy on a
    PolicyAnswerPage is public."""

    class Status(models.TextChoices):
        RECEIVED = "received", _("received")
        ASSIGNED = "assigned", _("assigned")
        ANSWERED = "answered", _("answered")
        PUBLISHED = "published", _("published")
        DUPLICATE = "duplicate", _("closed as duplicate")

    asker = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="policy_questions")
    community = models.ForeignKey(
        "home.CommunityPage",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="policy_questions",
        verbose_name=_("community"),
    )
    topic = models.ForeignKey(
        PolicyTopic, on_delete=models.SET_NULL, null=True, blank=True, related_name="+", verbose_name=_("topic")
    )
    title = models.CharField(pgettext_lazy("policy", "Question"), max_length=120)
    details = models.TextField(_("details"), max_length=2000, blank=True)
    on_behalf_of = models.CharField(
        _("asked for"),
        max_length=100,
        blank=True,
        help_text=_("The property company a company question is asked for; empty for a resident's question."),
    )
    status = models.CharField(_("status"), max_length=20, choices=Status.choices, default=Status.RECEIVED)
    assigned_to = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    duplicate_of = models.ForeignKey(
        PolicyAnswerPage, on_delete=models.PROTECT, null=True, blank=True, related_name="duplicates"
    )
    answer = models.TextField(_("answer"), blank=True)
    cited_documents = models.ManyToManyField(PolicyPage, blank=True, related_name="+")
    answered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    answered_in_role = models.CharField(max_length=120, blank=True)
    answered_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        indexes = [
            models.Index(fields=["status", "created_at"], name="policy_question_queue"),
            models.Index(fields=["asker", "created_at"], name="policy_question_asker"),
        ]
        verbose_name = _("policy question")
        verbose_name_plural = _("policy questions")

    def __str__(self):
        return self.title


class AnswerFeedback(models.Model):
    """A reader's "helpful / not helpful" on a published answer: one per reader, which they may change."""

    page = models.ForeignKey(PolicyAnswerPage, on_delete=models.CASCADE, related_name="feedback")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    helpful = models.BooleanField()
    comment = models.CharField(_("what was missing"), max_length=200, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["page", "user"], name="one_feedback_per_reader")]
        verbose_name = _("answer feedback")
        verbose_name_plural = _("answer feedback")

    def __str__(self):
        return f"{self.page_id} · {'+' if self.helpful else '-'}"


class PolicyApprovalTask(PeerReviewTaskMixin, Task):
    """Moderation step for guidance documents: a bureau approver other than the submitter publishes."""

    refusal = _("Only another bureau approver can approve guidance.")

    def reviewer_allowed(self, obj, user) -> bool:
        return user.groups.filter(name=settings.PORTAL_POLICY_APPROVER_GROUP).exists()

    def get_task_states_user_can_moderate(self, user, **kwargs):
        from wagtail.models import TaskState

        states = self.task_states.filter(status=TaskState.STATUS_IN_PROGRESS)
        if user.is_superuser:
            return states
        if not user.groups.filter(name=settings.PORTAL_POLICY_APPROVER_GROUP).exists():
            return states.none()
        return states.exclude(workflow_state__requested_by=user)

    @classmethod
    def get_description(cls):
        return _("A bureau approver other than the submitter approves the guidance document")

    class Meta:
        verbose_name = _("bureau approval of guidance")
        verbose_name_plural = _("bureau approvals of guidance")
