"""Committee side of the 议事厅: reports queue, hide and restore, pin, close, public, and turning a topic into
a meeting's agenda item or a draft owners' decision.

The views only parse the form, ask governance.permissions, call the writer in governance.services.discussions
(which asks again and writes the audit entry) and show its refusal in Chinese; every POST ends in a redirect.
"""

from collections import Counter, defaultdict

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db.models import Count, Max, Q
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import path, reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from governance import permissions
from governance.models import MeetingPage, Post, PostReport, Topic
from governance.services import discussions as svc
from home.models import CommunityPage

REPORTS_PER_PAGE = 20


def _errors_of(error: ValidationError) -> str:
    return " ".join(error.messages)


def _topic(topic_id: int) -> Topic:
    return get_object_or_404(
        Topic.objects.select_related("community", "agenda_item__meeting", "owners_decision"), pk=topic_id
    )


def _moderated_topic(request, topic_id: int) -> Topic:
    topic = _topic(topic_id)
    if not permissions.can_moderate_discussions(request.user, topic.community):
        raise PermissionDenied
    return topic


def open_report_count(community) -> int:
    return PostReport.objects.filter(post__topic__community_id=community.pk, resolved_at__isnull=True).count()


def topic_moderation_context(request, topic) -> dict:
    """Extra context the topic page needs for its committee controls (empty for everyone else)."""
    user = request.user
    community = topic.community
    if not permissions.can_moderate_discussions(user, community):
        return {"can_moderate": False}
    agenda_item = topic.agenda_item
    return {
        "can_moderate": True,
        "can_start_decision": permissions.can_start_owners_decision(user, community),
        "agenda_meetings": [] if agenda_item else svc.agenda_meetings_for(user, community),
        "agenda_meeting": agenda_item.meeting if agenda_item else None,
        "open_report_count": open_report_count(community),
        "reports_url": reverse("governance:discussion_reports", args=[community.pk]),
    }


def topic_list_moderation_context(request, community) -> dict:
    """For the topic list: the link to the reports queue with its open count, for moderators only
    (`reports_url` and `open_report_count`; empty for everyone else)."""
    if not permissions.can_moderate_discussions(request.user, community):
        return {}
    return {
        "open_report_count": open_report_count(community),
        "reports_url": reverse("governance:discussion_reports", args=[community.pk]),
    }


# ---------------------------------------------------------------- reports queue


def _report_rows(posts) -> list[dict]:
    """One row per reported post: its open reports' reasons with counts and their notes. Reporters are not
    named: the committee judges the post, not who reported it."""
    reports = defaultdict(list)
    for report in PostReport.objects.filter(post__in=[p.pk for p in posts], resolved_at__isnull=True).order_by("id"):
        reports[report.post_id].append(report)
    labels = dict(PostReport.Reason.choices)
    rows = []
    for post in posts:
        counts = Counter(r.reason for r in reports[post.pk])
        rows.append(
            {
                "post": post,
                "excerpt": svc.excerpt(post.body, 160),
                "reasons": [{"label": labels[reason], "count": n} for reason, n in counts.most_common()],
                "notes": [r.note for r in reports[post.pk] if r.note],
                "count": len(reports[post.pk]),
            }
        )
    return rows


@login_required
def discussion_reports(request, community_id):
    """举报处理: open reports of a community's posts, grouped by post, for its moderators."""
    community = get_object_or_404(CommunityPage.objects.live(), pk=community_id)
    if not permissions.can_moderate_discussions(request.user, community):
        raise PermissionDenied
    if request.method == "POST":
        return _dismiss_reports(request, community)
    posts = (
        Post.objects.filter(topic__community_id=community.pk)
        .annotate(
            open_reports=Count("reports", filter=Q(reports__resolved_at__isnull=True)),
            last_reported=Max("reports__created_at", filter=Q(reports__resolved_at__isnull=True)),
        )
        .filter(open_reports__gt=0)
        .select_related("topic")
        .order_by("-last_reported", "-pk")
    )
    page_obj = Paginator(posts, REPORTS_PER_PAGE).get_page(request.GET.get("page"))
    context = {
        "community": community,
        "page_obj": page_obj,
        "rows": _report_rows(list(page_obj.object_list)),
    }
    return render(request, "governance/discussions/reports.html", context)


def _dismiss_reports(request, community):
    """驳回举报: close every open report of one post, keeping the post as it is; the reason goes to the log."""
    post = get_object_or_404(Post.objects.select_related("topic__community"), pk=_int(request.POST.get("post")))
    if post.topic.community_id != community.pk:
        raise PermissionDenied
    reports = list(PostReport.objects.filter(post=post, resolved_at__isnull=True).select_related("post__topic"))
    try:
        if not reports:
            raise ValidationError(_("These reports have already been dealt with."))
        for report in reports:
            report.post = post
            svc.report_dismiss(actor=request.user, report=report, reason=request.POST.get("reason", ""))
    except ValidationError as error:
        messages.error(request, _errors_of(error))
    else:
        messages.success(request, _("The reports were dismissed; the post stays visible."))
    return redirect(_reports_url(community.pk, request.POST.get("page")))


def _int(value) -> int:
    try:
        return int(value)
    except (TypeError, ValueError):
        return 0


def _reports_url(community_id: int, page=None) -> str:
    url = reverse("governance:discussion_reports", args=[community_id])
    page = _int(page)
    return f"{url}?page={page}" if page > 1 else url


# ---------------------------------------------------------------- posts


@login_required
@require_POST
def post_moderate(request, post_id):
    """Hide (屏蔽) or restore a post; the reason is required and kept in the audit log."""
    post = get_object_or_404(Post.objects.select_related("topic__community"), pk=post_id)
    community = post.topic.community
    if not permissions.can_moderate_discussions(request.user, community):
        raise PermissionDenied
    action = request.POST.get("action", "")
    reason = request.POST.get("reason", "")
    try:
        if action == "hide":
            svc.post_hide(actor=request.user, post=post, reason=reason)
            done = _("The post is hidden; its open reports are closed.")
        elif action == "restore":
            svc.post_restore(actor=request.user, post=post, reason=reason)
            done = _("The post is shown again.")
        else:
            raise ValidationError(_("Unknown action."))
    except ValidationError as error:
        messages.error(request, _errors_of(error))
    else:
        messages.success(request, done)
    if request.POST.get("next") == "reports":
        return redirect(_reports_url(community.pk, request.POST.get("page")))
    return redirect(svc.post_url(post))


# ---------------------------------------------------------------- topics


@login_required
@require_POST
def topic_manage(request, topic_id):
    """置顶 / 取消置顶, 关闭 (with a reason) / 重新开放, 设为公开 / 取消公开."""
    topic = _moderated_topic(request, topic_id)
    action = request.POST.get("action", "")
    reason = request.POST.get("reason", "")
    actor = request.user
    steps = {
        "pin": (lambda: svc.topic_pin_set(actor=actor, topic=topic, pinned=True), _("The topic is pinned.")),
        "unpin": (lambda: svc.topic_pin_set(actor=actor, topic=topic, pinned=False), _("The topic is unpinned.")),
        "close": (
            lambda: svc.topic_status_set(actor=actor, topic=topic, status=Topic.Status.CLOSED, reason=reason),
            _("The topic is closed; no more replies can be added."),
        ),
        "reopen": (
            lambda: svc.topic_status_set(actor=actor, topic=topic, status=Topic.Status.OPEN, reason=reason),
            _("The topic is open again."),
        ),
        "public": (
            lambda: svc.topic_public_set(actor=actor, topic=topic, public=True),
            _("The topic is public: anyone can read it."),
        ),
        "private": (
            lambda: svc.topic_public_set(actor=actor, topic=topic, public=False),
            _("The topic is for the community's members only again."),
        ),
    }
    try:
        if action not in steps:
            raise ValidationError(_("Unknown action."))
        step, done = steps[action]
        step()
    except ValidationError as error:
        messages.error(request, _errors_of(error))
    else:
        messages.success(request, done)
    return redirect(svc.topic_url(topic))


@login_required
def topic_to_agenda(request, topic_id):
    """列入会议议程: choose one of the future meetings whose notice is not yet published (A-09)."""
    topic = _moderated_topic(request, topic_id)
    if topic.agenda_item_id:
        messages.info(request, _("This topic is already on a meeting's agenda."))
        return redirect(svc.topic_url(topic))
    error = ""
    if request.method == "POST":
        meeting = MeetingPage.objects.live().filter(pk=_int(request.POST.get("meeting"))).first()
        try:
            if meeting is None:
                raise ValidationError(_("Choose a meeting from the list."))
            svc.topic_to_agenda_item(actor=request.user, topic=topic, meeting=meeting)
        except ValidationError as problem:
            error = _errors_of(problem)
        else:
            messages.success(request, _("The topic is on the agenda of “%(meeting)s”.") % {"meeting": meeting.title})
            return redirect(svc.topic_url(topic))
    context = {
        "topic": topic,
        "community": topic.community,
        "agenda_meetings": svc.agenda_meetings_for(request.user, topic.community),
        "error": error,
    }
    return render(request, "governance/discussions/to_agenda.html", context, status=400 if error else 200)


@login_required
def topic_to_decision(request, topic_id):
    """转为业主表决草稿: a draft the owners' committee completes; the discussion's stances are not the vote."""
    topic = _topic(topic_id)
    if not permissions.can_start_owners_decision(request.user, topic.community):
        raise PermissionDenied
    if topic.owners_decision_id and request.method != "POST":
        return redirect("governance:decision_detail", decision_id=topic.owners_decision_id)
    if request.method == "POST":
        try:
            decision = svc.topic_to_owners_decision(actor=request.user, topic=topic)
        except ValidationError as error:
            messages.error(request, _errors_of(error))
            return redirect(svc.topic_url(topic))
        messages.success(request, _("A draft owners' decision was started from this topic."))
        return redirect("governance:decision_detail", decision_id=decision.pk)
    return render(request, "governance/discussions/to_decision.html", {"topic": topic, "community": topic.community})


urlpatterns = [
    path("community/<int:community_id>/topics/reports/", discussion_reports, name="discussion_reports"),
    path("posts/<int:post_id>/moderate/", post_moderate, name="post_moderate"),
    path("topics/<int:topic_id>/manage/", topic_manage, name="topic_manage"),
    path("topics/<int:topic_id>/to-agenda/", topic_to_agenda, name="topic_to_agenda"),
    path("topics/<int:topic_id>/to-decision/", topic_to_decision, name="topic_to_decision"),
]
