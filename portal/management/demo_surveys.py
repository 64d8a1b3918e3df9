"""Demo renovation willingness survey (改造意愿征询, R-07): in 健康里小区 (built 1986, no property company) an open
survey on the renovation plan and the property-management model after renovation. About 60% of the households
have answered (most agree, some do not): a few online through the residents' own accounts, most on paper forms
or to the visitor at the door; the door-to-door log also has households only contacted, households that refused
(with the reason) and households nobody could reach, all recorded by the community's staff account.

Everything goes through governance.services.surveys. Deterministic (a fixed random seed) and idempotent: the
survey is found by its title, and a second run adds nothing.
"""

import random
from datetime import datetime, time, timedelta

from django.utils import timezone

from governance.models import WillingnessSurvey
from governance.services import surveys as svc
from governance.services.meetings import role_users
from home.models import CommunityPage, CommunityRole

COMMUNITY_SLUG = "jiankangli"
SURVEY_TITLE = "老旧小区改造方案及改造后物业管理模式意愿征询"
SEED = 1986

PLAN = (
    "根据市住建局年度老旧小区改造计划，健康里小区拟实施以下改造内容（基础类为主，兼顾完善类）：\n"
    "一、雨污分流：新建小区雨水、污水管网各约620米，更换破损化粪池2座，解决雨季3号楼、4号楼前积水倒灌问题；\n"
    "二、屋面防水：4栋楼屋面铲除原有防水层，重做SBS改性沥青卷材防水并加设保温层，质保期不少于5年；\n"
    "三、加装电梯预留：在各单元北侧预留加装电梯基础位置和管线接口，是否加装另行按单元征求业主意见；\n"
    "四、楼道照明：更换全部楼道声控感应灯，规整楼道内私拉乱接的电线和弱电线缆（“飞线”）；\n"
    "五、适老化改造：楼道加装扶手和休息折叠座椅，单元出入口坡化处理，增设无障碍通道；\n"
    "六、其他：外墙粉刷、更换单元门禁、增设电动自行车集中充电棚2处、补植绿化。\n"
    "改造资金由中央和省级补助资金、市区财政配套承担，居民无需出资；施工期约5个月，施工期间分楼栋进行。"
)

MODEL = (
    "改造完成后，小区需要长效管理。拟采用以下方式（请表示同意或不同意）：\n"
    "由社区牵头，经业主同意后通过公开选聘引入物业服务企业，提供保洁、秩序维护、绿化养护和公共设施小修等"
    "基础服务，物业服务费暂定每月每平方米0.45元，前两年由街道给予补贴；在选定物业服务企业之前，"
    "由社区托管，组织居民自治小组轮值管理。若居民不同意引入物业服务企业，则继续实行业主自治，"
    "由社区协助成立自管小组，费用按户分摊并定期公示。"
)

REFUSAL_REASONS = (
    "担心改造后要交物业费，暂不表态",
    "对一楼加装电梯预留位置有意见，要求先看图纸",
    "房屋已出租，房东在外地，租户不愿代签",
    "认为应先解决楼上漏水纠纷再谈改造",
    "家中老人不同意施工期间的噪音安排",
)
UNREACHABLE_NOTES = (
    "多次上门无人，电话空号",
    "白天晚上均无人应门，已在门上留征询表",
    "房屋长期空置，联系不上产权人",
    "",
)
CONTACT_NOTES = (
    "已送达征询表，户主说和子女商量后再答复",
    "已讲解改造方案，户主要求再看一下施工图",
    "已电话联系，约定周末上门收表",
)

Role = CommunityRole.Role


def seed_surveys(stdout) -> None:
    community = CommunityPage.objects.filter(slug=COMMUNITY_SLUG).first()
    if community is None:
        stdout.write("改造意愿征询：未找到健康里小区，跳过。")
        return
    if WillingnessSurvey.objects.filter(community=community, title=SURVEY_TITLE).exists():
        return
    staff = role_users(community, Role.COMMUNITY_STAFF).order_by("pk").first()
    if staff is None:
        from portal.management.demo_discussions import _staff_account

        staff = _staff_account(community)
    today = timezone.localdate()
    opens_on = today - timedelta(days=12)
    survey = svc.survey_save_draft(
        actor=staff,
        community=community,
        title=SURVEY_TITLE,
        plan_summary=PLAN,
        management_model=MODEL,
        buildings=[],
        opens_on=opens_on,
        closes_on=today + timedelta(days=18),
    )
    survey = svc.survey_open(actor=staff, survey=survey, now=_at(opens_on, 9))
    rng = random.Random(SEED)
    answered_online = _online_answers(survey, rng, opens_on)
    for n, household in enumerate(survey.households.order_by("pk")):
        if household.pk in answered_online:
            continue
        _visit(staff, household, rng, opens_on, against=n % 7 == 3)
    counts = svc.live_counts(survey)
    stdout.write(
        f"改造意愿征询：{community.title} {counts['households']} 户，方案同意 {counts['plan_agree']} 户，"
        f"物业管理模式同意 {counts['model_agree']} 户。"
    )


def _at(day, hour, minute=0) -> datetime:
    return timezone.make_aware(datetime.combine(day, time(hour, minute)))


def _online_answers(survey, rng, opens_on) -> set[int]:
    """Residents with an account answer online for their household (most agree with both)."""
    done = set()
    for user in svc.residents_in_scope(survey).order_by("pk"):
        for household in svc.households_of(survey, user):
            if household.pk in done:
                continue
            model = "agree" if rng.random() < 0.75 else "disagree"
            svc.answer_online(
                user=user,
                survey=survey,
                household=household,
                plan_answer="agree",
                model_answer=model,
                now=_at(opens_on + timedelta(days=rng.randint(0, 4)), 20, rng.randint(0, 59)),
            )
            done.add(household.pk)
    return done


def _visit(staff, household, rng, opens_on, *, against: bool) -> None:
    """One household's door-to-door history; about 60% end with an answer. `against`: every seventh household
    asked disagrees with the plan, so the demo always shows some opposition."""
    day = opens_on + timedelta(days=rng.randint(1, 6))

    def record(outcome, plan="", model="", reason="", days=0):
        svc.record_contact(
            actor=staff,
            household=household,
            outcome=outcome,
            plan_answer=plan,
            model_answer=model,
            reason=reason,
            now=_at(day + timedelta(days=days), rng.randint(9, 19), rng.randint(0, 59)),
        )

    roll = rng.random()
    if roll < 0.62 or against:
        plan = "disagree" if against or rng.random() >= 0.9 else "agree"
        model = "agree" if rng.random() < 0.72 else "disagree"
        if rng.random() < 0.3:
            record("unreachable", reason=rng.choice(UNREACHABLE_NOTES))
            record("paper_form", plan, model, "补交纸质征询表", days=3)
        elif rng.random() < 0.5:
            record("paper_form", plan, model, "纸质征询表已签字回收")
        else:
            record("agreed", plan, model, "入户讲解后当面表态，已签字")
    elif roll < 0.72:
        record("contacted", reason=rng.choice(CONTACT_NOTES))
    elif roll < 0.82:
        record("refused", reason=rng.choice(REFUSAL_REASONS))
    elif roll < 0.92:
        record("unreachable", reason=rng.choice(UNREACHABLE_NOTES))
