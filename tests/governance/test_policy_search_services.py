"""The policy library's Chinese search on PostgreSQL (Wagtail's database backend, tsvector with the "simple"
configuration): the same segmented terms must match, rank and fail safely as on SQLite.

Skipped when DATABASE_URL is not set, except when PORTAL_EXPECT_SERVICES=1 (the PostgreSQL run of .ci/run): then
a missing configuration fails, so that CI can never pass the PostgreSQL run by skipping it.
"""

import os

import pytest
from django.db import connection
from django.utils import timezone

from governance.models import PolicyAnswerPage, PolicyPage
from home.search import search_pages
from tests.governance.policy_helpers import answer_page, policy_index, small_library

pytestmark = [pytest.mark.services, pytest.mark.django_db]


@pytest.fixture(autouse=True)
def _require_postgresql():
    if os.environ.get("DATABASE_URL"):
        return
    message = "DATABASE_URL not set: the PostgreSQL search tests need the real server"
    if os.environ.get("PORTAL_EXPECT_SERVICES") == "1":
        pytest.fail(message + " (PORTAL_EXPECT_SERVICES=1)")
    pytest.skip(message)


@pytest.fixture
def library():
    small_library()
    answer_page(
        "业委会怎么成立？",
        question="小区还没有业委会，怎么成立？",
        answer="在街道办事处指导下筹备首次业主大会会议。",
    )
    answer_page(
        "小区公共收益怎么公示？",
        question="停车费等公共收益归谁？",
        answer="公共收益属于全体业主，业委会应当定期公示；维修资金另行核算。",
    )


def _search(query):
    documents = search_pages(PolicyPage.objects.live(), query)
    answers = search_pages(PolicyAnswerPage.objects.live(), query)
    return documents, answers


def _titles(*outcomes):
    return [page.title for outcome in outcomes for page in outcome.results]


def test_the_database_is_postgresql():
    assert connection.vendor == "postgresql"


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("物业", "河南省物业管理条例"),
        ("物业", "关于全面推进城镇老旧小区改造工作的指导意见"),
        ("维修资金", "河南省物业管理条例"),
        ("维修基金", "河南省物业管理条例"),
        ("加装电梯", "老楼能加装电梯吗？"),
        ("电梯加装", "老楼能加装电梯吗？"),
        ("三供一业", "铁路家属区为什么没有纳入改造计划？"),
        ("业委会", "河南省物业管理条例"),
        ("业主委员会", "业委会怎么成立？"),
        ("老旧小区改造", "关于全面推进城镇老旧小区改造工作的指导意见"),
        ("国办发", "关于全面推进城镇老旧小区改造工作的指导意见"),
    ],
)
def test_search_finds_words_inside_longer_words_and_synonyms(library, query, expected):
    assert expected in _titles(*_search(query))


def test_a_title_match_ranks_above_a_body_only_match(library):
    _documents, answers = _search("业委会")
    titles = _titles(answers)
    assert titles.index("业委会怎么成立？") < titles.index("小区公共收益怎么公示？")


def test_every_word_must_match_before_falling_back_to_any_word(library):
    _documents, answers = _search("业委会 公示")
    assert _titles(answers) == ["小区公共收益怎么公示？"]
    assert answers.all_words is True

    _documents, answers = _search("三供一业 公示")
    assert answers.all_words is False
    assert set(_titles(answers)) == {"铁路家属区为什么没有纳入改造计划？", "小区公共收益怎么公示？"}


def test_a_draft_answer_is_never_found(library):
    page = PolicyAnswerPage(
        title="草稿：三供一业维修资金",
        slug="draft-answer",
        question="三供一业",
        answer="三供一业",
        answered_by_name="赵建国",
        answered_in_role="物业管理科科长",
        answered_at=timezone.now(),
        live=False,
    )
    policy_index().add_child(instance=page)
    page.save_revision()
    assert not PolicyAnswerPage.objects.get(pk=page.pk).live
    assert "草稿：三供一业维修资金" in _titles(search_pages(PolicyAnswerPage.objects.all(), "三供一业"))  # indexed
    assert "草稿：三供一业维修资金" not in _titles(*_search("三供一业"))


@pytest.mark.parametrize(
    "query",
    ["", "   ", "？？！", "%", "_", "'", "\\", "<script>alert(1)</script>", "物业 & | ! :* ()", "物业" * 2500],
)
def test_odd_or_huge_queries_never_fail(library, query):
    documents, answers = _search(query)
    assert isinstance(documents.results, list)
    assert isinstance(answers.results, list)


def test_a_5000_character_query_searches_its_first_100_characters(library):
    documents, _answers = _search("物业" * 2500)
    assert documents.query.truncated is True
    assert "河南省物业管理条例" in _titles(documents)


def test_a_query_without_hits_gives_no_results(library):
    documents, answers = _search("量子计算")
    assert documents.results == [] and answers.results == []
