"""Builders for the willingness-survey tests (no tests here)."""

from datetime import datetime, time, timedelta

from django.utils import timezone

from governance.services import surveys as svc
from home.models import Building, CommunityRole
from tests.factories import member
from tests.governance.decision_helpers import VoteCommunity, vote_community

Role = CommunityRole.Role

PLAN = "雨污分流、屋面防水、楼道照明更换、适老化改造。"
MODEL = "改造后引入物业服务企业，实行酬金制。"


def survey_community(*, buildings=1, units=5, **kwargs) -> VoteCommunity:
    """A community whose every home has one resident with an account (owners[i] lives in units[i]) and a
    committee chair; `vc.staff` is a community-staff account."""
    vc = vote_community(buildings=buildings, units=units, **kwargs)
    vc.staff = member(vc.community, Role.COMMUNITY_STAFF, full_name="李秀兰")
    return vc


def moment(day, hour=10) -> datetime:
    """A time on a calendar day in Asia/Shanghai."""
    return timezone.make_aware(datetime.combine(day, time(hour)))


def draft_survey(vc: VoteCommunity, *, buildings=(), days=10, **kwargs):
    today = timezone.localdate()
    return svc.survey_save_draft(
        actor=kwargs.pop("actor", vc.chair),
        community=vc.community,
        title=kwargs.pop("title", "老旧小区改造意愿征询"),
        plan_summary=kwargs.pop("plan_summary", PLAN),
        management_model=kwargs.pop("management_model", MODEL),
        buildings=list(buildings),
        opens_on=kwargs.pop("opens_on", today),
        closes_on=kwargs.pop("closes_on", today + timedelta(days=days)),
        **kwargs,
    )


def open_survey(vc: VoteCommunity, **kwargs):
    return svc.survey_open(actor=vc.chair, survey=draft_survey(vc, **kwargs))


def answer(vc: VoteCommunity, survey, index: int, plan="agree", model="agree", **kwargs):
    return svc.answer_online(user=vc.owners[index], survey=survey, plan_answer=plan, model_answer=model, **kwargs)


def close_day(survey):
    return moment(survey.closes_on, 20)


def buildings_of(vc: VoteCommunity):
    return list(Building.objects.filter(community=vc.community).order_by("sort_order"))
