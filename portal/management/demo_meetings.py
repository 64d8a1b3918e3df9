"""Demo meetings (G2): for every body of every demo community, two past meetings with published minutes,
signatures and resolutions, and one upcoming meeting with its notice published. Idempotent; run after the
bodies' seed (demo_bodies), through the meeting services, as the system (actor=None)."""

from datetime import datetime, time, timedelta

from django.utils import timezone

from governance.domain import meetings as rules
from governance.models import BodyPage, Minutes, MinutesSignature
from governance.services import meetings as svc
from home.models import CommunityPage

AGENDA = {
    BodyPage.Kind.OWNERS_COMMITTEE: (
        ("审议物业服务季度报告", "讨论楼道堆物清理方案"),
        ("审议维修资金使用申请（3号楼屋面防水）", "确定公共收益公示内容"),
    ),
    BodyPage.Kind.PROPERTY_MGMT_COMMITTEE: (
        ("审议临时物业服务方案", "讨论筹备业主大会"),
        ("审议公共区域保洁安排", "确定费用公示内容"),
    ),
    BodyPage.Kind.RESIDENTS_COMMITTEE_SELF_MGMT: (
        ("讨论自管小组分工", "审议保洁与门卫安排"),
        ("讨论停车秩序", "确定公示内容"),
    ),
    BodyPage.Kind.PARTY_BRANCH: (
        ("学习社区治理工作要求", "研究党员楼栋联系分工"),
        ("听取议事会工作情况", "研究老旧小区改造宣传动员"),
    ),
    BodyPage.Kind.DELIBERATION_COUNCIL: (
        ("协商加装电梯意见征集方式", "协商非机动车充电桩选址"),
        ("协商改造施工期间停车安排", "协商绿化调整方案"),
    ),
    BodyPage.Kind.OWNERS_ASSEMBLY: (("审议管理规约修订草案",), ("审议业委会年度工作报告",)),
}
UPCOMING_AGENDA = {
    BodyPage.Kind.OWNERS_ASSEMBLY: ("选举业主委员会委员", "表决改造项目实施方案"),
}
DEFAULT_UPCOMING_AGENDA = ("听取改造施工进度通报", "协商下一阶段工作安排")
MINUTES_TEXT = (
    "会议由{chair}主持，应到{seats}人，实到{present}人。"
    "与会人员围绕议程逐项讨论：{items}。会议形成的决议见下方决议编号。"
)


def _at(days_from_today: int, hour: int = 19) -> datetime:
    day = timezone.localdate() + timedelta(days=days_from_today)
    return timezone.make_aware(datetime.combine(day, time(hour, 0)))


def seed_meetings(stdout) -> None:
    for community in CommunityPage.objects.live().order_by("pk"):
        for body in BodyPage.objects.child_of(community).order_by("pk"):
            if body.kind == BodyPage.Kind.OWNERS_ASSEMBLY and not body.memberships.exists():
                continue  # the assembly is every owner; its meetings are for the voting issue
            _seed_body(body, stdout)


def _seed_body(body: BodyPage, stdout) -> None:
    past, later = AGENDA.get(body.kind, AGENDA[BodyPage.Kind.OWNERS_COMMITTEE])
    for number, (days, agenda) in enumerate(((-45, past), (-14, later)), start=1):
        meeting = svc.meeting_schedule(
            actor=None,
            body=body,
            title=f"{body.title}第{number}次会议",
            slug=f"meeting-{number}",
            starts_at=_at(days),
            place="社区党群服务中心二楼会议室",
            agenda=agenda,
        )
        _hold(meeting, body, stdout)
    upcoming_days = rules.notice_days_required(body.kind) + 5
    upcoming = svc.meeting_schedule(
        actor=None,
        body=body,
        title=f"{body.title}第3次会议",
        slug="meeting-3",
        starts_at=_at(upcoming_days),
        place="社区党群服务中心二楼会议室",
        agenda=UPCOMING_AGENDA.get(body.kind, DEFAULT_UPCOMING_AGENDA),
    )
    if upcoming.notice_published_at is None:
        svc.meeting_notice_publish(actor=None, meeting=upcoming)
    stdout.write(f"  会议：{body.title} 3 次")


def _hold(meeting, body, stdout) -> None:
    """Notice 16 days before, attendance, two resolutions, minutes signed by every attending member, published
    two days after the meeting."""
    if meeting.notice_published_at is None:
        svc.meeting_notice_publish(actor=None, meeting=meeting, now=meeting.starts_at - timedelta(days=16))
    members = list(svc.current_memberships(body, svc.meeting_date(meeting)))
    if not members:
        stdout.write(f"  会议：{body.title} 在 {svc.meeting_date(meeting)} 没有在任成员，跳过出席和纪要")
        return
    if not meeting.attendances.exists():
        for i, membership in enumerate(members):
            status = "on_leave" if i == len(members) - 1 and len(members) >= 5 else "present"
            svc.attendance_record(actor=None, meeting=meeting, membership=membership, status=status)
    present = svc.present_count(meeting)
    agenda = list(meeting.agenda_items.order_by("sort_order"))
    if not meeting.resolutions.exists():
        for i, item in enumerate(agenda):
            against = 1 if i == 1 and present > 2 else 0
            svc.resolution_record(
                actor=None,
                meeting=meeting,
                agenda_item=item,
                text=f"同意{item.title.removeprefix('审议').removeprefix('讨论')}相关安排。",
                votes_for=present - against,
                votes_against=against,
            )
    minutes = svc.minutes_of(meeting)
    if minutes is None:
        chair = members[0].person.full_name
        text = MINUTES_TEXT.format(
            chair=chair,
            seats=svc.seat_count_of(body, svc.meeting_date(meeting)),
            present=present,
            items="；".join(item.title for item in agenda),
        )
        minutes = svc.minutes_draft(actor=None, meeting=meeting, text=text)
    if minutes.status == Minutes.Status.DRAFT:
        svc.minutes_submit(actor=None, minutes=minutes)
    if minutes.status == Minutes.Status.CONFIRMING:
        for membership in svc.missing_signers(minutes):
            if membership.person.user_id:
                svc.minutes_sign(user=membership.person.user, minutes=minutes, decision="confirmed")
            else:
                svc.minutes_paper_signature_import(minutes=minutes, membership=membership, decision="confirmed")
        # The demo's meetings lie in the past, but rows are written now: date the signatures the day after the
        # meeting so that they do not read as given after publication.
        MinutesSignature.objects.filter(revision__minutes=minutes).update(
            signed_at=meeting.starts_at + timedelta(days=1)
        )
        svc.minutes_publish(actor=None, minutes=minutes, now=meeting.starts_at + timedelta(days=2))
