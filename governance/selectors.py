"""Reads shared by the governance views, pages and live push, each a fixed number of queries."""

from django.db.models import Count, Max

from governance.models import Post, Topic


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
