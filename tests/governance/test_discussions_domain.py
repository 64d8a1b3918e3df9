"""Pure rules of the 议事厅 (governance.domain.discussions): no database."""

from datetime import UTC, datetime, timedelta

import pytest

from governance.domain import discussions as rules

T0 = datetime(2026, 11, 27, 8, 0, tzinfo=UTC)


@pytest.mark.parametrize(
    ("elapsed", "allowed"),
    [
        (timedelta(0), True),
        (timedelta(minutes=14, seconds=59), True),
        (timedelta(minutes=15), True),  # exactly 15 minutes is still within
        (timedelta(minutes=15, microseconds=1), False),
        (timedelta(hours=2), False),
        (timedelta(seconds=-5), False),  # a clock in the past is not a licence
    ],
)
def test_authors_may_edit_within_fifteen_minutes_boundary_included(elapsed, allowed):
    assert rules.edit_allowed(T0, T0 + elapsed) is allowed


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("  你好  ", "你好"),
        ("第一行\r\n第二行\r第三行", "第一行\n第二行\n第三行"),
        ("a\x00b\x07c\x7fd", "abcd"),
        ("<script>alert(1)</script>", "<script>alert(1)</script>"),  # kept as text; templates escape it
        ("\n\n\t", ""),
        ("列\t表", "列\t表"),
    ],
)
def test_clean_text_keeps_plain_text_and_drops_control_characters(text, expected):
    assert rules.clean_text(text) == expected


@pytest.mark.parametrize(
    ("stances", "expected"),
    [
        ([], {"support": 0, "oppose": 0, "neutral": 0}),
        ([(1, "support"), (2, "oppose"), (3, "neutral")], {"support": 1, "oppose": 1, "neutral": 1}),
        ([(1, "support"), (1, "support"), (1, "support")], {"support": 1, "oppose": 0, "neutral": 0}),
        ([(1, "support"), (1, "oppose")], {"support": 0, "oppose": 1, "neutral": 0}),  # latest stance counts
        ([(1, "support"), (1, ""), (2, "")], {"support": 1, "oppose": 0, "neutral": 0}),  # no stance changes nothing
        ([(1, "bogus"), (2, "support")], {"support": 1, "oppose": 0, "neutral": 0}),
    ],
)
def test_stance_tally_counts_each_person_once_by_latest_stance(stances, expected):
    assert rules.stance_tally(stances) == expected


def _times(n, spacing):
    return [T0 - spacing * i for i in range(1, n + 1)]


@pytest.mark.parametrize(
    ("recent", "allowed"),
    [
        ([], True),
        (_times(4, timedelta(seconds=10)), True),  # the fifth post within a minute is allowed
        (_times(5, timedelta(seconds=10)), False),  # the sixth is not
        ([T0 - timedelta(seconds=60)] * 5, True),  # exactly a minute ago has left the window
        (_times(39, timedelta(minutes=1, seconds=30)), True),
        ([T0 - timedelta(minutes=2)] * 40, False),  # the hourly ceiling
        ([T0 - timedelta(hours=1)] * 40, True),
    ],
)
def test_posting_is_limited_per_minute_and_per_hour(recent, allowed):
    assert rules.posting_allowed(recent, T0) is allowed


def test_token_bucket_allows_a_burst_then_refills_at_its_rate():
    bucket = rules.TokenBucket(rate=5, burst=3)
    assert [bucket.take(0.0) for _ in range(4)] == [True, True, True, False]
    assert bucket.take(0.1) is False  # half a token
    assert bucket.take(0.2) is True  # one token after 0.2 s at 5/s
    assert [bucket.take(10.0) for _ in range(4)] == [True, True, True, False]  # never more than the burst
