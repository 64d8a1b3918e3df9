"""Pure notice access rules, table-driven, no database (issue 3 Notices, V-15)."""

from datetime import UTC, datetime, timedelta

import pytest

from governance.domain.notices import Access, NoticeFacts, ReaderFacts, notice_access, notice_is_current

NOW = datetime(2026, 11, 27, 14, 0, tzinfo=UTC)
MINUTE = timedelta(minutes=1)


def notice(**kw):
    base = {"live": True, "go_live_at": None, "expire_at": None, "is_public": False, "for_whole_community": True}
    return NoticeFacts(**{**base, **kw})


ANONYMOUS = ReaderFacts(authenticated=False, community_member=False, sees_all=False)
OUTSIDER = ReaderFacts(authenticated=True, community_member=False, sees_all=False)
RESIDENT_B1 = ReaderFacts(authenticated=True, community_member=True, sees_all=False, home_building_ids=frozenset({1}))
RESIDENT_B2 = ReaderFacts(authenticated=True, community_member=True, sees_all=False, home_building_ids=frozenset({2}))
COMMITTEE = ReaderFacts(authenticated=True, community_member=True, sees_all=True)


@pytest.mark.parametrize(
    ("facts", "current"),
    [
        (notice(), True),
        (notice(live=False), False),
        (notice(go_live_at=NOW + MINUTE), False),
        (notice(go_live_at=NOW), True),
        (notice(expire_at=NOW + MINUTE), True),
        (notice(expire_at=NOW), False),  # boundary: expires at that instant
        (notice(expire_at=NOW - MINUTE), False),
    ],
)
def test_notice_is_current_between_publish_and_expiry(facts, current):
    assert notice_is_current(facts, NOW) is current


ONLY_B1 = {"for_whole_community": False, "building_ids": frozenset({1})}


@pytest.mark.parametrize(
    ("facts", "reader", "access"),
    [
        (notice(is_public=True), ANONYMOUS, Access.READ),
        (notice(), ANONYMOUS, Access.LOGIN),
        (notice(), OUTSIDER, Access.FORBIDDEN),
        (notice(), RESIDENT_B1, Access.READ),
        (notice(**ONLY_B1), RESIDENT_B1, Access.READ),
        (notice(**ONLY_B1), RESIDENT_B2, Access.FORBIDDEN),
        (notice(is_public=True, **ONLY_B1), RESIDENT_B2, Access.FORBIDDEN),
        (notice(is_public=True, **ONLY_B1), ANONYMOUS, Access.LOGIN),
        (notice(**ONLY_B1), COMMITTEE, Access.READ),
        (notice(expire_at=NOW - MINUTE), COMMITTEE, Access.GONE),
        (notice(is_public=True, live=False), ANONYMOUS, Access.GONE),
    ],
)
def test_notice_access(facts, reader, access):
    assert notice_access(facts, reader, NOW) is access
