"""End-to-end through the writers: announce, vote, count (the detailed cases live in the other decision tests)."""

from decimal import Decimal

import pytest

from governance.models import OwnersDecision
from governance.services import decisions as svc
from tests.governance.decision_helpers import answers_for, close_now, open_vote, vote_community

pytestmark = pytest.mark.django_db


def test_a_vote_runs_from_announcement_to_final_result():
    vc = vote_community(buildings=2, units=3)
    decision = open_vote(vc)
    assert decision.total_owners == 6
    assert decision.total_area == Decimal("453.00")
    assert decision.announcement is not None
    for owner in vc.owners[:4]:
        svc.ballot_cast(user=owner, decision=decision, answers=answers_for(decision))
    svc.ballot_cast(user=vc.owners[4], decision=decision, answers=answers_for(decision, "reject"))
    turnout = svc.turnout_of(decision)
    assert turnout.participating.owners == 5 and turnout.owners_reached and turnout.area_reached
    decision = svc.decision_count(actor=vc.chair, decision=close_now(decision))
    question = decision.questions.get()
    assert (question.participating_owners, question.approving_owners, question.rejecting_owners) == (5, 4, 1)
    assert question.quorate and question.passed
    assert decision.status == OwnersDecision.Status.PRELIMINARY
    assert decision.preliminary_notice is not None
