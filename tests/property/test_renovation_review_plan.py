"""The gate to the annual plan and the 三供一业 records (issue 8, R-02, R-07, S-04): every blocker shown with its
figures, the 80% line exact (799/1000 refused, 800/1000 accepted), the 2003 community kept in the reserve, the
railway compound blocked until its construction list is recorded; and the admin of reviewers and plans."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from home.services.roles import bureau_group
from property.domain import renovation as rules
from property.models import AnnualPlan, RenovationOfficer, RenovationProject, SgyyConstructionList, SgyyRetrofit
from property.services import renovation as services
from tests.factories import CommunityPageFactory, UserFactory
from tests.property.renovation_helpers import annual_plan, ready_for_plan, renovation_city

pytestmark = pytest.mark.django_db
Stage = RenovationProject.Stage


def plan_url(project):
    return reverse("property:renovation_plan_enter", args=[project.pk])


def sgyy_url(community):
    return reverse("property:renovation_sgyy", args=[community.pk])


def enter(client, city, project, plan):
    client.force_login(city.city_officer)
    return client.post(plan_url(project), {"plan": plan.pk})


def stage_of(project):
    project.refresh_from_db()
    return project.stage


def test_at_799_of_1000_the_plan_is_refused_with_both_figures(client):
    city = renovation_city()
    project = ready_for_plan(city, survey_agree=799, survey_total=1000)
    plan = annual_plan()
    client.force_login(city.city_officer)
    page = client.get(plan_url(project)).content.decode()
    assert "799/1000户（79.9%）" in page and "未达到80%" in page and "R-07" in page
    response = enter(client, city, project, plan)
    assert response.status_code == 400
    assert "799/1000户（79.9%）" in response.content.decode()
    assert stage_of(project) == Stage.APPROVED and project.plan_id is None


def test_at_exactly_80_percent_the_project_enters_the_plan(client):
    city = renovation_city()
    project = ready_for_plan(city, survey_agree=800, survey_total=1000)
    plan = annual_plan()
    client.force_login(city.city_officer)
    page = client.get(plan_url(project)).content.decode()
    assert "800/1000户（80.0%）" in page and "条件已具备" in page
    response = enter(client, city, project, plan)
    assert response.status_code == 302
    assert response["Location"] == reverse("property:renovation_project", args=[project.pk])
    assert stage_of(project) == Stage.PLANNED and project.plan == plan


def test_a_2003_community_stays_in_the_reserve(client):
    city = renovation_city(year_built=2003)
    project = ready_for_plan(city, year_completed=2003)
    assert project.verdict == rules.RESERVE and project.stage == Stage.APPROVED
    client.force_login(city.city_officer)
    page = client.get(plan_url(project)).content.decode()
    assert "R-02" in page and "只能纳入项目储备库" in page
    response = enter(client, city, project, annual_plan())
    assert response.status_code == 400 and "只能纳入项目储备库" in response.content.decode()
    assert stage_of(project) == Stage.APPROVED


def test_the_plan_page_lists_a_funding_gap_and_a_pending_fund_vote(client):
    city = renovation_city()
    project = ready_for_plan(city)
    services.item_add(
        actor=city.city_officer, project=project, kind="roof", quantity="1", quantity_unit="项", estimated_cost="100"
    )
    survey = project.survey
    survey.raises_maintenance_fund = True
    survey.save()
    client.force_login(city.city_officer)
    page = client.get(plan_url(project)).content.decode()
    assert "R-06" in page and "缺口100.00元" in page
    assert "V-04" in page


def test_only_city_officers_enter_the_plan(client):
    city = renovation_city()
    project = ready_for_plan(city)
    plan = annual_plan()
    for user in (city.district_officer, city.community_staff, city.committee):
        client.force_login(user)
        assert client.get(plan_url(project)).status_code == 403
        assert client.post(plan_url(project), {"plan": plan.pk}).status_code == 403
    assert stage_of(project) == Stage.APPROVED


# --- 三供一业 -------------------------------------------------------------------------------------------------


def railway_city():
    return renovation_city(is_sgyy_compound=True, former_property_unit="新乡铁路分局")


def pdf(name="清单.pdf"):
    return SimpleUploadedFile(name, b"%PDF-1.4\n% construction list\n", content_type="application/pdf")


def test_a_compound_without_its_construction_list_is_blocked_until_it_is_recorded(client):
    city = railway_city()
    project = ready_for_plan(city)
    plan = annual_plan()
    client.force_login(city.city_officer)
    reason = "新乡铁路分局尚未提供施工改造清单"
    assert reason in client.get(plan_url(project)).content.decode()
    sgyy_page = client.get(sgyy_url(city.community)).content.decode()
    assert reason in sgyy_page and "暂不能纳入年度改造计划" in sgyy_page
    response = enter(client, city, project, plan)
    assert response.status_code == 400 and reason in response.content.decode()
    assert stage_of(project) == Stage.APPROVED

    today = services.today().isoformat()
    response = client.post(
        sgyy_url(city.community), {"action": "list", "list-received_on": today, "list-document": pdf()}
    )
    assert response.status_code == 302
    record = SgyyConstructionList.objects.get(community=city.community)
    assert record.document is not None and record.recorded_by == city.city_officer
    sgyy_page = client.get(sgyy_url(city.community)).content.decode()
    assert reason not in sgyy_page and "已于" in sgyy_page
    assert reason not in client.get(plan_url(project)).content.decode()
    assert enter(client, city, project, plan).status_code == 302
    assert stage_of(project) == Stage.PLANNED


def test_a_facility_retrofit_is_recorded_and_then_cannot_be_claimed(client):
    city = railway_city()
    client.force_login(city.city_officer)
    response = client.post(
        sgyy_url(city.community),
        {
            "action": "retrofit",
            "retrofit-facility": "water",
            "retrofit-status": "done",
            "retrofit-receiving_unit": "新乡市供水公司",
            "retrofit-scope": "庭院供水管网及一户一表",
            "retrofit-central_subsidy": "on",
        },
    )
    assert response.status_code == 302
    record = SgyyRetrofit.objects.get(community=city.community, facility="water")
    assert record.status == "done" and record.central_subsidy
    page = client.get(sgyy_url(city.community)).content.decode()
    assert "新乡市供水公司" in page and "不能重复申请改造资金" in page


def test_a_bad_upload_is_refused_and_nothing_is_recorded(client):
    city = railway_city()
    client.force_login(city.city_officer)
    fake = SimpleUploadedFile("清单.pdf", b"<html>not a pdf</html>", content_type="application/pdf")
    response = client.post(
        sgyy_url(city.community),
        {"action": "list", "list-received_on": services.today().isoformat(), "list-document": fake},
    )
    assert response.status_code == 400
    assert not SgyyConstructionList.objects.exists()


def test_the_sgyy_page_is_for_city_officers_and_for_sgyy_compounds_only(client):
    city = railway_city()
    for user in (city.district_officer, city.sub_district_officer, city.community_staff):
        client.force_login(user)
        assert client.get(sgyy_url(city.community)).status_code == 403
        response = client.post(
            sgyy_url(city.community), {"action": "list", "list-received_on": services.today().isoformat()}
        )
        assert response.status_code == 403
    assert not SgyyConstructionList.objects.exists()
    ordinary = CommunityPageFactory()
    client.force_login(city.city_officer)
    response = client.get(sgyy_url(ordinary))
    assert response.status_code == 403 and "不是“三供一业”小区" in response.content.decode()


# --- the admin: reviewers and annual plans ----------------------------------------------------------------------


def test_only_bureau_staff_and_superusers_edit_reviewers_and_plans(client):
    list_url = reverse("wagtailsnippets_property_renovationofficer:list")
    plans_url = reverse("wagtailsnippets_property_annualplan:list")
    staff = UserFactory()
    staff.groups.add(bureau_group())
    client.force_login(staff)
    assert client.get(list_url).status_code == 200
    assert client.get(plans_url).status_code == 200
    city = renovation_city()
    for user in (city.city_officer, city.community_staff):
        client.force_login(user)
        assert client.get(list_url).status_code != 200
        assert client.get(plans_url).status_code != 200


def test_the_admin_refuses_an_officer_whose_area_does_not_match_the_level(client):
    city = renovation_city()
    staff = UserFactory()
    staff.groups.add(bureau_group())
    client.force_login(staff)
    before = RenovationOfficer.objects.count()
    response = client.post(
        reverse("wagtailsnippets_property_renovationofficer:add"),
        {
            "user": UserFactory().pk,
            "level": rules.CITY,
            "organisation": "新乡市住房和城乡建设局",
            "position": "科长",
            "district": city.community.sub_district.district_id,
            "sub_district": "",
            "active": "on",
        },
    )
    assert response.status_code == 200
    assert "市级审核人覆盖全市" in response.content.decode()
    assert RenovationOfficer.objects.count() == before
    response = client.post(
        reverse("wagtailsnippets_property_annualplan:add"), {"year": "2031", "completion_deadline": "2031-12-31"}
    )
    assert response.status_code == 302 and AnnualPlan.objects.filter(year=2031).exists()


def test_the_city_queue_lists_approved_projects_waiting_for_the_plan(client):
    city = renovation_city()
    project = ready_for_plan(city)
    client.force_login(city.city_officer)
    page = client.get(reverse("property:renovation_queue")).content.decode()
    assert "已通过会审、待纳入年度计划" in page
    assert reverse("property:renovation_plan_enter", args=[project.pk]) in page

    client.force_login(city.district_officer)  # the district does not put projects into the city's plan
    page = client.get(reverse("property:renovation_queue")).content.decode()
    assert reverse("property:renovation_plan_enter", args=[project.pk]) not in page
