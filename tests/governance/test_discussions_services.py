"""Writers of the 议事厅 (governance.services.discussions): who may act, what is refused, what is kept."""

from datetime import timedelta
from io import BytesIO

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone
from PIL import Image

from governance.domain.discussions import stance_tally
from governance.models import Post, PostReport, PostRevision, Topic, TopicReader
from governance.selectors import stance_tally_of
from governance.services import discussions as svc
from home.models import AuditEntry, Notification
from tests.factories import member
from tests.governance.discussion_helpers import Role, discussion_community, resident_in, topic_by

pytestmark = pytest.mark.django_db


@pytest.fixture
def place():
    community = discussion_community()
    author = resident_in(community, full_name="孙丽")
    return community, author


def jpeg_with_location(size=(64, 48)) -> SimpleUploadedFile:
    image = Image.new("RGB", size, (200, 30, 30))
    exif = Image.Exif()
    exif[0x010F] = "PhoneMaker"  # Make
    exif[0x8825] = {2: (34.0, 52.0, 0.0), 4: (113.0, 55.0, 0.0)}  # GPS latitude/longitude
    out = BytesIO()
    image.save(out, format="JPEG", exif=exif)
    return SimpleUploadedFile("photo.jpg", out.getvalue(), content_type="image/jpeg")


# ---------------------------------------------------------------- opening and replying


def test_a_resident_opens_a_topic_shown_by_building_by_default_never_by_phone(place):
    community, author = place
    topic = topic_by(author, community)
    opening = topic.posts.get()
    assert opening.is_opening and opening.author_label == "1号楼住户"
    assert author.phone not in opening.author_label
    assert TopicReader.objects.get(topic=topic, user=author).follows


def test_the_author_may_choose_the_real_name(place):
    community, author = place
    topic = topic_by(author, community, show_as="name")
    assert topic.posts.get().author_label == "孙丽"


def test_an_unknown_name_choice_is_refused(place):
    community, author = place
    with pytest.raises(ValidationError):
        topic_by(author, community, show_as="building-999999")
    assert not Topic.objects.exists()


@pytest.mark.parametrize(
    ("title", "body"),
    [("", "正文"), ("标题", "   "), ("长" * 81, "正文"), ("标题", "字" * 5001)],
)
def test_empty_or_overlong_input_is_refused_and_nothing_is_written(place, title, body):
    community, author = place
    with pytest.raises(ValidationError):
        topic_by(author, community, title=title, body=body)
    assert not Topic.objects.exists() and not Post.objects.exists()


def test_a_member_of_another_community_cannot_open_reply_follow_or_report():
    community, author = discussion_community(), None
    author = resident_in(community)
    topic = topic_by(author, community)
    other = discussion_community()
    outsider = resident_in(other)
    with pytest.raises(PermissionDenied):
        topic_by(outsider, community)
    with pytest.raises(PermissionDenied):
        svc.post_reply(actor=outsider, topic=topic, body="我来插一句")
    with pytest.raises(PermissionDenied):
        svc.topic_follow_set(user=outsider, topic=topic, follows=True)
    with pytest.raises(PermissionDenied):
        svc.post_report(actor=outsider, post=topic.posts.get(), reason="spam")
    assert Post.objects.count() == 1 and not PostReport.objects.exists()
    assert not TopicReader.objects.filter(user=outsider).exists()


def test_bureau_staff_read_but_do_not_post(place, django_user_model):
    from django.conf import settings
    from django.contrib.auth.models import Group

    community, author = place
    topic = topic_by(author, community)
    officer = django_user_model.objects.create_user(username="bureau", password="x")
    officer.groups.add(Group.objects.get_or_create(name=settings.PORTAL_BUREAU_GROUP)[0])
    from governance import permissions

    assert permissions.can_read_topic(officer, topic)
    with pytest.raises(PermissionDenied):
        svc.post_reply(actor=officer, topic=topic, body="住建局意见")


def test_a_reply_to_a_reply_joins_the_thread_of_its_top_level_post(place):
    community, author = place
    topic = topic_by(author, community)
    other = resident_in(community, building_index=1)
    first = svc.post_reply(actor=other, topic=topic, body="第一条回复")
    second = svc.post_reply(actor=author, topic=topic, body="回复第一条", parent=first)
    third = svc.post_reply(actor=other, topic=topic, body="回复的回复", parent=second)
    to_opening = svc.post_reply(actor=other, topic=topic, body="直接回复主帖", parent=topic.posts.get(is_opening=True))
    assert second.parent == first and third.parent == first and to_opening.parent is None
    topic.refresh_from_db()
    assert topic.reply_count == 4


def test_a_reply_to_a_post_of_another_topic_is_refused(place):
    community, author = place
    topic = topic_by(author, community)
    elsewhere = topic_by(author, community, title="另一个话题", minutes_ago=50)
    with pytest.raises(ValidationError):
        svc.post_reply(actor=author, topic=topic, body="错位", parent=elsewhere.posts.get())


def test_a_closed_topic_takes_no_replies(place):
    community, author = place
    topic = topic_by(author, community)
    chair = member(community, Role.OWNERS_COMMITTEE)
    svc.topic_status_set(actor=chair, topic=topic, status=Topic.Status.CLOSED, reason="已有结论")
    with pytest.raises(ValidationError):
        svc.post_reply(actor=author, topic=topic, body="还想说")


def test_stances_only_on_proposals_and_the_tally_counts_each_person_once(place):
    community, author = place
    discussion = topic_by(author, community)
    with pytest.raises(ValidationError):
        svc.post_reply(actor=author, topic=discussion, body="支持", stance="support")
    proposal = topic_by(author, community, title="加装电梯", kind=Topic.Kind.PROPOSAL, minutes_ago=50)
    a, b, c = (resident_in(community, building_index=1) for _ in range(3))
    now = timezone.now()
    svc.post_reply(actor=a, topic=proposal, body="支持", stance="support", now=now - timedelta(minutes=9))
    svc.post_reply(actor=a, topic=proposal, body="再想想，还是中立", stance="neutral", now=now - timedelta(minutes=8))
    svc.post_reply(actor=b, topic=proposal, body="反对，一楼采光", stance="oppose", now=now - timedelta(minutes=7))
    svc.post_reply(actor=b, topic=proposal, body="补充一点", now=now - timedelta(minutes=6))  # no stance: keeps oppose
    hidden = svc.post_reply(actor=c, topic=proposal, body="支持！！", stance="support", now=now - timedelta(minutes=5))
    svc.post_hide(actor=member(community, Role.OWNERS_COMMITTEE), post=hidden, reason="人身攻击")
    tally = stance_tally_of(proposal)
    assert tally == {"support": 0, "oppose": 1, "neutral": 1}
    visible = Post.objects.filter(topic=proposal, hidden_at__isnull=True, deleted_at__isnull=True, is_opening=False)
    assert tally == stance_tally(visible.order_by("pk").values_list("author_id", "stance"))


def test_posting_too_quickly_is_refused_in_chinese(place):
    community, author = place
    topic = topic_by(author, community)
    now = timezone.now()
    for i in range(5):  # five within a minute are allowed
        svc.post_reply(actor=author, topic=topic, body=f"第{i}条", now=now + timedelta(seconds=i))
    with pytest.raises(ValidationError) as refused:
        svc.post_reply(actor=author, topic=topic, body="第六条", now=now + timedelta(seconds=5))
    assert "太快" in " ".join(refused.value.messages)
    assert Post.objects.count() == 6  # the opening post and five replies
    svc.post_reply(actor=author, topic=topic, body="一分钟后", now=now + timedelta(seconds=60))


# ---------------------------------------------------------------- images


def test_images_are_re_encoded_without_exif_or_location(place):
    community, author = place
    topic = topic_by(author, community, images=[jpeg_with_location()])
    image = topic.posts.get().images.get()
    with image.file.open("rb") as stored:
        raw = stored.read()
    assert b"PhoneMaker" not in raw and b"Exif" not in raw
    with Image.open(BytesIO(raw)) as reopened:
        assert reopened.format == "JPEG"
        assert not reopened.getexif()
    assert image.content_type == "image/jpeg" and (image.width, image.height) == (64, 48)
    assert image.file.name.startswith(f"discussions/{community.pk}/")


def test_large_pictures_are_scaled_down(place):
    community, author = place
    topic = topic_by(author, community, images=[jpeg_with_location(size=(4000, 1000))])
    image = topic.posts.get().images.get()
    assert (image.width, image.height) == (2048, 512)


@pytest.mark.parametrize(
    "upload",
    [
        SimpleUploadedFile("photo.jpg", b"<html><script>alert(1)</script></html>", content_type="image/jpeg"),
        SimpleUploadedFile("photo.png", b"\x89PNG\r\n\x1a\n broken", content_type="image/png"),
    ],
)
def test_files_that_are_not_pictures_are_refused_by_content_not_by_name(place, upload):
    community, author = place
    with pytest.raises(ValidationError) as refused:
        topic_by(author, community, images=[upload])
    assert "图片" in " ".join(refused.value.messages)
    assert not Topic.objects.exists()


def test_too_many_or_too_large_pictures_are_refused(place, settings):
    community, author = place
    with pytest.raises(ValidationError):
        topic_by(author, community, images=[jpeg_with_location() for _ in range(5)])
    big = jpeg_with_location()
    big.size = 5 * 1024 * 1024 + 1
    with pytest.raises(ValidationError):
        topic_by(author, community, images=[big])
    assert not Topic.objects.exists()


# ---------------------------------------------------------------- editing and deleting


def test_the_author_edits_within_fifteen_minutes_and_the_history_is_kept(place):
    community, author = place
    topic = topic_by(author, community)
    now = timezone.now()
    post = svc.post_reply(actor=author, topic=topic, body="初稿", now=now)
    svc.post_edit(actor=author, post=post, body="改过的", now=now + timedelta(minutes=15))
    post.refresh_from_db()
    assert post.body == "改过的" and post.edited_at is not None
    assert list(PostRevision.objects.filter(post=post).values_list("body", flat=True)) == ["初稿"]
    with pytest.raises(ValidationError):
        svc.post_edit(actor=author, post=post, body="太晚了", now=now + timedelta(minutes=15, seconds=1))


def test_nobody_else_edits_or_deletes_a_post(place):
    community, author = place
    topic = topic_by(author, community)
    chair = member(community, Role.OWNERS_COMMITTEE)
    post = topic.posts.get()
    with pytest.raises(PermissionDenied):
        svc.post_edit(actor=chair, post=post, body="篡改")
    with pytest.raises(PermissionDenied):
        svc.post_delete(actor=chair, post=post)


def test_a_deleted_post_keeps_its_replies_and_its_text_in_the_history(place):
    community, author = place
    topic = topic_by(author, community)
    other = resident_in(community, building_index=1)
    post = svc.post_reply(actor=author, topic=topic, body="我的意见")
    reply = svc.post_reply(actor=other, topic=topic, body="同意楼上", parent=post)
    svc.post_delete(actor=author, post=post)
    post.refresh_from_db()
    assert post.deleted_at and post.body == ""
    assert Post.objects.filter(pk=reply.pk, parent=post).exists()
    assert PostRevision.objects.filter(post=post, body="我的意见").exists()


# ---------------------------------------------------------------- reports and moderation


def test_a_report_notifies_the_moderators_and_hiding_closes_it_with_the_reason_in_the_audit_log(place):
    community, author = place
    topic = topic_by(author, community)
    reporter = resident_in(community, building_index=1)
    chair = member(community, Role.OWNERS_COMMITTEE)
    post = topic.posts.get()
    report = svc.post_report(actor=reporter, post=post, reason="privacy", note="贴了别人的电话")
    assert Notification.objects.filter(recipient=chair).exists()
    with pytest.raises(ValidationError):
        svc.post_report(actor=reporter, post=post, reason="privacy")  # one open report per reporter
    with pytest.raises(ValidationError):
        svc.post_hide(actor=chair, post=post, reason="  ")
    svc.post_hide(actor=chair, post=post, reason="泄露他人电话号码")
    report.refresh_from_db()
    assert report.resolved_at and report.resolved_by == chair
    entry = AuditEntry.objects.get(action="post.hide")
    assert entry.note == "泄露他人电话号码" and entry.community_id == community.pk
    svc.post_restore(actor=chair, post=post, reason="已与作者沟通，号码已删")
    assert AuditEntry.objects.filter(action="post.restore", note="已与作者沟通，号码已删").exists()


def test_residents_and_other_communities_moderators_cannot_moderate(place):
    community, author = place
    topic = topic_by(author, community)
    post = topic.posts.get()
    other_chair = member(discussion_community(), Role.OWNERS_COMMITTEE)
    for actor in (author, other_chair):
        with pytest.raises(PermissionDenied):
            svc.post_hide(actor=actor, post=post, reason="理由")
        with pytest.raises(PermissionDenied):
            svc.topic_pin_set(actor=actor, topic=topic, pinned=True)
        with pytest.raises(PermissionDenied):
            svc.topic_public_set(actor=actor, topic=topic, public=True)
    post.refresh_from_db()
    topic.refresh_from_db()
    assert not post.hidden_at and not topic.is_pinned and not topic.is_public
    assert not AuditEntry.objects.exists()


def test_a_report_with_reason_other_needs_a_note(place):
    community, author = place
    post = topic_by(author, community).posts.get()
    with pytest.raises(ValidationError):
        svc.post_report(actor=resident_in(community, building_index=1), post=post, reason="other", note="")


# ---------------------------------------------------------------- following


def test_followers_get_one_unread_notification_per_topic_and_email_only_if_they_asked(place, mailoutbox):
    community, author = place
    topic = topic_by(author, community)
    quiet = resident_in(community, building_index=1)
    keen = resident_in(community, building_index=1)
    svc.topic_follow_set(user=quiet, topic=topic, follows=True)
    svc.topic_follow_set(user=keen, topic=topic, follows=True, email_replies=True)
    now = timezone.now()
    svc.post_reply(actor=author, topic=topic, body="更新一下进展", now=now - timedelta(minutes=3))
    svc.post_reply(actor=author, topic=topic, body="再更新一下", now=now - timedelta(minutes=2))
    assert Notification.objects.filter(recipient=quiet).count() == 1
    assert Notification.objects.filter(recipient=keen).count() == 1
    assert not Notification.objects.filter(recipient=author).exists()


def test_unfollowing_is_respected_when_the_member_replies_again(place):
    community, author = place
    topic = topic_by(author, community)
    svc.topic_follow_set(user=author, topic=topic, follows=False)
    svc.post_reply(actor=author, topic=topic, body="补充")
    assert not TopicReader.objects.get(topic=topic, user=author).follows


def test_marking_seen_only_moves_forward_and_ignores_outsiders(place):
    community, author = place
    topic = topic_by(author, community)
    opening = topic.posts.get()
    svc.topic_mark_seen(user=author, topic=topic, last_post_id=opening.pk + 5)
    svc.topic_mark_seen(user=author, topic=topic, last_post_id=opening.pk)
    assert TopicReader.objects.get(topic=topic, user=author).last_seen_post_id == opening.pk + 5
    outsider = resident_in(discussion_community())
    svc.topic_mark_seen(user=outsider, topic=topic, last_post_id=opening.pk)
    assert not TopicReader.objects.filter(user=outsider).exists()
