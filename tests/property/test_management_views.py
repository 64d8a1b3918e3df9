"""The management pages (issue 9; P-01, P-02, P-10, V-13): a community's mode, history and contract; recording a
contract (refused without an approving vote, nothing written), its filing and a termination notice (refused when
shorter than the P-02 period); self-management; bundled groups; the company registry, company page and policy
questions. Scope: another community's committee and another company's staff get 403. Query counts flat."""

import datetime

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from home.models import CommunityRole, Notification
from property.domain import management as rules
from property.models import (
    CompanyQuestion,
    CompanyStaff,
    ContractFeeRate,
    ContractNotice,
    ManagementBundle,
    ManagementPeriod,
    PropertyCompany,
    ServiceContract,
)
from property.services import management as services
from tests.factories import UserFactory
from tests.property.management_helpers import (
    company_with_staff,
    contract_in_force,
    managed_community,
    passed_manager_vote,
)

pytestmark = pytest.mark.django_db
Role = CommunityRole.Role
TODAY = timezone.localdate
PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def go(name, *args):
    return reverse(f"property:{name}", args=args)


def cn(day):
    return f"{day.year}年{day.month}月{day.day}日"


def setting(**company_fields):
    mc = managed_community()
    company, manager, repairer = company_with_staff(**company_fields)
    contract = contract_in_force(mc, company)
    return mc, company, manager, repairer, contract


def contract_post(company, question, **overrides):
    today = TODAY()
    data = {
        "company": company.pk,
        "approving_question": question.pk if question else "",
        "scope": "保洁、绿化、秩序维护",
        "standards": "二级服务标准",
        "signed_on": (today - datetime.timedelta(days=5)).isoformat(),
        "starts_on": today.isoformat(),
        "ends_on": (today + datetime.timedelta(days=3 * 365)).isoformat(),
        "dismissal_notice_days": "",
        "residence_basis": "per_m2",
        "residence_rate": "0.80",
        "special_space_basis": "",
        "special_space_rate": "",
    }
    data.update(overrides)
    return data


# --- the management page -----------------------------------------------------------------------------------------


def test_the_management_page_shows_mode_contract_and_deadlines_in_chinese(client):
    mc, company, manager, _repairer, contract = setting(
        contact_name="王建国", contact_phone="13812345678", service_phone="0373-12345"
    )
    client.force_login(mc.resident)
    page = client.get(go("management", mc.community.pk)).content.decode()
    assert "物业管理" in page and "现行管理方式" in page and company.name in page
    assert "0373-12345" in page
    assert "138****5678" in page and "13812345678" not in page  # masked for a resident
    assert cn(contract.renewal_decision_deadline) in page
    assert cn(contract.filing_due) in page and "已逾期" in page  # signed 40 days ago, not filed
    assert "公共部位维修养护" in page and "0.60" in page
    assert go("contract_new", mc.community.pk) not in page  # a resident records nothing

    client.force_login(mc.committee)
    page = client.get(go("management", mc.community.pk)).content.decode()
    assert "13812345678" in page  # the committee sees the contact person's mobile
    assert go("contract_new", mc.community.pk) in page and go("contract_notice", contract.pk) in page

    client.force_login(manager)  # the serving company's staff
    page = client.get(go("management", mc.community.pk)).content.decode()
    assert go("contract_file", contract.pk) in page

    bureau = UserFactory(is_superuser=True)
    client.force_login(bureau)
    assert client.get(go("management", mc.community.pk)).status_code == 200


def test_the_renewal_deadline_is_flagged_when_near(client):
    mc = managed_community()
    company, _manager, _repairer = company_with_staff()
    ends_on = TODAY() + datetime.timedelta(days=100)
    contract_in_force(mc, company, ends_on=ends_on)
    client.force_login(mc.committee)
    page = client.get(go("management", mc.community.pk)).content.decode()
    assert "即将到期" in page and "决定是否续聘" in page


def test_other_community_and_other_company_get_403(client):
    mc, _company, _manager, _repairer, contract = setting()
    other = managed_community()
    _other_company, other_manager, _ = company_with_staff()
    urls = [
        go("management", mc.community.pk),
        go("contract", contract.pk),
        go("contract_new", mc.community.pk),
        go("contract_file", contract.pk),
        go("contract_notice", contract.pk),
        go("self_management_new", mc.community.pk),
    ]
    for user in (other.committee, other.community_staff, other_manager):
        client.force_login(user)
        for url in urls:
            response = client.get(url)
            assert response.status_code == 403, url
            assert "无权" in response.content.decode() or "只有" in response.content.decode()
    client.logout()
    assert client.get(go("management", mc.community.pk)).status_code == 302  # to the login page


def test_self_management_and_bundles_of_one_community_do_not_reach_another(client):
    mc, *_ = setting()
    other = managed_community()
    client.force_login(other.committee)
    assert client.post(go("self_management_new", mc.community.pk), {}).status_code == 403
    assert not ManagementPeriod.objects.filter(community=mc.community, mode=rules.SELF_MANAGED).exists()


# --- recording a contract ----------------------------------------------------------------------------------------


def test_a_contract_without_an_approving_vote_is_refused_and_nothing_written(client):
    mc = managed_community()
    company, _manager, _repairer = company_with_staff()
    client.force_login(mc.committee)
    page = client.get(go("contract_new", mc.community.pk)).content.decode()
    assert "须先由业主共同决定选聘物业服务企业" in page and "第278条" in page
    assert reverse("governance:decision_list", args=[mc.community.pk]) in page

    response = client.post(go("contract_new", mc.community.pk), contract_post(company, None))
    assert response.status_code == 400 and "errorlist" in response.content.decode()
    # A vote that did not pass is not offered and cannot be posted either.
    failed = passed_manager_vote(mc.community, passed=False)
    response = client.post(go("contract_new", mc.community.pk), contract_post(company, failed))
    assert response.status_code == 400
    # Another community's passed vote neither.
    foreign = passed_manager_vote(managed_community().community)
    response = client.post(go("contract_new", mc.community.pk), contract_post(company, foreign))
    assert response.status_code == 400
    assert not ServiceContract.objects.exists() and not ContractFeeRate.objects.exists()
    assert not ManagementPeriod.objects.filter(community=mc.community).exists()


def test_the_service_refusal_is_shown_on_the_form_and_nothing_written(client):
    mc = managed_community()
    company, _manager, _repairer = company_with_staff()
    question = passed_manager_vote(mc.community)
    client.force_login(mc.committee)
    today = TODAY()
    data = contract_post(company, question, signed_on=(today + datetime.timedelta(days=3)).isoformat())
    data["document"] = SimpleUploadedFile("contract.pdf", PDF, content_type="application/pdf")
    response = client.post(go("contract_new", mc.community.pk), data)
    assert response.status_code == 400 and "合同须在服务开始前签订" in response.content.decode()
    assert not ServiceContract.objects.exists()
    from wagtail.documents import get_document_model

    assert not get_document_model().objects.exists()  # the upload was rolled back with the refusal


def test_the_committee_records_a_contract_with_its_pdf_and_rates(client):
    mc = managed_community()
    company, manager, _repairer = company_with_staff()
    question = passed_manager_vote(mc.community)
    client.force_login(mc.committee)
    page = client.get(go("contract_new", mc.community.pk)).content.decode()
    assert "登记物业服务合同" in page and "收费标准（至少一项）" in page
    data = contract_post(company, question, special_space_basis="fixed", special_space_rate="30")
    data["document"] = SimpleUploadedFile("contract.pdf", PDF, content_type="application/pdf")
    response = client.post(go("contract_new", mc.community.pk), data)
    contract = ServiceContract.objects.get()
    assert response.status_code == 302 and response.url == go("contract", contract.pk)
    assert contract.document is not None
    assert set(contract.fee_rates.values_list("unit_kind", flat=True)) == {"residence", "special_space"}
    assert ManagementPeriod.objects.get(community=mc.community, ends_on__isnull=True).contract == contract
    assert CommunityRole.objects.filter(community=mc.community, role=Role.PROPERTY_STAFF, group__user=manager).exists()
    page = client.get(go("contract", contract.pk)).content.decode()
    assert f"与{company.name}的物业服务合同" in page and "contract.pdf" in page


def test_a_contract_needs_a_fee_rate(client):
    mc = managed_community()
    company, _manager, _repairer = company_with_staff()
    question = passed_manager_vote(mc.community)
    client.force_login(mc.committee)
    data = contract_post(company, question, residence_basis="", residence_rate="")
    response = client.post(go("contract_new", mc.community.pk), data)
    assert response.status_code == 400 and "请至少填写一项合同约定的收费标准" in response.content.decode()
    assert not ServiceContract.objects.exists()


def test_only_the_committee_records_a_contract(client):
    mc = managed_community()
    _company, manager, _ = company_with_staff()
    for user in (mc.resident, mc.community_staff, manager):
        client.force_login(user)
        assert client.get(go("contract_new", mc.community.pk)).status_code == 403


# --- filing and notices ------------------------------------------------------------------------------------------


def test_the_company_manager_records_the_filing(client):
    mc, _company, manager, repairer, contract = setting()
    client.force_login(repairer)
    assert client.get(go("contract_file", contract.pk)).status_code == 403
    client.force_login(manager)
    page = client.get(go("contract_file", contract.pk)).content.decode()
    assert "记录备案" in page and cn(contract.filing_due) in page
    response = client.post(
        go("contract_file", contract.pk), {"filed_on": TODAY().isoformat(), "filed_with": "红旗区住房和城乡建设局"}
    )
    assert response.status_code == 302
    contract.refresh_from_db()
    assert contract.filed_on == TODAY() and contract.filed_with == "红旗区住房和城乡建设局"
    page = client.get(go("management", mc.community.pk)).content.decode()
    assert "红旗区住房和城乡建设局" in page and "逾期备案" in page


def test_a_notice_shorter_than_the_period_is_refused_with_the_p02_message(client):
    mc, _company, _manager, _repairer, contract = setting()
    dismissal = passed_manager_vote(mc.community, text="解聘物业服务企业")
    client.force_login(mc.committee)
    page = client.get(go("contract_notice", contract.pk)).content.decode()
    assert "发出终止通知" in page and "最早于" in page
    given = TODAY()
    data = {
        "kind": rules.OWNERS_DISMISS,
        "given_on": given.isoformat(),
        "effective_on": (given + datetime.timedelta(days=30)).isoformat(),
        "reason": "服务质量差",
        "approving_question": dismissal.pk,
    }
    response = client.post(go("contract_notice", contract.pk), data)
    html = response.content.decode()
    assert response.status_code == 400
    assert "须提前60日书面通知" in html and "P-02" in html
    assert not ContractNotice.objects.exists()

    data["effective_on"] = (given + datetime.timedelta(days=60)).isoformat()
    response = client.post(go("contract_notice", contract.pk), data)
    assert response.status_code == 302 and ContractNotice.objects.count() == 1
    page = client.get(go("contract", contract.pk)).content.decode()
    assert "服务质量差" in page and "解聘物业服务企业" in page


def test_the_company_may_give_only_its_own_kind_of_notice(client):
    _mc, _company, manager, _repairer, contract = setting()
    client.force_login(manager)
    page = client.get(go("contract_notice", contract.pk)).content.decode()
    assert 'value="company_non_renewal"' in page and 'value="owners_dismiss"' not in page
    response = client.post(
        go("contract_notice", contract.pk),
        {"kind": rules.COMPANY_NON_RENEWAL, "given_on": TODAY().isoformat(), "effective_on": TODAY().isoformat()},
    )
    assert response.status_code == 400 and "不再续聘自合同期满之日" in response.content.decode()
    assert not ContractNotice.objects.exists()


# --- self-management and bundles -------------------------------------------------------------------------------


def test_the_committee_starts_self_management_p10(client):
    mc = managed_community()
    client.force_login(mc.committee)
    assert "登记自行管理" in client.get(go("self_management_new", mc.community.pk)).content.decode()
    data = {
        "starts_on": TODAY().isoformat(),
        "executing_body": "",
        "scope": "公共部位保洁",
        "standards": "每日清扫",
        "fees": "每户每月10元",
        "term_ends_on": (TODAY() + datetime.timedelta(days=365)).isoformat(),
    }
    response = client.post(go("self_management_new", mc.community.pk), data)
    assert response.status_code == 400 and not ManagementPeriod.objects.exists()
    data["executing_body"] = "业主委员会"
    data["professionals"] = "电梯由新乡市某电梯公司维保"
    response = client.post(go("self_management_new", mc.community.pk), data)
    assert response.status_code == 302
    page = client.get(go("management", mc.community.pk)).content.decode()
    assert "自行管理方案（P-10）" in page and "业主委员会" in page and "电梯由新乡市某电梯公司维保" in page


def test_community_staff_organise_a_bundled_group(client):
    first = managed_community()
    sub_district = first.community.sub_district
    second = managed_community(sub_district=sub_district)
    elsewhere = managed_community()
    company, manager, _ = company_with_staff()
    staff = first.community_staff
    second_role = CommunityRole.objects.get(community=second.community, role=Role.COMMUNITY_STAFF)
    second_role.group.user_set.add(staff)
    client.force_login(staff)
    page = client.get(go("bundle_new")).content.decode()
    assert "组织连片管理" in page and second.community.title in page
    assert elsewhere.community.title not in page
    response = client.post(
        go("bundle_new"),
        {
            "sub_district": sub_district.pk,
            "name": "胜利片区连片管理",
            "operator": company.pk,
            "guarantor": "胜利社区居民委员会",
            "started_on": TODAY().isoformat(),
            "communities": [first.community.pk, second.community.pk],
        },
    )
    bundle = ManagementBundle.objects.get()
    assert response.status_code == 302 and response.url == go("bundle", bundle.pk)
    page = client.get(go("bundle", bundle.pk)).content.decode()
    assert "胜利社区居民委员会" in page and first.community.title in page and second.community.title in page
    page = client.get(go("management", first.community.pk)).content.decode()
    assert "胜利片区连片管理" in page and second.community.title in page
    client.force_login(manager)  # the operator's staff now serve both
    assert client.get(go("management", second.community.pk)).status_code == 200
    client.force_login(elsewhere.committee)
    assert client.get(go("bundle", bundle.pk)).status_code == 403
    client.force_login(elsewhere.resident)
    assert client.get(go("bundle_new")).status_code == 403


# --- companies -------------------------------------------------------------------------------------------------


def test_the_registry_is_public_and_holds_no_personal_data(client):
    mc, company, *_ = setting(contact_name="王建国", contact_phone="13812345678", service_phone="0373-12345")
    company.licence_valid_until = datetime.date(2030, 6, 30)
    company.save()
    response = client.get(go("company_list"))
    page = response.content.decode()
    assert response.status_code == 200 and "物业服务企业名录" in page
    assert company.name in page and company.credit_code in page and "2030年6月30日" in page and "0373-12345" in page
    assert "王建国" not in page and "13812345678" not in page
    page = client.get(go("company", company.pk)).content.decode()
    assert mc.community.title in page and "13812345678" not in page and "员工账号" not in page
    assert "服务质量" in page


def test_company_managers_add_and_deactivate_staff_on_the_company_page(client):
    mc, company, manager, repairer, _contract = setting()
    newcomer = UserFactory(phone="13900001111")
    client.force_login(repairer)  # not a manager: no staff list, no way to add
    assert "员工账号" not in client.get(go("company", company.pk)).content.decode()
    assert client.post(go("company", company.pk), {"action": "add", "account": "13900001111"}).status_code == 403
    client.force_login(manager)
    assert "员工账号" in client.get(go("company", company.pk)).content.decode()
    response = client.post(go("company", company.pk), {"action": "add", "account": "13900001111", "title": "保洁"})
    assert response.status_code == 302
    assert CommunityRole.objects.filter(community=mc.community, role=Role.PROPERTY_STAFF, group__user=newcomer).exists()
    response = client.post(go("company", company.pk), {"action": "add", "account": "nobody-here"})
    assert response.status_code == 400 and "没有使用该用户名或手机号的账号" in response.content.decode()
    post = CompanyStaff.objects.get(user=newcomer)
    assert client.post(go("company", company.pk), {"action": "remove", "post": post.pk}).status_code == 302
    assert not CommunityRole.objects.filter(
        community=mc.community, role=Role.PROPERTY_STAFF, group__user=newcomer
    ).exists()
    _other, other_manager, _ = company_with_staff()
    client.force_login(other_manager)
    assert client.post(go("company", company.pk), {"action": "remove", "post": post.pk}).status_code == 403


def test_company_questions_are_asked_in_the_company_name_and_the_answer_shown_to_colleagues(client):
    _mc, company, manager, repairer, _contract = setting()
    client.force_login(repairer)
    page = client.get(go("company_questions", company.pk)).content.decode()
    assert "向住建局提问" in page
    response = client.post(go("company_questions", company.pk), {"title": "维修资金使用是否需要业主表决？"})
    assert response.status_code == 302
    link = CompanyQuestion.objects.get(company=company)
    question = link.question
    assert question.asker == repairer and question.on_behalf_of == company.name
    question.answer, question.status = "需要，按民法典第278条表决。", "answered"
    question.save()
    page = client.get(go("company_questions", company.pk)).content.decode()
    assert reverse("governance:policy_question", args=[question.pk]) in page  # the asker opens the full page
    client.force_login(manager)  # a colleague reads the answer here, not on the asker's governance page
    page = client.get(go("company_questions", company.pk)).content.decode()
    assert "需要，按民法典第278条表决。" in page
    assert reverse("governance:policy_question", args=[question.pk]) not in page
    _other, other_manager, _ = company_with_staff()
    client.force_login(other_manager)
    assert client.get(go("company_questions", company.pk)).status_code == 403
    client.force_login(UserFactory(is_superuser=True))
    assert client.get(go("company_questions", company.pk)).status_code == 200


# --- the daily command -----------------------------------------------------------------------------------------


def test_the_renewal_reminder_command_reminds_once(client):
    mc, _company, _manager, _repairer, contract = setting()
    day = rules.renewal_reminder_from(contract.ends_on)
    call_command("property_renewal_reminders", "--today", day.isoformat())
    call_command("property_renewal_reminders", "--today", day.isoformat())
    assert Notification.objects.filter(recipient=mc.committee).count() == 1


# --- query counts ----------------------------------------------------------------------------------------------


def _count(client, url):
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    return len(queries)


def _community_with_history(n):
    mc = managed_community()
    start = TODAY() - datetime.timedelta(days=40 + 10 * n)
    for i in range(n):
        services.self_management_start(
            actor=mc.committee,
            community=mc.community,
            starts_on=start + datetime.timedelta(days=10 * i),
            executing_body="业主委员会",
            scope="保洁",
            standards="每日",
            fees="每户10元",
            term_ends_on=TODAY() + datetime.timedelta(days=365),
        )
    company, _manager, _ = company_with_staff()
    contract = contract_in_force(mc, company)
    for i in range(n):
        ContractNotice.objects.create(
            contract=contract,
            kind=rules.OWNERS_DISMISS,
            given_on=TODAY(),
            effective_on=TODAY() + datetime.timedelta(days=60 + i),
            reason=f"通知{i}",
            recorded_by=mc.committee,
        )
    return mc


@pytest.mark.parametrize("who", ["committee", "resident"])
def test_the_management_page_queries_stay_flat(client, django_assert_max_num_queries, who):
    small, large = _community_with_history(3), _community_with_history(30)
    assert ManagementPeriod.objects.filter(community=large.community).count() == 31
    client.force_login(getattr(small, who))
    client.get(go("management", small.community.pk))
    baseline = _count(client, go("management", small.community.pk))
    client.force_login(getattr(large, who))
    client.get(go("management", large.community.pk))
    with django_assert_max_num_queries(baseline):
        response = client.get(go("management", large.community.pk))
    assert response.status_code == 200 and len(response.context["periods"]) == 31


def test_the_company_list_queries_stay_flat(client, django_assert_max_num_queries):
    for _ in range(3):
        setting()
    baseline = _count(client, go("company_list"))
    for _ in range(27):
        PropertyCompany.objects.create(name=f"批量物业{_}", credit_code=f"91410700MB{_:08d}")
    for _ in range(3):
        setting()
    with django_assert_max_num_queries(baseline):
        response = client.get(go("company_list"))
    assert len(response.context["companies"]) >= 33
    assert sum(company.served_count for company in response.context["companies"]) == 6


# --- the Wagtail admin -------------------------------------------------------------------------------------------


def test_bureau_staff_see_the_registry_in_the_admin_and_staff_only_read_only(client):
    _mc, company, manager, _repairer, _contract = setting()
    client.force_login(UserFactory(is_superuser=True))
    for model in ("propertycompany", "companystaff", "managementbundle"):
        assert client.get(reverse(f"wagtailsnippets_property_{model}:list")).status_code == 200
    assert client.get(reverse("wagtailsnippets_property_propertycompany:edit", args=[company.pk])).status_code == 200
    # Staff and groups are written on the pages (their services keep access in step), never in the admin.
    assert client.get(reverse("wagtailsnippets_property_companystaff:add")).status_code in (302, 403)
    post = CompanyStaff.objects.get(user=manager)
    assert client.get(reverse("wagtailsnippets_property_companystaff:inspect", args=[post.pk])).status_code == 200
    assert client.get(reverse("wagtailsnippets_property_managementbundle:add")).status_code in (302, 403)


def test_a_company_deactivated_in_the_admin_loses_its_staffs_access_and_regains_it():
    mc, company, manager, repairer, _contract = setting()
    assert CommunityRole.objects.filter(community=mc.community, role=Role.PROPERTY_STAFF, group__user=manager).exists()
    client = Client()
    client.force_login(UserFactory(is_superuser=True))
    url = reverse("wagtailsnippets_property_propertycompany:edit", args=[company.pk])
    fields = {
        "name": company.name,
        "credit_code": company.credit_code,
        "legal_representative": company.legal_representative,
        "registered_address": company.registered_address,
        "licence_valid_until": "",
        "contact_name": company.contact_name,
        "contact_phone": company.contact_phone,
        "service_phone": company.service_phone,
    }
    response = client.post(url, fields)  # "active" unticked
    assert response.status_code == 302, response.context["form"].errors if response.context else response
    company.refresh_from_db()
    assert not company.active

    def has_role(user):
        return CommunityRole.objects.filter(community=mc.community, role=Role.PROPERTY_STAFF, group__user=user).exists()

    assert not has_role(manager) and not has_role(repairer)
    assert client.post(url, {**fields, "active": "on"}).status_code == 302
    assert has_role(manager) and has_role(repairer)
