"""Meeting rules as pure functions: notice periods (A-09, C-07), quorum and decisions (C-06), minutes due (A-12,
C-07), resolution numbers. No Django imports: calendar dates are taken in Asia/Shanghai.

Notice periods count calendar days and leave out the day of notice (Civil Code Art. 201), so a notice published
on 1 March allows an owners' assembly on 16 March at the earliest: `meeting_date − notice_date ≥ 15`.
"""

from dataclasses import dataclass
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

SHANGHAI = ZoneInfo("Asia/Shanghai")

OWNERS_ASSEMBLY = "owners_assembly"
OWNERS_COMMITTEE = "owners_committee"
PROPERTY_MGMT_COMMITTEE = "property_mgmt_committee"
RESIDENTS_COMMITTEE_SELF_MGMT = "residents_committee_self_mgmt"
PARTY_BRANCH = "party_branch"
DELIBERATION_COUNCIL = "deliberation_council"

ASSEMBLY_NOTICE_DAYS = 15
COMMITTEE_NOTICE_DAYS = 7  # C-07
# No statute fixes a notice period for the party branch or the deliberation council (G-07). We ask for one day
# so that members learn of a meeting at least the day before; the value is a policy choice, not law.
OTHER_BODY_NOTICE_DAYS = 1

NOTICE_DAYS = {
    OWNERS_ASSEMBLY: ASSEMBLY_NOTICE_DAYS,
    OWNERS_COMMITTEE: COMMITTEE_NOTICE_DAYS,
    # The interim committee and self-management through the residents' committee stand in for the owners'
    # committee (C-15), so its meeting rule applies to them.
    PROPERTY_MGMT_COMMITTEE: COMMITTEE_NOTICE_DAYS,
    RESIDENTS_COMMITTEE_SELF_MGMT: COMMITTEE_NOTICE_DAYS,
    PARTY_BRANCH: OTHER_BODY_NOTICE_DAYS,
    DELIBERATION_COUNCIL: OTHER_BODY_NOTICE_DAYS,
}

MINUTES_DUE_DAYS = 3  # A-12, C-07

RESOLUTION_PREFIX = {
    OWNERS_ASSEMBLY: "业主大会",
    OWNERS_COMMITTEE: "业委会",
    PROPERTY_MGMT_COMMITTEE: "物管会",
    RESIDENTS_COMMITTEE_SELF_MGMT: "居委会代管",
    PARTY_BRANCH: "党支部",
    DELIBERATION_COUNCIL: "议事会",
}


def local_date(moment: datetime) -> date:
    """The calendar date of an aware datetime in Asia/Shanghai."""
    return moment.astimezone(SHANGHAI).date()


def notice_days_required(body_kind: str) -> int:
    return NOTICE_DAYS.get(body_kind, OTHER_BODY_NOTICE_DAYS)


def notice_period_met(*, body_kind: str, notice_at: datetime, starts_at: datetime) -> bool:
    """A-09 / C-07: whole calendar days from the notice date to the meeting date, the notice day not counted."""
    return (local_date(starts_at) - local_date(notice_at)).days >= notice_days_required(body_kind)


def earliest_meeting_date(*, body_kind: str, notice_at: datetime) -> date:
    return local_date(notice_at) + timedelta(days=notice_days_required(body_kind))


def quorum_reached(*, seat_count: int, present: int) -> bool:
    """C-06: more than half of the members must be present (exactly half is not enough)."""
    return seat_count > 0 and 2 * present > seat_count


def decision_carried(*, seat_count: int, present: int, votes_for: int) -> bool:
    """C-06: at least half of ALL members (the full complement, not those present) agree, at a quorate meeting.
    No proxies: only members present vote."""
    return quorum_reached(seat_count=seat_count, present=present) and 2 * votes_for >= seat_count


@dataclass(frozen=True)
class VoteProblem:
    code: str


def vote_problems(*, present: int, votes_for: int, votes_against: int, votes_abstain: int) -> list[VoteProblem]:
    """Counts that cannot be: negative numbers, or more votes than members present (no proxies, C-06)."""
    problems = []
    if min(present, votes_for, votes_against, votes_abstain) < 0:
        problems.append(VoteProblem("negative"))
    if votes_for + votes_against + votes_abstain > present:
        problems.append(VoteProblem("more_votes_than_present"))
    return problems


def minutes_due_date(starts_at: datetime) -> date:
    """A-12, C-07: minutes are published within 3 days after the meeting day (the meeting day not counted)."""
    return local_date(starts_at) + timedelta(days=MINUTES_DUE_DAYS)


def minutes_overdue(*, starts_at: datetime, today: date, published: bool) -> bool:
    return not published and today > minutes_due_date(starts_at)


def resolution_prefix(body_kind: str) -> str:
    return RESOLUTION_PREFIX.get(body_kind, "")


def resolution_number(*, body_kind: str, year: int, sequence: int) -> str:
    """Numbered per body per year, e.g. 业委会〔2026〕3号."""
    return f"{resolution_prefix(body_kind)}〔{year}〕{sequence}号"


# ---------------------------------------------------------------- iCalendar (RFC 5545), written by hand


@dataclass(frozen=True)
class CalendarEvent:
    uid: str
    starts_at: datetime
    summary: str
    location: str = ""
    description: str = ""
    url: str = ""


def ics_escape(text: str) -> str:
    """RFC 5545 §3.3.11 TEXT: backslash, semicolon, comma and newline are escaped."""
    return (
        text.replace("\\", "\\\\").replace(";", "\\;").replace(",", "\\,").replace("\r\n", "\\n").replace("\n", "\\n")
    )


def ics_utc(moment: datetime) -> str:
    return moment.astimezone(ZoneInfo("UTC")).strftime("%Y%m%dT%H%M%SZ")


def ics_fold(line: str) -> str:
    """Lines longer than 75 octets are folded (§3.1), never inside a UTF-8 character."""
    out, current = [], b""
    for char in line:
        encoded = char.encode("utf-8")
        if len(current) + len(encoded) > (75 if not out else 74):
            out.append(current.decode("utf-8"))
            current = b""
        current += encoded
    out.append(current.decode("utf-8"))
    return "\r\n ".join(out)


def ics_calendar(*, name: str, events: list[CalendarEvent], now: datetime) -> str:
    lines = [
        "BEGIN:VCALENDAR",
        "VERSION:2.0",
        "PRODID:-//shequ-gongzhi//meetings//ZH",
        "CALSCALE:GREGORIAN",
        "METHOD:PUBLISH",
        f"X-WR-CALNAME:{ics_escape(name)}",
    ]
    for event in events:
        lines += [
            "BEGIN:VEVENT",
            f"UID:{event.uid}",
            f"DTSTAMP:{ics_utc(now)}",
            f"DTSTART:{ics_utc(event.starts_at)}",
            f"SUMMARY:{ics_escape(event.summary)}",
        ]
        if event.location:
            lines.append(f"LOCATION:{ics_escape(event.location)}")
        if event.description:
            lines.append(f"DESCRIPTION:{ics_escape(event.description)}")
        if event.url:
            lines.append(f"URL:{event.url}")
        lines.append("END:VEVENT")
    lines.append("END:VCALENDAR")
    return "".join(ics_fold(line) + "\r\n" for line in lines)
