"""End-to-end through the writers: announce, vote, count (the detailed cases live in the other decision tests)."""

from decimal import Decimal

import pytest
from django.urls import reverse

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


def test_the_vote_page_links_the_committee_s_records_only_for_the_committee(client):
    vc = vote_community(buildings=1, units=2)
    decision = open_vote(vc)
    register = reverse("governance:ballot_register", args=[decision.pk])
    paper = reverse("governance:ballot_paper_entry", args=[decision.pk])
    page = reverse("governance:decision_detail", args=[decision.pk])
    client.force_login(vc.chair)
    html = client.get(page).content.decode()
    assert register in html and paper in html
    client.force_login(vc.owners[0])
    html = client.get(page).content.decode()
    assert register not in html and paper not in html
    assert reverse("governance:proxy_upload", args=[decision.pk]) in html


def test_the_community_card_links_the_willingness_surveys(client):
    vc = vote_community(buildings=1, units=1)
    client.force_login(vc.owners[0])
    html = client.get(vc.community.url).content.decode()
    assert reverse("governance:survey_list", args=[vc.community.pk]) in html
