"""The renovation writers (issue 8): each refusal leaves nothing changed, each success is audited; the review chain
moves one level at a time inside each officer's area; the plan gate (R-02, R-07, S-04, R-06) is enforced at
plan_enter; milestones post a public notice; review steps, receipts and progress reports are append-only."""

from datetime import timedelta
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.base import ContentFile
from django.db import DatabaseError, connection, transaction
from wagtail.documents.models import Document

from governance.models import NoticePage
from home.models import AuditEntry, CommunityPage, CommunityRole, Notification
from property.domain import renovation as rules
from property.models import (
    ApplicationSigner,
    FundingLine,
    FundingReceipt,
    Milestone,
    ProgressReport,
    RenovationItem,
    RenovationProject,
    ReviewStep,
)
from property.services import renovation as services
from tests.factories import CommunityPageFactory, member
from tests.property.renovation_helpers import (
    annual_plan,
    application,
    application_data,
    other_sub_district_officer,
    pass_levels,
    ready_for_plan,
    renovation_city,
    reviewer_at,
)

pytestmark = pytest.mark.django_db
Role = CommunityRole.Role
Stage = RenovationProject.Stage
Status = CommunityPage.RenovationStatus


def audits(action: str) -> int:
    return AuditEntry.objects.filter(action=action).count()


def document() -> Document:
    doc = Document(title="市政府专题会议纪要")
    doc.file.save("jiyao.pdf", ContentFile(b"%PDF-1.4 minutes"), save=False)
    doc.save()
    return doc


def snapshot(project) -> dict:
    """What a refused writer must leave as it was."""
    project = RenovationProject.objects.get(pk=project.pk)
    return {
        "stage": project.stage,
        "review_level": project.review_level,
        "level_due_on": project.level_due_on,
        "plan": project.plan_id,
        "percent": project.percent_complete,
        "steps": ReviewStep.objects.filter(project=project).count(),
        "items": RenovationItem.objects.filter(project=project).count(),
        "funding": sorted(FundingLine.objects.filter(project=project).values_list("source", "amount")),
        "milestones": Milestone.objects.filter(project=project).count(),
        "receipts": FundingReceipt.objects.filter(project=project).count(),
        "reports": ProgressReport.objects.filter(project=project).count(),
        "audit": AuditEntry.objects.count(),
        "notices": NoticePage.objects.count(),
        "status": CommunityPage.objects.get(pk=project.community_id).renovation_status,
    }


@pytest.fixture
def city():
    return renovation_city()


@pytest.fixture
def planned(city):
    project = ready_for_plan(city)
    return services.plan_enter(actor=city.city_officer, project=project, plan=annual_plan())


# --- who may apply --------------------------------------------------------------------------------------------


def test_a_committee_member_applies_for_his_community_audited(city):
    project = application(city)
    assert (project.stage, project.applied_as, project.verdict) == (Stage.DRAFT, "committee", rules.CORE)
    assert audits("renovation.application_saved") == 1


def test_a_committee_member_of_x_cannot_apply_for_y(city):
    other = CommunityPageFactory(year_built=1990)
    with pytest.raises(PermissionDenied):
        services.application_save(actor=city.committee, community=other, data=application_data())
    assert not RenovationProject.objects.exists()
    assert audits("renovation.application_saved") == 0


def test_a_resident_cannot_apply_where_a_committee_exists(city):
    resident = member(city.community, Role.RESIDENT)
    with pytest.raises(PermissionDenied):
        services.application_save(actor=resident, community=city.community, data=application_data())
    assert not RenovationProject.objects.exists()


def test_residents_without_a_committee_need_ten_signers():
    community = CommunityPageFactory(year_built=1990)
    member(community, Role.COMMUNITY_STAFF)
    applicant, *others = [member(community, Role.RESIDENT) for _ in range(10)]
    project = services.application_save(actor=applicant, community=community, data=application_data())
    assert project.applied_as == "residents"
    services.application_sign(actor=applicant, project=project)  # the applicant signing does not count twice
    for resident in others[:8]:
        services.application_sign(actor=resident, project=project)
    before = snapshot(project)
    with pytest.raises(ValidationError, match="目前9人"):
        services.application_submit(actor=applicant, project=project)
    assert snapshot(project) == before

    services.application_sign(actor=others[8], project=project)
    project = services.application_submit(actor=applicant, project=project)
    assert (project.stage, project.review_level) == (Stage.IN_REVIEW, rules.COMMUNITY)
    assert ApplicationSigner.objects.filter(project=project).count() == 10


def test_a_resident_of_another_community_cannot_sign():
    community = CommunityPageFactory(year_built=1990)
    applicant = member(community, Role.RESIDENT)
    project = services.application_save(actor=applicant, community=community, data=application_data())
    outsider = member(CommunityPageFactory(), Role.RESIDENT)
    with pytest.raises(PermissionDenied):
        services.application_sign(actor=outsider, project=project)
    assert not ApplicationSigner.objects.exists()


def test_an_ineligible_application_is_refused_at_submission_with_its_reasons(city):
    project = application(city, year_completed=2006)
    with pytest.raises(ValidationError) as refused:
        services.application_submit(actor=city.committee, project=project)
    assert any("晚于2005年" in message for message in refused.value.messages)
    assert RenovationProject.objects.get(pk=project.pk).stage == Stage.DRAFT
    assert not ReviewStep.objects.exists()


def test_submission_opens_the_community_queue_and_tells_its_staff(city):
    project = application(city, submit=True)
    assert project.level_due_on == project.level_entered_on + timedelta(days=rules.LEVEL_DAYS[rules.COMMUNITY])
    [step] = ReviewStep.objects.filter(project=project)
    assert step.decision == ReviewStep.Decision.SUBMIT
    assert "业主委员会" in step.signed_as
    assert audits("renovation.submitted") == 1
    assert Notification.objects.filter(recipient=city.community_staff).exists()
    assert CommunityPage.objects.get(pk=city.community.pk).renovation_status == Status.APPLYING


# --- the review chain -----------------------------------------------------------------------------------------


def test_passing_every_level_in_turn_approves_each_step_signed_and_audited(city):
    project = pass_levels(city, application(city, submit=True))
    assert (project.stage, project.review_level, project.level_due_on) == (Stage.APPROVED, "", None)
    steps = list(ReviewStep.objects.filter(project=project).exclude(decision=ReviewStep.Decision.SUBMIT))
    assert [s.level for s in steps] == list(rules.LEVELS)
    assert all(s.decision == rules.PASS and s.signed_as and not s.overdue for s in steps)
    assert "卫滨区人民政府" in steps[2].signed_as
    assert audits("renovation.review_pass") == 4
    assert project.is_public


def test_skipping_a_level_is_refused_and_changes_nothing(city):
    project = application(city, submit=True)
    before = snapshot(project)
    for level in (rules.SUB_DISTRICT, rules.DISTRICT, rules.CITY):
        with pytest.raises(PermissionDenied, match="不能越级审核"):
            services.review_decide(
                actor=reviewer_at(city, level), project=project, level=level, decision=rules.PASS, opinion="同意"
            )
    assert snapshot(project) == before


def test_a_sub_district_officer_cannot_review_another_sub_districts_application(city):
    project = pass_levels(city, application(city, submit=True), levels=[rules.COMMUNITY])
    before = snapshot(project)
    with pytest.raises(PermissionDenied, match="只能审核本街道"):
        services.review_decide(
            actor=other_sub_district_officer(city),
            project=project,
            level=rules.SUB_DISTRICT,
            decision=rules.PASS,
            opinion="同意",
        )
    assert snapshot(project) == before


def test_a_district_officer_of_another_district_cannot_evaluate(city):
    project = pass_levels(city, application(city, submit=True), levels=rules.LEVELS[:2])
    stranger = renovation_city().district_officer
    before = snapshot(project)
    with pytest.raises(PermissionDenied, match="只能评定本县"):
        services.review_decide(
            actor=stranger, project=project, level=rules.DISTRICT, decision=rules.PASS, opinion="同意"
        )
    assert snapshot(project) == before


def test_a_return_without_a_reason_is_refused_and_changes_nothing(city):
    project = application(city, submit=True)
    before = snapshot(project)
    with pytest.raises(ValidationError):
        services.review_decide(
            actor=city.community_staff, project=project, level=rules.COMMUNITY, decision=rules.RETURN, opinion=" "
        )
    assert snapshot(project) == before


def test_a_return_reaches_the_applicant_and_a_revision_starts_again_at_the_community(city):
    project = pass_levels(city, application(city, submit=True), levels=rules.LEVELS[:2])
    services.review_decide(
        actor=city.district_officer,
        project=project,
        level=rules.DISTRICT,
        decision=rules.RETURN,
        opinion="请补充房屋结构安全鉴定报告",
    )
    project.refresh_from_db()
    assert (project.stage, project.review_level) == (Stage.RETURNED, "")
    note = Notification.objects.filter(recipient=city.committee).first()
    assert "退回修改" in note.title
    assert note.body == "请补充房屋结构安全鉴定报告"
    assert note.url == services.project_url(project)
    assert CommunityPage.objects.get(pk=city.community.pk).renovation_status == Status.APPLYING

    services.application_save(
        actor=city.committee, community=city.community, project=project, data=application_data(buildings_count=7)
    )
    project = services.application_submit(actor=city.committee, project=project)
    assert (project.stage, project.review_level, project.buildings_count) == (Stage.IN_REVIEW, rules.COMMUNITY, 7)


def test_a_submitted_application_cannot_be_edited(city):
    project = application(city, submit=True)
    with pytest.raises(ValidationError):
        services.application_save(
            actor=city.committee, community=city.community, project=project, data=application_data(households=1)
        )
    assert RenovationProject.objects.get(pk=project.pk).households == 240


def test_a_rejection_takes_the_community_out_of_applying(city):
    project = application(city, submit=True)
    services.review_decide(
        actor=city.community_staff, project=project, level=rules.COMMUNITY, decision=rules.REJECT, opinion="属城中村"
    )
    project.refresh_from_db()
    assert project.stage == Stage.REJECTED
    assert not project.is_public
    assert CommunityPage.objects.get(pk=city.community.pk).renovation_status == Status.NOT_PLANNED
    assert audits("renovation.review_reject") == 1


def test_a_rejected_second_application_leaves_the_status_the_first_project_gave(city, planned):
    second = application(city, submit=True, title="加装电梯申请")
    services.review_decide(
        actor=city.community_staff, project=second, level=rules.COMMUNITY, decision=rules.REJECT, opinion="重复申请"
    )
    assert CommunityPage.objects.get(pk=city.community.pk).renovation_status == Status.IN_PLAN


def test_passing_a_level_tells_the_next_levels_reviewers_in_the_area_only(city):
    stranger = other_sub_district_officer(city)
    pass_levels(city, application(city, submit=True), levels=[rules.COMMUNITY])
    note = Notification.objects.get(recipient=city.sub_district_officer)
    assert "街道办事处审核" in note.title
    assert not Notification.objects.filter(recipient=stranger).exists()
    assert not Notification.objects.filter(recipient=city.district_officer).exists()


@pytest.mark.parametrize(("days_late", "overdue"), [(0, False), (1, True)], ids=["due-day-itself", "a-day-late"])
def test_a_decision_after_the_due_day_is_flagged_overdue(city, days_late, overdue):
    project = application(city, submit=True)
    RenovationProject.objects.filter(pk=project.pk).update(level_due_on=services.today() - timedelta(days=days_late))
    step = services.review_decide(
        actor=city.community_staff, project=project, level=rules.COMMUNITY, decision=rules.PASS, opinion="同意"
    )
    assert step.overdue is overdue


# --- items and funding ----------------------------------------------------------------------------------------


def test_a_funding_plan_that_does_not_add_up_is_refused_r06(city):
    project = ready_for_plan(city)
    before = snapshot(project)
    with pytest.raises(ValidationError, match=r"缺口0\.01元"):
        services.funding_plan_set(
            actor=city.city_officer,
            project=project,
            amounts={"central": "500000", "district": "300000", "residents": "199999.99"},
        )
    with pytest.raises(ValidationError, match="大于零"):
        services.funding_plan_set(
            actor=city.city_officer, project=project, amounts={"central": "1000000", "donations": "0"}
        )
    assert snapshot(project) == before


def test_a_funding_plan_that_adds_up_replaces_the_old_one_audited(city):
    project = ready_for_plan(city)
    services.funding_plan_set(
        actor=city.city_officer,
        project=project,
        amounts={"central": "600000", "municipal": "400000.00", "donations": ""},  # a blank source is left out
    )
    assert sorted(FundingLine.objects.filter(project=project).values_list("source", "amount")) == [
        ("central", Decimal("600000.00")),
        ("municipal", Decimal("400000.00")),
    ]
    assert audits("renovation.funding_set") == 2


def test_items_cannot_be_edited_by_another_communitys_committee(city):
    project = application(city)
    stranger = renovation_city().committee
    with pytest.raises(PermissionDenied):
        services.item_add(
            actor=stranger, project=project, kind="roof", quantity="1", quantity_unit="处", estimated_cost="100"
        )
    assert not RenovationItem.objects.exists()


# --- the plan gate --------------------------------------------------------------------------------------------


def test_a_community_completed_in_2003_cannot_enter_the_plan_r02(city):
    project = ready_for_plan(city, year_completed=2003)
    assert project.stage == Stage.APPROVED and project.verdict == rules.RESERVE
    before = snapshot(project)
    with pytest.raises(ValidationError) as refused:
        services.plan_enter(actor=city.city_officer, project=project, plan=annual_plan())
    assert any("R-02" in message and "2003" in message for message in refused.value.messages)
    assert snapshot(project) == before


def test_plan_enter_refuses_79_9_percent_consent_r07(city):
    project = ready_for_plan(city, survey_agree=799, survey_total=1000)
    before = snapshot(project)
    with pytest.raises(ValidationError) as refused:
        services.plan_enter(actor=city.city_officer, project=project, plan=annual_plan())
    assert "改造方案同意799/1000户（79.9%），未达到80%（R-07）" in refused.value.messages
    assert snapshot(project) == before


def test_plan_enter_accepts_80_percent_consent_r07(city):
    project = ready_for_plan(city, survey_agree=800, survey_total=1000)
    plan = annual_plan()
    project = services.plan_enter(actor=city.city_officer, project=project, plan=plan)
    project.refresh_from_db()
    assert (project.stage, project.plan) == (Stage.PLANNED, plan)
    assert CommunityPage.objects.get(pk=city.community.pk).renovation_status == Status.IN_PLAN
    assert audits("renovation.planned") == 1


def test_only_the_city_enters_the_plan(city):
    project = ready_for_plan(city)
    before = snapshot(project)
    for actor in (city.district_officer, city.sub_district_officer, city.community_staff, city.committee):
        with pytest.raises(PermissionDenied):
            services.plan_enter(actor=actor, project=project, plan=annual_plan())
    assert snapshot(project) == before


def test_a_project_not_yet_approved_cannot_enter_the_plan(city):
    project = application(city, submit=True)
    with pytest.raises(ValidationError):
        services.plan_enter(actor=city.city_officer, project=project, plan=annual_plan())
    assert RenovationProject.objects.get(pk=project.pk).stage == Stage.IN_REVIEW


# --- 三供一业 (S-04) -----------------------------------------------------------------------------------------


@pytest.fixture
def compound():
    city = renovation_city(is_sgyy_compound=True, former_property_unit="新乡铁路分局")
    services.sgyy_retrofit_record(
        actor=city.city_officer,
        community=city.community,
        facility=rules.WATER,
        status="done",
        receiving_unit="市供水公司",
    )
    return city


def test_a_water_pipe_claim_in_a_compound_whose_water_is_done_is_refused_s04(compound):
    project = application(compound)
    with pytest.raises(ValidationError, match="S-04"):
        services.item_add(
            actor=compound.committee,
            project=project,
            kind="water_supply",
            quantity="800",
            quantity_unit="米",
            estimated_cost="300000",
        )
    assert not RenovationItem.objects.exists()
    assert audits("renovation.item_added") == 0
    services.item_add(
        actor=compound.committee,
        project=project,
        kind="drainage",
        quantity="500",
        quantity_unit="米",
        estimated_cost="1",
    )
    assert RenovationItem.objects.get().kind == "drainage"
    assert audits("renovation.item_added") == 1


def test_the_s04_override_needs_a_city_officer_a_reason_and_a_document(compound):
    project = pass_levels(compound, application(compound, submit=True), levels=[rules.COMMUNITY])
    doc = document()
    claim = {"project": project, "kind": "water_supply", "quantity": "1", "quantity_unit": "项", "estimated_cost": "9"}
    with pytest.raises(PermissionDenied):
        services.item_add(
            actor=compound.district_officer, override_reason="管道再次破损", override_document=doc, **claim
        )
    with pytest.raises(PermissionDenied):
        services.item_add(actor=compound.city_officer, override_reason="管道再次破损", **claim)
    with pytest.raises(ValidationError, match="S-04"):
        services.item_add(actor=compound.city_officer, override_document=doc, **claim)
    assert not RenovationItem.objects.exists()

    item = services.item_add(
        actor=compound.city_officer, override_reason="管道再次破损", override_document=doc, **claim
    )
    assert (item.override_reason, item.override_document) == ("管道再次破损", doc)
    entry = AuditEntry.objects.get(action="renovation.item_added")
    assert entry.after["override"] == "管道再次破损"
    assert entry.actor == compound.city_officer


def test_a_compound_without_its_construction_list_is_blocked_from_the_plan_s04(compound):
    project = ready_for_plan(compound)
    before = snapshot(project)
    with pytest.raises(ValidationError) as refused:
        services.plan_enter(actor=compound.city_officer, project=project, plan=annual_plan())
    assert any("新乡铁路分局尚未提供施工改造清单" in m for m in refused.value.messages)
    assert snapshot(project) == before

    services.sgyy_list_record(actor=compound.city_officer, community=compound.community, received_on=services.today())
    project = services.plan_enter(actor=compound.city_officer, project=project, plan=annual_plan())
    assert project.stage == Stage.PLANNED


@pytest.mark.parametrize(
    ("facility", "status", "central_subsidy", "kind", "refused"),
    [
        pytest.param(rules.POWER, "scheduled", True, "power_supply", True, id="S-04-scheduled-counts"),
        pytest.param(rules.POWER, "done", False, "power_supply", False, id="S-04-no-central-subsidy"),
        pytest.param(rules.HEATING_GAS, "done", True, "gas", True, id="S-04-gas"),
    ],
)
def test_which_sgyy_records_block_a_claim_s04(compound, facility, status, central_subsidy, kind, refused):
    services.sgyy_retrofit_record(
        actor=compound.city_officer,
        community=compound.community,
        facility=facility,
        status=status,
        central_subsidy=central_subsidy,
    )
    project = application(compound)
    claim = {"project": project, "kind": kind, "quantity": "1", "quantity_unit": "项", "estimated_cost": "9"}
    if refused:
        with pytest.raises(ValidationError, match="S-04"):
            services.item_add(actor=compound.committee, **claim)
        assert not RenovationItem.objects.exists()
    else:
        services.item_add(actor=compound.committee, **claim)
        assert RenovationItem.objects.count() == 1


def test_only_the_city_records_sgyy_retrofits(compound):
    with pytest.raises(PermissionDenied):
        services.sgyy_retrofit_record(
            actor=compound.district_officer, community=compound.community, facility=rules.POWER, status="done"
        )
    assert compound.community.sgyy_retrofits.count() == 1


# --- execution ------------------------------------------------------------------------------------------------


def test_a_milestone_posts_a_public_notice_under_the_community(city, planned):
    milestone = services.milestone_record(
        actor=city.district_officer,
        project=planned,
        kind=rules.DESIGN,
        reached_on=services.today(),
        note="设计方案已公示",
    )
    notice = NoticePage.objects.get(pk=milestone.notice_id)
    assert notice.live and notice.is_public
    assert notice.get_parent().specific == city.community
    assert "设计方案确定" in notice.title
    assert services.project_url(planned) in str(notice.body)
    assert "卫滨区人民政府" in notice.issuer
    assert audits("renovation.milestone") == 1


def test_milestones_move_the_stage_and_the_community_status(city, planned):
    for kind in rules.MILESTONES[:3]:
        services.milestone_record(
            actor=city.city_officer, project=planned, kind=kind, reached_on=services.today(), note="已完成"
        )
    planned.refresh_from_db()
    assert planned.stage == Stage.UNDER_WAY
    assert CommunityPage.objects.get(pk=city.community.pk).renovation_status == Status.UNDER_WAY
    services.milestone_record(
        actor=city.city_officer, project=planned, kind=rules.COMPLETION, reached_on=services.today(), note="完工"
    )
    planned.refresh_from_db()
    assert (planned.stage, planned.percent_complete, planned.completed_on) == (
        Stage.COMPLETED,
        100,
        services.today(),
    )
    assert CommunityPage.objects.get(pk=city.community.pk).renovation_status == Status.COMPLETED
    assert NoticePage.objects.child_of(city.community).count() == 4


def test_a_milestone_out_of_order_or_by_a_stranger_is_refused_and_posts_nothing(city, planned):
    before = snapshot(planned)
    with pytest.raises(ValidationError, match="请先记录「设计方案确定」"):
        services.milestone_record(
            actor=city.city_officer, project=planned, kind=rules.TENDER, reached_on=services.today(), note="招标"
        )
    for stranger in (city.sub_district_officer, city.community_staff, renovation_city().district_officer):
        with pytest.raises(PermissionDenied):
            services.milestone_record(
                actor=stranger, project=planned, kind=rules.DESIGN, reached_on=services.today(), note="设计"
            )
    assert snapshot(planned) == before


def test_progress_cannot_go_backwards_and_is_audited(city, planned):
    services.progress_report(actor=city.community_staff, project=planned, percent=40, note="管网施工")
    before = snapshot(planned)
    with pytest.raises(ValidationError, match="不能低于"):
        services.progress_report(actor=city.community_staff, project=planned, percent=30, note="返工")
    assert snapshot(planned) == before
    assert before["percent"] == 40
    assert audits("renovation.progress") == 1


def test_receipts_only_for_planned_sources_and_not_the_residents_share(city, planned):
    before = snapshot(planned)
    for source in ("residents", "provincial"):
        with pytest.raises(ValidationError):
            services.receipt_record(
                actor=city.district_officer,
                project=planned,
                source=source,
                amount="1000",
                received_on=services.today(),
                reference="豫财建〔2026〕1号",
            )
    assert snapshot(planned) == before
    services.receipt_record(
        actor=city.district_officer,
        project=planned,
        source="central",
        amount="500000",
        received_on=services.today(),
        reference="财建〔2026〕8号",
    )
    assert FundingReceipt.objects.get().amount == Decimal("500000.00")
    assert audits("renovation.receipt") == 1


# --- append-only rows -----------------------------------------------------------------------------------------


@pytest.fixture
def recorded(city, planned):
    services.receipt_record(
        actor=city.city_officer,
        project=planned,
        source="central",
        amount="500000",
        received_on=services.today(),
        reference="财建〔2026〕8号",
    )
    services.progress_report(actor=city.city_officer, project=planned, percent=10, note="进场")
    return planned


@pytest.mark.parametrize("model", [ReviewStep, FundingReceipt, ProgressReport])
def test_append_only_rows_refuse_edits_and_deletes_in_the_model(recorded, model):
    row = model.objects.first()
    with pytest.raises(PermissionDenied):
        row.save()
    with pytest.raises(PermissionDenied):
        row.delete()
    with pytest.raises(PermissionDenied):
        model.objects.filter(pk=row.pk).update(project=row.project)
    with pytest.raises(PermissionDenied):
        model.objects.filter(pk=row.pk).delete()
    assert model.objects.filter(pk=row.pk).exists()


@pytest.mark.parametrize(
    ("table", "assignment"),
    [
        ("property_reviewstep", "opinion = 'changed'"),
        ("property_fundingreceipt", "amount = amount + 1"),
        ("property_progressreport", "percent = 100"),
    ],
)
def test_the_database_refuses_to_update_an_append_only_row(recorded, table, assignment):
    with pytest.raises(DatabaseError), transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(f"UPDATE {table} SET {assignment}")  # noqa: S608 - fixed table names


@pytest.mark.parametrize("table", ["property_reviewstep", "property_fundingreceipt", "property_progressreport"])
def test_postgresql_refuses_to_delete_an_append_only_row(recorded, table):
    if connection.vendor != "postgresql":
        pytest.skip("SQLite test databases are emptied with DELETE; there the model refuses deletes")
    with pytest.raises(DatabaseError), transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(f"DELETE FROM {table}")  # noqa: S608 - fixed table names


def test_r07_a_survey_of_some_buildings_only_is_not_linked_to_the_project():
    from tests.factories import BuildingFactory
    from tests.property.renovation_helpers import closed_survey

    city = renovation_city()
    project = application(city, submit=True)
    survey = closed_survey(city.community)
    survey.buildings.add(BuildingFactory(community=city.community))
    with pytest.raises(ValidationError, match="部分楼栋"):
        services.survey_link(actor=city.community_staff, project=project, survey=survey)
    project.refresh_from_db()
    assert project.survey is None


def test_a_milestone_entered_for_the_past_dates_its_record_and_its_publicity_notice():
    import datetime as dt

    from django.utils import timezone

    from tests.property.renovation_helpers import annual_plan, ready_for_plan

    city = renovation_city()
    project = ready_for_plan(city)
    services.plan_enter(actor=city.city_officer, project=project, plan=annual_plan())
    day = timezone.localdate() - dt.timedelta(days=40)
    moment = timezone.make_aware(dt.datetime.combine(day, dt.time(16)))
    milestone = services.milestone_record(
        actor=city.district_officer, project=project, kind=rules.DESIGN, reached_on=day, note="设计方案确定", now=moment
    )
    notice = NoticePage.objects.get(pk=milestone.notice_id)
    assert milestone.recorded_at == moment
    assert notice.first_published_at == moment and notice.live and notice.is_public
