"""Chinese search over guidance and answers: segmentation finds words inside longer words, on either database."""

import datetime
import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from governance.models import PolicyAnswerPage, PolicyPage
from governance.selectors.policy import rank_title_matches_first
from home.domain.chinese_text import parse_query
from home.search import search_pages
from tests.governance.policy_helpers import answer_page, guidance, policy_index, small_library, topic

pytestmark = pytest.mark.django_db


def _titles(outcome):
    return [page.title for page in outcome.results]


@pytest.fixture
def library():
    small_library()


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("物业", "河南省物业管理条例"),
        ("维修资金", "河南省物业管理条例"),
        ("加装电梯", "老楼能加装电梯吗？"),
        ("三供一业", "铁路家属区为什么没有纳入改造计划？"),
        ("业委会", "河南省物业管理条例"),
    ],
)
def test_search_finds_words_inside_longer_words(library, query, expected):
    outcome = search_pages(PolicyPage.objects.live(), query)
    outcome_answers = search_pages(PolicyAnswerPage.objects.live(), query)
    assert expected in _titles(outcome) + _titles(outcome_answers)


@pytest.mark.parametrize("query", ["", "   ", "？？！", "物业" * 2500])
def test_empty_or_huge_query_is_handled(library, query):
    outcome = search_pages(PolicyPage.objects.live(), query)
    assert isinstance(outcome.results, list)


# --- the search page (/policy/search/) ---------------------------------------------------------------------------

SEARCH_URL = reverse("governance:policy_search")


def _main(response) -> str:
    assert response.status_code == 200
    return response.content.decode().split('<main id="main"', 1)[1].split("</main>", 1)[0]


def _result_titles(main: str) -> list[str]:
    return [re.sub(r"</?mark>", "", title) for title in re.findall(r'<h3><a href="[^"]*">(.*?)</a></h3>', main)]


@pytest.fixture
def words_library():
    """Each of the issue's words in a document and in an answer, mostly inside longer words."""
    wuye = topic("物业管理", "wuye")
    guidance(
        "河南省物业管理条例",
        document_number="",
        issuer="河南省人民代表大会常务委员会",
        level=PolicyPage.Level.PROVINCIAL,
        summary="物业服务企业、业主大会和业主委员会的规定。",
        body="<p>住宅专项维修资金属于业主所有。</p>",
        topics=[wuye],
    )
    guidance(
        "新乡市国有企业家属区三供一业分离移交工作方案",
        document_number="",
        issuer="新乡市人民政府办公室",
        level=PolicyPage.Level.MUNICIPAL,
        summary="供水、供电、供热和物业管理分离移交。",
        body="<p>既有住宅加装电梯可以申请补助。</p>",
    )
    answer_page("老楼能加装电梯吗？", question="加装电梯如何分摊费用？", answer="按照业主共同决定分摊。", topics=[wuye])
    answer_page(
        "铁路家属区为什么没有纳入改造计划？",
        question="三供一业小区能否改造？",
        answer="三供一业改造过的项目不能重复申请。",
    )
    answer_page("业委会怎么成立？", question="小区想成立业主委员会。", answer="由街道办事处指导筹备业主大会。")
    answer_page("专项维修资金怎么用？", question="屋顶漏水能用维修资金吗？", answer="经业主共同决定后使用。")
    answer_page("改造后小区由谁管理？", question="改造完成后怎么管理？", answer="可以引入专业物业服务企业。")


@pytest.mark.parametrize(
    ("query", "document", "answer"),
    [
        ("物业", "河南省物业管理条例", "改造后小区由谁管理？"),
        ("维修资金", "河南省物业管理条例", "专项维修资金怎么用？"),
        ("加装电梯", "新乡市国有企业家属区三供一业分离移交工作方案", "老楼能加装电梯吗？"),
        ("三供一业", "新乡市国有企业家属区三供一业分离移交工作方案", "铁路家属区为什么没有纳入改造计划？"),
        ("业委会", "河南省物业管理条例", "业委会怎么成立？"),
    ],
)
def test_search_page_finds_documents_and_answers_highlighted(client, words_library, query, document, answer):
    main = _main(client.get(SEARCH_URL, {"q": query}))
    titles = _result_titles(main)
    assert document in titles and answer in titles
    assert "<mark>" in main
    assert re.search(r"<mark>[^<]+</mark>", main)
    assert "政策文件" in main and "结果" in main


def test_search_page_marks_the_query_words_in_titles_and_snippets(client, words_library):
    main = _main(client.get(SEARCH_URL, {"q": "维修资金"}))
    assert "专项<mark>维修资金</mark>怎么用？" in main
    assert "住宅专项<mark>维修资金</mark>属于业主所有。" in main


def test_synonym_is_highlighted_too(client, words_library):
    main = _main(client.get(SEARCH_URL, {"q": "业委会"}))
    assert "<mark>业主委员会</mark>" in main and "<mark>业委会</mark>" in main


def test_title_match_ranks_above_a_body_only_match(client):
    answer_page("小区公共收益怎么公示？", question="业委会要公示什么？", answer="业委会应当公示公共收益。" * 6)
    answer_page("业委会怎么成立？", question="想成立。", answer="由街道指导。")
    titles = _result_titles(_main(client.get(SEARCH_URL, {"q": "业委会"})))
    assert titles.index("业委会怎么成立？") < titles.index("小区公共收益怎么公示？")


def test_rank_title_matches_first_keeps_the_backend_order_otherwise():
    class Hit:
        def __init__(self, title):
            self.title = title

    hits = [Hit("甲：只在正文里"), Hit("乙：物业费"), Hit("丙：正文"), Hit("丁：物业与维修资金")]
    ranked = rank_title_matches_first(hits, parse_query("物业 维修资金"))
    assert [hit.title[0] for hit in ranked] == ["丁", "乙", "甲", "丙"]


def test_search_kind_limits_to_documents_or_answers(client, words_library):
    documents = _result_titles(_main(client.get(SEARCH_URL, {"q": "三供一业", "kind": "documents"})))
    assert documents == ["新乡市国有企业家属区三供一业分离移交工作方案"]
    answers = _result_titles(_main(client.get(SEARCH_URL, {"q": "三供一业", "kind": "answers"})))
    assert answers == ["铁路家属区为什么没有纳入改造计划？"]
    mixed = _result_titles(_main(client.get(SEARCH_URL, {"q": "三供一业", "kind": "<bad>"})))
    assert len(mixed) == 2


def test_search_results_paginate_ten_a_page(client):
    for n in range(12):
        answer_page(f"第{n}个加装电梯问题", question="加装电梯", answer="可以。")
    first = _main(client.get(SEARCH_URL, {"q": "加装电梯"}))
    assert len(_result_titles(first)) == 10 and "共找到 12 条结果" in first
    second = _main(client.get(SEARCH_URL, {"q": "加装电梯", "page": 2}))
    assert len(_result_titles(second)) == 2
    assert len(_result_titles(_main(client.get(SEARCH_URL, {"q": "加装电梯", "page": "999"})))) == 2


def test_empty_query_shows_a_friendly_prompt(client, words_library):
    for query in ("", "   "):
        main = _main(client.get(SEARCH_URL, {"q": query}))
        assert "您想找什么" in main and _result_titles(main) == []
    main = _main(client.get(SEARCH_URL, {"q": "？？！"}))
    assert "没有可以搜索的词" in main


def test_no_results_suggests_topics_and_asking(client, words_library):
    main = _main(client.get(SEARCH_URL, {"q": "火星殖民"}))
    assert "没有找到" in main and "物业管理" in main and "topic=wuye" in main
    assert reverse("governance:policy_ask") in main


def test_only_some_words_matched_is_said(client, words_library):
    main = _main(client.get(SEARCH_URL, {"q": "三供一业 业委会"}))
    assert "没有同时包含您所有词语的内容" in main
    assert {"铁路家属区为什么没有纳入改造计划？", "业委会怎么成立？"} <= set(_result_titles(main))


@pytest.mark.parametrize("query", ["物业" * 2500, "<script>alert(1)</script>", "%", "%%_\\", "' OR 1=1 --", "物业\x00"])
def test_odd_queries_never_give_an_error_page(client, words_library, query):
    response = client.get(SEARCH_URL, {"q": query})
    main = _main(response)
    assert "<script>alert" not in response.content.decode()
    if len(query) > 100:
        assert "只搜索了前 100 个字" in main and "河南省物业管理条例" in _result_titles(main)


def test_an_unpublished_answer_never_appears_in_search(client, words_library):
    draft = PolicyAnswerPage(
        title="草稿：三供一业维修资金",
        slug="draft-sgyy",
        question="三供一业",
        answer="维修资金",
        answered_by_name="赵建国",
        answered_in_role="住建局",
        answered_at=timezone.now(),
        live=False,
    )
    policy_index().add_child(instance=draft)
    draft.save_revision()
    for query in ("三供一业", "维修资金", "草稿"):
        titles = _result_titles(_main(client.get(SEARCH_URL, {"q": query})))
        assert "草稿：三供一业维修资金" not in titles


def test_search_page_is_chinese_and_accessible(client, words_library):
    from tests.portal.test_accounts_pages import assert_accessible_chinese_page

    html = client.get(SEARCH_URL, {"q": "物业"}).content.decode()
    assert_accessible_chinese_page(html, SEARCH_URL)
    assert "搜索政策和问答" in html and "搜索范围" in html and "最相关的排在前面" in html


def _search_queries(client, query) -> int:
    with CaptureQueriesContext(connection) as queries:
        assert client.get(SEARCH_URL, {"q": query}).status_code == 200
    return len(queries)


def test_search_page_query_count_does_not_grow_with_the_library(client, django_assert_max_num_queries):
    def grow(start, count):
        for n in range(start, start + count):
            guidance(f"物业文件{n}", document_number="", issued_on=datetime.date(2020, 1, 1))
            answer_page(f"物业问题{n}", question="物业", answer="物业服务。")

    grow(0, 3)
    small = [_search_queries(client, q) for q in ("物业", "火星", "物业 火星")]
    grow(3, 27)
    large = [_search_queries(client, q) for q in ("物业", "火星", "物业 火星")]
    # The shown page may hold one kind of page or both (a query per kind): never more as the library grows.
    assert all(after <= before for before, after in zip(small, large, strict=True)), (small, large)
    with django_assert_max_num_queries(10):
        client.get(SEARCH_URL, {"q": "物业"})
