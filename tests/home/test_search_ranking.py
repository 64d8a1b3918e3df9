"""home/search.py's ranking on the database backend: best match first for one word and for several words, and a
fixed number of queries whatever the number of matches (on SQLite Wagtail's own ranking runs the full-text
match again for every matching page, and turns the best AND matches into the worst)."""

import pytest

from governance.models import PolicyAnswerPage
from home.search import search_pages
from tests.governance.policy_helpers import answer_page

pytestmark = pytest.mark.django_db


def _filler(count):
    for n in range(count):
        answer_page(f"社区活动安排第{n + 1}期", question="社区活动在哪里举行？", answer="社区活动在居委会举行。")


def _titles(outcome):
    return [page.title for page in outcome.results]


def test_one_word_ranks_the_page_that_says_it_most_first():
    _filler(10)
    answer_page("加装电梯怎么办理？", question="加装电梯的流程？", answer="加装电梯先表决，加装电梯再设计施工。")
    answer_page("老楼改造问题", question="改造包括什么？", answer="改造内容很多，也包括加装电梯。")
    assert _titles(search_pages(PolicyAnswerPage.objects.live(), "加装电梯")) == [
        "加装电梯怎么办理？",
        "老楼改造问题",
    ]


def test_several_words_rank_the_page_that_says_them_most_first():
    """Rare words give BM25 scores below −1, where Wagtail's SQLite AND score ((1 + bm25)² − 1) flips the order."""
    _filler(20)
    answer_page(
        "加装电梯能用维修资金吗？",
        question="加装电梯能不能使用维修资金？",
        answer="加装电梯可以申请使用维修资金，维修资金的使用由业主表决；加装电梯费用按楼层分摊。",
    )
    answer_page(
        "小区改造问题",
        question="改造的事情？",
        answer="改造时可以一并考虑加装电梯，费用另议，也涉及维修资金。",
    )
    outcome = search_pages(PolicyAnswerPage.objects.live(), "加装电梯 维修资金")
    assert outcome.all_words is True
    assert _titles(outcome) == ["加装电梯能用维修资金吗？", "小区改造问题"]


def test_only_the_queryset_s_pages_are_returned_at_most_the_limit():
    _filler(3)
    pages = [answer_page(f"物业问题{n}", question="物业？", answer="物业服务。") for n in range(5)]
    outcome = search_pages(PolicyAnswerPage.objects.live().exclude(pk=pages[0].pk), "物业", limit=3)
    assert len(outcome.results) == 3
    assert pages[0].title not in _titles(outcome)
    assert all(isinstance(page, PolicyAnswerPage) for page in outcome.results)


@pytest.mark.parametrize("matching", [3, 30])
def test_query_count_does_not_grow_with_the_matches(matching, django_assert_max_num_queries):
    for n in range(matching):
        answer_page(f"物业问题{n}", question="物业服务怎么样？", answer="物业服务企业按合同提供服务。")
    search_pages(PolicyAnswerPage.objects.live(), "物业")  # warm caches (content types)
    with django_assert_max_num_queries(2):
        outcome = search_pages(PolicyAnswerPage.objects.live(), "物业")
    assert len(outcome.results) == matching
    with django_assert_max_num_queries(4):  # every word, then any word
        search_pages(PolicyAnswerPage.objects.live(), "物业 量子")
