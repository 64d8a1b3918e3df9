"""议事厅 for residents: topic list, new topic, topic page, reply, edit, delete, history, report, follow and
the pictures. Views parse, ask the permissions, call a writer of governance.services.discussions and show its
refusal in Chinese; they change nothing themselves. Every form works without JavaScript (POST, then redirect)."""

from datetime import timedelta

from django.contrib import messages
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import path
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from governance import permissions, selectors
from governance.domain import discussions as rules
from governance.forms_discussions import PostEditForm, PostReportForm, ReplyForm, TopicForm
from governance.models import Post, PostImage, Topic, TopicReader
from governance.services import discussions as svc
from governance.views.discussion_moderation import topic_list_moderation_context, topic_moderation_context
from home.models import Building, CommunityPage

FORBIDDEN_TEMPLATE = "governance/discussions/forbidden.html"


# ---------------------------------------------------------------- helpers


def _community(community_id: int) -> CommunityPage:
    return get_object_or_404(CommunityPage.objects.live(), pk=community_id)


def _topic(topic_id: int) -> Topic:
    return get_object_or_404(Topic.objects.select_related("community", "building"), pk=topic_id)


def _post(post_id: int) -> Post:
    return get_object_or_404(Post.objects.select_related("topic", "topic__community"), pk=post_id)


def _refuse(request, community=None):
    """Anonymous visitors are sent to log in; a logged-in user without access gets the Chinese 403 page."""
    if not request.user.is_authenticated:
        return redirect_to_login(request.get_full_path())
    return render(request, FORBIDDEN_TEMPLATE, {"community": community}, status=403)


def _may_read(request, topic: Topic):
    """None when the user may read the topic, else the refusal to return."""
    if permissions.can_read_topic(request.user, topic):
        return None
    return _refuse(request, topic.community)


def _may_take_part(request, community):
    if permissions.can_take_part_in_discussions(request.user, community):
        return None
    return _refuse(request, community)


def _add_errors(form, error: ValidationError) -> None:
    """A writer's refusal, on the field it names (or above the form)."""
    if hasattr(error, "error_dict"):
        for field, errors in error.error_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    else:
        form.add_error(None, error)


def _post_location(post: Post) -> str:
    """The topic page that shows the post, with its anchor."""
    url = svc.topic_url(post.topic)
    page = selectors.page_of_post(post)
    if page > 1:
        url += f"?page={page}"
    return f"{url}#post-{post.pk}"


# ---------------------------------------------------------------- topic list


@require_GET
def topic_list(request, community_id):
    """Pinned first, then by last activity; filters by building, kind and status; 20 a page."""
    community = _community(community_id)
    topics = selectors.topics_visible_to(request.user, community)
    buildings = list(Building.objects.filter(community_id=community.pk).order_by("sort_order", "name"))
    filters = {"building": "", "kind": "", "status": ""}
    building = request.GET.get("building", "")
    if building.isdigit() and any(b.pk == int(building) for b in buildings):
        topics = topics.filter(building_id=int(building))
        filters["building"] = int(building)
    if request.GET.get("kind") in Topic.Kind.values:
        filters["kind"] = request.GET["kind"]
        topics = topics.filter(kind=filters["kind"])
    if request.GET.get("status") in Topic.Status.values:
        filters["status"] = request.GET["status"]
        topics = topics.filter(status=filters["status"])
    is_member = permissions.can_take_part_in_discussions(request.user, community)
    if is_member:
        topics = selectors.with_unread_counts(topics, request.user)
    page_obj = Paginator(topics, selectors.TOPICS_PER_PAGE).get_page(request.GET.get("page"))
    context = {
        "community": community,
        "page_obj": page_obj,
        "topics": page_obj.object_list,
        "buildings": buildings,
        "filters": filters,
        "is_member": is_member,
        "show_unread": is_member,
        **topic_list_moderation_context(request, community),
    }
    return render(request, "governance/discussions/topic_list.html", context)


# ---------------------------------------------------------------- a new topic


@require_http_methods(["GET", "POST"])
def topic_new(request, community_id):
    community = _community(community_id)
    refusal = _may_take_part(request, community)
    if refusal:
        return refusal
    options = svc.author_label_options(request.user, community)
    form = TopicForm(request.POST or None, request.FILES or None, community=community, show_as_options=options)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            topic = svc.topic_open(
                actor=request.user,
                community=community,
                title=data["title"],
                body=data["body"],
                kind=data["kind"],
                building=data["building"],
                show_as=data["show_as"],
                images=request.FILES.getlist("images"),
            )
        except ValidationError as error:
            _add_errors(form, error)
        else:
            messages.success(request, _("Your topic is open."))
            return redirect(svc.topic_url(topic))
    status = 400 if form.is_bound else 200
    return render(
        request, "governance/discussions/topic_form.html", {"community": community, "form": form}, status=status
    )


# ---------------------------------------------------------------- the topic page


def _controls(request, topic: Topic) -> dict:
    user = request.user
    return {
        "user_id": user.pk if user.is_authenticated else None,
        "can_post": permissions.can_take_part_in_discussions(user, topic.community),
        "moderate": permissions.can_moderate_discussions(user, topic.community),
        "edit_since": timezone.now() - rules.EDIT_WINDOW + timedelta(seconds=1),
    }


def _render_topic(request, topic: Topic, *, reply_form=None, reply_to=None, status=200):
    controls = _controls(request, topic)
    page_number = request.GET.get("page")
    if reply_to is None and request.GET.get("reply_to", "").isdigit():
        reply_to = Post.objects.filter(topic=topic, pk=int(request.GET["reply_to"])).first()
    if reply_to is not None and reply_to.is_opening:
        reply_to = None
    if reply_to is not None and not page_number:
        page_number = selectors.page_of_post(reply_to)
    page_obj = Paginator(selectors.top_level_posts(topic), selectors.POSTS_PER_PAGE).get_page(page_number)
    posts = list(page_obj.object_list)
    opening = selectors.opening_post_of(topic)
    ids = [p.pk for p in posts] + [r.pk for p in posts for r in p.thread_replies]
    if opening:
        ids.append(opening.pk)
    last_post_id = max(ids, default=0)

    reader = None
    options = []
    if controls["can_post"]:
        reader = TopicReader.objects.filter(topic=topic, user=request.user).first()
        options = svc.author_label_options(request.user, topic.community)
        if request.method == "GET":
            svc.topic_mark_seen(user=request.user, topic=topic, last_post_id=last_post_id)
    thread_of_reply = (reply_to.parent_id or reply_to.pk) if reply_to is not None else None
    main_form = inline_form = None
    if controls["can_post"] and topic.status == Topic.Status.OPEN:
        # A failed reply comes back bound: under its post when it answered one, else at the bottom.
        failed_inline = reply_form is not None and reply_to is not None
        main_form = reply_form if (reply_form is not None and not failed_inline) else None
        main_form = main_form or ReplyForm(topic=topic, show_as_options=options)
        if reply_to is not None:
            inline_form = reply_form if failed_inline else None
            inline_form = inline_form or ReplyForm(
                initial={"parent": reply_to.pk}, topic=topic, show_as_options=options, auto_id="id_reply_%s"
            )

    context = {
        "topic": topic,
        "community": topic.community,
        "opening": opening,
        "posts": posts,
        "page_obj": page_obj,
        "is_last_page": not page_obj.has_next(),
        "last_post_id": last_post_id,
        "controls": controls,
        "can_moderate": controls["moderate"],
        "reader": reader,
        "reply_form": main_form,
        "inline_form": inline_form,
        "reply_to": reply_to,
        "reply_thread_id": thread_of_reply,
        "tally": selectors.stance_tally_of(topic) if topic.kind == Topic.Kind.PROPOSAL else None,
    }
    context.update(topic_moderation_context(request, topic))
    return render(request, "governance/discussions/topic_detail.html", context, status=status)


@require_GET
def topic_detail(request, topic_id):
    topic = _topic(topic_id)
    refusal = _may_read(request, topic)
    if refusal:
        return refusal
    return _render_topic(request, topic)


@require_POST
def post_reply(request, topic_id):
    topic = _topic(topic_id)
    refusal = _may_read(request, topic) or _may_take_part(request, topic.community)
    if refusal:
        return refusal
    options = svc.author_label_options(request.user, topic.community)
    parent = None
    if request.POST.get("parent"):
        # Another topic's post, or no post at all: nothing to reply to here.
        parent_id = request.POST["parent"]
        parent = Post.objects.filter(topic=topic, pk=parent_id).first() if parent_id.isdigit() else None
        if parent is None:
            raise Http404
    auto_id = "id_reply_%s" if parent is not None else "id_%s"
    form = ReplyForm(request.POST, request.FILES, topic=topic, show_as_options=options, auto_id=auto_id)
    if form.is_valid():
        data = form.cleaned_data
        try:
            post = svc.post_reply(
                actor=request.user,
                topic=topic,
                body=data["body"],
                parent=parent,
                stance=data.get("stance", ""),
                show_as=data["show_as"],
                images=request.FILES.getlist("images"),
            )
        except ValidationError as error:
            _add_errors(form, error)
        else:
            return redirect(_post_location(post))
    return _render_topic(request, topic, reply_form=form, reply_to=parent, status=400)


@require_POST
def topic_follow(request, topic_id):
    topic = _topic(topic_id)
    refusal = _may_read(request, topic) or _may_take_part(request, topic.community)
    if refusal:
        return refusal
    follows = request.POST.get("follows") == "1"
    svc.topic_follow_set(
        user=request.user, topic=topic, follows=follows, email_replies=bool(request.POST.get("email_replies"))
    )
    if follows:
        messages.success(request, _("You follow this topic: replies appear in your notifications."))
    else:
        messages.success(request, _("You no longer follow this topic."))
    return redirect(svc.topic_url(topic))


# ---------------------------------------------------------------- one post: edit, delete, history, report


def _own_post(request, post_id):
    """The post, if the user wrote it; (post, refusal)."""
    post = _post(post_id)
    if not request.user.is_authenticated:
        return post, redirect_to_login(request.get_full_path())
    if post.author_id != request.user.pk or not permissions.can_read_topic(request.user, post.topic):
        return post, _refuse(request, post.topic.community)
    return post, None


@require_http_methods(["GET", "POST"])
def post_edit(request, post_id):
    post, refusal = _own_post(request, post_id)
    if refusal:
        return refusal
    form = PostEditForm(request.POST or None, initial={"body": post.body})
    if request.method == "GET" and not rules.edit_allowed(post.created_at, timezone.now()):
        messages.error(request, _("A post can only be edited within 15 minutes of posting."))
        return redirect(_post_location(post))
    if request.method == "POST" and form.is_valid():
        try:
            svc.post_edit(actor=request.user, post=post, body=form.cleaned_data["body"])
        except ValidationError as error:
            _add_errors(form, error)
        except PermissionDenied:
            return _refuse(request, post.topic.community)
        else:
            messages.success(request, _("Your post is updated; the earlier text stays in its history."))
            return redirect(_post_location(post))
    status = 400 if form.is_bound else 200
    return render(
        request,
        "governance/discussions/post_edit.html",
        {"post": post, "topic": post.topic, "form": form},
        status=status,
    )


@require_http_methods(["GET", "POST"])
def post_delete(request, post_id):
    post, refusal = _own_post(request, post_id)
    if refusal:
        return refusal
    if request.method == "POST":
        svc.post_delete(actor=request.user, post=post)
        messages.success(request, _("Your post is deleted. Replies to it stay in place."))
        return redirect(_post_location(post))
    return render(request, "governance/discussions/post_delete.html", {"post": post, "topic": post.topic})


@require_GET
def post_history(request, post_id):
    """Earlier texts of an edited post, for everyone who may read the topic. The text a post had when its
    author deleted it, and the texts of a hidden post, are for moderators only."""
    post = _post(post_id)
    refusal = _may_read(request, post.topic)
    if refusal:
        return refusal
    moderator = permissions.can_moderate_discussions(request.user, post.topic.community)
    revisions, withheld = selectors.post_history_for(post, moderator=moderator)
    context = {"post": post, "topic": post.topic, "revisions": revisions, "withheld": withheld, "moderator": moderator}
    return render(request, "governance/discussions/post_history.html", context)


@require_http_methods(["GET", "POST"])
def post_report(request, post_id):
    post = _post(post_id)
    refusal = _may_read(request, post.topic) or _may_take_part(request, post.topic.community)
    if refusal:
        return refusal
    form = PostReportForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            svc.post_report(actor=request.user, post=post, **form.cleaned_data)
        except ValidationError as error:
            _add_errors(form, error)
        else:
            messages.success(request, _("Thank you. The committee will look at this post."))
            return redirect(_post_location(post))
    status = 400 if form.is_bound else 200
    return render(
        request,
        "governance/discussions/post_report.html",
        {"post": post, "topic": post.topic, "form": form},
        status=status,
    )


@require_GET
def post_image(request, token):
    """A post's picture, only for those who may read the topic (never a public /media/ link)."""
    image = get_object_or_404(PostImage.objects.select_related("post__topic__community"), token=token)
    topic = image.post.topic
    if not permissions.can_read_topic(request.user, topic):
        raise PermissionDenied
    if image.post.is_hidden and not permissions.can_moderate_discussions(request.user, topic.community):
        raise Http404
    response = FileResponse(image.file.open("rb"), content_type=image.content_type)
    response["Cache-Control"] = "private, max-age=3600"
    response["X-Content-Type-Options"] = "nosniff"
    return response


urlpatterns = [
    path("community/<int:community_id>/topics/", topic_list, name="topic_list"),
    path("community/<int:community_id>/topics/new/", topic_new, name="topic_new"),
    path("topics/<int:topic_id>/", topic_detail, name="topic_detail"),
    path("topics/<int:topic_id>/reply/", post_reply, name="post_reply"),
    path("topics/<int:topic_id>/follow/", topic_follow, name="topic_follow"),
    path("posts/<int:post_id>/edit/", post_edit, name="post_edit"),
    path("posts/<int:post_id>/delete/", post_delete, name="post_delete"),
    path("posts/<int:post_id>/history/", post_history, name="post_history"),
    path("posts/<int:post_id>/report/", post_report, name="post_report"),
    path("discussions/images/<str:token>/", post_image, name="post_image"),
]
