"""Site-wide search (/search/): public pages only — communities, public notices, guidance and answers — ranked,
highlighted and paginated; a members-only notice is never found, whoever searches."""

import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from governance.models import NoticePage
from home.models import CommunityRole
from home.search import search_pages
from tests.factories import CommunityPageFactory, member
from tests.governance.notice_helpers import notice_add
from tests.governance.policy_helpers import answer_page, guidance, policy_index

pytestmark = pytest.mark.django_db

SEARCH_URL = reverse("site_search")


def _main(response) -> str:
    assert response.status_code == 200
    return response.content.decode().split('<main id="main"', 1)[1].split("</main>", 1)[0]


def _titles(main: str) -> list[str]:
    return [re.sub(r"</?mark>", "", title) for title in re.findall(r'<h3><a href="[^"]*">(.*?)</a></h3>', main)]


@pytest.fixture
def site():
    community = CommunityPageFactory(
        title="向阳新村", address="新乡市红旗区向阳路12号", intro="<p>2023年完成老旧小区改造，三栋楼加装电梯。</p>"
    )
    notice_add(
        community, title="加装电梯意见征询公告", is_public=True, body="<p>请各位业主对加装电梯方案提出意见。</p>"
    )
    notice_add(
        community, title="业委会内部通知：维修资金账目", is_public=False, body="<p>仅限本小区业主：维修资金明细。</p>"
    )
    notice_add(community, title="停水通知草稿", is_public=True, publish=False, body="<p>维修资金草稿。</p>")
    guidance()
    answer_page("老楼能加装电梯吗？", question="加装电梯如何分摊费用？", answer="按照业主共同决定分摊。")
    return community


def test_site_search_url_is_search_without_namespace():
    assert SEARCH_URL == "/search/"


def test_finds_communities_public_notices_documents_and_answers_with_type_labels(client, site):
    main = _main(client.get(SEARCH_URL, {"q": "加装电梯"}))
    titles = _titles(main)
    assert {"向阳新村", "加装电梯意见征询公告", "老楼能加装电梯吗？"} <= set(titles)
    assert "小区" in main and "公开通知" in main and "答复" in main
    assert "<mark>加装电梯</mark>" in main


def test_finds_a_community_by_its_address_and_introduction(client, site):
    assert "向阳新村" in _titles(_main(client.get(SEARCH_URL, {"q": "向阳路"})))
    assert "向阳新村" in _titles(_main(client.get(SEARCH_URL, {"q": "老旧小区"})))


def test_finds_guidance_documents_with_their_status(client, site):
    main = _main(client.get(SEARCH_URL, {"q": "老旧小区改造"}))
    assert "关于全面推进城镇老旧小区改造工作的指导意见" in _titles(main) and "现行有效" in main


@pytest.mark.parametrize("as_member", [False, True])
def test_members_only_notice_is_never_found(client, site, as_member):
    indexed = search_pages(NoticePage.objects.live(), "内部通知").results
    assert [notice.title for notice in indexed] == [
        "业委会内部通知：维修资金账目"
    ]  # indexed, so the test means something
    if as_member:
        client.force_login(member(site, CommunityRole.Role.OWNERS_COMMITTEE))
    for query in ("维修资金", "业委会", "内部通知", "账目"):
        main = _main(client.get(SEARCH_URL, {"q": query}))
        assert "内部通知" not in "".join(_titles(main)), query
        assert "维修资金明细" not in main


def test_an_unpublished_notice_or_answer_is_never_found(client, site):
    main = _main(client.get(SEARCH_URL, {"q": "草稿"}))
    assert "停水通知草稿" not in _titles(main)


def test_kind_limits_the_search(client, site):
    assert _titles(_main(client.get(SEARCH_URL, {"q": "加装电梯", "kind": "communities"}))) == ["向阳新村"]
    assert _titles(_main(client.get(SEARCH_URL, {"q": "加装电梯", "kind": "notices"}))) == ["加装电梯意见征询公告"]
    assert _titles(_main(client.get(SEARCH_URL, {"q": "加装电梯", "kind": "answers"}))) == ["老楼能加装电梯吗？"]
    assert len(_titles(_main(client.get(SEARCH_URL, {"q": "加装电梯", "kind": "x"})))) >= 3


def test_results_paginate_ten_a_page(client, site):
    for n in range(11):
        answer_page(f"第{n}个电梯问题", question="加装电梯", answer="可以。")
    first = _main(client.get(SEARCH_URL, {"q": "加装电梯"}))
    assert len(_titles(first)) == 10 and 'rel="next"' in first
    second = _main(client.get(SEARCH_URL, {"q": "加装电梯", "page": 2}))
    assert len(_titles(second)) >= 4


@pytest.mark.parametrize("query", ["", "   ", "？？", "物业" * 2500, "<script>alert(1)</script>", "%", "100%"])
def test_odd_queries_never_give_an_error_page(client, site, query):
    response = client.get(SEARCH_URL, {"q": query})
    main = _main(response)
    assert "<script>alert" not in response.content.decode()
    if not query.strip() or query == "？？":
        assert "您想找什么" in main
    if len(query) > 100:
        assert "只搜索了前 100 个字" in main


def test_nothing_found_says_so(client, site):
    main = _main(client.get(SEARCH_URL, {"q": "火星殖民"}))
    assert "没有找到" in main and _titles(main) == []


def test_search_page_is_chinese_and_accessible(client, site):
    from tests.portal.test_accounts_pages import assert_accessible_chinese_page

    html = client.get(SEARCH_URL, {"q": "加装电梯"}).content.decode()
    assert_accessible_chinese_page(html, SEARCH_URL)
    assert "全站搜索" in html and "只搜索公开页面" in html


def test_every_page_has_a_small_site_search_form_in_the_header(client, site):
    html = client.get(policy_index().url).content.decode()
    assert f'action="{SEARCH_URL}"' in html and 'for="site-search-header"' in html
    html = client.get(site.url).content.decode()
    assert f'action="{SEARCH_URL}"' in html


def _queries(client, query) -> int:
    with CaptureQueriesContext(connection) as queries:
        assert client.get(SEARCH_URL, {"q": query}).status_code == 200
    return len(queries)


def test_query_count_does_not_grow_with_the_site(client, site, django_assert_max_num_queries):
    queries = ("加装电梯", "火星", "加装电梯 火星")
    small = [_queries(client, q) for q in queries]
    for n in range(27):
        answer_page(f"电梯问题{n}", question="加装电梯", answer="可以。")
        notice_add(site, title=f"电梯通知{n}", is_public=bool(n % 2), body="<p>加装电梯</p>")
    large = [_queries(client, q) for q in queries]
    # The shown page may hold fewer kinds of page (a query per kind): never more queries as the site grows.
    assert all(after <= before for before, after in zip(small, large, strict=True)), (small, large)
    with django_assert_max_num_queries(12):
        client.get(SEARCH_URL, {"q": "加装电梯"})
