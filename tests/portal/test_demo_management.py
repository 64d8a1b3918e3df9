"""The demo property management of `manage.py seed_demo` (portal.management.demo_management), on a reduced city.

Like tests/portal/test_demo_renovation.py: the six communities with fewer buildings, their registry, accounts, and
every earlier demo part the management demo rests on (bodies, votes, fees, policy, renovation) built with the seed
command's own steps, then the management seed twice — once for the whole module, inside a transaction rolled back
at the end.
"""

import datetime
import io
from decimal import Decimal

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.models import AnonymousUser
from django.db import transaction
from django.template import Context, Template
from django.test import RequestFactory
from django.urls import reverse
from django.utils import timezone

from governance.models import OwnersDecision
from home.models import AuditEntry, CommunityPage, Notification
from home.permissions import roles_in
from portal.management.demo_bodies import seed_bodies
from portal.management.demo_city import _Layout
from portal.management.demo_decisions import PROPERTY_VOTE, seed_decisions
from portal.management.demo_fees import seed_fees
from portal.management.demo_management import (
    BUNDLE_GUARANTOR,
    BUNDLE_NAME,
    QUESTION_TITLE,
    XINHUA_VOTE,
    seed_management,
)
from portal.management.demo_renovation import seed_renovation
from portal.management.demo_surveys import seed_surveys
from property.domain import management as rules
from property.models import (
    CompanyQuestion,
    CompanyStaff,
    ContractFeeRate,
    FeeSchedule,
    Handover,
    HandoverItem,
    HandoverSignature,
    ManagementBundle,
    ManagementPeriod,
    PropertyCompany,
    RepairEvent,
    RepairRequest,
    ServiceContract,
    SgyyRetrofit,
)
from property.services import management as services
from tests.portal.small_city import seed_small_city

User = get_user_model()
Mode = ManagementPeriod.Mode
Status = RepairRequest.Status
COUNTED = (
    PropertyCompany,
    CompanyStaff,
    ManagementBundle,
    ServiceContract,
    ContractFeeRate,
    ManagementPeriod,
    Handover,
    HandoverItem,
    HandoverSignature,
    RepairRequest,
    RepairEvent,
    CompanyQuestion,
    SgyyRetrofit,
    CommunityPage,
    OwnersDecision,
    FeeSchedule,
    AuditEntry,
    Notification,
    User,
)
# The fees demo's reduced city (enough homes for the demo accounts' and for its arrears reminders), with the
# renovation demo's 健康里 (enough owners without a seat for its twelve residents' accounts).
SMALL = {
    "tielu": _Layout(2, 1, 4, 2, (42, 68), surveyed_only_share=0.08),
    "jiankang": _Layout(3, 1, 4, 2, (38, 62), surveyed_only_share=0.30, contract_only_share=0.10),
    "xiangyang": _Layout(5, 2, 5, 2, (56, 118), contract_only_share=0.05, parking=4),
    "pingyuan": _Layout(2, 1, 4, 2, (60, 96)),
    "renminxi": _Layout(2, 1, 4, 2, (45, 75)),
    "xinhua": _Layout(2, 1, 4, 2, (72, 130), parking=4, developer_unsold=2, developer_undelivered=1),
}


def _counts() -> dict[str, int]:
    return {model.__name__: model.objects.count() for model in COUNTED}


def _small_city(monkeypatch):
    seed_small_city(monkeypatch, SMALL)
    # The parts the management demo rests on (the 议事厅 needs the accounts' homes, which the small city lacks).
    for part in (seed_bodies, seed_decisions, seed_surveys, seed_fees, seed_renovation):
        part(io.StringIO())


@pytest.fixture(scope="module")
def seeded(django_db_setup, django_db_blocker):
    with django_db_blocker.unblock(), transaction.atomic(), pytest.MonkeyPatch.context() as monkeypatch:
        _small_city(monkeypatch)
        out = io.StringIO()
        seed_management(out)
        first = _counts()
        again = io.StringIO()
        seed_management(again)
        yield {"first": first, "second": _counts(), "output": out.getvalue(), "again": again.getvalue()}
        transaction.set_rollback(True)


@pytest.fixture(autouse=True)
def _seeded_city(seeded, db):
    """Every test reads the seeded city; its own changes are rolled back after it."""


def _community(slug) -> CommunityPage:
    return CommunityPage.objects.get(slug=slug)


def _period(slug) -> ManagementPeriod:
    return ManagementPeriod.objects.select_related("contract__company", "bundle__operator").get(
        community__slug=slug, ends_on__isnull=True
    )


def test_second_run_writes_nothing(seeded):
    assert seeded["first"] == seeded["second"]
    assert "新建 无" in seeded["again"]
    assert "新建 向阳新村、新华苑、平原路小区、铁路新村、人民西路片区" in seeded["output"]


def test_one_community_in_each_mode():
    assert _period("xiangyang-xincun").mode == Mode.MARKET_COMPANY
    assert _period("xinhua-yuan").mode == Mode.MARKET_COMPANY
    assert _period("pingyuan-lu").mode == Mode.SELF_MANAGED
    assert _period("tielu-xincun").mode == Mode.BUNDLED
    assert _period("renmin-xilu").mode == Mode.BUNDLED
    assert not ManagementPeriod.objects.filter(community__slug="jiankangli").exists()
    # The community pages mirror their open period.
    assert _community("pingyuan-lu").management_mode == Mode.SELF_MANAGED
    assert _community("tielu-xincun").management_mode == Mode.BUNDLED


def test_companies_with_credit_codes_and_staff_accounts():
    companies = PropertyCompany.objects.all()
    assert companies.count() == 3
    assert "新乡市宜居物业服务有限公司" in set(companies.values_list("name", flat=True))
    for company in companies:
        assert len(company.credit_code) == 18 and company.service_phone
        posts = CompanyStaff.objects.filter(company=company, active=True)
        assert posts.filter(is_manager=True).count() == 1 and posts.filter(is_manager=False).count() == 1
        assert posts.get(is_manager=True).title == "物业经理"
    assert CompanyStaff.objects.get(user__username="property").company.name == "新乡市安馨物业服务有限公司"
    phones = [u.phone for u in User.objects.filter(company_posts__isnull=False)]
    assert len(phones) == len(set(phones))
    assert {"+8613900000017", "+8613900000021"} <= set(phones)
    assert all(User.objects.filter(phone=phone).count() == 1 for phone in phones)


def test_xiangyang_contract_in_force_with_rates_filed_on_time_and_approved_by_the_vote():
    contract = _period("xiangyang-xincun").contract
    assert contract.status == ServiceContract.Status.IN_FORCE
    assert contract.company.name == "新乡市安馨物业服务有限公司"
    assert contract.approving_question.decision.title == PROPERTY_VOTE.title
    assert contract.approving_question.decision.matter == OwnersDecision.Matter.MANAGER
    assert contract.filed_on and not rules.filing_overdue(contract.signed_on, contract.filed_on, timezone.localdate())
    rates = {r.unit_kind: r.rate for r in contract.fee_rates.select_related("schedule")}
    assert rates == {"residence": Decimal("0.85"), "special_space": Decimal("60")}
    # A renewal at the fees in force: the fees demo's schedules go on (no new rate from the renewal's start).
    assert {r.schedule.approval_reference for r in contract.fee_rates.select_related("schedule")} == {
        s.approval_reference for s in FeeSchedule.objects.filter(community=contract.community, valid_until=None)
    }


def test_xinhua_contract_not_filed_overdue_and_reminded_near_its_renewal_deadline():
    contract = _period("xinhua-yuan").contract
    today = timezone.localdate()
    assert contract.company.name == "新乡市宜居物业服务有限公司"
    assert contract.approving_question.decision.title == XINHUA_VOTE.title
    assert contract.approving_question.decision.status == OwnersDecision.Status.FINAL
    assert contract.filed_on is None and rules.filing_overdue(contract.signed_on, None, today)
    assert rules.renewal_reminder_from(contract.ends_on) <= today <= contract.renewal_decision_deadline
    assert contract.renewal_reminded_on == today
    assert Notification.objects.filter(title__contains="物业服务合同将于", recipient__username="xinhua-yuan-yeweihui")
    # Begun before it was recorded, at the fees already charged: it goes on with the fees demo's schedules.
    assert contract.starts_on < today
    kept = {r.schedule.valid_from for r in contract.fee_rates.select_related("schedule")}
    assert kept == {datetime.date(2026, 1, 1), datetime.date(2021, 1, 1)}


def test_pingyuan_self_management_plan_p10():
    period = _period("pingyuan-lu")
    assert period.executing_body and period.scope and period.standards and period.fees and period.term_ends_on
    assert "电梯" in period.professionals


def test_bundle_of_three_small_communities_of_one_sub_district():
    bundle = ManagementBundle.objects.get(name=BUNDLE_NAME)
    communities = CommunityPage.objects.filter(management_periods__bundle=bundle)
    assert communities.count() == 3
    assert {c.sub_district_id for c in communities} == {bundle.sub_district_id}
    assert "铁路新村" in {c.title for c in communities}
    assert bundle.operator.name == "新乡市和顺物业服务有限公司"
    assert bundle.guarantor == BUNDLE_GUARANTOR and "居民委员会" in bundle.guarantor
    # The operator's staff reach the three communities and no other.
    manager = User.objects.get(username="heshun-jingli")
    assert services.served_community_ids(bundle.operator) == {c.pk for c in communities}
    assert manager.groups.filter(community_role__role="property_staff").count() == 3


def test_completed_developer_handover_with_one_missing_item_delivered_later_and_one_still_open():
    handover = Handover.objects.get(community__slug="xinhua-yuan", kind=rules.DEVELOPER_TO_COMPANY)
    assert handover.status == Handover.Status.SIGNED and handover.filed_on
    assert set(handover.signatures.values_list("party", flat=True)) == set(rules.SIGNING_PARTIES)
    assert handover.signatures.get(party=rules.OUTGOING).scan is not None
    missing = {item.label: item for item in handover.items.filter(state=rules.MISSING)}
    assert all(item.acknowledged_at for item in missing.values())
    delivered = missing["地下管网竣工图"]
    assert delivered.closed_at and delivered.closing_note and not delivered.is_open
    still_open = missing["设施设备安装、使用和维护保养等技术资料"]
    assert still_open.is_open and still_open.promised_on > timezone.localdate()
    assert len(missing) == 2


def test_open_sgyy_handover_at_the_railway_compound():
    handover = Handover.objects.get(community__slug="tielu-xincun", kind=rules.SGYY_PROPERTY)
    assert handover.status == Handover.Status.OPEN and not handover.signatures.exists()
    assert handover.outgoing_name == "新乡铁路分局" and handover.incoming_company.name == "新乡市和顺物业服务有限公司"
    items = {item.label: item for item in handover.items.all()}
    assert items["地下管网竣工图"].state == rules.MISSING and items["地下管网竣工图"].promised_on
    assert items["原单位代收费用的结清"].state == rules.MISSING
    assert items["业主名册"].state == rules.PRESENT
    assert any(item.state == rules.PENDING for item in items.values())
    assert services.sign_blockers(handover)


def test_sgyy_facilities_handover_status():
    status = {
        r.facility: r for r in SgyyRetrofit.objects.filter(community__slug="tielu-xincun", handover_status__gt="")
    }
    water, power = status["water"], status["power"]
    assert water.handover_status == power.handover_status == SgyyRetrofit.HandoverStatus.TRANSFERRED
    assert water.metered_per_household and power.metered_per_household and water.receiving_unit
    assert status["heating_gas"].handover_status == SgyyRetrofit.HandoverStatus.AGREED
    assert status["heating_gas"].transferred_on is None
    assert status["property_mgmt"].handover_status == SgyyRetrofit.HandoverStatus.NOT_STARTED
    # The renovation demo's record stays: water was renovated under 三供一业.
    assert water.status == "done"


def test_repair_requests_in_every_state_filed_by_residents_with_accounts():
    requests = RepairRequest.objects.filter(community__slug="xiangyang-xincun")
    assert set(requests.values_list("status", flat=True)) == set(Status.values)
    closed = requests.filter(status=Status.CLOSED)
    assert closed.count() == 2 and all(r.rating and r.closed_at for r in closed)
    now = timezone.now()
    assert any(r.is_overdue(now) for r in requests)
    assert all(r.filed_by.is_active and r.filed_by.has_usable_password() for r in requests)
    assert requests.order_by("filed_at").first().filed_at < now - timezone.timedelta(days=20)
    assert all(r.company.name == "新乡市安馨物业服务有限公司" for r in requests)
    assert RepairRequest.objects.filter(community__slug="tielu-xincun", status=Status.CLOSED).exists()
    # Only the filer confirmed and cancelled.
    for event in RepairEvent.objects.filter(action__in=("confirm", "cancel")).select_related("request"):
        assert event.actor_id == event.request.filed_by_id


def test_company_policy_question():
    link = CompanyQuestion.objects.select_related("company", "question").get(question__title=QUESTION_TITLE)
    assert link.company.name == "新乡市安馨物业服务有限公司"
    assert link.question.on_behalf_of == link.company.name


def _card(user, community) -> str:
    request = RequestFactory().get("/")
    request.user = user
    return Template("{% load management_tags %}{% management_card community %}").render(
        Context({"request": request, "community": community})
    )


def test_community_card_of_the_demo_in_two_queries_and_the_open_items(django_assert_max_num_queries):
    owner = User.objects.get(username="owner")
    xiangyang = _community("xiangyang-xincun")
    roles_in(owner, xiangyang)  # the page's header has loaded the visitor's roles already
    with django_assert_max_num_queries(3):  # the card's two, and the open handover items' one
        html = _card(owner, xiangyang)
    assert "新乡市安馨物业服务有限公司" in html and "0373-3051188" in html
    assert reverse("property:repair_new", args=[xiangyang.pk]) in html
    assert reverse("property:repair_list") in html and reverse("property:management", args=[xiangyang.pk]) in html
    assert reverse("property:sgyy_handover", args=[xiangyang.pk]) not in html
    tielu = _community("tielu-xincun")
    html = _card(AnonymousUser(), tielu)
    assert "新乡市和顺物业服务有限公司" in html and BUNDLE_GUARANTOR in html
    assert "地下管网竣工图" not in html  # the 三供一业 handover is still being inspected: its parties' working paper
    html = _card(AnonymousUser(), _community("xinhua-yuan"))
    assert "设施设备安装、使用和维护保养等技术资料" in html  # open after sign-off: on the page until closed (P-05)
    assert "地下管网竣工图" not in html  # delivered and closed
    assert reverse("property:repair_new", args=[tielu.pk]) not in html
    staff = User.objects.get(username="tielu-xincun-staff")
    assert reverse("property:sgyy_handover", args=[tielu.pk]) in _card(staff, tielu)
    jiankang = _card(AnonymousUser(), _community("jiankangli"))
    assert "No property management has been recorded" in jiankang or "尚未登记物业管理方式" in jiankang
