"""Chinese search over guidance and answers: segmentation finds words inside longer words, on either database."""

import pytest

from governance.models import PolicyAnswerPage, PolicyPage
from home.search import search_pages
from tests.governance.policy_helpers import answer_page, guidance

pytestmark = pytest.mark.django_db


def _titles(outcome):
    return [page.title for page in outcome.results]


@pytest.fixture
def library():
    guidance()
    guidance(
        "河南省物业管理条例",
        document_number="",
        issuer="河南省人民代表大会常务委员会",
        level=PolicyPage.Level.PROVINCIAL,
        summary="物业服务企业、业主大会和业主委员会的规定。",
        body="<p>住宅专项维修资金属于业主所有。</p>",
    )
    answer_page(
        "铁路家属区为什么没有纳入改造计划？",
        question="三供一业小区能否改造？",
        answer="三供一业改造过的项目不能重复申请。",
    )
    answer_page("老楼能加装电梯吗？", question="加装电梯如何分摊费用？", answer="按照业主共同决定分摊。")


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
