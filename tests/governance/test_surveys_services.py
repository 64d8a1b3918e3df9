"""Willingness surveys (改造意愿征询, R-07) through their writers: drafting, opening, online answers, the
door-to-door log, closing with a frozen result, both gates, progress by building, and the demo seed."""

import io
from datetime import timedelta

import openpyxl
import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from governance.models import HouseholdContact, NoticePage, OwnersDecision, SurveyHousehold, WillingnessSurvey
from governance.services import surveys as svc
from home.models import AuditEntry, CommunityRole, Notification, Residency, Unit
from tests.factories import PersonFactory, UserFactory, community_with_units, member
from tests.governance.decision_helpers import draft_vote
from tests.governance.survey_helpers import (
    answer,
    buildings_of,
    close_day,
    draft_survey,
    moment,
    open_survey,
    survey_community,
)

Role = CommunityRole.Role
Outcome = HouseholdContact.Outcome

pytestmark = pytest.mark.django_db


# --- drafting --------------------------------------------------------------------------------------------------


def test_draft_by_committee_or_staff_only():
    vc = survey_community()
    survey = draft_survey(vc, actor=vc.staff)
    assert survey.status == WillingnessSurvey.Status.DRAFT
    assert AuditEntry.objects.filter(action="willingness_survey.draft", target_id=str(survey.pk)).exists()
    with pytest.raises(PermissionDenied):
        draft_survey(vc, actor=vc.owners[0])


def test_draft_refuses_the_committee_of_another_community():
    vc, other = survey_community(), survey_community()
    with pytest.raises(PermissionDenied):
        draft_survey(vc, actor=other.chair)


def test_draft_refuses_buildings_of_another_community():
    vc, other = survey_community(), survey_community()
    with pytest.raises(ValidationError) as refused:
        draft_survey(vc, buildings=buildings_of(other))
    assert "buildings" in refused.value.error_dict


def test_draft_refuses_closing_before_opening():
    vc = survey_community()
    today = timezone.localdate()
    with pytest.raises(ValidationError) as refused:
        draft_survey(vc, opens_on=today, closes_on=today - timedelta(days=1))
    assert "closes_on" in refused.value.error_dict


def test_editing_after_opening_is_refused():
    vc = survey_community()
    survey = open_survey(vc)
    with pytest.raises(ValidationError):
        draft_survey(vc, survey=survey, title="改了标题")
    survey.refresh_from_db()
    assert survey.title == "老旧小区改造意愿征询"


# --- opening ---------------------------------------------------------------------------------------------------


def test_opening_freezes_one_household_per_home_in_scope_and_tells_its_residents(django_capture_on_commit_callbacks):
    vc = survey_community(buildings=2, units=3, parking=2)
    first, _second = buildings_of(vc)
    with pytest.raises(PermissionDenied):
        svc.survey_open(actor=vc.owners[0], survey=draft_survey(vc))
    with django_capture_on_commit_callbacks(execute=True):
        survey = open_survey(vc, buildings=[first])
    assert survey.status == WillingnessSurvey.Status.OPEN
    assert survey.total_households == 3  # building 1 only; parking spaces are not households
    assert set(survey.households.values_list("building_id", flat=True)) == {first.pk}
    notice = NoticePage.objects.child_of(vc.community).get(slug=f"survey-{survey.pk}-open")
    assert notice.live and not notice.is_public
    assert list(notice.buildings.all()) == [first]
    told = set(Notification.objects.filter(title__contains=survey.title).values_list("recipient_id", flat=True))
    assert told == {u.pk for u in vc.owners[:3]}
    # Homes added to the registry later are not in the frozen scope.
    Unit.objects.create(entrance=first.entrances.first(), room="999")
    assert survey.households.count() == 3
    with pytest.raises(ValidationError):
        svc.survey_open(actor=vc.chair, survey=survey)


# --- answers online --------------------------------------------------------------------------------------------


def test_the_latest_online_answer_replaces_the_households_and_every_answer_is_logged():
    vc = survey_community()
    survey = open_survey(vc)
    answer(vc, survey, 0, "disagree", "disagree")
    household = answer(vc, survey, 0, "agree", "disagree")
    household.refresh_from_db()
    assert (household.plan_answer, household.model_answer, household.last_outcome) == ("agree", "disagree", "online")
    assert list(household.contacts.values_list("outcome", "plan_answer")) == [
        ("online", "disagree"),
        ("online", "agree"),
    ]
    assert svc.live_counts(survey)["plan_agree"] == 1


def test_a_family_member_answers_for_the_same_household():
    vc = survey_community()
    survey = open_survey(vc)
    spouse = UserFactory()
    person = PersonFactory(user=spouse)
    Residency.objects.create(
        unit=vc.units[0], person=person, relation=Residency.Relation.FAMILY, verified_at=timezone.now()
    )
    answer(vc, survey, 0, "disagree", "disagree")
    svc.answer_online(user=spouse, survey=survey, plan_answer="agree", model_answer="agree")
    assert survey.households.filter(plan_answer="agree").count() == 1
    assert HouseholdContact.objects.filter(household__survey=survey).count() == 2


def test_answers_from_another_community_or_outside_the_scope_are_refused():
    vc = survey_community(buildings=2, units=2)
    other = survey_community()
    first, _second = buildings_of(vc)
    survey = open_survey(vc, buildings=[first])
    with pytest.raises(PermissionDenied):
        svc.answer_online(user=other.owners[0], survey=survey, plan_answer="agree", model_answer="agree")
    with pytest.raises(PermissionDenied):
        answer(vc, survey, 2)  # lives in building 2, outside the scope
    ended = vc.owners[1].person.residencies.get()
    ended.ended_on = timezone.localdate()
    ended.save()
    with pytest.raises(PermissionDenied):
        answer(vc, survey, 1)  # moved out
    assert HouseholdContact.objects.count() == 0


def test_half_an_answer_is_refused():
    vc = survey_community()
    survey = open_survey(vc)
    with pytest.raises(ValidationError):
        answer(vc, survey, 0, "agree", "")


def test_answers_after_the_closing_date_or_the_close_are_refused():
    vc = survey_community()
    survey = open_survey(vc)
    after = moment(survey.closes_on + timedelta(days=1))
    with pytest.raises(ValidationError):
        answer(vc, survey, 0, now=after)
    svc.survey_close(actor=vc.chair, survey=survey, now=close_day(survey))
    with pytest.raises(ValidationError):
        answer(vc, survey, 0)
    with pytest.raises(ValidationError):
        svc.record_contact(
            actor=vc.staff,
            household=survey.households.first(),
            outcome="paper_form",
            plan_answer="agree",
            model_answer="agree",
        )


# --- the door-to-door log --------------------------------------------------------------------------------------


def test_door_to_door_outcomes():
    vc = survey_community()
    survey = open_survey(vc)
    household = survey.households.first()
    svc.record_contact(actor=vc.staff, household=household, outcome="unreachable", reason="白天无人")
    svc.record_contact(
        actor=vc.staff, household=household, outcome="paper_form", plan_answer="agree", model_answer="disagree"
    )
    svc.record_contact(actor=vc.staff, household=household, outcome="contacted", plan_answer="disagree")
    household.refresh_from_db()
    # contacted and unreachable leave the answers the paper form gave
    assert (household.plan_answer, household.model_answer, household.last_outcome) == ("agree", "disagree", "contacted")
    assert list(household.contacts.values_list("outcome", flat=True)) == ["unreachable", "paper_form", "contacted"]
    assert AuditEntry.objects.filter(action="willingness_survey.contact_paper_form").count() == 1


def test_refusal_needs_a_reason_and_answers_need_both_questions():
    vc = survey_community()
    survey = open_survey(vc)
    household = survey.households.first()
    with pytest.raises(ValidationError) as refused:
        svc.record_contact(actor=vc.staff, household=household, outcome="refused", reason="  ")
    assert "reason" in refused.value.error_dict
    with pytest.raises(ValidationError):
        svc.record_contact(actor=vc.staff, household=household, outcome="agreed", plan_answer="agree")
    with pytest.raises(ValidationError):
        svc.record_contact(actor=vc.staff, household=household, outcome="online", plan_answer="agree")
    svc.record_contact(actor=vc.staff, household=household, outcome="refused", reason="对补偿方案有意见，暂不表态")
    assert household.contacts.get().reason == "对补偿方案有意见，暂不表态"


def test_the_log_is_append_only_and_only_the_runners_write_it():
    vc = survey_community()
    other = survey_community()
    survey = open_survey(vc)
    household = survey.households.first()
    for outsider in (vc.owners[0], other.staff, other.chair):
        with pytest.raises(PermissionDenied):
            svc.record_contact(actor=outsider, household=household, outcome="contacted")
    contact = svc.record_contact(actor=vc.staff, household=household, outcome="contacted", reason="已送达征询表")
    with pytest.raises(PermissionDenied):
        contact.save()
    with pytest.raises(PermissionDenied):
        contact.delete()


# --- closing and the result (R-07) -----------------------------------------------------------------------------


def test_closing_before_the_closing_date_is_refused():
    vc = survey_community()
    survey = open_survey(vc)
    with pytest.raises(ValidationError):
        svc.survey_close(actor=vc.chair, survey=survey, now=moment(survey.closes_on - timedelta(days=1), 23))
    with pytest.raises(PermissionDenied):
        svc.survey_close(actor=vc.owners[0], survey=survey, now=close_day(survey))
    survey.refresh_from_db()
    assert survey.status == WillingnessSurvey.Status.OPEN


def test_exactly_80_percent_passes_and_unreturned_forms_count_as_not_agreeing():
    """R-07: 4 of 5 households agree, the fifth never answers: 80% of ALL households, passes."""
    vc = survey_community(units=5)
    survey = open_survey(vc)
    for i in range(4):
        answer(vc, survey, i)
    closed = svc.survey_close(actor=vc.chair, survey=survey, now=close_day(survey))
    assert (closed.plan_agree, closed.model_agree, closed.total_households) == (4, 4, 5)
    assert closed.plan_passed and closed.model_passed
    assert svc.gates_passed(closed)


def test_one_household_fewer_fails_even_if_nobody_disagrees():
    """R-07: 3 of 5 agree and nobody disagrees, but 2 forms are unreturned: 60%, fails."""
    vc = survey_community(units=5)
    survey = open_survey(vc)
    for i in range(3):
        answer(vc, survey, i)
    closed = svc.survey_close(actor=vc.chair, survey=survey, now=close_day(survey))
    assert closed.plan_agree == 3 and not closed.plan_passed and not closed.model_passed
    assert not svc.gates_passed(closed)


def test_plan_passes_but_model_fails():
    vc = survey_community(units=5)
    survey = open_survey(vc)
    for i in range(4):
        answer(vc, survey, i, "agree", "agree" if i < 3 else "disagree")
    closed = svc.survey_close(actor=vc.chair, survey=survey, now=close_day(survey))
    assert closed.plan_passed and not closed.model_passed
    assert not svc.gates_passed(closed)
    notice = closed.result_notice.specific
    assert notice.notice_type == NoticePage.Type.DISCLOSURE and not notice.is_public
    body = str(notice.body)
    assert "同意 4 户" in body and "同意 3 户" in body and "80%" in body
    assert "同意 3 户" in svc.result_sentence(closed, "model") and "未通过" in svc.result_sentence(closed, "model")


def test_the_result_is_counted_in_the_database_and_frozen_at_close():
    vc = survey_community(units=5)
    survey = open_survey(vc)
    for i in range(4):
        answer(vc, survey, i)
    stale = WillingnessSurvey.objects.get(pk=survey.pk)
    SurveyHousehold.objects.filter(survey=survey, unit=vc.units[4]).update(plan_answer="agree", model_answer="agree")
    closed = svc.survey_close(actor=vc.chair, survey=stale, now=close_day(survey))
    assert closed.plan_agree == 5
    # Whatever happens to the household rows afterwards, the published result stays.
    SurveyHousehold.objects.filter(survey=survey).update(plan_answer="disagree")
    with pytest.raises(ValidationError):
        answer(vc, survey, 0, "disagree", "disagree")
    closed.refresh_from_db()
    assert (closed.plan_agree, closed.plan_passed) == (5, True)
    with pytest.raises(ValidationError):
        svc.survey_close(actor=vc.chair, survey=closed, now=close_day(survey))


# --- both gates: the item-6 owners' vote --------------------------------------------------------------------------


def test_raising_the_fund_needs_the_final_item_6_vote_as_well():
    vc = survey_community(units=5)
    survey = open_survey(vc, raises_maintenance_fund=True)
    for i in range(5):
        answer(vc, survey, i)
    closed = svc.survey_close(actor=vc.chair, survey=survey, now=close_day(survey))
    assert closed.plan_passed and closed.model_passed
    assert svc.fund_gate_state(closed) == "missing" and not svc.gates_passed(closed)
    assert "第二百七十八条第一款第六项" in str(closed.result_notice.specific.body)
    with pytest.raises(ValidationError):
        svc.survey_link_fund_decision(actor=vc.chair, survey=closed, decision=draft_vote(vc, matter="4"))
    fund_vote = draft_vote(vc, matter="6", questions=("同意续筹专项维修资金",))
    svc.survey_link_fund_decision(actor=vc.chair, survey=closed, decision=fund_vote)
    assert svc.fund_gate_state(closed) == "running" and not svc.gates_passed(closed)
    OwnersDecision.objects.filter(pk=fund_vote.pk).update(status=OwnersDecision.Status.FINAL)
    fund_vote.questions.update(quorate=True, passed=False)
    closed.refresh_from_db()
    assert svc.fund_gate_state(closed) == "failed" and not svc.gates_passed(closed)
    fund_vote.questions.update(passed=True)
    assert svc.gates_passed(closed)


# --- progress by building -------------------------------------------------------------------------------------


def test_progress_by_building_is_one_query(django_assert_num_queries):
    vc = survey_community(buildings=3, units=2)
    survey = open_survey(vc)
    answer(vc, survey, 0, "agree", "disagree")
    answer(vc, survey, 1, "disagree", "agree")
    third = survey.households.get(unit=vc.units[4])
    svc.record_contact(actor=vc.staff, household=third, outcome="refused", reason="不同意加装电梯位置")
    svc.record_contact(actor=vc.staff, household=survey.households.get(unit=vc.units[5]), outcome="unreachable")
    with django_assert_num_queries(1):
        rows, totals = svc.progress_by_building(survey)
    assert [r["building__name"] for r in rows] == ["1号楼", "2号楼", "3号楼"]
    first = rows[0]
    assert (first["households"], first["plan_agree"], first["plan_disagree"], first["model_agree"]) == (2, 1, 1, 1)
    assert first["no_answer"] == 0 and rows[1]["no_answer"] == 2
    assert (rows[2]["refused"], rows[2]["unreachable"], rows[2]["no_answer"]) == (1, 1, 2)
    assert totals["households"] == 6 and totals["answered"] == 2


def test_household_list_filters():
    vc = survey_community(units=4)
    survey = open_survey(vc)
    (building,) = buildings_of(vc)
    answer(vc, survey, 0)
    households = list(survey.households.order_by("unit_id"))
    svc.record_contact(actor=vc.staff, household=households[1], outcome="refused", reason="不在家，家属拒绝")
    svc.record_contact(actor=vc.staff, household=households[2], outcome="unreachable")
    assert svc.households_for_list(survey, building=building, show="no_answer").count() == 3
    assert [h.pk for h in svc.households_for_list(survey, building=building, show="refused")] == [households[1].pk]
    assert svc.households_for_list(survey, building=building, show="unreachable").count() == 1


def test_export_lists_units_not_names_and_is_audited():
    vc = survey_community(units=2)
    survey = open_survey(vc)
    answer(vc, survey, 0)
    with pytest.raises(PermissionDenied):
        svc.household_log_export(actor=vc.owners[0], survey=survey)
    data = svc.household_log_export(actor=vc.staff, survey=survey)
    sheet = openpyxl.load_workbook(io.BytesIO(data)).worksheets[0]
    cells = " ".join(str(c.value) for row in sheet.iter_rows() for c in row)
    assert vc.units[0].label in cells
    assert "业主0" not in cells
    assert AuditEntry.objects.filter(action="willingness_survey.export", actor=vc.staff).exists()


# --- demo -----------------------------------------------------------------------------------------------------


def test_demo_survey_is_seeded_once_in_the_1986_compound():
    from portal.management.demo_surveys import SURVEY_TITLE, seed_surveys

    community = community_with_units(buildings=4, entrances=2, units=4, slug="jiankangli", title="健康里小区")
    staff = member(community, Role.COMMUNITY_STAFF, username="jiankangli-staff", full_name="郭振华")
    resident = UserFactory()
    unit = Unit.objects.filter(entrance__building__community=community).order_by("pk").first()
    Residency.objects.create(
        unit=unit, person=PersonFactory(user=resident), relation=Residency.Relation.OWNER, verified_at=timezone.now()
    )
    seed_surveys(io.StringIO())
    survey = WillingnessSurvey.objects.get(community=community, title=SURVEY_TITLE)
    assert survey.status == WillingnessSurvey.Status.OPEN and survey.total_households == 32
    counts = svc.live_counts(survey)
    answered = survey.households.exclude(plan_answer="").count()
    assert 0.5 <= answered / 32 <= 0.7
    assert counts["plan_agree"] > counts["plan_disagree"] > 0
    log = HouseholdContact.objects.filter(household__survey=survey)
    assert set(log.values_list("outcome", flat=True)) >= {"contacted", "refused", "unreachable", "paper_form", "online"}
    assert all(c.reason for c in log.filter(outcome="refused"))
    assert set(log.exclude(outcome="online").values_list("recorded_by", flat=True)) == {staff.pk}
    before = (WillingnessSurvey.objects.count(), HouseholdContact.objects.count(), AuditEntry.objects.count())
    seed_surveys(io.StringIO())
    assert (WillingnessSurvey.objects.count(), HouseholdContact.objects.count(), AuditEntry.objects.count()) == before
