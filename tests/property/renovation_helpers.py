"""Building blocks for the renovation tests (issue 8): a community with its reviewers at every level, an
application, the chain passed, a closed willingness survey, a project ready for the annual plan."""

import datetime
from dataclasses import dataclass
from decimal import Decimal

from django.utils import timezone

from governance.models import WillingnessSurvey
from home.models import CommunityPage, CommunityRole
from property.domain import renovation as rules
from property.models import AnnualPlan, RenovationOfficer, RenovationProject
from property.services import renovation as services
from tests.factories import CommunityPageFactory, SubDistrictFactory, UserFactory, member

Role = CommunityRole.Role


@dataclass
class RenovationCity:
    community: CommunityPage
    committee: object  # an owners' committee member: the applicant
    community_staff: object  # signs the community recommendation
    sub_district_officer: object
    district_officer: object
    city_officer: object


def officer(level: str, *, sub_district=None, district=None, user=None, **kwargs) -> object:
    user = user or UserFactory(**kwargs)
    RenovationOfficer.objects.create(
        user=user,
        level=level,
        sub_district=sub_district if level == rules.SUB_DISTRICT else None,
        district=district if level == rules.DISTRICT else None,
        organisation={"sub_district": "向阳街道办事处", "district": "卫滨区人民政府", "city": "新乡市住房和城乡建设局"}[
            level
        ],
        position="审核人",
    )
    return user


def renovation_city(*, city_officer=None, **community_kwargs) -> RenovationCity:
    """One community (built 1990 unless told) and a reviewer at each level for its area."""
    community_kwargs.setdefault("year_built", 1990)
    community = CommunityPageFactory(**community_kwargs)
    sub_district = community.sub_district
    return RenovationCity(
        community=community,
        committee=member(community, Role.OWNERS_COMMITTEE),
        community_staff=member(community, Role.COMMUNITY_STAFF),
        sub_district_officer=officer(rules.SUB_DISTRICT, sub_district=sub_district),
        district_officer=officer(rules.DISTRICT, district=sub_district.district),
        city_officer=city_officer or officer(rules.CITY),
    )


def other_sub_district_officer(city: RenovationCity):
    """An officer of another sub-district of the same district."""
    other = SubDistrictFactory(district=city.community.sub_district.district)
    return officer(rules.SUB_DISTRICT, sub_district=other)


def application_data(**overrides) -> services.ApplicationData:
    fields = {
        "title": "小区综合改造申请",
        "year_completed": 1990,
        "buildings_count": 6,
        "households": 240,
        "problems": "供水管道老化、楼道破损、无障碍设施缺失",
        "structure_safe": True,
        "structure_statement": "经鉴定房屋结构安全，不宜整体拆除重建。",
        "willingness_evidence": "240户中有230户在意向书上签字。",
    }
    fields.update(overrides)
    return services.ApplicationData(**fields)


def application(city: RenovationCity, *, submit=False, **overrides) -> RenovationProject:
    project = services.application_save(
        actor=city.committee, community=city.community, data=application_data(**overrides)
    )
    if submit:
        project = services.application_submit(actor=city.committee, project=project)
    return project


def reviewer_at(city: RenovationCity, level: str):
    return {
        rules.COMMUNITY: city.community_staff,
        rules.SUB_DISTRICT: city.sub_district_officer,
        rules.DISTRICT: city.district_officer,
        rules.CITY: city.city_officer,
    }[level]


def pass_levels(city: RenovationCity, project: RenovationProject, levels=rules.LEVELS) -> RenovationProject:
    for level in levels:
        services.review_decide(
            actor=reviewer_at(city, level), project=project, level=level, decision=rules.PASS, opinion="同意。"
        )
    return RenovationProject.objects.get(pk=project.pk)


def closed_survey(community, *, total=100, plan_agree=80, model_agree=80, raises_fund=False, fund_decision=None):
    """A closed willingness survey with its frozen result (what survey_close leaves behind)."""
    today = timezone.localdate()
    return WillingnessSurvey.objects.create(
        community=community,
        title="改造方案及物业管理模式意愿征询",
        plan_summary="改造方案",
        management_model="引入专业物业服务企业",
        opens_on=today - datetime.timedelta(days=20),
        closes_on=today - datetime.timedelta(days=5),
        status=WillingnessSurvey.Status.CLOSED,
        total_households=total,
        plan_agree=plan_agree,
        model_agree=model_agree,
        plan_passed=5 * plan_agree >= 4 * total,
        model_passed=5 * model_agree >= 4 * total,
        raises_maintenance_fund=raises_fund,
        fund_decision=fund_decision,
    )


def annual_plan(year=None) -> AnnualPlan:
    year = year or timezone.localdate().year
    return AnnualPlan.objects.get_or_create(year=year, defaults={"completion_deadline": datetime.date(year, 12, 31)})[0]


def ready_for_plan(city: RenovationCity, *, survey_agree=80, survey_total=100, **overrides) -> RenovationProject:
    """Approved at every level, with two items, a funding plan that adds up, and a passed survey."""
    project = pass_levels(city, application(city, submit=True, **overrides))
    services.item_add(
        actor=city.city_officer,
        project=project,
        kind="stairwell",
        quantity="24",
        quantity_unit="个",
        estimated_cost="600000.00",
    )
    services.item_add(
        actor=city.city_officer,
        project=project,
        kind="accessibility",
        quantity="12",
        quantity_unit="处",
        estimated_cost="400000.00",
    )
    services.funding_plan_set(
        actor=city.city_officer,
        project=project,
        amounts={"central": Decimal("500000"), "district": Decimal("300000"), "residents": Decimal("200000")},
    )
    survey = closed_survey(city.community, total=survey_total, plan_agree=survey_agree, model_agree=survey_agree)
    services.survey_link(actor=city.city_officer, project=project, survey=survey)
    return RenovationProject.objects.get(pk=project.pk)
