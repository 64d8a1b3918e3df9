"""The pages of owners' votes through real HTTP requests: the list, the committee's forms, the vote page (ballot,
receipt, result, objections), the frozen electorate and the live turnout. Every page refuses another community's
member; no page shows another owner's choice (secret ballot: who took part, never what they chose)."""

from datetime import timedelta

import pytest
from django.contrib.messages import get_messages
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from governance.models import Ballot, Objection, OwnersDecision, ProcedureRules, Resolution
from governance.services import decisions as svc
from governance.services import discussions as discussion_svc
from governance.views.decisions import _tidy_reason
from home.models import CommunityRole, Residency
from tests.factories import PersonFactory, community_with_units, member
from tests.governance.decision_helpers import answers_for, close_now, draft_vote, open_vote, vote_community
from tests.governance.discussion_helpers import discussion_community, resident_in, topic_by
from tests.governance.test_meetings_support import body_with_members, meeting_under

pytestmark = pytest.mark.django_db
Role = CommunityRole.Role
Status = OwnersDecision.Status


def has_chinese(text: str) -> bool:
    return any("\u4e00" <= ch <= "\u9fff" for ch in text)


def message_texts(response) -> list[str]:
    return [str(m) for m in get_messages(response.wsgi_request)]


def local(moment) -> str:
    return timezone.localtime(moment).strftime("%Y-%m-%dT%H:%M")


def draft_post(title="续聘物业服务企业", *, opens=None, closes_days=16, place="community", **extra) -> dict:
    now = timezone.now()
    return {
        "title": title,
        "description": "合同期满，是否续聘。",
        "matter": "4",
        "place": place,
        "opens_at": local(opens or now + timedelta(hours=1)),
        "closes_at": local(now + timedelta(days=closes_days)),
        "questions": "同意续聘XX物业公司\n同意物业费标准不变",
        **extra,
    }


@pytest.fixture
def vc():
    return vote_community(buildings=2, units=3)


@pytest.fixture
def outsider():
    """The owners' committee of another community: a role there gives nothing here."""
    return member(community_with_units(buildings=1, units=1), Role.OWNERS_COMMITTEE)


def tenant_of(vc):
    tenant = member(vc.community, Role.RESIDENT, full_name="租户甲")
    person = PersonFactory(full_name=tenant.full_name, user=tenant)
    Residency.objects.create(
        unit=vc.units[0], person=person, relation=Residency.Relation.TENANT, verified_at=timezone.now()
    )
    return tenant


def urls_of(decision) -> dict:
    community_id = decision.community_id
    return {
        "list": reverse("governance:decision_list", args=[community_id]),
        "new": reverse("governance:decision_new", args=[community_id]),
        "rules": reverse("governance:procedure_rules", args=[community_id]),
        "detail": reverse("governance:decision_detail", args=[decision.pk]),
        "edit": reverse("governance:decision_edit", args=[decision.pk]),
        "electorate": reverse("governance:decision_electorate", args=[decision.pk]),
        "turnout": reverse("governance:decision_turnout", args=[decision.pk]),
        "json": reverse("governance:decision_turnout_json", args=[decision.pk]),
    }


# ---------------------------------------------------------------- who sees which page


def test_committee_sees_every_page_and_the_start_button(client, vc):
    decision = open_vote(vc)
    draft = draft_vote(vc, title="加装电梯草案")
    client.force_login(vc.chair)
    urls = urls_of(decision)
    for name in ("list", "new", "rules", "detail", "electorate", "turnout", "json"):
        assert client.get(urls[name]).status_code == 200, name
    listing = client.get(urls["list"]).content.decode()
    assert "发起表决" in listing and "加装电梯草案" in listing
    assert client.get(urls_of(draft)["edit"]).status_code == 200
    assert client.get(urls_of(draft)["detail"]).status_code == 200
    data = client.get(urls["json"]).json()
    assert data["total_owners"] == 6 and data["owners_line"] == 4 and data["participating_owners"] == 0


def test_owner_reads_the_vote_but_not_the_committee_pages(client, vc):
    decision = open_vote(vc)
    draft = draft_vote(vc, title="加装电梯草案")
    client.force_login(vc.owners[0])
    urls = urls_of(decision)
    for name in ("list", "detail", "electorate"):
        assert client.get(urls[name]).status_code == 200, name
    listing = client.get(urls["list"]).content.decode()
    assert "发起表决" not in listing and "加装电梯草案" not in listing and "续聘物业服务企业" in listing
    for name in ("new", "rules", "turnout"):
        response = client.get(urls[name])
        assert response.status_code == 403 and has_chinese(response.content.decode()), name
    assert client.get(urls["json"]).status_code == 403
    assert client.get(urls_of(draft)["detail"]).status_code == 403
    assert client.get(urls_of(draft)["edit"]).status_code == 403


def test_other_community_member_is_refused_everywhere_and_changes_nothing(client, vc, outsider):
    decision = open_vote(vc)
    draft = draft_vote(vc, title="加装电梯草案")
    client.force_login(outsider)
    for name, url in urls_of(decision).items():
        response = client.get(url)
        assert response.status_code == 403, name
        if name != "json":
            assert "续聘物业服务企业" not in response.content.decode()
    answers = {f"q{q.pk}": "approve" for q in decision.questions.all()}
    posts = [
        (reverse("governance:decision_vote", args=[decision.pk]), answers),
        (reverse("governance:decision_announce", args=[draft.pk]), {}),
        (reverse("governance:decision_cancel", args=[decision.pk]), {"reason": "不需要了"}),
        (reverse("governance:decision_count", args=[decision.pk]), {}),
        (reverse("governance:decision_finalize", args=[decision.pk]), {}),
        (reverse("governance:objection_file", args=[decision.pk]), {"text": "有异议"}),
        (reverse("governance:decision_edit", args=[draft.pk]), draft_post("改掉的标题")),
        (reverse("governance:decision_new", args=[vc.community.pk]), draft_post("外人的表决")),
        (
            reverse("governance:procedure_rules", args=[vc.community.pk]),
            {"include_special_spaces_in_area": "yes", "ballots_changeable": "yes", "objection_days": "3"},
        ),
    ]
    for url, data in posts:
        assert client.post(url, data).status_code == 403, url
    assert not Ballot.objects.exists() and not Objection.objects.exists()
    assert OwnersDecision.objects.count() == 2
    decision.refresh_from_db()
    draft.refresh_from_db()
    assert decision.status == Status.ANNOUNCED and draft.status == Status.DRAFT and draft.title == "加装电梯草案"
    rules = ProcedureRules.objects.get(community=vc.community)
    assert rules.include_special_spaces_in_area is False and rules.objection_days == 7


def test_visitor_is_sent_to_log_in(client, vc):
    decision = open_vote(vc)
    response = client.get(urls_of(decision)["detail"])
    assert response.status_code == 302 and "login" in response["Location"]


# ---------------------------------------------------------------- voting


def test_tenant_sees_why_and_cannot_post_a_ballot(client, vc):
    decision = open_vote(vc)
    tenant = tenant_of(vc)
    client.force_login(tenant)
    html = client.get(urls_of(decision)["detail"]).content.decode()
    assert "书面委托" in html  # the refusal says a tenant votes only with the owner's written proxy (V-22)
    assert 'required name="q' not in html
    answers = {f"q{q.pk}": "approve" for q in decision.questions.all()}
    response = client.post(reverse("governance:decision_vote", args=[decision.pk]), answers)
    assert response.status_code == 302
    assert has_chinese(message_texts(response)[-1])
    assert not Ballot.objects.exists()


def test_owner_votes_through_the_form_sees_the_receipt_and_cannot_vote_twice(client, vc):
    decision = open_vote(vc, questions=("同意续聘XX物业公司", "同意物业费标准不变"))
    first, second = decision.questions.all()
    client.force_login(vc.owners[0])
    html = client.get(urls_of(decision)["detail"]).content.decode()
    assert "<fieldset" in html and "<legend>" in html and "提交后" in html
    vote_url = reverse("governance:decision_vote", args=[decision.pk])
    response = client.post(vote_url, {f"q{first.pk}": "approve", f"q{second.pk}": "reject"}, follow=True)
    html = response.content.decode()
    assert "您已于" in html and "同意" in html and "反对" in html
    assert 'required name="q' not in html  # no second ballot form: the rules do not allow a change
    assert Ballot.objects.count() == 2
    again = client.post(vote_url, {f"q{first.pk}": "reject", f"q{second.pk}": "reject"})
    assert again.status_code == 302
    assert any("已" in text and has_chinese(text) for text in message_texts(again))
    assert Ballot.objects.count() == 2
    assert set(Ballot.objects.values_list("choice", flat=True)) == {"approve", "reject"}
    # Another owner sees neither the receipt nor the first owner's choices.
    client.force_login(vc.owners[1])
    other = client.get(urls_of(decision)["detail"]).content.decode()
    assert "您已于" not in other and 'required name="q' in other


def test_incomplete_ballot_is_refused_in_chinese(client, vc):
    decision = open_vote(vc, questions=("同意续聘XX物业公司", "同意物业费标准不变"))
    first = decision.questions.first()
    client.force_login(vc.owners[0])
    response = client.post(reverse("governance:decision_vote", args=[decision.pk]), {f"q{first.pk}": "approve"})
    assert has_chinese(message_texts(response)[-1])
    assert not Ballot.objects.exists()


def test_owner_changes_a_ballot_where_the_rules_allow(client):
    vc = vote_community(buildings=1, units=2, ballots_changeable=True)
    decision = open_vote(vc)
    question = decision.questions.get()
    client.force_login(vc.owners[0])
    url = reverse("governance:decision_vote", args=[decision.pk])
    client.post(url, {f"q{question.pk}": "approve"})
    html = client.get(urls_of(decision)["detail"]).content.decode()
    assert "您已于" in html and 'required name="q' in html and "checked" in html
    client.post(url, {f"q{question.pk}": "reject"})
    assert list(Ballot.objects.order_by("revision").values_list("choice", "revision")) == [
        ("approve", 1),
        ("reject", 2),
    ]


def test_secret_ballot_pages_show_who_took_part_never_the_choice(client, vc):
    decision = open_vote(vc, is_secret=True)
    svc.ballot_cast(user=vc.owners[0], decision=decision, answers=answers_for(decision, "reject"))
    for viewer in (vc.chair, vc.owners[1]):
        client.force_login(viewer)
        electorate = client.get(urls_of(decision)["electorate"]).content.decode()
        assert "已参与" in electorate
        assert "反对" not in electorate and "同意" not in electorate
        detail = client.get(urls_of(decision)["detail"]).content.decode()
        assert "您已于" not in detail
    client.force_login(vc.chair)
    turnout = client.get(urls_of(decision)["turnout"]).content.decode()
    assert "<progress" in turnout and "反对" not in turnout and "同意" not in turnout


# ---------------------------------------------------------------- the committee runs a vote


def test_committee_creates_edits_announces_counts_answers_and_finalises(client, vc):
    client.force_login(vc.chair)
    new_url = reverse("governance:decision_new", args=[vc.community.pk])
    building = vc.units[0].entrance.building
    response = client.post(new_url, draft_post(closes_days=10, place=f"building:{building.pk}"))
    decision = OwnersDecision.objects.get()
    assert response["Location"] == reverse("governance:decision_detail", args=[decision.pk])
    assert decision.scope == "building" and decision.questions.count() == 2

    # Closing 10 days after the notice is too early: the refusal is shown in Chinese.
    announce_url = reverse("governance:decision_announce", args=[decision.pk])
    detail = client.get(urls_of(decision)["detail"]).content.decode()
    assert "15" in detail and "A-09" in detail
    refused = client.post(announce_url)
    assert any("15" in text and has_chinese(text) for text in message_texts(refused))
    decision.refresh_from_db()
    assert decision.status == Status.DRAFT

    edit_url = urls_of(decision)["edit"]
    assert client.get(edit_url).status_code == 200
    client.post(edit_url, draft_post("续聘物业服务企业（修订）", closes_days=16))
    decision.refresh_from_db()
    assert decision.title == "续聘物业服务企业（修订）" and decision.scope == "community"
    client.post(announce_url)
    decision.refresh_from_db()
    assert decision.status == Status.ANNOUNCED and decision.total_owners == 6

    # Announced: the question is locked, by GET and by POST.
    locked = client.get(edit_url)
    assert locked.status_code == 302 and any("A-09" in text for text in message_texts(locked))
    refused = client.post(edit_url, draft_post("又改一次", closes_days=20))
    assert refused.status_code == 400 and "A-09" in refused.content.decode()
    decision.refresh_from_db()
    assert decision.title == "续聘物业服务企业（修订）"

    # Voting, then the count after the close.
    OwnersDecision.objects.filter(pk=decision.pk).update(opens_at=timezone.now() - timedelta(minutes=5))
    for owner in vc.owners[:5]:
        svc.ballot_cast(user=owner, decision=decision, answers=answers_for(decision))
    count_url = reverse("governance:decision_count", args=[decision.pk])
    early = client.post(count_url)
    assert has_chinese(message_texts(early)[-1])
    close_now(decision)
    client.post(count_url)
    decision.refresh_from_db()
    assert decision.status == Status.PRELIMINARY
    html = client.get(urls_of(decision)["detail"]).content.decode()
    assert "453.00" in html and "377.50" in html  # both denominators: all area, area taking part

    # An owner objects; others see the text, not the name; the committee answers.
    client.force_login(vc.owners[0])
    client.post(reverse("governance:objection_file", args=[decision.pk]), {"text": "计票时间太短，请复核。"})
    objection = Objection.objects.get()
    client.force_login(vc.owners[1])
    html = client.get(urls_of(decision)["detail"]).content.decode()
    assert "计票时间太短，请复核。" in html and vc.owners[0].full_name not in html
    client.force_login(vc.chair)
    early = client.post(reverse("governance:decision_finalize", args=[decision.pk]))
    assert has_chinese(message_texts(early)[-1])
    client.post(reverse("governance:objection_answer", args=[objection.pk]), {"answer": "已复核，计票无误。"})
    objection.refresh_from_db()
    assert objection.answer == "已复核，计票无误。"

    OwnersDecision.objects.filter(pk=decision.pk).update(objection_deadline=timezone.now() - timedelta(minutes=1))
    client.post(reverse("governance:decision_finalize", args=[decision.pk]))
    decision.refresh_from_db()
    assert decision.status == Status.FINAL and decision.final_notice is not None
    html = client.get(urls_of(decision)["detail"]).content.decode()
    assert decision.final_notice.url in html and "已复核，计票无误。" in html


def test_failed_tests_are_listed_in_chinese_after_counting(client, vc):
    decision = open_vote(vc, matter="6")
    for owner in vc.owners[:3]:
        svc.ballot_cast(user=owner, decision=decision, answers=answers_for(decision))
    svc.decision_count(actor=vc.chair, decision=close_now(decision))
    client.force_login(vc.owners[5])
    html = client.get(urls_of(decision)["detail"]).content.decode()
    reasons = [svc.reason_sentence(r) for r in decision.questions.get().reasons]
    assert reasons and all(reason in html for reason in reasons)


def test_cancel_needs_a_reason(client, vc):
    decision = draft_vote(vc)
    client.force_login(vc.chair)
    url = reverse("governance:decision_cancel", args=[decision.pk])
    response = client.post(url, {"reason": ""})
    assert has_chinese(message_texts(response)[-1])
    client.post(url, {"reason": "物业合同已另行续签"})
    decision.refresh_from_db()
    assert decision.status == Status.CANCELLED


def test_procedure_rules_form_has_no_preselected_v20_answer_until_decided(client):
    community = community_with_units(buildings=1, units=1)
    chair = member(community, Role.OWNERS_COMMITTEE)
    client.force_login(chair)
    url = reverse("governance:procedure_rules", args=[community.pk])
    html = client.get(url).content.decode()
    v20 = html[html.index('name="include_special_spaces_in_area"') - 400 :].split("</fieldset>")[0]
    assert "checked" not in v20 and "V-20" in html
    response = client.post(url, {"ballots_changeable": "no", "objection_days": "7"})
    assert response.status_code == 400 and not ProcedureRules.objects.exists()
    client.post(url, {"include_special_spaces_in_area": "no", "ballots_changeable": "yes", "objection_days": "5"})
    rules = ProcedureRules.objects.get(community=community)
    assert (rules.include_special_spaces_in_area, rules.ballots_changeable, rules.objection_days) == (False, True, 5)


def test_community_page_card_links_to_the_votes_with_the_open_count(client, vc):
    open_vote(vc)
    client.force_login(vc.owners[0])
    html = client.get(vc.community.url).content.decode()
    assert reverse("governance:decision_list", args=[vc.community.pk]) in html
    assert "1 项表决正在进行" in html


# ---------------------------------------------------------------- query counts do not grow with the electorate


def _queries(client, url) -> int:
    with CaptureQueriesContext(connection) as captured:
        assert client.get(url).status_code == 200
    return len(captured)


@pytest.mark.parametrize("page", ["detail", "electorate", "turnout"])
def test_query_counts_are_flat(client, page, django_assert_max_num_queries):
    counts = []
    for buildings, units in ((1, 2), (3, 8)):
        vc = vote_community(buildings=buildings, units=units)
        decision = open_vote(vc, questions=("问题一", "问题二", "问题三"))
        for owner in vc.owners[: len(vc.owners) // 2]:
            svc.ballot_cast(user=owner, decision=decision, answers=answers_for(decision))
        client.force_login(vc.chair if page == "turnout" else vc.owners[-1])
        url = urls_of(decision)[page]
        _queries(client, url)  # warm the per-process caches (site root, roles)
        with django_assert_max_num_queries(30):
            counts.append(_queries(client, url))
    assert counts[0] == counts[1]


def test_a_draft_from_a_topic_is_completed_through_the_same_form(client):
    community = discussion_community()
    chair = member(community, Role.OWNERS_COMMITTEE)
    topic = topic_by(resident_in(community), community, title="停车位划线方案", body="东门口的空地能不能划成车位？")
    decision = discussion_svc.topic_to_owners_decision(actor=chair, topic=topic)
    assert decision.matter == ""
    client.force_login(chair)
    url = reverse("governance:decision_edit", args=[decision.pk])
    html = client.get(url).content.decode()
    assert "停车位划线方案" in html and "东门口的空地能不能划成车位？" in html
    assert 'value="" selected' in html  # the matter is still to be chosen
    response = client.post(url, draft_post("停车位划线方案", matter="8", questions="同意在东门口划设车位"))
    assert response.status_code == 302
    decision.refresh_from_db()
    assert decision.matter == "8" and list(decision.questions.values_list("text", flat=True)) == [
        "同意在东门口划设车位"
    ]


def test_electorate_is_paginated_by_50_and_turnout_json_counts_to_the_cent(client):
    vc = vote_community(buildings=2, units=26)
    decision = open_vote(vc)
    svc.ballot_cast(user=vc.owners[0], decision=decision, answers=answers_for(decision))
    client.force_login(vc.owners[1])
    url = urls_of(decision)["electorate"]
    first = client.get(url).content.decode()
    second = client.get(url + "?page=2").content.decode()
    assert first.count('class="elector-row"') == 50 and second.count('class="elector-row"') == 2
    assert "业主 52 人" in first and first.count("已参与") == 1
    client.force_login(vc.chair)
    data = client.get(urls_of(decision)["json"]).json()
    assert data["participating_owners"] == 1 and data["participating_area"] == "75.50"
    assert data["owners_line"] == 35 and data["total_area"] == "3926.00"
    assert {row["channel"]: row["owners"] for row in data["by_channel"]}["online"] == 1


def test_finalise_links_only_a_resolution_of_this_community(client, vc):
    decision = open_vote(vc)
    for owner in vc.owners[:5]:
        svc.ballot_cast(user=owner, decision=decision, answers=answers_for(decision))
    svc.decision_count(actor=vc.chair, decision=close_now(decision))
    OwnersDecision.objects.filter(pk=decision.pk).update(objection_deadline=timezone.now() - timedelta(minutes=1))
    ours = meeting_under(body_with_members(vc.community, members=1)[1])
    theirs = meeting_under(body_with_members(community_with_units(buildings=1, units=1), members=1)[1])
    facts = {"text": "通过", "seat_count": 5, "present_count": 5, "votes_for": 5, "carried": True}
    own_resolution = Resolution.objects.create(meeting=ours, number="业委会〔2026〕1号", **facts)
    other_resolution = Resolution.objects.create(meeting=theirs, number="外小区〔2026〕1号", **facts)
    client.force_login(vc.chair)
    html = client.get(urls_of(decision)["detail"]).content.decode()
    assert "业委会〔2026〕1号" in html and "外小区〔2026〕1号" not in html  # only this community's resolutions
    url = reverse("governance:decision_finalize", args=[decision.pk])
    refused = client.post(url, {"resolution": other_resolution.pk})
    assert has_chinese(message_texts(refused)[-1])
    decision.refresh_from_db()
    assert decision.status == Status.PRELIMINARY
    client.post(url, {"resolution": own_resolution.pk})
    decision.refresh_from_db()
    assert decision.status == Status.FINAL and decision.resolution == own_resolution
    html = client.get(urls_of(decision)["detail"]).content.decode()
    assert "A-12" in html and "业委会〔2026〕1号" in html


def test_stored_reasons_are_shown_to_the_cent():
    reason = {"stage": "approval", "measure": "area", "counted": "5336.30000000000", "base": "8258.62000000000"}
    assert _tidy_reason({**reason, "threshold": "3/4", "strict": False})["counted"] == "5336.30"
    assert _tidy_reason({"counted": "3", "base": "7"}) == {"counted": "3", "base": "7"}


def test_an_owner_who_is_also_a_neighbours_proxy_votes_for_each_owner_separately(client, vc):
    """V-22: an accepted written proxy adds a second ballot block; each POST names the owner it is for."""
    decision = open_vote(vc)
    neighbour = decision.electors.get(voter__user=vc.owners[1])
    letter = SimpleUploadedFile("letter.pdf", b"%PDF-1.4 signed", content_type="application/pdf")
    proxy = svc.proxy_upload(
        actor=vc.chair,
        decision=decision,
        elector=neighbour,
        proxy_name="业主0",
        proxy_user=vc.owners[0],
        document=letter,
    )
    svc.proxy_check(actor=vc.chair, proxy=proxy, accept=True)
    own = decision.electors.get(voter__user=vc.owners[0])
    question = decision.questions.get()
    client.force_login(vc.owners[0])
    html = client.get(urls_of(decision)["detail"]).content.decode()
    assert html.count('class="stack ballot-form"') == 2 and "书面委托代理人" in html
    vote_url = reverse("governance:decision_vote", args=[decision.pk])
    client.post(vote_url, {"elector": neighbour.pk, f"q{question.pk}": "reject"})
    client.post(vote_url, {"elector": own.pk, f"q{question.pk}": "approve"})
    assert dict(Ballot.objects.values_list("elector_id", "choice")) == {neighbour.pk: "reject", own.pk: "approve"}
    assert Ballot.objects.get(elector=neighbour).proxy == proxy
    html = client.get(urls_of(decision)["detail"]).content.decode()
    assert html.count("您已于") == 2 and 'class="stack ballot-form"' not in html
    # The neighbour himself is told that his proxy votes for him.
    client.force_login(vc.owners[1])
    assert "书面委托" in client.get(urls_of(decision)["detail"]).content.decode()
