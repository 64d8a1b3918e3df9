"""Demo bodies (G1): for every demo community a party branch, a deliberation council and an owners' committee
— or, where there is no property management at all, self-management through the residents' committee, and for
the community under bundled street management an interim property-management committee (C-15) — each with
members from the community's owners, through governance.services.bodies as the system (actor=None).

Idempotent: a body of a kind is created once, a person seated once. The demo accounts of 向阳新村 hold the seats
their roles describe (committee 王桂芳, party branch 张建华, council 刘志强). One community's committee is below
half strength (re-election due, C-10) and one committee's term ends within three months (C-11).
"""

from datetime import date

from django.contrib.auth import get_user_model
from django.utils import timezone

from governance.domain.committee import add_months
from governance.models import BodyPage, Membership
from governance.services import bodies as services
from home.models import CommunityPage, Unit
from home.services import registry

Kind = BodyPage.Kind
Position = Membership.Position

DEMO_COMMUNITY = "xiangyang"
INTERIM_COMMUNITY = "tielu"
REELECTION_COMMUNITY = "renminxi"
TERM_ENDING_COMMUNITY = "pingyuan"

# Residents'-committee staff who sit on the interim committee or run self-management; not owners.
RESIDENTS_COMMITTEE_PEOPLE = (("陈玉梅", "+8613700000101"), ("杨帆", "+8613700000102"), ("马丽娟", "+8613700000103"))


def seed_bodies(stdout) -> None:
    today = timezone.localdate()
    for community in CommunityPage.objects.live().order_by("pk"):
        owners = _owners(community)
        if len(owners) < 15:
            stdout.write(f"  {community.title}: too few owners in the register for demo bodies, skipped\n")
            continue
        accounts = _demo_accounts() if _is(community, DEMO_COMMUNITY) else {}
        _party_branch(community, owners[0:3], accounts.get("party"))
        _council(community, owners[3:8], accounts.get("council"))
        _committee(community, owners[8:], accounts.get("committee"), today)
        stdout.write(f"  {community.title}: bodies and members in place\n")


def _is(community: CommunityPage, key: str) -> bool:
    """Demo communities are recognised by the slug the city plan gives them (demo_city.COMMUNITIES)."""
    from portal.management.demo_city import COMMUNITIES

    slugs = {row[0]: row[2] for row in COMMUNITIES}
    return community.slug == slugs.get(key)


def _owners(community: CommunityPage):
    from home.models import Person

    ids = services.owner_person_ids(community)
    return list(Person.objects.filter(pk__in=ids).order_by("pk"))


def _demo_accounts() -> dict:
    """The registry person of each demo role account, linked to the account (created if missing)."""
    User = get_user_model()
    people = {}
    for username in ("committee", "party", "council"):
        user = User.objects.filter(username=username).first()
        if user is None:
            continue
        person = getattr(user, "person", None) or registry.person_ensure(
            actor=None, full_name=user.full_name, phone=user.phone, user=user
        )
        people[username] = person
    return people


def _body(community, kind, title, *, term_start=None, term_end=None, seat_count=None, intro="") -> BodyPage:
    existing = BodyPage.objects.child_of(community).filter(kind=kind).first()
    if existing is not None:
        return existing
    return services.body_create(
        actor=None,
        community=community,
        kind=kind,
        title=title,
        term_start=term_start,
        term_end=term_end,
        seat_count=seat_count,
        intro=intro,
    )


def _seat(body: BodyPage, person, position=Position.MEMBER) -> None:
    if Membership.objects.filter(body=body, person=person, ended_on__isnull=True).exists():
        return
    services.membership_add(actor=None, body=body, person=person, position=position)


def _party_branch(community, owners, account_person) -> None:
    body = _body(
        community,
        Kind.PARTY_BRANCH,
        f"{community.title}党支部",
        term_start=date(2024, 7, 1),
        term_end=date(2029, 7, 1),
        intro="<p>小区党支部在社区党委领导下开展工作，协调居委会、业委会和物业服务企业共同做好小区治理。</p>",
    )
    people = [account_person, *owners[:2]] if account_person else owners[:3]
    for index, person in enumerate(people):
        _seat(body, person, Position.SECRETARY if index == 0 else Position.MEMBER)


def _council(community, owners, account_person) -> None:
    body = _body(
        community,
        Kind.DELIBERATION_COUNCIL,
        f"{community.title}居民议事会",
        term_start=date(2025, 1, 1),
        term_end=date(2028, 1, 1),
        seat_count=5,
        intro="<p>议事会由居民推选产生，就小区公共事务开展协商，协商结果向全体居民公示。</p>",
    )
    people = [account_person, *owners[:4]] if account_person else owners[:5]
    for index, person in enumerate(people):
        _seat(body, person, Position.CONVENOR if index == 0 else Position.MEMBER)


def _residents_committee_people():
    return [
        registry.person_ensure(actor=None, full_name=name, phone=phone) for name, phone in RESIDENTS_COMMITTEE_PEOPLE
    ]


def _committee(community, owners, account_person, today) -> None:
    if community.management_mode == CommunityPage.ManagementMode.NONE:
        body = _body(
            community,
            Kind.RESIDENTS_COMMITTEE_SELF_MGMT,
            f"{community.title}居委会自治管理小组",
            term_start=date(2025, 3, 1),
            term_end=date(2028, 3, 1),
            seat_count=5,
            intro="<p>小区暂无物业服务企业，由社区居委会组织业主自治管理（C-15）。</p>",
        )
        staff = _residents_committee_people()
        for index, person in enumerate([staff[0], *owners[:4]]):
            _seat(body, person, Position.CONVENOR if index == 0 else Position.MEMBER)
        return
    if _is(community, INTERIM_COMMUNITY):
        body = _body(
            community,
            Kind.PROPERTY_MGMT_COMMITTEE,
            f"{community.title}物业管理委员会",
            term_start=date(2025, 6, 1),
            term_end=date(2027, 6, 1),
            seat_count=7,
            intro="<p>业主大会成立前，由街道组织居委会和业主代表组成物业管理委员会，临时代行业主委员会职责（C-15）。</p>",
        )
        for index, person in enumerate(owners[:4]):
            _seat(body, person, Position.CHAIR if index == 0 else Position.MEMBER)
        for person in _residents_committee_people():
            _seat(body, person)
        return
    if _is(community, TERM_ENDING_COMMUNITY):
        term_end = today.replace(day=1) if today.day > 1 else today
        term_end = add_months(term_end, 2)
        term_start = add_months(term_end, -60)
    else:
        term_start, term_end = date(2024, 4, 1), date(2029, 4, 1)
    _body(community, Kind.OWNERS_ASSEMBLY, f"{community.title}业主大会", intro="<p>业主大会由小区全体业主组成。</p>")
    body = _body(
        community,
        Kind.OWNERS_COMMITTEE,
        f"{community.title}业主委员会",
        term_start=term_start,
        term_end=term_end,
        seat_count=7,
        intro="<p>业主委员会由业主大会选举产生，执行业主大会决定，接受业主监督。</p>",
    )
    members = owners[:3] if _is(community, REELECTION_COMMUNITY) else owners[:7]
    if account_person is not None:
        _make_owner(community, account_person)
        members = [account_person, *members[:6]]
    positions = [Position.CHAIR, Position.VICE_CHAIR]
    for index, person in enumerate(members):
        _seat(body, person, positions[index] if index < len(positions) else Position.MEMBER)


def _make_owner(community, person) -> None:
    """The demo committee account must be an owner to sit on the committee (C-01): a co-owner of one home."""
    if services.is_owner_in(person, community):
        return
    unit = (
        Unit.objects.filter(entrance__building__community=community, kind=Unit.Kind.RESIDENCE)
        .order_by("entrance__building__sort_order", "entrance__sort_order", "room")
        .first()
    )
    registry.ownership_add(actor=None, unit=unit, person=person)
