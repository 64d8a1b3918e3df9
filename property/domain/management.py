"""Property management after renovation: contracts and their deadlines, handover checklists, repair requests.

Pure functions (DOMAIN-RULES §3 P-01…P-11, §1 V-13, §6 S-01/S-06, seed §四). Refusals and findings are Chinese
sentences carrying the rule id, so a page can show why and not only that something was refused.
"""

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from governance.domain.committee import add_months

# --- management modes (V-13, seed §四) -----------------------------------------------------------------------

MARKET_COMPANY = "market_company"
BUNDLED = "bundled"
SELF_MANAGED = "self_managed"
NONE = "none"


def self_management_gaps(
    *, executing_body: str, scope: str, standards: str, fees: str, term_end: date | None, starts_on: date
) -> list[str]:
    """P-10: self-management must set out the executing body, the scope, standards, fees and term."""
    gaps = []
    if not executing_body.strip():
        gaps.append("请写明自行管理的执行机构（P-10）。")
    if not scope.strip():
        gaps.append("请写明自行管理的服务范围（P-10）。")
    if not standards.strip():
        gaps.append("请写明自行管理的服务标准（P-10）。")
    if not fees.strip():
        gaps.append("请写明自行管理的收费办法（P-10）。")
    if term_end is None:
        gaps.append("请写明自行管理的期限（P-10）。")
    elif term_end <= starts_on:
        gaps.append("自行管理的期限须晚于开始日期（P-10）。")
    return gaps


# --- contracts: filing and notice periods (P-01, P-02) -------------------------------------------------------

FILING_DAYS = 15  # P-01 Henan art. 49: the company files the signed contract within 15 days
HANDOVER_FILING_DAYS = 30  # P-05 Henan art. 46: the company files the handover within 30 days
DISMISSAL_DAYS = 60  # P-02 Civil Code art. 946, unless the contract says otherwise
NON_RENEWAL_DAYS = 90  # P-02 Civil Code art. 947
INDEFINITE_END_DAYS = 60  # P-02 Civil Code art. 948
HENAN_NOTICE_MONTHS = 3  # P-02 Henan art. 51: three months, for non-renewal and for ending an indefinite term
RENEWAL_DECISION_MONTHS = 3  # P-02 Henan art. 51: the assembly decides renewal at least 3 months before expiry
RENEWAL_REMINDER_LEAD_DAYS = 30  # our choice: the committee is reminded a month before that deadline

OWNERS_DISMISS = "owners_dismiss"
COMPANY_NON_RENEWAL = "company_non_renewal"
INDEFINITE_END = "indefinite_end"
NOTICE_KIND_LABELS = {
    OWNERS_DISMISS: "业主依法解聘物业服务企业",
    COMPANY_NON_RENEWAL: "物业服务企业不再续聘",
    INDEFINITE_END: "不定期合同的解除",
}


def filing_due(signed_on: date) -> date:
    """P-01: the last day to file the contract with the county housing authority and the sub-district."""
    return signed_on + timedelta(days=FILING_DAYS)


def filing_overdue(signed_on: date, filed_on: date | None, today: date) -> bool:
    if filed_on is not None:
        return filed_on > filing_due(signed_on)
    return today > filing_due(signed_on)


def renewal_decision_deadline(ends_on: date) -> date:
    """P-02 Henan art. 51: the committee convenes the assembly on renewal at least three months before expiry."""
    return add_months(ends_on, -RENEWAL_DECISION_MONTHS)


def renewal_reminder_from(ends_on: date) -> date:
    return renewal_decision_deadline(ends_on) - timedelta(days=RENEWAL_REMINDER_LEAD_DAYS)


def earliest_effective(kind: str, given_on: date, *, contract_notice_days: int | None = None) -> date:
    """The earliest day a notice given on ``given_on`` can take effect. Where national and Henan periods differ,
    the longer applies (P-02)."""
    if kind == OWNERS_DISMISS:
        # Art. 946: 60 days' written notice unless the contract agreed another period.
        days = contract_notice_days if contract_notice_days is not None else DISMISSAL_DAYS
        return given_on + timedelta(days=days)
    if kind == COMPANY_NON_RENEWAL:
        return max(given_on + timedelta(days=NON_RENEWAL_DAYS), add_months(given_on, HENAN_NOTICE_MONTHS))
    if kind == INDEFINITE_END:
        return max(given_on + timedelta(days=INDEFINITE_END_DAYS), add_months(given_on, HENAN_NOTICE_MONTHS))
    raise ValueError(kind)


def notice_problem(
    kind: str,
    *,
    given_on: date,
    effective_on: date,
    contract_ends_on: date | None,
    indefinite: bool,
    contract_notice_days: int | None = None,
) -> str | None:
    """Why a termination notice cannot stand, or None (P-02)."""
    if kind == INDEFINITE_END and not indefinite:
        return "合同尚在约定期限内，不是不定期合同；请选择解聘或不再续聘（P-02）。"
    if kind == COMPANY_NON_RENEWAL:
        if indefinite or contract_ends_on is None:
            return "不定期合同没有期满日；物业服务企业应按不定期合同解除提前通知（P-02）。"
        if effective_on != contract_ends_on:
            return f"不再续聘自合同期满之日（{contract_ends_on:%Y年%-m月%-d日}）起生效（P-02）。"
    earliest = earliest_effective(kind, given_on, contract_notice_days=contract_notice_days)
    if effective_on < earliest:
        period = {
            OWNERS_DISMISS: f"{contract_notice_days if contract_notice_days is not None else DISMISSAL_DAYS}日",
            COMPANY_NON_RENEWAL: "90日与3个月中较长者",
            INDEFINITE_END: "60日与3个月中较长者",
        }[kind]
        return (
            f"{NOTICE_KIND_LABELS[kind]}须提前{period}书面通知，"
            f"{given_on:%Y年%-m月%-d日}发出的通知最早于{earliest:%Y年%-m月%-d日}生效（P-02）。"
        )
    return None


def contract_is_indefinite(ends_on: date, today: date, *, renewed: bool, ended: bool) -> bool:
    """P-02 art. 948: a contract that ran past its end with no decision, the company still serving, continues for an
    indefinite term."""
    return not renewed and not ended and today > ends_on


# --- handover checklists (P-04, P-06, P-07, P-11, S-01) -------------------------------------------------------

DEVELOPER_TO_COMPANY = "developer_to_company"
COMPANY_TO_SUCCESSOR = "company_to_successor"
SGYY_PROPERTY = "sgyy_property"
SGYY_UTILITY = "sgyy_utility"
HANDOVER_KIND_LABELS = {
    DEVELOPER_TO_COMPANY: "建设单位向物业服务企业移交（承接查验）",
    COMPANY_TO_SUCCESSOR: "原物业服务企业退出移交",
    SGYY_PROPERTY: "三供一业：物业管理移交",
    SGYY_UTILITY: "三供一业：供水、供电、供暖（供气）设施移交",
}


@dataclass(frozen=True)
class ChecklistEntry:
    code: str
    label: str
    rule: str


_DRAWINGS = [
    ChecklistEntry("site_plan", "竣工总平面图", "P-04"),
    ChecklistEntry("building_drawings", "单体建筑、结构、设备竣工图", "P-04"),
    ChecklistEntry("ancillary_drawings", "配套设施竣工图", "P-04"),
    ChecklistEntry("pipe_networks", "地下管网竣工图", "P-04"),
    ChecklistEntry("equipment_docs", "设施设备安装、使用和维护保养等技术资料", "P-04"),
    ChecklistEntry("warranty", "物业质量保修文件和物业使用说明文件", "P-04"),
]
_COMMON = [
    ChecklistEntry("facility_list", "共用部位、共用设施设备清单", "P-04"),
    ChecklistEntry("utility_permits", "供水、供电、供气、供热、通信、有线电视等准许使用文件", "P-04"),
    ChecklistEntry("premises", "物业服务用房（面积、位置）", "P-07"),
    ChecklistEntry("keys", "共用部位、设备机房钥匙", "P-04"),
    ChecklistEntry("owner_register", "业主名册", "P-04"),
]
_SUCCESSION = [
    ChecklistEntry("premises", "物业服务用房和共用设施", "P-06"),
    ChecklistEntry("acceptance_records", "承接查验资料（竣工图、管网图、设备资料等）", "P-06"),
    ChecklistEntry("service_records", "服务期间形成的设施设备运行、维护、保养、检查记录", "P-06"),
    ChecklistEntry("fee_settlement", "预收、代收和预付、代付费用的结清", "P-06"),
    ChecklistEntry("keys", "共用部位、设备机房钥匙", "P-06"),
    ChecklistEntry("owner_register", "业主名册", "P-06"),
    ChecklistEntry("condition_statement", "物业现状的如实说明", "P-06"),
]
_UTILITY = [
    ChecklistEntry("asset_list", "移交设施资产清单", "P-11"),
    ChecklistEntry("pipe_networks", "地下管网和线路竣工图", "P-04"),
    ChecklistEntry("meters", "分户计量、分户控制改造验收资料", "P-11"),
    ChecklistEntry("agreement", "资产移交协议", "S-06"),
]
CHECKLISTS: dict[str, list[ChecklistEntry]] = {
    DEVELOPER_TO_COMPANY: [*_DRAWINGS, *_COMMON],
    COMPANY_TO_SUCCESSOR: _SUCCESSION,
    SGYY_PROPERTY: [*_DRAWINGS[:5], *_COMMON, ChecklistEntry("fee_settlement", "原单位代收费用的结清", "P-06")],
    SGYY_UTILITY: _UTILITY,
}


def checklist_for(kind: str) -> list[ChecklistEntry]:
    return list(CHECKLISTS[kind])


# Item states.
PENDING = "pending"
PRESENT = "present"
MISSING = "missing"
DEFECTIVE = "defective"
NOT_APPLICABLE = "not_applicable"
OPEN_STATES = (MISSING, DEFECTIVE)

# The four who sign a handover.
OUTGOING = "outgoing"
INCOMING = "incoming"
COMMITTEE = "committee"
SUB_DISTRICT = "sub_district"
SIGNING_PARTIES = (OUTGOING, INCOMING, COMMITTEE, SUB_DISTRICT)
PARTY_LABELS = {OUTGOING: "移交方", INCOMING: "承接方", COMMITTEE: "业主委员会", SUB_DISTRICT: "街道办事处"}


@dataclass(frozen=True)
class ItemFacts:
    label: str
    state: str
    promised_on: date | None = None
    note: str = ""
    acknowledged: bool = False
    closed: bool = False


def item_problem(item: ItemFacts) -> str | None:
    """What an item still needs before the handover can be signed (P-04: a missing document is listed with a
    written promise of a date)."""
    if item.state == PENDING:
        return f"“{item.label}”尚未查验。"
    if item.state == MISSING and item.promised_on is None and not item.closed:
        return f"“{item.label}”缺失，须写明移交方承诺补交的日期（P-04）。"
    if item.state == DEFECTIVE and not item.note.strip():
        return f"“{item.label}”有缺陷，须写明缺陷情况（P-03）。"
    if item.state == NOT_APPLICABLE and not item.note.strip():
        return f"“{item.label}”标为不适用，须写明理由。"
    if item.state in OPEN_STATES and not item.closed and not item.acknowledged:
        return f"“{item.label}”{'缺失' if item.state == MISSING else '有缺陷'}，承接方尚未确认知悉，不能签字（P-04）。"
    return None


def sign_blockers(items: Iterable[ItemFacts]) -> list[str]:
    return [problem for item in items if (problem := item_problem(item))]


def is_open_item(item: ItemFacts) -> bool:
    return item.state in OPEN_STATES and not item.closed


# --- repair requests -----------------------------------------------------------------------------------------

URGENT = "urgent"
NORMAL = "normal"
# Our service standard, shown to residents: an urgent repair (burst pipe, power cut, gas smell, trapped in a lift)
# is done within 24 hours; an ordinary one within 3 days.
RESPONSE_HOURS = {URGENT: 24, NORMAL: 72}

SUBMITTED = "submitted"
ASSIGNED = "assigned"
IN_PROGRESS = "in_progress"
DONE = "done"
CLOSED = "closed"
CANCELLED = "cancelled"
REPAIR_OPEN = (SUBMITTED, ASSIGNED, IN_PROGRESS)

RESIDENT = "resident"
COMPANY = "company"

# action: (from states, to state, who may)
REPAIR_ACTIONS: dict[str, tuple[tuple[str, ...], str, str]] = {
    "assign": ((SUBMITTED, ASSIGNED, IN_PROGRESS), ASSIGNED, COMPANY),
    "start": ((ASSIGNED,), IN_PROGRESS, COMPANY),
    "finish": ((ASSIGNED, IN_PROGRESS), DONE, COMPANY),
    "confirm": ((DONE,), CLOSED, RESIDENT),
    "reopen": ((DONE,), IN_PROGRESS, RESIDENT),
    "cancel": ((SUBMITTED, ASSIGNED), CANCELLED, RESIDENT),
}
ACTION_LABELS = {
    "assign": "派单",
    "start": "开始维修",
    "finish": "维修完成",
    "confirm": "确认完成并评价",
    "reopen": "未修好，退回",
    "cancel": "撤销报修",
}


def repair_due(filed_at: datetime, urgency: str) -> datetime:
    return filed_at + timedelta(hours=RESPONSE_HOURS[urgency])


def repair_overdue(*, status: str, due_at: datetime, done_at: datetime | None, now: datetime) -> bool:
    """Overdue: still open after the due time, or finished late (counted against on-time figures)."""
    if status in REPAIR_OPEN:
        return now > due_at
    return done_at is not None and done_at > due_at


def repair_action_problem(action: str, *, status: str, actor_kind: str, is_filer: bool) -> str | None:
    """Why this person cannot take this step on this request now, or None."""
    if action not in REPAIR_ACTIONS:
        return "没有这个操作。"
    sources, _target, who = REPAIR_ACTIONS[action]
    if who == RESIDENT and not is_filer:
        if action == "confirm":
            return "只有报修的居民本人才能确认完成，物业或业委会不能代为确认。"
        return "只有报修的居民本人才能这样做。"
    if who == COMPANY and actor_kind != COMPANY:
        return "只有为本小区服务的物业服务企业才能派单和处理报修。"
    if status not in sources:
        return "报修单当前的状态不能这样操作。"
    return None


def rating_problem(rating) -> str | None:
    if rating is None or rating not in (1, 2, 3, 4, 5):
        return "请给出1到5星的评价。"
    return None
