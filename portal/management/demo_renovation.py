"""Demo renovation projects (issue 8): a project at every stage across the demo city, written through
property.services.renovation (and the willingness surveys through governance.services.surveys), each step dated
in the past with the services' ``now=``.

- 平原路小区: applied in 2022, in the 2023 plan, completed, accepted and evaluated by the residents; all money
  received. A second application (a new underground car park, 2026) was rejected by the sub-district.
- 向阳新村: in this year's plan, designed, tendered and under way (about 60%, progress reports with drawn site
  photos), money partly received. A separate
  lift application was returned by the community with what to add.
- 人民西路片区: in this year's plan (a tiny community: support for removing illegal structures, contributions).
- 铁路新村 (三供一业, former unit 新乡铁路分局): approved by the city, water and power already renovated under
  三供一业 (not claimed again), blocked from the plan: the railway has not provided its construction list.
- 健康里小区 (1986, no owners' committee): applied by its residents (10+ signers), approved, waiting for its
  willingness survey (the open survey of the surveys demo, linked, not closed).
- 新华苑 (2000): in review at the district, overdue.

Reference data (officers, annual plans) is written directly, as the admin would. Deterministic; idempotent: a
community's projects are seeded once (found by title), and a second run adds nothing.
"""

from datetime import date, datetime, time, timedelta
from decimal import Decimal
from io import BytesIO

from django.contrib.auth import get_user_model
from django.core.files.base import ContentFile
from django.utils import timezone
from wagtail.images import get_image_model

from governance.models import BodyPage, Membership, WillingnessSurvey
from governance.services import bodies as body_services
from governance.services import surveys as survey_services
from governance.services.meetings import role_users
from home.models import Building, CommunityPage, CommunityRole, District, Person, Residency, SubDistrict, Unit
from home.services import claims
from property.domain import renovation as rules
from property.models import AnnualPlan, CostSharePlan, RenovationOfficer, RenovationProject, SgyyRetrofit
from property.services import renovation as services

Role = CommunityRole.Role
Stage = RenovationProject.Stage
User = get_user_model()

# username, level, district, sub-district, organisation, position
OFFICERS = (
    ("xiangyang-jiedao", rules.SUB_DISTRICT, "红旗区", "向阳街道", "红旗区向阳街道办事处", "城建科科长"),
    ("xijie-jiedao", rules.SUB_DISTRICT, "红旗区", "西街街道", "红旗区西街街道办事处", "城建科科长"),
    ("tiexi-jiedao", rules.SUB_DISTRICT, "卫滨区", "铁西街道", "卫滨区铁西街道办事处", "社区建设办公室主任"),
    ("shenglilu-jiedao", rules.SUB_DISTRICT, "卫滨区", "胜利路街道", "卫滨区胜利路街道办事处", "城建科科长"),
    ("hongqi-qu", rules.DISTRICT, "红旗区", "", "红旗区人民政府", "区住房和城乡建设局副局长"),
    ("weibin-qu", rules.DISTRICT, "卫滨区", "", "卫滨区人民政府", "区住房和城乡建设局副局长"),
    ("bureau", rules.CITY, "", "", "新乡市住房和城乡建设局", "城建科科长"),
)
STRUCTURE_STATEMENT = "经具备资质的房屋安全鉴定机构检测，{}各楼栋主体结构安全，不宜整体拆除重建（鉴定报告附后）。"
LEVEL_OPINIONS = {
    rules.COMMUNITY: "经社区入户核实，申请内容属实，居民改造意愿强烈，同意推荐。",
    rules.SUB_DISTRICT: "经街道现场踏勘，小区基础设施老化问题突出，申请材料齐全，同意上报区政府评定。",
    rules.DISTRICT: "经区政府综合评定，符合老旧小区改造条件，改造内容合理，同意报市级会审。",
    rules.CITY: "经市住建、发改、财政、自然资源等部门联合会审，同意列为改造项目，按程序纳入年度改造计划。",
}
RESIDENT_SIGNERS = 12  # 健康里: the applicant and eleven neighbours (ten or more are needed)


def seed_renovation(stdout) -> None:
    communities = {c.slug: c for c in CommunityPage.objects.live().select_related("sub_district__district")}
    officers = _officers()
    if officers is None:
        stdout.write("改造项目：缺少审核人员账户，跳过。")
        return
    seeded = []
    for slug, title, seed in SCENARIOS:
        community = communities.get(slug)
        if community is None or RenovationProject.objects.filter(community=community, title=title).exists():
            continue
        seed(community, officers)
        seeded.append(community.title)
    by_stage = {label: RenovationProject.objects.filter(stage=value).count() for value, label in Stage.choices}
    stdout.write(
        "改造项目：新建 "
        + ("、".join(seeded) if seeded else "无")
        + "；现有 "
        + "，".join(f"{label} {n}" for label, n in by_stage.items() if n)
        + "。"
    )


# --- reference data ---------------------------------------------------------------------------------------------


def _officers() -> dict | None:
    users = {u.username: u for u in User.objects.filter(username__in=[row[0] for row in OFFICERS])}
    if len(users) < len(OFFICERS):
        return None
    for username, level, district, sub_district, organisation, position in OFFICERS:
        RenovationOfficer.objects.get_or_create(
            user=users[username],
            defaults={
                "level": level,
                "organisation": organisation,
                "position": position,
                "district": District.objects.get(name=district) if level == rules.DISTRICT else None,
                "sub_district": (
                    SubDistrict.objects.get(district__name=district, name=sub_district)
                    if level == rules.SUB_DISTRICT
                    else None
                ),
            },
        )
    # Fresh objects: the permission helpers cache the officer record on the user.
    return {u.username: u for u in User.objects.filter(username__in=[row[0] for row in OFFICERS])}


def _annual_plan(year: int) -> AnnualPlan:
    return AnnualPlan.objects.get_or_create(year=year, defaults={"completion_deadline": date(year, 12, 31)})[0]


# --- people ------------------------------------------------------------------------------------------------------


def _at(day: date, hour: int = 10, minute: int = 0) -> datetime:
    return timezone.make_aware(datetime.combine(day, time(hour, minute)))


def _ago(days: int) -> date:
    return timezone.localdate() - timedelta(days=days)


def _fresh(user):
    return User.objects.get(pk=user.pk)


def _staff(community):
    staff = role_users(community, Role.COMMUNITY_STAFF).order_by("pk").first()
    if staff is None:
        from portal.management.demo_discussions import _staff_account

        staff = _staff_account(community)
    return _fresh(staff)


def _committee_account(community):
    """The owners' committee member who applies: the demo account in 向阳新村, elsewhere an account for the
    committee's chair (`<slug>-yeweihui`), whose claim to their home the community staff verifies."""
    existing = role_users(community, Role.OWNERS_COMMITTEE).order_by("pk").first()
    if existing is not None:
        return _fresh(existing)
    from portal.management.demo_discussions import _account

    seat = (
        Membership.objects.filter(
            body__path__startswith=community.path,
            body__depth=community.depth + 1,
            body__kind__in=(BodyPage.Kind.OWNERS_COMMITTEE, BodyPage.Kind.PROPERTY_MGMT_COMMITTEE),
            ended_on__isnull=True,
            person__user__isnull=True,
            person__ownerships__unit__entrance__building__community=community,
            person__ownerships__ended_on__isnull=True,
        )
        .exclude(person__phone="")
        .select_related("person")
        .order_by("pk")
    )
    seat = seat.filter(position=Membership.Position.CHAIR).first() or seat.first()
    if seat is None:
        return None
    person = seat.person
    user = _account(f"{community.slug}-yeweihui", person.full_name, person.phone)
    unit = Unit.objects.filter(ownerships__person=person, ownerships__ended_on__isnull=True).order_by("pk").first()
    claim = claims.unit_claim_submit(
        user=user,
        unit=unit,
        relation=Residency.Relation.OWNER,
        claimant_name=person.full_name,
        evidence_note="不动产权证复印件已交社区核对",
    )
    claims.unit_claim_verify(actor=_staff(community), claim=claim)
    body_services.person_roles_sync(Person.objects.get(pk=person.pk))
    return _fresh(user)


def _residents(community, count: int) -> list:
    """At least ``count`` verified residents with an account: those there are (the 议事厅 demo's four), and more
    registered owners given an account (`<slug>-jumin5`…) whose claims the community staff verifies."""
    from portal.management.demo_discussions import _account

    residents = list(role_users(community, Role.RESIDENT, Role.OWNER).order_by("pk"))
    taken = set(User.objects.exclude(phone__isnull=True).values_list("phone", flat=True))
    candidates = iter(
        Person.objects.filter(
            ownerships__unit__entrance__building__community=community,
            ownerships__ended_on__isnull=True,
            user__isnull=True,
            is_developer=False,
            memberships__isnull=True,
        )
        .exclude(phone="")
        .distinct()
        .order_by("-pk")
    )
    verifier = _staff(community)
    n = 5
    while len(residents) < count:
        while User.objects.filter(username=f"{community.slug}-jumin{n}").exists():
            n += 1
        person = next((p for p in candidates if p.phone not in taken), None)
        if person is None:
            break
        user = _account(f"{community.slug}-jumin{n}", person.full_name, person.phone)
        unit = Unit.objects.filter(ownerships__person=person, ownerships__ended_on__isnull=True).order_by("pk").first()
        claim = claims.unit_claim_submit(
            user=user,
            unit=unit,
            relation=Residency.Relation.OWNER,
            claimant_name=person.full_name,
            evidence_note="不动产权证复印件已交社区核对",
        )
        claims.unit_claim_verify(actor=verifier, claim=claim)
        residents.append(user)
    return [_fresh(user) for user in residents]


# --- the steps -----------------------------------------------------------------------------------------------


def _households(community) -> tuple[int, int]:
    buildings = Building.objects.filter(community=community, entrances__units__kind=Unit.Kind.RESIDENCE).distinct()
    homes = Unit.objects.filter(entrance__building__community=community, kind=Unit.Kind.RESIDENCE).count()
    return buildings.count(), homes


def _application(community, *, title: str, problems: str, evidence: str, **extra) -> services.ApplicationData:
    buildings, homes = _households(community)
    fields = {
        "title": title,
        "year_completed": community.year_built,
        "buildings_count": max(buildings, 1),
        "households": max(homes, 1),
        "problems": problems,
        "structure_safe": True,
        "structure_statement": STRUCTURE_STATEMENT.format(community.title),
        "willingness_evidence": evidence,
    }
    if rules.is_tiny(fields["households"]):
        # Seed §一: a tiny community needs high support for removing illegal structures and contributions.
        fields["demolition_support_households"] = -(-fields["households"] * 9 // 10)
        fields["contributions_pledged"] = True
        fields["contributions_note"] = "居民自愿捐资捐物，并组织志愿者投工投劳参与拆违、清运和绿化补植。"
    fields.update(extra)
    return services.ApplicationData(**fields)


def _reviewers(community, officers) -> dict:
    area = community.sub_district

    def officer(level, **where):
        return next(
            officers[r.user.username]
            for r in RenovationOfficer.objects.filter(level=level, **where).select_related("user")
            if r.user.username in officers
        )

    return {
        rules.COMMUNITY: _staff(community),
        rules.SUB_DISTRICT: officer(rules.SUB_DISTRICT, sub_district=area),
        rules.DISTRICT: officer(rules.DISTRICT, district=area.district),
        rules.CITY: officers["bureau"],
    }


def _apply(community, applicant, data, *, days: list[date], signers=()) -> RenovationProject:
    """Save the application on days[0], residents sign, submit on days[1]."""
    project = services.application_save(actor=applicant, community=community, data=data, now=_at(days[0], 9))
    for n, signer in enumerate(signers):
        services.application_sign(actor=signer, project=project, now=_at(days[0], 19, n))
    return project


def _submit(project, applicant, day: date) -> RenovationProject:
    return services.application_submit(actor=applicant, project=project, now=_at(day, 10))


def _decide(project, reviewers, level, day, decision=rules.PASS, opinion=""):
    services.review_decide(
        actor=reviewers[level],
        project=project,
        level=level,
        decision=decision,
        opinion=opinion or LEVEL_OPINIONS[level],
        now=_at(day, 15),
    )
    return RenovationProject.objects.get(pk=project.pk)


def _items(project, actor, items) -> None:
    for kind, quantity, unit, cost, description in items:
        services.item_add(
            actor=actor,
            project=project,
            kind=kind,
            quantity=quantity,
            quantity_unit=unit,
            estimated_cost=cost,
            description=description,
        )


def _funding(project, actor, amounts: dict) -> None:
    services.funding_plan_set(actor=actor, project=project, amounts=amounts)


def _survey(community, runner, *, opens_on: date, closes_on: date, summary: str, close: bool) -> WillingnessSurvey:
    """A willingness survey answered door to door (R-07): about nine in ten agree with the plan and most with
    the management model; a few households could not be reached. Closed on its closing date."""
    survey = survey_services.survey_save_draft(
        actor=runner,
        community=community,
        title=f"{community.title}老旧小区改造方案及物业管理模式意愿征询",
        plan_summary=summary,
        management_model=(
            "改造完成后由业主委员会组织，经业主共同决定选聘物业服务企业，提供保洁、秩序维护、绿化养护和公共设施"
            "日常维修等服务；物业服务费按政府指导价执行，收支每季度公示。"
        ),
        buildings=[],
        opens_on=opens_on,
        closes_on=closes_on,
    )
    survey = survey_services.survey_open(actor=runner, survey=survey, now=_at(opens_on, 9))
    for i, household in enumerate(survey.households.order_by("pk")):
        day = opens_on + timedelta(days=1 + i % max((closes_on - opens_on).days - 1, 1))
        now = _at(day, 9 + i % 10, i % 60)
        if i % 25 == 11:
            survey_services.record_contact(
                actor=runner, household=household, outcome="unreachable", reason="多次上门无人，已留征询表", now=now
            )
            continue
        survey_services.record_contact(
            actor=runner,
            household=household,
            outcome="paper_form" if i % 2 else "agreed",
            plan_answer="disagree" if i % 20 == 7 else "agree",
            model_answer="disagree" if i % 10 == 3 else "agree",
            reason="纸质征询表已签字回收" if i % 2 else "入户讲解后当面表态，已签字",
            now=now,
        )
    if close:
        survey = survey_services.survey_close(actor=runner, survey=survey, now=_at(closes_on, 18))
    return survey


def _site_photo(project, percent: int, alt: str, user):
    """A small drawn "site photo" (PNG, the same every run): buildings, the finished share of their walls in a
    new colour, scaffolding on the rest, and a progress bar. Made the way the progress page makes an upload."""
    from PIL import Image as PILImage
    from PIL import ImageDraw

    picture = PILImage.new("RGB", (320, 200), (206, 226, 241))
    draw = ImageDraw.Draw(picture)
    draw.rectangle([0, 160, 320, 200], fill=(150, 142, 126))
    for n in range(4):
        left, top = 12 + n * 78, 50 + (n % 2) * 14
        done = n < round(4 * percent / 100)
        draw.rectangle([left, top, left + 64, 160], fill=(238, 214, 170) if done else (176, 170, 160))
        for row in range(top + 10, 150, 18):
            for col in (left + 8, left + 26, left + 44):
                draw.rectangle([col, row, col + 10, row + 9], fill=(92, 128, 160))
        if not done:
            for x in range(left - 4, left + 70, 12):
                draw.line([x, top - 6, x, 160], fill=(120, 84, 40), width=2)
            for y in range(top, 160, 16):
                draw.line([left - 4, y, left + 68, y], fill=(120, 84, 40), width=2)
    draw.rectangle([10, 176, 310, 190], outline=(40, 40, 40), fill=(255, 255, 255))
    draw.rectangle([10, 176, 10 + 3 * percent, 190], fill=(46, 125, 50))
    buffer = BytesIO()
    picture.save(buffer, format="PNG")
    image = get_image_model()(
        title=f"{project.title} {percent}% 施工现场"[:255],
        file=ContentFile(buffer.getvalue(), name=f"renovation-progress-{project.pk}-{percent}.png"),
        uploaded_by_user=user,
    )
    if hasattr(image, "description"):
        image.description = alt[:255]
    image.save()
    return image


def _milestones(project, actor, milestones) -> None:
    for kind, day, note in milestones:
        services.milestone_record(actor=actor, project=project, kind=kind, reached_on=day, note=note, now=_at(day, 16))


def _receipts(project, actor, receipts) -> None:
    for source, amount, day, reference in receipts:
        services.receipt_record(
            actor=actor, project=project, source=source, amount=amount, received_on=day, reference=reference
        )


# --- 平原路小区: completed in 2023 --------------------------------------------------------------------------


PINGYUAN_ITEMS = (
    ("lift", "6", "部", "3300000.00", "3栋楼6个单元各加装一部电梯（每部约55万元，含井道、基础和管线迁改）"),
    ("ev_charging", "2", "处", "186000.00", "新建电动自行车充电车棚2处，充电端口80个"),
    ("roof", "3240", "平方米", "583200.00", "铲除原防水层，重做SBS改性沥青卷材防水"),
    ("stairwell", "6", "个单元", "252000.00", "楼道墙面粉刷、扶手更换、声控照明"),
    ("drainage", "860", "米", "430000.00", "雨污分流，新建雨水、污水管网"),
    ("greening_lighting", "1", "项", "168800.00", "补植绿化1200平方米，更换庭院灯36盏"),
)
PINGYUAN_FUNDING = {
    "central": "1680000.00",
    "provincial": "420000.00",
    "municipal": "560000.00",
    "district": "640000.00",
    "utilities": "120000.00",
    "provident_fund": "1500000.00",
}
PINGYUAN_TITLE = "平原路小区老旧小区综合改造（加装电梯、雨污分流）"
PINGYUAN_REJECTED_TITLE = "平原路小区新建地下停车库申请"


def _pingyuan(community, officers) -> None:
    committee = _committee_account(community)
    staff = _staff(community)
    reviewers = _reviewers(community, officers)
    city, district = officers["bureau"], reviewers[rules.DISTRICT]
    # Rejected this year (seeded first: the completed project's stage sets the community's status last).
    rejected = _apply(
        community,
        committee,
        _application(
            community,
            title=PINGYUAN_REJECTED_TITLE,
            problems="小区停车位严重不足，夜间车辆占用消防通道。申请在小区中心绿地下新建两层地下停车库，约120个车位。",
            evidence="业主委员会征集意见，62户签字支持。",
        ),
        days=[_ago(44)],
    )
    rejected = _submit(rejected, committee, _ago(42))
    rejected = _decide(rejected, reviewers, rules.COMMUNITY, _ago(38), opinion="情况属实，同意推荐，请街道审核。")
    _decide(
        rejected,
        reviewers,
        rules.SUB_DISTRICT,
        _ago(30),
        decision=rules.REJECT,
        opinion=(
            "不予通过：该小区已于2023年完成老旧小区改造；新建地下停车库属于新建工程，不在老旧小区改造内容之内，"
            "且中心绿地下有燃气和供水干管。停车难问题建议通过错时共享停车和周边停车设施专项规划解决。"
        ),
    )
    # The 2023 renovation: survey in August 2022, the chain in the autumn, the 2023 plan, works through December.
    survey = _survey(
        community,
        staff,
        opens_on=date(2022, 8, 1),
        closes_on=date(2022, 8, 31),
        summary="加装电梯6部、雨污分流、屋面防水、楼道整治、充电车棚和绿化照明，加装电梯部分使用住房公积金。",
        close=True,
    )
    project = _apply(
        community,
        committee,
        _application(
            community,
            title=PINGYUAN_TITLE,
            problems="六层住宅无电梯，老人上下楼困难；雨污合流，雨季化粪池外溢；屋面渗漏；电动车楼道充电有火灾隐患。",
            evidence="意愿征询：改造方案和物业管理模式同意户数均超过80%（见关联的意愿征询结果）。",
        ),
        days=[date(2022, 9, 5)],
    )
    _items(project, committee, PINGYUAN_ITEMS)
    _funding(project, committee, PINGYUAN_FUNDING)
    services.survey_link(actor=committee, project=project, survey=survey)
    project = _submit(project, committee, date(2022, 9, 6))
    for level, day in zip(
        rules.LEVELS, (date(2022, 9, 14), date(2022, 9, 26), date(2022, 10, 18), date(2022, 11, 22)), strict=True
    ):
        project = _decide(project, reviewers, level, day)
    services.plan_enter(actor=city, project=project, plan=_annual_plan(2023), now=_at(date(2023, 2, 20)))
    _milestones(
        project,
        district,
        [
            (rules.DESIGN, date(2023, 3, 10), "设计方案经居民议事会讨论并公示7天无异议，施工图审查通过。"),
            (rules.TENDER, date(2023, 4, 18), "公开招标确定施工单位新乡市建工集团有限公司，监理单位同步确定。"),
            (rules.START, date(2023, 5, 8), "开工，分楼栋施工，先管网后地面，电梯井道同步施工。"),
        ],
    )
    for percent, day, note in (
        (35, date(2023, 7, 5), "雨污管网完成，1号楼电梯井道封顶。"),
        (75, date(2023, 9, 6), "6部电梯安装完成待检测，屋面防水完成。"),
    ):
        services.progress_report(actor=staff, project=project, percent=percent, note=note, now=_at(day, 16))
    _milestones(
        project,
        district,
        [
            (rules.COMPLETION, date(2023, 10, 26), "全部改造内容完工，6部电梯通过特种设备检验。"),
            (rules.ACCEPTANCE, date(2023, 11, 21), "住建、街道、社区、业主代表和管线单位联合竣工验收合格。"),
            (rules.EVALUATION, date(2023, 12, 15), "居民评价：发放评价表72份，满意和基本满意68份。"),
        ],
    )
    _receipts(
        project,
        district,
        [
            ("central", "1000000.00", date(2023, 3, 28), "豫财建〔2023〕21号"),
            ("central", "680000.00", date(2023, 8, 15), "豫财建〔2023〕96号"),
            ("provincial", "420000.00", date(2023, 4, 20), "豫财建〔2023〕35号"),
            ("municipal", "560000.00", date(2023, 5, 12), "新财预〔2023〕118号"),
            ("district", "640000.00", date(2023, 6, 2), "红财〔2023〕47号"),
            ("utilities", "120000.00", date(2023, 7, 10), "新乡供电公司配套资金确认函"),
            ("provident_fund", "1500000.00", date(2023, 9, 20), "新乡住房公积金中心提取批复（加装电梯）"),
        ],
    )


# --- 向阳新村: under way -----------------------------------------------------------------------------------


XIANGYANG_ITEMS = (
    ("drainage", "4800", "米", "2880000.00", "雨污分流，新建雨水、污水管网及检查井"),
    ("energy_retrofit", "42000", "平方米", "5460000.00", "外墙保温及外立面整治"),
    ("roof", "9600", "平方米", "1728000.00", "屋面防水及保温"),
    ("roads", "12500", "平方米", "1500000.00", "小区道路沥青罩面，增设减速带"),
    ("overhead_cables", "3200", "米", "640000.00", "强弱电架空线规整入地"),
    ("ev_charging", "4", "处", "360000.00", "电动自行车集中充电棚4处"),
    ("accessibility", "50", "个单元", "450000.00", "单元出入口坡道、楼道扶手"),
    ("fitness", "1", "处", "220000.00", "中心广场健身器材和休息座椅"),
)
XIANGYANG_FUNDING = {
    "central": "5300000.00",
    "provincial": "1320000.00",
    "municipal": "2000000.00",
    "district": "2400000.00",
    "utilities": "1468000.00",
    "institutions": "750000.00",
}
XIANGYANG_TITLE = "向阳新村老旧小区综合改造（雨污分流、外墙保温）"
XIANGYANG_RETURNED_TITLE = "向阳新村5号楼、6号楼加装电梯申请"


def _xiangyang(community, officers) -> None:
    committee = _committee_account(community)
    staff = _staff(community)
    reviewers = _reviewers(community, officers)
    city, district = officers["bureau"], reviewers[rules.DISTRICT]
    returned = _apply(
        community,
        committee,
        _application(
            community,
            title=XIANGYANG_RETURNED_TITLE,
            buildings_count=2,
            households=120,
            problems="5号楼、6号楼为六层住宅，高龄老人多，上下楼困难，申请每个单元加装一部电梯。",
            evidence="两栋楼业主联名申请。",
        ),
        days=[_ago(36)],
    )
    returned = _submit(returned, committee, _ago(35))
    _decide(
        returned,
        reviewers,
        rules.COMMUNITY,
        _ago(29),
        decision=rules.RETURN,
        opinion=(
            "请补充后重新提交：1. 各单元同意加装电梯的业主签字表（需本单元专有部分面积和人数均三分之二以上参与表决，"
            "且参与表决者四分之三以上同意）；2. 结构安全鉴定报告中关于加装电梯的专项意见；3. 一、二楼住户的意见"
            "及协商结果。"
        ),
    )
    # The main project: survey last winter, the chain in the spring, this year's plan, works since the summer.
    survey = _survey(
        community,
        staff,
        opens_on=_ago(330),
        closes_on=_ago(300),
        summary="雨污分流、外墙保温、屋面防水、道路、架空线入地、充电棚、无障碍设施和健身场地。",
        close=True,
    )
    project = _apply(
        community,
        committee,
        _application(
            community,
            title=XIANGYANG_TITLE,
            problems="雨污合流，雨季多处积水倒灌；外墙无保温、空鼓脱落；屋面渗漏；道路破损；架空线杂乱。",
            evidence="意愿征询：改造方案和物业管理模式同意户数均超过80%（见关联的意愿征询结果）。",
        ),
        days=[_ago(296)],
    )
    _items(project, committee, XIANGYANG_ITEMS)
    amounts = dict(XIANGYANG_FUNDING)
    share = CostSharePlan.objects.filter(community=community).order_by("pk").first()
    if share is not None and share.total < Decimal(amounts["district"]):
        # The residents' part, if the fees ledger has a cost-sharing plan here, replaces district money.
        amounts["district"] = str(Decimal(amounts["district"]) - share.total)
        amounts["residents"] = str(share.total)
    _funding(project, committee, amounts)
    services.survey_link(actor=committee, project=project, survey=survey)
    if share is not None and "residents" in amounts:
        services.cost_share_link(actor=committee, project=project, plan=share)
    project = _submit(project, committee, _ago(294))
    for level, days in zip(rules.LEVELS, (290, 280, 266, 250), strict=True):
        project = _decide(project, reviewers, level, _ago(days))
    planned = _ago(240)
    services.plan_enter(actor=city, project=project, plan=_annual_plan(planned.year), now=_at(planned))
    _milestones(
        project,
        district,
        [
            (rules.DESIGN, _ago(220), "设计方案经业主大会和居民议事会讨论并公示，施工图审查通过。"),
            (rules.TENDER, _ago(190), "公开招标确定施工单位和监理单位，中标结果公示无异议。"),
            (rules.START, _ago(160), "开工：先地下管网后地面，分区围挡施工，每周公示施工计划。"),
        ],
    )
    for percent, days, note in (
        (15, 130, "1至3号楼雨污管网完成。"),
        (30, 100, "雨污分流全部完成，开始外墙保温。"),
        (45, 60, "1至6号楼外墙保温完成，屋面防水完成一半。"),
        (60, 20, "外墙保温完成8栋，屋面防水全部完成，道路施工开始。"),
    ):
        photo = _site_photo(project, percent, f"施工现场：{note}", staff)
        services.progress_report(
            actor=staff, project=project, percent=percent, note=note, photo=photo, now=_at(_ago(days), 16)
        )
    _receipts(
        project,
        district,
        [
            ("central", "5300000.00", _ago(200), f"豫财建〔{_ago(200).year}〕18号"),
            ("provincial", "1320000.00", _ago(170), f"豫财建〔{_ago(170).year}〕41号"),
            ("municipal", "1000000.00", _ago(150), f"新财预〔{_ago(150).year}〕73号"),
            ("district", "800000.00", _ago(90), f"红财〔{_ago(90).year}〕52号"),
            ("utilities", "600000.00", _ago(60), "新乡供电公司、联通公司配套资金确认函"),
        ],
    )


# --- 人民西路片区: in this year's plan -------------------------------------------------------------------


RENMINXI_ITEMS = (
    ("roof", "1150", "平方米", "207000.00", "屋面防水"),
    ("walls", "3600", "平方米", "324000.00", "外墙空鼓脱落整治及粉刷"),
    ("stairwell", "4", "个单元", "96000.00", "楼道墙面、扶手和照明"),
    ("drainage", "420", "米", "231000.00", "雨污分流"),
    ("security", "1", "项", "68000.00", "出入口及楼道视频监控"),
    ("parcel_boxes", "2", "组", "36000.00", "智能快件箱"),
    ("greening_lighting", "1", "项", "58000.00", "补植绿化，更换庭院灯"),
)
RENMINXI_FUNDING = {
    "central": "400000.00",
    "provincial": "100000.00",
    "municipal": "180000.00",
    "district": "260000.00",
    "utilities": "60000.00",
    "donations": "20000.00",
}
RENMINXI_TITLE = "人民西路片区老旧小区改造（屋面、外墙、雨污分流）"


def _renminxi(community, officers) -> None:
    committee = _committee_account(community)
    staff = _staff(community)
    reviewers = _reviewers(community, officers)
    project = _apply(
        community,
        committee,
        _application(
            community,
            title=RENMINXI_TITLE,
            problems="两栋单位自建楼，屋面渗漏、外墙脱落，雨污合流，无监控，快递无处存放。",
            evidence="业主委员会逐户征求意见，绝大多数住户签字同意，并承诺捐资和投工投劳。",
        ),
        days=[_ago(152)],
    )
    _items(project, committee, RENMINXI_ITEMS)
    _funding(project, committee, RENMINXI_FUNDING)
    project = _submit(project, committee, _ago(150))
    for level, days in zip(rules.LEVELS, (144, 132, 115, 92), strict=True):
        project = _decide(project, reviewers, level, _ago(days))
    survey = _survey(
        community,
        staff,
        opens_on=_ago(75),
        closes_on=_ago(45),
        summary="屋面防水、外墙整治、楼道整治、雨污分流、视频监控、智能快件箱和绿化照明。",
        close=True,
    )
    services.survey_link(actor=officers["bureau"], project=project, survey=survey)
    services.plan_enter(
        actor=officers["bureau"],
        project=project,
        plan=_annual_plan(timezone.localdate().year),
        now=_at(_ago(20)),
    )


# --- 铁路新村: approved, blocked for lack of the construction list ------------------------------------------


TIELU_ITEMS = (
    ("roof", "3900", "平方米", "741000.00", "屋面防水及保温"),
    ("walls", "10800", "平方米", "1188000.00", "外墙空鼓脱落整治及粉刷"),
    ("stairwell", "12", "个单元", "336000.00", "楼道墙面、扶手、照明"),
    ("drainage", "1150", "米", "690000.00", "雨污分流"),
    ("roads", "4600", "平方米", "552000.00", "道路修缮"),
    ("fire_safety", "1", "项", "186000.00", "室外消火栓及楼道灭火器"),
    ("greening_lighting", "1", "项", "145000.00", "绿化补植和庭院灯"),
)
TIELU_FUNDING = {
    "central": "1500000.00",
    "provincial": "380000.00",
    "municipal": "560000.00",
    "district": "900000.00",
    "former_employer": "498000.00",
}
TIELU_TITLE = "铁路新村老旧小区改造（屋面、外墙、雨污分流）"


def _tielu(community, officers) -> None:
    city = officers["bureau"]
    # 三供一业 (seed §二): water and power were renovated with the handover in 2017 (central subsidy).
    services.sgyy_retrofit_record(
        actor=city,
        community=community,
        facility=SgyyRetrofit.Facility.WATER,
        status=SgyyRetrofit.Status.DONE,
        receiving_unit="新乡市自来水有限公司",
        scope="2017年分离移交时更换庭院供水管网和入户水表，实行一户一表",
    )
    services.sgyy_retrofit_record(
        actor=city,
        community=community,
        facility=SgyyRetrofit.Facility.POWER,
        status=SgyyRetrofit.Status.DONE,
        receiving_unit="国网新乡供电公司",
        scope="2017年分离移交时改造配电室和楼栋进户线",
    )
    committee = _committee_account(community)
    staff = _staff(community)
    reviewers = _reviewers(community, officers)
    project = _apply(
        community,
        committee,
        _application(
            community,
            title=TIELU_TITLE,
            problems="1979年建成的铁路职工家属院，屋面渗漏、外墙脱落，雨污合流，道路破损，消防设施缺失。"
            "供水、供电已在“三供一业”分离移交中改造，本次不再申请。",
            evidence="物业管理委员会逐户征求意见并开展意愿征询（见关联的意愿征询结果）。",
        ),
        days=[_ago(205)],
    )
    _items(project, committee, TIELU_ITEMS)
    _funding(project, committee, TIELU_FUNDING)
    project = _submit(project, committee, _ago(200))
    for level, days in zip(rules.LEVELS, (193, 180, 160, 122), strict=True):
        project = _decide(project, reviewers, level, _ago(days))
    survey = _survey(
        community,
        staff,
        opens_on=_ago(110),
        closes_on=_ago(80),
        summary="屋面防水、外墙整治、楼道整治、雨污分流、道路修缮、消防设施和绿化照明（供水、供电已改造，不含）。",
        close=True,
    )
    services.survey_link(actor=city, project=project, survey=survey)


# --- 健康里小区: residents' application, waiting for the survey --------------------------------------------


JIANKANG_ITEMS = (
    ("drainage", "1240", "米", "744000.00", "雨水、污水管网各约620米，更换化粪池2座"),
    ("roof", "2300", "平方米", "414000.00", "SBS改性沥青卷材防水并加设保温层"),
    ("stairwell", "8", "个单元", "112000.00", "楼道声控灯更换，规整楼道“飞线”"),
    ("accessibility", "8", "个单元", "128000.00", "楼道扶手、折叠座椅，出入口坡化"),
    ("walls", "6200", "平方米", "186000.00", "外墙粉刷"),
    ("security", "8", "套", "64000.00", "单元门禁"),
    ("ev_charging", "2", "处", "96000.00", "电动自行车集中充电棚"),
    ("greening_lighting", "1", "项", "56000.00", "补植绿化"),
)
JIANKANG_FUNDING = {
    "central": "720000.00",
    "provincial": "180000.00",
    "municipal": "360000.00",
    "district": "540000.00",
}
JIANKANG_TITLE = "健康里小区老旧小区改造申请（雨污分流、屋面防水、适老化）"


def _jiankang(community, officers) -> None:
    residents = _residents(community, RESIDENT_SIGNERS)
    applicant, signers = residents[0], residents[1:]
    reviewers = _reviewers(community, officers)
    project = _apply(
        community,
        applicant,
        _application(
            community,
            title=JIANKANG_TITLE,
            problems="雨季3号楼、4号楼前积水倒灌，化粪池破损；屋面渗漏；楼道照明损坏、电线私拉乱接；老人多，"
            "楼道无扶手。小区没有业主委员会，由居民联名申请。",
            evidence=f"{len(residents)}户居民在本平台联名申请；社区正在组织改造方案和物业管理模式意愿征询。",
        ),
        days=[_ago(100)],
        signers=signers,
    )
    _items(project, applicant, JIANKANG_ITEMS)
    _funding(project, applicant, JIANKANG_FUNDING)
    project = _submit(project, applicant, _ago(96))
    for level, days in zip(rules.LEVELS, (90, 80, 64, 40), strict=True):
        project = _decide(project, reviewers, level, _ago(days))
    from portal.management.demo_surveys import SURVEY_TITLE

    survey = WillingnessSurvey.objects.filter(community=community, title=SURVEY_TITLE).first()
    if survey is not None:
        services.survey_link(actor=reviewers[rules.COMMUNITY], project=project, survey=survey)


# --- 新华苑: in review at the district, overdue ------------------------------------------------------------


XINHUA_ITEMS = (
    ("roof", "4100", "平方米", "738000.00", "屋面防水"),
    ("walls", "9800", "平方米", "882000.00", "外墙维修及安全隐患整治"),
    ("parking", "1", "处", "420000.00", "地面停车场重新划线、增设充电车位和道闸"),
    ("fire_safety", "1", "项", "246000.00", "消防通道整治，室外消火栓更换"),
    ("smart_perimeter", "1", "项", "168000.00", "周界防护和出入口人脸识别"),
)
XINHUA_FUNDING = {
    "central": "980000.00",
    "provincial": "245000.00",
    "municipal": "368000.00",
    "district": "861000.00",
}
XINHUA_TITLE = "新华苑老旧小区改造申请（屋面、外墙、停车和消防）"


def _xinhua(community, officers) -> None:
    committee = _committee_account(community)
    reviewers = _reviewers(community, officers)
    project = _apply(
        community,
        committee,
        _application(
            community,
            title=XINHUA_TITLE,
            problems="屋面渗漏、外墙瓷砖脱落伤人隐患，停车无序堵塞消防通道，周界围墙破损。",
            evidence="业主委员会组织征求意见，多数业主书面同意。",
        ),
        days=[_ago(52)],
    )
    _items(project, committee, XINHUA_ITEMS)
    _funding(project, committee, XINHUA_FUNDING)
    project = _submit(project, committee, _ago(50))
    project = _decide(project, reviewers, rules.COMMUNITY, _ago(46))
    # At the district since 38 days ago: its 20 days ran out 18 days ago.
    _decide(project, reviewers, rules.SUB_DISTRICT, _ago(38))


# The order matters only for each community's summary status, which the last stage change writes.
SCENARIOS = (
    ("pingyuan-lu", PINGYUAN_TITLE, _pingyuan),
    ("xiangyang-xincun", XIANGYANG_TITLE, _xiangyang),
    ("renmin-xilu", RENMINXI_TITLE, _renminxi),
    ("tielu-xincun", TIELU_TITLE, _tielu),
    ("jiankangli", JIANKANG_TITLE, _jiankang),
    ("xinhua-yuan", XINHUA_TITLE, _xinhua),
)
