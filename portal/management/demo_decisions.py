"""Demo owners' votes (issue 5), built only through governance.services.decisions, dated in the past with `now=`.

- Every demo community gets its rules of procedure (V-20): parking spaces do not count toward voting area, except
  in 新华苑, whose owners decided they do; a ballot cannot be changed once cast; objections within 7 days.
- 向阳新村: a closed and final item-4 vote (续聘物业服务企业) that passed with about 3/4 of the owners and of the
  area taking part and about 4/5 of them agreeing, with its announcement, preliminary and final notices and one
  objection the committee answered; and an open item-8 vote (快递柜 on common ground), announced 8 days ago and
  closing in 10 days, about 2/5 of the owners have voted so far, 孙丽 (the demo owner) not yet, so a visitor can.
- 新华苑: an item-6 vote (续筹专项维修资金), counted 2 days ago and in its objection period, that passed on
  headcount but failed on area (V-04 needs both): the developer and the largest homes disagreed or abstained.

Owners with an account vote online (ballot_cast, as the elector's voter); the others are entered by the committee
or the community staff as assisted ballots, with a note of how the owner confirmed (ballot_enter). Who takes part
and how they vote comes from fixed random seeds over the electorate in its frozen order, so every run of a fresh
database gives the same result. Idempotent: a vote is found by its community and title, each step runs only when
the vote has not reached it yet, and an owner who has a ballot is not entered again.
"""

import random
from dataclasses import dataclass
from datetime import datetime, time, timedelta
from math import ceil

from django.contrib.auth import get_user_model
from django.utils import timezone

from governance.models import Ballot, Elector, OwnersDecision
from governance.services import decisions as svc
from governance.services.meetings import role_users
from home.models import CommunityPage, CommunityRole

Role = CommunityRole.Role
Status = OwnersDecision.Status
Matter = OwnersDecision.Matter
APPROVE, REJECT, ABSTAIN = Ballot.Choice.APPROVE, Ballot.Choice.REJECT, Ballot.Choice.ABSTAIN

SEED = 20261127
DEMO_COMMUNITY = "xiangyang-xincun"
FUND_COMMUNITY = "xinhua-yuan"
PARKING_COUNTS = {FUND_COMMUNITY}  # V-20: the communities whose rules count parking spaces toward voting area
DEMO_OWNER = "owner"  # 孙丽, 3号楼2单元301: has not voted in the open vote
OBJECTION_DAYS = 7

# How an assisted ballot was taken (A-10: the owner confirms, the helper is named in the audit entry).
ASSISTED_NOTES = {
    Role.COMMUNITY_STAFF: (
        "社区工作人员入户，业主口头确认并在纸质表上签字",
        "业主到社区党群服务中心现场表决，工作人员代为录入，业主签字确认",
    ),
    Role.OWNERS_COMMITTEE: (
        "业委会委员入户，业主口头确认并在纸质表上签字",
        "业主在小区表决点填写纸质表决票并签字，业委会委员代为录入",
    ),
}
DEVELOPER_NOTE = "开发建设单位委托代表到社区填写表决票并签字盖章，工作人员代为录入"


@dataclass(frozen=True)
class Plan:
    key: str
    title: str
    description: str
    matter: str
    questions: tuple[str, ...]
    announce: int  # days from today (negative: in the past)
    opens: int
    closes: int
    ballots_until: int  # the last ballot is cast this many days from today (before the close, before now)
    count: int | None = None
    finalize: int | None = None
    objection: tuple[str, str] | None = None  # (the demo owner's objection, the committee's answer)


PROPERTY_VOTE = Plan(
    key="property",
    title="续聘物业服务企业（2027—2029年）",
    description=(
        "小区现物业服务合同将于2026年12月31日到期。业委会在9月组织了物业服务满意度测评（回收问卷412份，"
        "满意和基本满意占81%），并与新乡市安馨物业服务有限公司协商了续聘条件：服务期限三年，物业费标准"
        "维持每月每平方米0.85元不变，增加夜间巡逻一次，电梯和二次供水设施维保记录每季度公示。"
        "续聘合同草案和测评结果已在各楼栋公示栏和业委会办公室公开，业主可查阅。"
    ),
    matter=Matter.MANAGER,
    questions=(
        "是否同意续聘新乡市安馨物业服务有限公司为向阳新村物业服务企业，服务期限三年"
        "（2027年1月1日至2029年12月31日），物业费标准维持每月每平方米0.85元？",
    ),
    announce=-75,
    opens=-74,
    closes=-55,
    ballots_until=-56,
    count=-54,
    finalize=-46,
    objection=(
        "我家在3号楼，楼里好几户说没收到纸质表决票。请业委会说明入户发放和回收的情况，并公布各楼栋的参与户数。",
        "经核查，3号楼2单元有4户在发放期间外出，已于表决期内由社区工作人员补发并入户收回，"
        "均已计入。各楼栋参与户数已在业委会办公室公示栏张贴，欢迎查阅。",
    ),
)
LOCKER_VOTE = Plan(
    key="lockers",
    title="利用小区共有场地设置智能快递柜",
    description=(
        "近年来小区快递量大，快递员在楼道口和路边分拣，堵塞通道，丢件时有发生。经议事会协商，"
        "业委会提出在小区东门内侧和北门绿化带旁的共有场地各设置一组智能快递柜（每组约6平方米），"
        "由快递柜运营企业出资安装和维护，每年向小区支付场地使用费6000元。"
        "设置位置示意图和合同草案在业委会办公室和各楼栋公示栏公开。"
    ),
    matter=Matter.COMMON_PARTS,
    questions=(
        "是否同意在小区东门内侧和北门绿化带旁的共有场地各设置一组智能快递柜？",
        "是否同意快递柜场地使用费（每年6000元）纳入小区公共收益，用于公共设施维修，按季度公示收支？",
    ),
    announce=-8,
    opens=-7,
    closes=10,
    ballots_until=-1,
)
FUND_VOTE = Plan(
    key="fund",
    title="续筹专项维修资金",
    description=(
        "小区专项维修资金账户余额已不足首期交存额的30%，按规定应当续筹。业委会提出的续筹方案："
        "按房屋建筑面积每平方米30元一次性续交，开发建设单位持有的未售和未交付房屋及车位同样交存；"
        "续筹资金存入小区专项维修资金账户，优先用于屋面防水和外墙维修。方案已在各楼栋公示。"
    ),
    matter=Matter.FUND_RAISING,
    questions=("是否同意按房屋建筑面积每平方米30元续筹专项维修资金？",),
    announce=-25,
    opens=-24,
    closes=-3,
    ballots_until=-4,
    count=-2,
)


def seed_decisions(stdout) -> None:
    communities = list(CommunityPage.objects.live().order_by("pk"))
    for community in communities:
        _rules(community)
    by_slug = {c.slug: c for c in communities}
    demo = by_slug.get(DEMO_COMMUNITY)
    if demo is not None:
        _seed_vote(demo, PROPERTY_VOTE, _property_choices, stdout)
        _seed_vote(demo, LOCKER_VOTE, _locker_choices, stdout, skip_usernames={DEMO_OWNER})
    fund = by_slug.get(FUND_COMMUNITY)
    if fund is not None:
        _seed_vote(fund, FUND_VOTE, _fund_choices, stdout)


# --- the rules of procedure (V-20) ------------------------------------------------------------------------------


def _convenors(community) -> list:
    """Who runs the community's votes: the committee's accounts first, then the community staff (A-10)."""
    committee = list(role_users(community, Role.OWNERS_COMMITTEE).order_by("pk"))
    staff = [u for u in role_users(community, Role.COMMUNITY_STAFF).order_by("pk") if u not in committee]
    return committee + staff


def _rules(community) -> None:
    if svc.rules_of(community).pk is not None:
        return
    convenors = _convenors(community)
    if not convenors:
        return
    svc.procedure_rules_set(
        actor=convenors[0],
        community=community,
        include_special_spaces_in_area=community.slug in PARKING_COUNTS,
        ballots_changeable=False,
        objection_days=OBJECTION_DAYS,
    )


# --- one vote, from draft to its last step --------------------------------------------------------------------


def _at(days_from_today: int, hour: int = 10, minute: int = 0) -> datetime:
    day = timezone.localdate() + timedelta(days=days_from_today)
    return timezone.make_aware(datetime.combine(day, time(hour, minute)))


def _seed_vote(community, plan: Plan, choose, stdout, skip_usernames=frozenset()) -> None:
    convenors = _convenors(community)
    if not convenors:
        stdout.write(f"  业主表决：{community.title} 没有业委会或社区工作人员账户，跳过")
        return
    chair = convenors[0]
    decision = (
        OwnersDecision.objects.filter(community=community, title=plan.title).exclude(status=Status.CANCELLED).first()
    )
    if decision is None:
        decision = svc.decision_save_draft(
            actor=chair,
            community=community,
            title=plan.title,
            description=plan.description,
            matter=plan.matter,
            opens_at=_at(plan.opens, 8),
            closes_at=_at(plan.closes, 20),
            questions=list(plan.questions),
        )
    if decision.status == Status.DRAFT:
        decision = svc.decision_announce(actor=chair, decision=decision, now=_at(plan.announce))
    added = 0
    if decision.status == Status.ANNOUNCED:
        added = _ballots(decision, plan, choose, convenors, skip_usernames)
    if decision.status == Status.ANNOUNCED and plan.count is not None:
        decision = svc.decision_count(actor=chair, decision=decision, now=_at(plan.count))
    if decision.status == Status.PRELIMINARY and plan.objection and not decision.objections.exists():
        _objection(decision, plan, chair)
    if decision.status == Status.PRELIMINARY and plan.finalize is not None:
        decision = svc.decision_finalize(actor=chair, decision=decision, now=_at(plan.finalize))
    stdout.write(
        f"  业主表决：{community.title}“{decision.title}”{decision.get_status_display()}，"
        f"本次新增 {added} 位业主的表决票"
    )


def _ballots(decision, plan: Plan, choose, convenors, skip_usernames) -> int:
    """The owners who take part, in the electorate's frozen order, their ballots spread over the voting days."""
    electors = list(Elector.objects.filter(decision=decision).select_related("voter__user").order_by("pk"))
    rng = random.Random(f"{SEED}-{plan.key}")
    choices = choose(electors, rng)  # {elector pk: [choice per question]} of those who take part
    voting = [e for e in electors if e.pk in choices and _username(e) not in skip_usernames]
    voted = set(Ballot.objects.filter(decision=decision).values_list("elector_id", flat=True))
    questions = list(decision.questions.order_by("position"))
    days = plan.ballots_until - plan.opens + 1
    committee = set(role_users(decision.community, Role.OWNERS_COMMITTEE).values_list("pk", flat=True))
    added = 0
    for i, elector in enumerate(voting):
        if elector.pk in voted:
            continue
        answers = {q.pk: choice for q, choice in zip(questions, choices[elector.pk], strict=True)}
        when = _ballot_time(plan.opens, days, i / len(voting))
        user = elector.voter.user if elector.voter_id and elector.voter.user_id else None
        if user is not None and svc.elector_for(decision, user)[0] == elector:
            svc.ballot_cast(user=user, decision=decision, answers=answers, now=when)
        else:
            actor = convenors[i % len(convenors)]
            note = (
                DEVELOPER_NOTE if elector.is_developer else _assisted_note(actor.pk in committee, i // len(convenors))
            )
            svc.ballot_enter(
                actor=actor,
                decision=decision,
                elector=elector,
                answers=answers,
                channel=Ballot.Channel.ASSISTED,
                note=note,
                now=when,
            )
        added += 1
    return added


def _ballot_time(first_day: int, days: int, share: float) -> datetime:
    """Ballots come in over the voting days, between 8:30 and 20:30 (the voting opens at 8:00)."""
    day, part = divmod(share * days, 1)
    return _at(first_day + int(day), 8, 30) + timedelta(minutes=int(part * 12 * 60))


def _username(elector) -> str:
    return elector.voter.user.username if elector.voter_id and elector.voter.user_id else ""


def _assisted_note(is_committee: bool, i: int) -> str:
    notes = ASSISTED_NOTES[Role.OWNERS_COMMITTEE if is_committee else Role.COMMUNITY_STAFF]
    return notes[i % len(notes)]


def _objection(decision, plan: Plan, chair) -> None:
    """The demo owner asks about the paper ballots of her building; the committee answers before finalising."""
    owner = get_user_model().objects.filter(username=DEMO_OWNER).first()
    if owner is None or svc.elector_for(decision, owner)[0] is None:
        return
    text, answer = plan.objection
    filed = decision.counted_at + timedelta(days=2, hours=9)
    objection = svc.objection_file(user=owner, decision=decision, text=text, now=filed)
    svc.objection_answer(actor=chair, objection=objection, answer=answer, now=filed + timedelta(days=1))


# --- who takes part and how they vote -------------------------------------------------------------------------


def _property_choices(electors, rng) -> dict:
    """About 3/4 of the owners take part, about 4/5 of them agree (art. 278 item 4: more than half of both)."""
    choices = {}
    for elector in electors:
        if rng.random() >= 0.75 and _username(elector) != DEMO_OWNER:
            continue
        draw = rng.random()
        choices[elector.pk] = [APPROVE if draw < 0.80 else (REJECT if draw < 0.92 else ABSTAIN)]
    return choices


def _locker_choices(electors, rng) -> dict:
    """About 2/5 have voted so far; most agree to both questions, some want the lockers but not the income rule."""
    choices = {}
    for elector in electors:
        if rng.random() >= 0.40:
            continue
        draw = rng.random()
        if draw < 0.72:
            choices[elector.pk] = [APPROVE, APPROVE]
        elif draw < 0.82:
            choices[elector.pk] = [APPROVE, REJECT]
        elif draw < 0.93:
            choices[elector.pk] = [REJECT, REJECT]
        else:
            choices[elector.pk] = [ABSTAIN, ABSTAIN]
    return choices


def _fund_choices(electors, rng) -> dict:
    """About 4/5 take part. A little over 3/4 of them agree, the smaller homes; the developer (who would pay for
    its unsold units) and the largest homes disagree or abstain, so the vote passes by owners and fails by area."""
    taking_part = [e for e in electors if e.is_developer or rng.random() < 0.82]
    approvers = ceil(len(taking_part) * 0.78)
    largest_first = sorted(taking_part, key=lambda e: (-e.area, e.pk))
    choices = {}
    for rank, elector in enumerate(largest_first):
        if rank >= len(taking_part) - approvers:
            choices[elector.pk] = [APPROVE]
        else:
            choices[elector.pk] = [ABSTAIN if rank % 3 == 2 else REJECT]
    return choices
