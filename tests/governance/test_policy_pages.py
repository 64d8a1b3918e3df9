"""The public policy pages: the index with its filters and latest answers, a guidance document, an answer with
its related answers and the readers' ratings (one per reader, changeable; never anonymous)."""

import datetime
import itertools
import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from wagtail.documents.models import Document

from governance.models import AnswerFeedback, PolicyAnswerPage, PolicyAttachment, PolicyPage
from tests.factories import UserFactory
from tests.governance.policy_helpers import answer_page, guidance, policy_index, topic
from tests.portal.test_accounts_pages import assert_accessible_chinese_page

pytestmark = pytest.mark.django_db


def html_of(response) -> str:
    assert response.status_code == 200, response.status_code
    return response.content.decode()


def main_of(html: str) -> str:
    return html.split('<main id="main"', 1)[1].split("</main>", 1)[0]


def assert_headings_in_order(html: str, url: str):
    levels = [int(level) for level in re.findall(r"<h([1-6])", html)]
    assert all(b - a <= 1 for a, b in itertools.pairwise(levels)), f"{url}: {levels}"


def draft_answer(title="草稿答复：物业费怎么定？", topics=()):
    page = PolicyAnswerPage(
        title=title,
        slug=f"draft-{PolicyAnswerPage.objects.count() + 1}",
        question="物业费标准由谁定？",
        answer="草稿内容。",
        answered_by_name="赵建国",
        answered_in_role="新乡市住房和城乡建设局 物业管理科科长",
        answered_at=timezone.now(),
        live=False,
    )
    policy_index().add_child(instance=page)
    page.topics.set(topics)
    page.save_revision()
    return page


def doc(title, *, issued, **fields):
    fields.setdefault("document_number", "")
    return guidance(title, issued_on=issued, **fields)


@pytest.fixture
def library():
    property_topic = topic("物业管理", "wuye")
    lift_topic = topic("加装电梯", "dianti")
    civil_code = doc(
        "中华人民共和国民法典（物权编节选）",
        issued=datetime.date(2020, 5, 28),
        effective_on=datetime.date(2021, 1, 1),
        issuer="全国人民代表大会",
        topics=[property_topic],
    )
    old_law = doc(
        "中华人民共和国物权法",
        issued=datetime.date(2007, 3, 16),
        issuer="全国人民代表大会",
        status=PolicyPage.Status.REPEALED,
        replaced_by=civil_code,
        topics=[property_topic],
    )
    provincial = doc(
        "河南省物业管理条例",
        issued=datetime.date(2017, 9, 29),
        issuer="河南省人民代表大会常务委员会",
        level=PolicyPage.Level.PROVINCIAL,
        topics=[property_topic],
    )
    lift = doc(
        "新乡市既有住宅加装电梯指导意见",
        issued=datetime.date(2021, 6, 1),
        issuer="新乡市住房和城乡建设局",
        level=PolicyPage.Level.MUNICIPAL,
        topics=[lift_topic],
    )
    answer = answer_page(
        "改造后小区由谁管理？",
        question="我们小区改造完了。\n以后由谁来管理？",
        answer="可以引入专业物业服务企业。\n规模小的小区可以连片打包。",
        topics=[property_topic],
        cited=[civil_code, old_law],
    )
    return {
        "property": property_topic,
        "lift": lift_topic,
        "civil_code": civil_code,
        "old_law": old_law,
        "provincial": provincial,
        "lift_doc": lift,
        "answer": answer,
    }


# --- the index ------------------------------------------------------------------------------------------------


def test_index_lists_documents_in_force_newest_first_in_chinese(client, library):
    url = policy_index().url
    html = html_of(client.get(url))
    main = main_of(html)
    assert_accessible_chinese_page(html, url)
    assert_headings_in_order(html, url)
    assert "政策文件" in main and "最新答复" in main and "按主题浏览" in main and "现行有效" in main
    titles = ["新乡市既有住宅加装电梯指导意见", "中华人民共和国民法典（物权编节选）", "河南省物业管理条例"]
    positions = [main.index(title) for title in titles]
    assert positions == sorted(positions)  # 2021-06, 2020-05, 2017-09
    assert "中华人民共和国物权法" not in main  # repealed: only when asked
    assert "改造后小区由谁管理？" in main
    assert reverse("governance:policy_ask") in main and reverse("governance:policy_my_questions") in main
    assert f'action="{reverse("governance:policy_search")}"' in main


def test_index_status_filter_shows_repealed_only_when_asked(client, library):
    url = policy_index().url
    assert "中华人民共和国物权法" in main_of(html_of(client.get(url, {"status": "all"})))
    repealed = main_of(html_of(client.get(url, {"status": "repealed"})))
    assert "中华人民共和国物权法" in repealed and "河南省物业管理条例" not in repealed
    # An unknown value falls back to documents in force, never an error.
    fallback = main_of(html_of(client.get(url, {"status": "<script>", "level": "x", "topic": "%", "page": "abc"})))
    assert "河南省物业管理条例" in fallback and "中华人民共和国物权法" not in fallback
    assert "<script>" not in fallback


def test_index_filters_by_level_and_topic(client, library):
    url = policy_index().url
    provincial = main_of(html_of(client.get(url, {"level": "provincial"})))
    assert "河南省物业管理条例" in provincial and "民法典" not in provincial
    lifts = main_of(html_of(client.get(url, {"topic": "dianti"})))
    assert "新乡市既有住宅加装电梯指导意见" in lifts and "河南省物业管理条例" not in lifts
    assert "改造后小区由谁管理？" not in lifts  # the latest answers follow the topic too
    property_docs = main_of(html_of(client.get(url, {"topic": "wuye", "status": "all"})))
    assert "中华人民共和国物权法" in property_docs and "加装电梯指导意见" not in property_docs


def test_index_paginates_twenty_documents_a_page(client):
    for n in range(21):
        doc(f"第{n + 1:02d}号文件", issued=datetime.date(2020, 1, 1) + datetime.timedelta(days=n))
    url = policy_index().url
    first = main_of(html_of(client.get(url)))
    assert first.count('class="card card-link"') == 20
    assert "第21号文件" in first and "第01号文件" not in first
    second = main_of(html_of(client.get(url, {"page": 2})))
    assert "第01号文件" in second and second.count('class="card card-link"') == 1


def test_draft_answer_never_listed(client, library):
    draft_answer(topics=[library["property"]])
    html = html_of(client.get(policy_index().url))
    assert "草稿答复" not in html
    assert "草稿答复" not in html_of(client.get(library["answer"].url))  # nor among related answers


# --- a guidance document ------------------------------------------------------------------------------------


def test_document_page_shows_its_facts_topics_and_citing_answers(client, library):
    page = library["civil_code"]
    html = html_of(client.get(page.url))
    main = main_of(html)
    assert_accessible_chinese_page(html, page.url)
    assert_headings_in_order(html, page.url)
    assert "发文机关" in main and "全国人民代表大会" in main
    assert "2020年5月28日" in main and "2021年1月1日" in main and "国家级" in main and "现行有效" in main
    assert "物业管理" in main
    assert "引用本文件的答复" in main and library["answer"].url in main
    # It replaced the repealed law.
    assert "本文件取代了" in main and library["old_law"].url in main


def test_document_number_is_shown_when_given(client):
    page = guidance()  # 国办发〔2020〕23号
    main = main_of(html_of(client.get(page.url)))
    assert "文号" in main and "国办发〔2020〕23号" in main and "国务院办公厅" in main


def test_repealed_document_says_so_prominently_and_links_its_replacement(client, library):
    main = main_of(html_of(client.get(library["old_law"].url)))
    assert "notice-box-danger" in main and "本文件已废止" in main
    assert f'href="{library["civil_code"].url}"' in main
    assert "已废止" in main


def test_amended_document_warns_and_links_the_amending_one(client, library):
    amended = doc(
        "旧版物业服务收费办法",
        issued=datetime.date(2015, 1, 1),
        status=PolicyPage.Status.AMENDED,
        replaced_by=library["provincial"],
    )
    main = main_of(html_of(client.get(amended.url)))
    assert "notice-box-warning" in main and "本文件已修订" in main and library["provincial"].url in main


def test_document_attachments_show_file_type_and_size(client, library, settings, tmp_path):
    from django.core.files.base import ContentFile

    document = Document(title="民法典全文")
    document.file.save("minfadian.pdf", ContentFile(b"%PDF-1.4 " + b"x" * 2048), save=False)
    document.file_size = 2057
    document.save()
    page = library["civil_code"]
    PolicyAttachment.objects.create(page=page, document=document, sort_order=0)
    main = main_of(html_of(client.get(page.url)))
    assert "附件" in main and "民法典全文" in main and "PDF" in main and "2.0" in main and "KB" in main


# --- an answer ------------------------------------------------------------------------------------------------


def test_answer_page_shows_question_answer_official_and_cited_documents(client, library):
    page = library["answer"]
    html = html_of(client.get(page.url))
    main = main_of(html)
    assert_accessible_chinese_page(html, page.url)
    assert_headings_in_order(html, page.url)
    assert "<p>我们小区改造完了。<br>以后由谁来管理？</p>" in main  # linebreaks
    assert "<p>可以引入专业物业服务企业。<br>规模小的小区可以连片打包。</p>" in main
    assert "答复人：赵建国，新乡市住房和城乡建设局 物业管理科科长" in main
    assert "更新" not in main  # never revised
    assert "物业管理" in main  # topic
    assert library["civil_code"].url in main and library["old_law"].url in main
    assert "已废止" in main  # the cited document's status
    assert "登录后评价这条答复" in main  # anonymous reader


def test_revised_answer_shows_updated_with_its_date(client, library):
    page = library["answer"]
    page.revised_at = timezone.make_aware(datetime.datetime(2026, 3, 2, 10, 0))
    page.save_revision().publish()
    main = main_of(html_of(client.get(page.url)))
    assert "已更新" in main and "2026年3月2日 更新" in main


def test_related_answers_share_a_topic_newest_first_at_most_five(client, library):
    for n in range(6):
        answer_page(f"物业问题{n}", topics=[library["property"]])
    answer_page("电梯问题", topics=[library["lift"]])
    page = library["answer"]
    main = main_of(html_of(client.get(page.url)))
    related = main.split("相关答复", 1)[1]
    shown = re.findall(r"物业问题(\d)", related)
    assert shown == ["5", "4", "3", "2", "1"]
    assert "电梯问题" not in main
    assert related.count(page.url) == 0


# --- feedback ---------------------------------------------------------------------------------------------------


def test_feedback_is_one_per_reader_and_changeable(client, library):
    page = library["answer"]
    reader = UserFactory()
    client.force_login(reader)
    url = reverse("governance:policy_feedback", args=[page.pk])
    response = client.post(url, {"helpful": "no", "comment": "没说费用"})
    assert response.status_code == 302 and response.url == f"{page.url}#feedback"
    main = main_of(html_of(client.get(page.url)))
    assert "0 位读者认为有帮助，1 位认为没有帮助" in main
    assert re.search(r'value="no"\s+checked', main) and "没说费用" in main  # own rating preselected
    client.post(url, {"helpful": "yes"})
    feedback = AnswerFeedback.objects.get(page=page)
    assert feedback.helpful is True and feedback.user == reader
    main = main_of(html_of(client.get(page.url)))
    assert "1 位读者认为有帮助，0 位认为没有帮助" in main
    assert re.search(r'value="yes"\s+required\s+checked', main)


def test_anonymous_feedback_is_refused_and_nothing_recorded(client, library):
    page = library["answer"]
    response = client.post(reverse("governance:policy_feedback", args=[page.pk]), {"helpful": "yes"})
    assert response.status_code == 302 and reverse("account_login") in response.url
    assert not AnswerFeedback.objects.exists()


def test_feedback_without_a_choice_is_refused_with_a_message(client, library):
    page = library["answer"]
    client.force_login(UserFactory())
    response = client.post(reverse("governance:policy_feedback", args=[page.pk]), {"helpful": "maybe"}, follow=True)
    assert "请选择这条答复是否对您有帮助" in response.content.decode()
    assert not AnswerFeedback.objects.exists()


def test_feedback_on_a_draft_answer_is_not_found_and_get_is_not_allowed(client, library):
    client.force_login(UserFactory())
    draft = draft_answer()
    assert client.post(reverse("governance:policy_feedback", args=[draft.pk]), {"helpful": "yes"}).status_code == 404
    assert client.get(reverse("governance:policy_feedback", args=[library["answer"].pk])).status_code == 405
    assert not AnswerFeedback.objects.exists()


def test_feedback_comment_too_long_shows_the_services_message(client, library):
    page = library["answer"]
    client.force_login(UserFactory())
    response = client.post(
        reverse("governance:policy_feedback", args=[page.pk]), {"helpful": "no", "comment": "长" * 201}, follow=True
    )
    assert "最多 200 个字" in response.content.decode()
    assert not AnswerFeedback.objects.exists()


# --- query budgets -----------------------------------------------------------------------------------------------


def _queries(client, url, **params) -> int:
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url, params).status_code == 200
    return len(queries)


def _grow(library, count):
    for n in range(count):
        document = doc(f"扩充文件{n}", issued=datetime.date(2019, 1, 1), topics=[library["property"], library["lift"]])
        answer = answer_page(f"扩充答复{n}", topics=[library["property"]], cited=[document, library["civil_code"]])
        AnswerFeedback.objects.create(page=answer, user=UserFactory(), helpful=bool(n % 2))
        AnswerFeedback.objects.create(page=library["answer"], user=UserFactory(), helpful=bool(n % 2))


def test_page_query_counts_do_not_grow_with_the_library(client, library, django_assert_max_num_queries):
    reader = UserFactory()
    client.force_login(reader)
    urls = [policy_index().url, library["civil_code"].url, library["answer"].url]
    _grow(library, 3)
    small = [_queries(client, url) for url in urls] + [_queries(client, policy_index().url, topic="wuye")]
    _grow(library, 27)
    large = [_queries(client, url) for url in urls] + [_queries(client, policy_index().url, topic="wuye")]
    assert small == large
    for url in urls:
        with django_assert_max_num_queries(25):
            client.get(url)


# --- the editor's preview of a page not yet saved ----------------------------------------------------------------


def test_unsaved_pages_have_a_context_for_the_editors_preview(library):
    from django.contrib.auth.models import AnonymousUser

    from governance.selectors.policy import answer_page_context, policy_page_context

    document = PolicyPage(
        title="预览文件",
        issuer="新乡市住房和城乡建设局",
        level=PolicyPage.Level.MUNICIPAL,
        issued_on=datetime.date(2025, 1, 1),
        summary="摘要",
        body="<p>正文</p>",
        status=PolicyPage.Status.REPEALED,
        replaced_by=library["civil_code"],
    )
    context = policy_page_context(document)
    assert context["replaced_by"] == library["civil_code"] and context["citing_answers"] == []
    answer = PolicyAnswerPage(
        title="预览答复", question="问", answer="答", answered_by_name="赵建国", answered_in_role="住建局"
    )
    answer.topics = [library["property"]]
    answer.cited_documents = [library["civil_code"], library["provincial"]]
    context = answer_page_context(answer, AnonymousUser())
    assert context["feedback_url"] is None and context["helpful_count"] == 0
    assert context["cited_documents"] == [library["civil_code"], library["provincial"]]  # newest first
    assert context["related_answers"] == [library["answer"]]
