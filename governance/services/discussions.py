"""Writers of the 议事厅: every change to topics, posts, reports and follows goes through here.

Each writer checks who may act (again, after the view), refuses bad input with a Chinese ValidationError
before writing anything, records moderation in the audit log, and hands the live push to
governance.services.discussions_live once the transaction commits.
"""

import secrets
from io import BytesIO

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.base import ContentFile
from django.db import transaction
from django.db.models import Exists, F, Max, OuterRef
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from PIL import Image, ImageOps, UnidentifiedImageError

from governance import permissions
from governance.domain import discussions as rules
from governance.models import (
    AgendaItem,
    MeetingPage,
    OwnersDecision,
    Post,
    PostImage,
    PostReport,
    PostRevision,
    Topic,
    TopicReader,
)
from governance.services import discussions_live as live
from governance.services.meetings import role_users
from home.models import Building, Notification
from home.services.audit import audit_record
from home.services.notifications import notify

EXCERPT_CHARS = 80


def topic_url(topic: Topic) -> str:
    return reverse("governance:topic_detail", args=[topic.pk])


def post_url(post: Post) -> str:
    return f"{topic_url(post.topic)}#post-{post.pk}"


def excerpt(text: str, length: int = EXCERPT_CHARS) -> str:
    text = " ".join(text.split())
    return text if len(text) <= length else text[: length - 1] + "…"


# ---------------------------------------------------------------- how authors are shown


def author_label_options(user, community) -> list[tuple[str, str]]:
    """What a member may be shown as: each building they live in ("3号楼住户") first, then their real name.
    Never their phone number. Someone with neither (staff) is shown by name or as a resident."""
    buildings = (
        Building.objects.filter(
            community_id=community.pk,
            entrances__units__residencies__person__user=user,
            entrances__units__residencies__ended_on__isnull=True,
        )
        .distinct()
        .order_by("name")
    )
    options = [(f"building-{b.pk}", _("Resident of %(building)s") % {"building": b.name}) for b in buildings]
    name = (getattr(user, "full_name", "") or "").strip()
    if not name and getattr(user, "person", None) is not None:
        name = user.person.full_name.strip()
    if name:
        options.append(("name", name))
    if not options:
        options.append(("resident", _("Resident of this community")))
    return options


def _author_label(user, community, choice: str) -> str:
    options = dict(author_label_options(user, community))
    if not choice:
        return next(iter(options.values()))
    if choice not in options:
        raise ValidationError({"show_as": _("Choose how your name is shown from the list.")})
    return options[choice]


# ---------------------------------------------------------------- checks shared by the writers


def _require_participant(user, community) -> None:
    if not permissions.can_take_part_in_discussions(user, community):
        raise PermissionDenied


def _require_moderator(user, community) -> None:
    if not permissions.can_moderate_discussions(user, community):
        raise PermissionDenied


def _check_rate(user, now) -> None:
    longest = max(window for window, _allowed in rules.POSTING_LIMITS)
    recent = Post.objects.filter(author=user, created_at__gt=now - longest).values_list("created_at", flat=True)
    if not rules.posting_allowed(recent, now):
        raise ValidationError(_("You are posting too quickly. Please wait a minute and try again."))


def _clean_body(body: str) -> str:
    body = rules.clean_text(body or "")
    if not body:
        raise ValidationError({"body": _("Please write something.")})
    if len(body) > rules.BODY_MAX_CHARS:
        raise ValidationError(
            {"body": _("A post may be at most %(max)s characters long.") % {"max": rules.BODY_MAX_CHARS}}
        )
    return body


def _prepared_images(uploads) -> list[tuple[ContentFile, int, int, str]]:
    """Check every upload by its content (not its name), then re-encode it: orientation applied, at most
    2048 px on a side, and no EXIF or other metadata, so no location leaves the phone."""
    uploads = [u for u in (uploads or []) if u]
    if len(uploads) > rules.MAX_IMAGES_PER_POST:
        raise ValidationError({"images": _("At most %(max)s pictures per post.") % {"max": rules.MAX_IMAGES_PER_POST}})
    prepared = []
    for upload in uploads:
        if upload.size > rules.MAX_IMAGE_BYTES:
            raise ValidationError({"images": _("Each picture may be at most 5 MB.")})
        try:
            upload.seek(0)
            with Image.open(upload) as probe:
                probe.verify()
            upload.seek(0)
            with Image.open(upload) as image:
                if image.format not in {"JPEG", "PNG", "WEBP", "GIF"}:
                    raise UnidentifiedImageError
                image.load()
                image = ImageOps.exif_transpose(image)
                image.thumbnail((rules.MAX_IMAGE_SIDE, rules.MAX_IMAGE_SIDE))
                has_alpha = image.mode in {"RGBA", "LA"} or (image.mode == "P" and "transparency" in image.info)
                clean = image.convert("RGBA" if has_alpha else "RGB")
                clean.info = {}
                out = BytesIO()
                if has_alpha:
                    clean.save(out, format="PNG", optimize=True)
                    content_type, ext = "image/png", "png"
                else:
                    clean.save(out, format="JPEG", quality=85, optimize=True, exif=b"")
                    content_type, ext = "image/jpeg", "jpg"
        except (UnidentifiedImageError, OSError, ValueError, Image.DecompressionBombError) as exc:
            raise ValidationError(
                {"images": _("This file is not a picture we can show. Please choose a JPEG, PNG or WebP photo.")}
            ) from exc
        prepared.append((ContentFile(out.getvalue(), name=f"image.{ext}"), clean.width, clean.height, content_type))
    return prepared


def _attach_images(post: Post, prepared) -> None:
    for content, width, height, content_type in prepared:
        image = PostImage(post=post, token=secrets.token_hex(16), width=width, height=height, content_type=content_type)
        image.file.save(content.name, content, save=False)
        image.save()


def _reader_follow(user, topic: Topic, *, last_seen_post_id: int) -> None:
    """Writing in a topic follows it (as in Loomio), unless the member chose to unfollow it before."""
    reader, created = TopicReader.objects.get_or_create(
        topic=topic, user=user, defaults={"follows": True, "last_seen_post_id": last_seen_post_id}
    )
    if not created:
        TopicReader.objects.filter(pk=reader.pk).update(
            follows=not reader.muted, last_seen_post_id=max(reader.last_seen_post_id, last_seen_post_id)
        )


# ---------------------------------------------------------------- topics and posts


def topic_open(
    *,
    actor,
    community,
    title: str,
    body: str,
    kind: str = Topic.Kind.DISCUSSION,
    building=None,
    show_as: str = "",
    images=(),
    now=None,
) -> Topic:
    now = now or timezone.now()
    _require_participant(actor, community)
    title = rules.clean_text(title or "").replace("\n", " ")
    errors = {}
    if not title:
        errors["title"] = _("Please give the topic a title.")
    elif len(title) > rules.TITLE_MAX_CHARS:
        errors["title"] = _("A title may be at most %(max)s characters long.") % {"max": rules.TITLE_MAX_CHARS}
    if kind not in Topic.Kind.values:
        errors["kind"] = _("Choose whether this is a discussion or a proposal.")
    if building is not None and building.community_id != community.pk:
        errors["building"] = _("Choose a building of this community.")
    if errors:
        raise ValidationError(errors)
    body = _clean_body(body)
    label = _author_label(actor, community, show_as)
    prepared = _prepared_images(images)
    _check_rate(actor, now)
    with transaction.atomic():
        topic = Topic.objects.create(
            community_id=community.pk,
            building=building,
            title=title,
            kind=kind,
            author=actor,
            created_at=now,
            last_activity_at=now,
        )
        post = Post.objects.create(
            topic=topic, is_opening=True, author=actor, author_label=label, body=body, created_at=now
        )
        _attach_images(post, prepared)
        _reader_follow(actor, topic, last_seen_post_id=post.pk)
        transaction.on_commit(lambda: live.topic_changed(topic.pk))
    return topic


def post_reply(
    *,
    actor,
    topic: Topic,
    body: str,
    parent: Post | None = None,
    stance: str = "",
    show_as: str = "",
    images=(),
    now=None,
) -> Post:
    now = now or timezone.now()
    _require_participant(actor, topic.community_id)
    if topic.status == Topic.Status.CLOSED:
        raise ValidationError(_("This topic is closed; no more replies can be added."))
    if parent is not None:
        if parent.topic_id != topic.pk:
            raise ValidationError(_("You can only reply to a post of this topic."))
        if parent.is_opening:
            parent = None
        elif parent.parent_id is not None:
            parent = parent.parent  # one level deep: a reply to a reply joins its thread
    if stance and (topic.kind != Topic.Kind.PROPOSAL or stance not in Post.Stance.values):
        raise ValidationError({"stance": _("Only replies to a proposal take a stance: support, oppose or neutral.")})
    body = _clean_body(body)
    label = _author_label(actor, topic.community, show_as)
    prepared = _prepared_images(images)
    _check_rate(actor, now)
    with transaction.atomic():
        post = Post.objects.create(
            topic=topic, parent=parent, author=actor, author_label=label, body=body, stance=stance, created_at=now
        )
        _attach_images(post, prepared)
        Topic.objects.filter(pk=topic.pk).update(reply_count=F("reply_count") + 1, last_activity_at=now)
        _reader_follow(actor, topic, last_seen_post_id=post.pk)
        _notify_followers(post)
        transaction.on_commit(lambda: live.post_created(post.pk))
    return post


def _notify_followers(post: Post) -> None:
    """One unread notification per follower and topic: a busy topic does not flood anyone's inbox."""
    topic = post.topic
    url = topic_url(topic)
    # Followers who still have an unread notification of this topic are left out in the query itself, so a
    # busy topic with many followers loads only the few who need a new one (bench/discussions_ws.py).
    waiting = Notification.objects.filter(recipient_id=OuterRef("user_id"), url=url, read_at__isnull=True)
    readers = list(
        TopicReader.objects.filter(
            topic=topic, follows=True, user__groups__community_role__community_id=topic.community_id
        )
        .exclude(user_id=post.author_id)
        .exclude(Exists(waiting))
        .select_related("user")
        .distinct()
    )
    for reader in readers:
        notify(
            recipient=reader.user,
            title=_("New reply in “%(title)s”") % {"title": topic.title},
            body=f"{post.author_label}：{excerpt(post.body)}",
            url=url,
            email=reader.email_replies,
        )


def post_edit(*, actor, post: Post, body: str, now=None) -> Post:
    """The author, within 15 minutes; the previous text is kept in the post's history."""
    now = now or timezone.now()
    if post.author_id != getattr(actor, "pk", None):
        raise PermissionDenied
    _require_participant(actor, post.topic.community_id)
    if post.deleted_at or post.hidden_at:
        raise ValidationError(_("A deleted or hidden post cannot be edited."))
    if not rules.edit_allowed(post.created_at, now):
        raise ValidationError(_("A post can only be edited within 15 minutes of posting."))
    body = _clean_body(body)
    if body == post.body:
        return post
    with transaction.atomic():
        PostRevision.objects.create(post=post, body=post.body, replaced_at=now)
        post.body = body
        post.edited_at = now
        post.save(update_fields=["body", "edited_at"])
        transaction.on_commit(lambda: live.post_changed(post.pk))
    return post


def post_delete(*, actor, post: Post, now=None) -> Post:
    """The author deletes: the post shows as deleted, its replies stay; its text is kept in the history."""
    now = now or timezone.now()
    if post.author_id != getattr(actor, "pk", None):
        raise PermissionDenied
    if post.deleted_at:
        return post
    with transaction.atomic():
        PostRevision.objects.create(post=post, body=post.body, replaced_at=now)
        post.deleted_at = now
        post.body = ""
        post.stance = ""
        post.save(update_fields=["deleted_at", "body", "stance"])
        PostImage.objects.filter(post=post).delete()
        transaction.on_commit(lambda: live.post_changed(post.pk))
    return post


def post_report(*, actor, post: Post, reason: str, note: str = "", now=None) -> PostReport:
    now = now or timezone.now()
    community = post.topic.community
    _require_participant(actor, community)
    if reason not in PostReport.Reason.values:
        raise ValidationError({"reason": _("Choose why you are reporting this post.")})
    note = rules.clean_text(note or "")[:200]
    if reason == PostReport.Reason.OTHER and not note:
        raise ValidationError({"note": _("Please say briefly what is wrong with this post.")})
    if post.author_id == actor.pk:
        raise ValidationError(_("You cannot report your own post; you can edit or delete it."))
    if PostReport.objects.filter(post=post, reporter=actor, resolved_at__isnull=True).exists():
        raise ValidationError(_("You have already reported this post; the committee will look at it."))
    with transaction.atomic():
        report = PostReport.objects.create(post=post, reporter=actor, reason=reason, note=note, created_at=now)
        for moderator in _moderators(community):
            notify(
                recipient=moderator,
                title=_("A post was reported in the discussions"),
                body=f"{report.get_reason_display()}：{excerpt(post.body)}",
                url=reverse("governance:discussion_reports", args=[community.pk]),
            )
    return report


def _moderators(community):
    from home.models import CommunityRole

    return role_users(
        community,
        CommunityRole.Role.OWNERS_COMMITTEE,
        CommunityRole.Role.DELIBERATION_COUNCIL,
        CommunityRole.Role.COMMUNITY_STAFF,
    )


# ---------------------------------------------------------------- moderation


def _require_reason(reason: str) -> str:
    reason = rules.clean_text(reason or "")[:200]
    if not reason:
        raise ValidationError({"reason": _("Give the reason; it is kept in the audit log.")})
    return reason


def post_hide(*, actor, post: Post, reason: str, now=None) -> Post:
    now = now or timezone.now()
    community = post.topic.community
    _require_moderator(actor, community)
    reason = _require_reason(reason)
    if post.hidden_at:
        raise ValidationError(_("This post is already hidden."))
    with transaction.atomic():
        post.hidden_at = now
        post.hidden_reason = reason
        post.save(update_fields=["hidden_at", "hidden_reason"])
        PostReport.objects.filter(post=post, resolved_at__isnull=True).update(resolved_at=now, resolved_by=actor)
        audit_record(
            actor=actor, community=community, action="post.hide", target=post, after={"hidden": True}, note=reason
        )
        transaction.on_commit(lambda: live.post_changed(post.pk))
    return post


def post_restore(*, actor, post: Post, reason: str) -> Post:
    community = post.topic.community
    _require_moderator(actor, community)
    reason = _require_reason(reason)
    if not post.hidden_at:
        raise ValidationError(_("This post is not hidden."))
    with transaction.atomic():
        before = {"hidden": True, "hidden_reason": post.hidden_reason}
        post.hidden_at = None
        post.hidden_reason = ""
        post.save(update_fields=["hidden_at", "hidden_reason"])
        audit_record(
            actor=actor, community=community, action="post.restore", target=post, before=before, after={}, note=reason
        )
        transaction.on_commit(lambda: live.post_changed(post.pk))
    return post


def report_dismiss(*, actor, report: PostReport, reason: str, now=None) -> PostReport:
    now = now or timezone.now()
    community = report.post.topic.community
    _require_moderator(actor, community)
    reason = _require_reason(reason)
    if report.resolved_at:
        return report
    with transaction.atomic():
        report.resolved_at = now
        report.resolved_by = actor
        report.save(update_fields=["resolved_at", "resolved_by"])
        audit_record(actor=actor, community=community, action="post.report_dismiss", target=report.post, note=reason)
    return report


def _topic_setting_change(*, actor, topic: Topic, field: str, value, action: str, note: str = "") -> Topic:
    """Change one of the committee's settings of a topic, with its audit entry and the live list update."""
    _require_moderator(actor, topic.community)
    before = getattr(topic, field)
    if before == value:
        return topic
    with transaction.atomic():
        setattr(topic, field, value)
        topic.save(update_fields=[field])
        audit_record(
            actor=actor,
            community=topic.community,
            action=action,
            target=topic,
            before={field: before},
            after={field: value},
            note=note,
        )
        transaction.on_commit(lambda: live.topic_changed(topic.pk))
    return topic


def topic_pin_set(*, actor, topic: Topic, pinned: bool) -> Topic:
    return _topic_setting_change(actor=actor, topic=topic, field="is_pinned", value=pinned, action="topic.pin")


def topic_status_set(*, actor, topic: Topic, status: str, reason: str = "") -> Topic:
    """Closing needs a reason (it stays in the audit log); reopening does not."""
    _require_moderator(actor, topic.community)
    if status not in Topic.Status.values:
        raise ValidationError(_("Unknown topic status."))
    if status == Topic.Status.CLOSED:
        reason = _require_reason(reason)
    return _topic_setting_change(
        actor=actor, topic=topic, field="status", value=status, action="topic.status", note=reason
    )


def topic_public_set(*, actor, topic: Topic, public: bool) -> Topic:
    """Making a topic public shows it to people outside the community: a committee decision, logged."""
    return _topic_setting_change(actor=actor, topic=topic, field="is_public", value=public, action="topic.public")


# ---------------------------------------------------------------- a topic becomes a motion


def agenda_meetings_for(user, community):
    """Meetings whose agenda this user may still extend: future, notice not yet published (A-09), of a body of
    this community that the user manages."""
    meetings = (
        MeetingPage.objects.live()
        .descendant_of(community)
        .filter(starts_at__gt=timezone.now(), notice_published_at__isnull=True)
        .order_by("starts_at")
    )
    return [m for m in meetings if permissions.can_manage_meeting(user, m)]


def topic_to_agenda_item(*, actor, topic: Topic, meeting: MeetingPage) -> AgendaItem:
    """Put the topic on a meeting's agenda; the item links back to the topic and the topic to the item."""
    meeting = MeetingPage.objects.get(pk=meeting.pk)  # the caller's copy may predate its last revision
    community = permissions.community_of(meeting)
    if community is None or community.pk != topic.community_id or not permissions.can_manage_meeting(actor, meeting):
        raise PermissionDenied
    if topic.agenda_item_id:
        raise ValidationError(_("This topic is already on a meeting's agenda."))
    if meeting.notice_published_at is not None or meeting.starts_at <= timezone.now():
        raise ValidationError(_("The agenda of this meeting is locked: its notice has been published (A-09)."))
    if meeting.has_unpublished_changes:
        raise ValidationError(_("This meeting has unpublished changes in the admin; publish or discard them first."))
    with transaction.atomic():
        last = meeting.agenda_items.aggregate(last=Max("sort_order"))["last"]
        opening = topic.posts.filter(is_opening=True, deleted_at__isnull=True, hidden_at__isnull=True).first()
        item = AgendaItem.objects.create(
            meeting=meeting,
            title=topic.title,
            description=excerpt(opening.body, 300) if opening else "",
            sort_order=(last if last is not None else -1) + 1,
        )
        # The page's revision must carry the new item, or the next edit in the admin would drop it.
        meeting.refresh_from_db()
        meeting.save_revision(user=actor).publish(user=actor)
        topic.agenda_item = item
        topic.save(update_fields=["agenda_item"])
        audit_record(
            actor=actor,
            community=community,
            action="topic.to_agenda",
            target=topic,
            after={"meeting": meeting.pk, "agenda_item": item.pk},
        )
        transaction.on_commit(lambda: live.topic_changed(topic.pk))
    return item


def topic_to_owners_decision(*, actor, topic: Topic) -> OwnersDecision:
    """Start a draft owners' decision from a proposal. The discussion's stances are a consultation, never
    the decision itself (G-07): the owners vote on the draft once it is completed and announced."""
    if not permissions.can_start_owners_decision(actor, topic.community):
        raise PermissionDenied
    if topic.owners_decision_id:
        raise ValidationError(_("A draft owners' decision already exists for this topic."))
    opening = topic.posts.filter(is_opening=True, deleted_at__isnull=True, hidden_at__isnull=True).first()
    with transaction.atomic():
        decision = OwnersDecision.objects.create(
            community_id=topic.community_id,
            title=topic.title,
            description=opening.body if opening else "",
            created_by=actor,
        )
        topic.owners_decision = decision
        topic.save(update_fields=["owners_decision"])
        audit_record(
            actor=actor,
            community=topic.community,
            action="topic.to_owners_decision",
            target=topic,
            after={"owners_decision": decision.pk},
        )
        transaction.on_commit(lambda: live.topic_changed(topic.pk))
    return decision


# ---------------------------------------------------------------- following and reading


def topic_follow_set(*, user, topic: Topic, follows: bool, email_replies: bool = False) -> TopicReader:
    _require_participant(user, topic.community_id)
    reader, _created = TopicReader.objects.get_or_create(topic=topic, user=user)
    reader.follows = follows
    reader.muted = not follows
    reader.email_replies = follows and email_replies
    reader.save(update_fields=["follows", "muted", "email_replies"])
    return reader


def topic_mark_seen(*, user, topic: Topic, last_post_id: int) -> None:
    """Remember how far a member has read (for the unread counts); a no-op for everyone else."""
    if not permissions.can_take_part_in_discussions(user, topic.community_id) or not last_post_id:
        return
    updated = TopicReader.objects.filter(topic=topic, user=user, last_seen_post_id__lt=last_post_id).update(
        last_seen_post_id=last_post_id
    )
    if not updated:
        TopicReader.objects.get_or_create(topic=topic, user=user, defaults={"last_seen_post_id": last_post_id})
