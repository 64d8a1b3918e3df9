"""Lead's checks on the policy library's edges: a document whose date is not yet checked, the administrator
reading (not answering) a question, and who keeps the topics and the list of officials."""

import datetime

import pytest
from django.conf import settings
from django.contrib.auth.models import Group

from governance.models import PolicyPage, PolicyQuestion
from governance.permissions import can_answer_question, can_read_question
from governance.services import policy as policy_services
from tests.factories import UserFactory
from tests.governance.policy_helpers import guidance, policy_index

pytestmark = pytest.mark.django_db


def test_document_with_an_unchecked_date_is_listed_last_and_says_so(client):
    guidance("较早的文件", document_number="", issued_on=datetime.date(2010, 1, 1))
    guidance("日期待核对的文件", document_number="", issued_on=None)
    guidance("较新的文件", document_number="", issued_on=datetime.date(2024, 5, 1))
    html = client.get(policy_index().url).content.decode()
    assert html.index("较新的文件") < html.index("较早的文件") < html.index("日期待核对的文件")
    assert "日期待核对" in html
    page = PolicyPage.objects.get(title="日期待核对的文件")
    assert "待核对原件" in client.get(page.url).content.decode()


def test_administrator_reads_a_question_but_answers_nothing_without_an_official_role():
    asker = UserFactory()
    question = PolicyQuestion.objects.create(asker=asker, title="老旧小区改造怎么申请？")
    admin = UserFactory(is_superuser=True, is_staff=True)
    stranger = UserFactory()
    assert can_read_question(admin, question)
    assert not can_answer_question(admin, question)
    assert not can_read_question(stranger, question)


def test_approvers_keep_topics_and_officials_drafters_do_not():
    policy_index()
    policy_services.policy_permissions_ensure()
    approvers = Group.objects.get(name=settings.PORTAL_POLICY_APPROVER_GROUP)
    drafters = Group.objects.get(name=settings.PORTAL_BUREAU_GROUP)
    approver, drafter = UserFactory(), UserFactory()
    approver.groups.add(approvers)
    drafter.groups.add(drafters)
    assert approver.has_perm("governance.change_policytopic")
    assert approver.has_perm("governance.add_policyofficial")
    assert not drafter.has_perm("governance.change_policyofficial")
