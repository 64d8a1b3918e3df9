"""The topic page and the topic list cost a fixed number of queries, whatever the number of posts, replies,
pictures or topics (issue 4, "Figures")."""

import secrets
from datetime import timedelta

import pytest
from django.core.files.base import ContentFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from governance.models import Post, PostImage, Topic, TopicReader
from tests.governance.discussion_helpers import Role, discussion_community, resident_in, topic_by

pytestmark = pytest.mark.django_db

# A resident, who costs the most: session and user, roles, the header, the topic, its opening post and
# pictures, the page of replies with their threads and pictures, the reader row, the name choices, marking
# the page seen and the tally. Raise only with a reason: it must stay flat.
MAX_TOPIC_PAGE = 32  # the committee's controls add the reports count and the meetings they can extend
MAX_TOPIC_LIST = 14


def add_posts(topic, author, n, *, replies=2, images=True):
    """n top-level posts, each with `replies` replies (written days ago, so no rate limit applies); every post
    has a picture."""
    old = timezone.now() - timedelta(days=3)
    fields = {"topic": topic, "author": author, "author_label": "1号楼住户", "created_at": old}
    for i in range(n):
        top = Post.objects.create(**fields, body=f"第{i}条", stance="support")
        posts = [top] + [Post.objects.create(**fields, parent=top, body=f"回复{i}-{r}") for r in range(replies)]
        for post in posts if images else []:
            image = PostImage(post=post, token=secrets.token_hex(16), width=4, height=3, content_type="image/jpeg")
            image.file.save("image.jpg", ContentFile(b"\xff\xd8\xff"), save=False)
            image.save()


def count(client, url) -> int:
    client.get(url)  # warm per-process caches, as a running server has
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
    assert response.status_code == 200
    return len(captured)


@pytest.mark.parametrize("role", [Role.RESIDENT, Role.OWNERS_COMMITTEE])
def test_the_topic_page_costs_the_same_for_3_and_20_threads(client, django_assert_max_num_queries, role):
    """For a resident, and for a committee member who also gets the moderation controls under every post."""
    community = discussion_community()
    author = resident_in(community)
    reader = resident_in(community, role=role)
    client.force_login(reader)
    small = topic_by(author, community, kind=Topic.Kind.PROPOSAL)
    add_posts(small, author, 3)
    big = topic_by(author, community, kind=Topic.Kind.PROPOSAL, title="大话题", minutes_ago=120)
    add_posts(big, author, 20, replies=3)
    with django_assert_max_num_queries(MAX_TOPIC_PAGE):
        client.get(reverse("governance:topic_detail", args=[big.pk]))
    assert count(client, reverse("governance:topic_detail", args=[small.pk])) == count(
        client, reverse("governance:topic_detail", args=[big.pk])
    )
    html = client.get(reverse("governance:topic_detail", args=[big.pk])).content.decode()
    assert html.count('class="post reply"') == 60 and html.count("<img ") == 80


def test_the_topic_list_costs_the_same_for_20_and_40_topics(client, django_assert_max_num_queries):
    small_community, big_community = discussion_community(), discussion_community()
    counts = []
    for community, n in ((small_community, 20), (big_community, 40)):
        author = resident_in(community)
        for i in range(n):
            topic = topic_by(author, community, title=f"话题{i}", minutes_ago=300 - 2 * i)
            add_posts(topic, author, 1, replies=1, images=False)
            if i % 2:
                TopicReader.objects.filter(topic=topic, user=author).update(last_seen_post_id=0)
        client.force_login(author)
        url = reverse("governance:topic_list", args=[community.pk])
        with django_assert_max_num_queries(MAX_TOPIC_LIST):
            client.get(url)
        counts.append(count(client, url))
        assert client.get(url).content.decode().count('<li class="topic-row') == 20
    assert counts[0] == counts[1]
