"""Reminders and the arrears notice for fellow owners: the pure rules (F-01, D-06).

- F-01 (Civil Code art. 944): late payment is met with a written reminder (催告) giving a reasonable period,
  then a lawsuit or arbitration; never with cutting water, power, heating or gas. A reminder's deadline is at
  least ``MIN_REMINDER_DAYS`` after the day it is sent, and no text of ours or of the sender may suggest a cut.
- D-06: an arrears notice lists a unit only after a written reminder whose deadline has passed, shows the masked
  room with the amount and months as bands (never a name, phone or exact amount), and is shown for a limited
  number of days (``MAX_NOTICE_DAYS`` by default).
"""

from dataclasses import dataclass
from datetime import date, timedelta

# F-01: "a reasonable period" — we take at least seven days from the day the reminder is sent.
MIN_REMINDER_DAYS = 7
# D-06 rule 5: the default and the longest display period of an arrears notice, in days.
MAX_NOTICE_DAYS = 30
# D-06: a notice lists units from this many months in arrears, unless the keeper chooses more.
DEFAULT_NOTICE_MONTHS = 3

# Words that threaten or suggest cutting a utility (F-01): refused in a reminder's note.
UTILITY_CUT_WORDS = (
    "停水",
    "停电",
    "停暖",
    "停气",
    "断水",
    "断电",
    "断暖",
    "断气",
    "停供",
    "断供",
    "限水",
    "限电",
    "停止供水",
    "停止供电",
    "停止供暖",
    "停止供气",
    "停止供热",
    "拉闸",
    "关阀",
)

# D-06: the months band an arrears notice shows instead of the exact count.
MONTH_BANDS: tuple[tuple[int, str], ...] = (
    (3, "3个月以下"),
    (6, "3–5个月"),
    (12, "6–11个月"),
    (24, "1–2年"),
)
MONTH_BAND_TOP = "2年以上"


def earliest_deadline(today: date) -> date:
    """F-01: the earliest deadline a reminder sent today may set."""
    return today + timedelta(days=MIN_REMINDER_DAYS)


def deadline_problem(deadline: date | None, today: date) -> str | None:
    """Why a reminder's deadline is not acceptable, or None."""
    if deadline is None:
        return "请填写缴费期限。"
    if deadline < earliest_deadline(today):
        return (
            f"缴费期限应给出合理期限，至少在 {MIN_REMINDER_DAYS} 天之后（{earliest_deadline(today):%Y-%m-%d} 或更晚）。"
        )
    return None


def mentions_utility_cut(text: str) -> bool:
    """True when the text speaks of cutting or limiting water, power, heating or gas (refused, F-01)."""
    compact = "".join((text or "").split())
    return any(word in compact for word in UTILITY_CUT_WORDS)


def months_band(months: int) -> str:
    """D-06: fellow owners see how long, as a band, not the exact number of months."""
    for limit, label in MONTH_BANDS:
        if months < limit:
            return label
    return MONTH_BAND_TOP


def notice_expires_on(published_on: date, days: int) -> date:
    """The last day a notice is shown: ``days`` calendar days including the day it is published."""
    return published_on + timedelta(days=days - 1)


def notice_days_problem(days: int | None, max_days: int = MAX_NOTICE_DAYS) -> str | None:
    if days is None or days < 1:
        return "公示天数至少为 1 天。"
    if days > max_days:
        return f"欠费公示最长只能展示 {max_days} 天（D-06）。"
    return None


def notice_is_showing(*, expires_on: date, withdrawn: bool, today: date) -> bool:
    return not withdrawn and today <= expires_on


@dataclass(frozen=True)
class NoticeCandidate:
    """One unit in arrears as the notice sees it: months open, oldest open period, last expired reminder."""

    unit_id: int
    open_months: int
    oldest_period: date | None
    reminded_on: date | None  # the day the latest reminder with a passed deadline was sent


def may_list(candidate: NoticeCandidate, *, min_months: int) -> bool:
    """D-06 rules 1 and 3: enough months in arrears, and a written reminder for these arrears whose deadline has
    passed (a reminder sent before the oldest open month concerned an earlier debt and does not count)."""
    if candidate.open_months < min_months or candidate.reminded_on is None:
        return False
    return candidate.oldest_period is None or candidate.reminded_on >= candidate.oldest_period
