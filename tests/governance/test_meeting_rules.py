"""Meeting rules without the database: A-09, C-06, C-07, A-12 (table-driven, boundaries)."""

from datetime import date, datetime
from zoneinfo import ZoneInfo

import pytest

from governance.domain import meetings as rules

SH = ZoneInfo("Asia/Shanghai")
UTC = ZoneInfo("UTC")


def at(y, m, d, hh=9, mm=0, tz=SH):
    return datetime(y, m, d, hh, mm, tzinfo=tz)


@pytest.mark.parametrize(
    ("body_kind", "notice_at", "starts_at", "ok"),
    [
        # the day of notice is not counted; 15 whole days pass, 14 fail.
        ("owners_assembly", at(2026, 3, 1), at(2026, 3, 16), True),
        ("owners_assembly", at(2026, 3, 1), at(2026, 3, 15), False),
        ("owners_assembly", at(2026, 3, 1, 23, 59), at(2026, 3, 16, 0, 1), True),
        # The calendar date is taken in Shanghai: 2026-03-01 20:00 UTC is already 2 March there.
        ("owners_assembly", at(2026, 3, 1, 20, 0, tz=UTC), at(2026, 3, 16), False),
        ("owners_assembly", at(2026, 3, 1, 20, 0, tz=UTC), at(2026, 3, 17), True),
        # C-07: a committee meeting's agenda 7 days ahead.
        ("owners_committee", at(2026, 3, 1), at(2026, 3, 8), True),
        ("owners_committee", at(2026, 3, 1), at(2026, 3, 7), False),
        ("property_mgmt_committee", at(2026, 3, 1), at(2026, 3, 7), False),
        ("residents_committee_self_mgmt", at(2026, 3, 1), at(2026, 3, 8), True),
        # No legal minimum for the party branch and the council: the day before is enough, the same day is not.
        ("party_branch", at(2026, 3, 1), at(2026, 3, 2), True),
        ("party_branch", at(2026, 3, 1, 8), at(2026, 3, 1, 20), False),
        ("deliberation_council", at(2026, 3, 1), at(2026, 3, 2), True),
    ],
)
def test_notice_period_A09_C07(body_kind, notice_at, starts_at, ok):
    assert rules.notice_period_met(body_kind=body_kind, notice_at=notice_at, starts_at=starts_at) is ok


def test_earliest_assembly_date_is_fifteen_days_after_the_notice_day_A09():
    assert rules.earliest_meeting_date(body_kind="owners_assembly", notice_at=at(2026, 3, 1)) == date(2026, 3, 16)


@pytest.mark.parametrize(
    ("seat_count", "present", "quorate"),
    [
        (5, 2, False),
        (5, 3, True),
        (7, 3, False),
        (7, 4, True),
        (6, 3, False),  # exactly half present is not "more than half" (C-06)
        (6, 4, True),
        (11, 5, False),
        (11, 6, True),
        (0, 0, False),
    ],
)
def test_quorum_is_more_than_half_present_C06(seat_count, present, quorate):
    assert rules.quorum_reached(seat_count=seat_count, present=present) is quorate


@pytest.mark.parametrize(
    ("seat_count", "present", "votes_for", "carried"),
    [
        # ≥ half of ALL members, not of those present.
        (7, 4, 4, True),
        (7, 4, 3, False),  # 3 of 4 present is a majority of those present, but 2·3 < 7
        (7, 7, 3, False),
        (5, 3, 3, True),
        (5, 3, 2, False),
        (6, 4, 3, True),  # exactly half of an even body agrees: 2·3 ≥ 6
        (6, 3, 3, False),  # ... but three present is no quorum
        (11, 6, 6, True),
        (11, 11, 5, False),
    ],
)
def test_decision_needs_half_of_all_members_at_a_quorate_meeting_C06(seat_count, present, votes_for, carried):
    assert rules.decision_carried(seat_count=seat_count, present=present, votes_for=votes_for) is carried


@pytest.mark.parametrize(
    ("present", "for_", "against", "abstain", "codes"),
    [
        (4, 2, 1, 1, []),
        (4, 3, 1, 1, ["more_votes_than_present"]),  # no proxies (C-06)
        (4, -1, 0, 0, ["negative"]),
        (0, 0, 0, 0, []),
    ],
)
def test_vote_counts_cannot_exceed_members_present_C06(present, for_, against, abstain, codes):
    problems = rules.vote_problems(present=present, votes_for=for_, votes_against=against, votes_abstain=abstain)
    assert [p.code for p in problems] == codes


@pytest.mark.parametrize(
    ("starts_at", "today", "published", "overdue"),
    [
        (at(2026, 3, 10, 19), date(2026, 3, 13), False, False),  # the third day is still in time
        (at(2026, 3, 10, 19), date(2026, 3, 14), False, True),
        (at(2026, 3, 10, 19), date(2026, 3, 20), True, False),
        (at(2026, 3, 10, 17, tz=UTC), date(2026, 3, 14), False, False),  # 01:00 on 11 March in Shanghai
    ],
)
def test_minutes_are_due_within_three_days_A12_C07(starts_at, today, published, overdue):
    assert rules.minutes_overdue(starts_at=starts_at, today=today, published=published) is overdue


@pytest.mark.parametrize(
    ("body_kind", "expected"),
    [
        ("owners_committee", "业委会〔2026〕3号"),
        ("deliberation_council", "议事会〔2026〕3号"),
        ("owners_assembly", "业主大会〔2026〕3号"),
    ],
)
def test_resolution_number_per_body_and_year(body_kind, expected):
    assert rules.resolution_number(body_kind=body_kind, year=2026, sequence=3) == expected


def test_ics_escapes_commas_semicolons_and_newlines_with_crlf_lines():
    event = rules.CalendarEvent(
        uid="meeting-7@example.org",
        starts_at=at(2026, 3, 16, 19, 30),
        summary="业主大会;第一次会议,选举",
        location="社区活动室\n二楼",
    )
    text = rules.ics_calendar(name="业委会", events=[event], now=at(2026, 3, 1, 8, tz=UTC))
    assert text.startswith("BEGIN:VCALENDAR\r\n") and text.endswith("END:VCALENDAR\r\n")
    assert "\n" not in text.replace("\r\n", "")
    assert "DTSTART:20260316T113000Z\r\n" in text
    assert "DTSTAMP:20260301T080000Z\r\n" in text
    assert "SUMMARY:业主大会\\;第一次会议\\,选举\r\n" in text
    assert "LOCATION:社区活动室\\n二楼\r\n" in text


def test_ics_folds_long_lines_at_75_octets_without_splitting_characters():
    folded = rules.ics_fold("SUMMARY:" + "会" * 60)
    assert all(len(part.encode("utf-8")) <= 75 for part in folded.split("\r\n"))
    assert folded.replace("\r\n ", "") == "SUMMARY:" + "会" * 60
