"""Policy Q&A pages: asking, the asker's questions, one question's page (private: the asker and the officials who
may answer it; the asker masked for officials, D-01), the officials' forms with the writers' refusals shown as
form errors, the desk's queue by jurisdiction, the weak answers — and query counts flat in the data."""

import os

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from governance.domain.policy import is_weak
from governance.models import AnswerFeedback, PolicyAnswerPage, PolicyQuestion
from governance.selectors import policy_desk
from governance.services import policy as svc
from tests.factories import UserFactory, member
from tests.governance.policy_helpers import answer_page, topic
from tests.governance.test_policy_services import World
from tests.portal.conftest import PHONE_VIEWPORT, browser, chromium_executable  # noqa: F401  (fixtures)

pytestmark = pytest.mark.django_db

FORBIDDEN = "您的账号无权查看这个政策问题"


@pytest.fixture
def world():
    return World()


def text_of(response) -> str:
    return response.content.decode()


def _url(name, question=None):
    return reverse(f"governance:{name}", args=[question.pk] if question else [])


def _refresh(question):
    return PolicyQuestion.objects.get(pk=question.pk)


# ---------------------------------------------------------------- asking


def test_asking_needs_a_login(client, world):
    response = client.get(_url("policy_ask"))
    assert response.status_code == 302 and "login" in response["Location"]


def test_the_ask_form_offers_only_the_askers_communities_and_says_nothing_personal_is_published(client, world):
    client.force_login(world.asker)
    page = text_of(client.get(_url("policy_ask")))
    assert "您的姓名、电话和房号绝不会公开" in page
    assert "向阳新村" in page and "健康里" not in page and "东街小区" not in page
    assert '<label for="id_title">您的问题</label>' in page


def test_asking_creates_the_question_and_shows_its_page(client, world):
    client.force_login(world.asker)
    form = {"title": "小区规模小能否纳入改造？", "details": "只有两栋楼。", "community": world.c11.pk}
    response = client.post(_url("policy_ask"), {**form, "topic": topic().pk})
    question = PolicyQuestion.objects.get()
    assert response.status_code == 302 and response["Location"] == _url("policy_question", question)
    assert (question.asker, question.community, question.status) == (world.asker, world.c11, "received")
    page = text_of(client.get(response["Location"]))
    assert "您的问题已收到" in page and "小区规模小能否纳入改造？" in page and "已收到" in page


def test_a_refused_question_is_shown_with_its_chinese_error(client, world):
    client.force_login(world.asker)
    response = client.post(_url("policy_ask"), {"title": "改造？"})
    assert response.status_code == 400
    assert "问题：至少需要 5 个字。" in text_of(response)
    response = client.post(_url("policy_ask"), {"title": "小区规模小能否纳入改造？", "community": world.c21.pk})
    assert response.status_code == 400
    assert not PolicyQuestion.objects.exists()


def test_a_user_without_a_community_asks_a_city_wide_question(client, world):
    stranger = UserFactory()
    client.force_login(stranger)
    page = text_of(client.get(_url("policy_ask")))
    assert 'name="community"' not in page
    assert client.post(_url("policy_ask"), {"title": "加装电梯的费用如何分摊？"}).status_code == 302
    assert PolicyQuestion.objects.get().community is None


# ---------------------------------------------------------------- the asker's questions


def test_my_questions_show_each_status_with_its_link(client, world):
    received = world.ask("老旧小区改造的资金从哪里来？")
    published = world.answered()
    page = svc.answer_publish(
        actor=world.city, question=published, public_title="改造后由谁管理？", public_question="改造后由谁管理？"
    )
    duplicate = world.ask("改造后物业怎么选？")
    library = answer_page("改造后的小区如何选择物业？")
    svc.question_close_duplicate(actor=world.city, question=duplicate, answer_page=library)
    someone_else = svc.question_ask(asker=member(world.c11, "resident"), title="别人的问题不应出现")
    client.force_login(world.asker)
    html = text_of(client.get(_url("policy_my_questions")))
    assert received.title in html and "已收到" in html
    assert page.url in html and "已收入问答库" in html
    assert library.url in html and "已按重复问题关闭" in html
    assert someone_else.title not in html


# ---------------------------------------------------------------- who reads a question


def test_the_question_is_read_by_its_asker_and_the_officials_who_may_answer_it(client, world):
    question = world.ask(details="我是孙丽华，电话13912345678。")
    for reader in (world.asker, world.officer11, world.district1, world.city):
        client.force_login(reader)
        response = client.get(_url("policy_question", question))
        assert response.status_code == 200
        assert question.title in text_of(response)


@pytest.mark.parametrize("outsider", ["officer12", "officer21", "district2", "neighbour", "stranger"])
def test_everyone_else_gets_the_chinese_403(client, world, outsider):
    question = world.ask()
    users = {"neighbour": member(world.c11, "owner"), "stranger": UserFactory()}
    client.force_login(users.get(outsider) or getattr(world, outsider))
    response = client.get(_url("policy_question", question))
    assert response.status_code == 403 and FORBIDDEN in text_of(response)
    assert question.title not in text_of(response)


def test_an_unknown_question_is_the_same_403(client, world):
    client.force_login(world.asker)
    assert client.get(reverse("governance:policy_question", args=[999999])).status_code == 403


def test_officials_see_the_asker_masked_and_the_forms_the_status_allows(client, world):
    question = world.ask()
    client.force_login(world.officer11)
    html = text_of(client.get(_url("policy_question", question)))
    assert "孙**" in html and "139****5678" in html
    assert "孙丽华" not in html and "13912345678" not in html
    for action in ("policy_question_answer", "policy_question_assign", "policy_question_duplicate"):
        assert _url(action, question) in html
    assert _url("policy_question_publish", question) not in html  # not answered yet
    assert world.doc.title in html  # cited documents to tick


def test_the_asker_sees_no_officials_forms(client, world):
    question = world.ask()
    client.force_login(world.asker)
    html = text_of(client.get(_url("policy_question", question)))
    assert _url("policy_question_answer", question) not in html and "工作人员处理" not in html


# ---------------------------------------------------------------- the officials' forms


@pytest.mark.parametrize("action", ["assign", "answer", "publish", "duplicate"])
def test_outsiders_cannot_post_to_the_desk_forms(client, world, action):
    question = world.answered() if action == "publish" else world.ask()
    before = _refresh(question).status
    for outsider in (world.officer12, world.district2, world.asker):
        client.force_login(outsider)
        response = client.post(
            _url(f"policy_question_{action}", question),
            {
                "assignee": outsider.pk,
                "text": "这是一个足够长的答复内容，应被拒绝。",
                "public_title": "改造后由谁管理？",
                "public_question": "改造后由谁管理？",
                "answer_page": answer_page().pk,
            },
        )
        assert response.status_code == 403
    assert _refresh(question).status == before
    assert not PolicyAnswerPage.objects.filter(source_question=question).exists()


def test_an_official_assigns_answers_and_publishes(client, world):
    question = world.ask()
    client.force_login(world.city)
    html = text_of(client.get(_url("policy_question", question)))
    assert "李秀兰" in html  # the sub-district officer is offered
    response = client.post(_url("policy_question_assign", question), {"assignee": world.officer11.pk})
    assert response.status_code == 302 and _refresh(question).assigned_to == world.officer11

    client.force_login(world.officer11)
    response = client.post(
        _url("policy_question_answer", question),
        {"text": "改造后可引入专业物业服务企业，也可连片打包实行社区保障性管理。", "cited_documents": [world.doc.pk]},
    )
    assert response.status_code == 302
    question = _refresh(question)
    assert question.status == "answered" and list(question.cited_documents.all()) == [world.doc]
    html = text_of(client.get(_url("policy_question", question)))
    assert "街道办事处 城建办主任" in html and _url("policy_question_publish", question) in html
    assert "老旧小区改造后由谁来管理？" in html  # the public copy is prefilled with the question

    response = client.post(
        _url("policy_question_publish", question),
        {
            "public_title": "老旧小区改造后由谁管理？",
            "public_question": "改造后的小区如何选择物业？",
            "topics": [topic().pk],
        },
    )
    assert response.status_code == 302
    page = PolicyAnswerPage.objects.live().get(source_question=question)
    client.force_login(world.asker)
    assert page.url in text_of(client.get(_url("policy_question", question)))


def test_refusals_are_shown_on_the_form_and_nothing_changes(client, world):
    question = world.answered()
    client.force_login(world.officer11)
    response = client.post(
        _url("policy_question_publish", question),
        {"public_title": "孙丽华问：改造后谁来管？", "public_question": "我住1号楼1单元011室，改造后谁来管？"},
    )
    assert response.status_code == 400
    html = text_of(response)
    assert "公开内容中仍含有提问人的姓名、房号" in html
    assert not PolicyAnswerPage.objects.filter(source_question=question).exists()
    assert _refresh(question).status == "answered"

    response = client.post(_url("policy_question_answer", question), {"text": "可以。"})
    assert response.status_code == 400 and "答复：至少需要 10 个字。" in text_of(response)
    assert _refresh(question).answer.startswith("改造后可引入")


def test_assigning_to_an_officer_outside_the_area_is_not_offered_and_refused(client, world):
    question = world.ask()
    client.force_login(world.city)
    response = client.post(_url("policy_question_assign", question), {"assignee": world.officer12.pk})
    assert response.status_code == 400
    assert _refresh(question).status == "received"


def test_closing_as_duplicate_from_the_page(client, world):
    question = world.ask()
    library = answer_page()
    client.force_login(world.officer11)
    response = client.post(_url("policy_question_duplicate", question), {"answer_page": library.pk})
    assert response.status_code == 302
    assert (_refresh(question).status, _refresh(question).duplicate_of_id) == ("duplicate", library.pk)


# ---------------------------------------------------------------- the desk


def _titles_on_desk(client, user, query=""):
    client.force_login(user)
    response = client.get(_url("policy_desk") + query)
    assert response.status_code == 200
    return text_of(response)


def test_residents_have_no_desk(client, world):
    for user in (world.asker, UserFactory()):
        client.force_login(user)
        assert client.get(_url("policy_desk")).status_code == 403
        assert client.get(_url("policy_weak_answers")).status_code == 403


def test_the_queue_holds_the_questions_of_the_officials_jurisdiction(client, world):
    q11 = world.ask("向阳新村的改造问题")
    neighbour12 = member(world.c12, "owner")
    q12 = svc.question_ask(asker=neighbour12, title="东街小区的改造问题", community=world.c12)
    neighbour21 = member(world.c21, "owner")
    q21 = svc.question_ask(asker=neighbour21, title="健康里的改造问题", community=world.c21)
    city_wide = world.ask("全市的物业收费问题", community=None)
    expected = {
        world.officer11: {q11},
        world.officer12: {q12},
        world.district1: {q11, q12},
        world.district2: {q21},
        world.city: {q11, q12, q21, city_wide},
    }
    everything = {q11, q12, q21, city_wide}
    for user, visible in expected.items():
        html = _titles_on_desk(client, user)
        for question in everything:
            assert (question.title in html) is (question in visible), (user, question.title)


def test_the_queue_filters_by_status_and_assignee_and_counts_each_status(client, world):
    first, second = world.ask("第一个待处理的问题"), world.ask("第二个待处理的问题")
    svc.question_assign(actor=world.city, question=second, assignee=world.officer11)
    answered = world.answered()
    PolicyQuestion.objects.filter(pk=first.pk).update(created_at=timezone.now() - timezone.timedelta(days=9))
    html = _titles_on_desk(client, world.officer11)
    assert first.title in html and second.title in html and answered.title not in html
    assert html.index(first.title) < html.index(second.title)  # oldest first
    assert "已等待 9 天" in html
    assert "2 个待处理问题" in html
    html = _titles_on_desk(client, world.officer11, "?status=answered")
    assert answered.title in html and first.title not in html
    html = _titles_on_desk(client, world.officer11, "?status=open&mine=on")
    assert second.title in html and first.title not in html
    counts = policy_desk.desk(world.officer11)["counts"]
    assert counts == {"received": 1, "assigned": 1, "answered": 1, "published": 0, "duplicate": 0}


def _questions(world, n):
    PolicyQuestion.objects.bulk_create(
        PolicyQuestion(asker=world.asker, community=world.c11, title=f"第{i}个问题的标题", topic=topic())
        for i in range(n)
    )


def test_the_desk_query_count_does_not_grow_with_the_questions(client, world, django_assert_max_num_queries):
    client.force_login(world.officer11)
    _questions(world, 3)
    client.get(_url("policy_desk"))
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as few:
        assert client.get(_url("policy_desk")).status_code == 200
    _questions(world, 27)
    with django_assert_max_num_queries(len(few)):
        assert "30 个待处理问题" in text_of(client.get(_url("policy_desk")))


def test_my_questions_query_count_is_flat(client, world, django_assert_max_num_queries):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client.force_login(world.asker)
    _questions(world, 3)
    world.answered()
    with CaptureQueriesContext(connection) as few:
        client.get(_url("policy_my_questions"))
    _questions(world, 27)
    with django_assert_max_num_queries(len(few)):
        assert client.get(_url("policy_my_questions")).status_code == 200


def test_the_officials_question_page_does_not_grow_with_the_library(client, world, django_assert_max_num_queries):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from tests.governance.policy_helpers import guidance

    question = world.ask()
    client.force_login(world.officer11)
    client.get(_url("policy_question", question))
    with CaptureQueriesContext(connection) as few:
        assert client.get(_url("policy_question", question)).status_code == 200
    for n in range(8):
        guidance(f"第{n}号政策文件", document_number="")
        answer_page(f"第{n}条已公开的答复")
    with django_assert_max_num_queries(len(few)):
        html = text_of(client.get(_url("policy_question", question)))
    assert "第7号政策文件" in html and "第7条已公开的答复" in html


# ---------------------------------------------------------------- weak answers


VOTES = [(0, 0), (0, 2), (1, 1), (1, 2), (0, 3), (2, 2), (3, 3), (2, 1), (2, 3), (4, 5)]


def _rate(page, helpful, unhelpful, comment=""):
    AnswerFeedback.objects.bulk_create(
        [AnswerFeedback(page=page, user=UserFactory(), helpful=True) for _ in range(helpful)]
        + [AnswerFeedback(page=page, user=UserFactory(), helpful=False, comment=comment) for _ in range(unhelpful)]
    )


def test_the_databases_weak_flag_is_the_domain_rule(world):
    pages = {}
    for helpful, unhelpful in VOTES:
        page = answer_page(f"答复{helpful}-{unhelpful}")
        _rate(page, helpful, unhelpful)
        pages[page.pk] = (helpful, unhelpful)
    annotated = policy_desk.with_votes(PolicyAnswerPage.objects.filter(pk__in=pages))
    for page in annotated:
        helpful, unhelpful = pages[page.pk]
        assert (page.helpful_count, page.unhelpful_count) == (helpful, unhelpful)
        assert bool(page.weak) is is_weak(helpful, unhelpful), (helpful, unhelpful)


def test_weak_answers_come_first_with_the_readers_comments(client, world, django_assert_max_num_queries):
    good = answer_page("答得很好的答复")
    _rate(good, 5, 1)
    weak = answer_page("答得不清楚的答复")
    _rate(weak, 1, 3, comment="没有说明补助比例")
    draft = answer_page("草稿答复")
    _rate(draft, 0, 5)
    draft.unpublish()
    client.force_login(world.officer11)
    html = text_of(client.get(_url("policy_weak_answers")))
    assert html.index(weak.title) < html.index(good.title)
    assert "没有说明补助比例" in html and "1 条待改进的答复" in html
    assert "有帮助 1 · 没帮助 3" in html
    assert draft.title not in html
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as few:
        client.get(_url("policy_weak_answers"))
    for n in range(10):
        _rate(answer_page(f"更多答复{n}"), 1, 2, comment="不够具体")
    with django_assert_max_num_queries(len(few)):
        assert client.get(_url("policy_weak_answers")).status_code == 200


# ---------------------------------------------------------------- at a phone's width

SHOTS = os.environ.get("POLICY_DESK_SHOTS", "")  # a folder: keep a full-page screenshot of each page
WIDEST = """[...document.querySelectorAll('body *')].filter(e => e.getBoundingClientRect().right > 391
  && (!e.parentElement.closest('.table-wrap'))).slice(0, 12).map(e => e.tagName + '.' + e.className + ' ' +
  Math.round(e.getBoundingClientRect().right) + ' ' + (e.textContent || '').slice(0, 30))"""


def _phone_pages(browser, live_server, user, paths):  # noqa: F811
    client = Client()
    client.force_login(user)
    context = browser.new_context(viewport=PHONE_VIEWPORT, locale="zh-CN", timezone_id="Asia/Shanghai")
    context.add_cookies([{"name": "sessionid", "value": client.cookies["sessionid"].value, "url": live_server.url}])
    page = context.new_page()
    problems = []
    page.on("pageerror", lambda error: problems.append(str(error)))
    for path in paths:
        response = page.goto(live_server.url + path)
        assert response.status == 200, path
        width = page.evaluate("document.documentElement.scrollWidth")
        wide = page.evaluate(WIDEST) if width > PHONE_VIEWPORT["width"] else []
        assert width <= PHONE_VIEWPORT["width"], f"{path} scrolls sideways ({width}px): {wide}"
        if SHOTS:
            page.screenshot(path=f"{SHOTS}/{user.pk}_{path.strip('/').replace('/', '_')}.png", full_page=True)
    assert problems == []
    context.close()


@pytest.fixture
def phone_world():
    """Written through the services before the browser starts (their on-commit pushes use async_to_sync)."""
    world = World()
    world.received = world.ask(details="小区只有两栋楼，没有物业。" * 5, topic=topic())
    world.answered_question = world.answered()
    weak = answer_page("答得不清楚的答复：改造资金的分担比例是多少？")
    _rate(weak, 1, 3, comment="没有说明补助比例")
    return world


@pytest.mark.browser
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_the_question_pages_and_the_desk_fit_a_phone(live_server, phone_world, browser):  # noqa: F811
    world = phone_world
    official_paths = [
        _url("policy_question", world.received),
        _url("policy_question", world.answered_question),
        _url("policy_desk"),
        _url("policy_weak_answers"),
    ]
    _phone_pages(browser, live_server, world.officer11, official_paths)
    asker_paths = [_url("policy_ask"), _url("policy_my_questions"), _url("policy_question", world.answered_question)]
    _phone_pages(browser, live_server, world.asker, asker_paths)
