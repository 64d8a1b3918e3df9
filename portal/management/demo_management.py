"""Demo property management (issue 9), written only through property.services.management (and the owners' vote it
needs through demo_decisions' own vote helper), dated in the past with the services' ``now=`` where they take one.

- Property companies (registry reference data, as the bureau enters it in the admin), each with a manager and a
  repairer account (company_staff_add): 新乡市安馨物业服务有限公司 (向阳新村; its repairer is the demo account 陈伟),
  新乡市宜居物业服务有限公司 (新华苑) and 新乡市和顺物业服务有限公司 (the 铁西 bundled group).
- One community in each mode: 向阳新村 a market company — the renewal with 安馨 that its owners voted for (the
  demo_decisions item-4 vote), 2027–2029, fee rates written into the fees schedules, filed on time; 新华苑 a market
  company too — a transitional contract with 宜居 approved by its own small item-4 vote, not filed (the P-01 overdue
  mark) and near its renewal-decision deadline (the P-02 reminder is sent); 平原路 self-managed (P-10 plan);
  铁路新村 bundled (连片打包) with two small neighbours of 铁西街道 added here, operated by 和顺, guaranteed by the
  和平路社区居民委员会; 人民西路 bundled under its community's own service station; 健康里 none yet.
- 新华苑: a completed developer-to-company handover (承接查验): every item checked, the missing 地下管网竣工图
  acknowledged, the four signatures (the developer's on a scanned paper page), the drawings delivered later and the
  item closed, filed within 30 days.
- 铁路新村: the open 三供一业 property-management handover from 新乡铁路分局 to 和顺, with missing documents
  (地下管网竣工图 promised by a date, 原单位代收费用的结清), some items present, others not yet checked, unsigned;
  and the four facilities' handover status: water and power handed over with per-household metering, heating/gas
  agreed but not transferred, property management not started.
- Repair requests in every state in 向阳新村 (and two in 铁路新村), filed by residents with accounts: submitted,
  assigned, being repaired, repaired and waiting for the resident, closed with ratings, cancelled, one overdue.
- A policy question asked by 安馨 through the policy Q&A (company_question_ask).

Deterministic and idempotent: every step looks for what it would write first, so a second run writes nothing.
"""

import random
from datetime import date, datetime, time, timedelta
from decimal import Decimal

from django.contrib.auth import get_user_model
from django.core.files.base import ContentFile
from django.utils import timezone
from wagtail.documents import get_document_model

from governance.domain.committee import add_months
from governance.models import DecisionQuestion, OwnersDecision, PolicyTopic
from home.models import CommunityPage, Unit
from home.services.roles import bureau_group
from portal.management import demo_decisions
from portal.management.demo_city import BUNDLED_NEIGHBOURS
from portal.management.demo_discussions import _account
from portal.management.demo_renovation import _committee_account, _fresh, _residents, _staff
from property.domain import management as rules
from property.models import (
    CompanyQuestion,
    CompanyStaff,
    FeeSchedule,
    Handover,
    HandoverItem,
    ManagementBundle,
    ManagementPeriod,
    PropertyCompany,
    RepairRequest,
    ServiceContract,
    SgyyRetrofit,
)
from property.permissions import household_unit_ids
from property.services import management as services

User = get_user_model()
Mode = ManagementPeriod.Mode
Facility = SgyyRetrofit.Facility
HandoverStatus = SgyyRetrofit.HandoverStatus

XIANGYANG, XINHUA, PINGYUAN, TIELU, RENMINXI, JIANKANG = (
    "xiangyang-xincun",
    "xinhua-yuan",
    "pingyuan-lu",
    "tielu-xincun",
    "renmin-xilu",
    "jiankangli",
)

# Registry reference data: name, credit code (18 characters), legal representative, address, contact, phones.
COMPANIES = {
    "anxin": dict(
        name="新乡市安馨物业服务有限公司",
        credit_code="91410702MA44XR6K3T",
        legal_representative="杜红梅",
        registered_address="新乡市红旗区向阳路88号",
        licence_valid_until=date(2039, 6, 30),
        contact_name="杜红梅",
        contact_phone="0373-3051186",
        service_phone="0373-3051188",
    ),
    "yiju": dict(
        name="新乡市宜居物业服务有限公司",
        credit_code="91410703MA3X9LP20N",
        legal_representative="郑国栋",
        registered_address="新乡市卫滨区新华街110号",
        licence_valid_until=date(2041, 3, 31),
        contact_name="郑国栋",
        contact_phone="0373-2087712",
        service_phone="0373-2087700",
    ),
    "heshun": dict(
        name="新乡市和顺物业服务有限公司",
        credit_code="91410703MA9G7TQ51E",
        legal_representative="冯建军",
        registered_address="新乡市卫滨区和平路南段16号",
        licence_valid_until=date(2038, 12, 31),
        contact_name="冯建军",
        contact_phone="0373-2036615",
        service_phone="0373-2036600",
    ),
}
# key, username, full name, phone (+86139000000NN, after the renovation reviewers' 11–16), position, is manager
STAFF = (
    ("anxin", "anxin-jingli", "杜红梅", "+8613900000017", "物业经理", True),
    ("anxin", "property", "陈伟", None, "维修主管", False),  # the demo's 物业工作人员 account
    ("yiju", "yiju-jingli", "郑国栋", "+8613900000018", "物业经理", True),
    ("yiju", "yiju-weixiu", "马德胜", "+8613900000019", "维修工", False),
    ("heshun", "heshun-jingli", "冯建军", "+8613900000020", "物业经理", True),
    ("heshun", "heshun-weixiu", "白永刚", "+8613900000021", "维修工", False),
)

BUNDLE_NAME = "铁西街道和平路片区连片物业服务"
BUNDLE_GUARANTOR = "铁西街道和平路社区居民委员会"
RENMINXI_BUNDLE = "人民西路片区社区兜底物业服务"

XINHUA_VOTE = demo_decisions.Plan(
    key="xinhua-manager",
    title="选聘新乡市宜居物业服务有限公司（过渡期物业服务）",
    description=(
        "原物业服务企业合同期满后不再续签。业委会经公开比选，提出由新乡市宜居物业服务有限公司提供过渡期物业服务，"
        "期满前由业主大会决定正式选聘。物业费标准维持每月每平方米1.20元，地面停车位管理费每个车位每月50元。"
        "比选材料和合同草案在业委会办公室公开。"
    ),
    matter=OwnersDecision.Matter.MANAGER,
    questions=("是否同意选聘新乡市宜居物业服务有限公司提供过渡期物业服务，物业费标准维持每月每平方米1.20元？",),
    announce=-62,
    opens=-61,
    closes=-42,
    ballots_until=-43,
    count=-41,
    finalize=-33,
)

SCOPE = (
    "共用部位、共用设施设备的日常维修养护；公共区域保洁和生活垃圾清运；绿化养护；秩序维护和车辆停放管理；"
    "二次供水设施和电梯的运行管理（委托有资质单位维保）；档案资料管理；24小时报修服务。"
)
STANDARDS = (
    "按《河南省住宅物业服务标准》二级服务标准执行：报修急修24小时内、一般维修3日内完成；楼道每日清扫一次，"
    "每周拖洗一次；每季度公示电梯、二次供水维保记录和公共收益收支。"
)


def seed_management(stdout) -> None:
    communities = {c.slug: c for c in CommunityPage.objects.live().select_related("sub_district")}
    bureau = bureau_group().user_set.filter(is_superuser=False).order_by("pk").first()
    if bureau is None or XIANGYANG not in communities:
        stdout.write("物业管理：缺少住建局账户或向阳新村，跳过。")
        return
    bureau = _fresh(bureau)
    companies = {key: _company(values) for key, values in COMPANIES.items()}
    staff = _staff_accounts(companies, bureau)
    done = []
    steps = (
        (XIANGYANG, _xiangyang),
        (XINHUA, _xinhua),
        (PINGYUAN, _pingyuan),
        (TIELU, _tielu),
        (RENMINXI, _renminxi),
    )
    for slug, step in steps:
        community = communities.get(slug)
        if community is not None and step(community, companies, staff, stdout):
            done.append(community.title)
    _question(companies["anxin"], staff["anxin-jingli"])
    reminded = services.renewal_reminders_send()
    modes = {label: ManagementPeriod.objects.filter(ends_on__isnull=True, mode=v).count() for v, label in Mode.choices}
    stdout.write(
        "物业管理：新建 "
        + ("、".join(done) if done else "无")
        + f"；续聘提醒 {reminded} 份；现行管理方式 "
        + "，".join(f"{label} {n}" for label, n in modes.items() if n)
        + f"；报修 {RepairRequest.objects.count()} 件。"
    )
    stdout.write("  物业服务企业账户（密码同其他演示账户）：")
    for key, username, name, _phone, title, _manager in STAFF:
        company = COMPANIES[key]["name"]
        stdout.write(f"    {company} {title} {name}：{staff[username].phone}（用户名 {username}）")


# --- helpers ---------------------------------------------------------------------------------------------------


def _today() -> date:
    return timezone.localdate()


def _ago(days: int) -> date:
    return _today() - timedelta(days=days)


def _at(day: date, hour: int = 10, minute: int = 0) -> datetime:
    return timezone.make_aware(datetime.combine(day, time(hour, minute)))


def _first_of_next_month(day: date) -> date:
    return (day.replace(day=1) + timedelta(days=32)).replace(day=1)


def _company(values: dict) -> PropertyCompany:
    return PropertyCompany.objects.get_or_create(credit_code=values["credit_code"], defaults=values)[0]


def _staff_accounts(companies: dict, bureau) -> dict:
    accounts = {}
    for key, username, name, phone, title, manager in STAFF:
        user = User.objects.filter(username=username).first() if phone is None else _account(username, name, phone)
        if user is None:
            continue
        company = companies[key]
        if not CompanyStaff.objects.filter(company=company, user=user).exists():
            services.company_staff_add(actor=bureau, company=company, user=user, title=title, is_manager=manager)
        accounts[username] = user
    return accounts


def _scan(user, title: str):
    """A scanned paper page, as the community staff uploads it."""
    document = get_document_model()(title=title, uploaded_by_user=user)
    document.file.save(f"{title}.pdf", ContentFile(b"%PDF-1.4\n% demo scan\n"), save=False)
    document.save()
    return document


def _rates(*rows):
    return [services.FeeRateInput(kind, basis, Decimal(rate)) for kind, basis, rate in rows]


def _manager_question(community, title: str):
    return (
        DecisionQuestion.objects.filter(
            decision__community=community,
            decision__title=title,
            decision__matter=OwnersDecision.Matter.MANAGER,
            decision__status=OwnersDecision.Status.FINAL,
            passed=True,
        )
        .order_by("pk")
        .first()
    )


# --- 向阳新村: the renewal its owners voted for ------------------------------------------------------------------


def _xiangyang(community, companies, staff, stdout) -> bool:
    company = companies["anxin"]
    if ServiceContract.objects.filter(community=community, company=company).exists():
        return False
    question = _manager_question(community, demo_decisions.PROPERTY_VOTE.title)
    committee = _committee_account(community)
    if question is None or committee is None:
        stdout.write("  物业管理：向阳新村没有通过的续聘表决，跳过。")
        return False
    # The vote renews for 2027–2029; started later than that, the demo starts the renewal next month.
    starts_on = max(date(2027, 1, 1), _first_of_next_month(_today()))
    signed_on = min(_ago(40), starts_on)
    contract = services.contract_record(
        actor=committee,
        community=community,
        company=company,
        approving_question=question,
        scope=SCOPE,
        standards=STANDARDS,
        starts_on=starts_on,
        ends_on=add_months(starts_on, 36) - timedelta(days=1),
        signed_on=signed_on,
        fee_rates=_rates(
            ("residence", FeeSchedule.Basis.PER_M2, "0.85"),
            ("special_space", FeeSchedule.Basis.FIXED, "60"),
        ),
        dismissal_notice_days=90,
    )
    services.contract_file(
        actor=_fresh(staff["anxin-jingli"]),
        contract=contract,
        filed_on=signed_on + timedelta(days=7),
        filed_with="红旗区住房和城乡建设局、向阳街道办事处",
    )
    _repairs(community, staff["anxin-jingli"], staff["property"], XIANGYANG_REPAIRS)
    return True


# --- 新华苑: a transitional contract near its renewal deadline, not filed; the developer's handover -------------


def _xinhua(community, companies, staff, stdout) -> bool:
    company = companies["yiju"]
    if ServiceContract.objects.filter(community=community, company=company).exists():
        return False
    committee = _committee_account(community)
    if committee is None:
        stdout.write("  物业管理：新华苑没有业委会账户，跳过。")
        return False
    demo_decisions._rules(community)
    demo_decisions._seed_vote(community, XINHUA_VOTE, _xinhua_choices, stdout)
    question = _manager_question(community, XINHUA_VOTE.title)
    if question is None:
        stdout.write("  物业管理：新华苑的选聘表决未通过，跳过。")
        return False
    today = _today()
    # The decision on renewal is due three months before expiry (P-02); this one is due in about three weeks, so
    # the committee's reminder (a month ahead of it) is due now.
    ends_on = add_months(today + timedelta(days=21), rules.RENEWAL_DECISION_MONTHS)
    contract = services.contract_record(
        actor=_fresh(committee),
        community=community,
        company=company,
        approving_question=question,
        scope=SCOPE,
        standards=STANDARDS,
        starts_on=_ago(20),  # at the fees already charged: the contract goes on with those schedules
        ends_on=ends_on,
        signed_on=_ago(25),  # P-01: due for filing 15 days later; the company has not filed it
        fee_rates=_rates(
            ("residence", FeeSchedule.Basis.PER_M2, "1.20"),
            ("special_space", FeeSchedule.Basis.FIXED, "50"),
        ),
    )
    _developer_handover(community, contract, staff)
    return True


def _xinhua_choices(electors, rng):
    """Nine in ten take part (the developer too), more than four in five of them agree."""
    rng = random.Random(f"{demo_decisions.SEED}-xinhua-manager")
    choices = {}
    for elector in electors:
        if not elector.is_developer and rng.random() >= 0.9:
            continue
        draw = rng.random()
        choices[elector.pk] = [demo_decisions.APPROVE if draw < 0.85 else demo_decisions.REJECT]
    return choices


def _developer_handover(community, contract, staff) -> None:
    if Handover.objects.filter(community=community, kind=rules.DEVELOPER_TO_COMPANY).exists():
        return
    manager = _fresh(staff["yiju-jingli"])
    community_staff = _staff(community)
    handover = services.handover_open(
        actor=manager,
        community=community,
        kind=rules.DEVELOPER_TO_COMPANY,
        outgoing_kind=Handover.PartyKind.DEVELOPER,
        outgoing_name="新乡市华新置业有限公司",
        incoming_kind=Handover.PartyKind.COMPANY,
        incoming_name="",
        incoming_company=contract.company,
        contract=contract,
        inspected_on=_ago(20),
    )
    notes = {"premises": "物业服务用房位于2号楼1单元一层，建筑面积86平方米", "keys": "水泵房、配电室等钥匙共32把"}
    for item in handover.items.order_by("position"):
        if item.code == "pipe_networks":
            services.handover_item_check(
                actor=manager,
                item=item,
                state=rules.MISSING,
                promised_on=_ago(5),
                note="建设单位档案室未找到原件，承诺向城建档案馆调取复制后补交",
            )
            services.handover_item_acknowledge(actor=manager, item=HandoverItem.objects.get(pk=item.pk))
        elif item.code == "equipment_docs":
            # Still open after sign-off: it stays on the community page until the developer delivers it (P-05).
            services.handover_item_check(
                actor=manager,
                item=item,
                state=rules.MISSING,
                promised_on=_today() + timedelta(days=30),
                note="二次供水设备和电梯的维护保养记录不全，建设单位承诺向原维保单位调取后补交",
            )
            services.handover_item_acknowledge(actor=manager, item=HandoverItem.objects.get(pk=item.pk))
        else:
            services.handover_item_check(actor=manager, item=item, state=rules.PRESENT, note=notes.get(item.code, ""))
    committee = _committee_account(community)
    handover = Handover.objects.get(pk=handover.pk)
    services.handover_sign(
        actor=community_staff,
        handover=handover,
        party=rules.OUTGOING,
        signer_name="刘振华",
        signer_title="新乡市华新置业有限公司 工程部经理",
        scan=_scan(community_staff, "新华苑承接查验移交方签字页"),
    )
    services.handover_sign(
        actor=manager, handover=handover, party=rules.INCOMING, signer_name=manager.full_name, signer_title="物业经理"
    )
    services.handover_sign(
        actor=committee,
        handover=handover,
        party=rules.COMMITTEE,
        signer_name=committee.full_name,
        signer_title="业主委员会主任",
    )
    services.handover_sign(
        actor=community_staff,
        handover=handover,
        party=rules.SUB_DISTRICT,
        signer_name=community_staff.full_name,
        signer_title="铁西街道办事处 社区工作人员",
    )
    item = handover.items.get(code="pipe_networks")
    services.handover_item_close(
        actor=manager, item=item, closing_note="建设单位已补交地下管网竣工图（纸质一套、电子版一份），已归档"
    )
    handover = Handover.objects.get(pk=handover.pk)
    services.handover_file(actor=manager, handover=handover, filed_on=_today())


# --- 平原路小区: owners' self-management (P-10) ----------------------------------------------------------------------


def _pingyuan(community, companies, staff, stdout) -> bool:
    if ManagementPeriod.objects.filter(community=community).exists():
        return False
    actor = _committee_account(community) or _staff(community)
    services.self_management_start(
        actor=actor,
        community=community,
        starts_on=date(2023, 10, 1),
        executing_body="平原路小区业主委员会（聘用保洁员2名、维修工1名）",
        scope="楼道和公共区域保洁、垃圾清运、绿化养护、共用部位和共用设施的日常维修、电梯和充电车棚的运行管理。",
        standards="楼道每日清扫一次；一般维修3日内完成；电梯每半月维保一次并公示维保记录。",
        fees="物业服务费每月每平方米0.40元，由业主委员会收取，每季度在小区公示栏和本平台公示收支。",
        term_ends_on=date(2028, 9, 30),
        professionals="电梯维保委托具有资质的新乡市安达电梯工程有限公司；化粪池清掏委托环卫所。",
    )
    return True


# --- 铁路新村 and its neighbours: the bundled group; the open 三供一业 handover -----------------------------------


def _neighbours() -> list:
    """The two small compounds the demo city bundles with 铁路新村 (demo_city.BUNDLED_NEIGHBOURS)."""
    slugs = [row[0] for row in BUNDLED_NEIGHBOURS]
    return list(CommunityPage.objects.filter(slug__in=slugs).order_by("path"))


def _tielu(community, companies, staff, stdout) -> bool:
    if ManagementBundle.objects.filter(name=BUNDLE_NAME).exists():
        return False
    bureau = _fresh(bureau_group().user_set.filter(is_superuser=False).order_by("pk").first())
    neighbours = _neighbours()
    services.bundle_create(
        actor=bureau,
        name=BUNDLE_NAME,
        sub_district=community.sub_district,
        guarantor=BUNDLE_GUARANTOR,
        started_on=date(2018, 1, 1),
        communities=[community, *neighbours],
        operator=companies["heshun"],
        note="三个小区规模小、无物业服务企业，由和平路社区兜底，统一引入一家物业服务企业，物业费由社区代收。",
    )
    _sgyy(community, companies["heshun"], staff)
    _repairs(community, staff["heshun-jingli"], staff["heshun-weixiu"], TIELU_REPAIRS)
    return True


def _sgyy(community, company, staff) -> None:
    community_staff = _staff(community)
    facilities = (
        (
            Facility.WATER,
            HandoverStatus.TRANSFERRED,
            "新乡市自来水有限公司",
            True,
            date(2016, 11, 20),
            date(2017, 6, 30),
        ),
        (Facility.POWER, HandoverStatus.TRANSFERRED, "国网新乡供电公司", True, date(2016, 11, 20), date(2017, 9, 30)),
        (Facility.HEATING_GAS, HandoverStatus.AGREED, "新乡市热力有限公司", False, date(2017, 5, 15), None),
        (Facility.PROPERTY_MGMT, HandoverStatus.NOT_STARTED, "", False, None, None),
    )
    for facility, status, unit, metered, agreed, transferred in facilities:
        record = SgyyRetrofit.objects.filter(community=community, facility=facility).first()
        if record is not None and record.handover_status == status and record.receiving_unit == unit:
            continue
        services.sgyy_facility_handover_record(
            actor=community_staff,
            community=community,
            facility=facility,
            handover_status=status,
            receiving_unit=unit,
            metered_per_household=metered,
            agreement_on=agreed,
            transferred_on=transferred,
            order=SgyyRetrofit.Order.RETROFIT_FIRST if status != HandoverStatus.NOT_STARTED else "",
        )
    if Handover.objects.filter(community=community, kind=rules.SGYY_PROPERTY).exists():
        return
    manager = _fresh(staff["heshun-jingli"])
    handover = services.handover_open(
        actor=manager,
        community=community,
        kind=rules.SGYY_PROPERTY,
        outgoing_kind=Handover.PartyKind.FORMER_UNIT,
        outgoing_name=community.former_property_unit or "新乡铁路分局",
        incoming_kind=Handover.PartyKind.COMPANY,
        incoming_name="",
        incoming_company=company,
        inspected_on=_ago(10),
    )
    findings = {
        "site_plan": (rules.PRESENT, None, ""),
        "building_drawings": (rules.PRESENT, None, "1979年原图，部分图纸字迹不清"),
        "pipe_networks": (rules.MISSING, _today() + timedelta(days=30), "铁路分局书面承诺在一个月内补交地下管网竣工图"),
        "keys": (rules.PRESENT, None, "水泵房、配电室钥匙共14把"),
        "owner_register": (rules.PRESENT, None, "原职工住房登记册，已与不动产登记核对"),
        "fee_settlement": (
            rules.MISSING,
            _today() + timedelta(days=45),
            "原单位代收的2016年以前水电费、暖气费尚未结清，铁路分局未提供清算明细",
        ),
    }
    for item in handover.items.order_by("position"):
        if item.code in findings:
            state, promised, note = findings[item.code]
            services.handover_item_check(actor=manager, item=item, state=state, promised_on=promised, note=note)


# --- 人民西路片区: its community's own service station -----------------------------------------------------------


def _renminxi(community, companies, staff, stdout) -> bool:
    if ManagementBundle.objects.filter(name=RENMINXI_BUNDLE).exists():
        return False
    bureau = _fresh(bureau_group().user_set.filter(is_superuser=False).order_by("pk").first())
    services.bundle_create(
        actor=bureau,
        name=RENMINXI_BUNDLE,
        sub_district=community.sub_district,
        guarantor="西街街道人民西路社区居民委员会",
        started_on=date(2021, 7, 1),
        communities=[community],
        operator_name="人民西路社区物业服务站",
        note="两栋单位自建楼，由社区物业服务站提供基本物业服务，社区兜底。",
    )
    return True


# --- repair requests ---------------------------------------------------------------------------------------------

# (filer index, where, location, category, urgency, description, days ago filed, the steps after filing)
# Steps: ("assign" | "start" | "finish", hours after filing), ("confirm", hours, rating, comment),
# ("cancel", hours, note)
XIANGYANG_REPAIRS = (
    (0, "common", "3号楼2单元四楼楼道", "electric", "normal", "楼道声控灯不亮，晚上上下楼看不见。", 0.1, ()),
    (1, "common", "5号楼1单元门口", "doors", "normal", "单元门门禁坏了，门关不上。", 1, (("assign", 2),)),
    (
        2,
        "common",
        "小区东门内侧路面",
        "grounds",
        "normal",
        "雨污分流施工后路面塌陷一处，约半平方米，晚上有绊倒危险。",
        2,
        (("assign", 1), ("start", 20)),
    ),
    (
        3,
        "own_unit",
        "家中卫生间",
        "water",
        "normal",
        "卫生间地漏返水，楼上排水时更严重。",
        3,
        (("assign", 1), ("start", 5), ("finish", 30)),
    ),
    (
        0,
        "common",
        "3号楼屋面",
        "leak",
        "normal",
        "顶楼302室天花板渗水，怀疑屋面防水层破损。",
        21,
        (("assign", 2), ("start", 24), ("finish", 50), ("confirm", 70, 5, "维修师傅很负责，修完还清理了现场。")),
    ),
    (
        4,
        "common",
        "7号楼电梯",
        "lift",
        "urgent",
        "电梯运行时有异响，三楼停靠不平层。",
        12,
        (("assign", 1), ("start", 3), ("finish", 20), ("confirm", 30, 3, "修好了，但等了将近一天。")),
    ),
    (
        1,
        "common",
        "5号楼车棚",
        "grounds",
        "normal",
        "车棚顶棚被风刮开一块。",
        6,
        (("cancel", 3, "已由邻居自行修好，撤回报修。"),),
    ),
    (
        2,
        "common",
        "9号楼二次供水泵房",
        "water",
        "urgent",
        "早晚用水高峰水压很低，六楼基本没水。",
        3,
        (("assign", 2),),
    ),
)
TIELU_REPAIRS = (
    (
        0,
        "common",
        "2号楼1单元楼道",
        "water",
        "normal",
        "楼道立管接口漏水，墙面潮湿。",
        15,
        (("assign", 3), ("start", 24), ("finish", 48), ("confirm", 60, 4, "及时修好了。")),
    ),
    (1, "common", "小区大门", "doors", "normal", "大门门轴松动，开关有响声。", 1, (("assign", 4), ("start", 8))),
)


def _repairs(community, manager, repairer, plan) -> None:
    residents = _residents(community, max(row[0] for row in plan) + 1)
    if not residents:
        return
    manager, repairer = _fresh(manager), _fresh(repairer)
    now = timezone.now()
    for filer_index, where, location, category, urgency, description, days, steps in plan:
        filer = residents[filer_index % len(residents)]
        if RepairRequest.objects.filter(community=community, filed_by=filer, location=location).exists():
            continue
        filed_at = now - timedelta(days=days)
        unit = None
        if where == RepairRequest.Where.OWN_UNIT:
            unit_id = next(iter(sorted(household_unit_ids(filer, community))), None)
            if unit_id is None:
                where, location = RepairRequest.Where.COMMON, f"{location}（楼内公共管道）"
            else:
                unit = Unit.objects.get(pk=unit_id)
        request = services.repair_file(
            actor=filer,
            community=community,
            where=where,
            location=location,
            category=category,
            description=description,
            urgency=urgency,
            unit=unit,
            now=filed_at,
        )
        for step in steps:
            action, hours = step[0], step[1]
            when = filed_at + timedelta(hours=hours)
            if action == "assign":
                services.repair_act(actor=manager, request=request, action="assign", assignee=repairer, now=when)
            elif action in ("start", "finish"):
                note = "已更换配件，恢复正常。" if action == "finish" else ""
                services.repair_act(actor=repairer, request=request, action=action, note=note, now=when)
            elif action == "confirm":
                services.repair_act(
                    actor=filer, request=request, action="confirm", rating=step[2], note=step[3], now=when
                )
            elif action == "cancel":
                services.repair_act(actor=filer, request=request, action="cancel", note=step[2], now=when)


# --- a company's policy question ---------------------------------------------------------------------------------

QUESTION_TITLE = "前期物业服务合同期满后业主大会尚未作出续聘决定，物业服务企业应当如何继续提供服务？"
QUESTION_DETAILS = (
    "我公司服务的一个小区合同将于明年期满，业委会表示来不及召开业主大会。请问期满后如未作出决定，"
    "合同是否按不定期合同继续履行？我公司如不再续聘，应提前多久书面通知？"
)


def _question(company, manager) -> None:
    if CompanyQuestion.objects.filter(company=company, question__title=QUESTION_TITLE).exists():
        return
    services.company_question_ask(
        actor=_fresh(manager),
        company=company,
        title=QUESTION_TITLE,
        details=QUESTION_DETAILS,
        topic=PolicyTopic.objects.filter(slug="wuye").first(),
    )
