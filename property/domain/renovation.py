"""Old-community renovation: eligibility, the five-level review chain, the plan gate, 三供一业, money and reward.

Pure functions (DOMAIN-RULES §4 R-01…R-09, §6 S-04, seed §一–§三). Every check returns its reasons in Chinese with
the rule id, so a page can explain a decision instead of silently making it. Money is Decimal, rounded half-up to
the fen; shares are compared by cross-multiplying integers.
"""

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date, timedelta
from decimal import ROUND_DOWN, ROUND_HALF_UP, Decimal

CENT = Decimal("0.01")
ZERO = Decimal("0.00")

# the focus is communities completed before the end of 2000. R-02 (Henan): 2001–2005 may be supported and
# are kept in the project reserve; later communities are not old communities in this programme.
CORE_LAST_YEAR = 2000
RESERVE_LAST_YEAR = 2005

# Seed §三: a county that finishes all its projects of the year in time gets 30% of its own funds as a reward.
COUNTY_REWARD_SHARE = Decimal("0.30")


def money(value) -> Decimal:
    return Decimal(value).quantize(CENT, rounding=ROUND_HALF_UP)


@dataclass(frozen=True)
class Reason:
    """One finding of a check: the rule it rests on and what it means for this project, in Chinese."""

    rule: str
    text: str
    ok: bool = False  # a condition met (shown with a tick) rather than one that blocks

    def __str__(self) -> str:
        return f"{self.text}（{self.rule}）"


# --- the item catalogue --------------------------------------------------------------------------------

BASIC = "basic"
IMPROVEMENT = "improvement"
ENHANCEMENT = "enhancement"
CATEGORY_LABELS = {BASIC: "基础类", IMPROVEMENT: "完善类", ENHANCEMENT: "提升类"}

# S-01: the four facilities of 三供一业.
WATER = "water"
POWER = "power"
HEATING_GAS = "heating_gas"
PROPERTY_MGMT = "property_mgmt"
FACILITY_LABELS = {WATER: "供水", POWER: "供电", HEATING_GAS: "供暖（供气）", PROPERTY_MGMT: "物业管理"}


@dataclass(frozen=True)
class ItemKind:
    code: str
    label: str
    category: str
    facility: str = ""  # the 三供一业 facility the item renews, if any (S-04)


ITEM_KINDS: tuple[ItemKind, ...] = (
    # 基础类: safety and basic living needs.
    ItemKind("water_supply", "供水管网及二次供水改造", BASIC, WATER),
    ItemKind("drainage", "排水管网及雨污分流", BASIC),
    ItemKind("power_supply", "供电线路及配电设施改造", BASIC, POWER),
    ItemKind("gas", "燃气管道改造", BASIC, HEATING_GAS),
    ItemKind("heating", "供热管网改造", BASIC, HEATING_GAS),
    ItemKind("roof", "屋面防水维修", BASIC),
    ItemKind("walls", "外墙维修及安全隐患整治", BASIC),
    ItemKind("stairwell", "楼道等公共部位维修", BASIC),
    ItemKind("roads", "小区道路修缮", BASIC),
    ItemKind("fire_safety", "消防设施改造", BASIC),
    ItemKind("security", "安防设施", BASIC),
    ItemKind("waste_sorting", "垃圾分类设施", BASIC),
    ItemKind("telecom", "通信及光纤入户", BASIC),
    ItemKind("overhead_cables", "架空线规整（入地）", BASIC),
    # 完善类: convenience and better living.
    ItemKind("illegal_structures", "拆除违法建设", IMPROVEMENT),
    ItemKind("greening_lighting", "绿化及照明", IMPROVEMENT),
    ItemKind("energy_retrofit", "建筑节能改造", IMPROVEMENT),
    ItemKind("lift", "加装电梯", IMPROVEMENT),
    ItemKind("accessibility", "适老化及无障碍设施", IMPROVEMENT),
    ItemKind("parking", "停车设施", IMPROVEMENT),
    ItemKind("ev_charging", "电动自行车及汽车充电设施", IMPROVEMENT),
    ItemKind("parcel_boxes", "智能快件箱、信报箱", IMPROVEMENT),
    ItemKind("fitness", "文化休闲及健身设施", IMPROVEMENT),
    ItemKind("property_premises", "物业用房", IMPROVEMENT, PROPERTY_MGMT),
    # 提升类: richer community services.
    ItemKind("service_centre", "社区综合服务设施", ENHANCEMENT),
    ItemKind("health_station", "卫生服务站", ENHANCEMENT),
    ItemKind("elderly_care", "养老服务设施", ENHANCEMENT),
    ItemKind("childcare", "托育及幼儿园", ENHANCEMENT),
    ItemKind("canteen", "助餐设施", ENHANCEMENT),
    ItemKind("convenience", "便民市场、便利店", ENHANCEMENT),
    ItemKind("post_point", "邮政快递末端网点", ENHANCEMENT),
    ItemKind("smart_perimeter", "周界防护及智能感知", ENHANCEMENT),
)
ITEM_KIND = {kind.code: kind for kind in ITEM_KINDS}


# --- and seed §一: eligibility -----------------------------------------------------------------

CORE = "core"
RESERVE = "reserve"
INELIGIBLE = "ineligible"
VERDICT_LABELS = {CORE: "可纳入改造计划", RESERVE: "仅可纳入项目储备库", INELIGIBLE: "不符合改造条件"}

NOT_EXCLUDED = ""
SELF_BUILT = "self_built"
SHANTY_DEMOLITION = "shanty_demolition"
URBAN_VILLAGE = "urban_village"
EXPROPRIATION = "expropriation"
EXCLUDED_KIND_LABELS = {
    SELF_BUILT: "以居民自建房为主的区域",
    SHANTY_DEMOLITION: "拟拆除新建的棚户区",
    URBAN_VILLAGE: "城中村",
    EXPROPRIATION: "已列入征收计划",
}

# Seed §一: a "特别小" community needs, besides the general conditions, high support for removing illegal
# structures and residents contributing money and materials. "High" is not quantified in the seed; we read it
# as the same two thirds of households the owners' major decisions need (V-03), and say so on the page.
TINY_HOUSEHOLDS = 100


@dataclass(frozen=True)
class Application:
    """What the eligibility check reads of an application."""

    year_completed: int
    households: int
    structure_safe: bool
    excluded_kind: str = NOT_EXCLUDED
    demolition_support_households: int | None = None  # tiny communities only
    contributions_pledged: bool = False  # tiny communities only


@dataclass(frozen=True)
class Eligibility:
    verdict: str
    reasons: tuple[Reason, ...]

    @property
    def label(self) -> str:
        return VERDICT_LABELS[self.verdict]


def is_tiny(households: int) -> bool:
    return 0 < households < TINY_HOUSEHOLDS


def assess(application: Application) -> Eligibility:
    """The verdict and every reason for it, passing or not (R-01, R-02, R-03, seed §一)."""
    reasons: list[Reason] = []
    verdict = CORE
    year = application.year_completed
    if year <= CORE_LAST_YEAR:
        reasons.append(Reason("R-01", f"建成于{year}年，属2000年底前建成的重点改造小区", ok=True))
    elif year <= RESERVE_LAST_YEAR:
        verdict = RESERVE
        reasons.append(
            Reason("R-02", f"建成于{year}年（2001—2005年），可适当支持，只能纳入项目储备库，不能进入年度改造计划")
        )
    else:
        verdict = INELIGIBLE
        reasons.append(Reason("R-01", f"建成于{year}年，晚于2005年，不属于老旧小区改造范围"))
    if application.excluded_kind:
        verdict = INELIGIBLE
        label = EXCLUDED_KIND_LABELS.get(application.excluded_kind, application.excluded_kind)
        reasons.append(Reason("R-03", f"{label}不在老旧小区改造范围内"))
    if application.structure_safe:
        reasons.append(Reason("R-01", "已提供房屋结构安全说明：结构安全，不宜整体拆除重建", ok=True))
    else:
        verdict = INELIGIBLE
        reasons.append(Reason("R-01", "房屋结构安全未得到确认：老旧小区改造只适用于结构安全、不宜整体拆除重建的房屋"))
    if is_tiny(application.households):
        support = application.demolition_support_households
        if support is None or 3 * support < 2 * application.households:
            verdict = INELIGIBLE
            reasons.append(
                Reason(
                    "种子文件§一",
                    f"特别小的小区（{application.households}户）需拆除违法建设支持率高（按不低于三分之二户计）",
                )
            )
        else:
            reasons.append(Reason("种子文件§一", f"拆除违法建设支持{support}户，达到三分之二以上", ok=True))
        if not application.contributions_pledged:
            verdict = INELIGIBLE
            reasons.append(Reason("种子文件§一", "特别小的小区需居民捐资捐物、投工投劳的承诺"))
    return Eligibility(verdict, tuple(reasons))


# --- the review chain (seed §一) ------------------------------------------------------------------------------

COMMUNITY = "community"
SUB_DISTRICT = "sub_district"
DISTRICT = "district"
CITY = "city"
LEVELS: tuple[str, ...] = (COMMUNITY, SUB_DISTRICT, DISTRICT, CITY)
LEVEL_LABELS = {
    COMMUNITY: "社区推荐",
    SUB_DISTRICT: "街道办事处审核",
    DISTRICT: "县（市、区）政府综合评定",
    CITY: "市相关部门会审",
}
# Working days are not modelled; calendar days per level, generous enough for a monthly meeting.
LEVEL_DAYS = {COMMUNITY: 15, SUB_DISTRICT: 15, DISTRICT: 20, CITY: 30}

PASS = "pass"  # noqa: S105 (a review decision, not a password)
RETURN = "return"
REJECT = "reject"
DECISION_LABELS = {PASS: "通过", RETURN: "退回修改", REJECT: "不予通过"}


def next_level(level: str) -> str | None:
    """The level after ``level``; None after the city's joint review."""
    index = LEVELS.index(level)
    return LEVELS[index + 1] if index + 1 < len(LEVELS) else None


def due_on(level: str, entered_on: date) -> date:
    return entered_on + timedelta(days=LEVEL_DAYS[level])


def is_overdue(due: date | None, today: date) -> bool:
    return due is not None and today > due


@dataclass(frozen=True)
class Area:
    """Where a project is, or where an officer may act: ids of the community's sub-district and district."""

    sub_district_id: int | None = None
    district_id: int | None = None


@dataclass(frozen=True)
class Officer:
    """One reviewer: the level they sign at and their area (none at city level)."""

    level: str
    area: Area = field(default_factory=Area)


def review_refusal(officer: Officer | None, project_level: str | None, project_area: Area, acting_level: str) -> str:
    """Why this officer may not decide at ``acting_level`` on a project now at ``project_level`` ("" if they may).

    A level may only act on its own queue: acting at another level than the project's is skipping a level.
    """
    if project_level is None:
        return "该申请当前不在审核中"
    if acting_level != project_level:
        return f"不能越级审核：该申请正处于「{LEVEL_LABELS[project_level]}」环节"
    if officer is None or officer.level != acting_level:
        return f"您不是「{LEVEL_LABELS[acting_level]}」环节的审核人"
    if acting_level == SUB_DISTRICT and officer.area.sub_district_id != project_area.sub_district_id:
        return "只能审核本街道辖区内小区的申请"
    if acting_level == DISTRICT and officer.area.district_id != project_area.district_id:
        return "只能评定本县（市、区）辖区内小区的申请"
    return ""


def decision_refusal(decision: str, opinion: str) -> str:
    if decision not in DECISION_LABELS:
        return "请选择审核结论"
    if not opinion.strip():
        return "请填写审核意见" if decision == PASS else "请写明需要修改或不予通过的理由"
    return ""


# --- R-07, S-04, funding: the gate to the annual plan ----------------------------------------------------------


@dataclass(frozen=True)
class SurveyResult:
    """The frozen result of the willingness survey (R-07) and, when the plan raises the fund, the item-6 vote."""

    closed: bool
    total_households: int
    plan_agree: int
    model_agree: int
    raises_fund: bool = False
    fund_vote_passed: bool = False


def willingness_share_text(agree: int, total: int) -> str:
    # Rounded down: a share just under 80% (7999/10000) must not read "80.0%" beside "未达到80%".
    share = (Decimal(agree) * 100 / Decimal(total)).quantize(Decimal("0.1"), rounding=ROUND_DOWN) if total else 0
    return f"{agree}/{total}户（{share}%）"


def survey_reasons(result: SurveyResult | None) -> list[Reason]:
    """What blocks the plan in the consent gate: R-07 for plan and model separately, V-04 item 6 for the fund."""
    if result is None:
        return [Reason("R-07", "尚未就改造方案和物业管理模式开展居民意愿征询")]
    if not result.closed:
        return [Reason("R-07", "居民意愿征询尚未结束")]
    if result.total_households <= 0:
        # 0 agreeing of 0 households would otherwise pass the 80% test.
        return [Reason("R-07", "意愿征询没有登记户数，无法计算同意比例")]
    reasons = []
    for what, agree in (("改造方案", result.plan_agree), ("物业管理模式", result.model_agree)):
        if 5 * agree < 4 * result.total_households:
            reasons.append(
                Reason("R-07", f"{what}同意{willingness_share_text(agree, result.total_households)}，未达到80%")
            )
    if result.raises_fund and not result.fund_vote_passed:
        reasons.append(Reason("V-04", "方案涉及筹集维修资金，业主共同决定（第二百七十八条第六项）尚未通过"))
    return reasons


def sgyy_claim_refusal(
    item_kind: str, done_or_scheduled_facilities: Iterable[str], *, override_reason: str = ""
) -> str:
    """S-04: a 三供一业 facility already renovated (or scheduled) under that programme cannot be claimed again."""
    kind = ITEM_KIND.get(item_kind)
    if kind is None or not kind.facility or kind.facility not in set(done_or_scheduled_facilities):
        return ""
    if override_reason.strip():
        return ""
    return f"本小区「{FACILITY_LABELS[kind.facility]}」已在“三供一业”分离移交中改造，不能重复申请改造资金（S-04）"


def funding_refusal(items_total: Decimal, funding: Sequence[Decimal]) -> str:
    """The funding plan must add up exactly to the items' estimated cost; every line positive."""
    if any(amount <= 0 for amount in funding):
        return "每项资金来源的金额必须大于零"
    planned = money(sum(funding, ZERO))
    items_total = money(items_total)
    if planned != items_total:
        gap = items_total - planned
        side = "缺口" if gap > 0 else "超出"
        return f"资金计划合计{planned:,.2f}元，与改造内容估算{items_total:,.2f}元不一致（{side}{abs(gap):,.2f}元）"
    return ""


@dataclass(frozen=True)
class PlanGate:
    """Everything the annual plan entry needs, as facts."""

    eligibility: Eligibility
    approved_by_city: bool
    survey: SurveyResult | None
    sgyy_compound: bool
    sgyy_list_received: bool
    former_unit: str
    items_total: Decimal
    funding: tuple[Decimal, ...]
    blocked_items: tuple[str, ...] = ()  # labels of items refused by S-04 (normally none: refused on entry)


def plan_blockers(gate: PlanGate) -> list[Reason]:
    """Why the project cannot enter the annual plan; empty when it can."""
    reasons: list[Reason] = []
    if gate.eligibility.verdict != CORE:
        reasons += [r for r in gate.eligibility.reasons if not r.ok]
    if not gate.approved_by_city:
        reasons.append(Reason("种子文件§一", "尚未完成“居民申请、社区推荐、街道审核、区县评定、市级会审”全部环节"))
    reasons += survey_reasons(gate.survey)
    if gate.sgyy_compound and not gate.sgyy_list_received:
        unit = gate.former_unit or "原产权单位"
        reasons.append(Reason("S-04", f"“三供一业”小区：{unit}尚未提供施工改造清单，现阶段无法纳入改造计划"))
    for label in gate.blocked_items:
        reasons.append(Reason("S-04", f"「{label}」已在“三供一业”中改造，不能重复申请"))
    if gate.items_total <= 0:
        reasons.append(Reason("R-04", "尚未列出改造内容"))
    else:
        refusal = funding_refusal(gate.items_total, gate.funding) if gate.funding else "尚未编制资金筹措计划"
        if refusal:
            reasons.append(Reason("R-06", refusal))
    return reasons


# --- execution (R-09) ---------------------------------------------------------------------------------------

DESIGN = "design"
TENDER = "tender"
START = "start"
COMPLETION = "completion"
ACCEPTANCE = "acceptance"
EVALUATION = "evaluation"
MILESTONES: tuple[str, ...] = (DESIGN, TENDER, START, COMPLETION, ACCEPTANCE, EVALUATION)
MILESTONE_LABELS = {
    DESIGN: "设计方案确定",
    TENDER: "招标完成",
    START: "开工",
    COMPLETION: "完工",
    ACCEPTANCE: "联合竣工验收",
    EVALUATION: "居民评价",
}


def milestone_refusal(reached: Sequence[str], kind: str, on: date, last_on: date | None, today: date) -> str:
    """Milestones come in R-09 order, one at a time, dated no earlier than the last and not in the future."""
    if kind not in MILESTONES:
        return "未知的节点"
    if kind in reached:
        return f"「{MILESTONE_LABELS[kind]}」已经记录"
    expected = MILESTONES[len(reached)] if len(reached) < len(MILESTONES) else None
    if kind != expected:
        return f"请先记录「{MILESTONE_LABELS[expected]}」" if expected else "所有节点均已记录"
    if on > today:
        return "节点日期不能晚于今天"
    if last_on is not None and on < last_on:
        return "节点日期不能早于上一个节点"
    return ""


def percent_refusal(percent: int, previous: int) -> str:
    if not 0 <= percent <= 100:
        return "完成比例应在0到100之间"
    if percent < previous:
        return f"完成比例不能低于上次报告的{previous}%"
    return ""


# --- seed §三: the city's reward to a county ---------------------------------------------------------------------


@dataclass(frozen=True)
class CountyProject:
    name: str
    completed_on: date | None
    own_funds: Decimal  # the county's own money put into the project (district self-funding received)


@dataclass(frozen=True)
class CountyReward:
    due: bool
    own_funds: Decimal
    amount: Decimal
    late: tuple[str, ...]  # projects not completed by the deadline

    @property
    def explanation(self) -> str:
        if not self.due and not self.late:
            return "本年度无纳入计划的项目"
        if self.due:
            return f"全部项目按期完工：县级本级资金{self.own_funds:,.2f}元的30%，奖补{self.amount:,.2f}元"
        return "未全部按期完工，不享受奖补：" + "、".join(self.late)


def county_reward(projects: Sequence[CountyProject], deadline: date) -> CountyReward:
    """30% of the county's own funds when every one of its projects of the year is complete by the deadline."""
    own = money(sum((p.own_funds for p in projects), ZERO))
    late = tuple(p.name for p in projects if p.completed_on is None or p.completed_on > deadline)
    if not projects or late:
        return CountyReward(False, own, ZERO, late)
    return CountyReward(True, own, money(own * COUNTY_REWARD_SHARE), ())
