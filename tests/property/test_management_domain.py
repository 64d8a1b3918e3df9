"""The pure property-management rules (issue 9), table by table: P-02 notice periods, P-01 filing, the renewal
deadline, the handover checklists (P-04, P-06, P-11), item problems and sign blockers, the repair state machine and
its 24 h / 72 h standard, and P-10 self-management. No database."""

import itertools
from datetime import UTC, date, datetime, timedelta

import pytest

from governance.domain.committee import add_months
from property.domain import management as rules
from property.domain.management import ItemFacts

# --- P-02 notice periods ----------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("given_on", "effective_on", "contract_days", "ok"),
    [
        pytest.param(date(2027, 1, 1), date(2027, 1, 1) + timedelta(days=59), None, False, id="P-02-dismiss-59-days"),
        pytest.param(date(2027, 1, 1), date(2027, 1, 1) + timedelta(days=60), None, True, id="P-02-dismiss-60-days"),
        pytest.param(date(2027, 1, 1), date(2027, 1, 1) + timedelta(days=30), 30, True, id="P-02-dismiss-agreed-30"),
        pytest.param(date(2027, 1, 1), date(2027, 1, 1) + timedelta(days=29), 30, False, id="P-02-dismiss-agreed-29"),
        pytest.param(date(2027, 1, 1), date(2027, 1, 1) + timedelta(days=59), 90, False, id="P-02-dismiss-agreed-90"),
    ],
)
def test_owners_dismissal_needs_60_days_or_the_agreed_period_p02(given_on, effective_on, contract_days, ok):
    problem = rules.notice_problem(
        rules.OWNERS_DISMISS,
        given_on=given_on,
        effective_on=effective_on,
        contract_ends_on=date(2029, 12, 31),
        indefinite=False,
        contract_notice_days=contract_days,
    )
    assert (problem is None) is ok
    if not ok:
        assert "P-02" in problem
        assert f"{contract_days or 60}日" in problem


@pytest.mark.parametrize(
    ("ends_on", "given_on", "ok"),
    [
        # 3 months is longer than 90 days: 1 March + 90 days = 30 May, + 3 months = 1 June.
        pytest.param(date(2027, 5, 31), date(2027, 3, 1), False, id="P-02-non-renewal-3-months-longer-refused"),
        pytest.param(date(2027, 5, 31), date(2027, 2, 28), True, id="P-02-non-renewal-28-feb-for-31-may"),
        pytest.param(date(2027, 8, 31), date(2027, 5, 31), True, id="P-02-non-renewal-exactly-3-months"),
        pytest.param(date(2027, 8, 31), date(2027, 6, 1), False, id="P-02-non-renewal-91-days-not-3-months"),
        # 90 days is longer than 3 months across February: 28 Feb + 90 days = 29 May, + 3 months = 28 May.
        pytest.param(date(2027, 5, 28), date(2027, 2, 28), False, id="P-02-non-renewal-90-days-longer-refused"),
        pytest.param(date(2027, 5, 29), date(2027, 2, 28), True, id="P-02-non-renewal-90-days-exactly"),
        # Equal: 1 December + 90 days = 1 March = + 3 months.
        pytest.param(date(2027, 3, 1), date(2026, 12, 1), True, id="P-02-non-renewal-equal-periods"),
        pytest.param(date(2027, 3, 1), date(2026, 12, 2), False, id="P-02-non-renewal-equal-periods-day-late"),
    ],
)
def test_company_non_renewal_needs_the_longer_of_90_days_and_3_months_p02(ends_on, given_on, ok):
    problem = rules.notice_problem(
        rules.COMPANY_NON_RENEWAL, given_on=given_on, effective_on=ends_on, contract_ends_on=ends_on, indefinite=False
    )
    assert (problem is None) is ok, problem
    if not ok:
        assert "90日与3个月中较长者" in problem


@pytest.mark.parametrize(
    ("given_on", "expected"),
    [
        pytest.param(date(2027, 3, 1), date(2027, 6, 1), id="P-02-3-months-wins"),
        pytest.param(date(2027, 2, 28), date(2027, 5, 29), id="P-02-90-days-wins"),
        pytest.param(date(2026, 12, 1), date(2027, 3, 1), id="P-02-equal"),
    ],
)
def test_earliest_effective_for_non_renewal_is_the_later_day_p02(given_on, expected):
    assert rules.earliest_effective(rules.COMPANY_NON_RENEWAL, given_on) == expected


@pytest.mark.parametrize(
    "effective_on",
    [
        pytest.param(date(2027, 5, 30), id="P-02-non-renewal-before-end"),
        pytest.param(date(2027, 6, 30), id="P-02-non-renewal-after-end"),
    ],
)
def test_non_renewal_takes_effect_on_the_contract_end_only_p02(effective_on):
    problem = rules.notice_problem(
        rules.COMPANY_NON_RENEWAL,
        given_on=date(2027, 1, 1),
        effective_on=effective_on,
        contract_ends_on=date(2027, 5, 31),
        indefinite=False,
    )
    assert "合同期满之日（2027年5月31日）" in problem


def test_non_renewal_of_an_indefinite_contract_is_refused_p02():
    problem = rules.notice_problem(
        rules.COMPANY_NON_RENEWAL,
        given_on=date(2027, 1, 1),
        effective_on=date(2027, 5, 31),
        contract_ends_on=date(2026, 5, 31),
        indefinite=True,
    )
    assert "不定期合同" in problem


@pytest.mark.parametrize(
    ("given_on", "effective_on", "ok"),
    [
        pytest.param(date(2027, 1, 1), date(2027, 3, 2), False, id="P-02-indefinite-60-days-not-enough"),
        pytest.param(date(2027, 1, 1), date(2027, 3, 31), False, id="P-02-indefinite-day-before-3-months"),
        pytest.param(date(2027, 1, 1), date(2027, 4, 1), True, id="P-02-indefinite-3-months"),
        pytest.param(date(2027, 11, 30), date(2028, 2, 29), True, id="P-02-indefinite-clamped-leap"),
        pytest.param(date(2027, 11, 30), date(2028, 2, 28), False, id="P-02-indefinite-clamped-leap-day-early"),
    ],
)
def test_ending_an_indefinite_contract_needs_the_longer_of_60_days_and_3_months_p02(given_on, effective_on, ok):
    problem = rules.notice_problem(
        rules.INDEFINITE_END, given_on=given_on, effective_on=effective_on, contract_ends_on=None, indefinite=True
    )
    assert (problem is None) is ok, problem
    if not ok:
        assert "60日与3个月中较长者" in problem


def test_indefinite_end_of_a_contract_still_in_term_is_refused_p02():
    problem = rules.notice_problem(
        rules.INDEFINITE_END,
        given_on=date(2027, 1, 1),
        effective_on=date(2028, 1, 1),
        contract_ends_on=date(2029, 1, 1),
        indefinite=False,
    )
    assert "不是不定期合同" in problem


@pytest.mark.parametrize(
    ("day", "months", "expected"),
    [
        pytest.param(date(2027, 5, 31), -3, date(2027, 2, 28), id="P-02-31-may-to-28-feb"),
        pytest.param(date(2028, 5, 31), -3, date(2028, 2, 29), id="P-02-31-may-to-29-feb-leap"),
        pytest.param(date(2027, 11, 30), 3, date(2028, 2, 29), id="P-02-30-nov-plus-3"),
        pytest.param(date(2027, 1, 15), 3, date(2027, 4, 15), id="P-02-plain"),
    ],
)
def test_add_months_clamps_to_the_last_day_of_a_shorter_month(day, months, expected):
    assert add_months(day, months) == expected


@pytest.mark.parametrize(
    ("ends_on", "today", "renewed", "ended", "expected"),
    [
        pytest.param(date(2027, 1, 1), date(2027, 1, 1), False, False, False, id="P-02-on-end-day-still-in-term"),
        pytest.param(date(2027, 1, 1), date(2027, 1, 2), False, False, True, id="P-02-past-end-indefinite"),
        pytest.param(date(2027, 1, 1), date(2027, 1, 2), True, False, False, id="P-02-renewed"),
        pytest.param(date(2027, 1, 1), date(2027, 1, 2), False, True, False, id="P-02-ended"),
    ],
)
def test_contract_becomes_indefinite_after_its_end_p02(ends_on, today, renewed, ended, expected):
    assert rules.contract_is_indefinite(ends_on, today, renewed=renewed, ended=ended) is expected


# --- P-01 filing, renewal deadline ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("filed_after", "today_after", "overdue"),
    [
        pytest.param(None, 15, False, id="P-01-day-15-unfiled-on-time"),
        pytest.param(None, 16, True, id="P-01-day-16-unfiled-overdue"),
        pytest.param(15, 40, False, id="P-01-filed-day-15"),
        pytest.param(16, 16, True, id="P-01-filed-day-16-late"),
        pytest.param(30, 40, True, id="P-01-filed-late-still-overdue"),
    ],
)
def test_contract_filing_is_due_within_15_days_p01(filed_after, today_after, overdue):
    signed = date(2027, 3, 1)
    assert rules.filing_due(signed) == date(2027, 3, 16)
    filed = signed + timedelta(days=filed_after) if filed_after is not None else None
    assert rules.filing_overdue(signed, filed, signed + timedelta(days=today_after)) is overdue


@pytest.mark.parametrize(
    ("ends_on", "deadline", "reminder"),
    [
        pytest.param(date(2027, 12, 31), date(2027, 9, 30), date(2027, 8, 31), id="P-02-renewal-31-dec"),
        pytest.param(date(2027, 5, 31), date(2027, 2, 28), date(2027, 1, 29), id="P-02-renewal-clamped-feb"),
        pytest.param(date(2028, 5, 31), date(2028, 2, 29), date(2028, 1, 30), id="P-02-renewal-leap"),
    ],
)
def test_renewal_decision_3_months_before_expiry_reminder_30_days_earlier_p02(ends_on, deadline, reminder):
    assert rules.renewal_decision_deadline(ends_on) == deadline
    assert rules.renewal_reminder_from(ends_on) == reminder


# --- handover checklists ----------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("kind", "codes"),
    [
        pytest.param(
            rules.DEVELOPER_TO_COMPANY,
            {
                "site_plan": "P-04",
                "building_drawings": "P-04",
                "ancillary_drawings": "P-04",
                "pipe_networks": "P-04",
                "equipment_docs": "P-04",
                "warranty": "P-04",
                "facility_list": "P-04",
                "utility_permits": "P-04",
                "premises": "P-07",
                "keys": "P-04",
                "owner_register": "P-04",
            },
            id="P-04-developer-to-company",
        ),
        pytest.param(
            rules.COMPANY_TO_SUCCESSOR,
            {
                "premises": "P-06",
                "acceptance_records": "P-06",
                "service_records": "P-06",
                "fee_settlement": "P-06",
                "keys": "P-06",
                "owner_register": "P-06",
                "condition_statement": "P-06",
            },
            id="P-06-company-to-successor",
        ),
        pytest.param(
            rules.SGYY_PROPERTY,
            {
                "site_plan": "P-04",
                "building_drawings": "P-04",
                "ancillary_drawings": "P-04",
                "pipe_networks": "P-04",
                "equipment_docs": "P-04",
                "facility_list": "P-04",
                "utility_permits": "P-04",
                "premises": "P-07",
                "keys": "P-04",
                "owner_register": "P-04",
                "fee_settlement": "P-06",
            },
            id="S-06-sgyy-property",
        ),
        pytest.param(
            rules.SGYY_UTILITY,
            {"asset_list": "P-11", "pipe_networks": "P-04", "meters": "P-11", "agreement": "S-06"},
            id="P-11-sgyy-utility",
        ),
    ],
)
def test_each_handover_kind_has_its_checklist(kind, codes):
    checklist = rules.checklist_for(kind)
    assert {entry.code: entry.rule for entry in checklist} == codes
    assert len(checklist) == len(codes)  # no code twice
    assert all(entry.label for entry in checklist)


def test_developer_handover_lists_the_p04_drawings_and_pipe_networks():
    labels = [entry.label for entry in rules.checklist_for(rules.DEVELOPER_TO_COMPANY)]
    assert "竣工总平面图" in labels
    assert "地下管网竣工图" in labels


def test_successor_handover_settles_prepaid_and_collected_fees_p06():
    [entry] = [e for e in rules.checklist_for(rules.COMPANY_TO_SUCCESSOR) if e.code == "fee_settlement"]
    assert "结清" in entry.label


def test_utility_handover_checks_per_household_meters_p11():
    [entry] = [e for e in rules.checklist_for(rules.SGYY_UTILITY) if e.code == "meters"]
    assert "分户计量" in entry.label and entry.rule == "P-11"


def test_checklist_for_returns_a_copy():
    rules.checklist_for(rules.SGYY_UTILITY).clear()
    assert len(rules.checklist_for(rules.SGYY_UTILITY)) == 4


# --- item problems and sign blockers (P-04) ---------------------------------------------------------------------

PROMISED = date(2027, 6, 1)


@pytest.mark.parametrize(
    ("facts", "expected"),
    [
        pytest.param(ItemFacts("钥匙", rules.PENDING), "尚未查验", id="P-04-pending"),
        pytest.param(ItemFacts("钥匙", rules.PRESENT), None, id="P-04-present"),
        pytest.param(ItemFacts("竣工图", rules.MISSING), "承诺补交的日期", id="P-04-missing-no-date"),
        pytest.param(
            ItemFacts("竣工图", rules.MISSING, promised_on=PROMISED), "尚未确认知悉", id="P-04-missing-not-acked"
        ),
        pytest.param(
            ItemFacts("竣工图", rules.MISSING, promised_on=PROMISED, acknowledged=True), None, id="P-04-missing-acked"
        ),
        pytest.param(ItemFacts("水泵", rules.DEFECTIVE), "缺陷情况", id="P-03-defective-no-note"),
        pytest.param(ItemFacts("水泵", rules.DEFECTIVE, note="漏水"), "尚未确认知悉", id="P-04-defective-not-acked"),
        pytest.param(
            ItemFacts("水泵", rules.DEFECTIVE, note="漏水", acknowledged=True), None, id="P-04-defective-acked"
        ),
        pytest.param(ItemFacts("电梯", rules.NOT_APPLICABLE), "理由", id="P-04-not-applicable-no-note"),
        pytest.param(ItemFacts("电梯", rules.NOT_APPLICABLE, note="无电梯"), None, id="P-04-not-applicable-noted"),
        pytest.param(ItemFacts("竣工图", rules.MISSING, closed=True), None, id="P-04-missing-closed"),
        pytest.param(ItemFacts("水泵", rules.DEFECTIVE, note="漏水", closed=True), None, id="P-04-defective-closed"),
    ],
)
def test_item_problem_p04(facts, expected):
    problem = rules.item_problem(facts)
    if expected is None:
        assert problem is None
    else:
        assert expected in problem
        assert facts.label in problem


def test_sign_blockers_list_every_problem_in_order():
    items = [
        ItemFacts("一", rules.PRESENT),
        ItemFacts("二", rules.PENDING),
        ItemFacts("三", rules.MISSING, promised_on=PROMISED),
        ItemFacts("四", rules.MISSING, promised_on=PROMISED, acknowledged=True),
    ]
    blockers = rules.sign_blockers(items)
    assert len(blockers) == 2
    assert "二" in blockers[0] and "三" in blockers[1]
    assert rules.sign_blockers(items[:1] + items[3:]) == []


@pytest.mark.parametrize(
    ("facts", "open_"),
    [
        pytest.param(ItemFacts("a", rules.MISSING, promised_on=PROMISED, acknowledged=True), True, id="missing"),
        pytest.param(ItemFacts("a", rules.DEFECTIVE, note="x"), True, id="defective"),
        pytest.param(ItemFacts("a", rules.MISSING, closed=True), False, id="closed"),
        pytest.param(ItemFacts("a", rules.PRESENT), False, id="present"),
        pytest.param(ItemFacts("a", rules.PENDING), False, id="pending"),
    ],
)
def test_open_items_stay_visible_until_closed(facts, open_):
    assert rules.is_open_item(facts) is open_


# --- repair state machine ---------------------------------------------------------------------------------------

STATUSES = [rules.SUBMITTED, rules.ASSIGNED, rules.IN_PROGRESS, rules.DONE, rules.CLOSED, rules.CANCELLED]
# Written out here, not read from REPAIR_ACTIONS: action -> (allowed from, who).
ALLOWED = {
    "assign": ({rules.SUBMITTED, rules.ASSIGNED, rules.IN_PROGRESS}, "company"),
    "start": ({rules.ASSIGNED}, "company"),
    "finish": ({rules.ASSIGNED, rules.IN_PROGRESS}, "company"),
    "confirm": ({rules.DONE}, "filer"),
    "reopen": ({rules.DONE}, "filer"),
    "cancel": ({rules.SUBMITTED, rules.ASSIGNED}, "filer"),
}
ACTORS = {
    "filer": ("", True),
    "other-resident": ("", False),
    "company": (rules.COMPANY, False),
    "company-filer": (rules.COMPANY, True),  # a staff member who lives there files for their own flat
}


def _repair_cases():
    for action, status, actor in itertools.product(ALLOWED, STATUSES, ACTORS):
        yield pytest.param(action, status, actor, id=f"{action}-{status}-{actor}")


@pytest.mark.parametrize(("action", "status", "actor"), list(_repair_cases()))
def test_repair_state_machine(action, status, actor):
    actor_kind, is_filer = ACTORS[actor]
    sources, who = ALLOWED[action]
    right_person = actor_kind == rules.COMPANY if who == "company" else is_filer
    problem = rules.repair_action_problem(action, status=status, actor_kind=actor_kind, is_filer=is_filer)
    if right_person and status in sources:
        assert problem is None
    elif not right_person:
        assert problem is not None and "只有" in problem
    else:
        assert problem == "报修单当前的状态不能这样操作。"


@pytest.mark.parametrize("action", sorted(ALLOWED))
def test_repair_actions_lead_to_the_documented_status(action):
    target = {
        "assign": rules.ASSIGNED,
        "start": rules.IN_PROGRESS,
        "finish": rules.DONE,
        "confirm": rules.CLOSED,
        "reopen": rules.IN_PROGRESS,
        "cancel": rules.CANCELLED,
    }[action]
    assert rules.REPAIR_ACTIONS[action][1] == target
    assert action in rules.ACTION_LABELS


@pytest.mark.parametrize("actor", ["other-resident", "company"])
def test_nobody_but_the_filer_confirms_a_repair_on_their_behalf(actor):
    actor_kind, is_filer = ACTORS[actor]
    problem = rules.repair_action_problem("confirm", status=rules.DONE, actor_kind=actor_kind, is_filer=is_filer)
    assert "不能代为确认" in problem


def test_unknown_repair_action_is_refused():
    assert rules.repair_action_problem("delete", status=rules.DONE, actor_kind="", is_filer=True) == "没有这个操作。"


@pytest.mark.parametrize(
    ("rating", "ok"),
    [
        pytest.param(None, False, id="none"),
        pytest.param(0, False, id="zero"),
        pytest.param(6, False, id="six"),
        pytest.param("5", False, id="string"),
        pytest.param(1, True, id="one"),
        pytest.param(5, True, id="five"),
    ],
)
def test_rating_is_one_to_five_stars(rating, ok):
    assert (rules.rating_problem(rating) is None) is ok


FILED = datetime(2027, 3, 1, 9, 0, tzinfo=UTC)


@pytest.mark.parametrize(
    ("urgency", "hours"),
    [pytest.param(rules.URGENT, 24, id="urgent-24h"), pytest.param(rules.NORMAL, 72, id="normal-72h")],
)
def test_repair_due_24_or_72_hours(urgency, hours):
    assert rules.repair_due(FILED, urgency) == FILED + timedelta(hours=hours)


DUE = FILED + timedelta(hours=24)


@pytest.mark.parametrize(
    ("status", "done_at", "now", "overdue"),
    [
        pytest.param(rules.SUBMITTED, None, DUE, False, id="open-exactly-at-due"),
        pytest.param(rules.SUBMITTED, None, DUE + timedelta(seconds=1), True, id="open-one-second-late"),
        pytest.param(rules.IN_PROGRESS, None, DUE + timedelta(days=2), True, id="in-progress-late"),
        pytest.param(rules.DONE, DUE, DUE + timedelta(days=5), False, id="done-at-due"),
        pytest.param(rules.CLOSED, DUE + timedelta(seconds=1), DUE + timedelta(days=5), True, id="closed-done-late"),
        pytest.param(rules.CANCELLED, None, DUE + timedelta(days=5), False, id="cancelled"),
    ],
)
def test_repair_overdue(status, done_at, now, overdue):
    assert rules.repair_overdue(status=status, due_at=DUE, done_at=done_at, now=now) is overdue


# --- P-10 self-management ---------------------------------------------------------------------------------------

START = date(2027, 1, 1)
COMPLETE = {
    "executing_body": "业主委员会",
    "scope": "保洁、绿化",
    "standards": "每日清扫",
    "fees": "每月每户20元",
    "term_end": date(2029, 12, 31),
    "starts_on": START,
}


@pytest.mark.parametrize(
    ("field", "value", "expected"),
    [
        pytest.param("executing_body", " ", "执行机构", id="P-10-executing-body"),
        pytest.param("scope", "", "服务范围", id="P-10-scope"),
        pytest.param("standards", "", "服务标准", id="P-10-standards"),
        pytest.param("fees", "", "收费办法", id="P-10-fees"),
        pytest.param("term_end", None, "期限（P-10）", id="P-10-term"),
        pytest.param("term_end", START, "晚于开始日期", id="P-10-term-not-after-start"),
    ],
)
def test_self_management_gaps_p10(field, value, expected):
    assert rules.self_management_gaps(**COMPLETE) == []
    gaps = rules.self_management_gaps(**{**COMPLETE, field: value})
    assert len(gaps) == 1
    assert expected in gaps[0] and "P-10" in gaps[0]


def test_self_management_with_nothing_lists_all_five_gaps_p10():
    gaps = rules.self_management_gaps(
        executing_body="", scope="", standards="", fees="", term_end=None, starts_on=START
    )
    assert len(gaps) == 5
