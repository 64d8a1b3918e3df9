"""Renovation willingness surveys (改造意愿征询, R-07): the numbers the committee watches while a survey runs.

R-07: the plan and, separately, the property-management model pass only when agreeing households are ≥ 80% of
ALL households in scope; unreturned forms count as not agreeing. The pass test itself is
governance.domain.decisions.willingness_passes (5·agree ≥ 4·households); this module adds the figures around
it, on exact integers. Pure: no Django.
"""

from dataclasses import dataclass

from governance.domain.decisions import willingness_passes

__all__ = ["Progress", "agree_needed", "percent_of", "still_needed", "survey_progress", "willingness_passes"]


def agree_needed(households: int) -> int:
    """R-07: the smallest number of agreeing households n with 5·n ≥ 4·households (⌈4·households / 5⌉)."""
    if households <= 0:
        raise ValueError("a willingness survey needs households in scope")
    return (4 * households + 4) // 5


def still_needed(agree: int, households: int) -> int:
    """R-07: how many more households must agree for the result to pass; 0 once it passes."""
    if not 0 <= agree <= households:
        raise ValueError("agreeing households must be between 0 and the households in scope")
    return max(agree_needed(households) - agree, 0)


def percent_of(part: int, whole: int) -> int:
    """A whole percentage for display (rounded down, so 79.9% never shows as 80%); 0 of nothing is 0."""
    if whole <= 0:
        return 0
    return 100 * part // whole


@dataclass(frozen=True)
class Progress:
    """One question (plan or model) of a survey, as the progress page shows it."""

    households: int
    agree: int
    disagree: int
    no_answer: int
    needed: int  # agreeing households the 80% line requires
    still_needed: int  # more agreeing households required; 0 when it passes
    passes: bool  # would pass if the survey closed now
    agree_percent: int  # rounded down


def survey_progress(*, households: int, agree: int, disagree: int) -> Progress:
    """R-07 progress of one question: households that gave no answer count as not agreeing."""
    if households <= 0:
        raise ValueError("a willingness survey needs households in scope")
    if agree < 0 or disagree < 0 or agree + disagree > households:
        raise ValueError("answers must be between 0 and the households in scope")
    return Progress(
        households=households,
        agree=agree,
        disagree=disagree,
        no_answer=households - agree - disagree,
        needed=agree_needed(households),
        still_needed=still_needed(agree, households),
        passes=willingness_passes(agree, households),
        agree_percent=percent_of(agree, households),
    )
