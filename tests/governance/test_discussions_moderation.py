"""The committee side of the 议事厅: reports queue, hide and restore, pin, close, public, a topic onto a
meeting's agenda or into a draft owners' decision. Every action from another community is refused and
changes nothing; every moderation is in the audit log with its reason."""

from datetime import timedelta

import pytest
from django.contrib.messages import get_messages
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from governance.models import AgendaItem, OwnersDecision, PostReport, Topic
from governance.services import discussions as svc
from governance.services import meetings as meeting_svc
from home.models import AuditEntry, CommunityRole
from home.services.roles import bureau_group
from tests.factories import UserFactory, member
from tests.governance.discussion_helpers import discussion_community, resident_in, topic_by
from tests.governance.test_meetings_support import body_with_members, meeting_under

pytestmark = pytest.mark.django_db
Role = CommunityRole.Role


def has_chinese(text: str) -> bool:
    return any("\u4e00" <= ch <= "\u9fff" for ch in text)


def message_texts(response) -> list[str]:
    return [str(m) for m in get_messages(response.wsgi_request)]


@pytest.fixture
def place():
    """Community A with a topic, a reply and residents; community B with its own moderator."""
    a = discussion_community()
    b = discussion_community()
    author = resident_in(a)
    other = resident_in(a, building_index=1)
    topic = topic_by(author, a, title="停车位划线方案", body="东门口的空地能不能划成车位？", kind=Topic.Kind.PROPOSAL)
    reply = svc.post_reply(
        actor=other,
        topic=topic,
        body="我反对，那里是消防通道。",
        stance="oppose",
        now=timezone.now() - timedelta(minutes=30),
    )
    return {
        "a": a,
        "b": b,
        "topic": topic,
        "reply": reply,
        "author": author,
        "other": other,
        "moderator": member(a, Role.OWNERS_COMMITTEE),
        "moderator_b": member(b, Role.OWNERS_COMMITTEE),
    }


def moderate(client, user, post, **data):
    client.force_login(user)
    return client.post(reverse("governance:post_moderate", args=[post.pk]), data)


# ---------------------------------------------------------------- hide and restore


def test_moderator_hides_a_post_with_a_reason_logged_and_its_reports_closed(client, place):
    reply = place["reply"]
    svc.post_report(actor=place["author"], post=reply, reason=PostReport.Reason.ABUSE)
    response = moderate(client, place["moderator"], reply, action="hide", reason="涉及人身攻击")
    assert response.status_code == 302
    assert response["Location"].endswith(f"#post-{reply.pk}")
    reply.refresh_from_db()
    assert reply.hidden_at is not None and reply.hidden_reason == "涉及人身攻击"
    assert not PostReport.objects.filter(post=reply, resolved_at__isnull=True).exists()
    entry = AuditEntry.objects.get(action="post.hide")
    assert (entry.actor, entry.community_id, entry.note) == (place["moderator"], place["a"].pk, "涉及人身攻击")


def test_moderator_restores_a_hidden_post_with_a_reason(client, place):
    reply = place["reply"]
    svc.post_hide(actor=place["moderator"], post=reply, reason="误会")
    moderate(client, place["moderator"], reply, action="restore", reason="核实后不违规")
    reply.refresh_from_db()
    assert reply.hidden_at is None
    assert AuditEntry.objects.get(action="post.restore").note == "核实后不违规"


def test_hiding_without_a_reason_is_refused_in_chinese_and_changes_nothing(client, place):
    reply = place["reply"]
    response = moderate(client, place["moderator"], reply, action="hide", reason="  ")
    reply.refresh_from_db()
    assert reply.hidden_at is None
    texts = message_texts(response)
    assert texts and has_chinese(texts[0])
    assert not AuditEntry.objects.filter(action="post.hide").exists()


@pytest.mark.parametrize("who", ["moderator_b", "other"])
def test_other_community_moderator_and_plain_resident_cannot_hide(client, place, who):
    reply = place["reply"]
    response = moderate(client, place[who], reply, action="hide", reason="越权")
    assert response.status_code == 403
    reply.refresh_from_db()
    assert reply.hidden_at is None
    assert not AuditEntry.objects.filter(action="post.hide").exists()


def test_post_moderation_form_posts_to_the_moderate_url(place):
    from django.template.loader import render_to_string

    html = render_to_string(
        "governance/discussions/_post_moderation.html", {"post": place["reply"], "topic": place["topic"]}
    )
    assert reverse("governance:post_moderate", args=[place["reply"].pk]) in html
    assert 'name="reason"' in html and "required" in html


# ---------------------------------------------------------------- reports queue


def report_many(place, count, *, start_hour=0):
    """`count` reported posts in A, each reported by two residents; posted an hour apart, oldest first (the
    posting rate limit counts the author's later posts too)."""
    reporters = [resident_in(place["a"]) for _ in range(2)]
    posts = []
    for i in range(count):
        post = svc.post_reply(
            actor=place["author"],
            topic=place["topic"],
            body=f"第{i}条回复",
            now=timezone.now() - timedelta(days=10) + timedelta(hours=start_hour + i),
        )
        for reporter in reporters:
            svc.post_report(actor=reporter, post=post, reason=PostReport.Reason.SPAM, note="广告")
        posts.append(post)
    return posts


def test_reports_queue_groups_by_post_with_counts_and_no_reporter_names(client, place):
    reporter = resident_in(place["a"], full_name="举报人甲乙")
    svc.post_report(actor=reporter, post=place["reply"], reason=PostReport.Reason.ABUSE, note="说话太冲")
    svc.post_report(actor=place["author"], post=place["reply"], reason=PostReport.Reason.ABUSE)
    client.force_login(place["moderator"])
    response = client.get(reverse("governance:discussion_reports", args=[place["a"].pk]))
    assert response.status_code == 200
    html = response.content.decode()
    assert "我反对，那里是消防通道。" in html and "说话太冲" in html
    assert "× 2" in html
    assert "举报人甲乙" not in html
    assert [row["count"] for row in response.context["rows"]] == [2]


def test_reports_queue_refuses_other_community_and_residents(client, place):
    svc.post_report(actor=place["author"], post=place["reply"], reason=PostReport.Reason.FALSE)
    url = reverse("governance:discussion_reports", args=[place["a"].pk])
    for user in (place["moderator_b"], place["other"]):
        client.force_login(user)
        response = client.get(url)
        assert response.status_code == 403
        assert "我反对，那里是消防通道。" not in response.content.decode()


def test_dismissing_reports_keeps_the_post_and_logs_the_reason(client, place):
    svc.post_report(actor=place["author"], post=place["reply"], reason=PostReport.Reason.FALSE)
    client.force_login(place["moderator"])
    url = reverse("governance:discussion_reports", args=[place["a"].pk])
    refused = client.post(url, {"post": place["reply"].pk, "reason": ""})
    assert PostReport.objects.filter(resolved_at__isnull=True).count() == 1
    assert has_chinese(message_texts(refused)[-1])
    client.post(url, {"post": place["reply"].pk, "reason": "内容属实"})
    assert not PostReport.objects.filter(resolved_at__isnull=True).exists()
    place["reply"].refresh_from_db()
    assert place["reply"].hidden_at is None
    assert AuditEntry.objects.get(action="post.report_dismiss").note == "内容属实"


def test_dismissing_from_another_community_is_refused(client, place):
    svc.post_report(actor=place["author"], post=place["reply"], reason=PostReport.Reason.FALSE)
    client.force_login(place["moderator_b"])
    response = client.post(
        reverse("governance:discussion_reports", args=[place["b"].pk]), {"post": place["reply"].pk, "reason": "越权"}
    )
    assert response.status_code == 403
    assert PostReport.objects.filter(resolved_at__isnull=True).count() == 1


def test_reports_queue_query_count_does_not_grow(client, place):
    url = reverse("governance:discussion_reports", args=[place["a"].pk])
    client.force_login(place["moderator"])
    report_many(place, 2)
    client.get(url)  # warm the site cache
    with CaptureQueriesContext(connection) as few:
        client.get(url)
    report_many(place, 8, start_hour=2)
    with CaptureQueriesContext(connection) as many:
        response = client.get(url)
    assert len(response.context["rows"]) == 10
    assert len(many) == len(few)


# ---------------------------------------------------------------- topic controls


def manage(client, user, topic, **data):
    client.force_login(user)
    return client.post(reverse("governance:topic_manage", args=[topic.pk]), data)


def test_moderator_pins_closes_with_reason_reopens_and_makes_public(client, place):
    topic = place["topic"]
    moderator = place["moderator"]
    manage(client, moderator, topic, action="pin")
    refused = manage(client, moderator, topic, action="close", reason="")
    topic.refresh_from_db()
    assert topic.is_pinned and topic.status == Topic.Status.OPEN
    assert has_chinese(message_texts(refused)[-1])
    manage(client, moderator, topic, action="close", reason="已形成共识，转交业委会")
    topic.refresh_from_db()
    assert topic.status == Topic.Status.CLOSED
    assert AuditEntry.objects.get(action="topic.status").note == "已形成共识，转交业委会"
    manage(client, moderator, topic, action="reopen")
    manage(client, moderator, topic, action="public")
    topic.refresh_from_db()
    assert topic.status == Topic.Status.OPEN and topic.is_public
    assert AuditEntry.objects.filter(action="topic.pin").exists()
    assert AuditEntry.objects.filter(action="topic.public").exists()


@pytest.mark.parametrize("who", ["moderator_b", "other"])
def test_topic_controls_refused_from_another_community_and_for_residents(client, place, who):
    topic = place["topic"]
    for action in ("pin", "public", "close"):
        assert manage(client, place[who], topic, action=action, reason="越权").status_code == 403
    topic.refresh_from_db()
    assert (topic.is_pinned, topic.is_public, topic.status) == (False, False, Topic.Status.OPEN)


def test_topic_moderation_context_only_for_moderators(rf, place):
    from governance.views.discussion_moderation import topic_moderation_context

    request = rf.get("/")
    request.user = place["other"]
    assert topic_moderation_context(request, place["topic"]) == {"can_moderate": False}
    svc.post_report(actor=place["author"], post=place["reply"], reason=PostReport.Reason.SPAM)
    request.user = place["moderator"]
    context = topic_moderation_context(request, place["topic"])
    assert context["can_moderate"] and context["can_start_decision"]
    assert context["open_report_count"] == 1


# ---------------------------------------------------------------- onto a meeting's agenda


@pytest.fixture
def meetings(place):
    """The committee of A with a future meeting (notice not out) and one whose notice is published."""
    _community, body, users = body_with_members(place["a"], seats=3)
    later = timezone.now() + timedelta(days=30)
    open_meeting = meeting_under(body, starts_at=later, title="业委会第5次会议")
    locked = meeting_under(body, starts_at=later + timedelta(days=1), title="业委会第6次会议")
    meeting_svc.meeting_notice_publish(actor=None, meeting=locked)
    _c, body_b, users_b = body_with_members(place["b"], seats=3)
    other_meeting = meeting_under(body_b, starts_at=later, title="B小区业委会会议")
    return {"open": open_meeting, "locked": locked, "other": other_meeting, "chair": users[0], "chair_b": users_b[0]}


def to_agenda(client, user, topic, meeting):
    client.force_login(user)
    return client.post(reverse("governance:topic_to_agenda", args=[topic.pk]), {"meeting": meeting.pk})


def test_topic_becomes_an_agenda_item_linked_both_ways(client, place, meetings):
    topic, meeting = place["topic"], meetings["open"]
    client.force_login(meetings["chair"])
    form = client.get(reverse("governance:topic_to_agenda", args=[topic.pk]))
    assert [m.pk for m in form.context["agenda_meetings"]] == [meeting.pk]
    response = to_agenda(client, meetings["chair"], topic, meeting)
    assert response.status_code == 302
    topic.refresh_from_db()
    item = topic.agenda_item
    assert item.meeting_id == meeting.pk and item.title == "停车位划线方案"
    # The meeting page's latest revision carries the item, so the next edit in the admin keeps it.
    meeting.refresh_from_db()
    assert [i.title for i in meeting.get_latest_revision_as_object().agenda_items.all()][-1] == "停车位划线方案"
    assert AuditEntry.objects.filter(action="topic.to_agenda").exists()
    # The meeting page links back to the topic for a reader of the community.
    client.force_login(place["other"])
    page = client.get(meeting.url).content.decode()
    assert f'href="{reverse("governance:topic_detail", args=[topic.pk])}"' in page and "来自议事厅话题" in page
    assert page.count(reverse("governance:topic_detail", args=[topic.pk])) == 1  # the link, not the raw address


def test_meeting_page_hides_the_topic_link_from_outsiders(client, place, meetings):
    svc.topic_to_agenda_item(actor=meetings["chair"], topic=place["topic"], meeting=meetings["open"])
    meetings["open"].refresh_from_db()
    client.force_login(place["moderator_b"])
    page = client.get(meetings["open"].url).content.decode()
    assert f'href="{reverse("governance:topic_detail", args=[place["topic"].pk])}"' not in page


def test_agenda_refused_for_a_meeting_whose_notice_is_published(client, place, meetings):
    before = AgendaItem.objects.count()
    response = to_agenda(client, meetings["chair"], place["topic"], meetings["locked"])
    assert response.status_code == 400
    assert "A-09" in response.context["error"] and has_chinese(response.context["error"])
    place["topic"].refresh_from_db()
    assert place["topic"].agenda_item_id is None and AgendaItem.objects.count() == before


def test_agenda_refused_for_a_meeting_of_another_community(client, place, meetings):
    before = AgendaItem.objects.count()
    assert to_agenda(client, meetings["chair"], place["topic"], meetings["other"]).status_code == 403
    assert to_agenda(client, meetings["chair_b"], place["topic"], meetings["other"]).status_code == 403
    place["topic"].refresh_from_db()
    assert place["topic"].agenda_item_id is None and AgendaItem.objects.count() == before


def test_moderation_panel_says_why_no_meeting_can_take_the_topic(rf, place):
    from django.template.loader import render_to_string

    from governance.views.discussion_moderation import topic_moderation_context

    request = rf.get("/")
    request.user = place["moderator"]
    context = topic_moderation_context(request, place["topic"])
    assert context["agenda_meetings"] == []
    html = render_to_string(
        "governance/discussions/_topic_moderation.html", {**context, "topic": place["topic"]}, request=request
    )
    assert "A-09" in html


# ---------------------------------------------------------------- draft owners' decision


def test_draft_owners_decision_is_created_once_and_readable_by_the_committee(client, place):
    topic, moderator = place["topic"], place["moderator"]
    client.force_login(moderator)
    confirm = client.get(reverse("governance:topic_to_decision", args=[topic.pk]))
    assert "G-07" in confirm.content.decode()
    response = client.post(reverse("governance:topic_to_decision", args=[topic.pk]))
    decision = OwnersDecision.objects.get()
    assert response["Location"] == reverse("governance:decision_detail", args=[decision.pk])
    again = client.post(reverse("governance:topic_to_decision", args=[topic.pk]))
    assert OwnersDecision.objects.count() == 1
    assert has_chinese(message_texts(again)[-1])
    page = client.get(reverse("governance:decision_detail", args=[decision.pk]))
    html = page.content.decode()
    assert page.status_code == 200 and "停车位划线方案" in html
    assert html.count(reverse("governance:topic_detail", args=[topic.pk])) == 1  # linked, not as raw text
    assert "东门口的空地能不能划成车位？" in html  # the opening post is the draft's description
    assert AuditEntry.objects.filter(action="topic.to_owners_decision").exists()


def test_draft_owners_decision_refused_to_others(client, place):
    topic = place["topic"]
    council = member(place["a"], Role.DELIBERATION_COUNCIL)
    for user in (place["moderator_b"], place["other"], council):
        client.force_login(user)
        assert client.post(reverse("governance:topic_to_decision", args=[topic.pk])).status_code == 403
    assert not OwnersDecision.objects.exists()
    decision = svc.topic_to_owners_decision(actor=place["moderator"], topic=topic)
    url = reverse("governance:decision_detail", args=[decision.pk])
    for user in (place["moderator_b"], place["other"]):
        client.force_login(user)
        assert client.get(url).status_code == 403
    bureau = UserFactory()
    bureau_group().user_set.add(bureau)
    for user in (bureau, member(place["a"], Role.COMMUNITY_STAFF), council):
        client.force_login(user)
        assert client.get(url).status_code == 200


def test_topic_page_shows_the_committee_tools_to_moderators_only(client, place):
    url = reverse("governance:topic_detail", args=[place["topic"].pk])
    manage_url = reverse("governance:topic_manage", args=[place["topic"].pk])
    moderate_url = reverse("governance:post_moderate", args=[place["reply"].pk])
    client.force_login(place["moderator"])
    html = client.get(url).content.decode()
    assert manage_url in html and moderate_url in html
    assert reverse("governance:discussion_reports", args=[place["a"].pk]) in html
    client.force_login(place["other"])
    html = client.get(url).content.decode()
    assert manage_url not in html and moderate_url not in html


def test_topic_list_context_links_moderators_to_the_reports_queue(rf, place):
    from governance.views.discussion_moderation import topic_list_moderation_context

    svc.post_report(actor=place["author"], post=place["reply"], reason=PostReport.Reason.SPAM)
    request = rf.get("/")
    request.user = place["moderator_b"]
    assert topic_list_moderation_context(request, place["a"]) == {}
    request.user = place["moderator"]
    context = topic_list_moderation_context(request, place["a"])
    assert context["open_report_count"] == 1
    assert context["reports_url"] == reverse("governance:discussion_reports", args=[place["a"].pk])
    from django.template.loader import render_to_string

    html = render_to_string("governance/discussions/_reports_link.html", context)
    assert context["reports_url"] in html and "1 条待处理举报" in html
    assert render_to_string("governance/discussions/_reports_link.html", {}).strip() == ""
