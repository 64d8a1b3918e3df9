"""Pure rules of the 议事厅 (issue 4, PRODUCT.md capability 4). No Django here.

- Authors may edit their post within 15 minutes of posting (exactly 15:00 still counts as within).
- A proposal's tally counts each person once, by their latest stance; a deliberation outcome is a
  consultation result, never an owners' decision under art. 278 (G-07).
- Posting is limited per user (a short burst and an hourly ceiling); a socket client has a token bucket.
"""

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime, timedelta

EDIT_WINDOW = timedelta(minutes=15)
BODY_MAX_CHARS = 5000
TITLE_MAX_CHARS = 80
MAX_IMAGES_PER_POST = 4
MAX_IMAGE_BYTES = 5 * 1024 * 1024
MAX_IMAGE_SIDE = 2048

# (window, posts allowed within it)
POSTING_LIMITS: tuple[tuple[timedelta, int], ...] = ((timedelta(minutes=1), 5), (timedelta(hours=1), 40))

STANCES = ("support", "oppose", "neutral")

_ALLOWED_CONTROL = {"\n", "\t"}


def edit_allowed(created_at: datetime, now: datetime) -> bool:
    """Within 15 minutes of posting, boundary included."""
    return timedelta(0) <= now - created_at <= EDIT_WINDOW


def clean_text(text: str) -> str:
    """Plain text as typed: newlines normalised, control characters dropped, outer blank space removed.
    Posts are never HTML: templates escape them, so markup shows as text and cannot run."""
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    text = "".join(ch for ch in text if ch in _ALLOWED_CONTROL or (ord(ch) >= 32 and ord(ch) != 127))
    return text.strip()


def stance_tally(stances: Iterable[tuple[int, str]]) -> dict[str, int]:
    """Counts per stance from (author_id, stance) pairs in posting order; a later stance of the same author
    replaces an earlier one, so replying twice does not count twice. Blank stances are ignored."""
    latest: dict[int, str] = {}
    for author_id, stance in stances:
        if stance in STANCES:
            latest[author_id] = stance
    counts = dict.fromkeys(STANCES, 0)
    for stance in latest.values():
        counts[stance] += 1
    return counts


def posting_allowed(recent: Iterable[datetime], now: datetime, limits=POSTING_LIMITS) -> bool:
    """May one more post be made now, given the times of the author's recent posts?"""
    recent = list(recent)
    for window, allowed in limits:
        if sum(1 for t in recent if now - t < window) >= allowed:
            return False
    return True


@dataclass
class TokenBucket:
    """Messages a socket client may send: `burst` at once, refilled at `rate` per second."""

    rate: float
    burst: float
    tokens: float = -1.0
    updated: float = 0.0

    def take(self, now: float) -> bool:
        if self.tokens < 0:
            self.tokens, self.updated = self.burst, now
        self.tokens = min(self.burst, self.tokens + (now - self.updated) * self.rate)
        self.updated = now
        if self.tokens >= 1:
            self.tokens -= 1
            return True
        return False
