"""The home, community index and community pages cost the same number of queries for 1 community as
for 50, for a visitor and for a verified resident (issue 2, "Checks")."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from governance.models import PolicyIndexPage
from home.models import CommunityRole
from home.services.roles import role_grant
from tests.factories import UserFactory, community_index_page, community_with_units, home_page, member

pytestmark = pytest.mark.django_db
Role = CommunityRole.Role

# Ceilings for a logged-in resident, who costs the most: Wagtail's routing (one query a tree level),
# the session and the user, the header (communities, unread count, the userbar's permissions) and the
# page's own selectors. Raise one only with a reason: it must stay flat, whatever the city's size.
MAX_QUERIES = {
    "home": 20,  # +3 (issue 7): latest guidance, latest answers, whether the user answers policy questions;
    # +1 (issue 8): whether the user reviews renovation applications (the queue link)
    "index": 18,
    "community": 28,  # +1 each: latest notices (3), open topics (4), open votes (5), latest statements (6),
    # the renovation card (issue 8: the latest readable project; its milestone only when there is one);
    # +2 (issue 9): the management card's open period with its company, and the open handover items
    "residents": 13,  # +1 (issue 3): the residents' notices, one query whatever their number
}


def build_city(n: int):
    """n communities of 2 buildings × 2 entrances × 3 homes, plus a parking space in each."""
    PolicyIndexPage.objects.exists() or home_page().add_child(
        instance=PolicyIndexPage(title="政策指引", slug="zhengce")
    )
    return [community_with_units(buildings=2, entrances=2, units=3, parking=1) for _ in range(n)]


def viewer(kind: str, communities):
    """None for a visitor; a resident of the first community who also holds a role in every other."""
    if kind == "visitor":
        return None
    user = member(communities[0], Role.RESIDENT)
    for community in communities[1:]:
        role_grant(user, community, Role.OWNER)
    return user


def url_of(page_name: str, communities) -> str:
    return {
        "home": "/",
        "index": community_index_page().url,
        "community": communities[-1].url,
        "residents": reverse("home:community_residents", args=[communities[-1].pk]),
    }[page_name]


def count_queries(client, url: str) -> int:
    client.get(url)  # warm per-process caches (site root paths, content types), as a running server has
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
    assert response.status_code == 200, url
    return len(captured)


def measure_pages(client, communities, django_assert_max_num_queries) -> dict[str, int]:
    counts = {}
    for page_name in ("home", "index", "community"):
        url = url_of(page_name, communities)
        with django_assert_max_num_queries(MAX_QUERIES[page_name]):
            client.get(url)
        counts[page_name] = count_queries(client, url)
    return counts


@pytest.mark.parametrize("kind", ["visitor", "resident"])
def test_public_page_query_counts_do_not_grow_with_the_city(client, django_assert_max_num_queries, kind):
    """Home, community index and community page, with 1 community and then with 50."""
    small = build_city(1)
    user = viewer(kind, small)
    if user:
        client.force_login(user)
    with_one = measure_pages(client, small, django_assert_max_num_queries)

    big = small + build_city(49)
    if user:
        for community in big[1:]:
            role_grant(user, community, Role.OWNER)
        client.force_login(user)  # a fresh request-scoped user, as the next real request would have
    with_fifty = measure_pages(client, big, django_assert_max_num_queries)
    assert with_fifty == with_one, f"as {kind}: {with_one} with 1 community, {with_fifty} with 50"


def test_residents_area_query_count_does_not_grow_with_the_community(client, django_assert_max_num_queries):
    small = community_with_units(buildings=1, entrances=1, units=1)
    big = community_with_units(buildings=12, entrances=3, units=6, parking=5)
    for community in (small, big):
        for _ in range(1 if community is small else 9):
            member(community, Role.OWNERS_COMMITTEE)
    user = UserFactory()
    role_grant(user, small, Role.RESIDENT)
    role_grant(user, big, Role.RESIDENT)
    client.force_login(user)
    counts = []
    for community in (small, big):
        url = reverse("home:community_residents", args=[community.pk])
        client.get(url)  # warm the site-root cache, as any earlier request would have in production
        with django_assert_max_num_queries(MAX_QUERIES["residents"]):
            client.get(url)
        counts.append(count_queries(client, url))
    assert counts[0] == counts[1]
