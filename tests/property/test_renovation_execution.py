"""Carrying out a renovation project (issue 8, R-09): milestones with their 公示, progress reports with a photo,
money received and the cost-sharing link; only the county/district of the community and the city (progress also
the community's staff)."""

import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone
from wagtail.images import get_image_model

from governance.models import NoticePage
from property.domain import renovation as rules
from property.models import CostSharePlan, FundingReceipt, Milestone, ProgressReport, RenovationProject
from property.services import renovation as services
from tests.factories import member
from tests.property.renovation_helpers import application, renovation_city
from tests.property.test_renovation_public import other_district_officer, planned, png_bytes

pytestmark = pytest.mark.django_db
TODAY = timezone.localdate


def go(name, project):
    return reverse(f"property:{name}", args=[project.pk])


def photo(name="site.png", content=None, content_type="image/png"):
    return SimpleUploadedFile(name, content if content is not None else png_bytes(), content_type=content_type)


# --- milestones ------------------------------------------------------------------------------------------------


def test_the_district_records_the_next_milestone_and_its_notice_is_linked(client):
    city = renovation_city()
    project = planned(city)
    client.force_login(city.district_officer)
    form = client.get(go("renovation_milestone", project))
    assert form.status_code == 200 and form.context["form"].initial["kind"] == rules.DESIGN
    response = client.post(
        go("renovation_milestone", project), {"kind": "design", "reached_on": TODAY().isoformat(), "note": "方案定稿"}
    )
    assert response.status_code == 302 and response.url == go("renovation_project", project)
    milestone = Milestone.objects.get(project=project)
    assert milestone.notice is not None and milestone.notice.live
    page = client.get(response.url).content.decode()
    assert milestone.notice.url in page


def test_a_milestone_out_of_order_is_refused_and_nothing_changes(client):
    city = renovation_city()
    project = planned(city)
    client.force_login(city.district_officer)
    notices = NoticePage.objects.count()
    response = client.post(
        go("renovation_milestone", project), {"kind": "start", "reached_on": TODAY().isoformat(), "note": "开工"}
    )
    assert response.status_code == 400
    assert "请先记录「设计方案确定」" in response.content.decode()
    assert not Milestone.objects.exists() and NoticePage.objects.count() == notices
    project.refresh_from_db()
    assert project.stage == RenovationProject.Stage.PLANNED


def test_a_milestone_before_the_plan_is_refused(client):
    city = renovation_city()
    project = application(city, submit=True)
    client.force_login(city.city_officer)
    response = client.post(
        go("renovation_milestone", project), {"kind": "design", "reached_on": TODAY().isoformat(), "note": "x"}
    )
    assert response.status_code == 400 and not Milestone.objects.exists()


# --- progress --------------------------------------------------------------------------------------------------


def test_progress_with_a_photo_makes_a_wagtail_image(client):
    city = renovation_city()
    project = planned(city)
    client.force_login(city.community_staff)  # the community's staff report progress too
    response = client.post(
        go("renovation_progress", project),
        {"percent": "35", "note": "外墙保温完成一半", "photo": photo(), "photo_alt": "3号楼外墙保温施工"},
    )
    assert response.status_code == 302
    report = ProgressReport.objects.get(project=project)
    assert report.percent == 35 and report.photo is not None
    assert report.photo.description == "3号楼外墙保温施工"
    project.refresh_from_db()
    assert project.percent_complete == 35
    page = client.get(go("renovation_project", project)).content.decode()
    assert 'alt="3号楼外墙保温施工"' in page


def test_percent_going_down_is_refused_and_the_photo_is_not_kept(client):
    city = renovation_city()
    project = planned(city)
    services.progress_report(actor=city.district_officer, project=project, percent=50, note="过半")
    images = get_image_model().objects.count()
    client.force_login(city.district_officer)
    response = client.post(
        go("renovation_progress", project), {"percent": "30", "note": "倒退", "photo": photo(), "photo_alt": "照片"}
    )
    assert response.status_code == 400
    assert "完成比例不能低于上次报告的50%" in response.content.decode()
    assert ProgressReport.objects.count() == 1 and get_image_model().objects.count() == images
    project.refresh_from_db()
    assert project.percent_complete == 50


@pytest.mark.parametrize(
    ("upload", "alt"),
    [
        (photo("fake.jpg", b"not a picture at all", "image/jpeg"), "照片"),  # not really an image
        (photo("big.png", png_bytes() + b"\0" * (8 * 1024 * 1024)), "照片"),  # over the size limit
        (photo(), ""),  # a photo without its description
    ],
)
def test_a_bad_photo_is_refused(client, upload, alt):
    city = renovation_city()
    project = planned(city)
    client.force_login(city.district_officer)
    response = client.post(
        go("renovation_progress", project), {"percent": "10", "note": "开工", "photo": upload, "photo_alt": alt}
    )
    assert response.status_code == 400
    assert not ProgressReport.objects.exists() and not get_image_model().objects.exists()


# --- money received ----------------------------------------------------------------------------------------------


def test_a_receipt_and_its_correction(client):
    city = renovation_city()
    project = planned(city)
    client.force_login(city.district_officer)
    form = client.get(go("renovation_receipt", project))
    sources = [value for value, _label in form.context["form"].fields["source"].choices]
    assert sources == ["central", "district"]  # the planned sources; the residents' share comes from the ledger
    data = {
        "source": "central",
        "amount": "500000",
        "received_on": TODAY().isoformat(),
        "reference": "豫财建〔2026〕1号",
    }
    assert client.post(go("renovation_receipt", project), data).status_code == 302
    data.update(amount="-100000", reference="豫财建〔2026〕1号更正")
    assert client.post(go("renovation_receipt", project), data).status_code == 302
    assert sum(r.amount for r in FundingReceipt.objects.filter(project=project)) == Decimal("400000.00")


def test_a_receipt_for_a_source_not_in_the_plan_is_refused(client):
    city = renovation_city()
    project = planned(city)
    client.force_login(city.district_officer)
    data = {"source": "provincial", "amount": "1000", "received_on": TODAY().isoformat(), "reference": "X1"}
    assert client.post(go("renovation_receipt", project), data).status_code == 400
    data["source"] = "residents"
    assert client.post(go("renovation_receipt", project), data).status_code == 400
    assert not FundingReceipt.objects.exists()
    with pytest.raises(ValidationError, match="资金计划中没有这项来源"):
        services.receipt_record(
            actor=city.district_officer,
            project=project,
            source="provincial",
            amount="1000",
            received_on=TODAY(),
            reference="X1",
        )


def test_a_receipt_dated_in_the_future_is_refused(client):
    city = renovation_city()
    project = planned(city)
    client.force_login(city.city_officer)
    tomorrow = TODAY() + datetime.timedelta(days=1)
    data = {"source": "central", "amount": "1000", "received_on": tomorrow.isoformat(), "reference": "X1"}
    response = client.post(go("renovation_receipt", project), data)
    assert response.status_code == 400 and "到账日期不能晚于今天" in response.content.decode()


# --- the cost-sharing link ---------------------------------------------------------------------------------------


def test_only_a_plan_of_the_projects_community_can_be_linked(client):
    city = renovation_city()
    project = planned(city)
    other = renovation_city()
    foreign = CostSharePlan.objects.create(
        community=other.community, title="别的小区分摊", total=Decimal("100"), due_on=datetime.date(2026, 12, 31)
    )
    own = CostSharePlan.objects.create(
        community=city.community, title="本小区分摊", total=Decimal("100"), due_on=datetime.date(2026, 12, 31)
    )
    client.force_login(city.district_officer)
    assert client.post(go("renovation_cost_share_link", project), {"plan": foreign.pk}).status_code == 400
    project.refresh_from_db()
    assert project.cost_share_plan_id is None
    assert client.post(go("renovation_cost_share_link", project), {"plan": own.pk}).status_code == 302
    project.refresh_from_db()
    assert project.cost_share_plan_id == own.pk


# --- who may ----------------------------------------------------------------------------------------------------

EXECUTION_POSTS = {
    "renovation_milestone": {"kind": "design", "reached_on": "2026-01-05", "note": "方案"},
    "renovation_progress": {"percent": "20", "note": "施工"},
    "renovation_receipt": {"source": "central", "amount": "1000", "received_on": "2026-01-05", "reference": "R1"},
    "renovation_cost_share_link": {"plan": ""},
}


@pytest.mark.parametrize("name", list(EXECUTION_POSTS))
def test_a_district_officer_of_another_district_is_refused_and_nothing_changes(client, name):
    city = renovation_city()
    project = planned(city)
    plan = CostSharePlan.objects.create(
        community=city.community, title="分摊", total=Decimal("100"), due_on=datetime.date(2026, 12, 31)
    )
    data = dict(EXECUTION_POSTS[name])
    if name == "renovation_cost_share_link":
        data["plan"] = plan.pk
    for outsider in (other_district_officer(), city.sub_district_officer, city.committee):
        client.force_login(outsider)
        assert client.get(go(name, project)).status_code == 403
        assert client.post(go(name, project), data).status_code == 403
    assert not Milestone.objects.exists() and not ProgressReport.objects.exists()
    assert not FundingReceipt.objects.exists()
    project.refresh_from_db()
    assert project.cost_share_plan_id is None and project.percent_complete == 0


def test_another_communitys_staff_may_not_report_progress(client):
    city = renovation_city()
    project = planned(city)
    other = renovation_city()
    client.force_login(member(other.community, "community_staff"))
    response = client.post(go("renovation_progress", project), {"percent": "20", "note": "施工"})
    assert response.status_code == 403 and not ProgressReport.objects.exists()


def test_visitors_are_sent_to_log_in(client):
    city = renovation_city()
    project = planned(city)
    response = client.get(go("renovation_milestone", project))
    assert response.status_code == 302 and "login" in response.url
