"""The writers of renovation projects (issue 8). Each checks permission again, refuses in Chinese before writing
anything, runs in one transaction and writes an audit entry. The rules live in property.domain.renovation.
"""

from dataclasses import dataclass
from datetime import date
from decimal import Decimal, InvalidOperation

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.html import format_html

from governance.models import NoticePage, WillingnessSurvey
from governance.services.surveys import fund_gate_state
from home.models import CommunityPage, CommunityRole
from home.services.audit import audit_record
from home.services.notifications import notify
from property import renovation_permissions as can
from property.domain import renovation as rules
from property.models import (
    AnnualPlan,
    ApplicationSigner,
    CostSharePlan,
    FundingLine,
    FundingReceipt,
    FundingSource,
    Milestone,
    ProgressReport,
    RenovationItem,
    RenovationProject,
    ReviewStep,
    SgyyConstructionList,
    SgyyRetrofit,
)

Stage = RenovationProject.Stage
Role = CommunityRole.Role
MIN_RESIDENT_SIGNERS = 10  # issue 8: ten or more residents apply where there is no owners' committee
EDITABLE_STAGES = (Stage.DRAFT, Stage.RETURNED)
ITEMS_EDITABLE_STAGES = (Stage.DRAFT, Stage.RETURNED, Stage.IN_REVIEW, Stage.APPROVED)
EXECUTION_STAGES = (Stage.PLANNED, Stage.UNDER_WAY, Stage.COMPLETED, Stage.ACCEPTED, Stage.EVALUATED)

# The community page's summary status, written only here, from the project's stage.
COMMUNITY_STATUS = {
    Stage.DRAFT: CommunityPage.RenovationStatus.APPLYING,
    Stage.IN_REVIEW: CommunityPage.RenovationStatus.APPLYING,
    Stage.RETURNED: CommunityPage.RenovationStatus.APPLYING,
    Stage.APPROVED: CommunityPage.RenovationStatus.APPLYING,
    Stage.PLANNED: CommunityPage.RenovationStatus.IN_PLAN,
    Stage.UNDER_WAY: CommunityPage.RenovationStatus.UNDER_WAY,
    Stage.COMPLETED: CommunityPage.RenovationStatus.COMPLETED,
    Stage.ACCEPTED: CommunityPage.RenovationStatus.COMPLETED,
    Stage.EVALUATED: CommunityPage.RenovationStatus.COMPLETED,
}
STAGE_AFTER_MILESTONE = {
    rules.START: Stage.UNDER_WAY,
    rules.COMPLETION: Stage.COMPLETED,
    rules.ACCEPTANCE: Stage.ACCEPTED,
    rules.EVALUATION: Stage.EVALUATED,
}


def today() -> date:
    return timezone.localdate()


def project_url(project: RenovationProject) -> str:
    return reverse("property:renovation_project", args=[project.pk])


# --- reading the facts the rules need ------------------------------------------------------------------------


def eligibility_of(project: RenovationProject) -> rules.Eligibility:
    return rules.assess(
        rules.Application(
            year_completed=project.year_completed,
            households=project.households,
            structure_safe=project.structure_safe,
            excluded_kind=project.excluded_kind,
            demolition_support_households=project.demolition_support_households,
            contributions_pledged=project.contributions_pledged,
        )
    )


def survey_result(survey: WillingnessSurvey | None) -> rules.SurveyResult | None:
    if survey is None:
        return None
    closed = survey.status == WillingnessSurvey.Status.CLOSED
    return rules.SurveyResult(
        closed=closed,
        total_households=survey.total_households or 0,
        plan_agree=survey.plan_agree or 0,
        model_agree=survey.model_agree or 0,
        raises_fund=survey.raises_maintenance_fund,
        fund_vote_passed=fund_gate_state(survey) == "passed",
    )


def sgyy_claimed_facilities(community) -> set[str]:
    """S-04: facilities renovated or scheduled under 三供一业 with a central subsidy."""
    return set(
        SgyyRetrofit.objects.filter(
            community=community,
            central_subsidy=True,
            status__in=(SgyyRetrofit.Status.SCHEDULED, SgyyRetrofit.Status.DONE),
        ).values_list("facility", flat=True)
    )


def items_total(project: RenovationProject) -> Decimal:
    return sum((item.estimated_cost for item in project.items.all()), rules.ZERO)


def plan_gate(project: RenovationProject) -> rules.PlanGate:
    community = project.community
    claimed = sgyy_claimed_facilities(community) if community.is_sgyy_compound else set()
    items = list(project.items.all())
    blocked = tuple(
        item.get_kind_display()
        for item in items
        if rules.sgyy_claim_refusal(item.kind, claimed, override_reason=item.override_reason)
    )
    return rules.PlanGate(
        eligibility=eligibility_of(project),
        approved_by_city=project.stage == Stage.APPROVED
        or any(step.level == rules.CITY and step.decision == rules.PASS for step in project.steps.all()),
        survey=survey_result(project.survey),
        sgyy_compound=community.is_sgyy_compound,
        sgyy_list_received=SgyyConstructionList.objects.filter(community=community).exists(),
        former_unit=community.former_property_unit,
        items_total=sum((item.estimated_cost for item in items), rules.ZERO),
        funding=tuple(line.amount for line in project.funding.all()),
        blocked_items=blocked,
    )


def plan_blockers(project: RenovationProject) -> list[rules.Reason]:
    return rules.plan_blockers(plan_gate(project))


def _refuse(message) -> None:
    raise ValidationError(str(message))


def _refuse_reasons(reasons: list[rules.Reason]) -> None:
    raise ValidationError([str(reason) for reason in reasons])


def _locked(project: RenovationProject) -> RenovationProject:
    return RenovationProject.objects.select_for_update().select_related("community").get(pk=project.pk)


# Several projects may run in one community (a lift application beside a project under way); the page shows the
# one that matters most now: work in progress, then a plan, then an open application, then a finished renovation.
STATUS_PRIORITY = (
    CommunityPage.RenovationStatus.UNDER_WAY,
    CommunityPage.RenovationStatus.IN_PLAN,
    CommunityPage.RenovationStatus.APPLYING,
    CommunityPage.RenovationStatus.COMPLETED,
)


def _set_stage(project: RenovationProject, stage: str) -> None:
    """Move the project and write the community page's summary status from all of its projects' stages."""
    project.stage = stage
    stages = set(
        RenovationProject.objects.filter(community_id=project.community_id)
        .exclude(pk=project.pk)
        .values_list("stage", flat=True)
    ) | {stage}
    found = {COMMUNITY_STATUS[s] for s in stages if s in COMMUNITY_STATUS and s != Stage.DRAFT}
    status = next((s for s in STATUS_PRIORITY if s in found), CommunityPage.RenovationStatus.NOT_PLANNED)
    if project.community.renovation_status != status:
        CommunityPage.objects.filter(pk=project.community_id).update(renovation_status=status)
        project.community.renovation_status = status


# --- the application -----------------------------------------------------------------------------------------

APPLICATION_FIELDS = (
    "title",
    "year_completed",
    "buildings_count",
    "households",
    "problems",
    "structure_safe",
    "structure_statement",
    "excluded_kind",
    "demolition_support_households",
    "contributions_pledged",
    "contributions_note",
    "willingness_evidence",
)


@dataclass
class ApplicationData:
    title: str
    year_completed: int
    buildings_count: int
    households: int
    problems: str
    structure_safe: bool = False
    structure_statement: str = ""
    excluded_kind: str = ""
    demolition_support_households: int | None = None
    contributions_pledged: bool = False
    contributions_note: str = ""
    willingness_evidence: str = ""


def _clean_application(data: ApplicationData) -> None:
    if not data.title.strip():
        _refuse("请填写申请名称")
    if not 1900 <= data.year_completed <= today().year:
        _refuse("请填写正确的建成年份")
    if data.buildings_count < 1 or data.households < 1:
        _refuse("楼栋数和户数必须大于零")
    if not data.problems.strip():
        _refuse("请写明小区存在的主要问题")
    if data.structure_safe and not data.structure_statement.strip():
        _refuse("请附上房屋结构安全说明")
    if data.demolition_support_households is not None and data.demolition_support_households > data.households:
        _refuse("支持拆除违法建设的户数不能多于总户数")
    if data.excluded_kind not in RenovationProject.ExcludedKind.values:
        _refuse("请选择正确的区域类型")


def application_save(
    *, actor, community, data: ApplicationData, project: RenovationProject | None = None, now=None
) -> RenovationProject:
    """Create or revise a draft (or a returned application). The eligibility verdict is recomputed each time.
    ``now``: when it happened (the demo data's past applications); default now."""
    applied_as = can.applying_as(actor, community)
    if not applied_as:
        raise PermissionDenied("只有本小区业委会成员（未成立业委会的，本小区居民）可以提出改造申请")
    _clean_application(data)
    with transaction.atomic():
        if project is None:
            project = RenovationProject(
                community=community, applicant=actor, applied_as=applied_as, created_at=now or timezone.now()
            )
            before = {}
        else:
            project = _locked(project)
            if project.community_id != community.pk:
                raise PermissionDenied("不能修改其他小区的申请")
            if project.stage not in EDITABLE_STAGES:
                _refuse("申请已提交审核，不能修改；被退回后可以修改再提交")
            before = {name: str(getattr(project, name)) for name in APPLICATION_FIELDS}
        for name in APPLICATION_FIELDS:
            setattr(project, name, getattr(data, name))
        project.verdict = eligibility_of(project).verdict
        project.save()
        audit_record(
            actor=actor,
            community=community,
            action="renovation.application_saved",
            target=project,
            before=before,
            after={name: str(getattr(project, name)) for name in APPLICATION_FIELDS},
        )
    return project


def application_sign(*, actor, project: RenovationProject, now=None) -> ApplicationSigner:
    """A verified resident of the community signs a residents' application."""
    if not can.may_sign(actor, project):
        raise PermissionDenied("只有本小区核实过的居民可以联名申请")
    if project.applied_as != RenovationProject.AppliedAs.RESIDENTS or project.stage not in EDITABLE_STAGES:
        _refuse("这份申请现在不需要联名")
    with transaction.atomic():
        signer, created = ApplicationSigner.objects.get_or_create(
            project=project, user=actor, defaults={"signed_at": now or timezone.now()}
        )
        if created:
            audit_record(actor=actor, community=project.community, action="renovation.signed", target=project)
    return signer


def application_submit(*, actor, project: RenovationProject, now=None) -> RenovationProject:
    """Send the application (or its revision) to the community's recommendation. ``now``: default now."""
    now = now or timezone.now()
    with transaction.atomic():
        project = _locked(project)
        if project.applicant_id != actor.pk and can.applying_as(actor, project.community) != project.applied_as:
            raise PermissionDenied("只有申请人可以提交")
        if project.stage not in EDITABLE_STAGES:
            _refuse("申请已在审核中")
        eligibility = eligibility_of(project)
        if eligibility.verdict == rules.INELIGIBLE:
            _refuse_reasons([reason for reason in eligibility.reasons if not reason.ok])
        if project.applied_as == RenovationProject.AppliedAs.RESIDENTS:
            signed = project.signers.exclude(user=project.applicant).count() + 1
            if signed < MIN_RESIDENT_SIGNERS:
                _refuse(f"未成立业委会的小区需{MIN_RESIDENT_SIGNERS}户以上居民联名申请，目前{signed}人")
        day = timezone.localdate(now)
        project.verdict = eligibility.verdict
        project.review_level = rules.COMMUNITY
        project.level_entered_on = day
        project.level_due_on = rules.due_on(rules.COMMUNITY, day)
        project.submitted_at = now
        _set_stage(project, Stage.IN_REVIEW)
        project.save()
        ReviewStep.objects.create(
            project=project,
            decision=ReviewStep.Decision.SUBMIT,
            actor=actor,
            signed_as=can.signature(actor, project, ""),
            opinion="",
            decided_at=now,
        )
        audit_record(actor=actor, community=project.community, action="renovation.submitted", target=project)
        _tell_reviewers(project)
    return project


def _tell_reviewers(project: RenovationProject) -> None:
    for user in can.reviewers_at(project, project.review_level):
        notify(
            recipient=user,
            title=f"待审核：{project.title}（{rules.LEVEL_LABELS[project.review_level]}）",
            body=f"请在{project.level_due_on:%Y年%m月%d日}前提出意见。",
            url=project_url(project),
        )


def review_decide(
    *, actor, project: RenovationProject, level: str, decision: str, opinion: str, now=None
) -> ReviewStep:
    """One level's opinion and decision: pass to the next level, return for revision, or reject. ``now``: when it
    was decided (the demo data's past steps); default now."""
    now = now or timezone.now()
    opinion = (opinion or "").strip()
    with transaction.atomic():
        project = _locked(project)
        refusal = rules.review_refusal(
            can.officer_at(actor, project.community, level),
            (project.review_level or None) if project.stage == Stage.IN_REVIEW else None,
            can.project_area(project),
            level,
        )
        if refusal:
            raise PermissionDenied(refusal)
        refusal = rules.decision_refusal(decision, opinion)
        if refusal:
            _refuse(refusal)
        day = timezone.localdate(now)
        step = ReviewStep.objects.create(
            project=project,
            level=level,
            decision=decision,
            opinion=opinion[:4000],
            actor=actor,
            signed_as=can.signature(actor, project, level),
            due_on=project.level_due_on,
            overdue=rules.is_overdue(project.level_due_on, day),
            decided_at=now,
        )
        following = rules.next_level(level) if decision == rules.PASS else None
        if following:
            project.review_level = following
            project.level_entered_on = day
            project.level_due_on = rules.due_on(following, day)
        else:
            project.review_level = ""
            project.level_entered_on = None
            project.level_due_on = None
            stage = {rules.PASS: Stage.APPROVED, rules.RETURN: Stage.RETURNED, rules.REJECT: Stage.REJECTED}
            _set_stage(project, stage[decision])
        project.save()
        audit_record(
            actor=actor,
            community=project.community,
            action=f"renovation.review_{decision}",
            target=project,
            after={"level": level, "decision": decision, "stage": project.stage},
            note=opinion,
        )
        notify(
            recipient=project.applicant,
            title=f"改造申请「{project.title}」：{rules.LEVEL_LABELS[level]}{rules.DECISION_LABELS[decision]}",
            body=opinion,
            url=project_url(project),
        )
        if following:
            _tell_reviewers(project)
    return step


# --- items and funding ---------------------------------------------------------------------------------------


def _decimal(value, message: str) -> Decimal:
    try:
        number = Decimal(str(value).strip().replace(",", ""))
    except (InvalidOperation, ValueError):
        _refuse(message)
    if not number.is_finite() or number.adjusted() >= 12:  # beyond the 14-digit money columns
        _refuse(message)
    return number


def item_add(
    *,
    actor,
    project: RenovationProject,
    kind: str,
    quantity,
    quantity_unit: str,
    estimated_cost,
    description: str = "",
    override_reason: str = "",
    override_document=None,
) -> RenovationItem:
    """Add one piece of work. S-04: a 三供一业 facility already renovated cannot be claimed again, unless the city
    records a reason and a document."""
    if not can.may_edit_items(actor, project):
        raise PermissionDenied("您不能修改这个项目的改造内容")
    item_kind = rules.ITEM_KIND.get(kind)
    if item_kind is None:
        _refuse("请选择改造内容")
    quantity = _decimal(quantity, "请填写正确的工程量")
    cost = _decimal(estimated_cost, "请填写正确的估算金额")
    if quantity <= 0 or cost <= 0:
        _refuse("工程量和估算金额必须大于零")
    if cost != rules.money(cost):
        _refuse("金额最多精确到分")
    if not quantity_unit.strip():
        _refuse("请填写工程量的单位，例如：米、平方米、处")
    override_reason = override_reason.strip()
    if override_reason and not (can.is_city_reviewer(actor) and override_document is not None):
        raise PermissionDenied("只有市级会审人员可以在写明理由并附上文件后作例外处理（S-04）")
    with transaction.atomic():
        project = _locked(project)
        if project.stage not in ITEMS_EDITABLE_STAGES:
            _refuse("项目已纳入年度计划，改造内容不能再修改")
        community = project.community
        if community.is_sgyy_compound:
            refusal = rules.sgyy_claim_refusal(
                kind, sgyy_claimed_facilities(community), override_reason=override_reason
            )
            if refusal:
                _refuse(refusal)
        item = RenovationItem.objects.create(
            project=project,
            kind=kind,
            category=item_kind.category,
            description=description.strip()[:300],
            quantity=quantity,
            quantity_unit=quantity_unit.strip()[:20],
            estimated_cost=cost,
            override_reason=override_reason[:300],
            override_document=override_document if override_reason else None,
        )
        audit_record(
            actor=actor,
            community=community,
            action="renovation.item_added",
            target=project,
            after={"kind": kind, "quantity": str(quantity), "cost": str(cost), "override": override_reason},
        )
    return item


def item_remove(*, actor, item: RenovationItem) -> None:
    project = item.project
    if not can.may_edit_items(actor, project):
        raise PermissionDenied("您不能修改这个项目的改造内容")
    with transaction.atomic():
        project = _locked(project)
        if project.stage not in ITEMS_EDITABLE_STAGES:
            _refuse("项目已纳入年度计划，改造内容不能再修改")
        audit_record(
            actor=actor,
            community=project.community,
            action="renovation.item_removed",
            target=project,
            before={"kind": item.kind, "cost": str(item.estimated_cost)},
        )
        item.delete()


def funding_plan_set(*, actor, project: RenovationProject, amounts: dict[str, object]) -> list[FundingLine]:
    """Replace the funding plan. The sources must add up exactly to the items' estimated cost (R-06)."""
    if not can.may_edit_items(actor, project):
        raise PermissionDenied("您不能修改这个项目的资金计划")
    lines = {}
    for source, value in amounts.items():
        if source not in FundingSource.values:
            _refuse("未知的资金来源")
        if value in (None, ""):
            continue
        amount = _decimal(value, "请填写正确的金额")
        if amount != rules.money(amount):
            _refuse("金额最多精确到分")
        lines[source] = amount
    with transaction.atomic():
        project = _locked(project)
        if project.stage not in ITEMS_EDITABLE_STAGES:
            _refuse("项目已纳入年度计划，资金计划不能再修改")
        refusal = (
            rules.funding_refusal(items_total(project), list(lines.values())) if lines else "请至少填写一项资金来源"
        )
        if refusal:
            _refuse(refusal)
        before = {line.source: str(line.amount) for line in project.funding.all()}
        project.funding.all().delete()
        created = FundingLine.objects.bulk_create(
            FundingLine(project=project, source=source, amount=amount) for source, amount in lines.items()
        )
        audit_record(
            actor=actor,
            community=project.community,
            action="renovation.funding_set",
            target=project,
            before=before,
            after={source: str(amount) for source, amount in lines.items()},
        )
    return created


def _link(*, actor, project: RenovationProject, field: str, record, action: str) -> RenovationProject:
    """Point the project at a record of its own community (its survey, its cost-sharing plan)."""
    with transaction.atomic():
        project = _locked(project)
        setattr(project, field, record)
        project.save(update_fields=[field])
        audit_record(actor=actor, community=project.community, action=action, target=project, after={field: record.pk})
    return project


def survey_link(*, actor, project: RenovationProject, survey: WillingnessSurvey) -> RenovationProject:
    """R-07 counts all households of the project: a survey of some buildings only does not open the plan."""
    if not can.may_edit_items(actor, project):
        raise PermissionDenied("您不能修改这个项目")
    if survey.community_id != project.community_id:
        _refuse("只能关联本小区的意愿征询")
    if survey.buildings.exists():
        _refuse("改造项目的意愿征询应覆盖全小区所有住户，这次征询只覆盖了部分楼栋（R-07）")
    return _link(actor=actor, project=project, field="survey", record=survey, action="renovation.survey_linked")


def cost_share_link(*, actor, project: RenovationProject, plan: CostSharePlan) -> RenovationProject:
    """The residents' share is collected through a cost-sharing plan of the fees ledger (issue 6)."""
    if not can.may_record_execution(actor, project) and not can.may_edit_items(actor, project):
        raise PermissionDenied("您不能修改这个项目")
    if plan.community_id != project.community_id:
        _refuse("只能关联本小区的分摊方案")
    return _link(
        actor=actor, project=project, field="cost_share_plan", record=plan, action="renovation.cost_share_linked"
    )


def plan_enter(*, actor, project: RenovationProject, plan: AnnualPlan, now=None) -> RenovationProject:
    """Put an approved project into the year's plan: only when nothing in plan_blockers stands in the way."""
    if not can.is_city_reviewer(actor):
        raise PermissionDenied("只有市级会审人员可以将项目纳入年度计划")
    with transaction.atomic():
        project = _locked(project)
        if project.stage != Stage.APPROVED:
            _refuse("只有通过市级会审的项目可以纳入年度计划")
        blockers = plan_blockers(project)
        if blockers:
            _refuse_reasons(blockers)
        project.plan = plan
        project.planned_at = now or timezone.now()
        _set_stage(project, Stage.PLANNED)
        project.save()
        audit_record(
            actor=actor,
            community=project.community,
            action="renovation.planned",
            target=project,
            after={"year": plan.year},
        )
    return project


# --- execution -----------------------------------------------------------------------------------------------


def _post_publicity(*, actor, project: RenovationProject, milestone: Milestone) -> NoticePage:
    """R-08/R-09: the residents are told at every milestone (公示), in a public notice on the community page."""
    label = rules.MILESTONE_LABELS[milestone.kind]
    notice = NoticePage(
        title=f"改造项目公示：{project.title}（{label}）",
        slug=f"renovation-{project.pk}-{milestone.kind}",
        notice_type=NoticePage.Type.GENERAL,
        audience=NoticePage.Audience.COMMUNITY,
        is_public=True,
        issuer=can.signature(actor, project, "")[:100],
        body=format_html(
            '<p>{}于{}{}。</p><p>{}</p><p>完成比例：{}%。</p><p><a href="{}">{}</a></p>',
            project.title,
            f"{milestone.reached_on:%Y年%m月%d日}",
            label,
            milestone.note,
            project.percent_complete,
            project_url(project),
            "项目进度与资金公示",
        ),
    )
    project.community.add_child(instance=notice)
    notice.save_revision(user=actor, log_action=True).publish(user=actor, skip_permission_checks=True)
    return notice


def milestone_record(
    *, actor, project: RenovationProject, kind: str, reached_on: date, note: str, now=None
) -> Milestone:
    """Record a milestone and publish its 公示. ``now`` dates a milestone entered for the past (the demo): the
    record and its notice then carry that moment instead of today."""
    if not can.may_record_execution(actor, project):
        raise PermissionDenied("只有本区县或市级的项目管理人员可以记录节点")
    note = (note or "").strip()
    if not note:
        _refuse("请写明本节点完成的情况")
    with transaction.atomic():
        project = _locked(project)
        if project.stage not in EXECUTION_STAGES:
            _refuse("项目纳入年度计划后才能记录实施节点")
        reached = list(project.milestones.order_by("reached_on", "id"))
        refusal = rules.milestone_refusal(
            [m.kind for m in reached], kind, reached_on, reached[-1].reached_on if reached else None, today()
        )
        if refusal:
            _refuse(refusal)
        milestone = Milestone.objects.create(
            project=project,
            kind=kind,
            reached_on=reached_on,
            note=note[:4000],
            recorded_by=actor,
            recorded_at=now or timezone.now(),
        )
        stage = STAGE_AFTER_MILESTONE.get(kind)
        if kind == rules.COMPLETION:
            project.completed_on = reached_on
            project.percent_complete = 100
        if stage:
            _set_stage(project, stage)
        project.save()
        milestone.notice = _post_publicity(actor=actor, project=project, milestone=milestone)
        milestone.save(update_fields=["notice"])
        if now is not None:
            NoticePage.objects.filter(pk=milestone.notice.pk).update(first_published_at=now, last_published_at=now)
        audit_record(
            actor=actor,
            community=project.community,
            action="renovation.milestone",
            target=project,
            after={"kind": kind, "on": str(reached_on)},
        )
    return milestone


def progress_report(*, actor, project: RenovationProject, percent, note: str, photo=None, now=None) -> ProgressReport:
    """Percent complete with a note and an optional site photo (a wagtail Image the view has made)."""
    if not can.may_report_progress(actor, project):
        raise PermissionDenied("您不能报告这个项目的进度")
    try:
        percent = int(percent)
    except (TypeError, ValueError):
        _refuse("请填写完成比例（0到100的整数）")
    note = (note or "").strip()
    if not note:
        _refuse("请写明进度说明")
    with transaction.atomic():
        project = _locked(project)
        if project.stage not in (Stage.PLANNED, Stage.UNDER_WAY):
            _refuse("只有在实施中的项目可以报告进度")
        refusal = rules.percent_refusal(percent, project.percent_complete)
        if refusal:
            _refuse(refusal)
        report = ProgressReport.objects.create(
            project=project,
            percent=percent,
            note=note[:300],
            photo=photo,
            reported_by=actor,
            reported_at=now or timezone.now(),
        )
        project.percent_complete = percent
        project.save(update_fields=["percent_complete"])
        audit_record(
            actor=actor,
            community=project.community,
            action="renovation.progress",
            target=project,
            after={"percent": percent},
        )
    return report


def receipt_record(
    *, actor, project: RenovationProject, source: str, amount, received_on: date, reference: str
) -> FundingReceipt:
    """Money received from a planned source. The residents' share comes from the fees ledger, not from here.
    A wrong receipt is corrected with a negative one carrying its own reference."""
    if not can.may_record_execution(actor, project):
        raise PermissionDenied("只有本区县或市级的项目管理人员可以登记到账资金")
    if source == FundingSource.RESIDENTS:
        _refuse("居民分摊部分按缴费台账自动汇总，不在这里登记")
    amount = _decimal(amount, "请填写正确的金额")
    if amount == 0 or amount != rules.money(amount):
        _refuse("金额不能为零，最多精确到分")
    if not (reference or "").strip():
        _refuse("请填写资金文号或凭证号")
    if received_on > today():
        _refuse("到账日期不能晚于今天")
    with transaction.atomic():
        project = _locked(project)
        if project.stage not in EXECUTION_STAGES:
            _refuse("项目纳入年度计划后才能登记到账资金")
        if not project.funding.filter(source=source).exists():
            _refuse("资金计划中没有这项来源")
        receipt = FundingReceipt.objects.create(
            project=project,
            source=source,
            amount=amount,
            received_on=received_on,
            reference=reference.strip()[:100],
            recorded_by=actor,
        )
        audit_record(
            actor=actor,
            community=project.community,
            action="renovation.receipt",
            target=project,
            after={"source": source, "amount": str(amount)},
        )
    return receipt


# --- 三供一业 records ---------------------------------------------------------------------------------------


def sgyy_retrofit_record(
    *, actor, community, facility: str, status: str, receiving_unit: str = "", scope: str = "", central_subsidy=True
) -> SgyyRetrofit:
    if not can.is_city_reviewer(actor):
        raise PermissionDenied("只有市级人员可以登记“三供一业”改造情况")
    if not community.is_sgyy_compound:
        _refuse("这个小区不是“三供一业”小区")
    if facility not in SgyyRetrofit.Facility.values or status not in SgyyRetrofit.Status.values:
        _refuse("请选择设施和改造状态")
    with transaction.atomic():
        record, _created = SgyyRetrofit.objects.update_or_create(
            community=community,
            facility=facility,
            defaults={
                "status": status,
                "receiving_unit": receiving_unit[:100],
                "scope": scope[:300],
                "central_subsidy": central_subsidy,
            },
        )
        audit_record(
            actor=actor,
            community=community,
            action="renovation.sgyy_retrofit",
            target=record,
            after={"facility": facility, "status": status},
        )
    return record


def sgyy_list_record(*, actor, community, received_on: date, document=None) -> SgyyConstructionList:
    """The former owning unit provided its construction list: the compound may now enter the plan (seed §二)."""
    if not can.is_city_reviewer(actor):
        raise PermissionDenied("只有市级人员可以登记施工改造清单")
    if not community.is_sgyy_compound:
        _refuse("这个小区不是“三供一业”小区")
    with transaction.atomic():
        record, _created = SgyyConstructionList.objects.update_or_create(
            community=community, defaults={"received_on": received_on, "document": document, "recorded_by": actor}
        )
        audit_record(actor=actor, community=community, action="renovation.sgyy_list", target=record)
    return record
