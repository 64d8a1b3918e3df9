"""The pure renovation rules (issue 8), table by table: eligibility (R-01, R-02, R-03, seed §一), the review chain,
the R-07 gate and the fund vote (V-04), 三供一业 (S-04), the funding sum (R-06), milestones (R-09) and the county
reward (seed §三). No database."""

from datetime import date, timedelta
from decimal import Decimal

import pytest

from property.domain import renovation as rules
from property.domain.renovation import Application, Area, CountyProject, Officer, PlanGate, SurveyResult

D = Decimal


# --- eligibility --------------------------------------------------------------------------------------------


def app(**overrides) -> Application:
    fields = {"year_completed": 1990, "households": 240, "structure_safe": True}
    fields.update(overrides)
    return Application(**fields)


def failing_rules(eligibility) -> list[str]:
    return [reason.rule for reason in eligibility.reasons if not reason.ok]


@pytest.mark.parametrize(
    ("year", "verdict", "rule"),
    [
        pytest.param(1985, rules.CORE, "R-01", id="R-01-1985-core"),
        pytest.param(2000, rules.CORE, "R-01", id="R-01-2000-core"),
        pytest.param(2001, rules.RESERVE, "R-02", id="R-02-2001-reserve"),
        pytest.param(2003, rules.RESERVE, "R-02", id="R-02-2003-reserve"),
        pytest.param(2005, rules.RESERVE, "R-02", id="R-02-2005-reserve"),
        pytest.param(2006, rules.INELIGIBLE, "R-01", id="R-01-2006-ineligible"),
    ],
)
def test_year_completed_decides_core_reserve_or_ineligible(year, verdict, rule):
    result = rules.assess(app(year_completed=year))
    assert result.verdict == verdict
    first = result.reasons[0]
    assert first.rule == rule
    assert str(year) in first.text
    assert first.ok is (verdict == rules.CORE)
    assert result.label == rules.VERDICT_LABELS[verdict]


@pytest.mark.parametrize("kind", list(rules.EXCLUDED_KIND_LABELS), ids=lambda k: f"R-03-{k}")
def test_each_excluded_kind_is_ineligible_with_its_reason_r03(kind):
    result = rules.assess(app(excluded_kind=kind))
    assert result.verdict == rules.INELIGIBLE
    [reason] = [r for r in result.reasons if r.rule == "R-03"]
    assert rules.EXCLUDED_KIND_LABELS[kind] in reason.text
    assert not reason.ok


def test_an_excluded_kind_makes_even_a_reserve_year_ineligible_r02_r03():
    result = rules.assess(app(year_completed=2003, excluded_kind=rules.URBAN_VILLAGE))
    assert result.verdict == rules.INELIGIBLE
    assert failing_rules(result) == ["R-02", "R-03"]


def test_a_structure_not_confirmed_safe_is_ineligible_r01():
    result = rules.assess(app(structure_safe=False))
    assert result.verdict == rules.INELIGIBLE
    assert any("结构安全" in r.text and not r.ok for r in result.reasons)


def test_a_core_community_lists_its_passing_reasons_with_ticks():
    result = rules.assess(app())
    assert result.verdict == rules.CORE
    assert result.reasons and all(r.ok for r in result.reasons)
    assert str(result.reasons[0]).endswith("（R-01）")


@pytest.mark.parametrize(
    ("households", "support", "pledged", "verdict"),
    [
        pytest.param(99, None, True, rules.INELIGIBLE, id="seed1-99-homes-no-support-figure"),
        pytest.param(99, 66, True, rules.CORE, id="seed1-99-homes-exactly-two-thirds"),
        pytest.param(99, 65, True, rules.INELIGIBLE, id="seed1-99-homes-just-under-two-thirds"),
        pytest.param(99, 66, False, rules.INELIGIBLE, id="seed1-99-homes-no-pledge"),
        pytest.param(30, 20, True, rules.CORE, id="seed1-30-homes-20-support"),
        pytest.param(30, 19, True, rules.INELIGIBLE, id="seed1-30-homes-19-support"),
        pytest.param(100, None, False, rules.CORE, id="seed1-100-homes-not-tiny"),
    ],
)
def test_tiny_communities_need_support_and_a_pledge_seed1(households, support, pledged, verdict):
    result = rules.assess(
        app(households=households, demolition_support_households=support, contributions_pledged=pledged)
    )
    assert result.verdict == verdict
    seed = [r for r in result.reasons if r.rule == "种子文件§一"]
    assert bool(seed) is (households < rules.TINY_HOUSEHOLDS)
    if verdict == rules.INELIGIBLE:
        assert any(not r.ok for r in seed)


def test_no_pledge_reason_is_named_seed1():
    result = rules.assess(app(households=50, demolition_support_households=50, contributions_pledged=False))
    assert [r.text for r in result.reasons if not r.ok] == ["特别小的小区需居民捐资捐物、投工投劳的承诺"]


# --- the review chain ---------------------------------------------------------------------------------------

HERE = Area(sub_district_id=1, district_id=10)
SAME_DISTRICT_OTHER_SUB = Area(sub_district_id=2, district_id=10)
ELSEWHERE = Area(sub_district_id=3, district_id=20)


@pytest.mark.parametrize(
    ("officer", "project_level", "acting_level", "expected"),
    [
        pytest.param(Officer(rules.COMMUNITY, HERE), rules.COMMUNITY, rules.COMMUNITY, "", id="community-own-queue"),
        pytest.param(Officer(rules.SUB_DISTRICT, HERE), rules.SUB_DISTRICT, rules.SUB_DISTRICT, "", id="sub-district"),
        pytest.param(
            Officer(rules.DISTRICT, SAME_DISTRICT_OTHER_SUB), rules.DISTRICT, rules.DISTRICT, "", id="district"
        ),
        pytest.param(Officer(rules.CITY), rules.CITY, rules.CITY, "", id="city-anywhere"),
        pytest.param(Officer(rules.CITY, ELSEWHERE), rules.CITY, rules.CITY, "", id="city-any-area"),
        pytest.param(
            Officer(rules.SUB_DISTRICT, HERE), rules.COMMUNITY, rules.SUB_DISTRICT, "不能越级审核", id="skip-community"
        ),
        pytest.param(Officer(rules.CITY), rules.SUB_DISTRICT, rules.CITY, "不能越级审核", id="city-skips-levels"),
        pytest.param(
            Officer(rules.DISTRICT, HERE), rules.SUB_DISTRICT, rules.DISTRICT, "不能越级审核", id="district-skips"
        ),
        pytest.param(
            Officer(rules.SUB_DISTRICT, SAME_DISTRICT_OTHER_SUB),
            rules.SUB_DISTRICT,
            rules.SUB_DISTRICT,
            "只能审核本街道",
            id="wrong-sub-district",
        ),
        pytest.param(
            Officer(rules.DISTRICT, ELSEWHERE), rules.DISTRICT, rules.DISTRICT, "只能评定本县", id="wrong-district"
        ),
        pytest.param(
            Officer(rules.DISTRICT, HERE), rules.SUB_DISTRICT, rules.SUB_DISTRICT, "不是", id="wrong-officer-level"
        ),
        pytest.param(None, rules.COMMUNITY, rules.COMMUNITY, "不是", id="no-role"),
        pytest.param(Officer(rules.CITY), None, rules.CITY, "不在审核中", id="not-in-review"),
    ],
)
def test_review_refusal(officer, project_level, acting_level, expected):
    refusal = rules.review_refusal(officer, project_level, HERE, acting_level)
    if expected:
        assert expected in refusal
    else:
        assert refusal == ""


def test_skipping_a_level_names_the_level_the_project_is_at():
    refusal = rules.review_refusal(Officer(rules.CITY), rules.SUB_DISTRICT, HERE, rules.CITY)
    assert "街道办事处审核" in refusal


@pytest.mark.parametrize(
    ("decision", "opinion", "expected"),
    [
        (rules.PASS, "同意", ""),
        (rules.RETURN, "请补充结构安全鉴定", ""),
        (rules.REJECT, "属城中村", ""),
        (rules.PASS, "  ", "请填写审核意见"),
        (rules.RETURN, "", "请写明需要修改或不予通过的理由"),
        (rules.REJECT, "\n", "请写明需要修改或不予通过的理由"),
        ("approve", "同意", "请选择审核结论"),
        ("", "同意", "请选择审核结论"),
    ],
)
def test_decision_refusal(decision, opinion, expected):
    assert rules.decision_refusal(decision, opinion) == expected


@pytest.mark.parametrize(
    ("level", "following"),
    [
        (rules.COMMUNITY, rules.SUB_DISTRICT),
        (rules.SUB_DISTRICT, rules.DISTRICT),
        (rules.DISTRICT, rules.CITY),
        (rules.CITY, None),
    ],
)
def test_next_level(level, following):
    assert rules.next_level(level) == following


@pytest.mark.parametrize(
    ("level", "days"), [(rules.COMMUNITY, 15), (rules.SUB_DISTRICT, 15), (rules.DISTRICT, 20), (rules.CITY, 30)]
)
def test_due_on_adds_the_level_days(level, days):
    assert rules.due_on(level, date(2026, 3, 1)) == date(2026, 3, 1) + timedelta(days=days)


@pytest.mark.parametrize(
    ("today", "overdue"),
    [
        pytest.param(date(2026, 3, 15), False, id="before-due"),
        pytest.param(date(2026, 3, 16), False, id="due-day-itself"),
        pytest.param(date(2026, 3, 17), True, id="day-after"),
    ],
)
def test_is_overdue(today, overdue):
    assert rules.is_overdue(date(2026, 3, 16), today) is overdue


def test_no_due_date_is_never_overdue():
    assert rules.is_overdue(None, date(2030, 1, 1)) is False


# --- R-07 and V-04 --------------------------------------------------------------------------------------------


def survey(total=1000, plan=800, model=800, **kwargs) -> SurveyResult:
    return SurveyResult(closed=True, total_households=total, plan_agree=plan, model_agree=model, **kwargs)


@pytest.mark.parametrize(
    ("result", "texts"),
    [
        pytest.param(survey(1000, 800, 800), [], id="R-07-800-of-1000-passes"),
        pytest.param(survey(5, 4, 4), [], id="R-07-4-of-5-passes"),
        pytest.param(survey(1000, 1000, 1000), [], id="R-07-all-agree"),
        pytest.param(survey(1000, 799, 800), ["改造方案同意799/1000户（79.9%），未达到80%"], id="R-07-799-plan-fails"),
        pytest.param(
            survey(1000, 800, 799),
            ["物业管理模式同意799/1000户（79.9%），未达到80%"],
            id="R-07-plan-passes-model-fails",
        ),
        pytest.param(survey(5, 3, 3), ["改造方案", "物业管理模式"], id="R-07-3-of-5-both-fail"),
        pytest.param(
            survey(10000, 7999, 8000), ["改造方案同意7999/10000户（79.9%），未达到80%"], id="R-07-79.99-not-shown-as-80"
        ),
        pytest.param(survey(0, 0, 0), ["户数"], id="R-07-no-households-cannot-pass"),
        pytest.param(None, ["尚未"], id="R-07-no-survey"),
        pytest.param(
            SurveyResult(closed=False, total_households=100, plan_agree=100, model_agree=100),
            ["尚未结束"],
            id="R-07-survey-still-open",
        ),
    ],
)
def test_survey_reasons_r07(result, texts):
    reasons = rules.survey_reasons(result)
    assert len(reasons) == len(texts)
    for reason, text in zip(reasons, texts, strict=True):
        assert reason.rule == "R-07"
        assert text in reason.text
        assert not reason.ok


@pytest.mark.parametrize(
    ("raises_fund", "fund_vote_passed", "blocked"),
    [
        pytest.param(False, False, False, id="V-04-no-fund-raised-no-vote-needed"),
        pytest.param(True, False, True, id="V-04-fund-raised-vote-not-passed"),
        pytest.param(True, True, False, id="V-04-fund-raised-vote-passed"),
    ],
)
def test_raising_the_fund_needs_the_item_six_vote_v04(raises_fund, fund_vote_passed, blocked):
    reasons = rules.survey_reasons(survey(raises_fund=raises_fund, fund_vote_passed=fund_vote_passed))
    assert [r.rule for r in reasons] == (["V-04"] if blocked else [])


def test_the_fund_vote_is_reported_besides_a_failed_survey_r07_v04():
    reasons = rules.survey_reasons(survey(1000, 700, 900, raises_fund=True))
    assert [r.rule for r in reasons] == ["R-07", "V-04"]


# --- S-04 ------------------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("kind", "done", "override", "refused"),
    [
        pytest.param("water_supply", {rules.WATER}, "", True, id="S-04-water-done-water-supply-refused"),
        pytest.param("drainage", {rules.WATER}, "", False, id="S-04-drainage-not-a-sgyy-facility"),
        pytest.param("water_supply", {rules.WATER}, "市政府专题会议纪要", False, id="S-04-override-with-reason"),
        pytest.param("water_supply", {rules.WATER}, "   ", True, id="S-04-blank-reason-is-no-override"),
        pytest.param("power_supply", {rules.WATER}, "", False, id="S-04-power-not-done"),
        pytest.param("gas", {rules.HEATING_GAS}, "", True, id="S-04-gas-under-heating-gas"),
        pytest.param("heating", {rules.HEATING_GAS}, "", True, id="S-04-heating-under-heating-gas"),
        pytest.param("property_premises", {rules.PROPERTY_MGMT}, "", True, id="S-04-property-premises"),
        pytest.param(
            "walls", {rules.WATER, rules.POWER, rules.HEATING_GAS, rules.PROPERTY_MGMT}, "", False, id="S-04-walls"
        ),
        pytest.param("water_supply", set(), "", False, id="S-04-nothing-done"),
        pytest.param("no_such_item", {rules.WATER}, "", False, id="S-04-unknown-kind-not-its-business"),
    ],
)
def test_sgyy_claim_refusal_s04(kind, done, override, refused):
    refusal = rules.sgyy_claim_refusal(kind, done, override_reason=override)
    assert bool(refusal) is refused
    if refused:
        assert "S-04" in refusal
        assert rules.FACILITY_LABELS[rules.ITEM_KIND[kind].facility] in refusal


# --- the funding sum -------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("total", "funding", "expected"),
    [
        pytest.param(D("1000000.00"), [D("500000"), D("300000"), D("200000")], "", id="R-06-exact-sum"),
        pytest.param(D("0.03"), [D("0.01"), D("0.02")], "", id="R-06-exact-to-the-fen"),
        pytest.param(
            D("1000000.00"), [D("500000"), D("300000"), D("199999.99")], "缺口0.01元", id="R-06-one-fen-short"
        ),
        pytest.param(D("1000000.00"), [D("500000"), D("500000.01")], "超出0.01元", id="R-06-one-fen-over"),
        pytest.param(D("1000000.00"), [D("1000000"), D("0")], "大于零", id="R-06-zero-line"),
        pytest.param(D("1000000.00"), [D("1000001"), D("-1")], "大于零", id="R-06-negative-line"),
        pytest.param(D("100.00"), [], "缺口100.00元", id="R-06-no-lines"),
    ],
)
def test_funding_refusal_r06(total, funding, expected):
    refusal = rules.funding_refusal(total, funding)
    if expected:
        assert expected in refusal
    else:
        assert refusal == ""


def test_funding_refusal_shows_both_totals():
    refusal = rules.funding_refusal(D("1000000"), [D("999999.99")])
    assert "999,999.99元" in refusal
    assert "1,000,000.00元" in refusal


# --- the plan gate -----------------------------------------------------------------------------------------------


CORE_APP = rules.assess(app())


def gate(**overrides) -> PlanGate:
    fields = {
        "eligibility": CORE_APP,
        "approved_by_city": True,
        "survey": survey(),
        "sgyy_compound": False,
        "sgyy_list_received": False,
        "former_unit": "",
        "items_total": D("1000.00"),
        "funding": (D("600.00"), D("400.00")),
    }
    fields.update(overrides)
    return PlanGate(**fields)


@pytest.mark.parametrize(
    ("overrides", "expected_rules"),
    [
        pytest.param({}, [], id="all-clear"),
        pytest.param({"eligibility": rules.assess(app(year_completed=2003))}, ["R-02"], id="R-02-2003-reserve"),
        pytest.param(
            {"eligibility": rules.assess(app(year_completed=2006, structure_safe=False))},
            ["R-01", "R-01"],
            id="R-01-late-and-unsafe",
        ),
        pytest.param({"approved_by_city": False}, ["种子文件§一"], id="chain-not-finished"),
        pytest.param({"survey": survey(1000, 799, 800)}, ["R-07"], id="R-07-79.9"),
        pytest.param({"survey": None}, ["R-07"], id="R-07-no-survey"),
        pytest.param({"survey": survey(raises_fund=True)}, ["V-04"], id="V-04-fund-vote-missing"),
        pytest.param({"sgyy_compound": True}, ["S-04"], id="S-04-no-construction-list"),
        pytest.param({"sgyy_compound": True, "sgyy_list_received": True}, [], id="S-04-list-received"),
        pytest.param({"sgyy_list_received": False, "sgyy_compound": False}, [], id="not-sgyy-no-list-needed"),
        pytest.param({"blocked_items": ("供水管网及二次供水改造",)}, ["S-04"], id="S-04-blocked-item"),
        pytest.param({"items_total": D("0"), "funding": ()}, ["R-04"], id="R-04-no-items"),
        pytest.param({"funding": ()}, ["R-06"], id="R-06-no-funding-plan"),
        pytest.param({"funding": (D("600.00"), D("399.99"))}, ["R-06"], id="R-06-one-fen-short"),
        pytest.param(
            {
                "eligibility": rules.assess(app(year_completed=2003)),
                "approved_by_city": False,
                "survey": survey(1000, 799, 799, raises_fund=True),
                "sgyy_compound": True,
                "funding": (D("1.00"),),
            },
            ["R-02", "种子文件§一", "R-07", "R-07", "V-04", "S-04", "R-06"],
            id="everything-wrong-everything-said",
        ),
    ],
)
def test_plan_blockers(overrides, expected_rules):
    reasons = rules.plan_blockers(gate(**overrides))
    assert [r.rule for r in reasons] == expected_rules
    assert not any(r.ok for r in reasons)


def test_the_missing_construction_list_names_the_former_unit_s04():
    [reason] = rules.plan_blockers(gate(sgyy_compound=True, former_unit="新乡铁路分局"))
    assert "新乡铁路分局尚未提供施工改造清单" in reason.text


def test_the_reserve_reason_says_it_cannot_enter_the_annual_plan_r02():
    [reason] = rules.plan_blockers(gate(eligibility=rules.assess(app(year_completed=2003))))
    assert "不能进入年度改造计划" in reason.text


# --- milestones and progress -----------------------------------------------------------------------------

TODAY = date(2026, 6, 30)
M = rules.MILESTONES


@pytest.mark.parametrize(
    ("reached", "kind", "on", "last_on", "expected"),
    [
        pytest.param([], rules.DESIGN, date(2026, 3, 1), None, "", id="R-09-design-first"),
        pytest.param(
            [], rules.TENDER, date(2026, 3, 1), None, "请先记录「设计方案确定」", id="R-09-tender-before-design"
        ),
        pytest.param(
            [rules.DESIGN],
            rules.START,
            date(2026, 4, 1),
            date(2026, 3, 1),
            "请先记录「招标完成」",
            id="R-09-skip-tender",
        ),
        pytest.param(
            [rules.DESIGN], rules.TENDER, date(2026, 3, 1), date(2026, 3, 1), "", id="R-09-same-day-as-last-ok"
        ),
        pytest.param(
            [rules.DESIGN], rules.TENDER, date(2026, 2, 28), date(2026, 3, 1), "不能早于", id="R-09-before-last"
        ),
        pytest.param([], rules.DESIGN, TODAY, None, "", id="R-09-today-ok"),
        pytest.param([], rules.DESIGN, date(2026, 7, 1), None, "不能晚于今天", id="R-09-future"),
        pytest.param([rules.DESIGN], rules.DESIGN, date(2026, 3, 1), date(2026, 3, 1), "已经记录", id="R-09-twice"),
        pytest.param(list(M[:5]), rules.EVALUATION, TODAY, date(2026, 6, 1), "", id="R-09-evaluation-last"),
        pytest.param(list(M), rules.EVALUATION, TODAY, TODAY, "已经记录", id="R-09-all-recorded"),
        pytest.param([], "ribbon_cutting", TODAY, None, "未知的节点", id="R-09-unknown"),
    ],
)
def test_milestone_refusal_r09(reached, kind, on, last_on, expected):
    refusal = rules.milestone_refusal(reached, kind, on, last_on, TODAY)
    if expected:
        assert expected in refusal
    else:
        assert refusal == ""


@pytest.mark.parametrize(
    ("percent", "previous", "expected"),
    [
        (0, 0, ""),
        (100, 99, ""),
        (40, 40, ""),
        (39, 40, "不能低于上次报告的40%"),
        (-1, 0, "0到100"),
        (101, 0, "0到100"),
    ],
)
def test_percent_refusal(percent, previous, expected):
    refusal = rules.percent_refusal(percent, previous)
    if expected:
        assert expected in refusal
    else:
        assert refusal == ""


# --- seed §三: the county reward ----------------------------------------------------------------------------------

DEADLINE = date(2026, 12, 31)


def test_all_on_time_gives_thirty_percent_rounded_half_up_to_the_fen_seed3():
    # 60000.10 + 40000.05 = 100000.15; 30% = 30000.045 → 30000.05 (half-up; half-even would give 30000.04).
    reward = rules.county_reward(
        [
            CountyProject("向阳新村", date(2026, 10, 1), D("60000.10")),
            CountyProject("平原路", DEADLINE, D("40000.05")),  # the deadline day itself is on time
        ],
        DEADLINE,
    )
    assert reward.due is True
    assert reward.own_funds == D("100000.15")
    assert reward.amount == D("30000.05")
    assert reward.late == ()
    assert "30,000.05元" in reward.explanation


def test_one_late_project_loses_the_whole_reward_and_is_named_seed3():
    reward = rules.county_reward(
        [
            CountyProject("向阳新村", date(2026, 10, 1), D("60000.00")),
            CountyProject("人民西路", date(2027, 1, 1), D("40000.00")),
        ],
        DEADLINE,
    )
    assert reward.due is False
    assert reward.amount == D("0.00")
    assert reward.own_funds == D("100000.00")
    assert reward.late == ("人民西路",)
    assert "人民西路" in reward.explanation
    assert "向阳新村" not in reward.explanation


def test_a_project_not_completed_counts_as_late_seed3():
    reward = rules.county_reward([CountyProject("铁路新村", None, D("10000"))], DEADLINE)
    assert (reward.due, reward.late, reward.amount) == (False, ("铁路新村",), D("0.00"))


def test_no_projects_no_reward_seed3():
    reward = rules.county_reward([], DEADLINE)
    assert (reward.due, reward.amount, reward.own_funds, reward.late) == (False, D("0.00"), D("0.00"), ())
    assert reward.explanation == "本年度无纳入计划的项目"


# --- the catalogue ------------------------------------------------------------------------------------------------


def test_every_item_kind_has_a_category_and_a_known_facility_r04_s01():
    assert {k.category for k in rules.ITEM_KINDS} == set(rules.CATEGORY_LABELS)
    assert {k.facility for k in rules.ITEM_KINDS if k.facility} == set(rules.FACILITY_LABELS)
    assert len(rules.ITEM_KIND) == len(rules.ITEM_KINDS)
