"""The demo owners' votes of `manage.py seed_demo` (portal.management.demo_decisions).

Like tests/portal/test_seed.py, the command runs twice once for the whole module inside a transaction rolled
back at the end; the tests read the seeded city.
"""

import io
import re
from datetime import timedelta
from decimal import Decimal

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.db import transaction
from django.utils import timezone

from governance.models import Ballot, Elector, Objection, OwnersDecision, ProcedureRules
from governance.services import decisions as svc
from home.models import CommunityPage
from portal.management.demo_decisions import FUND_VOTE, LOCKER_VOTE, PROPERTY_VOTE

Status = OwnersDecision.Status
User = get_user_model()


def _counts() -> dict[str, int]:
    return {
        model.__name__: model.objects.count() for model in (OwnersDecision, Elector, Ballot, Objection, ProcedureRules)
    }


@pytest.fixture(scope="module")
def seeded(django_db_setup, django_db_blocker):
    with django_db_blocker.unblock(), transaction.atomic():
        runs = []
        for _ in range(2):
            out = io.StringIO()
            call_command("seed_demo", stdout=out)
            runs.append({"counts": _counts(), "output": out.getvalue()})
        yield runs
        transaction.set_rollback(True)


@pytest.fixture(autouse=True)
def _seeded_city(seeded, db):
    """Every test reads the seeded city; its own changes are rolled back after it."""


def _vote(slug: str, title: str) -> OwnersDecision:
    return OwnersDecision.objects.get(community__slug=slug, title=title)


def test_second_run_adds_no_vote_and_no_ballot(seeded):
    first, second = seeded
    assert first["counts"] == second["counts"]
    assert first["counts"]["OwnersDecision"] == 4  # three here, one more from the property-management demo
    assert "本次新增 0 位业主的表决票" in second["output"]


def test_every_demo_community_has_its_rules_of_procedure_v20():
    rules = {r.community.slug: r for r in ProcedureRules.objects.select_related("community")}
    assert set(rules) == set(CommunityPage.objects.values_list("slug", flat=True))
    assert {slug for slug, r in rules.items() if r.include_special_spaces_in_area} == {"xinhua-yuan"}
    assert not any(r.ballots_changeable for r in rules.values())


def test_property_company_vote_passed_and_is_final_with_both_notices_and_an_answered_objection():
    decision = _vote("xiangyang-xincun", PROPERTY_VOTE.title)
    assert decision.status == Status.FINAL and decision.matter == "4"
    assert decision.announcement and decision.preliminary_notice and decision.final_notice
    # announced at least 15 days before the close; A-12: final within 3 days of the objection period.
    assert decision.closes_at - decision.announced_at >= timedelta(days=15)
    assert decision.objection_deadline <= decision.finalized_at <= svc.final_notice_due(decision)
    assert decision.finalized_at < timezone.now()
    question = decision.questions.get()
    assert question.quorate and question.passed
    # About 3/4 of the owners and of the area took part, about 4/5 of them agreed.
    assert 0.70 <= question.participating_owners / decision.total_owners <= 0.80
    assert Decimal("0.70") <= question.participating_area / decision.total_area <= Decimal("0.80")
    assert 0.75 <= question.approving_owners / question.participating_owners <= 0.88
    objection = decision.objections.get()
    assert objection.filed_by.username == "owner" and objection.answered_at is not None
    assert decision.counted_at <= objection.filed_at < decision.objection_deadline


def test_fund_vote_passes_by_owners_but_fails_by_area_v04():
    decision = _vote("xinhua-yuan", FUND_VOTE.title)
    assert decision.status in (Status.PRELIMINARY, Status.FINAL) and decision.matter == "6"
    assert decision.include_special_spaces_in_area
    question = decision.questions.get()
    assert question.quorate and not question.passed
    # Item 6 needs 3/4 of the participating owners and of the participating area (V-04: both).
    assert 4 * question.approving_owners >= 3 * question.participating_owners
    assert 4 * question.approving_area < 3 * question.participating_area
    assert [r["measure"] for r in question.reasons] == ["area"]


def test_open_vote_is_running_with_about_two_fifths_voted_and_the_demo_owner_not_yet():
    decision = _vote("xiangyang-xincun", LOCKER_VOTE.title)
    now = timezone.now()
    assert decision.status == Status.ANNOUNCED and decision.matter == "8"
    assert decision.announced_at < decision.opens_at < now < decision.closes_at
    assert decision.closes_at - decision.announced_at >= timedelta(days=15)
    assert timedelta(days=9) < decision.closes_at - now < timedelta(days=11)
    turnout = svc.turnout_of(decision)
    assert 0.33 <= turnout.participating.owners / decision.total_owners <= 0.47
    assert not turnout.owners_reached
    assert not decision.ballots.filter(cast_at__gte=now).exists()
    owner = User.objects.get(username="owner")
    elector, proxy = svc.elector_for(decision, owner)
    assert elector is not None and proxy is None
    assert not elector.ballots.exists()


def test_the_demo_owner_can_cast_her_ballot_in_the_open_vote():
    decision = _vote("xiangyang-xincun", LOCKER_VOTE.title)
    owner = User.objects.get(username="owner")
    before = svc.turnout_of(decision).participating.owners
    svc.ballot_cast(user=owner, decision=decision, answers={q.pk: "approve" for q in decision.questions.all()})
    assert svc.turnout_of(decision).participating.owners == before + 1


def test_accounts_vote_online_and_the_others_are_entered_with_a_note_a10():
    ballots = Ballot.objects.filter(decision__community__slug__in=["xiangyang-xincun", "xinhua-yuan"])
    assert set(ballots.values_list("channel", flat=True)) == {Ballot.Channel.ONLINE, Ballot.Channel.ASSISTED}
    online = ballots.filter(channel=Ballot.Channel.ONLINE).select_related("elector__voter", "cast_by")
    assert online.exists() and all(b.elector.voter.user_id == b.cast_by_id for b in online)
    assisted = ballots.filter(channel=Ballot.Channel.ASSISTED)
    assert not assisted.filter(note="").exists()
    # Demos seeded after the votes give accounts to people the staff had assisted, who had none when the ballot was
    # entered: the renovation demo each committee chair (`<slug>-yeweihui`), the renovation and repair demos more
    # residents (`<slug>-jumin5` onwards; the 议事厅 demo's `-jumin1`…`-jumin4` exist before the votes).
    later = re.compile(r"-(yeweihui|jumin([5-9]|\d{2,}))$")
    usernames = assisted.filter(elector__voter__user__isnull=False).values_list(
        "elector__voter__user__username", flat=True
    )
    assert all(later.search(name) for name in usernames), sorted(usernames)
    # Ballots lie inside their vote's voting period.
    for decision in OwnersDecision.objects.all():
        times = decision.ballots.values_list("cast_at", flat=True)
        assert all(decision.opens_at <= t < decision.closes_at for t in times)
