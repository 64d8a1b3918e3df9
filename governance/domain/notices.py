"""Who may open a notice (issue 3 Notices, V-15): pure rules, no Django."""

from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum


class Access(StrEnum):
    READ = "read"
    GONE = "gone"  # not yet published or expired: as if it did not exist
    LOGIN = "login"  # an anonymous visitor may be a resident: ask to log in
    FORBIDDEN = "forbidden"


@dataclass(frozen=True)
class NoticeFacts:
    live: bool
    go_live_at: datetime | None
    expire_at: datetime | None
    is_public: bool
    for_whole_community: bool
    building_ids: frozenset[int] = frozenset()


@dataclass(frozen=True)
class ReaderFacts:
    authenticated: bool
    community_member: bool  # verified resident, role holder or bureau staff (can_read_community_records)
    sees_all: bool  # the community's governing roles and bureau staff
    home_building_ids: frozenset[int] = frozenset()


def notice_is_current(notice: NoticeFacts, now: datetime) -> bool:
    """Published, past its publish time and strictly before its expiry."""
    if not notice.live or (notice.go_live_at is not None and notice.go_live_at > now):
        return False
    return notice.expire_at is None or now < notice.expire_at


def notice_addressed_to(notice: NoticeFacts, reader: ReaderFacts) -> bool:
    return notice.for_whole_community or reader.sees_all or bool(notice.building_ids & reader.home_building_ids)


def notice_access(notice: NoticeFacts, reader: ReaderFacts, now: datetime) -> Access:
    if not notice_is_current(notice, now):
        return Access.GONE
    if (notice.is_public or reader.community_member) and notice_addressed_to(notice, reader):
        return Access.READ
    return Access.FORBIDDEN if reader.authenticated else Access.LOGIN
