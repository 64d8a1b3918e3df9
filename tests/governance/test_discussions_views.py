"""The residents' side of the 议事厅 over HTTP: topic list, new topic, topic page, replies, edit, delete, history,
reports, follows and pictures. Every write is also tried from another community: refused, nothing written."""

import re
from datetime import timedelta
from io import BytesIO

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone
from PIL import Image

from governance.models import Post, PostImage, PostReport, Topic, TopicReader
from governance.services import discussions as svc
from tests.factories import UserFactory, member
from tests.governance.discussion_helpers import Role, discussion_community, resident_in, topic_by

pytestmark = pytest.mark.django_db


@pytest.fixture
def place():
    community = discussion_community()
    author = resident_in(community, full_name="孙丽")
    return community, author


@pytest.fixture
def outsider():
    """A verified resident of another community."""
    return resident_in(discussion_community())


def png(name="photo.png", size=(40, 30)) -> SimpleUploadedFile:
    out = BytesIO()
    Image.new("RGB", size, (20, 120, 200)).save(out, format="PNG")
    return SimpleUploadedFile(name, out.getvalue(), content_type="image/png")


def reply(user, topic, body="我同意", *, parent=None, minutes_ago=30, **kwargs):
    return svc.post_reply(
        actor=user, topic=topic, body=body, parent=parent, now=timezone.now() - timedelta(minutes=minutes_ago), **kwargs
    )


def topic_url(topic):
    return reverse("governance:topic_detail", args=[topic.pk])


def text_of(response) -> str:
    return response.content.decode()


# ---------------------------------------------------------------- topic list


def test_members_see_all_topics_pinned_first_then_by_last_activity(client, place):
    community, author = place
    old = topic_by(author, community, title="老话题", minutes_ago=300)
    pinned = topic_by(author, community, title="置顶话题", minutes_ago=200)
    Topic.objects.filter(pk=pinned.pk).update(is_pinned=True)
    recent = topic_by(author, community, title="新话题", minutes_ago=100)
    reply(author, old, minutes_ago=10)  # the old topic is now the most active
    client.force_login(resident_in(community))
    html = text_of(client.get(reverse("governance:topic_list", args=[community.pk])))
    order = [int(n) for n in re.findall(r'<li class="topic-row[^"]*" id="topic-(\d+)"', html)]
    assert order == [pinned.pk, old.pk, recent.pk]
    assert "已置顶" in html and "发起话题" in html and f'data-live-community="{community.pk}"' in html


def test_the_list_filters_by_building_kind_and_status(client, place):
    community, author = place
    building = community.buildings.order_by("sort_order").last()
    a = topic_by(author, community, title="二号楼电梯", building=building, kind=Topic.Kind.PROPOSAL)
    b = topic_by(author, community, title="全小区停车")
    Topic.objects.filter(pk=b.pk).update(status=Topic.Status.CLOSED)
    client.force_login(author)
    url = reverse("governance:topic_list", args=[community.pk])
    assert "二号楼电梯" in text_of(client.get(url, {"building": building.pk}))
    assert "全小区停车" not in text_of(client.get(url, {"building": building.pk}))
    assert "全小区停车" not in text_of(client.get(url, {"kind": "proposal"}))
    closed = text_of(client.get(url, {"status": "closed"}))
    assert "全小区停车" in closed and "二号楼电梯" not in closed and "已关闭" in closed
    assert a.pk


def test_unread_counts_show_new_for_unopened_topics_and_counts_after_the_last_visit(client, place):
    community, author = place
    topic = topic_by(author, community)
    reader = resident_in(community)
    client.force_login(reader)
    url = reverse("governance:topic_list", args=[community.pk])
    assert "topic-unread" in text_of(client.get(url)) and ">新<" in text_of(client.get(url))
    client.get(topic_url(topic))  # the visit marks the topic seen
    assert "topic-unread" not in text_of(client.get(url))
    reply(author, topic, "第一条", minutes_ago=5)
    reply(author, topic, "第二条", minutes_ago=4)
    assert "2 条未读" in text_of(client.get(url))


@pytest.mark.parametrize("who", ["anonymous", "no_role", "other_community"])
def test_non_members_see_only_public_topics_and_no_new_topic_button(client, place, outsider, who):
    community, author = place
    topic_by(author, community, title="内部讨论")
    public = topic_by(author, community, title="公开的话题")
    Topic.objects.filter(pk=public.pk).update(is_public=True)
    if who == "no_role":
        client.force_login(UserFactory())
    elif who == "other_community":
        client.force_login(outsider)
    response = client.get(reverse("governance:topic_list", args=[community.pk]))
    html = text_of(response)
    assert response.status_code == 200
    assert "公开的话题" in html and "内部讨论" not in html
    assert reverse("governance:topic_new", args=[community.pk]) not in html


# ---------------------------------------------------------------- new topic


def test_a_member_opens_a_topic_with_a_building_a_name_choice_and_a_picture(client, place):
    community, author = place
    building = community.buildings.order_by("sort_order").first()
    client.force_login(author)
    url = reverse("governance:topic_new", args=[community.pk])
    form = text_of(client.get(url))
    assert 'enctype="multipart/form-data"' in form and 'accept="image/*"' in form and "multiple" in form
    assert "1号楼住户" in form and "孙丽" in form and "提议（回复可表态）" in form
    response = client.post(
        url,
        {
            "title": "加装电梯",
            "body": "一楼住户有顾虑",
            "kind": "proposal",
            "building": building.pk,
            "show_as": "name",
            "images": [png()],
        },
    )
    topic = Topic.objects.get()
    assert response.status_code == 302 and response["Location"] == topic_url(topic)
    opening = topic.posts.get()
    assert topic.kind == "proposal" and topic.building == building and opening.author_label == "孙丽"
    assert opening.images.count() == 1


def test_the_building_list_offers_only_this_communitys_buildings(client, place, outsider):
    community, author = place
    foreign = Topic._meta.get_field("building").related_model.objects.exclude(community=community).first()
    client.force_login(author)
    url = reverse("governance:topic_new", args=[community.pk])
    assert foreign.name not in text_of(client.get(url)) or f'value="{foreign.pk}"' not in text_of(client.get(url))
    response = client.post(url, {"title": "标题", "body": "正文", "kind": "discussion", "building": foreign.pk})
    assert response.status_code == 400 and not Topic.objects.exists()


def test_a_text_file_named_jpg_is_refused_in_chinese_and_nothing_is_created(client, place):
    community, author = place
    client.force_login(author)
    fake = SimpleUploadedFile("photo.jpg", b"just some text, not a picture", content_type="image/jpeg")
    response = client.post(
        reverse("governance:topic_new", args=[community.pk]),
        {"title": "标题", "body": "正文", "kind": "discussion", "images": [fake]},
    )
    assert response.status_code == 400
    assert "这个文件不是可显示的图片" in text_of(response)
    assert not Topic.objects.exists() and not Post.objects.exists() and not PostImage.objects.exists()


def test_new_topic_is_refused_to_other_communities_and_unverified_users(client, place, outsider):
    community, _author = place
    url = reverse("governance:topic_new", args=[community.pk])
    data = {"title": "标题", "body": "正文", "kind": "discussion"}
    assert client.post(url, data).status_code == 302  # to the login page
    for user in (outsider, UserFactory()):
        client.force_login(user)
        response = client.post(url, data)
        assert response.status_code == 403 and "仅限本小区居民" in text_of(response)
    assert not Topic.objects.exists()


# ---------------------------------------------------------------- topic page


def test_topic_page_shows_opening_threads_and_the_reply_form(client, place):
    community, author = place
    topic = topic_by(author, community, kind=Topic.Kind.PROPOSAL)
    other = resident_in(community, building_index=1)
    first = reply(other, topic, "第一条回复", stance="support")
    nested = reply(author, topic, "回复第一条", parent=first, stance="oppose")
    client.force_login(other)
    response = client.get(topic_url(topic))
    html = text_of(response)
    assert response.status_code == 200
    assert f'<li class="post" id="post-{first.pk}" data-post-id="{first.pk}"' in html
    assert f'<ol class="replies" id="replies-{first.pk}">' in html
    assert f'<li class="post reply" id="post-{nested.pk}"' in html
    assert f'data-last-post-id="{nested.pk}"' in html and 'data-live-append="true"' in html
    assert 'id="live-status" class="live-status" role="status" aria-live="polite"' in html
    assert "data-stance-tally" in html and 'data-stance-count="support">1<' in html
    assert "不是业主表决" in html and "发表回复" in html
    assert TopicReader.objects.get(topic=topic, user=other).last_seen_post_id == nested.pk


def test_reply_to_link_shows_a_reply_form_under_that_post_without_javascript(client, place):
    community, author = place
    topic = topic_by(author, community)
    first = reply(author, topic, "第一条")
    client.force_login(resident_in(community))
    html = text_of(client.get(topic_url(topic), {"reply_to": first.pk}))
    assert f'id="reply-form-{first.pk}"' in html
    assert f'name="parent" value="{first.pk}"' in html


def test_a_reply_to_a_reply_joins_the_top_level_thread(client, place):
    community, author = place
    topic = topic_by(author, community)
    first = reply(author, topic, "第一条")
    second = reply(author, topic, "第二条", parent=first)
    replier = resident_in(community)
    client.force_login(replier)
    response = client.post(reverse("governance:post_reply", args=[topic.pk]), {"body": "再回复", "parent": second.pk})
    post = Post.objects.get(body="再回复")
    assert post.parent == first
    assert response.status_code == 302 and response["Location"].endswith(f"#post-{post.pk}")


def test_the_redirect_after_a_reply_lands_on_the_page_that_shows_it(client, place):
    community, author = place
    topic = topic_by(author, community)
    for n in range(21):
        Post.objects.create(topic=topic, author=author, author_label="1号楼住户", body=f"第{n}条")
    client.force_login(resident_in(community))
    response = client.post(reverse("governance:post_reply", args=[topic.pk]), {"body": "第二页"})
    post = Post.objects.get(body="第二页")
    assert response["Location"] == f"{topic_url(topic)}?page=2#post-{post.pk}"


def test_a_closed_topic_shows_closed_instead_of_the_reply_form_and_refuses_replies(client, place):
    community, author = place
    topic = topic_by(author, community)
    Topic.objects.filter(pk=topic.pk).update(status=Topic.Status.CLOSED)
    client.force_login(author)
    html = text_of(client.get(topic_url(topic)))
    assert "话题已关闭" in html and "发表回复" not in html
    response = client.post(reverse("governance:post_reply", args=[topic.pk]), {"body": "还想说"})
    assert response.status_code == 400 and not Post.objects.filter(body="还想说").exists()


def test_rate_limited_replies_show_the_chinese_error(client, place):
    community, author = place
    topic = topic_by(author, community)
    client.force_login(author)
    url = reverse("governance:post_reply", args=[topic.pk])
    for n in range(5):
        assert client.post(url, {"body": f"第{n}条"}).status_code == 302
    response = client.post(url, {"body": "太快了"})
    assert response.status_code == 400
    assert "您发帖太快了，请稍等一分钟再试。" in text_of(response)
    assert not Post.objects.filter(body="太快了").exists()


def test_hidden_and_deleted_posts_show_notes_and_keep_their_replies(client, place):
    community, author = place
    topic = topic_by(author, community)
    hidden = reply(author, topic, "骂人的话")
    deleted = reply(author, topic, "说错了")
    kept = reply(resident_in(community), topic, "回复被删的帖子", parent=deleted)
    svc.post_hide(actor=member(community, Role.OWNERS_COMMITTEE), post=hidden, reason="人身攻击")
    svc.post_delete(actor=author, post=deleted)
    client.force_login(resident_in(community))
    html = text_of(client.get(topic_url(topic)))
    assert "此帖已被管理员隐藏（原因：人身攻击）" in html and "骂人的话" not in html
    assert "此帖已由作者删除" in html and "说错了" not in html
    assert f'id="post-{kept.pk}"' in html and "回复被删的帖子" in html
    client.force_login(member(community, Role.OWNERS_COMMITTEE))
    assert "骂人的话" in text_of(client.get(topic_url(topic)))


@pytest.mark.parametrize(
    "evil",
    [
        "<script>alert(1)</script>",
        '<img src=x onerror="alert(1)">',
        '<a href="javascript:alert(1)">点我</a>',
        "javascript:alert(1)",
    ],
)
def test_post_text_never_reaches_the_page_as_live_markup(client, place, evil):
    community, author = place
    topic = topic_by(author, community, body=evil)
    reply(author, topic, f"看这里 https://example.com/a?b=1 {evil}")
    client.force_login(author)
    html = text_of(client.get(topic_url(topic)))
    assert "<script>alert" not in html
    assert "<img src=x" not in html and 'onerror="alert' not in html
    assert 'href="javascript:' not in html.lower()
    assert '<a href="https://example.com/a?b=1" rel="nofollow">' in html
    if "<" in evil:
        assert "&lt;" in html  # the markup shows as text


def test_public_topics_are_readable_by_anyone_non_public_are_refused(client, place, outsider):
    community, author = place
    private = topic_by(author, community, title="机密的装修预算")
    public = topic_by(author, community, title="公开")
    Topic.objects.filter(pk=public.pk).update(is_public=True)
    assert client.get(topic_url(public)).status_code == 200
    response = client.get(topic_url(private))
    assert response.status_code == 302 and "login" in response["Location"]
    for user in (outsider, UserFactory()):
        client.force_login(user)
        response = client.get(topic_url(private))
        assert response.status_code == 403 and "机密的装修预算" not in text_of(response)
        assert "仅限本小区居民" in text_of(response)
        public_html = text_of(client.get(topic_url(public)))
        assert "只有本小区已认证的居民可以回复" in public_html and "发表回复" not in public_html
    assert not TopicReader.objects.exclude(user=author).exists()


# ---------------------------------------------------------------- from another community: refused, nothing written


def test_another_communitys_member_cannot_reply_follow_report_or_see_pictures(client, place, outsider):
    community, author = place
    topic = topic_by(author, community, images=[png()])
    post = reply(author, topic, "楼道里的私下意见")
    image = PostImage.objects.get()
    before = (Post.objects.count(), PostReport.objects.count(), TopicReader.objects.count())
    client.force_login(outsider)
    assert client.post(reverse("governance:post_reply", args=[topic.pk]), {"body": "外人"}).status_code == 403
    assert client.post(reverse("governance:topic_follow", args=[topic.pk]), {"follows": "1"}).status_code == 403
    for page in (
        client.get(reverse("governance:post_report", args=[post.pk])),
        client.get(reverse("governance:post_history", args=[post.pk])),
        client.post(reverse("governance:post_report", args=[post.pk]), {"reason": "spam"}),
    ):
        assert page.status_code == 403 and "仅限本小区居民" in text_of(page)
        assert "楼道里的私下意见" not in text_of(page)
    picture = client.get(reverse("governance:post_image", args=[image.token]))
    assert picture.status_code == 403 and not picture.get("Content-Type", "").startswith("image/")
    assert client.post(reverse("governance:post_edit", args=[post.pk]), {"body": "改"}).status_code == 403
    assert client.post(reverse("governance:post_delete", args=[post.pk])).status_code == 403
    assert (Post.objects.count(), PostReport.objects.count(), TopicReader.objects.count()) == before
    assert Post.objects.get(pk=post.pk).body == "楼道里的私下意见"


def test_a_public_topic_still_refuses_replies_from_another_community(client, place, outsider):
    community, author = place
    topic = topic_by(author, community)
    Topic.objects.filter(pk=topic.pk).update(is_public=True)
    client.force_login(outsider)
    assert client.post(reverse("governance:post_reply", args=[topic.pk]), {"body": "外人"}).status_code == 403
    assert not Post.objects.filter(body="外人").exists()


# ---------------------------------------------------------------- edit, delete, history


def test_the_author_edits_within_15_minutes_and_the_history_keeps_the_old_text(client, place):
    community, author = place
    topic = topic_by(author, community)
    post = reply(author, topic, "原来的话", minutes_ago=5)
    client.force_login(author)
    assert reverse("governance:post_edit", args=[post.pk]) in text_of(client.get(topic_url(topic)))
    response = client.post(reverse("governance:post_edit", args=[post.pk]), {"body": "改过的话"})
    assert response.status_code == 302
    html = text_of(client.get(topic_url(topic)))
    assert "改过的话" in html and "已编辑" in html
    client.force_login(resident_in(community))
    history = text_of(client.get(reverse("governance:post_history", args=[post.pk])))
    assert "原来的话" in history and "改过的话" in history


def test_editing_after_15_minutes_is_refused_and_the_link_is_gone(client, place):
    community, author = place
    topic = topic_by(author, community)
    post = reply(author, topic, "原来的话", minutes_ago=16)
    client.force_login(author)
    assert reverse("governance:post_edit", args=[post.pk]) not in text_of(client.get(topic_url(topic)))
    response = client.post(reverse("governance:post_edit", args=[post.pk]), {"body": "太晚了"})
    assert response.status_code == 400 and "15 分钟内修改" in text_of(response)
    assert Post.objects.get(pk=post.pk).body == "原来的话"
    response = client.get(reverse("governance:post_edit", args=[post.pk]), follow=True)
    assert "15 分钟内修改" in text_of(response)


def test_only_the_author_edits_or_deletes(client, place):
    community, author = place
    topic = topic_by(author, community)
    post = reply(author, topic, "我的话", minutes_ago=1)
    client.force_login(resident_in(community))
    assert client.post(reverse("governance:post_edit", args=[post.pk]), {"body": "别人改"}).status_code == 403
    assert client.post(reverse("governance:post_delete", args=[post.pk])).status_code == 403
    assert Post.objects.get(pk=post.pk).body == "我的话"


def test_the_author_deletes_after_confirming_and_only_moderators_see_the_last_text(client, place):
    community, author = place
    topic = topic_by(author, community)
    post = reply(author, topic, "要删掉的话")
    client.force_login(author)
    confirm = text_of(client.get(reverse("governance:post_delete", args=[post.pk])))
    assert "确定删除" in confirm and Post.objects.get(pk=post.pk).deleted_at is None
    response = client.post(reverse("governance:post_delete", args=[post.pk]))
    assert response.status_code == 302 and Post.objects.get(pk=post.pk).deleted_at is not None
    history_url = reverse("governance:post_history", args=[post.pk])
    client.force_login(resident_in(community))
    assert "要删掉的话" not in text_of(client.get(history_url))
    client.force_login(member(community, Role.OWNERS_COMMITTEE))
    assert "要删掉的话" in text_of(client.get(history_url))


# ---------------------------------------------------------------- report, follow, pictures


def test_a_resident_reports_a_post_with_a_reason(client, place):
    community, author = place
    topic = topic_by(author, community)
    post = reply(author, topic, "广告")
    reporter = resident_in(community)
    client.force_login(reporter)
    form = text_of(client.get(reverse("governance:post_report", args=[post.pk])))
    assert 'type="radio" name="reason"' in form
    response = client.post(reverse("governance:post_report", args=[post.pk]), {"reason": "other"})
    assert response.status_code == 400 and not PostReport.objects.exists()
    response = client.post(reverse("governance:post_report", args=[post.pk]), {"reason": "spam", "note": "卖房广告"})
    assert response.status_code == 302
    report = PostReport.objects.get()
    assert (report.reporter, report.reason, report.note) == (reporter, "spam", "卖房广告")


def test_follow_with_email_and_unfollow(client, place):
    community, author = place
    topic = topic_by(author, community)
    user = resident_in(community)
    client.force_login(user)
    html = text_of(client.get(topic_url(topic)))
    assert "同时发邮件提醒" in html and "关注此话题" in html
    client.post(reverse("governance:topic_follow", args=[topic.pk]), {"follows": "1", "email_replies": "1"})
    reader = TopicReader.objects.get(topic=topic, user=user)
    assert reader.follows and reader.email_replies
    assert "取消关注" in text_of(client.get(topic_url(topic)))
    client.post(reverse("governance:topic_follow", args=[topic.pk]), {"follows": "0"})
    reader.refresh_from_db()
    assert not reader.follows and reader.muted


def test_pictures_are_served_privately_to_readers_only(client, place):
    community, author = place
    topic = topic_by(author, community, images=[png()])
    image = PostImage.objects.get()
    url = reverse("governance:post_image", args=[image.token])
    client.force_login(resident_in(community))
    assert f'<a href="{url}"><img src="{url}"' in text_of(client.get(topic_url(topic)))
    response = client.get(url)
    assert response.status_code == 200 and response["Content-Type"] == image.content_type
    assert "private" in response["Cache-Control"]
    assert b"".join(response.streaming_content)[:3] == b"\xff\xd8\xff"  # re-encoded as JPEG
    client.logout()
    assert client.get(url).status_code == 403
    Topic.objects.filter(pk=topic.pk).update(is_public=True)
    assert client.get(url).status_code == 200


# ---------------------------------------------------------------- the community page


def test_the_community_page_links_the_topic_list_with_the_open_count(client, place):
    community, author = place
    topic_by(author, community, title="一")
    closed = topic_by(author, community, title="二")
    Topic.objects.filter(pk=closed.pk).update(status=Topic.Status.CLOSED)
    topic_by(author, community, title="三")
    client.force_login(author)
    html = text_of(client.get(community.url))
    assert reverse("governance:topic_list", args=[community.pk]) in html
    assert "2 个进行中的话题" in html
    client.logout()
    assert "0 个进行中的话题" in text_of(client.get(community.url))


# ---------------------------------------------------------------- fragments of the live push


def test_live_fragments_render_without_a_request_or_per_user_controls(place):
    from governance.services import discussions_live as live

    community, author = place
    topic = topic_by(author, community, kind=Topic.Kind.PROPOSAL)
    top = reply(author, topic, "<b>第一条</b>", stance="oppose")
    nested = reply(author, topic, "第二条", parent=top)
    html = live.post_payload(Post.objects.get(pk=top.pk))["html"]
    assert f'<li class="post" id="post-{top.pk}" data-post-id="{top.pk}"' in html
    assert f'<ol class="replies" id="replies-{top.pk}">' in html and "&lt;b&gt;" in html
    assert reverse("governance:post_report", args=[top.pk]) in html and f"?reply_to={top.pk}" in html
    assert "/edit/" not in html and "/delete/" not in html and "csrfmiddlewaretoken" not in html
    html = live.post_payload(Post.objects.get(pk=nested.pk))["html"]
    assert f'<li class="post reply" id="post-{nested.pk}"' in html and 'class="replies"' not in html
    row = live.topic_payload(Topic.objects.select_related("building").get(pk=topic.pk))["html"]
    assert f'<li class="topic-row" id="topic-{topic.pk}"' in row and "1号楼住户" in row and "2 条回复" in row
    assert "topic-unread" not in row


def test_a_failed_reply_to_a_post_comes_back_under_that_post_with_the_text_kept(client, place):
    community, author = place
    topic = topic_by(author, community)
    first = reply(author, topic, "第一条")
    client.force_login(author)
    long_text = "长" * 5001
    response = client.post(reverse("governance:post_reply", args=[topic.pk]), {"body": long_text, "parent": first.pk})
    html = text_of(response)
    assert response.status_code == 400 and f'id="reply-form-{first.pk}"' in html
    assert html.index(f'id="reply-form-{first.pk}"') < html.index(long_text) < html.index('id="reply-heading"')
    assert Post.objects.filter(topic=topic).count() == 2


def test_a_parent_from_another_topic_is_refused_and_nothing_is_written(client, place):
    community, author = place
    topic = topic_by(author, community)
    elsewhere = reply(author, topic_by(author, community, title="别的话题", minutes_ago=50), "别处")
    client.force_login(author)
    response = client.post(reverse("governance:post_reply", args=[topic.pk]), {"body": "串台", "parent": elsewhere.pk})
    assert response.status_code == 404 and not Post.objects.filter(body="串台").exists()


def test_moderators_find_the_reports_queue_from_the_topic_list(client, place):
    community, author = place
    topic_by(author, community)
    url = reverse("governance:topic_list", args=[community.pk])
    client.force_login(member(community, Role.OWNERS_COMMITTEE))
    assert reverse("governance:discussion_reports", args=[community.pk]) in text_of(client.get(url))
    client.force_login(author)
    assert reverse("governance:discussion_reports", args=[community.pk]) not in text_of(client.get(url))


def test_an_empty_topic_form_says_in_chinese_what_is_missing_and_creates_nothing(client, place):
    community, author = place
    client.force_login(author)
    response = client.post(reverse("governance:topic_new", args=[community.pk]), {"title": "", "body": ""})
    html = text_of(response)
    assert response.status_code == 400
    assert "请填写话题标题。" in html and "请填写内容。" in html
    assert not Topic.objects.exists()


def test_a_follower_switches_the_emails_on_and_off_without_unfollowing(client, place):
    community, author = place
    topic = topic_by(author, community)
    client.force_login(author)  # writing the topic made her a follower, without emails
    follow_url = reverse("governance:topic_follow", args=[topic.pk])
    assert "新回复也发邮件提醒我" in text_of(client.get(topic_url(topic)))
    client.post(follow_url, {"follows": "1", "email_replies": "1"})
    reader = TopicReader.objects.get(topic=topic, user=author)
    assert reader.follows and reader.email_replies
    assert "不再发邮件提醒" in text_of(client.get(topic_url(topic)))
    client.post(follow_url, {"follows": "1"})
    reader.refresh_from_db()
    assert reader.follows and not reader.email_replies


def test_without_an_email_address_no_email_option_is_offered(client, place):
    community, author = place
    topic = topic_by(author, community)
    reader = resident_in(community, email="")
    client.force_login(reader)
    html = text_of(client.get(topic_url(topic)))
    assert "关注此话题" in html and "同时发邮件提醒" not in html
