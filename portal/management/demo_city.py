"""The demo city as plain values: what `manage.py seed_demo` builds, planned without touching the database.

Everything comes from one `random.Random(SEED)`, so the plan is the same on every run and the seed can
apply it idempotently. All people, numbers and communities are fictitious; the city's districts and
streets are borrowed from Xinxiang so that the demo reads like the real thing.
"""

import random
from dataclasses import dataclass, field, replace
from decimal import Decimal

from home.domain.identity import id_number_check_char

SEED = 20261127
DEMO_PASSWORD = "gongzhi-demo-2026"
CENT = Decimal("0.01")


@dataclass(frozen=True)
class PersonSpec:
    full_name: str
    phone: str = ""
    id_number: str = ""
    is_developer: bool = False


@dataclass(frozen=True)
class OwnerSpec:
    person: PersonSpec
    owner_status: str = "registered"
    is_designated_voter: bool = False


@dataclass(frozen=True)
class UnitSpec:
    room: str
    kind: str = "residence"
    registered_area: Decimal | None = None
    surveyed_area: Decimal | None = None
    contract_area: Decimal | None = None
    delivered: bool = True
    owners: tuple[OwnerSpec, ...] = ()


@dataclass(frozen=True)
class EntranceSpec:
    name: str
    sort_order: int
    units: tuple[UnitSpec, ...]


@dataclass(frozen=True)
class BuildingSpec:
    name: str
    sort_order: int
    floors: int | None
    entrances: tuple[EntranceSpec, ...]


@dataclass(frozen=True)
class CommunitySpec:
    key: str
    title: str
    slug: str
    district: str
    sub_district: str
    address: str
    year_built: int
    management_mode: str
    renovation_status: str
    intro: str
    is_sgyy_compound: bool = False
    former_property_unit: str = ""
    buildings: tuple[BuildingSpec, ...] = ()

    @property
    def unit_count(self) -> int:
        return sum(len(e.units) for b in self.buildings for e in b.entrances)


@dataclass(frozen=True)
class ClaimSpec:
    """A demo account's claim to a unit; `verified` claims are verified by the community's committee member."""

    community: str
    building: str
    entrance: str
    room: str
    relation: str
    verified: bool
    evidence_note: str = ""


@dataclass(frozen=True)
class AccountSpec:
    username: str
    full_name: str
    phone: str  # E.164, the login of allauth's phone method
    email: str
    label: str  # what the README and the summary call this account
    community: str | None = None  # key of the community the roles are in
    roles: tuple[str, ...] = ()
    bureau: bool = False
    superuser: bool = False
    claim: ClaimSpec | None = None
    id_number: str = ""


@dataclass(frozen=True)
class City:
    name: str
    districts: tuple[tuple[str, str, tuple[str, ...]], ...]  # (name, administrative code, sub-districts)
    communities: tuple[CommunitySpec, ...]
    accounts: tuple[AccountSpec, ...]
    home_intro: str
    community_index_intro: str
    policy_index_intro: str

    def community(self, key: str) -> CommunitySpec:
        return next(c for c in self.communities if c.key == key)


DISTRICTS = (
    ("卫滨区", "410703", ("铁西街道", "胜利路街道")),
    ("红旗区", "410702", ("向阳街道", "西街街道")),
)
DISTRICT_CODES = {name: code for name, code, _ in DISTRICTS}

SURNAMES = (
    "王李张刘陈杨赵黄周吴徐孙胡朱高林何郭马罗梁宋郑谢韩唐冯于董程曹袁邓许傅沈曾彭吕苏卢蒋蔡贾丁魏薛叶阎余潘杜"
    "戴夏钟汪田任姜范方石姚谭廖邹熊金陆郝孔白崔康毛邱秦江史顾侯邵孟龙万段雷钱汤尹黎易常武乔贺赖龚文牛申"
)
MALE_GIVEN = "建国建军建华国强国庆志强志刚志勇文明卫东红军振华海涛晓东立新永刚德胜长江明亮宏伟俊杰浩然子轩宇航"
FEMALE_GIVEN = "秀兰桂英玉兰淑珍凤英秀英丽华红梅春燕海燕晓燕丽娟慧敏雪梅玉梅桂芳美玲静怡欣怡雨涵梓涵思琪佳琪"
DEVELOPER = PersonSpec(full_name="新乡市华新置业有限公司", is_developer=True)


class _PeopleFactory:
    """Fictitious but well-formed people: a Chinese name, a 139 mobile number, a valid-checksum ID number."""

    def __init__(self, rng: random.Random):
        self.rng = rng
        self.phones: set[str] = set()
        self.id_numbers: set[str] = set()

    def _given(self, male: bool) -> str:
        pool = MALE_GIVEN if male else FEMALE_GIVEN
        start = self.rng.randrange(0, len(pool), 2)
        given = pool[start : start + 2]
        return given if self.rng.random() < 0.8 else given[0]

    def _phone(self) -> str:
        while True:
            # 139 1xxx xxxx: the 13900000xxx block is left to the demo accounts.
            phone = f"1391{self.rng.randrange(10**7):07d}"
            if phone not in self.phones:
                self.phones.add(phone)
                return phone

    def _id_number(self, district_code: str, birth_year: int, male: bool) -> str:
        while True:
            month, day = self.rng.randint(1, 12), self.rng.randint(1, 28)
            sequence = self.rng.randrange(0, 500) * 2 + (1 if male else 0)  # odd 17th digit: male
            first17 = f"{district_code}{birth_year:04d}{month:02d}{day:02d}{sequence:03d}"
            value = first17 + id_number_check_char(first17)
            if value not in self.id_numbers:
                self.id_numbers.add(value)
                return value

    def person(self, district_code: str, *, male: bool | None = None, birth_years=(1940, 1995)) -> PersonSpec:
        male = self.rng.random() < 0.5 if male is None else male
        birth_year = self.rng.randint(*birth_years)
        return PersonSpec(
            full_name=self.rng.choice(SURNAMES) + self._given(male),
            phone=self._phone(),
            id_number=self._id_number(district_code, birth_year, male),
        )


@dataclass
class _Layout:
    """How a community's buildings, areas and owners are drawn."""

    buildings: int
    entrances: int
    floors: int
    per_floor: int
    area_range: tuple[int, int]
    surveyed_only_share: float = 0.03
    contract_only_share: float = 0.02
    couple_share: float = 0.25
    multi_unit_share: float = 0.0
    parking: int = 0
    developer_unsold: int = 0
    developer_undelivered: int = 0
    birth_years: tuple[int, int] = (1940, 1995)
    parking_building: str = "地下车库"
    extra: dict = field(default_factory=dict)


def _area(rng: random.Random, low: int, high: int) -> Decimal:
    return (Decimal(rng.randint(low * 100, high * 100)) / 100).quantize(CENT)


class _CityBuilder:
    def __init__(self, seed: int):
        self.rng = random.Random(seed)
        self.people = _PeopleFactory(self.rng)

    def owners_for(self, district_code: str, layout: _Layout, previous: list[PersonSpec], status: str):
        rng = self.rng
        if previous and rng.random() < layout.multi_unit_share:
            # V-18: one buyer of several exclusive parts still counts as one owner.
            return (OwnerSpec(rng.choice(previous), status, True),)
        first = self.people.person(district_code, birth_years=layout.birth_years)
        previous.append(first)
        if rng.random() >= layout.couple_share:
            return (OwnerSpec(first, status, True),)
        # V-19: co-owners name one of them to vote.
        spouse = self.people.person(district_code, birth_years=layout.birth_years)
        voter = rng.randrange(2)
        return (OwnerSpec(first, status, voter == 0), OwnerSpec(spouse, status, voter == 1))

    def residence(self, room: str, district_code: str, layout: _Layout, previous: list[PersonSpec]) -> UnitSpec:
        rng = self.rng
        area = _area(rng, *layout.area_range)
        draw = rng.random()
        if draw < layout.surveyed_only_share:
            # V-16: never registered, so the surveyed area counts; V-21: owner in possession, not yet registered.
            return UnitSpec(
                room,
                surveyed_area=area,
                owners=self.owners_for(district_code, layout, previous, "possession_pending_registration"),
            )
        if draw < layout.surveyed_only_share + layout.contract_only_share:
            return UnitSpec(
                room,
                contract_area=area,
                owners=self.owners_for(district_code, layout, previous, "possession_pending_registration"),
            )
        surveyed = (area + _area(rng, 0, 2) - Decimal("1.00")).quantize(CENT) if rng.random() < 0.2 else None
        return UnitSpec(
            room,
            registered_area=area,
            surveyed_area=surveyed,
            owners=self.owners_for(district_code, layout, previous, "registered"),
        )

    def buildings(self, district_code: str, layout: _Layout) -> tuple[BuildingSpec, ...]:
        previous: list[PersonSpec] = []
        buildings = []
        for b in range(1, layout.buildings + 1):
            entrances = []
            for e in range(1, layout.entrances + 1):
                units = [
                    self.residence(f"{floor}{n:02d}", district_code, layout, previous)
                    for floor in range(1, layout.floors + 1)
                    for n in range(1, layout.per_floor + 1)
                ]
                entrances.append(EntranceSpec(f"{e}单元", e, tuple(units)))
            buildings.append(BuildingSpec(f"{b}号楼", b, layout.floors, tuple(entrances)))
        buildings = self._developer_retained(buildings, layout)
        if layout.parking:
            buildings.append(self._parking(layout, previous, sort_order=len(buildings) + 1))
        return tuple(buildings)

    def _developer_retained(self, buildings: list[BuildingSpec], layout: _Layout) -> list[BuildingSpec]:
        """V-18, V-21: unsold units, and sold-but-undelivered ones, stay with the developer as one owner.

        They are the top rooms of the last building; the undelivered ones are known by their sale contract only.
        """
        count = layout.developer_unsold + layout.developer_undelivered
        if not count:
            return buildings
        last = buildings[-1]
        top_first = [(e.name, u.room) for e in last.entrances for u in e.units][::-1][:count]
        undelivered = set(top_first[layout.developer_unsold :])

        def retain(entrance: str, unit: UnitSpec) -> UnitSpec:
            if (entrance, unit.room) not in top_first:
                return unit
            area = unit.registered_area or unit.surveyed_area or unit.contract_area
            is_undelivered = (entrance, unit.room) in undelivered
            return UnitSpec(
                unit.room,
                registered_area=None if is_undelivered else area,
                contract_area=area if is_undelivered else None,
                delivered=not is_undelivered,
                owners=(OwnerSpec(DEVELOPER, "developer_retained", True),),
            )

        entrances = tuple(replace(e, units=tuple(retain(e.name, u) for u in e.units)) for e in last.entrances)
        return [*buildings[:-1], replace(last, entrances=entrances)]

    def _parking(self, layout: _Layout, previous: list[PersonSpec], sort_order: int) -> BuildingSpec:
        """V-20: parking spaces are exclusive parts of their own kind; the community decides if they count."""
        spaces = []
        for n in range(1, layout.parking + 1):
            area = _area(self.rng, 12, 16)
            if layout.developer_unsold and n % 2 == 0:
                owners = (OwnerSpec(DEVELOPER, "developer_retained", True),)
            else:
                owners = (OwnerSpec(self.rng.choice(previous), "registered", True),)
            spaces.append(UnitSpec(f"车位{n:03d}", kind="special_space", registered_area=area, owners=owners))
        entrance = EntranceSpec("A区", 1, tuple(spaces))
        return BuildingSpec(layout.parking_building, sort_order, None, (entrance,))


COMMUNITIES = (
    # key, title, slug, district, sub-district, address, year, mode, renovation, sgyy, former unit, layout, intro
    (
        "tielu",
        "铁路新村",
        "tielu-xincun",
        "卫滨区",
        "铁西街道",
        "卫滨区和平路北段38号",
        1979,
        "bundled",
        "applying",
        True,
        "新乡铁路分局",
        _Layout(6, 2, 5, 2, (42, 68), surveyed_only_share=0.08, couple_share=0.35, birth_years=(1938, 1975)),
        "<p>铁路新村原为新乡铁路分局职工家属院，2017年完成“三供一业”分离移交，供水、供电、供暖和物业"
        "分别移交地方专业单位。小区现由街道连片打包管理，已申请老旧小区改造，因铁路方面尚未提供施工改造清单，暂未纳入改造计划。</p>",
    ),
    (
        "jiankang",
        "健康里小区",
        "jiankangli",
        "卫滨区",
        "胜利路街道",
        "卫滨区健康路中段17号",
        1986,
        "none",
        "applying",
        False,
        "",
        _Layout(
            4,
            2,
            4,
            2,
            (38, 62),
            surveyed_only_share=0.30,
            contract_only_share=0.10,
            couple_share=0.30,
            birth_years=(1935, 1970),
        ),
        "<p>健康里小区建于1986年，共4栋楼，一直没有物业服务企业，楼道卫生和化粪池清掏靠居民自发轮值。"
        "居民正在征求改造意愿，准备向社区提出改造申请。</p>",
    ),
    (
        "xiangyang",
        "向阳新村",
        "xiangyang-xincun",
        "红旗区",
        "向阳街道",
        "红旗区向阳路196号",
        1996,
        "market_company",
        "under_way",
        False,
        "",
        _Layout(10, 5, 6, 2, (56, 118), multi_unit_share=0.02, parking=12),
        "<p>向阳新村建于1996年，10栋楼600户，是全市规模较大的老旧小区之一。小区由市场化物业服务企业管理，"
        "已成立业主委员会、党支部和居民议事会，雨污分流和外墙保温改造正在施工。</p>",
    ),
    (
        "pingyuan",
        "平原路小区",
        "pingyuan-lu",
        "红旗区",
        "西街街道",
        "红旗区平原路中段81号",
        1992,
        "self_managed",
        "completed",
        False,
        "",
        _Layout(3, 2, 6, 2, (60, 96)),
        "<p>平原路小区于2023年完成改造，加装了电梯和充电车棚。改造后业主大会决定实行业主自行管理，"
        "由业委会组织保洁、绿化和维修，每季度公示收支。</p>",
    ),
    (
        "renminxi",
        "人民西路片区",
        "renmin-xilu",
        "红旗区",
        "西街街道",
        "红旗区人民西路23号、25号",
        1989,
        "bundled",
        "in_plan",
        False,
        "",
        _Layout(2, 2, 5, 2, (45, 75), surveyed_only_share=0.10, birth_years=(1938, 1980)),
        "<p>人民西路片区由两栋单位自建楼组成，规模小、管理分散，现由社区兜底、连片打包引入物业服务，"
        "已列入年度改造计划。</p>",
    ),
    (
        "xinhua",
        "新华苑",
        "xinhua-yuan",
        "卫滨区",
        "铁西街道",
        "卫滨区新华街52号",
        2000,
        "market_company",
        "not_planned",
        False,
        "",
        _Layout(
            4,
            2,
            6,
            2,
            (72, 130),
            multi_unit_share=0.03,
            parking=8,
            developer_unsold=6,
            developer_undelivered=3,
            parking_building="地面停车场",
        ),
        "<p>新华苑建于2000年，开发建设单位仍持有部分未售和已售未交付的房屋及车位。小区由物业服务企业管理，"
        "尚未列入改造计划。</p>",
    ),
)

ROLE_ACCOUNTS = (
    # username, full name, label, roles in 向阳新村
    ("community_staff", "李秀兰", "社区工作人员", ("community_staff",)),
    ("committee", "王桂芳", "业委会委员", ("owners_committee",)),
    ("party", "张建华", "党支部委员", ("party_branch",)),
    ("council", "刘志强", "议事会成员", ("deliberation_council",)),
    ("property", "陈伟", "物业工作人员", ("property_staff",)),
)

RENOVATION_OFFICER_ACCOUNTS = (
    # username, full name, label
    ("xiangyang-jiedao", "孟庆华", "向阳街道办事处（改造申请街道审核）"),
    ("xijie-jiedao", "田雪梅", "西街街道办事处（改造申请街道审核）"),
    ("tiexi-jiedao", "秦志刚", "铁西街道办事处（改造申请街道审核）"),
    ("shenglilu-jiedao", "姚丽娟", "胜利路街道办事处（改造申请街道审核）"),
    ("hongqi-qu", "卢国强", "红旗区人民政府（改造申请区级评定）"),
    ("weibin-qu", "袁文明", "卫滨区人民政府（改造申请区级评定）"),
)


def _phone(n: int) -> str:
    return f"+86139000000{n:02d}"


def _accounts(builder: _CityBuilder) -> tuple[AccountSpec, ...]:
    accounts = [
        AccountSpec(
            "admin", "系统管理员", _phone(0), "admin@example.com", "平台管理员（Wagtail 后台）", superuser=True
        ),
        AccountSpec("bureau", "赵建国", _phone(1), "bureau@example.com", "住建局工作人员", bureau=True),
    ]
    for n, (username, name, label, roles) in enumerate(ROLE_ACCOUNTS, start=2):
        accounts.append(
            AccountSpec(username, name, _phone(n), f"{username}@example.com", label, "xiangyang", roles=roles)
        )
    owner_id = builder.people.person(DISTRICT_CODES["红旗区"], male=False, birth_years=(1968, 1968)).id_number
    accounts += [
        AccountSpec(
            "owner",
            "孙丽",
            _phone(7),
            "owner@example.com",
            "已认证业主",
            "xiangyang",
            claim=ClaimSpec("xiangyang", "3号楼", "2单元", "301", "owner", True, "不动产权证号后四位 6218"),
            id_number=owner_id,
        ),
        AccountSpec(
            "tenant",
            "周磊",
            _phone(8),
            "tenant@example.com",
            "已认证租户",
            "xiangyang",
            claim=ClaimSpec("xiangyang", "5号楼", "1单元", "502", "tenant", True, "租赁合同，房东同意"),
        ),
        AccountSpec(
            "newcomer",
            "吴新",
            _phone(9),
            "newcomer@example.com",
            "新注册用户（认领待审核）",
            claim=ClaimSpec("xiangyang", "7号楼", "3单元", "101", "family", False, "户主之子"),
        ),
    ]
    # The reviewers of renovation applications above the community (portal.management.demo_renovation makes them
    # RenovationOfficer records); 11 on, since +8613900000010 is the policy demo's second bureau account.
    for n, (username, name, label) in enumerate(RENOVATION_OFFICER_ACCOUNTS, start=11):
        accounts.append(AccountSpec(username, name, _phone(n), f"{username}@example.com", label))
    return tuple(accounts)


def _with_owner(community: CommunitySpec, claim: ClaimSpec, owner: PersonSpec) -> CommunitySpec:
    """Make the demo owner's account the registered, designated owner of the unit she claims."""

    def unit(u: UnitSpec, building: str, entrance: str) -> UnitSpec:
        if (building, entrance, u.room) != (claim.building, claim.entrance, claim.room):
            return u
        area = u.registered_area or u.surveyed_area or u.contract_area
        return UnitSpec(u.room, registered_area=area, owners=(OwnerSpec(owner, "registered", True),))

    buildings = tuple(
        replace(
            b,
            entrances=tuple(replace(e, units=tuple(unit(u, b.name, e.name) for u in e.units)) for e in b.entrances),
        )
        for b in community.buildings
    )
    return replace(community, buildings=buildings)


# The two small compounds bundled with 铁路新村 (铁西街道): no company of their own, so the sub-district's
# community committee guarantees one company for all three (the property-management demo). Built from a seed of
# their own so that adding them changed none of the city's other households or accounts.
BUNDLED_NEIGHBOURS = (
    (
        "hepinglu-jiwuduan",
        "和平路机务段宿舍",
        "卫滨区和平路北段52号",
        1982,
        "<p>和平路机务段宿舍原为铁路机务段职工宿舍，两栋楼，规模小、无物业服务企业，现与铁路新村连片打包，"
        "由社区兜底引入物业服务。</p>",
    ),
    (
        "tiexi-liangzhan",
        "铁西粮站家属院",
        "卫滨区铁西街道粮站街9号",
        1985,
        "<p>铁西粮站家属院原为粮站职工家属院，两栋楼，与铁路新村、和平路机务段宿舍连片打包管理。</p>",
    ),
)
NEIGHBOUR_SEED = 20261209


def build_city(seed: int = SEED) -> City:
    builder = _CityBuilder(seed)
    communities = []
    for (
        key,
        title,
        slug,
        district,
        sub_district,
        address,
        year,
        mode,
        status,
        sgyy,
        former,
        layout,
        intro,
    ) in COMMUNITIES:
        communities.append(
            CommunitySpec(
                key=key,
                title=title,
                slug=slug,
                district=district,
                sub_district=sub_district,
                address=address,
                year_built=year,
                management_mode=mode,
                renovation_status=status,
                intro=intro,
                is_sgyy_compound=sgyy,
                former_property_unit=former,
                buildings=builder.buildings(DISTRICT_CODES[district], layout),
            )
        )
    accounts = _accounts(builder)
    neighbour_builder = _CityBuilder(NEIGHBOUR_SEED)
    for slug, title, address, year, intro in BUNDLED_NEIGHBOURS:
        communities.append(
            CommunitySpec(
                key=slug,
                title=title,
                slug=slug,
                district="卫滨区",
                sub_district="铁西街道",
                address=address,
                year_built=year,
                management_mode="bundled",
                renovation_status="not_planned",
                intro=intro,
                buildings=neighbour_builder.buildings(DISTRICT_CODES["卫滨区"], _Layout(2, 2, 5, 2, (40, 62))),
            )
        )
    owner = next(a for a in accounts if a.username == "owner")
    owner_person = PersonSpec(owner.full_name, owner.phone.removeprefix("+86"), owner.id_number)
    communities = [
        _with_owner(c, owner.claim, owner_person) if c.key == owner.claim.community else c for c in communities
    ]
    return City(
        name="新乡市",
        districts=DISTRICTS,
        communities=tuple(communities),
        accounts=accounts,
        home_intro=(
            "<p>社区共治平台是新乡市老旧小区居民共建共治共享的网上家园：业主委员会在这里发布通知、召开会议、"
            "组织表决，居民参与议事、反映诉求，住建部门发布政策指引、解答政策问题。</p>"
            "<p>本站为演示站点，小区、人员和数据均为虚构。</p>"
        ),
        community_index_intro="<p>全市纳入老旧小区改造范围的小区，可按区、街道筛选，也可按名称搜索。</p>",
        policy_index_intro=(
            "<p>住建部门发布的老旧小区改造、物业管理、住宅专项维修资金等政策文件，以及政策问题的官方答复。</p>"
        ),
    )
