"""The renovation project page (the hub), the public list and the city dashboard with the county reward (issue 8)."""

import datetime
import io
from decimal import Decimal

import pytest
from django.core.files.base import ContentFile
from django.urls import reverse
from django.utils import timezone
from PIL import Image as PILImage
from wagtail.images import get_image_model

from home.models import Unit
from property import renovation_selectors as selectors
from property.domain import renovation as rules
from property.models import (
    AnnualPlan,
    Charge,
    CostSharePlan,
    Fund,
    FundingReceipt,
    ProgressReport,
    RenovationItem,
    RenovationProject,
)
from property.services import funds as funds_svc
from property.services import renovation as services
from tests.factories import SubDistrictFactory, member
from tests.property.fee_helpers import fee_community, pay
from tests.property.renovation_helpers import (
    RenovationCity,
    annual_plan,
    application,
    officer,
    pass_levels,
    ready_for_plan,
    renovation_city,
)

pytestmark = pytest.mark.django_db

# --- builders (the execution tests import them) ------------------------------------------------------------------


def png_bytes(size=(12, 8), colour=(200, 30, 30)) -> bytes:
    buffer = io.BytesIO()
    PILImage.new("RGB", size, colour).save(buffer, format="PNG")
    return buffer.getvalue()


def wagtail_image(title="工地照片"):
    image = get_image_model()(title=title, file=ContentFile(png_bytes(), name="site.png"))
    image.description = title
    image.save()
    return image


def city_on(community, *, committee, community_staff) -> RenovationCity:
    """Reviewers at every level for an existing community (e.g. one built by the fee helpers)."""
    sub_district = community.sub_district
    return RenovationCity(
        community=community,
        committee=committee,
        community_staff=community_staff,
        sub_district_officer=officer(rules.SUB_DISTRICT, sub_district=sub_district),
        district_officer=officer(rules.DISTRICT, district=sub_district.district),
        city_officer=officer(rules.CITY),
    )


def planned(city: RenovationCity, *, plan: AnnualPlan | None = None, **overrides) -> RenovationProject:
    """Approved at every level, survey passed, funding central 500,000 + district 300,000 + residents 200,000,
    then entered into the annual plan (this year's unless told)."""
    project = ready_for_plan(city, **overrides)
    return services.plan_enter(actor=city.city_officer, project=project, plan=plan or annual_plan())


def completed(city: RenovationCity, project: RenovationProject, on: datetime.date) -> RenovationProject:
    """Design, tender, start and completion, all on ``on``."""
    for kind in (rules.DESIGN, rules.TENDER, rules.START, rules.COMPLETION):
        services.milestone_record(actor=city.district_officer, project=project, kind=kind, reached_on=on, note="完成")
    return RenovationProject.objects.get(pk=project.pk)


def other_district_officer():
    return officer(rules.DISTRICT, district=SubDistrictFactory().district)


def url(project):
    return reverse("property:renovation_project", args=[project.pk])


def receipt(city, project, source, amount, on=None):
    return services.receipt_record(
        actor=city.district_officer,
        project=project,
        source=source,
        amount=Decimal(amount),
        received_on=on or timezone.localdate(),
        reference=f"财建〔2026〕{source}{amount}号",
    )


# --- who reads the project page --------------------------------------------------------------------------------


def test_a_public_project_is_read_anonymously_with_its_stage_items_and_money(client):
    city = renovation_city()
    project = planned(city)
    receipt(city, project, "central", "400000")
    response = client.get(url(project))
    assert response.status_code == 200
    text = response.content.decode()
    assert project.title in text and city.community.title in text
    assert "400000.00" in text and "1000000.00" in text  # received central; planned total
    assert "600000.00" in text  # the gap
    assert 'aria-current="step"' in text
    assert reverse("property:renovation_milestone", args=[project.pk]) not in text  # no actions for visitors


def test_a_draft_is_refused_to_visitors_and_to_another_community_but_read_by_its_own():
    city, other = renovation_city(), renovation_city()
    project = application(city)
    from django.test import Client

    anonymous = Client()
    assert anonymous.get(url(project)).status_code == 403
    stranger = Client()
    stranger.force_login(other.committee)
    assert stranger.get(url(project)).status_code == 403
    own = Client()
    own.force_login(city.committee)
    response = own.get(url(project))
    assert response.status_code == 200
    assert reverse("property:renovation_edit", args=[project.pk]) in response.content.decode()


def test_an_application_in_review_shows_the_review_link_to_the_level_that_decides(client):
    city = renovation_city()
    project = application(city, submit=True)
    client.force_login(city.community_staff)
    assert reverse("property:renovation_review", args=[project.pk]) in client.get(url(project)).content.decode()
    client.force_login(city.sub_district_officer)  # not its level yet
    assert reverse("property:renovation_review", args=[project.pk]) not in client.get(url(project)).content.decode()


def test_the_execution_links_are_shown_to_the_district_and_the_plan_link_to_the_city(client):
    city = renovation_city()
    approved = pass_levels(city, application(city, submit=True))
    client.force_login(city.city_officer)
    assert reverse("property:renovation_plan_enter", args=[approved.pk]) in client.get(url(approved)).content.decode()
    project = planned(renovation_city(city_officer=city.city_officer))
    client.force_login(city.district_officer)  # another district
    text = client.get(url(project)).content.decode()
    assert reverse("property:renovation_milestone", args=[project.pk]) not in text
    client.force_login(city.city_officer)
    text = client.get(url(project)).content.decode()
    for name in ("renovation_milestone", "renovation_progress", "renovation_receipt", "renovation_cost_share_link"):
        assert reverse(f"property:{name}", args=[project.pk]) in text


def test_the_public_review_history_masks_the_applying_residents_but_not_the_officers(client):
    city = renovation_city()
    city.committee.full_name = "王桂芳"
    city.committee.save()
    project = planned(city)
    text = client.get(url(project)).content.decode()
    assert "王桂芳" not in text
    assert "王**" in text
    assert "卫滨区人民政府 审核人" in text


def test_milestones_link_their_publicity_notice(client):
    city = renovation_city()
    project = planned(city)
    milestone = services.milestone_record(
        actor=city.district_officer,
        project=project,
        kind=rules.DESIGN,
        reached_on=timezone.localdate(),
        note="方案定稿",
    )
    text = client.get(url(project)).content.decode()
    assert milestone.notice.url in text
    assert "方案定稿" in text


def test_the_residents_share_received_is_read_from_the_fees_ledger(client):
    fc = fee_community(units=3)
    Unit.objects.filter(pk__in=[u.pk for u in fc.units]).update(registered_area=Decimal("80.00"))
    city = city_on(fc.community, committee=fc.chair, community_staff=fc.staff)
    project = planned(city)
    share_plan = funds_svc.cost_share_plan_create(
        actor=fc.chair,
        community=fc.community,
        title="改造居民分摊",
        total=Decimal("300.00"),
        key=CostSharePlan.Key.EXCLUSIVE_AREA,
        due_on=datetime.date(2026, 12, 31),
    )
    funds_svc.cost_share_plan_issue(actor=fc.chair, plan=share_plan)
    share = Charge.objects.get(unit=fc.units[0], cost_share_plan=share_plan).amount
    assert share == Decimal("100.00")
    pay(fc, fc.units[0], str(share), fund=Fund.COST_SHARING, actor=fc.chair)
    client.force_login(city.district_officer)
    response = client.post(reverse("property:renovation_cost_share_link", args=[project.pk]), {"plan": share_plan.pk})
    assert response.status_code == 302
    project.refresh_from_db()
    page = selectors.project_page(selectors.project_for_page(project.pk))
    residents = next(row for row in page.funding if row.source == "residents")
    assert residents.planned == Decimal("200000.00") and residents.received == Decimal("100.00")
    assert residents.from_ledger
    # a payment of the property fees is not the residents' share
    pay(fc, fc.units[1], "50.00", fund=Fund.PROPERTY_FEES, actor=fc.cashier, confirm=True)
    assert selectors.residents_received([share_plan.pk]) == {share_plan.pk: Decimal("100.00")}
    assert selectors.dashboard().districts  # the ledger query runs on the dashboard too
    figures = {f.district.pk: f for f in selectors.dashboard().districts}
    assert figures[fc.community.sub_district.district_id].received == Decimal("100.00")


def _fill(city, project, n):
    for i in range(n):
        RenovationItem.objects.create(
            project=project,
            kind="stairwell",
            category=rules.BASIC,
            quantity=1,
            quantity_unit="个",
            estimated_cost=Decimal("100.00") + i,
        )
        FundingReceipt.objects.create(
            project=project,
            source="central",
            amount=Decimal("10.00"),
            received_on=timezone.localdate(),
            reference=f"R{i}",
            recorded_by=city.district_officer,
        )
        ProgressReport.objects.create(
            project=project,
            percent=min(i, 100),
            note=f"第{i}次",
            photo=wagtail_image(f"照片{i}") if i % 3 == 0 else None,
            reported_by=city.district_officer,
        )


@pytest.mark.parametrize("as_officer", [False, True])
def test_the_project_page_query_count_is_flat(client, django_assert_max_num_queries, as_officer):
    counts = []
    for n in (3, 30):
        city = renovation_city()
        project = planned(city)
        _fill(city, project, n)
        if as_officer:
            client.force_login(city.district_officer)
        client.get(url(project))  # the renditions are made on the first view
        from django.db import connection
        from django.test.utils import CaptureQueriesContext

        with CaptureQueriesContext(connection) as queries:
            assert client.get(url(project)).status_code == 200
        counts.append(len(queries))
    assert counts[0] == counts[1], counts
    with django_assert_max_num_queries(40):
        client.get(url(project))


def test_a_progress_photo_is_shown_with_its_alt_text(client):
    city = renovation_city()
    project = planned(city)
    ProgressReport.objects.create(
        project=project,
        percent=20,
        note="外墙施工",
        photo=wagtail_image("3号楼外墙保温"),
        reported_by=city.district_officer,
    )
    text = client.get(url(project)).content.decode()
    assert 'alt="3号楼外墙保温"' in text and "<img" in text


# --- the public list ---------------------------------------------------------------------------------------------


def test_the_list_shows_public_projects_only_and_filters_by_district_year_and_stage(client):
    first = renovation_city()
    second = renovation_city(city_officer=first.city_officer)
    this_year = planned(first, title="今年计划项目")
    last_plan = AnnualPlan.objects.create(year=2025, completion_deadline=datetime.date(2025, 12, 31))
    earlier = planned(second, plan=last_plan, title="去年计划项目")
    draft = application(first, title="草稿申请不公开")
    index = reverse("property:renovation_index")
    text = client.get(index).content.decode()
    assert this_year.title in text and earlier.title in text and draft.title not in text
    district = first.community.sub_district.district_id
    text = client.get(index, {"district": district}).content.decode()
    assert this_year.title in text and earlier.title not in text
    text = client.get(index, {"year": 2025}).content.decode()
    assert earlier.title in text and this_year.title not in text
    text = client.get(index, {"stage": "under_way"}).content.decode()
    assert earlier.title not in text and this_year.title not in text
    assert client.get(index, {"stage": "draft", "district": "x", "page": "99"}).status_code == 200


def test_the_list_is_paginated(client):
    city = renovation_city()
    planned(city)
    RenovationProject.objects.filter(pk__gt=0).update(stage=RenovationProject.Stage.PLANNED)
    project = RenovationProject.objects.get()
    for i in range(21):
        project.pk = None
        project.title = f"复制项目{i}"
        project.save()
    response = client.get(reverse("property:renovation_index"))
    assert len(response.context["projects"]) == 20
    assert len(client.get(reverse("property:renovation_index"), {"page": 2}).context["projects"]) == 2


# --- the dashboard -------------------------------------------------------------------------------------------------


def test_the_dashboard_figures_per_district(client, django_assert_max_num_queries):
    a = renovation_city()
    b = renovation_city(city_officer=a.city_officer)
    project_a = planned(a, households=240)
    receipt(a, project_a, "central", "500000")
    receipt(a, project_a, "district", "120000")
    receipt(a, project_a, "district", "-20000")  # a correction
    planned(b, households=100)
    application(b, submit=True, households=999)  # in review: counted by stage, not in households or money
    application(b, households=555)  # a draft: not counted at all
    figures = {f.district.pk: f for f in selectors.dashboard().districts}
    fa = figures[a.community.sub_district.district_id]
    fb = figures[b.community.sub_district.district_id]
    assert fa.households == 240 and fa.planned == Decimal("1000000.00") and fa.received == Decimal("600000.00")
    assert fa.by_stage["planned"] == 1 and fa.projects == 1
    assert fb.households == 100 and fb.planned == Decimal("1000000.00") and fb.received == Decimal("0.00")
    assert fb.by_stage["planned"] == 1 and fb.by_stage["in_review"] == 1 and fb.projects == 2
    with django_assert_max_num_queries(20):
        response = client.get(reverse("property:renovation_dashboard"))
    assert response.status_code == 200
    assert "600000.00" in response.content.decode()


def test_the_dashboard_query_count_does_not_grow_with_projects(client):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    city = renovation_city()
    planned(city)
    with CaptureQueriesContext(connection) as few:
        client.get(reverse("property:renovation_dashboard"))
    for _i in range(3):
        planned(renovation_city(city_officer=city.city_officer))
    with CaptureQueriesContext(connection) as more:
        client.get(reverse("property:renovation_dashboard"))
    assert len(few) == len(more)


def _two_in_district(deadline_offset_days):
    """Two planned projects of one district under a plan whose deadline is today + offset."""
    today = timezone.localdate()
    plan = AnnualPlan.objects.create(
        year=2024, completion_deadline=today + datetime.timedelta(days=deadline_offset_days)
    )
    city = renovation_city()
    second_community = renovation_city(city_officer=city.city_officer)
    # the second community in the same district: move it there
    second_community.community.sub_district.district = city.community.sub_district.district
    second_community.community.sub_district.save()
    from property.models import RenovationOfficer

    RenovationOfficer.objects.filter(user=second_community.district_officer).update(
        district=city.community.sub_district.district
    )
    one = planned(city, plan=plan, title="项目一")
    two = planned(second_community, plan=plan, title="项目二")
    receipt(city, one, "district", "100000")
    receipt(second_community, two, "district", "50000")
    return city, second_community, one, two, plan


def test_the_county_reward_is_due_when_every_project_is_done_exactly_by_the_deadline(client):
    today = timezone.localdate()
    city, other, one, two, _plan = _two_in_district(0)
    completed(city, one, today - datetime.timedelta(days=3))
    completed(other, two, today)  # on the deadline itself
    [reward] = selectors.county_rewards(2024)
    assert reward.reward.due and reward.reward.own_funds == Decimal("150000.00")
    assert reward.reward.amount == Decimal("45000.00")
    assert [row.on_time for row in reward.projects] == [True, True]
    text = client.get(reverse("property:renovation_dashboard"), {"year": 2024}).content.decode()
    assert "45,000.00" in text and "项目一" in text and "项目二" in text


def test_no_county_reward_when_one_project_is_late(client):
    today = timezone.localdate()
    city, other, one, two, _plan = _two_in_district(-1)
    completed(city, one, today - datetime.timedelta(days=3))
    completed(other, two, today)  # one day after the deadline
    [reward] = selectors.county_rewards(2024)
    assert not reward.reward.due and reward.reward.amount == Decimal("0.00")
    assert reward.reward.late == ("项目二",)
    text = client.get(reverse("property:renovation_dashboard"), {"year": 2024}).content.decode()
    assert "项目二" in text and "未全部按期完工" in text


@pytest.mark.parametrize(
    ("completions", "due", "amount"),
    [
        ((0, 0), True, "30000.00"),  # both on the deadline
        ((-10, 0), True, "30000.00"),
        ((0, 1), False, "0.00"),  # one a day late
        ((0, None), False, "0.00"),  # one not completed
        ((), False, "0.00"),  # nothing in the plan
    ],
)
def test_county_reward_table(completions, due, amount):
    deadline = datetime.date(2026, 12, 31)
    projects = [
        rules.CountyProject(f"P{i}", None if d is None else deadline + datetime.timedelta(days=d), Decimal("50000.00"))
        for i, d in enumerate(completions)
    ]
    reward = rules.county_reward(projects, deadline)
    assert reward.due is due and reward.amount == Decimal(amount)
    assert reward.explanation


def test_the_dashboard_works_without_any_plan(client):
    response = client.get(reverse("property:renovation_dashboard"), {"year": "abc"})
    assert response.status_code == 200


def test_a_user_of_another_community_sees_the_public_project_but_no_actions(client):
    city = renovation_city()
    project = planned(city)
    other = renovation_city()
    client.force_login(member(other.community, "community_staff"))
    response = client.get(url(project))
    assert response.status_code == 200 and not response.context["any_action"]
