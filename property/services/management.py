"""The writers of property management (issue 9): companies and staff access, management modes, contracts and
notices, handovers, the 三供一业 facility handovers, repair requests and company policy questions.

Each checks permission again, refuses in Chinese before writing anything, runs in one transaction and writes an
audit entry. The rules live in property.domain.management.
"""

from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal, InvalidOperation

from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone

from governance.models import DecisionQuestion, OwnersDecision
from governance.services.policy import question_ask
from home.models import CommunityPage, CommunityRole
from home.permissions import forget_roles, is_bureau_staff
from home.services.audit import audit_record
from home.services.notifications import notify
from home.services.roles import community_roles_ensure
from property import management_permissions as can
from property.domain import management as rules
from property.models import (
    CompanyQuestion,
    CompanyStaff,
    ContractFeeRate,
    ContractNotice,
    FeeSchedule,
    Handover,
    HandoverAttachment,
    HandoverItem,
    HandoverSignature,
    ManagementBundle,
    ManagementPeriod,
    PropertyCompany,
    RepairEvent,
    RepairPhoto,
    RepairRequest,
    ServiceContract,
    SgyyRetrofit,
)
from property.permissions import household_unit_ids
from property.services import ledger

Role = CommunityRole.Role
Mode = ManagementPeriod.Mode
UTILITY_FACILITIES = (SgyyRetrofit.Facility.WATER, SgyyRetrofit.Facility.POWER, SgyyRetrofit.Facility.HEATING_GAS)


def _refuse(message, field=None):
    raise ValidationError({field: message} if field else message)


def _today() -> date:
    return timezone.localdate()


def _text(value, *, label: str, maximum: int, required: bool = True) -> str:
    value = (value or "").strip()
    if required and not value:
        _refuse(f"请填写{label}。")
    if len(value) > maximum:
        _refuse(f"{label}不能超过{maximum}个字。")
    return value


# --- companies and their staff's access --------------------------------------------------------------------


def served_community_ids(company: PropertyCompany) -> set[int]:
    """The communities whose open management period names this company (contract or bundle operator)."""
    return set(
        ManagementPeriod.objects.filter(ends_on__isnull=True)
        .filter(Q(mode=Mode.MARKET_COMPANY, contract__company=company) | Q(mode=Mode.BUNDLED, bundle__operator=company))
        .values_list("community_id", flat=True)
    )


def company_access_sync(company: PropertyCompany) -> None:
    """Give the company's active staff the property-staff role in exactly the communities it serves now; take it
    away where the company no longer serves (unless another of the user's companies does)."""
    served = served_community_ids(company) if company.active else set()
    groups = {
        role.community_id: role.group
        for role in CommunityRole.objects.filter(role=Role.PROPERTY_STAFF).select_related("group")
    }
    for community in CommunityPage.objects.filter(pk__in=served - set(groups)):
        groups[community.pk] = community_roles_ensure(community)[Role.PROPERTY_STAFF]
    for post in CompanyStaff.objects.filter(company=company).select_related("user"):
        user = post.user
        elsewhere: set[int] = set()
        for other in CompanyStaff.objects.filter(user=user, active=True, company__active=True).exclude(company=company):
            elsewhere |= served_community_ids(other.company)
        keep = (served if post.active else set()) | elsewhere
        current = set(
            CommunityRole.objects.filter(role=Role.PROPERTY_STAFF, group__user=user).values_list(
                "community_id", flat=True
            )
        )
        for community_id in keep - current:
            groups[community_id].user_set.add(user)
        # Only the communities the company served lose the role: a role granted by hand elsewhere stays.
        for community_id in (current - keep) & _ever_served(company):
            groups[community_id].user_set.remove(user)
        forget_roles(user)
        can.forget_posts(user)


def _ever_served(company: PropertyCompany) -> set[int]:
    return set(
        ManagementPeriod.objects.filter(Q(contract__company=company) | Q(bundle__operator=company)).values_list(
            "community_id", flat=True
        )
    )


@transaction.atomic
def company_staff_add(*, actor, company: PropertyCompany, user, title: str = "", is_manager=False) -> CompanyStaff:
    if not (is_bureau_staff(actor) or can.is_company_manager_of(actor, company)):
        raise PermissionDenied("只有住建局工作人员或本企业负责人可以添加企业员工账号。")
    post, _created = CompanyStaff.objects.update_or_create(
        company=company, user=user, defaults={"title": title[:50], "is_manager": is_manager, "active": True}
    )
    audit_record(actor=actor, community=None, action="management.staff_add", target=post)
    company_access_sync(company)
    return post


@transaction.atomic
def company_staff_remove(*, actor, post: CompanyStaff) -> CompanyStaff:
    if not (is_bureau_staff(actor) or can.is_company_manager_of(actor, post.company)):
        raise PermissionDenied("只有住建局工作人员或本企业负责人可以停用企业员工账号。")
    post.active = False
    post.save(update_fields=["active"])
    audit_record(actor=actor, community=None, action="management.staff_remove", target=post)
    company_access_sync(post.company)
    return post


# --- management modes (V-13, P-10, seed §四) ----------------------------------------------------------------


def current_period(community) -> ManagementPeriod | None:
    return (
        ManagementPeriod.objects.filter(community=community, ends_on__isnull=True)
        .select_related("contract__company", "bundle__operator")
        .first()
    )


def _open_period(*, actor, community, mode: str, starts_on: date, **fields) -> ManagementPeriod:
    """Close the open period the day the new one starts and open the new one. The only writer of the community
    page's ``management_mode``."""
    previous = ManagementPeriod.objects.select_for_update().filter(community=community, ends_on__isnull=True).first()
    if previous is not None:
        if starts_on < previous.starts_on:
            _refuse(f"新的管理方式不能早于现行方式的开始日期（{previous.starts_on:%Y年%-m月%-d日}）。", "starts_on")
        previous.ends_on = starts_on
        previous.save(update_fields=["ends_on"])
    period = ManagementPeriod.objects.create(
        community=community, mode=mode, starts_on=starts_on, recorded_by=actor, **fields
    )
    CommunityPage.objects.filter(pk=community.pk).update(management_mode=mode)
    community.management_mode = mode
    if hasattr(community, "_serving_company_cache"):
        del community._serving_company_cache
    audit_record(
        actor=actor,
        community=community,
        action="management.mode",
        target=period,
        before={"mode": previous.mode if previous else ""},
        after={"mode": mode, "starts_on": str(starts_on)},
    )
    for company in {
        c
        for c in (
            previous and previous.contract and previous.contract.company,
            previous and previous.bundle and previous.bundle.operator,
            period.contract and period.contract.company,
            period.bundle and period.bundle.operator,
        )
        if c
    }:
        company_access_sync(company)
    return period


def _approving_question(question, community, *, purpose: str) -> DecisionQuestion:
    """V-13, P-01: hiring or dismissing the manager is matter 4 of art. 278(1); the vote must be final and passed."""
    if question is None:
        _refuse(f"{purpose}须经业主共同决定：请选择业主大会表决通过的“选聘或解聘物业服务企业”决定（V-13、P-01）。")
    decision = question.decision
    if decision.community_id != community.pk:
        _refuse("所选表决不是本小区的业主共同决定。")
    if decision.matter != OwnersDecision.Matter.MANAGER:
        _refuse("所选表决不是“选聘或解聘物业服务企业或者其他管理人”事项（民法典第278条第一款第四项）。")
    if decision.status != OwnersDecision.Status.FINAL or question.passed is not True:
        _refuse("所选表决尚未通过，或结果尚未最终公布。")
    return question


def approving_questions(community):
    """The passed, final matter-4 questions of the community, for the forms' choices."""
    return DecisionQuestion.objects.filter(
        decision__community=community,
        decision__matter=OwnersDecision.Matter.MANAGER,
        decision__status=OwnersDecision.Status.FINAL,
        passed=True,
    ).select_related("decision")


@transaction.atomic
def self_management_start(
    *,
    actor,
    community,
    starts_on: date,
    executing_body: str,
    scope: str,
    standards: str,
    fees: str,
    term_ends_on: date | None,
    professionals: str = "",
    approving_question=None,
) -> ManagementPeriod:
    """V-13: the owners manage the property themselves; P-10 lists what the plan must set out."""
    if not can.can_record_mode(actor, community):
        raise PermissionDenied("只有业委会或社区工作人员可以登记管理方式。")
    gaps = rules.self_management_gaps(
        executing_body=executing_body,
        scope=scope,
        standards=standards,
        fees=fees,
        term_end=term_ends_on,
        starts_on=starts_on,
    )
    if gaps:
        raise ValidationError(gaps)
    if approving_question is not None:
        _approving_question(approving_question, community, purpose="自行管理")
    return _open_period(
        actor=actor,
        community=community,
        mode=Mode.SELF_MANAGED,
        starts_on=starts_on,
        executing_body=executing_body.strip()[:100],
        scope=scope.strip(),
        standards=standards.strip(),
        fees=fees.strip(),
        term_ends_on=term_ends_on,
        professionals=professionals.strip(),
        approving_question=approving_question,
    )


@transaction.atomic
def bundle_create(
    *,
    actor,
    name: str,
    sub_district,
    guarantor: str,
    started_on: date,
    communities,
    operator: PropertyCompany | None = None,
    operator_name: str = "",
    note: str = "",
) -> ManagementBundle:
    """连片打包 (seed §四): one operator for a named group of small communities of one sub-district."""
    communities = list(communities)
    if not communities:
        _refuse("请选择纳入连片管理的小区。", "communities")
    for community in communities:
        if not can.can_record_mode(actor, community):
            raise PermissionDenied("只有该小区的社区工作人员或住建局工作人员可以组织连片管理。")
        if community.sub_district_id != sub_district.pk:
            _refuse(f"{community.title}不属于{sub_district.name}，不能纳入本街道的连片管理。", "communities")
    if operator is None and not operator_name.strip():
        _refuse("请选择运营的物业服务企业，或写明运营单位。", "operator")
    bundle = ManagementBundle.objects.create(
        name=_text(name, label="连片管理名称", maximum=100),
        sub_district=sub_district,
        operator=operator,
        operator_name="" if operator else operator_name.strip()[:100],
        guarantor=_text(guarantor, label="兜底单位", maximum=100),
        started_on=started_on,
        note=note.strip(),
    )
    audit_record(actor=actor, community=None, action="management.bundle_create", target=bundle)
    for community in communities:
        _open_period(actor=actor, community=community, mode=Mode.BUNDLED, starts_on=started_on, bundle=bundle)
    return bundle


# --- contracts (P-01, P-02) -----------------------------------------------------------------------------------


@dataclass(frozen=True)
class FeeRateInput:
    unit_kind: str
    basis: str
    rate: Decimal | str


def _clean_rates(rates) -> list[FeeRateInput]:
    cleaned, kinds = [], set()
    for row in rates:
        try:
            rate = Decimal(str(row.rate))
        except (InvalidOperation, ValueError):
            _refuse("收费标准须是数字。", "fee_rates")
        if rate <= 0:
            _refuse("收费标准必须大于零。", "fee_rates")
        if row.basis not in FeeSchedule.Basis.values:
            _refuse("请选择收费方式。", "fee_rates")
        if row.unit_kind in kinds:
            _refuse("同一类房屋只能有一个收费标准。", "fee_rates")
        kinds.add(row.unit_kind)
        cleaned.append(FeeRateInput(row.unit_kind, row.basis, rate))
    if not cleaned:
        _refuse("请写明合同约定的物业费标准。", "fee_rates")
    return cleaned


@transaction.atomic
def contract_record(
    *,
    actor,
    community,
    company: PropertyCompany,
    approving_question,
    scope: str,
    standards: str,
    starts_on: date,
    ends_on: date,
    signed_on: date,
    fee_rates,
    dismissal_notice_days: int | None = None,
    document=None,
    renews: ServiceContract | None = None,
) -> ServiceContract:
    """The committee records the written contract with the company the owners chose (P-01). It opens the
    market-company period from the start date, gives the company's staff access, and writes its fee rates into the
    fees schedules (ending the rates they replace the day before)."""
    if not can.can_record_contract(actor, community):
        raise PermissionDenied("只有本小区业委会成员可以登记物业服务合同。")
    _approving_question(approving_question, community, purpose="选聘物业服务企业")
    if not company.active:
        _refuse("该物业服务企业已停用。", "company")
    scope = _text(scope, label="服务内容", maximum=5000)
    standards = _text(standards, label="服务标准", maximum=5000)
    if ends_on <= starts_on:
        _refuse("合同期满日须晚于开始日。", "ends_on")
    if signed_on > starts_on:
        _refuse("合同须在服务开始前签订。", "signed_on")
    if dismissal_notice_days is not None and not 1 <= dismissal_notice_days <= 365:
        _refuse("约定的解聘通知期应在1到365日之间。", "dismissal_notice_days")
    if renews is not None and renews.community_id != community.pk:
        _refuse("续签的合同不是本小区的合同。", "renews")
    rates = _clean_rates(fee_rates)
    in_force = ServiceContract.objects.select_for_update().filter(
        community=community, status=ServiceContract.Status.IN_FORCE
    )
    if renews is None:
        # The same company's next contract continues the one in force: it is its renewal.
        renews = in_force.filter(company=company).order_by("-starts_on").first()
    contract = ServiceContract.objects.create(
        community=community,
        company=company,
        approving_question=approving_question,
        scope=scope,
        standards=standards,
        starts_on=starts_on,
        ends_on=ends_on,
        signed_on=signed_on,
        dismissal_notice_days=dismissal_notice_days,
        document=document,
        renews=renews,
        created_by=actor,
    )
    # One contract is in force: the new one ends the one it renews and any other company's.
    in_force.exclude(pk=contract.pk).update(status=ServiceContract.Status.ENDED, ended_on=starts_on)
    reference = f"物业服务合同（{signed_on:%Y年%-m月%-d日}签订，{company.name}）"
    day_before = starts_on - timezone.timedelta(days=1)
    for row in rates:
        # The rate in force on the start day: open-ended, or a former contract's rate running to its own end.
        current = (
            FeeSchedule.objects.filter(community=community, fund="property_fees", unit_kind=row.unit_kind)
            .filter(Q(valid_until__isnull=True) | Q(valid_until__gte=starts_on))
            .order_by("-valid_from")
            .first()
        )
        if (
            current is not None
            and current.valid_until is None
            and current.valid_from <= starts_on
            and (current.basis, current.rate) == (row.basis, row.rate)
        ):
            # The contract keeps the rate already charged (a renewal at the same fee, or a contract recorded after
            # it began): the schedule goes on, months already charged stay as they are.
            ContractFeeRate.objects.create(
                contract=contract, unit_kind=row.unit_kind, basis=row.basis, rate=row.rate, schedule=current
            )
            continue
        if current is not None and current.valid_from <= day_before:
            ledger.schedule_end(actor=actor, schedule=current, valid_until=day_before)
        schedule = ledger.schedule_create(
            actor=actor,
            community=community,
            unit_kind=row.unit_kind,
            basis=row.basis,
            rate=row.rate,
            valid_from=starts_on,
            valid_until=ends_on,
            approval_reference=reference,
        )
        ContractFeeRate.objects.create(
            contract=contract, unit_kind=row.unit_kind, basis=row.basis, rate=row.rate, schedule=schedule
        )
    audit_record(
        actor=actor,
        community=community,
        action="management.contract_record",
        target=contract,
        after={"company": company.name, "starts_on": str(starts_on), "ends_on": str(ends_on)},
    )
    _open_period(actor=actor, community=community, mode=Mode.MARKET_COMPANY, starts_on=starts_on, contract=contract)
    return contract


@transaction.atomic
def contract_file(*, actor, contract: ServiceContract, filed_on: date, filed_with: str) -> ServiceContract:
    """P-01: filed with the county housing authority and the sub-district (due within 15 days of signing)."""
    if not can.can_file_contract(actor, contract):
        raise PermissionDenied("只有物业服务企业负责人或社区工作人员可以登记合同备案。")
    if filed_on < contract.signed_on:
        _refuse("备案日期不能早于签订日期。", "filed_on")
    if filed_on > _today():
        _refuse("备案日期不能晚于今天。", "filed_on")
    contract.filed_on = filed_on
    contract.filed_with = _text(filed_with, label="备案机关", maximum=100)
    contract.save(update_fields=["filed_on", "filed_with"])
    audit_record(
        actor=actor,
        community=contract.community,
        action="management.contract_file",
        target=contract,
        after={"filed_on": str(filed_on), "late": rules.filing_overdue(contract.signed_on, filed_on, filed_on)},
    )
    return contract


def contract_is_indefinite(contract: ServiceContract, today: date | None = None) -> bool:
    return rules.contract_is_indefinite(
        contract.ends_on,
        today or _today(),
        renewed=contract.renewals.exists(),
        ended=contract.status == ServiceContract.Status.ENDED,
    )


@transaction.atomic
def contract_notice_give(
    *,
    actor,
    contract: ServiceContract,
    kind: str,
    given_on: date,
    effective_on: date,
    reason: str = "",
    approving_question=None,
) -> ContractNotice:
    """P-02: a written notice ending the contract, refused when shorter than the applicable period."""
    if kind not in ContractNotice.Kind.values:
        _refuse("请选择通知的种类。", "kind")
    if not can.can_give_notice(actor, contract, kind):
        raise PermissionDenied("您不能代表这一方发出终止通知。")
    if contract.status != ServiceContract.Status.IN_FORCE:
        _refuse("合同已经终止。")
    # The owners end a contract only by their joint decision (art. 278(1)(4)): a dismissal, and an indefinite-term
    # contract ended from the owners' side (art. 948), cite the vote.
    owners_side = kind == rules.OWNERS_DISMISS or (
        kind == rules.INDEFINITE_END and not can.is_company_manager_of(actor, contract.company)
    )
    if owners_side:
        _approving_question(approving_question, contract.community, purpose="解聘物业服务企业")
        if approving_question.pk == contract.approving_question_id:
            _refuse("所选表决是选聘本企业的决定；解聘须另经业主共同决定（V-13）。", "approving_question")
    problem = rules.notice_problem(
        kind,
        given_on=given_on,
        effective_on=effective_on,
        contract_ends_on=contract.ends_on,
        indefinite=contract_is_indefinite(contract, given_on),
        contract_notice_days=contract.dismissal_notice_days,
    )
    if problem:
        _refuse(problem, "effective_on")
    notice = ContractNotice.objects.create(
        contract=contract,
        kind=kind,
        given_on=given_on,
        effective_on=effective_on,
        reason=reason.strip()[:2000],
        approving_question=approving_question,
        recorded_by=actor,
    )
    audit_record(
        actor=actor,
        community=contract.community,
        action="management.contract_notice",
        target=notice,
        after={"kind": kind, "given_on": str(given_on), "effective_on": str(effective_on)},
    )
    url = reverse("property:management", args=[contract.community_id])
    recipients = set(_committee_users(contract.community))
    if kind == rules.COMPANY_NON_RENEWAL:  # P-02 Henan art. 51: the company also reports it to the sub-district
        recipients |= set(
            get_user_model().objects.filter(
                groups__community_role__community=contract.community,
                groups__community_role__role=Role.COMMUNITY_STAFF,
            )
        )
    for user in recipients:
        notify(recipient=user, title=f"物业服务合同终止通知：{notice.get_kind_display()}", url=url)
    return notice


def _committee_users(community):
    return get_user_model().objects.filter(
        groups__community_role__community=community, groups__community_role__role=Role.OWNERS_COMMITTEE
    )


def renewal_reminders_send(today: date | None = None) -> int:
    """P-02 Henan art. 51: remind the committee a month before the last day to decide renewal (three months before
    expiry). Run daily; each contract is reminded once."""
    today = today or _today()
    sent = 0
    for contract in ServiceContract.objects.filter(
        status=ServiceContract.Status.IN_FORCE, renewal_reminded_on__isnull=True, renewals__isnull=True
    ).select_related("community", "company"):
        if today < rules.renewal_reminder_from(contract.ends_on):
            continue
        deadline = rules.renewal_decision_deadline(contract.ends_on)
        with transaction.atomic():
            for user in _committee_users(contract.community):
                notify(
                    recipient=user,
                    title=f"物业服务合同将于{contract.ends_on:%Y年%-m月%-d日}期满",
                    body=f"请于{deadline:%Y年%-m月%-d日}前召开业主大会，决定是否续聘{contract.company.name}（P-02）。",
                    url=reverse("property:management", args=[contract.community_id]),
                )
            ServiceContract.objects.filter(pk=contract.pk).update(renewal_reminded_on=today)
            audit_record(
                actor=None, community=contract.community, action="management.renewal_reminder", target=contract
            )
        sent += 1
    return sent


# --- handovers (P-03…P-06, P-11, S-06) ---------------------------------------------------------------------


@transaction.atomic
def handover_open(
    *,
    actor,
    community,
    kind: str,
    outgoing_kind: str,
    outgoing_name: str,
    incoming_kind: str,
    incoming_name: str,
    outgoing_company: PropertyCompany | None = None,
    incoming_company: PropertyCompany | None = None,
    contract: ServiceContract | None = None,
    facility: str = "",
    inspected_on: date | None = None,
) -> Handover:
    if not can.can_open_handover(actor, community):
        raise PermissionDenied("只有业委会、社区工作人员或物业服务企业负责人可以发起移交。")
    if kind not in Handover.Kind.values:
        _refuse("请选择移交的种类。", "kind")
    if kind in (rules.SGYY_PROPERTY, rules.SGYY_UTILITY) and not community.is_sgyy_compound:
        _refuse("这个小区不是“三供一业”小区。", "kind")
    if kind == rules.SGYY_UTILITY and facility not in UTILITY_FACILITIES:
        _refuse("请选择移交的设施：供水、供电或供暖（供气）。", "facility")
    if kind == rules.SGYY_PROPERTY:
        facility = SgyyRetrofit.Facility.PROPERTY_MGMT
    elif kind != rules.SGYY_UTILITY:
        facility = ""
    if outgoing_kind not in Handover.PartyKind.values or incoming_kind not in Handover.PartyKind.values:
        _refuse("请选择移交方和承接方。")
    if contract is not None and contract.community_id != community.pk:
        _refuse("所选合同不是本小区的合同。", "contract")
    handover = Handover.objects.create(
        community=community,
        kind=kind,
        facility=facility,
        outgoing_kind=outgoing_kind,
        outgoing_name=_text(outgoing_name or getattr(outgoing_company, "name", ""), label="移交方", maximum=100),
        outgoing_company=outgoing_company,
        incoming_kind=incoming_kind,
        incoming_name=_text(incoming_name or getattr(incoming_company, "name", ""), label="承接方", maximum=100),
        incoming_company=incoming_company,
        contract=contract,
        inspected_on=inspected_on,
        created_by=actor,
    )
    HandoverItem.objects.bulk_create(
        HandoverItem(handover=handover, position=position, code=entry.code, label=entry.label, rule=entry.rule)
        for position, entry in enumerate(rules.checklist_for(kind), start=1)
    )
    audit_record(actor=actor, community=community, action="management.handover_open", target=handover)
    return handover


def _require_open_handover(actor, handover: Handover) -> None:
    if not can.can_edit_handover(actor, handover):
        raise PermissionDenied("您不是这次移交的参与方。")
    if handover.status != Handover.Status.OPEN:
        _refuse("移交已签字确认，清单不能再修改；未结清事项请办理结清。")
    # Every party signs the same checklist: once one has signed, changing it would change what that party signed.
    if handover.signatures.exists():
        _refuse("已有一方签字，查验清单不能再修改；签字确认后，未结清事项可办理结清。")


@transaction.atomic
def handover_item_add(*, actor, handover: Handover, label: str) -> HandoverItem:
    _require_open_handover(actor, handover)
    last = handover.items.order_by("-position").values_list("position", flat=True).first() or 0
    item = HandoverItem.objects.create(
        handover=handover, position=last + 1, label=_text(label, label="移交事项", maximum=200)
    )
    audit_record(actor=actor, community=handover.community, action="management.handover_item_add", target=item)
    return item


def _attach(*, actor, item: HandoverItem, documents=(), images=()) -> None:
    for document in documents:
        HandoverAttachment.objects.create(item=item, document=document, uploaded_by=actor)
    for image in images:
        HandoverAttachment.objects.create(item=item, image=image, uploaded_by=actor)


@transaction.atomic
def handover_item_check(
    *,
    actor,
    item: HandoverItem,
    state: str,
    promised_on: date | None = None,
    note: str = "",
    documents=(),
    images=(),
) -> HandoverItem:
    """Record what the inspection found. Changing an item clears an earlier acknowledgement: the incoming party
    acknowledges what the item says now."""
    handover = item.handover
    _require_open_handover(actor, handover)
    if state not in HandoverItem.State.values or state == rules.PENDING:
        _refuse("请选择查验结果。", "state")
    note = (note or "").strip()[:500]
    facts = rules.ItemFacts(label=item.label, state=state, promised_on=promised_on, note=note, acknowledged=True)
    problem = rules.item_problem(facts)
    if problem:
        _refuse(problem)
    if state == rules.MISSING and promised_on is not None and promised_on < _today() - timezone.timedelta(days=365):
        _refuse("承诺补交日期不合理，请核对。", "promised_on")
    before = {"state": item.state, "promised_on": str(item.promised_on or ""), "note": item.note}
    item.state, item.note = state, note
    item.promised_on = promised_on if state == rules.MISSING else None
    item.checked_by, item.checked_at = actor, timezone.now()
    item.acknowledged_by, item.acknowledged_at = None, None
    item.save()
    _attach(actor=actor, item=item, documents=documents, images=images)
    audit_record(
        actor=actor,
        community=handover.community,
        action="management.handover_item_check",
        target=item,
        before=before,
        after={"state": state, "promised_on": str(item.promised_on or ""), "note": note},
    )
    return item


@transaction.atomic
def handover_item_acknowledge(*, actor, item: HandoverItem) -> HandoverItem:
    """The incoming party acknowledges a missing or defective item, and takes over knowing it (P-04)."""
    handover = item.handover
    if handover.status != Handover.Status.OPEN:
        _refuse("移交已签字确认。")
    if handover.signatures.exists():
        _refuse("已有一方签字，查验清单不能再修改。")
    if not can.can_acknowledge_for_incoming(actor, handover):
        raise PermissionDenied("只有承接方可以确认知悉缺失或有缺陷的事项。")
    if item.state not in rules.OPEN_STATES:
        _refuse("只有缺失或有缺陷的事项需要确认知悉。")
    item.acknowledged_by, item.acknowledged_at = actor, timezone.now()
    item.save(update_fields=["acknowledged_by", "acknowledged_at"])
    audit_record(actor=actor, community=handover.community, action="management.handover_item_ack", target=item)
    return item


def sign_blockers(handover: Handover) -> list[str]:
    return rules.sign_blockers(item.facts() for item in handover.items.all())


@transaction.atomic
def handover_sign(
    *, actor, handover: Handover, party: str, signer_name: str, signer_title: str = "", scan=None
) -> HandoverSignature:
    """One of the four parties signs. Refused while any item is unchecked, or missing or defective without the
    incoming party's acknowledgement. The fourth signature closes the inspection; the records then belong to the
    owners (P-05)."""
    handover = Handover.objects.select_for_update().get(pk=handover.pk)
    if party not in HandoverSignature.Party.values:
        _refuse("请选择签字的一方。", "party")
    capacity = can.signing_capacity(actor, handover, party)
    if capacity is None:
        raise PermissionDenied(f"您不能代表{rules.PARTY_LABELS[party]}签字。")
    if handover.status != Handover.Status.OPEN:
        _refuse("移交已签字确认。")
    if handover.signatures.filter(party=party).exists():
        _refuse(f"{rules.PARTY_LABELS[party]}已经签字。")
    if capacity == "scan" and scan is None:
        _refuse(f"{rules.PARTY_LABELS[party]}没有本平台账号：请上传其签字的纸质页扫描件。", "scan")
    blockers = sign_blockers(handover)
    if blockers:
        raise ValidationError(blockers)
    signature = HandoverSignature.objects.create(
        handover=handover,
        party=party,
        signer_name=_text(signer_name, label="签字人姓名", maximum=50),
        signer_title=signer_title.strip()[:100],
        scan=scan,
        recorded_by=actor,
    )
    audit_record(actor=actor, community=handover.community, action="management.handover_sign", target=signature)
    if handover.signatures.count() == len(rules.SIGNING_PARTIES):
        handover.status, handover.signed_at = Handover.Status.SIGNED, timezone.now()
        handover.save(update_fields=["status", "signed_at"])
        audit_record(actor=actor, community=handover.community, action="management.handover_signed", target=handover)
    return signature


@transaction.atomic
def handover_item_close(*, actor, item: HandoverItem, closing_note: str, documents=(), images=()) -> HandoverItem:
    """A missing document delivered or a defect mended after sign-off: the item leaves the community page."""
    handover = item.handover
    if not can.can_edit_handover(actor, handover):
        raise PermissionDenied("您不是这次移交的参与方。")
    if not item.is_open:
        _refuse("这一事项没有待结清的问题。")
    item.closing_note = _text(closing_note, label="结清情况", maximum=500)
    item.closed_by, item.closed_at = actor, timezone.now()
    item.save(update_fields=["closing_note", "closed_by", "closed_at"])
    _attach(actor=actor, item=item, documents=documents, images=images)
    audit_record(actor=actor, community=handover.community, action="management.handover_item_close", target=item)
    return item


@transaction.atomic
def handover_file(*, actor, handover: Handover, filed_on: date) -> Handover:
    """P-05: the company files the handover within 30 days."""
    if not can.can_edit_handover(actor, handover):
        raise PermissionDenied("您不是这次移交的参与方。")
    if handover.status != Handover.Status.SIGNED:
        _refuse("移交签字确认后才能备案。")
    if filed_on > _today() or filed_on < handover.signed_at.date():
        _refuse("备案日期应在签字确认之后、今天或以前。", "filed_on")
    handover.filed_on = filed_on
    handover.save(update_fields=["filed_on"])
    audit_record(actor=actor, community=handover.community, action="management.handover_file", target=handover)
    return handover


@transaction.atomic
def sgyy_facility_handover_record(
    *,
    actor,
    community,
    facility: str,
    handover_status: str,
    receiving_unit: str = "",
    metered_per_household: bool = False,
    agreement_on: date | None = None,
    transferred_on: date | None = None,
    order: str = "",
) -> SgyyRetrofit:
    """S-06, P-11: one 三供一业 facility's handover to its receiving utility or company. A facility with no retrofit
    record gets one marked 'no retrofit', which the S-04 duplicate check ignores."""
    if not (can.is_community_staff(actor, community) or is_bureau_staff(actor)):
        raise PermissionDenied("只有社区工作人员或住建局工作人员可以登记“三供一业”移交。")
    if not community.is_sgyy_compound:
        _refuse("这个小区不是“三供一业”小区。")
    if facility not in SgyyRetrofit.Facility.values:
        _refuse("请选择设施。", "facility")
    if handover_status not in SgyyRetrofit.HandoverStatus.values:
        _refuse("请选择移交状态。", "handover_status")
    if order and order not in SgyyRetrofit.Order.values:
        _refuse("请选择改造与移交的先后。", "order")
    if handover_status != SgyyRetrofit.HandoverStatus.NOT_STARTED and not receiving_unit.strip():
        _refuse("请写明接收单位。", "receiving_unit")
    if handover_status != SgyyRetrofit.HandoverStatus.NOT_STARTED and agreement_on is None:
        _refuse("请写明移交协议签订日期。", "agreement_on")
    if handover_status == SgyyRetrofit.HandoverStatus.TRANSFERRED and transferred_on is None:
        _refuse("请写明资产移交日期。", "transferred_on")
    if agreement_on and transferred_on and transferred_on < agreement_on:
        _refuse("资产移交日期不能早于协议签订日期。", "transferred_on")
    if (
        facility != SgyyRetrofit.Facility.PROPERTY_MGMT
        and handover_status == SgyyRetrofit.HandoverStatus.TRANSFERRED
        and not metered_per_household
    ):
        _refuse("供水、供电、供暖（供气）设施应完成分户计量、分户控制改造后再移交给专业经营单位（P-11、S-02）。")
    record, created = SgyyRetrofit.objects.get_or_create(
        community=community, facility=facility, defaults={"status": SgyyRetrofit.Status.NONE}
    )
    before = {"handover_status": "" if created else record.handover_status}
    record.handover_status = handover_status
    record.receiving_unit = receiving_unit.strip()[:100]
    record.metered_per_household = metered_per_household
    record.agreement_on, record.transferred_on, record.order = agreement_on, transferred_on, order
    record.save()
    audit_record(
        actor=actor,
        community=community,
        action="management.sgyy_handover",
        target=record,
        before=before,
        after={"facility": facility, "handover_status": handover_status, "metered": metered_per_household},
    )
    return record


# --- repair requests ------------------------------------------------------------------------------------------


def _event(request: RepairRequest, *, action: str, from_status: str, actor, note: str = "") -> RepairEvent:
    return RepairEvent.objects.create(
        request=request, action=action, from_status=from_status, to_status=request.status, actor=actor, note=note
    )


def repair_url(request: RepairRequest) -> str:
    return reverse("property:repair", args=[request.pk])


@transaction.atomic
def repair_file(
    *,
    actor,
    community,
    where: str,
    location: str,
    category: str,
    description: str,
    urgency: str = rules.NORMAL,
    unit=None,
    images=(),
    now: datetime | None = None,
) -> RepairRequest:
    if not can.can_file_repair(actor, community):
        raise PermissionDenied("只有本小区已核实身份的居民可以报修。")
    if where not in RepairRequest.Where.values:
        _refuse("请选择报修部位：公共部位或自家。", "where")
    if category not in RepairRequest.Category.values:
        _refuse("请选择报修类别。", "category")
    if urgency not in RepairRequest.Urgency.values:
        _refuse("请选择紧急程度。", "urgency")
    if where == RepairRequest.Where.OWN_UNIT:
        if unit is None or unit.pk not in household_unit_ids(actor, community):
            _refuse("请选择您自己家的房屋。", "unit")
    else:
        unit = None
    now = now or timezone.now()
    request = RepairRequest.objects.create(
        community=community,
        company_id=can.serving_company_id(community),
        where=where,
        unit=unit,
        location=_text(location, label="报修位置", maximum=100),
        category=category,
        urgency=urgency,
        description=_text(description, label="问题描述", maximum=1000),
        filed_by=actor,
        filed_at=now,
        due_at=rules.repair_due(now, urgency),
    )
    for image in images:
        RepairPhoto.objects.create(request=request, image=image, uploaded_by=actor)
    _event(request, action="file", from_status="", actor=actor)
    audit_record(actor=actor, community=community, action="repair.file", target=request)
    handlers = CommunityRole.objects.filter(community=community, role=Role.PROPERTY_STAFF).first()
    if handlers is not None:
        for user in handlers.group.user_set.all():
            notify(
                recipient=user,
                title=f"新报修：{request.location}",
                body=request.description[:100],
                url=repair_url(request),
            )
    return request


@transaction.atomic
def repair_act(
    *,
    actor,
    request: RepairRequest,
    action: str,
    note: str = "",
    assignee=None,
    rating: int | None = None,
    images=(),
    now: datetime | None = None,
) -> RepairRequest:
    """Every step after filing. The company assigns, starts and finishes; only the resident who filed confirms
    (with a rating), sends it back, or cancels."""
    request = RepairRequest.objects.select_for_update().get(pk=request.pk)
    community = request.community
    actor_kind = rules.COMPANY if can.can_handle_repairs(actor, community) else ""
    is_filer = request.filed_by_id == actor.pk
    problem = rules.repair_action_problem(action, status=request.status, actor_kind=actor_kind, is_filer=is_filer)
    if problem:
        who = rules.REPAIR_ACTIONS.get(action, (None, None, None))[2]
        if (who == rules.RESIDENT and not is_filer) or (who == rules.COMPANY and actor_kind != rules.COMPANY):
            raise PermissionDenied(problem)
        _refuse(problem)
    note = (note or "").strip()[:500]
    now = now or timezone.now()
    from_status = request.status
    if action == "assign":
        if assignee is None or not can.can_handle_repairs(assignee, community):
            _refuse("请选择本小区的物业维修人员。", "assignee")
        request.assigned_to = assignee
    if action == "finish":
        request.done_at = now
    if action == "reopen":
        if not note:
            _refuse("请说明哪里没有修好。", "note")
        request.done_at = None
    if action == "confirm":
        problem = rules.rating_problem(rating)
        if problem:
            _refuse(problem, "rating")
        request.rating, request.rating_comment, request.closed_at = rating, note[:300], now
    request.status = rules.REPAIR_ACTIONS[action][1]
    request.save()
    stage = RepairPhoto.Stage.REPAIRED if actor_kind == rules.COMPANY else RepairPhoto.Stage.REPORTED
    for image in images:
        RepairPhoto.objects.create(request=request, image=image, stage=stage, uploaded_by=actor)
    _event(request, action=action, from_status=from_status, actor=actor, note=note)
    audit_record(
        actor=actor,
        community=community,
        action=f"repair.{action}",
        target=request,
        before={"status": from_status},
        after={"status": request.status},
    )
    if actor.pk != request.filed_by_id:
        notify(
            recipient=request.filed_by,
            title=f"您的报修“{request.location}”：{request.get_status_display()}",
            body=note,
            url=repair_url(request),
        )
    if action == "assign" and assignee.pk != actor.pk:
        notify(
            recipient=assignee,
            title=f"派单：{request.location}",
            body=request.description[:100],
            url=repair_url(request),
        )
    return request


def repairs_overdue_notify(now: datetime | None = None) -> int:
    """Daily: tell each community's committee which requests are past their due time and still open."""
    now = now or timezone.now()
    overdue = RepairRequest.objects.filter(status__in=rules.REPAIR_OPEN, due_at__lt=now)
    sent = 0
    for community_id in set(overdue.values_list("community_id", flat=True)):
        community = CommunityPage.objects.get(pk=community_id)
        count = overdue.filter(community_id=community_id).count()
        for user in _committee_users(community):
            notify(
                recipient=user,
                title=f"{community.title}有{count}件报修超时未完成",
                url=reverse("property:repair_oversight", args=[community_id]),
                email=False,
            )
            sent += 1
    return sent


# --- policy consultation for companies --------------------------------------------------------------------


@transaction.atomic
def company_question_ask(*, actor, company: PropertyCompany, title: str, details: str = "", topic=None):
    """A company asks the bureau through the policy Q&A; the question is tagged with the company."""
    if not can.is_company_staff_of(actor, company):
        raise PermissionDenied("只有本企业员工可以以企业名义提问。")
    question = question_ask(asker=actor, title=title, details=details, topic=topic, on_behalf_of=company.name)
    CompanyQuestion.objects.create(company=company, question=question)
    return question


def company_question_answered(question) -> int:
    """The bureau answered a company question: every active manager of the company hears it (the asker already
    did). Connected to governance's policy_question_answered signal."""
    link = CompanyQuestion.objects.filter(question=question).select_related("company").first()
    if link is None:
        return 0
    sent = 0
    for post in (
        link.company.staff.filter(active=True, is_manager=True).exclude(user=question.asker).select_related("user")
    ):
        notify(
            recipient=post.user,
            title=f"住建局答复了{link.company.name}的政策咨询",
            body=question.title,
            url=reverse("governance:policy_question", args=[question.pk]),
        )
        sent += 1
    return sent
