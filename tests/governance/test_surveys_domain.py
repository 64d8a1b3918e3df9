"""R-07 figures of a willingness survey: the 80% line of ALL households, exact at the boundaries."""

import pytest

from governance.domain.decisions import willingness_passes
from governance.domain.surveys import agree_needed, percent_of, still_needed, survey_progress


@pytest.mark.parametrize(
    ("households", "needed"),
    [
        (1, 1),
        (4, 4),  # 80% of 4 is 3.2: four households must agree
        (5, 4),  # exactly 80%
        (10, 8),
        (99, 80),  # 79 of 99 is 79.8%: not enough
        (100, 80),
        (101, 81),
        (64, 52),  # 51.2 → 52
    ],
)
def test_agree_needed_is_the_smallest_number_meeting_r07(households, needed):
    assert agree_needed(households) == needed
    assert willingness_passes(needed, households)
    assert not willingness_passes(needed - 1, households)


@pytest.mark.parametrize(
    ("agree", "households", "left", "passes"),
    [
        (80, 100, 0, True),  # exactly 80% passes (R-07: ≥)
        (79, 100, 1, False),  # one fewer fails
        (79, 99, 1, False),  # 79.8%
        (80, 99, 0, True),  # 80.8%
        (4, 5, 0, True),
        (3, 5, 1, False),
        (0, 7, 6, False),
        (7, 7, 0, True),
    ],
)
def test_still_needed_and_pass_agree_at_the_boundary(agree, households, left, passes):
    assert still_needed(agree, households) == left
    assert (left == 0) is passes
    assert survey_progress(households=households, agree=agree, disagree=0).passes is passes


def test_unanswered_households_count_as_not_agreeing():
    """R-07: 8 of 10 agree with 2 forms unreturned passes; 7 of 10 with 8 answers all agreeing but 1 fails."""
    progress = survey_progress(households=10, agree=7, disagree=1)
    assert progress.no_answer == 2
    assert not progress.passes
    assert progress.still_needed == 1
    assert progress.needed == 8


def test_percent_is_rounded_down_so_a_failing_share_never_reads_80():
    assert percent_of(79, 99) == 79
    assert percent_of(80, 100) == 80
    assert percent_of(0, 0) == 0


@pytest.mark.parametrize(
    ("households", "agree", "disagree"),
    [(0, 0, 0), (5, 6, 0), (5, 3, 3), (5, -1, 0)],
)
def test_impossible_numbers_are_refused(households, agree, disagree):
    with pytest.raises(ValueError):
        survey_progress(households=households, agree=agree, disagree=disagree)


def test_still_needed_refuses_more_agreeing_than_households():
    with pytest.raises(ValueError):
        still_needed(6, 5)
    with pytest.raises(ValueError):
        agree_needed(0)
