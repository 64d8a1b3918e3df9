"""The demo renovation projects of `manage.py seed_demo` (portal.management.demo_renovation), on a reduced city.

Like tests/portal/test_demo_fees.py: the six communities with fewer buildings, their registry, accounts and bodies
built with the seed command's own steps, the 健康里 willingness survey of the surveys demo, then the renovation
seed twice — once for the whole module, inside a transaction rolled back at the end.
"""

import io

import pytest
from django.contrib.auth import get_user_model
from django.db import transaction
from django.utils import timezone
from wagtail.images import get_image_model

from governance.models import WillingnessSurvey
from home.models import AuditEntry, CommunityPage, Notification
from portal.management.demo_bodies import seed_bodies
from portal.management.demo_city import _Layout
from portal.management.demo_renovation import (
    JIANKANG_TITLE,
    PINGYUAN_TITLE,
    TIELU_TITLE,
    XIANGYANG_TITLE,
    XINHUA_TITLE,
    seed_renovation,
)
from portal.management.demo_surveys import SURVEY_TITLE, seed_surveys
from property.domain import renovation as rules
from property.models import (
    AnnualPlan,
    ApplicationSigner,
    FundingReceipt,
    Milestone,
    ProgressReport,
    RenovationItem,
    RenovationOfficer,
    RenovationProject,
    ReviewStep,
    SgyyRetrofit,
)
from property.services import renovation as services
from tests.portal.small_city import seed_small_city

Stage = RenovationProject.Stage
User = get_user_model()
COUNTED = (
    AnnualPlan,
    RenovationOfficer,
    RenovationProject,
    ApplicationSigner,
    ReviewStep,
    RenovationItem,
    Milestone,
    ProgressReport,
    FundingReceipt,
    SgyyRetrofit,
    WillingnessSurvey,
    AuditEntry,
    Notification,
    User,
    get_image_model(),
)
# Small communities; 健康里 keeps enough owners without a seat for twelve residents' accounts.
SMALL = {
    "tielu": _Layout(2, 1, 4, 2, (42, 68)),
    "jiankang": _Layout(3, 1, 4, 2, (38, 62)),
    "xiangyang": _Layout(2, 1, 4, 2, (56, 118)),
    "pingyuan": _Layout(2, 1, 4, 2, (60, 96)),
    "renminxi": _Layout(2, 1, 4, 2, (45, 75)),
    "xinhua": _Layout(2, 1, 4, 2, (72, 130)),
}


def _counts() -> dict[str, int]:
    return {model.__name__: model.objects.count() for model in COUNTED}


def _small_city(monkeypatch):
    seed_small_city(monkeypatch, SMALL, claims=False)
    seed_bodies(io.StringIO())
    seed_surveys(io.StringIO())


@pytest.fixture(scope="module")
def seeded(django_db_setup, django_db_blocker):
    with django_db_blocker.unblock(), transaction.atomic(), pytest.MonkeyPatch.context() as monkeypatch:
        _small_city(monkeypatch)
        out = io.StringIO()
        seed_renovation(out)
        first = _counts()
        seed_renovation(io.StringIO())
        yield {"first": first, "second": _counts(), "output": out.getvalue()}
        transaction.set_rollback(True)


@pytest.fixture(autouse=True)
def _seeded_city(seeded, db):
    """Every test reads the seeded city; its own changes are rolled back after it."""


def _project(title) -> RenovationProject:
    return RenovationProject.objects.select_related("community").get(title=title)


def _status(slug) -> str:
    return CommunityPage.objects.get(slug=slug).renovation_status


def test_second_run_creates_nothing_new(seeded):
    assert seeded["first"] == seeded["second"]
    assert "新建 平原路小区" in seeded["output"]


def test_projects_at_every_stage():
    stages = set(RenovationProject.objects.values_list("stage", flat=True))
    assert {
        Stage.IN_REVIEW,
        Stage.RETURNED,
        Stage.REJECTED,
        Stage.APPROVED,
        Stage.PLANNED,
        Stage.UNDER_WAY,
        Stage.EVALUATED,
    } <= stages
    returned = RenovationProject.objects.get(stage=Stage.RETURNED)
    assert "请补充" in returned.steps.get(decision=rules.RETURN).opinion
    rejected = RenovationProject.objects.get(stage=Stage.REJECTED)
    assert rejected.steps.get(decision=rules.REJECT).opinion.startswith("不予通过")
    # The community pages' status is the services' (from the main project's stage).
    assert _status("pingyuan-lu") == CommunityPage.RenovationStatus.COMPLETED
    assert _status("xiangyang-xincun") == CommunityPage.RenovationStatus.UNDER_WAY
    assert _status("renmin-xilu") == CommunityPage.RenovationStatus.IN_PLAN
    assert _status("xinhua-yuan") == CommunityPage.RenovationStatus.APPLYING


def test_pingyuan_completed_in_2023_with_every_milestone_and_all_money():
    project = _project(PINGYUAN_TITLE)
    assert project.stage == Stage.EVALUATED and project.percent_complete == 100
    assert project.plan.year == 2023 and project.completed_on.year == 2023
    assert list(project.milestones.values_list("kind", flat=True)) == list(rules.MILESTONES)
    assert all(m.notice is not None for m in project.milestones.all())
    planned = {line.source: line.amount for line in project.funding.all()}
    received = {}
    for receipt in project.receipts.all():
        received[receipt.source] = received.get(receipt.source, 0) + receipt.amount
    assert received == planned
    assert sum(planned.values()) == services.items_total(project)
    assert project.steps.first().decided_at.year == 2022  # dated in the past, not today


def test_xiangyang_under_way_at_sixty_percent_with_part_of_the_money():
    project = _project(XIANGYANG_TITLE)
    assert project.stage == Stage.UNDER_WAY and project.percent_complete == 60
    assert list(project.milestones.values_list("kind", flat=True)) == [rules.DESIGN, rules.TENDER, rules.START]
    received = sum(r.amount for r in project.receipts.all())
    assert 0 < received < services.items_total(project)
    assert project.plan.year == project.planned_at.year
    reports = list(project.progress_reports.select_related("photo"))
    assert [r.percent for r in reports] == [60, 45, 30, 15]
    assert all(r.photo and r.photo.width == 320 for r in reports)


def test_tielu_is_approved_but_blocked_for_its_construction_list():
    project = _project(TIELU_TITLE)
    assert project.stage == Stage.APPROVED
    blockers = services.plan_blockers(project)
    assert [b.rule for b in blockers] == ["S-04"]
    assert "新乡铁路分局尚未提供施工改造清单" in blockers[0].text
    assert not project.items.filter(kind="water_supply").exists()
    assert SgyyRetrofit.objects.filter(community=project.community, facility="water", status="done").exists()


def test_jiankangli_residents_applied_and_wait_for_their_open_survey():
    project = _project(JIANKANG_TITLE)
    assert project.stage == Stage.APPROVED
    assert project.applied_as == RenovationProject.AppliedAs.RESIDENTS
    assert project.signers.exclude(user=project.applicant).count() + 1 >= services.MIN_RESIDENT_SIGNERS
    assert project.survey.title == SURVEY_TITLE and project.survey.status == WillingnessSurvey.Status.OPEN
    assert [(b.rule, b.text) for b in services.plan_blockers(project)] == [("R-07", "居民意愿征询尚未结束")]


def test_xinhua_waits_at_the_district_overdue():
    project = _project(XINHUA_TITLE)
    assert (project.stage, project.review_level) == (Stage.IN_REVIEW, rules.DISTRICT)
    assert rules.is_overdue(project.level_due_on, timezone.localdate())


def test_officers_at_each_level_and_the_city_joint_review():
    levels = dict(RenovationOfficer.objects.values_list("user__username", "level"))
    assert levels["bureau"] == rules.CITY
    assert levels["hongqi-qu"] == levels["weibin-qu"] == rules.DISTRICT
    assert {u for u, level in levels.items() if level == rules.SUB_DISTRICT} == {
        "xiangyang-jiedao",
        "xijie-jiedao",
        "tiexi-jiedao",
        "shenglilu-jiedao",
    }
