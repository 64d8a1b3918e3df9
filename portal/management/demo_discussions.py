"""Demo 议事厅 (issue 4): in every demo community three lively topics — parking spaces, a lift for one
building (支持 / 反对 / 中立 stances), a question about fees — written through the discussion writers by
residents with accounts. In 向阳新村 the committee also hides one post (reason in the audit log), one post
stays reported for the committee's queue, the lift topic is pinned and the parking topic is put on the agenda
of the owners' committee's next meeting, whose notice is not yet out.

Who speaks: in 向阳新村 the demo accounts (孙丽, 周磊, 刘志强, 张建华; 王桂芳 for the committee, 陈伟 for the
property company). Elsewhere nobody had an account, so each community gets four registered owners with an
account (their claims verified through home.services.claims) and a community-staff account that verifies them
and answers for the community (C-15).

Deterministic and idempotent: a topic is written once, with all its replies; accounts are found by username.
Posts are dated over the past days (`now=`), oldest first, so the posting rate limit is never hit.
"""

from dataclasses import dataclass, field
from datetime import datetime, time, timedelta

from allauth.account.models import EmailAddress
from django.contrib.auth import get_user_model
from django.utils import timezone

from governance.domain import meetings as meeting_rules
from governance.models import BodyPage, Post, PostReport, Topic
from governance.services import discussions as svc
from governance.services import meetings as meeting_svc
from home.models import Building, CommunityPage, CommunityRole, Person, Residency, Unit
from home.services import claims
from home.services.roles import role_grant

Role = CommunityRole.Role
Mode = CommunityPage.ManagementMode

DEMO_COMMUNITY_SLUG = "xiangyang-xincun"
# Staff of the community (社区工作人员) for the communities without demo accounts: name and phone.
STAFF = {
    "tielu-xincun": ("韩静", "+8613700000301"),
    "jiankangli": ("郭振华", "+8613700000302"),
    "pingyuan-lu": ("宋晓燕", "+8613700000303"),
    "renmin-xilu": ("冯涛", "+8613700000304"),
    "xinhua-yuan": ("何丽萍", "+8613700000305"),
    "hepinglu-jiwuduan": ("许文斌", "+8613700000306"),
    "tiexi-liangzhan": ("曹玉兰", "+8613700000307"),
}
RESIDENT_ACCOUNTS = 4
AGENDA_MEETING_SLUG = "meeting-4"


@dataclass
class Line:
    """One post of a topic's script: who says it, when (minutes after the topic opened), and what."""

    voice: str
    minutes: int
    body: str
    stance: str = ""
    reply_to: int | None = None  # index of an earlier line (a top-level post) in the same script
    show_as: str = ""  # "name" to sign with the real name; default: the first option ("3号楼住户")
    report: tuple[str, str, str] | None = None  # (reporter voice, reason, note)
    hide: str = ""  # the committee hides the post with this reason


@dataclass
class Script:
    key: str
    title: str
    kind: str
    days_ago: int
    lines: list[Line] = field(default_factory=list)
    building: Building | None = None


def seed_discussions(stdout) -> None:
    for community in CommunityPage.objects.live().order_by("pk"):
        cast = _cast(community)
        if cast is None:
            stdout.write(f"  议事厅：{community.title} 没有可发言的账户，跳过")
            continue
        demo = community.slug == DEMO_COMMUNITY_SLUG
        written = 0
        topics = {}
        for script in _scripts(community, demo):
            topic, created = _topic_ensure(community, script, cast)
            topics[script.key] = topic
            written += created
        if demo:
            _committee_work(community, topics, cast)
        stdout.write(f"  议事厅：{community.title} 新建话题 {written} 个")


# ---------------------------------------------------------------- who speaks


def _cast(community) -> dict | None:
    """Voices v1…v4 (residents), `mod` (moderates and answers for the community) and `answer` (who answers
    questions about fees)."""
    User = get_user_model()
    if community.slug == DEMO_COMMUNITY_SLUG:
        users = {u.username: u for u in User.objects.filter(username__in=_DEMO_VOICES.values())}
        if len(users) < len(set(_DEMO_VOICES.values())):
            return None
        return {voice: users[username] for voice, username in _DEMO_VOICES.items()}
    if community.slug not in STAFF:
        return None
    staff = _staff_account(community)
    residents = _resident_accounts(community, staff)
    if len(residents) < RESIDENT_ACCOUNTS:
        return None
    cast = {f"v{i}": user for i, user in enumerate(residents, start=1)}
    cast["mod"] = cast["answer"] = staff
    return cast


_DEMO_VOICES = {
    "v1": "owner",
    "v2": "tenant",
    "v3": "council",
    "v4": "party",
    "mod": "committee",
    "answer": "property",
}


def _account(username, full_name, phone):
    User = get_user_model()
    user = User.objects.filter(username=username).first()
    if user is None:
        from portal.management.demo_city import DEMO_PASSWORD

        user = User(username=username, full_name=full_name, phone=phone, phone_verified=True)
        user.email = f"{username}@example.com"
        user.set_password(DEMO_PASSWORD)
        user.save()
    EmailAddress.objects.get_or_create(user=user, email=user.email, defaults={"verified": True, "primary": True})
    return user


def _staff_account(community):
    name, phone = STAFF[community.slug]
    user = _account(f"{community.slug}-staff", name, phone)
    role_grant(user, community, Role.COMMUNITY_STAFF)
    return user


def _resident_accounts(community, verifier) -> list:
    """Four registered owners of the community who log in; their claims verified by the community staff."""
    User = get_user_model()
    accounts = []
    taken = set(User.objects.exclude(phone__isnull=True).values_list("phone", flat=True))
    candidates = (
        Person.objects.filter(
            ownerships__unit__entrance__building__community=community,
            ownerships__ended_on__isnull=True,
            user__isnull=True,
            is_developer=False,
            memberships__isnull=True,
        )
        .exclude(phone="")
        .distinct()
        .order_by("pk")
    )
    candidates = iter(candidates[20:80])
    for n in range(1, RESIDENT_ACCOUNTS + 1):
        username = f"{community.slug}-jumin{n}"
        user = User.objects.filter(username=username).first()
        if user is None:
            person = next((p for p in candidates if p.phone not in taken), None)
            if person is None:
                break
            user = _account(username, person.full_name, person.phone)
            unit = (
                Unit.objects.filter(ownerships__person=person, ownerships__ended_on__isnull=True).order_by("pk").first()
            )
            claim = claims.unit_claim_submit(
                user=user,
                unit=unit,
                relation=Residency.Relation.OWNER,
                claimant_name=person.full_name,
                evidence_note="不动产权证复印件已交社区核对",
            )
            claims.unit_claim_verify(actor=verifier, claim=claim)
        accounts.append(user)
    return accounts


# ---------------------------------------------------------------- the topics


def _scripts(community, demo: bool) -> list[Script]:
    buildings = list(Building.objects.filter(community=community).order_by("sort_order", "name"))
    lift_building = next((b for b in buildings if b.name == "3号楼"), buildings[0] if buildings else None)
    return [_parking(demo), _lift(lift_building, demo), _fees(community, demo)]


def _parking(demo: bool) -> Script:
    lines = [
        Line(
            "v1",
            0,
            "小区里晚上车越停越乱，消防通道经常被堵。建议把东侧围墙边的空地划成15个车位，按楼栋轮流抽签，"
            "收取的停车费纳入小区公共收益，定期公示。大家看看这个方案行不行？",
        ),
        Line(
            "v2",
            35,
            "支持。每天晚上九点以后回来根本找不到车位，只能停到外面路边，还被贴过罚单。划线之后至少能停得整齐。",
            stance=Post.Stance.SUPPORT,
        ),
        Line(
            "v3",
            80,
            "反对在东侧划线。那片空地是老人早上锻炼、孩子放学玩的地方，划成车位就没有活动场地了。"
            "能不能和隔壁单位商量错时停车，晚上借用他们的停车场？",
            stance=Post.Stance.OPPOSE,
        ),
        Line(
            "v1",
            110,
            "错时停车是个好办法，不过隔壁单位早上七点半就要用车位，咱们得早起挪车，能接受吗？",
            reply_to=2,
        ),
        Line(
            "v3",
            140,
            "早上七点前挪车我没问题。可以先试行三个月，看看效果再说。",
            reply_to=2,
        ),
        Line(
            "v4",
            200,
            "中立。划不划线我都可以接受，关键是收费标准和抽签办法要先公示，别让少数人长期占着好位置。",
            stance=Post.Stance.NEUTRAL,
        ),
    ]
    if demo:
        lines.append(
            Line(
                "v2",
                260,
                "3号楼那辆白色越野车，车牌豫G·7K3××，天天横在消防通道上，车主就住3号楼2单元，大家直接去他家敲门问问！",
                report=("v4", PostReport.Reason.PRIVACY, "公开了他人车牌和住址"),
                hide="含有他人车牌号和住址等个人信息，依议事规则隐藏；占用消防通道的问题已转物业处理。",
            )
        )
        lines.append(
            Line(
                "mod",
                24 * 60,
                "感谢大家的意见。业委会已把停车方案列入下次会议议程，会上一并研究错时停车和收费公示办法，"
                "会前欢迎继续留言。",
                show_as="name",
            )
        )
    return Script("parking", "东侧空地划线增加车位，大家怎么看？", Topic.Kind.PROPOSAL, 9, lines)


def _lift(building, demo: bool) -> Script:
    where = building.name if building else "我们楼"
    lines = [
        Line(
            "v1",
            0,
            f"{where}住着不少七八十岁的老人，上下楼太难了。市里有既有住宅加装电梯的补贴政策，"
            "政府补贴一部分，其余按楼层高低分摊。先征集一下大家的意愿：支持、反对还是中立？",
        ),
        Line(
            "v3",
            25,
            "支持！我家住六楼，老母亲腿脚不好，一个多月没下过楼了。按楼层分摊多出一些我也愿意。",
            stance=Post.Stance.SUPPORT,
        ),
        Line(
            "v2",
            60,
            "我住一楼，先说反对。电梯井贴着我家窗户，采光和噪音都受影响，一楼又用不上电梯，"
            "以后还要分摊维保费，不太公平。",
            stance=Post.Stance.OPPOSE,
        ),
        Line(
            "v1",
            95,
            "一楼不用出建设费，方案里也可以给一楼适当补偿。还可以请设计单位把井道往外挪一点，减少遮光。",
            reply_to=2,
        ),
        Line(
            "v2",
            130,
            "如果有补偿，设计上也能保证采光，我可以再考虑。希望先看到设计图。",
            reply_to=2,
        ),
        Line(
            "v4",
            180,
            "中立。我住三楼，装不装都行。主要想知道以后的维保费怎么分摊、由谁来管，这个要先说清楚。",
            stance=Post.Stance.NEUTRAL,
        ),
        Line(
            "mod",
            26 * 60,
            "已向街道了解政策：补贴标准和需要多少业主同意，以街道公布的加装电梯办法为准。"
            "这里的支持、反对只是征求意见，不是正式表决；条件成熟后会依法组织本单元业主表决。",
            show_as="name",
        ),
    ]
    if demo:
        lines.insert(
            6,
            Line("v4", 240, "补充一句：能不能请做过加装电梯的小区来介绍一下经验？", reply_to=5),
        )
    script = Script("lift", f"{where}加装电梯意愿征集", Topic.Kind.PROPOSAL, 6, lines)
    script.building = building
    return script


def _fees(community, demo: bool) -> Script:
    if community.management_mode == Mode.NONE:
        title = "没有物业，楼道保洁费该怎么收？"
        opening = (
            "咱们小区一直没有物业，楼道靠几位热心邻居轮流打扫。有人提议每户每月交10元请保洁员，"
            "想问问：钱交给谁、怎么记账、多久公示一次？"
        )
        answer = "社区可以协助成立自管小组，收支每季度在公告栏和平台上公示，具体办法请大家一起商量。"
    elif community.management_mode == Mode.SELF_MANAGED:
        title = "自管小组收的保洁费，明细能公示吗？"
        opening = "去年每户交了120元保洁费，一直没看到支出明细。想问问自管小组：钱都用在哪儿了，能不能按季度公示？"
        answer = "自管小组的收支明细已经整理好，本周内在公告栏和平台上公示，欢迎大家查看和提意见。"
    else:
        title = "物业费要从每平米0.80元涨到1.20元，依据是什么？"
        opening = (
            "收到通知说明年起物业费从每月每平米0.80元涨到1.20元，涨幅50%。想问一下：涨价的依据是什么？"
            "服务内容会增加吗？有没有成本测算可以看？"
        )
        answer = (
            "您好，调价目前只是物业服务企业提出的建议，要经业主共同决定才能执行。成本测算表会在公告栏和平台上公示，"
            "主要是人工成本和电梯、消防维保费用上涨。"
        )
    lines = [
        Line("v4", 0, opening),
        Line("v1", 40, "同问。这几年保洁和绿化明显不如以前，突然要多交钱，很难接受。"),
        Line("answer", 150, answer, show_as="name"),
        Line("v4", 190, "那请尽快公示，我们看完再表态。", reply_to=2),
    ]
    if demo:
        lines.append(
            Line(
                "v2",
                200,
                "物业就知道收钱，大家干脆都别交了，看他们能怎么样！",
                report=("v3", PostReport.Reason.OTHER, "号召大家拒交物业费，不利于理性讨论"),
            )
        )
    return Script("fees", title, Topic.Kind.DISCUSSION, 3, lines)


def _opened_at(days_ago: int) -> datetime:
    day = timezone.localdate() - timedelta(days=days_ago)
    return timezone.make_aware(datetime.combine(day, time(19, 30)))


def _topic_ensure(community, script: Script, cast) -> tuple[Topic, bool]:
    existing = Topic.objects.filter(community=community, title=script.title).first()
    if existing is not None:
        return existing, False
    start = _opened_at(script.days_ago)
    first, *rest = script.lines
    topic = svc.topic_open(
        actor=cast[first.voice],
        community=community,
        title=script.title,
        body=first.body,
        kind=script.kind,
        building=script.building,
        show_as=first.show_as,
        now=start,
    )
    posts: dict[int, Post] = {}
    for index, line in enumerate(rest, start=1):
        at = start + timedelta(minutes=line.minutes)
        post = svc.post_reply(
            actor=cast[line.voice],
            topic=topic,
            body=line.body,
            parent=posts.get(line.reply_to) if line.reply_to else None,
            stance=line.stance if script.kind == Topic.Kind.PROPOSAL else "",
            show_as=line.show_as,
            now=at,
        )
        posts[index] = post
        if line.report:
            reporter, reason, note = line.report
            svc.post_report(actor=cast[reporter], post=post, reason=reason, note=note, now=at + timedelta(minutes=20))
        if line.hide:
            svc.post_hide(actor=cast["mod"], post=post, reason=line.hide, now=at + timedelta(hours=2))
    return topic, True


# ---------------------------------------------------------------- the committee's part in 向阳新村


def _committee_work(community, topics, cast) -> None:
    committee = cast["mod"]
    svc.topic_pin_set(actor=committee, topic=topics["lift"], pinned=True)
    parking = topics["parking"]
    if parking.agenda_item_id:
        return
    body = BodyPage.objects.child_of(community).filter(kind=BodyPage.Kind.OWNERS_COMMITTEE).first()
    if body is None:
        return
    days = meeting_rules.notice_days_required(body.kind) + 12
    day = timezone.localdate() + timedelta(days=days)
    meeting = meeting_svc.meeting_schedule(
        actor=None,
        body=body,
        title=f"{body.title}第4次会议",
        slug=AGENDA_MEETING_SLUG,
        starts_at=timezone.make_aware(datetime.combine(day, time(19, 0))),
        place="社区党群服务中心二楼会议室",
        agenda=("审议公共区域照明改造方案",),
    )
    meeting.refresh_from_db()  # the scheduled page object still holds its pre-publication flags
    svc.topic_to_agenda_item(actor=committee, topic=parking, meeting=meeting)
