"""The community page's renovation status follows all of its projects: work in progress before a plan, a plan
before an open application, an open application before a finished renovation (services._set_stage)."""

import pytest
from django.utils import timezone

from property.domain import renovation as rules
from property.services import renovation as services
from tests.property.renovation_helpers import annual_plan, application, ready_for_plan, renovation_city

pytestmark = pytest.mark.django_db


def status(city):
    city.community.refresh_from_db()
    return city.community.renovation_status


def test_a_second_application_does_not_hide_the_work_under_way():
    city = renovation_city()
    project = ready_for_plan(city)
    services.plan_enter(actor=city.city_officer, project=project, plan=annual_plan())
    services.milestone_record(
        actor=city.district_officer, project=project, kind=rules.DESIGN, reached_on=timezone.localdate(), note="设计"
    )
    assert status(city) == "in_plan"
    services.milestone_record(
        actor=city.district_officer, project=project, kind=rules.TENDER, reached_on=timezone.localdate(), note="招标"
    )
    services.milestone_record(
        actor=city.district_officer, project=project, kind=rules.START, reached_on=timezone.localdate(), note="开工"
    )
    assert status(city) == "under_way"

    lift = application(city, submit=True, title="加装电梯申请")
    assert status(city) == "under_way"
    services.review_decide(
        actor=city.community_staff, project=lift, level=rules.COMMUNITY, decision=rules.RETURN, opinion="请补充意向书"
    )
    assert status(city) == "under_way"


def test_a_rejected_only_application_leaves_the_community_not_planned():
    city = renovation_city()
    project = application(city, submit=True)
    assert status(city) == "applying"
    services.review_decide(
        actor=city.community_staff, project=project, level=rules.COMMUNITY, decision=rules.REJECT, opinion="不符合"
    )
    assert status(city) == "not_planned"
