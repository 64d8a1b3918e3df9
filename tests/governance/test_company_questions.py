"""Company policy questions (issue 9): a property company's staff ask the bureau through the policy Q&A, the
question is tagged with the company, and the bureau's answer reaches the company's other managers."""

import pytest
from django.core.exceptions import PermissionDenied

from governance.services import policy as policy_services
from home.models import Notification
from property.models import CompanyQuestion
from property.services import management as services
from tests.factories import UserFactory
from tests.governance.policy_helpers import official
from tests.property.management_helpers import company_with_staff

pytestmark = pytest.mark.django_db


def ask(actor, company):
    return services.company_question_ask(
        actor=actor, company=company, title="承接老旧小区后如何办理合同备案？", details="请问备案需要哪些材料。"
    )


def test_staff_ask_on_behalf_of_their_company():
    company, _manager, repairer = company_with_staff()
    question = ask(repairer, company)
    assert question.asker == repairer
    assert question.on_behalf_of == company.name
    assert CompanyQuestion.objects.get(question=question).company == company


@pytest.mark.parametrize("who", ["outsider", "other-company"])
def test_outsiders_cannot_ask_as_the_company(who):
    company, *_ = company_with_staff()
    _other, other_manager, _ = company_with_staff()
    actor = UserFactory() if who == "outsider" else other_manager
    with pytest.raises(PermissionDenied):
        ask(actor, company)
    assert not CompanyQuestion.objects.exists()


def test_the_answer_reaches_the_companys_other_managers():
    company, manager, repairer = company_with_staff()
    second_manager = UserFactory()
    services.company_staff_add(actor=manager, company=company, user=second_manager, is_manager=True)
    question = ask(repairer, company)
    policy_services.answer_save(
        actor=official(), question=question, text="合同签订后15日内向县级住建部门和街道办事处备案。"
    )
    for user in (manager, second_manager):
        assert Notification.objects.filter(recipient=user, title__contains=company.name).count() == 1
    assert not Notification.objects.filter(recipient=repairer, title__contains="住建局答复了").exists()


def test_an_ordinary_question_notifies_no_company():
    _company, manager, _ = company_with_staff()
    asker = UserFactory()
    question = policy_services.question_ask(asker=asker, title="老旧小区改造后谁来管理？")
    policy_services.answer_save(actor=official(), question=question, text="由业主共同决定管理方式。")
    assert not Notification.objects.filter(recipient=manager).exists()
    assert services.company_question_answered(question) == 0
