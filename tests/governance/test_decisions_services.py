"""The writers of owners' votes: announcing (A-09), ballots (one per owner and question, revisions where the rules
allow), paper and assisted ballots (A-10), written proxies (V-22), the art. 278 count through real ballots (V-03 …
V-07, V-24), objections and the final result (A-12), cancelling, append-only records and the audit log."""

from datetime import datetime, timedelta
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from governance.models import Ballot, DecisionQuestion, Elector, Objection, OwnersDecision, Proxy
from governance.services import decisions as svc
from home.models import AuditEntry, CommunityRole, Residency, Unit
from tests.factories import PersonFactory, member
from tests.governance.decision_helpers import (
    VoteCommunity,
    answers_for,
    close_now,
    draft_vote,
    open_vote,
    vote_community,
)

pytestmark = pytest.mark.django_db

Role = CommunityRole.Role
Status = OwnersDecision.Status
D = Decimal
SHANGHAI = ZoneInfo("Asia/Shanghai")


def vote(decision, users, choice="approve"):
    for user in users:
        svc.ballot_cast(user=user, decision=decision, answers=answers_for(decision, choice))


def counted(vc: VoteCommunity, decision) -> DecisionQuestion:
    decision = svc.decision_count(actor=vc.chair, decision=close_now(decision))
    return decision.questions.get()


def scan(name="ballot.pdf", content=b"%PDF-1.4 signed"):
    return SimpleUploadedFile(name, content, content_type="application/pdf")


def tenant_of(vc: VoteCommunity, unit):
    user = member(vc.community, Role.RESIDENT, full_name="租户甲")
    Residency.objects.create(
        unit=unit,
        person=PersonFactory(full_name=user.full_name, user=user),
        relation=Residency.Relation.TENANT,
        verified_at=timezone.now(),
    )
    return user


def actions(target) -> list[str]:
    return list(
        AuditEntry.objects.filter(target_type=target._meta.label_lower, target_id=str(target.pk))
        .order_by("id")
        .values_list("action", flat=True)
    )


# --- announcing (A-09) -------------------------------------------------------------------------------------------


NOTICE = datetime(2026, 3, 1, 0, 30, tzinfo=SHANGHAI)  # 2026-02-28 16:30 UTC: the UTC date is a day earlier


@pytest.mark.parametrize(
    ("closes_at", "accepted"),
    [
        (datetime(2026, 3, 15, 23, 59, tzinfo=SHANGHAI), False),  # 14 calendar days after the notice day
        (datetime(2026, 3, 16, 0, 1, tzinfo=SHANGHAI), True),  # 15 days: the earliest closing day
        # 2026-03-15 22:00 UTC is 03-16 06:00 in Shanghai: 15 days there (only 15 in UTC by luck of the notice)
        (datetime(2026, 3, 15, 22, 0, tzinfo=ZoneInfo("UTC")), True),
        (datetime(2026, 3, 15, 15, 59, tzinfo=ZoneInfo("UTC")), False),  # 03-15 23:59 in Shanghai
    ],
    ids=["14-days", "15-days", "15-days-by-shanghai-date", "14-days-by-shanghai-date"],
)
def test_a09_a_vote_closes_at_least_15_calendar_days_after_its_announcement(closes_at, accepted):
    vc = vote_community(buildings=1, units=2)
    draft = draft_vote(vc, opens_at=NOTICE + timedelta(hours=1), closes_at=closes_at)
    if accepted:
        decision = svc.decision_announce(actor=vc.chair, decision=draft, now=NOTICE)
        assert decision.status == Status.ANNOUNCED and decision.announced_at == NOTICE
        return
    with pytest.raises(ValidationError) as refused:
        svc.decision_announce(actor=vc.chair, decision=draft, now=NOTICE)
    assert any("A-09" in m and "2026年3月16日" in m for m in refused.value.messages)
    draft.refresh_from_db()
    assert draft.status == Status.DRAFT and draft.announcement is None
    assert not Elector.objects.filter(decision=draft).exists()


def test_announcing_publishes_the_totals_and_locks_the_questions():
    vc = vote_community(buildings=2, units=3)
    decision = svc.decision_announce(actor=vc.chair, decision=draft_vote(vc, questions=("甲", "乙")))
    assert decision.announcement is not None and decision.announcement.live
    body = str(decision.announcement.body)
    assert "453.00" in body and "记名投票" in body and "甲" in body
    assert actions(decision)[-1] == "owners_decision.announce"
    with pytest.raises(ValidationError) as refused:
        svc.decision_save_draft(
            actor=vc.chair,
            community=vc.community,
            decision=decision,
            title="另一个问题",
            matter="7",
            opens_at=decision.opens_at,
            closes_at=decision.closes_at,
            questions=["丙"],
        )
    assert "A-09" in refused.value.messages[0]
    decision.refresh_from_db()
    assert (decision.title, decision.matter) == ("续聘物业服务企业", "4")
    assert list(decision.questions.values_list("text", flat=True)) == ["甲", "乙"]
    with pytest.raises(ValidationError):
        svc.decision_announce(actor=vc.chair, decision=decision)  # only a draft is announced


def test_only_the_committee_or_community_staff_run_votes():
    vc = vote_community(buildings=1, units=2)
    with pytest.raises(PermissionDenied):
        draft_vote(VoteCommunity(community=vc.community, chair=vc.owners[0], units=vc.units))
    decision = draft_vote(vc)
    with pytest.raises(PermissionDenied):
        svc.decision_announce(actor=vc.owners[0], decision=decision)
    staff = member(vc.community, Role.COMMUNITY_STAFF)
    assert svc.decision_announce(actor=staff, decision=decision).status == Status.ANNOUNCED


# --- ballots -----------------------------------------------------------------------------------------------------


def test_a_second_ballot_by_the_same_owner_is_refused_when_ballots_cannot_change():
    vc = vote_community(buildings=1, units=3)
    decision = open_vote(vc)
    vote(decision, vc.owners[:1])
    with pytest.raises(ValidationError) as refused:
        vote(decision, vc.owners[:1], "reject")
    assert "已经表决" in refused.value.messages[0]
    assert list(Ballot.objects.filter(decision=decision).values_list("choice", "revision")) == [("approve", 1)]


def test_where_the_rules_allow_a_changed_ballot_is_revision_2_and_only_the_latest_counts():
    vc = vote_community(buildings=1, units=3, ballots_changeable=True)
    decision = open_vote(vc, questions=("甲", "乙"))
    vote(decision, vc.owners[:2], "approve")
    vote(decision, vc.owners[:1], "reject")
    rows = list(Ballot.objects.filter(elector__voter__user=vc.owners[0]).values_list("revision", "choice"))
    assert sorted(rows) == [(1, "approve"), (1, "approve"), (2, "reject"), (2, "reject")]
    for count in svc.count_questions(decision):
        assert (count.participating.owners, count.approving.owners, count.rejecting.owners) == (2, 1, 1)
        assert count.participating.area == D("151.00")
    turnout = svc.turnout_of(decision)
    assert turnout.participating.owners == 2 and turnout.by_channel == {"online": 2}
    decision = svc.decision_count(actor=vc.chair, decision=close_now(decision))
    for question in decision.questions.all():
        assert (question.approving_owners, question.rejecting_owners, question.participating_owners) == (1, 1, 2)


def test_the_rules_of_procedure_are_frozen_at_announcement():
    vc = vote_community(buildings=1, units=3, ballots_changeable=False)
    decision = open_vote(vc)
    svc.procedure_rules_set(
        actor=vc.chair,
        community=vc.community,
        include_special_spaces_in_area=True,
        ballots_changeable=True,
        objection_days=7,
    )
    vote(decision, vc.owners[:1])
    with pytest.raises(ValidationError):
        vote(decision, vc.owners[:1], "reject")


@pytest.mark.parametrize("when", ["before_open", "at_close", "after_close"])
def test_ballots_are_accepted_only_while_the_vote_is_open(when):
    vc = vote_community(buildings=1, units=2)
    decision = svc.decision_announce(actor=vc.chair, decision=draft_vote(vc))
    now = {
        "before_open": decision.opens_at - timedelta(seconds=1),
        "at_close": decision.closes_at,
        "after_close": decision.closes_at + timedelta(days=1),
    }[when]
    with pytest.raises(ValidationError) as refused:
        svc.ballot_cast(user=vc.owners[0], decision=decision, answers=answers_for(decision), now=now)
    assert refused.value.messages[0] == ("表决尚未开始。" if when == "before_open" else "表决已截止。")
    assert not Ballot.objects.filter(decision=decision).exists()


def test_a_draft_or_cancelled_vote_takes_no_ballot():
    vc = vote_community(buildings=1, units=2)
    draft = draft_vote(vc)
    with pytest.raises(ValidationError):
        vote(draft, vc.owners[:1])
    decision = open_vote(vc)
    svc.decision_cancel(actor=vc.chair, decision=decision, reason="议题有误")
    with pytest.raises(ValidationError):
        vote(decision, vc.owners[:1])


def test_a_tenant_without_a_written_proxy_is_refused():
    vc = vote_community(buildings=1, units=2)
    decision = open_vote(vc)
    tenant = tenant_of(vc, vc.units[0])
    with pytest.raises(PermissionDenied) as refused:
        vote(decision, [tenant])
    assert "书面委托" in str(refused.value)
    assert not Ballot.objects.filter(decision=decision).exists()


def test_a_member_of_another_community_is_refused():
    vc = vote_community(buildings=1, units=2)
    other = vote_community(buildings=1, units=1)
    decision = open_vote(vc)
    with pytest.raises(PermissionDenied) as refused:
        vote(decision, [other.owners[0]])
    assert "其他小区" in str(refused.value)
    with pytest.raises(PermissionDenied):
        vote(decision, [other.chair])


@pytest.mark.parametrize("case", ["empty", "unknown-question", "missing-question", "bad-choice"])
def test_a_ballot_answers_every_question_of_the_vote_and_nothing_else(case):
    vc = vote_community(buildings=1, units=2)
    decision = open_vote(vc, questions=("甲", "乙"))
    first, second = decision.questions.all()
    answers = {
        "empty": {},
        "unknown-question": {first.pk: "approve", second.pk: "approve", 999999: "approve"},
        "missing-question": {first.pk: "approve"},
        "bad-choice": {first.pk: "approve", second.pk: "yes"},
    }[case]
    with pytest.raises(ValidationError):
        svc.ballot_cast(user=vc.owners[0], decision=decision, answers=answers)
    assert not Ballot.objects.filter(decision=decision).exists()


# --- counting through real ballots (V-03 … V-07, V-24) ----------------------------------------------------------


def test_v06_owners_who_did_not_vote_are_never_participants():
    vc = vote_community(buildings=2, units=3)
    decision = open_vote(vc)
    vote(decision, vc.owners[:2])
    [count] = svc.count_questions(decision)
    assert (count.participating.owners, count.participating.area) == (2, D("151.00"))
    question = counted(vc, decision)
    assert (question.quorate, question.passed) == (False, False)
    assert {(r["stage"], r["measure"]) for r in question.reasons} == {
        ("participation", "area"),
        ("participation", "owners"),
    }


def test_an_abstention_counts_as_taking_part_and_not_as_agreeing():
    vc = vote_community(buildings=2, units=3)
    decision = open_vote(vc)
    vote(decision, vc.owners[:2], "approve")
    vote(decision, vc.owners[2:4], "abstain")
    question = counted(vc, decision)
    assert (question.participating_owners, question.approving_owners, question.abstaining_owners) == (4, 2, 2)
    assert question.quorate is True  # 4 of 6 is exactly 2/3
    assert question.passed is False  # 2 of 4 is exactly half: not more than half


def test_item_7_with_3_of_5_participants_agreeing_is_not_passed_although_a_simple_majority_would_pass():
    """The issue's refusal: an item-7 (rebuilding) vote reported as passed on a simple majority."""
    results = {}
    for matter in ("7", "4"):
        vc = vote_community(buildings=2, units=3)
        decision = open_vote(vc, matter=matter)
        vote(decision, vc.owners[:3], "approve")
        vote(decision, vc.owners[3:5], "reject")
        results[matter] = counted(vc, decision)
    item7, item4 = results["7"], results["4"]
    assert (item7.quorate, item7.passed) == (True, False)
    assert {(r["measure"], r["threshold"]) for r in item7.reasons} == {("area", "3/4"), ("owners", "3/4")}
    assert (item4.quorate, item4.passed) == (True, True)
    sentence = svc.result_sentence(item7.decision, item7)
    assert sentence.endswith("未通过") and "同意 3 人" in sentence


def test_passes_by_headcount_but_fails_by_area():
    vc = vote_community(buildings=2, units=3)
    big = [vc.units[0].pk, vc.units[1].pk]
    Unit.objects.filter(pk__in=big).update(registered_area=D("200.00"))
    decision = open_vote(vc)
    assert decision.total_area == D("702.00")
    vote(decision, vc.owners[:2], "reject")  # the two large flats: 400 m²
    vote(decision, vc.owners[2:], "approve")  # four flats of 75.50: 302 m², 4 of 6 owners
    question = counted(vc, decision)
    assert (question.quorate, question.passed) == (True, False)
    assert question.reasons == [
        {
            "stage": "approval",
            "measure": "area",
            "counted": "302.00",
            "base": "702.00",
            "threshold": "1/2",
            "strict": True,
        }
    ]
    assert (
        svc.reason_sentence(question.reasons[0]) == "同意的专有部分面积（㎡）：302.00，参与表决者为 702.00，须超过 1/2"
    )


BOUNDARIES = [
    # (matter, approving, rejecting, abstaining) of 6 equal owners → (quorate, passed)
    pytest.param("4", 4, 0, 0, (True, True), id="exactly-2/3-participation-is-quorate"),
    pytest.param("4", 3, 0, 0, (False, False), id="half-participation-is-not-quorate"),
    pytest.param("4", 2, 2, 0, (True, False), id="exactly-half-approval-is-not-passed"),
    pytest.param("4", 3, 2, 0, (True, True), id="more-than-half-passes"),
    pytest.param("6", 3, 1, 0, (True, True), id="exactly-3/4-passes-item-6"),
    pytest.param("6", 3, 0, 1, (True, True), id="exactly-3/4-with-an-abstention-passes-item-6"),
    pytest.param("6", 4, 2, 0, (True, False), id="2/3-fails-item-6"),
    pytest.param("8", 5, 1, 0, (True, True), id="5/6-passes-item-8"),
    pytest.param("5", 3, 2, 0, (True, True), id="item-5-using-the-fund-is-a-simple-majority"),
]


@pytest.mark.parametrize(("matter", "yes", "no", "abstain", "expected"), BOUNDARIES)
def test_the_art_278_boundaries_through_real_ballots(matter, yes, no, abstain, expected):
    vc = vote_community(buildings=2, units=3)
    decision = open_vote(vc, matter=matter)
    owners = iter(vc.owners)
    vote(decision, [next(owners) for _ in range(yes)], "approve")
    vote(decision, [next(owners) for _ in range(no)], "reject")
    vote(decision, [next(owners) for _ in range(abstain)], "abstain")
    question = counted(vc, decision)
    assert (question.quorate, question.passed) == expected
    assert question.participating_owners == yes + no + abstain
    assert question.participating_area == D("75.50") * (yes + no + abstain)


@pytest.mark.parametrize(("yes", "no", "passed"), [(3, 0, True), (2, 1, False), (2, 0, False)])
def test_v07_home_to_business_needs_every_owner_of_the_building(yes, no, passed):
    vc = vote_community(buildings=2, units=3)
    building = vc.units[0].entrance.building
    decision = open_vote(vc, matter="home_to_business", scope="building", building=building)
    assert decision.total_owners == 3
    vote(decision, vc.owners[:yes], "approve")
    vote(decision, vc.owners[yes : yes + no], "reject")
    question = counted(vc, decision)
    assert question.passed is passed


def test_v07_home_to_business_is_refused_for_the_whole_community():
    vc = vote_community(buildings=1, units=2)
    with pytest.raises(ValidationError) as refused:
        draft_vote(vc, matter="home_to_business")
    assert "V-07" in refused.value.messages[0]


@pytest.mark.parametrize(
    ("yes", "no", "civil_code", "henan", "passed"),
    [
        (3, 1, True, False, False),  # 3/4 of 4 participants, but 3 of 6 owners < 2/3
        (4, 0, True, True, True),  # 4 of 6 owners = exactly 2/3
        (4, 2, False, True, False),  # 4 of 6 participants < 3/4; Henan met
    ],
)
def test_v24_a_lift_shows_both_results_and_needs_both(yes, no, civil_code, henan, passed):
    vc = vote_community(buildings=1, units=6)
    entrance = vc.units[0].entrance
    decision = open_vote(vc, matter="lift", scope="entrance", entrance=entrance)
    vote(decision, vc.owners[:yes], "approve")
    vote(decision, vc.owners[yes : yes + no], "reject")
    question = counted(vc, decision)
    assert question.passed is passed
    henan_reasons = [r for r in question.reasons if r.get("rule") == "henan_art_59"]
    civil_reasons = [r for r in question.reasons if r.get("rule") != "henan_art_59"]
    assert (not civil_reasons) is civil_code
    assert (not henan_reasons) is henan
    for reason in henan_reasons:
        assert "全体业主人数为 6" in svc.reason_sentence(reason)
    assert "河南" in svc.approval_rule_text("lift") and "第二百七十八条" in svc.approval_rule_text("lift")


def test_v24_a_lift_is_refused_for_the_whole_community():
    vc = vote_community(buildings=1, units=2)
    with pytest.raises(ValidationError) as refused:
        draft_vote(vc, matter="lift")
    assert "V-24" in refused.value.messages[0]


# --- the turnout panel ------------------------------------------------------------------------------------------


def test_turnout_shows_the_2_3_lines_and_when_they_are_reached():
    vc = vote_community(buildings=2, units=3)
    decision = open_vote(vc)
    vote(decision, vc.owners[:3])
    turnout = svc.turnout_of(decision)
    assert (turnout.owners_line, turnout.area_line) == (4, D("302.00"))
    assert (turnout.owners_reached, turnout.area_reached) == (False, False)
    vote(decision, vc.owners[3:4])
    turnout = svc.turnout_of(decision)
    assert (turnout.participating.owners, turnout.participating.area) == (4, D("302.00"))
    assert (turnout.owners_reached, turnout.area_reached) == (True, True)


def _queries(fn) -> int:
    with CaptureQueriesContext(connection) as ctx:
        fn()
    return len(ctx.captured_queries)


@pytest.mark.parametrize("reader", ["count_questions", "turnout_of"])
def test_readers_use_a_fixed_number_of_queries_for_6_or_60_electors(reader, django_assert_max_num_queries):
    used = []
    for buildings, units in ((2, 3), (10, 6)):
        vc = vote_community(buildings=buildings, units=units, ballots_changeable=True)
        decision = open_vote(vc, questions=("甲", "乙", "丙"))
        vote(decision, vc.owners[: 2 * len(vc.owners) // 3])
        vote(decision, vc.owners[:2], "reject")  # revisions too
        decision = OwnersDecision.objects.get(pk=decision.pk)
        used.append(
            _queries(
                lambda d=decision: (
                    list(getattr(svc, reader)(d)) if reader == "count_questions" else getattr(svc, reader)(d)
                )
            )
        )
        with django_assert_max_num_queries(2):
            result = getattr(svc, reader)(decision)
        if reader == "turnout_of":
            assert result.participating.owners == 2 * len(vc.owners) // 3
    assert used[0] == used[1]


# --- paper and assisted ballots (A-10) -------------------------------------------------------------------------


def test_a10_a_paper_ballot_needs_the_scan_of_the_signed_ballot():
    vc = vote_community(buildings=1, units=2)
    decision = open_vote(vc)
    elector = Elector.objects.get(decision=decision, voter__user=vc.owners[0])
    enter = dict(actor=vc.chair, decision=decision, elector=elector, answers=answers_for(decision))
    with pytest.raises(ValidationError) as refused:
        svc.ballot_enter(**enter, channel="paper")
    assert "A-10" in refused.value.messages[0]
    with pytest.raises(ValidationError):
        svc.ballot_enter(**enter, channel="paper", scan=scan("ballot.exe"))
    with pytest.raises(ValidationError):
        svc.ballot_enter(**enter, channel="paper", scan=scan(content=b""))
    with pytest.raises(ValidationError):  # named .pdf, but HTML inside: refused by content, not by name
        svc.ballot_enter(**enter, channel="paper", scan=scan(content=b"<html><script>alert(1)</script>"))
    with pytest.raises(ValidationError):
        svc.ballot_enter(**enter, channel="mail", scan=scan())
    with pytest.raises(PermissionDenied):
        svc.ballot_enter(**{**enter, "actor": vc.owners[1]}, channel="paper", scan=scan())
    assert not Ballot.objects.filter(decision=decision).exists()
    [ballot] = svc.ballot_enter(**enter, channel="paper", scan=scan())
    assert (ballot.channel, ballot.cast_by, ballot.elector) == ("paper", vc.chair, elector)
    assert ballot.scan.name.endswith(".pdf") and ballot.scan.read() == b"%PDF-1.4 signed"
    assert "ballot.enter_paper" in actions(decision)
    # The owner has now voted: his own online ballot is a second ballot.
    with pytest.raises(ValidationError):
        vote(decision, vc.owners[:1])
    assert svc.turnout_of(decision).by_channel == {"paper": 1}


def test_a10_an_assisted_ballot_needs_a_note_of_who_helped_and_how():
    vc = vote_community(buildings=1, units=2)
    decision = open_vote(vc)
    elector = Elector.objects.get(decision=decision, voter__user=vc.owners[1])
    enter = dict(actor=vc.chair, decision=decision, elector=elector, answers=answers_for(decision, "reject"))
    with pytest.raises(ValidationError):
        svc.ballot_enter(**enter, channel="assisted", note="   ")
    [ballot] = svc.ballot_enter(**enter, channel="assisted", note="王主任入户，业主口头确认并按手印")
    assert (ballot.channel, ballot.note, ballot.scan.name) == ("assisted", "王主任入户，业主口头确认并按手印", "")


def test_a10_a_ballot_is_entered_only_for_an_elector_of_this_vote():
    vc = vote_community(buildings=1, units=2)
    decision, other = open_vote(vc), open_vote(vc)
    stranger = Elector.objects.filter(decision=other).first()
    with pytest.raises(ValidationError):
        svc.ballot_enter(
            actor=vc.chair,
            decision=decision,
            elector=stranger,
            answers=answers_for(decision),
            channel="paper",
            scan=scan(),
        )


# --- written proxies (V-22) ------------------------------------------------------------------------------------


def _proxy(vc, decision, owner_index=0, proxy_user=None, uploader=None):
    elector = Elector.objects.get(decision=decision, voter__user=vc.owners[owner_index])
    return svc.proxy_upload(
        actor=uploader or vc.owners[owner_index],
        decision=decision,
        elector=elector,
        proxy_name="租户甲",
        proxy_user=proxy_user,
        document=scan("proxy.jpg", b"\xff\xd8jpeg"),
    )


def test_v22_a_tenant_votes_with_an_accepted_written_proxy_and_the_owner_no_longer_votes_online():
    vc = vote_community(buildings=1, units=2)
    decision = open_vote(vc)
    tenant = tenant_of(vc, vc.units[0])
    proxy = _proxy(vc, decision, proxy_user=tenant)
    assert proxy.status == Proxy.Status.PENDING
    with pytest.raises(PermissionDenied):  # not checked yet
        vote(decision, [tenant])
    assert svc.elector_for(decision, vc.owners[0])[0] is not None  # pending: the owner still votes himself
    svc.proxy_check(actor=vc.chair, proxy=proxy, accept=True)
    elector, via = svc.elector_for(decision, tenant)
    assert elector.voter.user == vc.owners[0] and via == proxy
    assert svc.elector_for(decision, vc.owners[0]) == (None, None)
    with pytest.raises(PermissionDenied):
        vote(decision, vc.owners[:1])
    vote(decision, [tenant])
    ballot = Ballot.objects.get(decision=decision)
    assert (ballot.elector, ballot.proxy, ballot.cast_by) == (elector, proxy, tenant)
    assert actions(proxy) == ["proxy.upload", "proxy.accepted"]


def test_v22_an_owner_who_is_also_a_neighbour_s_proxy_votes_for_both():
    vc = vote_community(buildings=1, units=3)
    decision = open_vote(vc)
    proxy = _proxy(vc, decision, owner_index=1, proxy_user=vc.owners[0])
    svc.proxy_check(actor=vc.chair, proxy=proxy, accept=True)
    own = Elector.objects.get(decision=decision, voter__user=vc.owners[0])
    neighbour = proxy.elector
    assert svc.electors_for(decision, vc.owners[0]) == [(own, None), (neighbour, proxy)]
    assert svc.electors_for(decision, vc.owners[1]) == []  # his proxy votes for him
    other = Elector.objects.get(decision=decision, voter__user=vc.owners[2])
    assert svc.elector_for(decision, vc.owners[0], elector_id=other.pk) == (None, None)
    svc.ballot_cast(user=vc.owners[0], decision=decision, answers=answers_for(decision), elector_id=own.pk)
    svc.ballot_cast(
        user=vc.owners[0], decision=decision, answers=answers_for(decision, "reject"), elector_id=neighbour.pk
    )
    with pytest.raises(PermissionDenied):
        svc.ballot_cast(user=vc.owners[0], decision=decision, answers=answers_for(decision), elector_id=other.pk)
    rows = set(Ballot.objects.filter(decision=decision).values_list("elector_id", "choice", "proxy_id"))
    assert rows == {(own.pk, "approve", None), (neighbour.pk, "reject", proxy.pk)}


def test_v22_the_owner_s_online_ballot_is_refused_when_the_proxy_was_accepted_on_the_way():
    """The writer checks again under the owner's lock (the view looked the owner up before the check)."""
    vc = vote_community(buildings=1, units=2)
    decision = open_vote(vc)
    elector = Elector.objects.get(decision=decision, voter__user=vc.owners[0])
    proxy = _proxy(vc, decision, proxy_user=tenant_of(vc, vc.units[0]))
    svc.proxy_check(actor=vc.chair, proxy=proxy, accept=True)
    with pytest.raises(PermissionDenied):
        svc._write_ballots(
            decision=decision,
            elector=elector,
            chosen=[(q, "approve") for q in decision.questions.all()],
            actor=vc.owners[0],
            channel=Ballot.Channel.ONLINE,
            now=timezone.now(),
        )
    assert not Ballot.objects.filter(decision=decision).exists()


def test_v22_rejecting_needs_a_reason_and_a_proxy_is_checked_once():
    vc = vote_community(buildings=1, units=2)
    decision = open_vote(vc)
    tenant = tenant_of(vc, vc.units[0])
    proxy = _proxy(vc, decision, proxy_user=tenant)
    with pytest.raises(PermissionDenied):
        svc.proxy_check(actor=vc.owners[1], proxy=proxy, accept=True)
    with pytest.raises(ValidationError):
        svc.proxy_check(actor=vc.chair, proxy=proxy, accept=False, note=" ")
    svc.proxy_check(actor=vc.chair, proxy=proxy, accept=False, note="签名与备案不符")
    with pytest.raises(ValidationError) as refused:
        svc.proxy_check(actor=vc.chair, proxy=proxy, accept=True)
    assert refused.value.messages[0] == "该书面委托已经核验。"
    assert Proxy.objects.get(pk=proxy.pk).status == Proxy.Status.REJECTED
    with pytest.raises(PermissionDenied):
        vote(decision, [tenant])


def test_v22_a_second_proxy_of_the_same_owner_cannot_also_be_accepted():
    vc = vote_community(buildings=1, units=2)
    decision = open_vote(vc)
    first = _proxy(vc, decision, proxy_user=tenant_of(vc, vc.units[0]))
    second = _proxy(vc, decision, uploader=vc.chair)
    svc.proxy_check(actor=vc.chair, proxy=first, accept=True)
    with pytest.raises(ValidationError) as refused:
        svc.proxy_check(actor=vc.chair, proxy=second, accept=True)
    assert refused.value.messages[0] == "该业主已有另一份书面委托被确认。"
    assert Proxy.objects.get(pk=second.pk).status == Proxy.Status.PENDING
    with pytest.raises(ValidationError):
        svc.proxy_check(actor=vc.chair, proxy=first, accept=True)  # double accept of the same letter


def test_v22_a_proxy_is_not_accepted_once_the_owner_has_voted_or_the_vote_is_counted():
    vc = vote_community(buildings=1, units=3)
    decision = open_vote(vc)
    proxy = _proxy(vc, decision, proxy_user=tenant_of(vc, vc.units[0]))
    late = _proxy(vc, decision, owner_index=1)
    vote(decision, vc.owners[:1])
    with pytest.raises(ValidationError) as refused:
        svc.proxy_check(actor=vc.chair, proxy=proxy, accept=True)
    assert "已经表决" in refused.value.messages[0]
    vote(decision, vc.owners[2:3])
    vote(decision, vc.owners[1:2])
    svc.decision_count(actor=vc.chair, decision=close_now(decision))
    with pytest.raises(ValidationError):
        svc.proxy_check(actor=vc.chair, proxy=late, accept=True)
    with pytest.raises(ValidationError):
        _proxy(vc, decision, owner_index=2)


def test_v22_uploading_needs_the_letter_and_the_owner_the_proxy_or_the_committee():
    vc = vote_community(buildings=1, units=2)
    decision = open_vote(vc)
    elector = Elector.objects.get(decision=decision, voter__user=vc.owners[0])
    base = dict(decision=decision, elector=elector, proxy_name="张三")
    with pytest.raises(PermissionDenied):
        svc.proxy_upload(actor=vc.owners[1], document=scan(), **base)
    with pytest.raises(ValidationError):
        svc.proxy_upload(actor=vc.owners[0], document=None, **base)
    with pytest.raises(ValidationError):
        svc.proxy_upload(actor=vc.owners[0], document=scan(), **{**base, "proxy_name": ""})
    assert not Proxy.objects.exists()


def test_v22_a_paper_ballot_by_an_accepted_proxy_is_marked_with_the_proxy():
    vc = vote_community(buildings=1, units=2)
    decision = open_vote(vc)
    proxy = _proxy(vc, decision)
    elector = proxy.elector
    enter = dict(actor=vc.chair, decision=decision, elector=elector, answers=answers_for(decision), channel="paper")
    with pytest.raises(ValidationError):
        svc.ballot_enter(**enter, scan=scan(), proxy=proxy)  # still pending
    svc.proxy_check(actor=vc.chair, proxy=proxy, accept=True)
    [ballot] = svc.ballot_enter(**enter, scan=scan(), proxy=proxy)
    assert ballot.proxy == proxy


# --- objections and the final result (A-12) ---------------------------------------------------------------------


def test_objections_only_by_electors_during_the_period_and_finalize_waits_for_period_and_answers():
    vc = vote_community(buildings=2, units=3)
    decision = open_vote(vc)
    vote(decision, vc.owners[:5])
    with pytest.raises(ValidationError):  # not counted yet
        svc.objection_file(user=vc.owners[0], decision=decision, text="计票有误")
    decision = svc.decision_count(actor=vc.chair, decision=close_now(decision))
    assert decision.status == Status.PRELIMINARY and decision.preliminary_notice is not None
    assert decision.objection_deadline == decision.counted_at + timedelta(days=7)
    assert svc.final_notice_due(decision) == decision.objection_deadline + timedelta(days=3)
    # Only owners of the electorate object; not a tenant, not another community, not empty.
    tenant = tenant_of(vc, vc.units[0])
    with pytest.raises(PermissionDenied):
        svc.objection_file(user=tenant, decision=decision, text="我反对")
    with pytest.raises(PermissionDenied):
        svc.objection_file(user=vote_community(buildings=1, units=1).owners[0], decision=decision, text="我反对")
    with pytest.raises(ValidationError):
        svc.objection_file(user=vc.owners[0], decision=decision, text="  ")
    objection = svc.objection_file(user=vc.owners[5], decision=decision, text="我家的纸质表决票没有录入")
    with pytest.raises(ValidationError):
        svc.objection_file(
            user=vc.owners[0], decision=decision, text="晚了", now=decision.objection_deadline + timedelta(seconds=1)
        )
    # Finalize: not during the period, not with an unanswered objection.
    during = decision.objection_deadline - timedelta(hours=1)
    after = decision.objection_deadline + timedelta(hours=1)
    assert len(svc.finalize_problems(decision, during)) == 2
    with pytest.raises(ValidationError) as refused:
        svc.decision_finalize(actor=vc.chair, decision=decision, now=after)
    assert "1 条异议" in refused.value.messages[0]
    with pytest.raises(PermissionDenied):
        svc.objection_answer(actor=vc.owners[0], objection=objection, answer="自己答复")
    svc.objection_answer(actor=vc.chair, objection=objection, answer="已核对，录入无误")
    with pytest.raises(ValidationError):
        svc.objection_answer(actor=vc.chair, objection=objection, answer="再答一次")
    assert Objection.objects.get(pk=objection.pk).answer == "已核对，录入无误"
    with pytest.raises(ValidationError) as refused:
        svc.decision_finalize(actor=vc.chair, decision=decision, now=during)
    assert "异议期" in refused.value.messages[0]
    assert not svc.final_notice_overdue(decision, now=after)
    assert svc.final_notice_overdue(decision, now=decision.objection_deadline + timedelta(days=3, seconds=1))
    decision = svc.decision_finalize(actor=vc.chair, decision=decision, now=after)
    assert decision.status == Status.FINAL and decision.final_notice is not None
    assert "最终结果" in decision.final_notice.title
    assert not svc.final_notice_overdue(decision, now=after + timedelta(days=30))
    with pytest.raises(ValidationError):
        svc.decision_finalize(actor=vc.chair, decision=decision, now=after)
    assert [a for a in actions(decision) if a.startswith("owners_decision")] == [
        "owners_decision.draft",
        "owners_decision.announce",
        "owners_decision.count",
        "owners_decision.finalize",
    ]
    assert actions(objection) == ["objection.file", "objection.answer"]


def test_an_owner_who_gave_a_written_proxy_may_still_object():
    vc = vote_community(buildings=1, units=3)
    decision = open_vote(vc)
    proxy = _proxy(vc, decision, proxy_user=tenant_of(vc, vc.units[0]))
    svc.proxy_check(actor=vc.chair, proxy=proxy, accept=True)
    decision = svc.decision_count(actor=vc.chair, decision=close_now(decision))
    objection = svc.objection_file(user=vc.owners[0], decision=decision, text="受托人未按我的意思表决")
    assert objection.filed_by == vc.owners[0]


def test_a_vote_is_counted_only_after_it_closes_and_only_once():
    vc = vote_community(buildings=1, units=2)
    decision = open_vote(vc)
    with pytest.raises(ValidationError):
        svc.decision_count(actor=vc.chair, decision=decision)
    with pytest.raises(PermissionDenied):
        svc.decision_count(actor=vc.owners[0], decision=close_now(decision))
    svc.decision_count(actor=vc.chair, decision=decision)
    with pytest.raises(ValidationError):
        svc.decision_count(actor=vc.chair, decision=decision)


# --- cancelling ---------------------------------------------------------------------------------------------


def test_cancelling_needs_a_reason_and_is_refused_once_counted():
    vc = vote_community(buildings=1, units=2)
    draft = draft_vote(vc)
    with pytest.raises(ValidationError):
        svc.decision_cancel(actor=vc.chair, decision=draft, reason=" ")
    with pytest.raises(PermissionDenied):
        svc.decision_cancel(actor=vc.owners[0], decision=draft, reason="不想表决")
    assert svc.decision_cancel(actor=vc.chair, decision=draft, reason="议题重复").status == Status.CANCELLED
    decision = open_vote(vc)
    vote(decision, vc.owners[:1])
    cancelled = svc.decision_cancel(actor=vc.chair, decision=decision, reason="发现议题有误")
    assert cancelled.status == Status.CANCELLED
    assert Ballot.objects.filter(decision=decision).count() == 1  # ballots stay on record
    assert AuditEntry.objects.get(action="owners_decision.cancel", target_id=str(decision.pk)).note == "发现议题有误"
    counted_vote = open_vote(vc)
    svc.decision_count(actor=vc.chair, decision=close_now(counted_vote))
    with pytest.raises(ValidationError) as refused:
        svc.decision_cancel(actor=vc.chair, decision=counted_vote, reason="太晚了")
    assert refused.value.messages[0] == "已计票的表决不能取消。"


# --- append-only records and the audit log -----------------------------------------------------------------------


def test_ballots_proxies_and_objections_are_append_only():
    vc = vote_community(buildings=1, units=3)
    decision = open_vote(vc)
    proxy = _proxy(vc, decision, owner_index=2)
    vote(decision, vc.owners[:2])
    ballot = Ballot.objects.filter(decision=decision).first()
    decision = svc.decision_count(actor=vc.chair, decision=close_now(decision))
    objection = svc.objection_file(user=vc.owners[0], decision=decision, text="异议")
    for record, field, value in (
        (ballot, "choice", "reject"),
        (proxy, "status", "accepted"),
        (objection, "text", "改过的异议"),
        (Elector.objects.filter(decision=decision).first(), "area", D("1.00")),
    ):
        setattr(record, field, value)
        with pytest.raises(PermissionDenied):
            record.save()
        with pytest.raises(PermissionDenied):
            record.delete()
        assert getattr(type(record).objects.get(pk=record.pk), field) != value
    assert Ballot.objects.filter(decision=decision).count() == 2


def test_every_ballot_writes_an_audit_entry_without_the_choice_of_a_secret_ballot():
    vc = vote_community(buildings=1, units=2)
    decision = open_vote(vc, is_secret=True)
    vote(decision, vc.owners[:1], "reject")
    entry = AuditEntry.objects.get(action="ballot.cast", target_id=str(decision.pk))
    assert entry.actor == vc.owners[0]
    assert "reject" not in str(entry.after) and "reject" not in entry.note


@pytest.mark.parametrize("days", [0, 31, "", None, "七"])
def test_the_objection_period_is_between_1_and_30_days(days):
    vc = vote_community(buildings=1, units=1)
    with pytest.raises(ValidationError) as refused:
        svc.procedure_rules_set(
            actor=vc.chair,
            community=vc.community,
            include_special_spaces_in_area=False,
            ballots_changeable=False,
            objection_days=days,
        )
    assert refused.value.messages[0] == "异议期须在 1 至 30 天之间。"
    assert svc.rules_of(vc.community).objection_days == 7


def test_the_objection_period_of_the_rules_sets_the_deadline_at_the_count():
    vc = vote_community(buildings=1, units=2)
    svc.procedure_rules_set(
        actor=vc.chair,
        community=vc.community,
        include_special_spaces_in_area=False,
        ballots_changeable=False,
        objection_days="10",
    )
    decision = svc.decision_count(actor=vc.chair, decision=close_now(open_vote(vc)))
    assert decision.objection_deadline == decision.counted_at + timedelta(days=10)
    assert AuditEntry.objects.filter(action="procedure_rules.set", community=vc.community).count() == 2


def test_announcing_notifies_every_owner_with_an_account_once_after_the_commit(django_capture_on_commit_callbacks):
    from home.models import Notification

    vc = vote_community(buildings=2, units=3)
    draft = draft_vote(vc)
    with django_capture_on_commit_callbacks(execute=True):
        decision = svc.decision_announce(actor=vc.chair, decision=draft)
    notes = Notification.objects.filter(title="业主共同决定：续聘物业服务企业")
    assert sorted(n.recipient_id for n in notes) == sorted(u.pk for u in vc.owners)
    assert all(n.url.endswith(f"/{decision.pk}/") or str(decision.pk) in n.url for n in notes)


def test_without_changeable_ballots_every_ballot_is_current():
    vc = vote_community(buildings=1, units=3)
    decision = open_vote(vc)
    vote(decision, vc.owners[:2])
    assert svc.current_ballots(decision).count() == 2
    changeable = vote_community(buildings=1, units=2, ballots_changeable=True)
    other = open_vote(changeable)
    vote(other, changeable.owners[:1])
    vote(other, changeable.owners[:1], "reject")
    assert list(svc.current_ballots(other).values_list("revision", "choice")) == [(2, "reject")]
