"""Building blocks for the policy guidance and Q&A tests: the index, topics, documents, answers, officials."""

import datetime

from django.conf import settings
from django.contrib.auth.models import Group
from django.utils import timezone

from governance.models import PolicyAnswerPage, PolicyIndexPage, PolicyOfficial, PolicyPage, PolicyTopic
from governance.services import policy as policy_services
from tests.factories import UserFactory, home_page


def policy_index() -> PolicyIndexPage:
    index = PolicyIndexPage.objects.first()
    if index is None:
        index = PolicyIndexPage(title="政策与问答", slug="zhengce")
        home_page().add_child(instance=index)
    return index


def topic(name="物业管理", slug=None) -> PolicyTopic:
    return PolicyTopic.objects.get_or_create(name=name, defaults={"slug": slug or f"t{PolicyTopic.objects.count()}"})[0]


def approver(**kwargs):
    user = UserFactory(**kwargs)
    user.groups.add(Group.objects.get_or_create(name=settings.PORTAL_POLICY_APPROVER_GROUP)[0])
    user.groups.add(Group.objects.get_or_create(name=settings.PORTAL_BUREAU_GROUP)[0])
    return user


def guidance(title="关于全面推进城镇老旧小区改造工作的指导意见", *, topics=(), actor=None, **fields) -> PolicyPage:
    policy_index()
    defaults = {
        "document_number": "国办发〔2020〕23号",
        "issuer": "国务院办公厅",
        "level": PolicyPage.Level.NATIONAL,
        "issued_on": datetime.date(2020, 7, 10),
        "summary": "城镇老旧小区改造的对象、内容和资金分担。",
        "body": "<p>重点改造2000年底前建成的老旧小区，物业管理长效机制。</p>",
    }
    defaults.update(fields)
    page = PolicyPage(title=title, slug=f"doc-{PolicyPage.objects.count() + 1}", **defaults)
    return policy_services.guidance_publish(actor=actor or approver(), page=page, topics=topics)


def answer_page(
    title="老旧小区改造后如何引入物业？",
    *,
    question="改造完成后小区如何选择物业管理方式？",
    answer=None,
    topics=(),
    cited=(),
):
    index = policy_index()
    page = PolicyAnswerPage(
        title=title,
        slug=f"answer-x{PolicyAnswerPage.objects.count() + 1}",
        question=question,
        answer=answer or "有条件的小区引入专业物业服务企业；规模小的小区连片打包，实行社区保障性管理。",
        answered_by_name="赵建国",
        answered_in_role="新乡市住房和城乡建设局 物业管理科科长",
        answered_at=timezone.now(),
    )
    index.add_child(instance=page)
    page.topics.set(topics)
    page.cited_documents.set(cited)
    page.save_revision().publish()
    return page


def official(user=None, *, jurisdiction=PolicyOfficial.Jurisdiction.CITY, district=None, sub_district=None, **kwargs):
    user = user or UserFactory(**kwargs)
    PolicyOfficial.objects.create(
        user=user,
        organisation="新乡市住房和城乡建设局" if jurisdiction == "city" else "街道办事处",
        position="物业管理科科长" if jurisdiction == "city" else "城建办主任",
        jurisdiction=jurisdiction,
        district=district,
        sub_district=sub_district,
    )
    return user


def small_library() -> None:
    """Four pages that use the issue's words inside longer ones: 23号 (物业管理长效机制 in its text), the Henan
    regulation (业主委员会, 专项维修资金), an answer on a 三供一业 compound and one on 加装电梯."""
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
