"""The demo policy library of `manage.py seed_demo` (portal.management.demo_policy), on a reduced demo city.

The full city takes minutes to seed (two years of fees), so this module plans the same six communities with
fewer buildings, builds their registry and accounts with the seed command's own steps, then runs the policy seed
twice — once for the whole module, inside a transaction rolled back at the end (as tests/portal/test_demo_fees.py).
"""

import io
import time

import pytest
from django.conf import settings
from django.contrib.auth import get_user_model
from django.db import transaction
from django.db.models import Count, Q
from wagtail.models import Page, Revision, WorkflowState

from governance.domain.policy import is_weak
from governance.models import (
    AnswerFeedback,
    PolicyAnswerPage,
    PolicyOfficial,
    PolicyPage,
    PolicyQuestion,
    PolicyTopic,
)
from home.models import AuditEntry, Notification, Person
from home.search import search_pages
from portal.management import demo_city
from portal.management.demo_city import _Layout
from portal.management.demo_policy import DOCUMENTS, DRAFT, QUESTIONS, seed_policy
from tests.portal.small_city import seed_small_city

User = get_user_model()
COUNTED = (
    Page,
    Revision,
    PolicyTopic,
    PolicyOfficial,
    PolicyQuestion,
    AnswerFeedback,
    WorkflowState,
    AuditEntry,
    Notification,
    User,
)
# Enough homes for the demo accounts (3号楼2单元301, 5号楼1单元502) and for the 议事厅 seed's four residents with an
# account in every other community (it picks them from the 21st registered owner on).
SMALL = {
    "tielu": _Layout(2, 2, 4, 2, (42, 68)),
    "jiankang": _Layout(2, 2, 4, 2, (38, 62)),
    "xiangyang": _Layout(5, 2, 5, 2, (56, 118)),
    "pingyuan": _Layout(2, 2, 4, 2, (60, 96)),
    "renminxi": _Layout(2, 2, 4, 2, (45, 75)),
    "xinhua": _Layout(2, 2, 4, 2, (72, 130)),
}


def _counts() -> dict[str, int]:
    return {model.__name__: model.objects.count() for model in COUNTED}


def _small_city(monkeypatch):
    seed_small_city(monkeypatch, SMALL)


@pytest.fixture(scope="module")
def seeded(django_db_setup, django_db_blocker):
    with django_db_blocker.unblock(), transaction.atomic(), pytest.MonkeyPatch.context() as monkeypatch:
        _small_city(monkeypatch)
        out = io.StringIO()
        started = time.monotonic()
        seed_policy(out)
        seconds = time.monotonic() - started
        first = _counts()
        again = io.StringIO()
        seed_policy(again)
        yield {"first": first, "second": _counts(), "output": out.getvalue(), "seconds": seconds}
        transaction.set_rollback(True)


@pytest.fixture(autouse=True)
def _seeded_city(seeded, db):
    """Every test reads the seeded city; its own changes are rolled back after it."""


def _live_answers():
    return PolicyAnswerPage.objects.live()


def _question(key):
    spec = next(q for q in QUESTIONS if q.key == key)
    return PolicyQuestion.objects.get(asker__username=spec.asker, title=spec.title)


def test_second_run_adds_nothing_and_the_part_is_fast(seeded):
    assert seeded["first"] == seeded["second"]
    assert seeded["seconds"] < 20
    assert "政策问答" in seeded["output"] and "用户名 bureau2" in seeded["output"]


def test_the_library_has_more_than_twenty_answers_filed_under_topics():
    answers = _live_answers()
    assert answers.count() >= 20
    assert not answers.annotate(n=Count("topics")).filter(n=0).exists()
    assert PolicyTopic.objects.filter(name__in=["老旧小区改造", "三供一业", "业主大会与业委会"]).count() == 3


def test_the_four_questions_of_the_bureaus_reply_are_answered_in_the_library():
    titles = {
        "sanju-xiaoqu": "80%",
        "tielu-sangong": "施工改造清单",
        "gaizao-zijin": "30%",
        "gaizao-hou-wuye": "社区保障性管理",
    }
    for key, phrase in titles.items():
        page = PolicyAnswerPage.objects.live().get(source_question=_question(key))
        assert phrase in page.answer, key
        assert page.cited_documents.exists()
    assert "谁受益、谁出资" in _question("gaizao-zijin").answer_page.answer


def test_no_published_answer_carries_a_demo_persons_name_or_phone():
    """D-01, D-05: the library is public; no registered person and no account holder is named in it."""
    names = set(Person.objects.exclude(full_name="").values_list("full_name", flat=True))
    names |= set(User.objects.exclude(full_name="").values_list("full_name", flat=True))
    phones = {p[-11:] for p in Person.objects.exclude(phone="").values_list("phone", flat=True)}
    phones |= {
        p[-11:] for p in User.objects.exclude(phone__isnull=True).exclude(phone="").values_list("phone", flat=True)
    }
    names.discard("新乡市华新置业有限公司")
    for page in _live_answers():
        public = f"{page.title}\n{page.question}\n{page.answer}"
        digits = "".join(ch for ch in public if ch.isdigit())
        assert not [n for n in names if n in public], page.title
        assert not [p for p in phones if p in digits], page.title


def test_answers_name_the_official_role_and_local_matters_are_answered_by_the_sub_district():
    roles = set(_live_answers().values_list("answered_in_role", flat=True))
    assert "新乡市住房和城乡建设局 物业管理科科长" in roles
    assert "红旗区向阳街道办事处 城建办干事" in roles
    local = _live_answers().filter(answered_in_role__startswith="红旗区向阳街道")
    assert local.count() >= 2
    for page in local:
        assert page.source_question.community.slug == "xiangyang-xincun"


def test_one_answer_was_revised_and_shows_its_update():
    revised = _live_answers().filter(revised_at__isnull=False)
    assert revised.count() == 1
    page = revised.get()
    assert page.revised_at > page.answered_at
    assert "让渡小区公共收益" in page.answer


def test_documents_carry_their_numbers_issuers_and_dates():
    by_key = {p.slug: p for p in PolicyPage.objects.live()}
    assert len(by_key) == len(DOCUMENTS)
    assert by_key["guoban-2020-23"].document_number == "国办发〔2020〕23号"
    assert str(by_key["guoban-2020-23"].issued_on) == "2020-07-10"
    assert by_key["yuzhengban-2019-58"].document_number == "豫政办〔2019〕58号"
    civil_code = by_key["minfadian-wuquan-6"]
    assert (civil_code.document_number, str(civil_code.effective_on)) == (
        "中华人民共和国主席令第四十五号",
        "2021-01-01",
    )
    henan = by_key["henan-wuye-tiaoli"]
    assert (str(henan.issued_on), str(henan.effective_on)) == ("2017-09-29", "2018-01-01")
    assert "379号" in by_key["wuye-tiaoli"].document_number
    for page in by_key.values():
        assert page.topics.exists() and page.summary and page.body
        if not page.document_number:
            assert "以原件为准" in page.summary + page.body, page.title


def test_the_repealed_property_law_links_to_the_civil_code():
    law = PolicyPage.objects.live().get(slug="wuquanfa")
    assert law.status == PolicyPage.Status.REPEALED
    assert law.replaced_by.specific.slug == "minfadian-wuquan-6"
    assert law in PolicyPage.objects.get(slug="minfadian-wuquan-6").replaces.all()


def test_the_desk_has_a_question_in_every_state():
    Status = PolicyQuestion.Status
    counts = dict(PolicyQuestion.objects.values_list("status").annotate(n=Count("pk")))
    assert counts[Status.RECEIVED] == 2
    assert counts[Status.ASSIGNED] == 1
    assert counts[Status.ANSWERED] == 1
    assert counts[Status.DUPLICATE] == 1
    assert counts[Status.PUBLISHED] == _live_answers().count()
    duplicate = PolicyQuestion.objects.get(status=Status.DUPLICATE)
    assert duplicate.duplicate_of.live
    # an answered question waiting for publication is not in the library
    waiting = PolicyQuestion.objects.get(status=Status.ANSWERED)
    assert not PolicyAnswerPage.objects.filter(source_question=waiting).exists()


def test_askers_were_notified():
    for question in PolicyQuestion.objects.filter(status=PolicyQuestion.Status.PUBLISHED):
        assert Notification.objects.filter(recipient=question.asker, body=question.title).exists()


def test_readers_rated_answers_and_one_answer_is_weak():
    rated = _live_answers().annotate(
        up=Count("feedback", filter=Q(feedback__helpful=True)),
        down=Count("feedback", filter=Q(feedback__helpful=False)),
    )
    assert sum(1 for page in rated if page.up + page.down) >= 5
    weak = [page for page in rated if is_weak(page.up, page.down)]
    assert len(weak) == 1
    assert AnswerFeedback.objects.filter(page=weak[0], helpful=False).exclude(comment="").count() == 3


def test_the_drafters_guidance_waits_for_the_approver():
    draft = PolicyPage.objects.get(slug=DRAFT.key)
    assert not draft.live
    state = WorkflowState.objects.get(object_id=str(draft.pk), status=WorkflowState.STATUS_IN_PROGRESS)
    assert state.requested_by.username == "bureau2"
    task = state.current_task_state.task.specific
    assert not task.user_may_review(draft, User.objects.get(username="bureau2"))
    assert task.user_may_review(draft, User.objects.get(username="bureau"))
    assert not User.objects.get(username="bureau2").groups.filter(name=settings.PORTAL_POLICY_APPROVER_GROUP).exists()


@pytest.mark.parametrize("query", ["物业", "维修资金", "加装电梯", "三供一业", "业委会"])
def test_search_finds_the_demo_library(query):
    answers = search_pages(PolicyAnswerPage.objects.live(), query)
    assert answers.results and answers.all_words, query
    documents = search_pages(PolicyPage.objects.live(), query)
    assert documents.results, query


def test_no_public_text_of_the_plan_could_name_anyone_the_demo_city_can_draw():
    """Whatever people the city's random draw makes (D-01), the plan's public texts name none of them: every
    surname with every given name the plan may pick, and the two-character given names on their own."""
    pairs = [demo_city.MALE_GIVEN[i : i + 2] for i in range(0, len(demo_city.MALE_GIVEN), 2)]
    pairs += [demo_city.FEMALE_GIVEN[i : i + 2] for i in range(0, len(demo_city.FEMALE_GIVEN), 2)]
    givens = set(pairs) | {pair[0] for pair in pairs}
    names = {surname + given for surname in demo_city.SURNAMES for given in givens} | set(pairs)
    for spec in QUESTIONS:
        for text in (spec.public_title, spec.public_question, spec.answer, spec.revision):
            assert not [name for name in names if name in text], spec.key
