"""Willingness survey pages (R-07): each URL for the right role, the Chinese 403 for another community's members,
the household's answer form, the door-to-door form, the export, and query counts flat in the buildings."""

import io
from datetime import timedelta

import openpyxl
import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from governance.models import HouseholdContact, WillingnessSurvey
from governance.services import surveys as svc
from tests.governance.decision_helpers import draft_vote
from tests.governance.survey_helpers import answer, buildings_of, draft_survey, open_survey, survey_community

pytestmark = pytest.mark.django_db

FORBIDDEN = "仅限本小区居民"


def text_of(response) -> str:
    return response.content.decode()


@pytest.fixture
def world():
    vc = survey_community(buildings=2, units=2)
    other = survey_community(buildings=1, units=1)
    survey = open_survey(vc)
    return vc, other, survey


def _urls(survey, building, household):
    community_id = survey.community_id
    return {
        "list": reverse("governance:survey_list", args=[community_id]),
        "new": reverse("governance:survey_new", args=[community_id]),
        "detail": reverse("governance:survey_detail", args=[survey.pk]),
        "progress": reverse("governance:survey_progress", args=[survey.pk]),
        "households": reverse("governance:survey_households", args=[survey.pk, building.pk]),
        "contact": reverse("governance:household_contact", args=[survey.pk, household.pk]),
        "export": reverse("governance:survey_export", args=[survey.pk]),
    }


def test_residents_read_the_survey_and_answer_for_their_household(client, world):
    vc, _other, survey = world
    client.force_login(vc.owners[0])
    for name in ("list", "detail"):
        url = _urls(survey, buildings_of(vc)[0], survey.households.first())[name]
        assert client.get(url).status_code == 200
    page = text_of(client.get(svc.survey_url(survey)))
    assert "80%" in page and "<fieldset" in page and 'type="radio"' in page and "<progress" in page
    response = client.post(
        reverse("governance:survey_answer", args=[survey.pk]), {"plan_answer": "agree", "model_answer": "disagree"}
    )
    assert response.status_code == 302
    household = survey.households.get(unit=vc.units[0])
    assert (household.plan_answer, household.model_answer) == ("agree", "disagree")
    half = client.post(reverse("governance:survey_answer", args=[survey.pk]), {"plan_answer": "agree"})
    assert half.status_code == 400


def test_residents_do_not_run_the_survey(client, world):
    vc, _other, survey = world
    urls = _urls(survey, buildings_of(vc)[0], survey.households.first())
    client.force_login(vc.owners[0])
    for name in ("new", "progress", "households", "contact", "export"):
        response = client.get(urls[name])
        assert response.status_code == 403, name
        assert FORBIDDEN in text_of(response)
    for name in ("survey_open", "survey_close", "survey_edit"):
        assert client.post(reverse(f"governance:{name}", args=[survey.pk])).status_code == 403


def test_another_communitys_members_get_the_chinese_403_on_every_url(client, world):
    vc, other, survey = world
    urls = _urls(survey, buildings_of(vc)[0], survey.households.first())
    for user in (other.owners[0], other.chair, other.staff):
        client.force_login(user)
        for name, url in urls.items():
            response = client.get(url)
            assert response.status_code == 403, (user, name)
            assert FORBIDDEN in text_of(response)
            assert survey.plan_summary not in text_of(response)
        post_urls = [
            reverse("governance:survey_answer", args=[survey.pk]),
            reverse("governance:survey_open", args=[survey.pk]),
            reverse("governance:survey_close", args=[survey.pk]),
            reverse("governance:survey_edit", args=[survey.pk]),
            reverse("governance:survey_link_fund", args=[survey.pk]),
            urls["contact"],
        ]
        for url in post_urls:
            assert (
                client.post(url, {"plan_answer": "agree", "model_answer": "agree", "outcome": "contacted"}).status_code
                == 403
            )
    assert HouseholdContact.objects.count() == 0


def test_anonymous_visitors_are_sent_to_log_in(client, world):
    _vc, _other, survey = world
    response = client.get(svc.survey_url(survey))
    assert response.status_code == 302 and "login" in response["Location"]


def test_the_committee_drafts_edits_and_opens(client, world):
    vc, _other, _survey = world
    client.force_login(vc.chair)
    today = timezone.localdate()
    first = buildings_of(vc)[0]
    response = client.post(
        reverse("governance:survey_new", args=[vc.community.pk]),
        {
            "title": "1号楼改造意愿征询",
            "plan_summary": "屋面防水、楼道照明",
            "management_model": "社区托管",
            "buildings": [first.pk],
            "opens_on": today.isoformat(),
            "closes_on": (today + timedelta(days=7)).isoformat(),
        },
    )
    assert response.status_code == 302
    draft = WillingnessSurvey.objects.get(title="1号楼改造意愿征询")
    assert list(draft.buildings.all()) == [first]
    # Residents do not see drafts.
    client.force_login(vc.owners[0])
    assert client.get(svc.survey_url(draft)).status_code == 403
    assert "1号楼改造意愿征询" not in text_of(client.get(reverse("governance:survey_list", args=[vc.community.pk])))
    client.force_login(vc.chair)
    assert client.get(reverse("governance:survey_edit", args=[draft.pk])).status_code == 200
    bad = client.post(
        reverse("governance:survey_edit", args=[draft.pk]),
        {
            "title": "1号楼改造意愿征询",
            "plan_summary": "屋面防水",
            "management_model": "社区托管",
            "opens_on": today.isoformat(),
            "closes_on": (today - timedelta(days=1)).isoformat(),
        },
    )
    assert bad.status_code == 400
    assert client.post(reverse("governance:survey_open", args=[draft.pk])).status_code == 302
    draft.refresh_from_db()
    assert draft.status == WillingnessSurvey.Status.OPEN and draft.total_households == 2
    # After opening, the edit page sends back to the survey.
    assert client.get(reverse("governance:survey_edit", args=[draft.pk])).status_code == 302


def test_closing_before_the_date_is_refused_with_a_message(client, world):
    vc, _other, survey = world
    client.force_login(vc.staff)
    response = client.post(reverse("governance:survey_close", args=[survey.pk]), follow=True)
    assert response.status_code == 200
    survey.refresh_from_db()
    assert survey.status == WillingnessSurvey.Status.OPEN


def test_closed_survey_shows_both_results(client, world):
    vc, _other, survey = world
    for i in range(4):
        answer(vc, survey, i, "agree", "agree" if i < 3 else "disagree")
    WillingnessSurvey.objects.filter(pk=survey.pk).update(closes_on=timezone.localdate())
    client.force_login(vc.chair)
    assert client.post(reverse("governance:survey_close", args=[survey.pk])).status_code == 302
    client.force_login(vc.owners[0])
    page = text_of(client.get(svc.survey_url(survey)))
    assert "<fieldset" not in page
    assert "4" in page and "3" in page


def test_staff_record_visits_and_export_the_log(client, world):
    vc, _other, survey = world
    household = survey.households.order_by("pk").first()
    urls = _urls(survey, household.building, household)
    client.force_login(vc.staff)
    for name in ("progress", "households", "contact"):
        assert client.get(urls[name]).status_code == 200, name
    refused = client.post(urls["contact"], {"outcome": "refused", "reason": ""})
    assert refused.status_code == 400 and household.contacts.count() == 0
    done = client.post(urls["contact"], {"outcome": "paper_form", "plan_answer": "agree", "model_answer": "agree"})
    assert done.status_code == 302
    household.refresh_from_db()
    assert household.plan_answer == "agree" and household.last_outcome == "paper_form"
    listing = text_of(client.get(urls["households"]))
    assert household.unit.label in listing and "业主0" not in listing
    assert household.unit.label not in text_of(client.get(urls["households"] + "?show=no_answer"))
    export = client.get(urls["export"])
    assert export.status_code == 200
    sheet = openpyxl.load_workbook(io.BytesIO(export.content)).worksheets[0]
    assert sheet.max_row == 2


def test_a_building_of_another_community_is_not_found(client, world):
    vc, other, survey = world
    client.force_login(vc.staff)
    url = reverse("governance:survey_households", args=[survey.pk, buildings_of(other)[0].pk])
    assert client.get(url).status_code == 404


def _queries(client, url) -> int:
    with CaptureQueriesContext(connection) as captured:
        assert client.get(url).status_code == 200
    return len(captured)


@pytest.mark.parametrize("buildings", [1, 4])
def test_progress_page_and_household_list_queries_do_not_grow(client, buildings, django_assert_max_num_queries):
    vc = survey_community(buildings=buildings, units=3)
    survey = open_survey(vc)
    for i in range(len(vc.owners)):
        answer(vc, survey, i, "agree" if i % 2 else "disagree")
    household = survey.households.first()
    svc.record_contact(actor=vc.staff, household=household, outcome="refused", reason="暂不表态")
    client.force_login(vc.staff)
    urls = _urls(survey, household.building, household)
    client.get(urls["progress"])  # warm the per-user caches
    # The site frame (session, user, roles, breadcrumb, notifications badge) takes about ten of these.
    with django_assert_max_num_queries(15):
        assert client.get(urls["progress"]).status_code == 200
    with django_assert_max_num_queries(15):
        assert client.get(urls["households"]).status_code == 200
    with django_assert_max_num_queries(18):
        assert client.get(urls["detail"]).status_code == 200


def test_query_counts_equal_for_one_and_many_buildings(client):
    counts = []
    for buildings in (1, 5):
        vc = survey_community(buildings=buildings, units=2)
        survey = open_survey(vc)
        household = survey.households.first()
        client.force_login(vc.staff)
        urls = _urls(survey, household.building, household)
        client.get(urls["progress"])
        counts.append((_queries(client, urls["progress"]), _queries(client, urls["households"])))
    assert counts[0] == counts[1]


def test_draft_survey_page_for_the_committee(client, world):
    vc, _other, _survey = world
    draft = draft_survey(vc, title="草稿征询")
    client.force_login(vc.staff)
    page = text_of(client.get(svc.survey_url(draft)))
    assert reverse("governance:survey_open", args=[draft.pk]) in page


def test_the_committee_links_the_item_6_vote_after_opening(client):
    vc = survey_community(units=2)
    survey = open_survey(vc, raises_maintenance_fund=True)
    fund_vote = draft_vote(vc, matter="6", questions=("同意续筹专项维修资金",))
    other_matter = draft_vote(vc, matter="4")
    url = reverse("governance:survey_link_fund", args=[survey.pk])
    client.force_login(vc.owners[0])
    assert client.post(url, {"fund_decision": fund_vote.pk}).status_code == 403
    client.force_login(vc.chair)
    page = text_of(client.get(svc.survey_url(survey)))
    assert url in page and "第二百七十八条" in page
    assert client.post(url, {"fund_decision": other_matter.pk}).status_code == 302
    survey.refresh_from_db()
    assert survey.fund_decision is None
    assert client.post(url, {"fund_decision": fund_vote.pk}).status_code == 302
    survey.refresh_from_db()
    assert survey.fund_decision == fund_vote
