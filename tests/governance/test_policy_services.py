"""Policy Q&A writers: every refusal of issue 7 — an officer answering, assigning or publishing outside their
jurisdiction, an unanswered question reaching the public library, the asker's personal data in a published answer
(D-01, D-05) — and what the accepted actions write: status, audit entries, the asker's notifications."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import translation

from governance.models import AnswerFeedback, PolicyAnswerPage, PolicyOfficial, PolicyQuestion
from governance.services import policy as svc
from home.models import AuditEntry, Notification, Unit
from tests.factories import (
    DistrictFactory,
    OwnershipFactory,
    PersonFactory,
    SubDistrictFactory,
    UserFactory,
    community_with_units,
    member,
)
from tests.governance.policy_helpers import answer_page, guidance, official, policy_index, topic

pytestmark = pytest.mark.django_db

J = PolicyOfficial.Jurisdiction


@pytest.fixture(autouse=True)
def _chinese():
    with translation.override("zh-hans"):
        yield


class World:
    """Two districts; district 1 has sub-districts 11 and 12, district 2 has 21. One community in each. The asker
    孙丽华 owns 1号楼1单元011室 in the community of sub-district 11."""

    def __init__(self):
        policy_index()
        d1, d2 = DistrictFactory(name="红旗区"), DistrictFactory(name="卫滨区")
        self.s11 = SubDistrictFactory(district=d1, name="向阳街道")
        self.s12 = SubDistrictFactory(district=d1, name="东街街道")
        self.s21 = SubDistrictFactory(district=d2, name="健康路街道")
        self.c11 = community_with_units(buildings=1, units=2, sub_district=self.s11, title="向阳新村")
        self.c12 = community_with_units(buildings=1, units=1, sub_district=self.s12, title="东街小区")
        self.c21 = community_with_units(buildings=1, units=1, sub_district=self.s21, title="健康里")
        self.asker = member(self.c11, "owner", full_name="孙丽华", phone="+8613912345678")
        person = PersonFactory(full_name="孙丽华", phone="13912345678", user=self.asker)
        self.unit = Unit.objects.select_related("entrance__building").filter(entrance__building__community=self.c11)[0]
        OwnershipFactory(unit=self.unit, person=person)
        self.city = official(jurisdiction=J.CITY, full_name="赵建国")
        self.district1 = official(jurisdiction=J.DISTRICT, district=d1)
        self.district2 = official(jurisdiction=J.DISTRICT, district=d2)
        self.officer11 = official(jurisdiction=J.SUB_DISTRICT, sub_district=self.s11, full_name="李秀兰")
        self.officer12 = official(jurisdiction=J.SUB_DISTRICT, sub_district=self.s12)
        self.officer21 = official(jurisdiction=J.SUB_DISTRICT, sub_district=self.s21)
        self.doc = guidance()

    def ask(self, title="老旧小区改造后由谁来管理？", community="c11", **kwargs):
        return svc.question_ask(
            asker=self.asker, title=title, community=getattr(self, community) if community else None, **kwargs
        )

    def answered(self, by=None, text="改造后可引入专业物业服务企业，规模较小的小区可连片打包，实行社区保障性管理。"):
        question = self.ask()
        return svc.answer_save(actor=by or self.officer11, question=question, text=text, cited_documents=[self.doc])


@pytest.fixture
def world():
    return World()


def _refresh(question):
    return PolicyQuestion.objects.get(pk=question.pk)


def _live_answers():
    return set(PolicyAnswerPage.objects.live().values_list("pk", flat=True))


# ---------------------------------------------------------------- asking


def test_asking_records_the_question_with_an_audit_entry(world):
    question = world.ask(details="小区只有两栋楼。", topic=topic())
    assert (question.status, question.community, question.asker) == ("received", world.c11, world.asker)
    assert AuditEntry.objects.filter(action="policy_question.ask", target_id=str(question.pk)).exists()


def test_a_question_without_a_community_is_allowed(world):
    assert world.ask(community=None).community is None


@pytest.mark.parametrize("title", ["", "   ", "改造？", "问" * 121])
def test_empty_short_or_too_long_titles_are_refused(world, title):
    with pytest.raises(ValidationError):
        world.ask(title=title)
    assert not PolicyQuestion.objects.exists()


def test_the_title_refusal_names_the_question_in_chinese(world):
    with pytest.raises(ValidationError) as refusal:
        world.ask(title="")
    message = " ".join(refusal.value.messages)
    assert "问题" in message and "表决事项" not in message


def test_too_long_details_are_refused(world):
    with pytest.raises(ValidationError):
        world.ask(details="字" * 2001)


def test_naming_a_community_the_asker_does_not_belong_to_is_refused(world):
    with pytest.raises(ValidationError, match="只能选择您所在的小区"):
        world.ask(community="c21")
    assert not PolicyQuestion.objects.exists()


def test_anonymous_visitors_cannot_ask(world):
    from django.contrib.auth.models import AnonymousUser

    with pytest.raises(PermissionDenied):
        svc.question_ask(asker=AnonymousUser(), title="老旧小区改造谁出钱？")


# ---------------------------------------------------------------- jurisdiction


@pytest.mark.parametrize("outsider", ["officer12", "officer21", "district2"])
def test_an_officer_of_another_district_or_sub_district_cannot_answer(world, outsider):
    question = world.ask()
    with pytest.raises(PermissionDenied):
        svc.answer_save(actor=getattr(world, outsider), question=question, text="这是一个足够长的答复内容，应被拒绝。")
    question = _refresh(question)
    assert (question.status, question.answer) == ("received", "")
    assert not AuditEntry.objects.filter(action="policy_question.answer").exists()


@pytest.mark.parametrize("outsider", ["officer12", "officer21", "district2"])
def test_an_officer_of_another_district_or_sub_district_cannot_assign(world, outsider):
    question = world.ask()
    with pytest.raises(PermissionDenied):
        svc.question_assign(actor=getattr(world, outsider), question=question, assignee=getattr(world, outsider))
    assert _refresh(question).status == "received"


@pytest.mark.parametrize("outsider", ["officer12", "officer21", "district2"])
def test_an_officer_of_another_district_or_sub_district_cannot_publish_or_close(world, outsider):
    question = world.answered()
    with pytest.raises(PermissionDenied):
        svc.answer_publish(
            actor=getattr(world, outsider),
            question=question,
            public_title="改造后由谁管理？",
            public_question="改造后由谁管理？",
        )
    with pytest.raises(PermissionDenied):
        svc.question_close_duplicate(actor=getattr(world, outsider), question=world.ask(), answer_page=answer_page())
    assert _refresh(question).status == "answered"
    assert not PolicyAnswerPage.objects.filter(source_question=question).exists()


def test_a_question_naming_no_community_is_for_the_bureau_only(world):
    question = world.ask(community=None)
    for outsider in (world.officer11, world.district1):
        with pytest.raises(PermissionDenied):
            svc.answer_save(actor=outsider, question=question, text="这是一个足够长的答复内容，应被拒绝。")
    svc.answer_save(actor=world.city, question=question, text="城市层面的政策由住建局统一答复，请参阅相关文件。")
    assert _refresh(question).status == "answered"


def test_the_district_office_answers_its_districts_communities(world):
    question = world.ask()
    svc.answer_save(actor=world.district1, question=question, text="区住建部门答复：改造资金按照规定分担。")
    assert _refresh(question).status == "answered"


def test_residents_cannot_answer_their_own_question(world):
    question = world.ask()
    with pytest.raises(PermissionDenied):
        svc.answer_save(actor=world.asker, question=question, text="我自己来回答这个问题，内容足够长。")


def test_an_inactive_official_cannot_answer(world):
    PolicyOfficial.objects.filter(user=world.officer11).update(active=False)
    officer = type(world.officer11).objects.get(pk=world.officer11.pk)
    with pytest.raises(PermissionDenied):
        svc.answer_save(actor=officer, question=world.ask(), text="已不在岗的工作人员不能答复问题。")


# ---------------------------------------------------------------- assigning


def test_assigning_tells_the_assignee_and_is_audited(world):
    question = world.ask()
    svc.question_assign(actor=world.city, question=question, assignee=world.officer11)
    question = _refresh(question)
    assert (question.status, question.assigned_to) == ("assigned", world.officer11)
    assert Notification.objects.filter(recipient=world.officer11, url__endswith=f"/questions/{question.pk}/").exists()
    assert AuditEntry.objects.filter(action="policy_question.assign", target_id=str(question.pk)).exists()


def test_assigning_to_an_officer_outside_the_questions_area_is_refused(world):
    question = world.ask()
    for assignee in (world.officer12, world.district2, world.asker, None):
        with pytest.raises(ValidationError):
            svc.question_assign(actor=world.city, question=question, assignee=assignee)
    assert _refresh(question).status == "received"


def test_an_answered_question_is_not_reassigned(world):
    question = world.answered()
    with pytest.raises(ValidationError):
        svc.question_assign(actor=world.city, question=question, assignee=world.officer11)


# ---------------------------------------------------------------- answering


def test_answering_tells_the_asker_and_records_the_officials_role(world):
    question = world.answered()
    assert question.status == "answered"
    assert question.answered_by == world.officer11
    assert question.answered_in_role == "街道办事处 城建办主任"
    assert list(question.cited_documents.all()) == [world.doc]
    assert Notification.objects.filter(recipient=world.asker, title="您咨询的政策问题已答复").exists()
    assert AuditEntry.objects.filter(action="policy_question.answer", target_id=str(question.pk)).exists()


def test_an_answer_too_short_or_citing_a_draft_document_is_refused(world):
    question = world.ask()
    with pytest.raises(ValidationError):
        svc.answer_save(actor=world.officer11, question=question, text="可以。")
    draft = guidance("尚未发布的文件")
    draft.unpublish()
    with pytest.raises(ValidationError):
        svc.answer_save(
            actor=world.officer11, question=question, text="这是一个足够长的答复内容。", cited_documents=[draft]
        )
    assert _refresh(question).status == "received"


def test_a_closed_duplicate_is_not_answered(world):
    question = world.ask()
    svc.question_close_duplicate(actor=world.city, question=question, answer_page=answer_page())
    with pytest.raises(ValidationError):
        svc.answer_save(actor=world.city, question=question, text="这是一个足够长的答复内容。")


# ---------------------------------------------------------------- publishing


@pytest.mark.parametrize("step", ["received", "assigned"])
def test_an_unanswered_question_cannot_be_published_and_never_reaches_the_library(world, step):
    question = world.ask()
    if step == "assigned":
        svc.question_assign(actor=world.city, question=question, assignee=world.officer11)
    before = _live_answers()
    with pytest.raises(ValidationError):
        svc.answer_publish(
            actor=world.city, question=question, public_title="改造后由谁管理？", public_question="改造后由谁管理？"
        )
    assert _live_answers() == before
    assert not PolicyAnswerPage.objects.filter(source_question=question).exists()
    assert _refresh(question).status == step


@pytest.mark.parametrize(
    ("field", "text", "what"),
    [
        ("public_title", "孙丽华问：改造后谁来管？", "姓名"),
        ("public_title", "丽华问：改造后谁来管？", "姓名"),
        ("public_question", "我的电话是139 1234 5678，改造后谁来管？", "电话"),
        ("public_question", "我住1号楼1单元011室，改造后谁来管？", "房号"),
        ("public_question", "我家5栋301室，改造后谁来管？", "房号"),
        ("answer", "孙丽华您好：改造后可以引入专业物业服务企业。", "姓名"),
        ("answer", "请致电13912345678与街道联系，改造后可以引入专业物业。", "电话"),
        ("answer", "1号楼1单元011室的情况我们已经了解，改造后可以引入专业物业。", "房号"),
    ],
)
def test_personal_data_of_the_asker_in_the_public_copy_is_refused_and_nothing_is_written(world, field, text, what):
    public = {"public_title": "老旧小区改造后由谁管理？", "public_question": "改造后的小区如何选择物业管理方式？"}
    if field == "answer":
        question = world.answered(text=text)
    else:
        question = world.answered()
        public[field] = text
    pages_before, audit_before = PolicyAnswerPage.objects.count(), AuditEntry.objects.count()
    with pytest.raises(ValidationError) as refusal:
        svc.answer_publish(actor=world.officer11, question=question, **public)
    assert what in " ".join(refusal.value.messages)
    assert PolicyAnswerPage.objects.count() == pages_before
    assert AuditEntry.objects.count() == audit_before
    assert _refresh(question).status == "answered"


def test_publishing_puts_an_anonymised_answer_in_the_library(world):
    question = world.answered()
    management = topic("物业管理")
    page = svc.answer_publish(
        actor=world.officer11,
        question=question,
        public_title="老旧小区改造后由谁管理？",
        public_question="改造后的小区如何选择物业管理方式？",
        topics=[management],
    )
    page = PolicyAnswerPage.objects.live().get(pk=page.pk)
    assert page.source_question_id == question.pk
    assert (page.answered_by_name, page.answered_in_role) == ("李秀兰", "街道办事处 城建办主任")
    assert list(page.topics.all()) == [management]
    assert list(page.cited_documents.all()) == [world.doc]
    for text in (page.title, page.question, page.answer):
        assert "孙丽华" not in text and "13912345678" not in text
    assert _refresh(question).status == "published"
    assert Notification.objects.filter(recipient=world.asker, url=page.url).exists()
    assert AuditEntry.objects.filter(action="policy_question.publish", target_id=str(question.pk)).exists()


def test_a_published_answer_is_not_published_twice(world):
    question = world.answered()
    svc.answer_publish(
        actor=world.city, question=question, public_title="改造后由谁管理？", public_question="改造后由谁管理？"
    )
    with pytest.raises(ValidationError):
        svc.answer_publish(
            actor=world.city, question=question, public_title="改造后由谁管理？", public_question="改造后由谁管理？"
        )
    assert PolicyAnswerPage.objects.filter(source_question=question).count() == 1


def test_revising_a_published_answer_updates_the_public_page_and_shows_when(world):
    question = world.answered()
    page = svc.answer_publish(
        actor=world.city, question=question, public_title="改造后由谁管理？", public_question="改造后由谁管理？"
    )
    assert page.revised_at is None
    svc.answer_save(actor=world.city, question=question, text="修订后的答复：也可以由业主自行管理，但需业主共同决定。")
    page = PolicyAnswerPage.objects.live().get(pk=page.pk)
    assert page.answer.startswith("修订后的答复")
    assert page.revised_at is not None
    assert page.answered_by_name == "赵建国"
    assert _refresh(question).status == "published"
    assert AuditEntry.objects.filter(action="policy_question.revise").exists()
    assert Notification.objects.filter(recipient=world.asker, title="答复已更新").exists()


# ---------------------------------------------------------------- duplicates


def test_closing_as_duplicate_of_a_draft_answer_is_refused(world):
    question = world.ask()
    draft = answer_page("草稿答复")
    draft.unpublish()
    with pytest.raises(ValidationError):
        svc.question_close_duplicate(actor=world.city, question=question, answer_page=draft)
    with pytest.raises(ValidationError):
        svc.question_close_duplicate(actor=world.city, question=question, answer_page=None)
    assert _refresh(question).status == "received"


def test_closing_as_duplicate_points_the_asker_to_the_answer(world):
    question = world.ask()
    library = answer_page()
    svc.question_close_duplicate(actor=world.officer11, question=question, answer_page=library)
    question = _refresh(question)
    assert (question.status, question.duplicate_of_id) == ("duplicate", library.pk)
    assert Notification.objects.filter(recipient=world.asker, url=library.url).exists()
    assert AuditEntry.objects.filter(action="policy_question.close_duplicate").exists()


def test_an_answered_question_is_not_closed_as_duplicate(world):
    question = world.answered()
    with pytest.raises(ValidationError):
        svc.question_close_duplicate(actor=world.city, question=question, answer_page=answer_page())


# ---------------------------------------------------------------- feedback


def test_one_rating_per_reader_which_they_may_change(world):
    page = answer_page()
    reader = UserFactory()
    svc.answer_feedback_record(user=reader, page=page, helpful=True)
    svc.answer_feedback_record(user=reader, page=page, helpful=False, comment="没有说明资金比例")
    feedback = AnswerFeedback.objects.get(page=page)
    assert (feedback.user, feedback.helpful, feedback.comment) == (reader, False, "没有说明资金比例")


def test_anonymous_readers_cannot_rate(world):
    from django.contrib.auth.models import AnonymousUser

    with pytest.raises(PermissionDenied):
        svc.answer_feedback_record(user=AnonymousUser(), page=answer_page(), helpful=True)
    assert not AnswerFeedback.objects.exists()


def test_a_draft_answer_is_not_rated_and_long_comments_are_refused(world):
    page = answer_page()
    reader = UserFactory()
    with pytest.raises(ValidationError):
        svc.answer_feedback_record(user=reader, page=page, helpful=False, comment="字" * 201)
    page.unpublish()
    with pytest.raises(ValidationError):
        svc.answer_feedback_record(user=reader, page=page, helpful=True)
    assert not AnswerFeedback.objects.exists()


def test_revising_a_published_answer_with_the_askers_personal_data_is_refused(world):
    """The revision goes to the public page too, so it is checked like the first publication (D-01, D-05)."""
    question = world.answered()
    page = svc.answer_publish(
        actor=world.city, question=question, public_title="改造后由谁管理？", public_question="改造后由谁管理？"
    )
    for text in ("孙丽华您好：改造后可以引入专业物业服务企业。", "请致电13912345678，改造后可以引入专业物业。"):
        with pytest.raises(ValidationError):
            svc.answer_save(actor=world.city, question=question, text=text)
    page = PolicyAnswerPage.objects.get(pk=page.pk)
    assert "孙丽华" not in page.answer and page.revised_at is None
    assert "孙丽华" not in page.get_latest_revision_as_object().answer
    assert _refresh(question).answer.startswith("改造后可引入")


def test_a_private_answer_may_name_the_asker_while_it_is_not_published(world):
    question = world.answered(text="孙丽华您好：改造后可以引入专业物业服务企业。")
    assert _refresh(question).status == "answered"


def test_an_asker_without_a_registry_record_is_checked_by_their_accounts_name_and_phone(world):
    stranger = UserFactory(full_name="钱多多", phone="+8613700001111")
    question = svc.question_ask(asker=stranger, title="加装电梯的费用如何分摊？")
    svc.answer_save(actor=world.city, question=question, text="按照业主共同决定分摊，可申请相关补助资金。")
    for public_question in ("钱多多问：加装电梯怎么分摊？", "我的号码137.0000.1111，加装电梯怎么分摊？"):
        with pytest.raises(ValidationError):
            svc.answer_publish(
                actor=world.city, question=question, public_title="加装电梯如何分摊？", public_question=public_question
            )
    assert not PolicyAnswerPage.objects.filter(source_question=question).exists()


def test_revising_the_answer_of_a_withdrawn_page_does_not_bring_it_back(world):
    """An editor took the answer out of the library (unpublished it): a revision updates its draft only."""
    question = world.answered()
    page = svc.answer_publish(
        actor=world.city, question=question, public_title="改造后由谁管理？", public_question="改造后由谁管理？"
    )
    page.unpublish()
    svc.answer_save(actor=world.city, question=question, text="修订后的答复：也可以由业主自行管理，但需业主共同决定。")
    page = PolicyAnswerPage.objects.get(pk=page.pk)
    assert not page.live
    assert page.get_latest_revision_as_object().answer.startswith("修订后的答复")
