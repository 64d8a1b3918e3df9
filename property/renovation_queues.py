"""Reads for the renovation review pages (issue 8): each reviewer's queues, one project's review page and the
三供一业 record of a compound. Written once with select_related / prefetch_related so that a page's query count
does not grow with the number of projects.
"""

from dataclasses import dataclass, field
from datetime import date

from django.db.models import Prefetch, Q

from home.models import CommunityRole
from home.permissions import is_bureau_staff
from property import renovation_permissions as can
from property.domain import renovation as rules
from property.models import (
    RenovationProject,
    ReviewStep,
    SgyyConstructionList,
    SgyyRetrofit,
)

Stage = RenovationProject.Stage
Role = CommunityRole.Role


@dataclass(frozen=True)
class QueueRow:
    project: RenovationProject
    days_in_queue: int
    due_on: date | None
    overdue: bool


@dataclass
class Queue:
    """The projects waiting at one level within the reviewer's area."""

    level: str
    area: str  # where the reviewer acts, in Chinese ("" for the city)
    read_only: bool = False
    rows: list[QueueRow] = field(default_factory=list)
    total: int = 0
    overdue: int = 0

    @property
    def label(self) -> str:
        return rules.LEVEL_LABELS[self.level]


def _row(project: RenovationProject, today: date) -> QueueRow:
    entered = project.level_entered_on
    return QueueRow(
        project=project,
        days_in_queue=(today - entered).days if entered else 0,
        due_on=project.level_due_on,
        overdue=rules.is_overdue(project.level_due_on, today),
    )


def area_of(officer) -> str:
    """Where an officer below the city acts, for the queue heading (one query for the area's name)."""
    return str(officer.sub_district or officer.district or "")


def reviewer_scopes(user) -> list[tuple[str, Q, str, bool]]:
    """(level, filter on projects, area label, read only) for each level the user reviews at, in chain order.

    Community staff act at the community level for their communities; officers at their own level in their area
    (the city everywhere). Bureau staff who are not reviewers read every level's queue without acting."""
    if user is None or not user.is_authenticated:
        return []
    scopes = []
    staff_of = list(
        CommunityRole.objects.filter(role=Role.COMMUNITY_STAFF, group__user=user)
        .order_by("community__title")
        .values_list("community_id", "community__title")
    )
    if staff_of:
        scopes.append(
            (
                rules.COMMUNITY,
                Q(community_id__in=[pk for pk, _title in staff_of]),
                "、".join(title for _pk, title in staff_of),
                False,
            )
        )
    officer = can.officer_of(user)
    if officer is not None:
        if officer.level == rules.SUB_DISTRICT:
            scopes.append(
                (rules.SUB_DISTRICT, Q(community__sub_district_id=officer.sub_district_id), area_of(officer), False)
            )
        elif officer.level == rules.DISTRICT:
            scopes.append(
                (rules.DISTRICT, Q(community__sub_district__district_id=officer.district_id), area_of(officer), False)
            )
        else:
            scopes.append((rules.CITY, Q(), "", False))
    if not scopes and is_bureau_staff(user):
        scopes = [(level, Q(), "", True) for level in rules.LEVELS]
    return scopes


def review_queues(user, today: date, *, overdue_only: bool = False) -> list[Queue]:
    """The user's queues, one per level they act at, each with its counts (the counts ignore the filter).

    Two or three queries whatever the number of projects: the user's community-staff roles, their officer record
    (cached on the user) and one query for every queue's projects."""
    scopes = reviewer_scopes(user)
    if not scopes:
        return []
    queues = {}
    condition = Q(pk__in=[])
    for level, scope, area, read_only in scopes:
        queues[level] = Queue(level=level, area=area, read_only=read_only)
        condition |= Q(review_level=level) & scope
    projects = (
        RenovationProject.objects.filter(condition, stage=Stage.IN_REVIEW)
        .select_related("community", "community__sub_district", "community__sub_district__district")
        .order_by("level_due_on", "submitted_at", "id")
    )
    for project in projects:
        queue = queues[project.review_level]
        row = _row(project, today)
        queue.total += 1
        queue.overdue += row.overdue
        if row.overdue or not overdue_only:
            queue.rows.append(row)
    return [queues[level] for level in rules.LEVELS if level in queues]


def awaiting_plan(user) -> list[RenovationProject]:
    """Approved projects the city may put into a year's plan (its plan page lists what still blocks each): for the
    city's reviewers and, to read, the bureau. One query."""
    if not (can.is_city_reviewer(user) or is_bureau_staff(user)):
        return []
    return list(
        RenovationProject.objects.filter(stage=Stage.APPROVED)
        .select_related("community", "community__sub_district", "community__sub_district__district")
        .order_by("community__sub_district__district__name", "id")
    )


def review_project(project_id: int):
    """One project with what its review page shows: community, applicant, items, funding and every step."""
    return (
        RenovationProject.objects.select_related(
            "community", "community__sub_district", "community__sub_district__district", "applicant", "plan", "survey"
        )
        .prefetch_related(
            "items",
            "funding",
            Prefetch("steps", queryset=ReviewStep.objects.order_by("decided_at", "id")),
        )
        .filter(pk=project_id)
        .first()
    )


def chain_progress(project: RenovationProject) -> list[dict]:
    """The four levels with what happened at each most recently: passed, here now, returned/rejected, or waiting."""
    latest = {}
    for step in project.steps.all():
        if step.level:
            latest[step.level] = step
    rows = []
    for level in rules.LEVELS:
        step = latest.get(level)
        current = project.stage == Stage.IN_REVIEW and project.review_level == level
        rows.append(
            {
                "level": level,
                "label": rules.LEVEL_LABELS[level],
                "current": current,
                "step": None if current else step,
            }
        )
    return rows


@dataclass
class SgyyStatus:
    """What the 三供一业 page shows of a compound: each facility's record, the construction list, and why the
    compound is blocked from the plan (S-04), in the domain's own words."""

    facilities: list[dict]
    construction_list: SgyyConstructionList | None
    blockers: list[rules.Reason]
    claimed: list[str]  # labels of facilities whose items cannot be claimed again (S-04)
    projects: list[RenovationProject]


def sgyy_status(community) -> SgyyStatus:
    retrofits = {record.facility: record for record in SgyyRetrofit.objects.filter(community=community)}
    construction_list = (
        SgyyConstructionList.objects.select_related("document", "recorded_by").filter(community=community).first()
    )
    facilities = [
        {"code": code, "label": label, "record": retrofits.get(code)} for code, label in SgyyRetrofit.Facility.choices
    ]
    gate = rules.PlanGate(
        eligibility=rules.Eligibility(rules.CORE, ()),
        approved_by_city=True,
        survey=rules.SurveyResult(True, 1, 1, 1),
        sgyy_compound=True,
        sgyy_list_received=construction_list is not None,
        former_unit=community.former_property_unit,
        items_total=rules.ZERO,
        funding=(),
    )
    blockers = [reason for reason in rules.plan_blockers(gate) if reason.rule == "S-04"]
    claimed = [rules.FACILITY_LABELS[record.facility] for record in retrofits.values() if record.central_subsidy]
    projects = list(
        RenovationProject.objects.filter(community=community)
        .exclude(stage__in=(Stage.DRAFT, Stage.REJECTED))
        .order_by("-created_at", "-id")
    )
    return SgyyStatus(facilities, construction_list, blockers, claimed, projects)
