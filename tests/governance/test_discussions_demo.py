"""The demo 议事厅: lively topics in every demo community (parking, a lift with stances, fees), a hidden post,
an open report and one topic on a meeting's agenda; seeding again adds nothing.

The whole demo city is seeded once for the module, inside a transaction rolled back at the end (as in
tests/portal/test_seed.py)."""

import io
import re

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.db import transaction
from django.utils import timezone

from governance.models import AgendaItem, MeetingPage, Post, PostReport, Topic, TopicReader
from home.models import AuditEntry, CommunityPage, Notification, UnitClaim
from portal.management.demo_discussions import seed_discussions

User = get_user_model()
COUNTED = (Topic, Post, PostReport, TopicReader, AgendaItem, MeetingPage, AuditEntry, Notification, UnitClaim, User)


def _counts():
    return {model.__name__: model.objects.count() for model in COUNTED}


@pytest.fixture(scope="module")
def seeded(django_db_setup, django_db_blocker):
    with django_db_blocker.unblock(), transaction.atomic():
        call_command("seed_demo", stdout=io.StringIO())
        first = _counts()
        seed_discussions(io.StringIO())
        yield {"first": first, "second": _counts()}
        transaction.set_rollback(True)


@pytest.fixture(autouse=True)
def _seeded_city(seeded, db):
    """Every test reads the seeded city; its own changes are rolled back after it."""


def _xiangyang():
    return CommunityPage.objects.get(slug="xiangyang-xincun")


def test_seeding_the_discussions_again_adds_nothing(seeded):
    assert seeded["first"] == seeded["second"]


def test_every_community_has_parking_lift_and_fee_topics_with_replies():
    for community in CommunityPage.objects.live():
        topics = list(Topic.objects.filter(community=community))
        assert len(topics) == 3, community.title
        titles = " ".join(t.title for t in topics)
        assert "车位" in titles and "电梯" in titles and "费" in titles
        assert all(t.reply_count >= 3 for t in topics)


def test_lift_topics_carry_every_stance_and_a_building():
    for topic in Topic.objects.filter(title__contains="加装电梯"):
        assert topic.kind == Topic.Kind.PROPOSAL and topic.building is not None
        stances = set(topic.posts.exclude(stance="").values_list("stance", flat=True))
        assert stances == {"support", "oppose", "neutral"}


def test_replies_thread_one_level_and_names_are_never_phone_numbers():
    assert Post.objects.filter(parent__isnull=False).exists()
    assert not Post.objects.filter(parent__parent__isnull=False).exists()
    for label in Post.objects.values_list("author_label", flat=True):
        assert not re.search(r"\d{7,}", label), label
    assert Post.objects.filter(author_label__endswith="号楼住户").exists()


def test_one_post_hidden_by_the_committee_with_its_reason_in_the_audit_log():
    hidden = Post.objects.get(hidden_at__isnull=False)
    assert hidden.topic.community == _xiangyang()
    assert "个人信息" in hidden.hidden_reason
    entry = AuditEntry.objects.get(action="post.hide")
    assert entry.actor.username == "committee" and entry.note == hidden.hidden_reason
    # its report was closed by hiding it; another post's report waits in the queue
    assert not hidden.reports.filter(resolved_at__isnull=True).exists()
    waiting = PostReport.objects.get(resolved_at__isnull=True)
    assert waiting.post.topic.community == _xiangyang() and waiting.note


def test_the_parking_topic_is_on_a_future_meetings_agenda_linked_both_ways(client):
    topic = Topic.objects.get(community=_xiangyang(), title__contains="车位")
    meeting = topic.agenda_item.meeting
    assert meeting.starts_at > timezone.now() and meeting.notice_published_at is None
    assert topic.agenda_item.title in [i.title for i in meeting.get_latest_revision_as_object().agenda_items.all()]
    client.force_login(User.objects.get(username="owner"))
    page = client.get(meeting.url).content.decode()
    assert f'href="/topics/{topic.pk}/"' in page


def test_lift_topic_is_pinned_in_the_demo_community():
    assert Topic.objects.get(community=_xiangyang(), title__contains="电梯").is_pinned


def test_new_demo_residents_are_verified_owners_of_their_community():
    for user in User.objects.filter(username__contains="-jumin"):
        claim = UnitClaim.objects.get(user=user)
        assert claim.status == UnitClaim.Status.VERIFIED and claim.relation == "owner"
        assert user.username.startswith(claim.unit.entrance.building.community.slug)
