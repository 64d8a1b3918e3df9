"""Reads shared by the governance views, pages and live push, each a fixed number of queries."""

from django.db.models import Count, Max, OuterRef, Prefetch, Subquery
from django.db.models.functions import Coalesce

from governance.models import Post, Topic, TopicReader
from home.permissions import can_view_community_content


def stance_tally_of(topic: Topic) -> dict[str, int]:
    """The proposal's tally, counted in the database: each author's latest visible stance, once (the rule is
    governance.domain.discussions.stance_tally, which the tests hold this query to)."""
    latest = (
        Post.objects.filter(topic=topic, is_opening=False, deleted_at__isnull=True, hidden_at__isnull=True)
        .exclude(stance="")
        .values("author_id")
        .annotate(last=Max("pk"))
        .values("last")
    )
    counts = dict.fromkeys(Post.Stance.values, 0)
    for row in Post.objects.filter(pk__in=latest).values("stance").annotate(n=Count("pk")):
        counts[row["stance"]] = row["n"]
    return counts


# ---------------------------------------------------------------- 议事厅: topic list and topic page

TOPICS_PER_PAGE = 20
POSTS_PER_PAGE = 20


def topics_visible_to(user, community):
    """The community's topics this user may read, pinned first, then by last activity: members (and bureau
    staff) see them all, everyone else only the public ones. The opening post's label comes along, so a
    row costs no further query."""
    opening_label = Post.objects.filter(topic=OuterRef("pk"), is_opening=True).values("author_label")[:1]
    topics = (
        Topic.objects.filter(community_id=community.pk)
        .select_related("building")
        .annotate(opening_label=Subquery(opening_label))
        .order_by("-is_pinned", "-last_activity_at", "-pk")
    )
    if not can_view_community_content(user, community):
        topics = topics.filter(is_public=True)
    return topics


def with_unread_counts(topics, user):
    """Adds `last_seen` (None for a topic the user never opened) and `unread` (posts after it) per topic,
    in the same query."""
    seen = TopicReader.objects.filter(topic=OuterRef("pk"), user=user).values("last_seen_post_id")[:1]
    unread = (
        Post.objects.filter(topic=OuterRef("pk"), pk__gt=OuterRef("last_seen"), deleted_at__isnull=True)
        .order_by()
        .values("topic")
        .annotate(n=Count("pk"))
        .values("n")
    )
    return topics.annotate(last_seen=Subquery(seen)).annotate(unread=Coalesce(Subquery(unread), 0))


def open_topic_count(user, community) -> int:
    """Open topics this user may read: one query, for the community page's 议事厅 card."""
    return topics_visible_to(user, community).filter(status=Topic.Status.OPEN).order_by().count()


def opening_post_of(topic: Topic) -> Post | None:
    return Post.objects.prefetch_related("images").filter(topic=topic, is_opening=True).first()


def top_level_posts(topic: Topic):
    """The topic's top-level replies, oldest first, each with its images and its thread (`thread_replies`,
    oldest first, with their images): a fixed number of queries for a page of any size."""
    replies = Post.objects.order_by("pk").prefetch_related("images")
    return (
        Post.objects.filter(topic=topic, parent__isnull=True, is_opening=False)
        .order_by("pk")
        .prefetch_related("images", Prefetch("replies", queryset=replies, to_attr="thread_replies"))
    )


def page_of_post(post: Post) -> int:
    """The page (of POSTS_PER_PAGE top-level replies) on which a post, or the thread it belongs to, appears."""
    if post.is_opening:
        return 1
    top_id = post.parent_id or post.pk
    before = Post.objects.filter(topic_id=post.topic_id, parent__isnull=True, is_opening=False, pk__lt=top_id).count()
    return before // POSTS_PER_PAGE + 1


def post_history_for(post: Post, *, moderator: bool) -> tuple[list, bool]:
    """The earlier texts of a post a reader may see, and whether some were withheld. Moderators see all; others
    see none of a hidden post's, and not the text a post had when its author deleted it (its last revision)."""
    revisions = list(post.revisions.all())
    if moderator or not revisions:
        return revisions, False
    if post.is_hidden:
        return [], True
    if post.is_deleted:
        return revisions[:-1], True
    return revisions, False
