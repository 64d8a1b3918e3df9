"""The application side of renovation projects (issue 8): the community's list, the application with its
eligibility explained (R-01, R-02, R-03), the residents' signatures, submission and its refusals, items by R-04
category with S-04 refused, the funding plan that must add up, the survey link; the 403 for everyone else."""

import datetime
from decimal import Decimal

import pytest
from django.urls import reverse

from governance.models import WillingnessSurvey
from home.models import CommunityRole
from home.services.roles import bureau_group
from property.domain import renovation as rules
from property.models import (
    ApplicationSigner,
    FundingLine,
    RenovationItem,
    RenovationProject,
    ReviewStep,
    SgyyRetrofit,
)
from property.services import renovation as svc
from tests.factories import CommunityPageFactory, UserFactory, member
from tests.property.renovation_helpers import application, closed_survey, renovation_city

pytestmark = pytest.mark.django_db
Role = CommunityRole.Role


def form_data(**overrides):
    data = {
        "title": "向阳新村综合改造",
        "year_completed": "1990",
        "buildings_count": "6",
        "households": "240",
        "problems": "供水管道老化、楼道破损",
        "structure_safe": "yes",
        "structure_statement": "经鉴定房屋结构安全。",
        "excluded_kind": "",
        "demolition_support_households": "",
        "contributions_note": "",
        "willingness_evidence": "230户签字。",
    }
    data.update(overrides)
    return data


def item_data(**overrides):
    data = {
        "kind": "stairwell",
        "quantity": "24",
        "quantity_unit": "个",
        "estimated_cost": "600000.00",
        "description": "楼道粉刷、扶手更换",
    }
    data.update(overrides)
    return data


def add_item(city, project, kind="stairwell", cost="1000.00"):
    return svc.item_add(
        actor=city.committee, project=project, kind=kind, quantity="1", quantity_unit="处", estimated_cost=cost
    )


@pytest.fixture
def city():
    return renovation_city(year_built=1990)


# ---------------------------------------------------------------- the application and its assessment


def test_the_committee_applies_and_sees_the_assessment_explained(client, city):
    client.force_login(city.committee)
    page = client.get(reverse("property:renovation_community", args=[city.community.pk]))
    assert page.status_code == 200
    assert reverse("property:renovation_apply", args=[city.community.pk]) in page.content.decode()

    form = client.get(reverse("property:renovation_apply", args=[city.community.pk]))
    assert form.status_code == 200 and 'value="1990"' in form.content.decode()  # prefilled from year_built

    response = client.post(reverse("property:renovation_apply", args=[city.community.pk]), form_data())
    assert response.status_code == 302
    project = RenovationProject.objects.get()
    assert response["Location"] == reverse("property:renovation_edit", args=[project.pk])
    assert project.applied_as == "committee" and project.verdict == rules.CORE and project.stage == "draft"
    html = client.get(response["Location"]).content.decode()
    assert "可纳入改造计划" in html
    assert "建成于1990年" in html and "R-01" in html and "✓" in html and "✗" not in html


def test_a_2003_community_is_explained_as_reserve_only_r02(client, city):
    client.force_login(city.committee)
    client.post(reverse("property:renovation_apply", args=[city.community.pk]), form_data(year_completed="2003"))
    project = RenovationProject.objects.get()
    assert project.verdict == rules.RESERVE
    html = client.get(reverse("property:renovation_edit", args=[project.pk])).content.decode()
    assert "仅可纳入项目储备库" in html and "R-02" in html and "建成于2003年" in html and "✗" in html


def test_an_area_of_self_built_houses_is_ineligible_r03_and_cannot_be_submitted(client, city):
    client.force_login(city.committee)
    client.post(reverse("property:renovation_apply", args=[city.community.pk]), form_data(excluded_kind="self_built"))
    project = RenovationProject.objects.get()
    assert project.verdict == rules.INELIGIBLE
    html = client.get(reverse("property:renovation_edit", args=[project.pk])).content.decode()
    assert "不符合改造条件" in html and "R-03" in html and "以居民自建房为主的区域" in html
    response = client.post(reverse("property:renovation_submit", args=[project.pk]), follow=True)
    assert "以居民自建房为主的区域不在老旧小区改造范围内（R-03）" in response.content.decode()
    project.refresh_from_db()
    assert project.stage == "draft" and not ReviewStep.objects.exists()


def test_a_tiny_community_needs_support_and_pledges(client, city):
    client.force_login(city.committee)
    client.post(reverse("property:renovation_apply", args=[city.community.pk]), form_data(households="60"))
    project = RenovationProject.objects.get()
    assert project.verdict == rules.INELIGIBLE
    data = form_data(households="60", demolition_support_households="50", contributions_pledged="on")
    data["contributions_note"] = "每户出资200元"
    assert client.post(reverse("property:renovation_edit", args=[project.pk]), data).status_code == 302
    project.refresh_from_db()
    assert project.verdict == rules.CORE and project.contributions_note == "每户出资200元"


def test_bad_application_input_is_refused_in_chinese(client, city):
    client.force_login(city.committee)
    url = reverse("property:renovation_apply", args=[city.community.pk])
    response = client.post(url, form_data(year_completed="一九九零"))
    assert response.status_code == 400
    response = client.post(url, form_data(structure_statement=""))
    assert response.status_code == 400 and "请附上房屋结构安全说明" in response.content.decode()
    assert not RenovationProject.objects.exists()


def test_submit_then_not_editable_and_returned_shows_what_to_fix_at_the_top(client, city):
    project = application(city)
    client.force_login(city.committee)
    response = client.post(reverse("property:renovation_submit", args=[project.pk]))
    assert response.status_code == 302
    project.refresh_from_db()
    assert project.stage == "in_review" and project.review_level == rules.COMMUNITY
    edit = reverse("property:renovation_edit", args=[project.pk])
    html = client.get(edit).content.decode()
    assert '<form class="stack" method="post" novalidate>' not in html  # no application form under review
    client.post(edit, form_data(title="改了"))
    project.refresh_from_db()
    assert project.title == "小区综合改造申请"

    svc.review_decide(
        actor=city.community_staff,
        project=project,
        level=rules.COMMUNITY,
        decision=rules.RETURN,
        opinion="请补充房屋结构安全鉴定报告的出具单位。",
    )
    html = client.get(edit).content.decode()
    assert html.index("请补充房屋结构安全鉴定报告的出具单位") < html.index("R-01")
    assert client.post(edit, form_data(title="改后的申请")).status_code == 302
    project.refresh_from_db()
    assert project.title == "改后的申请" and project.stage == "returned"


# ---------------------------------------------------------------- residents' applications


@pytest.fixture
def no_committee():
    community = CommunityPageFactory(year_built=1986)
    residents = [member(community, Role.RESIDENT) for _ in range(11)]
    return community, residents


def test_without_a_committee_ten_residents_must_sign(client, no_committee):
    community, residents = no_committee
    client.force_login(residents[0])
    html = client.get(reverse("property:renovation_community", args=[community.pk])).content.decode()
    assert "10" in html and reverse("property:renovation_apply", args=[community.pk]) in html
    client.post(reverse("property:renovation_apply", args=[community.pk]), form_data(year_completed="1986"))
    project = RenovationProject.objects.get()
    assert project.applied_as == "residents"

    response = client.post(reverse("property:renovation_submit", args=[project.pk]), follow=True)
    assert "10户以上居民联名申请，目前1人" in response.content.decode()
    project.refresh_from_db()
    assert project.stage == "draft"

    for resident in residents[1:9]:
        client.force_login(resident)
        assert client.post(reverse("property:renovation_sign", args=[project.pk])).status_code == 302
    client.force_login(residents[1])
    client.post(reverse("property:renovation_sign", args=[project.pk]))  # signing twice counts once
    assert ApplicationSigner.objects.count() == 8
    html = client.get(reverse("property:renovation_community", args=[community.pk])).content.decode()
    assert "9" in html

    client.force_login(residents[0])
    response = client.post(reverse("property:renovation_submit", args=[project.pk]), follow=True)
    assert "目前9人" in response.content.decode()
    client.force_login(residents[9])
    client.post(reverse("property:renovation_sign", args=[project.pk]))
    client.force_login(residents[0])
    assert client.post(reverse("property:renovation_submit", args=[project.pk])).status_code == 302
    project.refresh_from_db()
    assert project.stage == "in_review"


def test_a_community_with_a_committee_shows_no_residents_explanation(client, city):
    resident = member(city.community, Role.RESIDENT)
    client.force_login(resident)
    html = client.get(reverse("property:renovation_community", args=[city.community.pk])).content.decode()
    assert reverse("property:renovation_apply", args=[city.community.pk]) not in html
    assert client.get(reverse("property:renovation_apply", args=[city.community.pk])).status_code == 403


# ---------------------------------------------------------------- who may see and do what


def every_url(community, project, item):
    return [
        ("get", reverse("property:renovation_community", args=[community.pk])),
        ("get", reverse("property:renovation_apply", args=[community.pk])),
        ("post", reverse("property:renovation_apply", args=[community.pk])),
        ("get", reverse("property:renovation_edit", args=[project.pk])),
        ("post", reverse("property:renovation_edit", args=[project.pk])),
        ("post", reverse("property:renovation_sign", args=[project.pk])),
        ("post", reverse("property:renovation_submit", args=[project.pk])),
        ("get", reverse("property:renovation_items", args=[project.pk])),
        ("post", reverse("property:renovation_items", args=[project.pk])),
        ("post", reverse("property:renovation_item_remove", args=[item.pk])),
        ("get", reverse("property:renovation_funding", args=[project.pk])),
        ("post", reverse("property:renovation_funding", args=[project.pk])),
        ("get", reverse("property:renovation_survey_link", args=[project.pk])),
        ("post", reverse("property:renovation_survey_link", args=[project.pk])),
    ]


def snapshot(project):
    project.refresh_from_db()
    return (
        project.title,
        project.stage,
        project.survey_id,
        RenovationProject.objects.count(),
        list(RenovationItem.objects.values_list("kind", "estimated_cost")),
        list(FundingLine.objects.values_list("source", "amount")),
        ApplicationSigner.objects.count(),
        ReviewStep.objects.count(),
    )


def test_another_communitys_people_and_outsiders_are_refused_everywhere(client, city):
    project = application(city)
    item = add_item(city, project)
    survey = closed_survey(city.community)
    other = renovation_city()
    outsiders = [
        other.committee,
        other.community_staff,
        member(other.community, Role.RESIDENT),
        other.sub_district_officer,
        UserFactory(),
    ]
    posted = {**form_data(), **item_data(), "central": "1000.00", "survey": str(survey.pk), "action": "save"}
    before = snapshot(project)
    for user in outsiders:
        client.force_login(user)
        for method, url in every_url(city.community, project, item):
            response = getattr(client, method)(url, posted if method == "post" else None)
            assert response.status_code == 403, (user.username, method, url)
            assert "403" in response.content.decode()
    assert snapshot(project) == before


def test_anonymous_visitors_are_sent_to_log_in(client, city):
    project = application(city)
    item = add_item(city, project)
    for method, url in every_url(city.community, project, item):
        response = getattr(client, method)(url)
        assert response.status_code == 302 and "login" in response["Location"], url


def test_reviewers_and_the_bureau_read_the_community_list(client, city):
    project = application(city, submit=True)
    bureau = UserFactory()
    bureau.groups.add(bureau_group())
    for user in (city.community_staff, city.sub_district_officer, city.district_officer, city.city_officer, bureau):
        client.force_login(user)
        response = client.get(reverse("property:renovation_community", args=[city.community.pk]))
        assert response.status_code == 200 and project.title in response.content.decode()
        assert client.get(reverse("property:renovation_items", args=[project.pk])).status_code == 200
    # the bureau reads but does not change items
    client.force_login(bureau)
    assert client.post(reverse("property:renovation_items", args=[project.pk]), item_data()).status_code == 403
    assert not RenovationItem.objects.exists()


# ---------------------------------------------------------------- items


@pytest.mark.parametrize("quantity", ["abc", "NaN", "Infinity", "1e400", "-3", "0", "1.234", ""])
def test_items_with_a_bad_quantity_are_refused_and_nothing_added(client, city, quantity):
    project = application(city)
    client.force_login(city.committee)
    response = client.post(reverse("property:renovation_items", args=[project.pk]), item_data(quantity=quantity))
    assert response.status_code == 400
    html = response.content.decode()
    assert 'class="errorlist' in html
    assert not RenovationItem.objects.exists()


def test_items_are_grouped_by_category_with_the_total_and_removable(client, city):
    project = application(city)
    client.force_login(city.committee)
    url = reverse("property:renovation_items", args=[project.pk])
    assert client.post(url, item_data()).status_code == 302
    assert (
        client.post(
            url, item_data(kind="lift", quantity="2", quantity_unit="部", estimated_cost="1,200,000")
        ).status_code
        == 302
    )
    assert (
        client.post(
            url, item_data(kind="elderly_care", quantity="1", quantity_unit="处", estimated_cost="50000.50")
        ).status_code
        == 302
    )
    html = client.get(url).content.decode()
    html = html[html.index('id="category-basic"') :]
    assert html.index("基础类") < html.index("楼道等公共部位维修") < html.index("完善类") < html.index("加装电梯")
    assert html.index("提升类") < html.index("养老服务设施")
    assert "1850000.50" in html
    item = RenovationItem.objects.get(kind="lift")
    assert client.post(reverse("property:renovation_item_remove", args=[item.pk])).status_code == 302
    assert RenovationItem.objects.count() == 2


def test_s04_water_pipes_in_a_sgyy_compound_whose_water_is_done_are_refused(client):
    city = renovation_city(is_sgyy_compound=True, former_property_unit="新乡铁路分局")
    SgyyRetrofit.objects.create(community=city.community, facility=rules.WATER, status="done", central_subsidy=True)
    project = application(city)
    client.force_login(city.committee)
    url = reverse("property:renovation_items", args=[project.pk])
    assert "三供一业" in client.get(url).content.decode()
    response = client.post(url, item_data(kind="water_supply", quantity="800", quantity_unit="米"))
    assert response.status_code == 400
    assert "已在“三供一业”分离移交中改造，不能重复申请改造资金（S-04）" in response.content.decode()
    assert not RenovationItem.objects.exists()
    assert client.post(url, item_data(kind="drainage")).status_code == 302  # not a 三供一业 facility


def test_the_items_page_keeps_a_flat_query_count(client, city, django_assert_max_num_queries):
    project = application(city)
    client.force_login(city.committee)
    url = reverse("property:renovation_items", args=[project.pk])
    client.get(url)
    counts = []
    kinds = [kind.code for kind in rules.ITEM_KINDS]
    for rows in (3, 30):
        while RenovationItem.objects.count() < rows:
            add_item(city, project, kind=kinds[RenovationItem.objects.count() % len(kinds)])
        with django_assert_max_num_queries(40) as captured:
            assert client.get(url).status_code == 200
        counts.append(len(captured.captured_queries))
    assert counts[0] == counts[1]


def test_the_community_list_keeps_a_flat_query_count(client, city, django_assert_max_num_queries):
    client.force_login(city.committee)
    url = reverse("property:renovation_community", args=[city.community.pk])
    client.get(url)
    counts = []
    for rows in (2, 12):
        while RenovationProject.objects.count() < rows:
            application(city)
        with django_assert_max_num_queries(40) as captured:
            assert client.get(url).status_code == 200
        counts.append(len(captured.captured_queries))
    assert counts[0] == counts[1]


# ---------------------------------------------------------------- funding


def test_a_funding_plan_that_does_not_add_up_is_refused_with_the_gap_and_nothing_saved(client, city):
    project = application(city)
    add_item(city, project, cost="1000000.00")
    svc.funding_plan_set(actor=city.committee, project=project, amounts={"central": "1000000.00"})
    client.force_login(city.committee)
    url = reverse("property:renovation_funding", args=[project.pk])
    response = client.post(url, {"central": "500000", "district": "300000", "residents": "150000", "action": "save"})
    assert response.status_code == 400
    html = response.content.decode()
    assert "缺口50,000.00元" in html and "950,000.00" in html
    assert list(FundingLine.objects.values_list("source", "amount")) == [("central", Decimal("1000000.00"))]

    response = client.post(url, {"central": "abc", "action": "save"})
    assert response.status_code == 400
    assert list(FundingLine.objects.values_list("source", "amount")) == [("central", Decimal("1000000.00"))]

    response = client.post(url, {"central": "500000", "district": "300000", "residents": "200000", "action": "check"})
    assert response.status_code == 200
    assert list(FundingLine.objects.values_list("source", "amount")) == [("central", Decimal("1000000.00"))]

    response = client.post(url, {"central": "500000", "district": "300000", "residents": "200000", "action": "save"})
    assert response.status_code == 302
    assert FundingLine.objects.count() == 3
    html = client.get(url).content.decode()
    assert "1000000.00" in html


# ---------------------------------------------------------------- the willingness survey


def test_linking_the_communitys_survey_shows_its_result(client, city):
    project = application(city)
    survey = closed_survey(city.community, total=100, plan_agree=79, model_agree=85)
    other_survey = closed_survey(renovation_city().community)
    open_survey = WillingnessSurvey.objects.create(
        community=city.community,
        title="第二次意愿征询",
        plan_summary="方案",
        management_model="物业",
        opens_on=datetime.date.today(),
        closes_on=datetime.date.today() + datetime.timedelta(days=10),
        status=WillingnessSurvey.Status.OPEN,
    )
    client.force_login(city.committee)
    url = reverse("property:renovation_survey_link", args=[project.pk])
    html = client.get(url).content.decode()
    assert "尚未就改造方案和物业管理模式开展居民意愿征询" in html and open_survey.title in html
    assert client.post(url, {"survey": other_survey.pk}).status_code == 400
    assert client.post(url, {"survey": survey.pk}).status_code == 302
    project.refresh_from_db()
    assert project.survey_id == survey.pk
    html = client.get(url).content.decode()
    assert "79/100户（79.0%）" in html and "未达到80%" in html and "R-07" in html


def test_s04_the_city_may_except_a_facility_only_with_a_reason_and_a_document(client):
    from django.core.files.uploadedfile import SimpleUploadedFile
    from wagtail.documents import get_document_model

    from home.models import AuditEntry

    city = renovation_city(is_sgyy_compound=True, former_property_unit="新乡铁路分局")
    SgyyRetrofit.objects.create(community=city.community, facility=rules.WATER, status="done", central_subsidy=True)
    project = application(city, submit=True)
    url = reverse("property:renovation_items", args=[project.pk])

    client.force_login(city.committee)  # the applicants have no exception fields: the reason is ignored
    assert "例外处理理由" not in client.get(url).content.decode()

    client.force_login(city.city_officer)
    water = item_data(kind="water_supply", quantity="800", quantity_unit="米")
    response = client.post(url, {**water, "override_reason": "二次供水泵房不在“三供一业”改造范围内"})
    assert response.status_code == 400 and "例外处理须附依据文件" in response.content.decode()
    fake = SimpleUploadedFile("清单.pdf", b"not a pdf at all", content_type="application/pdf")
    response = client.post(url, {**water, "override_reason": "泵房不在范围内", "override_document": fake})
    assert response.status_code == 400
    assert not RenovationItem.objects.exists() and not get_document_model().objects.exists()

    scan = SimpleUploadedFile("清单.pdf", b"%PDF-1.4 list", content_type="application/pdf")
    response = client.post(url, {**water, "override_reason": "泵房不在范围内", "override_document": scan})
    assert response.status_code == 302
    item = RenovationItem.objects.get()
    assert item.override_reason == "泵房不在范围内" and item.override_document is not None
    entry = AuditEntry.objects.filter(action="renovation.item_added").latest("pk")
    assert entry.after["override"] == "泵房不在范围内"
    assert "S-04例外" in client.get(url).content.decode()
