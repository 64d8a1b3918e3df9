"""议事厅: residents' topics and replies. Posts are transactions, not pages (PRODUCT.md "Site structure")."""

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class Topic(models.Model):
    """A topic of one community. Counters are kept by the writers in governance.services.discussions."""

    class Kind(models.TextChoices):
        DISCUSSION = "discussion", _("discussion")
        PROPOSAL = "proposal", _("proposal (replies take a stance)")

    class Status(models.TextChoices):
        OPEN = "open", _("open")
        CLOSED = "closed", _("closed")

    community = models.ForeignKey("home.CommunityPage", on_delete=models.PROTECT, related_name="topics")
    building = models.ForeignKey(
        "home.Building",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="topics",
        verbose_name=_("building concerned"),
    )
    title = models.CharField(_("title"), max_length=80)
    kind = models.CharField(_("kind"), max_length=12, choices=Kind.choices, default=Kind.DISCUSSION)
    status = models.CharField(_("status"), max_length=8, choices=Status.choices, default=Status.OPEN)
    is_pinned = models.BooleanField(_("pinned"), default=False)
    is_public = models.BooleanField(
        _("public"), default=False, help_text=_("Public topics can be read by anyone, also without an account.")
    )
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)
    last_activity_at = models.DateTimeField(default=timezone.now)
    reply_count = models.PositiveIntegerField(default=0)
    agenda_item = models.OneToOneField(
        "governance.AgendaItem", on_delete=models.SET_NULL, null=True, blank=True, related_name="source_topic"
    )
    owners_decision = models.OneToOneField(
        "governance.OwnersDecision", on_delete=models.SET_NULL, null=True, blank=True, related_name="source_topic"
    )

    class Meta:
        indexes = [models.Index(fields=["community", "-is_pinned", "-last_activity_at"], name="topic_list_order")]
        verbose_name = _("topic")
        verbose_name_plural = _("topics")

    def __str__(self):
        return self.title


class Post(models.Model):
    """The opening post of a topic (`is_opening`) or a reply. Replies thread one level deep: `parent` is always
    a top-level post. A deleted or hidden post keeps its row so that its replies stay in place."""

    class Stance(models.TextChoices):
        SUPPORT = "support", _("support")
        OPPOSE = "oppose", _("oppose")
        NEUTRAL = "neutral", _("neutral")

    topic = models.ForeignKey(Topic, on_delete=models.CASCADE, related_name="posts")
    parent = models.ForeignKey(
        "self", on_delete=models.PROTECT, null=True, blank=True, related_name="replies", verbose_name=_("reply to")
    )
    is_opening = models.BooleanField(default=False)
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+")
    author_label = models.CharField(_("shown as"), max_length=60)
    body = models.TextField(_("text"))
    stance = models.CharField(_("stance"), max_length=8, choices=Stance.choices, blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    edited_at = models.DateTimeField(null=True, blank=True)
    deleted_at = models.DateTimeField(null=True, blank=True)
    hidden_at = models.DateTimeField(null=True, blank=True)
    hidden_reason = models.CharField(_("reason for hiding"), max_length=200, blank=True)

    class Meta:
        ordering = ["id"]
        indexes = [models.Index(fields=["topic", "parent", "id"], name="post_thread_order")]
        constraints = [
            models.UniqueConstraint(
                fields=["topic"], condition=models.Q(is_opening=True), name="one_opening_post_per_topic"
            ),
        ]
        verbose_name = _("post")
        verbose_name_plural = _("posts")

    def __str__(self):
        return f"#{self.pk} {self.topic_id}"

    @property
    def is_deleted(self) -> bool:
        return self.deleted_at is not None

    @property
    def is_hidden(self) -> bool:
        return self.hidden_at is not None


class PostRevision(models.Model):
    """Append-only: the text a post had before each edit or deletion by its author."""

    post = models.ForeignKey(Post, on_delete=models.CASCADE, related_name="revisions")
    body = models.TextField()
    replaced_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["id"]

    def __str__(self):
        return f"#{self.post_id} @ {self.replaced_at:%Y-%m-%d %H:%M}"


def post_image_path(instance, filename):
    return f"discussions/{instance.post.topic.community_id}/{instance.token}.{filename.rsplit('.', 1)[-1]}"


class PostImage(models.Model):
    """An image re-encoded on upload (EXIF and location removed); served through a view that checks access."""

    post = models.ForeignKey(Post, on_delete=models.CASCADE, related_name="images")
    token = models.CharField(max_length=32, unique=True)
    file = models.FileField(upload_to=post_image_path)
    width = models.PositiveIntegerField()
    height = models.PositiveIntegerField()
    content_type = models.CharField(max_length=40)

    class Meta:
        ordering = ["id"]

    def __str__(self):
        return self.token


class PostReport(models.Model):
    """A resident's report of a post; closed when a moderator hides the post or dismisses the report."""

    class Reason(models.TextChoices):
        ABUSE = "abuse", _("abuse or personal attack")
        PRIVACY = "privacy", _("reveals someone's personal information")
        SPAM = "spam", _("advertising or spam")
        FALSE = "false", _("false or misleading")
        OTHER = "other", _("other")

    post = models.ForeignKey(Post, on_delete=models.CASCADE, related_name="reports")
    reporter = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    reason = models.CharField(_("reason"), max_length=10, choices=Reason.choices)
    note = models.CharField(_("details"), max_length=200, blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    resolved_at = models.DateTimeField(null=True, blank=True)
    resolved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        ordering = ["id"]
        constraints = [
            models.UniqueConstraint(
                fields=["post", "reporter"],
                condition=models.Q(resolved_at__isnull=True),
                name="one_open_report_per_reporter_and_post",
            )
        ]

    def __str__(self):
        return f"#{self.post_id} {self.reason}"


class TopicReader(models.Model):
    """One user's relation to a topic: how far they have read, whether they follow it and want email."""

    topic = models.ForeignKey(Topic, on_delete=models.CASCADE, related_name="readers")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="topic_readers")
    last_seen_post_id = models.PositiveBigIntegerField(default=0)
    follows = models.BooleanField(default=False)
    muted = models.BooleanField(default=False, help_text="Unfollowed by choice: replying does not follow again.")
    email_replies = models.BooleanField(default=False)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["topic", "user"], name="one_reader_row_per_topic_and_user")]
        indexes = [models.Index(fields=["topic", "follows"], name="topic_followers")]

    def __str__(self):
        return f"{self.user_id} @ {self.topic_id}"
