"""Readers of renovation projects for the public pages (issue 8): the project page, the public list and the city
dashboard. Every figure is aggregated in the database; the number of queries does not grow with the rows.

Money received = FundingReceipt sums per source, except the residents' share, which is read from the fees ledger:
the net payment allocations of the charges issued under the project's cost-sharing plan (property.models.ledger).
"""

from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import Count, Prefetch, Q, Sum
from django.db.models.functions import Coalesce

from home.domain.masking import mask_name
from home.models import District
from property.domain import renovation as rules
from property.models import (
    Allocation,
    FundingLine,
    FundingReceipt,
    FundingSource,
    Milestone,
    ProgressReport,
    RenovationItem,
    RenovationProject,
    ReviewStep,
)

Stage = RenovationProject.Stage
ZERO = rules.ZERO
PUBLIC_STAGES = (
    Stage.APPROVED,
    Stage.PLANNED,
    Stage.UNDER_WAY,
    Stage.COMPLETED,
    Stage.ACCEPTED,
    Stage.EVALUATED,
)
# Households benefit from a project once it is in the annual plan.
PLANNED_STAGES = (Stage.PLANNED, Stage.UNDER_WAY, Stage.COMPLETED, Stage.ACCEPTED, Stage.EVALUATED)
DONE_STAGES = (Stage.COMPLETED, Stage.ACCEPTED, Stage.EVALUATED)
# The stage list shown on the project page: the application, each review level, then R-09's steps.
REPORTS_SHOWN = 6
PHOTO_FILTER = "max-800x600"


def money(value) -> Decimal:
    return rules.money(value or 0)


# --- the residents' share from the fees ledger ----------------------------------------------------------------


def residents_received(cost_share_plan_ids) -> dict[int, Decimal]:
    """Net amount paid against the charges of each cost-sharing plan (payment allocations, negative ones undo)."""
    ids = [pk for pk in cost_share_plan_ids if pk]
    if not ids:
        return {}
    rows = (
        Allocation.objects.filter(charge__cost_share_plan_id__in=ids, kind=Allocation.Kind.PAYMENT)
        .values("charge__cost_share_plan_id")
        .annotate(total=Sum("amount"))
    )
    return {row["charge__cost_share_plan_id"]: money(row["total"]) for row in rows}


# --- the project page -----------------------------------------------------------------------------------------


@dataclass
class StageStep:
    label: str
    state: str  # "done" | "current" | "todo"


@dataclass
class FundingRow:
    source: str
    label: str
    planned: Decimal
    received: Decimal
    from_ledger: bool = False

    @property
    def gap(self) -> Decimal:
        return self.planned - self.received


@dataclass
class CategoryItems:
    code: str
    label: str
    items: list
    total: Decimal


@dataclass
class ProjectPage:
    project: RenovationProject
    stages: list[StageStep]
    categories: list[CategoryItems]
    items_total: Decimal
    funding: list[FundingRow]
    planned_total: Decimal
    received_total: Decimal
    milestones: list
    next_milestone: str | None
    reports: list
    steps: list = field(default_factory=list)

    @property
    def gap(self) -> Decimal:
        return self.planned_total - self.received_total


def project_for_page(project_id: int):
    return (
        RenovationProject.objects.select_related(
            "community__sub_district__district", "plan", "cost_share_plan", "survey"
        )
        .filter(pk=project_id)
        .first()
    )


def stage_steps(project: RenovationProject, reached_milestones: list[str]) -> list[StageStep]:
    """applied → each review level → plan → R-09's milestones; what is done, where the project is, what is ahead."""
    labels = [("applied", "提交申请")]
    labels += [(level, rules.LEVEL_LABELS[level]) for level in rules.LEVELS]
    labels += [("plan", "纳入年度计划")]
    labels += [(kind, rules.MILESTONE_LABELS[kind]) for kind in rules.MILESTONES]
    keys = [key for key, _label in labels]
    if project.stage in (Stage.DRAFT, Stage.RETURNED):
        current = "applied"
    elif project.stage in (Stage.IN_REVIEW, Stage.REJECTED):
        current = project.review_level or rules.COMMUNITY
    elif project.stage == Stage.APPROVED:
        current = "plan"
    else:
        current = rules.MILESTONES[len(reached_milestones)] if len(reached_milestones) < len(rules.MILESTONES) else None
    position = keys.index(current) if current else len(keys)
    return [
        StageStep(label, "done" if index < position else ("current" if index == position else "todo"))
        for index, (_key, label) in enumerate(labels)
    ]


def public_signature(step: ReviewStep) -> str:
    """Officers sign in role and are shown; the applying residents' names are masked (DOMAIN-RULES §8)."""
    if step.decision != ReviewStep.Decision.SUBMIT:
        return step.signed_as
    capacity, _space, name = step.signed_as.rpartition(" ")
    return f"{capacity} {mask_name(name)}" if capacity else mask_name(name)


def project_page(project: RenovationProject, *, with_steps: bool = True) -> ProjectPage:
    """Everything the project page shows, in a fixed number of queries."""
    items = list(RenovationItem.objects.filter(project=project).order_by("category", "id"))
    categories = []
    for code, label in RenovationItem.Category.choices:
        chosen = [item for item in items if item.category == code]
        if chosen:
            categories.append(CategoryItems(code, label, chosen, money(sum(i.estimated_cost for i in chosen))))
    received = {
        row["source"]: money(row["total"])
        for row in FundingReceipt.objects.filter(project=project).values("source").annotate(total=Sum("amount"))
    }
    if project.cost_share_plan_id:
        received[FundingSource.RESIDENTS] = residents_received([project.cost_share_plan_id]).get(
            project.cost_share_plan_id, ZERO
        )
    labels = dict(FundingSource.choices)
    funding = []
    planned_sources = set()
    for line in FundingLine.objects.filter(project=project).order_by("id"):
        planned_sources.add(line.source)
        funding.append(
            FundingRow(
                line.source,
                labels[line.source],
                money(line.amount),
                received.get(line.source, ZERO),
                line.source == FundingSource.RESIDENTS,
            )
        )
    for source, amount in received.items():  # money received from a source the plan no longer lists
        if source not in planned_sources and amount:
            funding.append(FundingRow(source, labels[source], ZERO, amount, source == FundingSource.RESIDENTS))
    milestones = list(Milestone.objects.filter(project=project).select_related("notice").order_by("reached_on", "id"))
    reached = [m.kind for m in milestones]
    reports = list(
        ProgressReport.objects.filter(project=project)
        .select_related("photo")
        .prefetch_related(Prefetch("photo__renditions"))
        .order_by("-reported_at", "-id")[:REPORTS_SHOWN]
    )
    steps = []
    if with_steps:
        steps = list(ReviewStep.objects.filter(project=project).order_by("decided_at", "id"))
        for step in steps:
            step.public_signature = public_signature(step)
    return ProjectPage(
        project=project,
        stages=stage_steps(project, reached),
        categories=categories,
        items_total=money(sum((i.estimated_cost for i in items), ZERO)),
        funding=funding,
        planned_total=money(sum((row.planned for row in funding), ZERO)),
        received_total=money(sum((row.received for row in funding), ZERO)),
        milestones=milestones,
        next_milestone=rules.MILESTONES[len(reached)] if len(reached) < len(rules.MILESTONES) else None,
        reports=reports,
        steps=steps,
    )


# --- the public list --------------------------------------------------------------------------------------------


def public_projects(*, district_id=None, year=None, stage=None):
    projects = (
        RenovationProject.objects.filter(stage__in=PUBLIC_STAGES)
        .select_related("community__sub_district__district", "plan")
        .order_by("-plan__year", "community__sub_district__district__name", "community__title", "id")
    )
    if district_id:
        projects = projects.filter(community__sub_district__district_id=district_id)
    if year:
        projects = projects.filter(plan__year=year)
    if stage in PUBLIC_STAGES:
        projects = projects.filter(stage=stage)
    return projects


def plan_years() -> list[int]:
    from property.models import AnnualPlan

    return list(AnnualPlan.objects.order_by("-year").values_list("year", flat=True))


# --- the city dashboard -----------------------------------------------------------------------------------------


@dataclass
class DistrictFigures:
    district: District
    by_stage: dict[str, int]
    households: int
    planned: Decimal
    received: Decimal

    @property
    def projects(self) -> int:
        return sum(self.by_stage.values())

    @property
    def gap(self) -> Decimal:
        return self.planned - self.received


@dataclass
class Dashboard:
    districts: list[DistrictFigures]
    stages: list[tuple[str, str]]
    totals: DistrictFigures


def dashboard() -> Dashboard:
    """Per district: projects by stage (applications in review counted, never shown), households of the projects in
    a plan, and for those projects the money planned and received. Five aggregate queries."""
    stages = [(value, label) for value, label in Stage.choices if value != Stage.DRAFT]
    districts = list(District.objects.order_by("name"))
    figures = {d.pk: DistrictFigures(d, {value: 0 for value, _l in stages}, 0, ZERO, ZERO) for d in districts}
    district_key = "community__sub_district__district_id"
    stage_counts = {f"n_{value}": Count("id", filter=Q(stage=value)) for value, _label in stages}
    rows = (
        RenovationProject.objects.exclude(stage=Stage.DRAFT)
        .values(district_key)
        .annotate(households=Coalesce(Sum("households", filter=Q(stage__in=PLANNED_STAGES)), 0), **stage_counts)
    )
    for row in rows:
        figure = figures.get(row[district_key])
        if figure is None:
            continue
        figure.households = row["households"]
        figure.by_stage = {value: row[f"n_{value}"] for value, _label in stages}
    planned_projects = RenovationProject.objects.filter(stage__in=PLANNED_STAGES)
    project_district = "project__community__sub_district__district_id"
    for row in (
        FundingLine.objects.filter(project__stage__in=PLANNED_STAGES)
        .values(project_district)
        .annotate(total=Sum("amount"))
    ):
        if row[project_district] in figures:
            figures[row[project_district]].planned += money(row["total"])
    for row in (
        FundingReceipt.objects.filter(project__stage__in=PLANNED_STAGES)
        .exclude(source=FundingSource.RESIDENTS)
        .values(project_district)
        .annotate(total=Sum("amount"))
    ):
        if row[project_district] in figures:
            figures[row[project_district]].received += money(row["total"])
    charge_district = "charge__community__sub_district__district_id"
    for row in (
        Allocation.objects.filter(
            kind=Allocation.Kind.PAYMENT,
            charge__cost_share_plan_id__in=planned_projects.filter(cost_share_plan__isnull=False).values(
                "cost_share_plan_id"
            ),
        )
        .values(charge_district)
        .annotate(total=Sum("amount"))
    ):
        if row[charge_district] in figures:
            figures[row[charge_district]].received += money(row["total"])
    ordered = [figures[d.pk] for d in districts]
    totals = DistrictFigures(
        None,
        {value: sum(f.by_stage[value] for f in ordered) for value, _label in stages},
        sum(f.households for f in ordered),
        money(sum((f.planned for f in ordered), ZERO)),
        money(sum((f.received for f in ordered), ZERO)),
    )
    return Dashboard(ordered, stages, totals)


# --- the county reward (seed §三) -------------------------------------------------------------------------------


@dataclass
class RewardProject:
    project: RenovationProject
    own_funds: Decimal
    on_time: bool


@dataclass
class DistrictReward:
    district: District
    deadline: object
    projects: list[RewardProject]
    reward: rules.CountyReward


def county_rewards(year: int) -> list[DistrictReward]:
    """Per district, the projects of the year's plan, each with its completion date and the district's own funds
    received (source "district"), and the reward rules.county_reward gives. One query for the projects."""
    projects = list(
        RenovationProject.objects.filter(plan__year=year)
        .select_related("community__sub_district__district", "plan")
        .annotate(
            own_funds=Coalesce(Sum("receipts__amount", filter=Q(receipts__source=FundingSource.DISTRICT)), Decimal("0"))
        )
        .order_by("community__sub_district__district__name", "community__title", "id")
    )
    grouped: dict[int, list[RenovationProject]] = {}
    for project in projects:
        grouped.setdefault(project.community.sub_district.district_id, []).append(project)
    result = []
    for members in grouped.values():
        deadline = members[0].plan.completion_deadline
        reward = rules.county_reward(
            [rules.CountyProject(p.title, p.completed_on, money(p.own_funds)) for p in members], deadline
        )
        rows = [
            RewardProject(p, money(p.own_funds), p.completed_on is not None and p.completed_on <= deadline)
            for p in members
        ]
        result.append(DistrictReward(members[0].community.sub_district.district, deadline, rows, reward))
    return result
