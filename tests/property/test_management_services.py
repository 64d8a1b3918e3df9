"""The management writers (issue 9): contracts need an approving owners' vote (V-13, P-01) and write nothing when
refused; a recorded contract feeds the fees schedules, opens the market period and gives the company's staff the
property-staff role there only; filing (P-01); termination notices (P-02) are checked and append-only;
self-management (P-10), bundles (连片打包) and the mode history; renewal reminders."""

import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from governance.models import OwnersDecision
from home.models import AuditEntry, CommunityPage, CommunityRole, Notification
from property.domain import management as rules
from property.models import (
    ContractFeeRate,
    ContractNotice,
    FeeSchedule,
    ManagementPeriod,
    ServiceContract,
)
from property.services import ledger
from property.services import management as services
from tests.factories import UserFactory, member
from tests.property.management_helpers import (
    company_with_staff,
    contract_data,
    contract_in_force,
    managed_community,
    passed_manager_vote,
)

pytestmark = pytest.mark.django_db
Role = CommunityRole.Role
TODAY = timezone.localdate


def has_staff_role(user, community) -> bool:
    return CommunityRole.objects.filter(community=community, role=Role.PROPERTY_STAFF, group__user=user).exists()


def nothing_written(community) -> bool:
    return (
        not ServiceContract.objects.filter(community=community).exists()
        and not FeeSchedule.objects.filter(community=community).exists()
        and not ManagementPeriod.objects.filter(community=community).exists()
        and not ContractFeeRate.objects.exists()
    )


# --- contract_record (V-13, P-01) -------------------------------------------------------------------------------


def _vote_of_other_community(mc):
    return passed_manager_vote(managed_community().community)


REFUSED_VOTES = {
    "V-13-no-vote": lambda mc: None,
    "V-13-other-community": _vote_of_other_community,
    "V-13-other-matter": lambda mc: passed_manager_vote(mc.community, matter=OwnersDecision.Matter.RULES_OF_PROCEDURE),
    "V-13-not-final": lambda mc: passed_manager_vote(mc.community, status=OwnersDecision.Status.PRELIMINARY),
    "V-13-not-passed": lambda mc: passed_manager_vote(mc.community, passed=False),
}


@pytest.mark.parametrize("case", list(REFUSED_VOTES), ids=list(REFUSED_VOTES))
def test_contract_without_an_approving_vote_is_refused_and_writes_nothing(case):
    mc = managed_community()
    company, manager, _repairer = company_with_staff()
    question = REFUSED_VOTES[case](mc)
    with pytest.raises(ValidationError):
        services.contract_record(
            actor=mc.committee, community=mc.community, company=company, approving_question=question, **contract_data()
        )
    assert nothing_written(mc.community)
    assert not has_staff_role(manager, mc.community)
    mc.community.refresh_from_db()
    assert mc.community.management_mode != rules.MARKET_COMPANY


@pytest.mark.parametrize("who", ["community_staff", "resident"])
def test_only_the_committee_records_a_contract_p01(who):
    mc = managed_community()
    company, *_ = company_with_staff()
    with pytest.raises(PermissionDenied):
        services.contract_record(
            actor=getattr(mc, who),
            community=mc.community,
            company=company,
            approving_question=passed_manager_vote(mc.community),
            **contract_data(),
        )
    assert nothing_written(mc.community)


def test_recorded_contract_feeds_fees_opens_the_market_period_and_gives_access():
    mc = managed_community()
    other = managed_community()
    company, manager, repairer = company_with_staff()
    data = contract_data()
    old = ledger.schedule_create(
        actor=mc.committee,
        community=mc.community,
        unit_kind="residence",
        rate=Decimal("0.40"),
        valid_from=data["starts_on"] - datetime.timedelta(days=400),
        approval_reference="原业主大会决定",
    )
    contract = contract_in_force(mc, company)

    assert contract.status == ServiceContract.Status.IN_FORCE
    [rate] = contract.fee_rates.all()
    assert rate.rate == Decimal("0.60")
    schedule = rate.schedule
    assert schedule.valid_from == data["starts_on"] and schedule.valid_until == data["ends_on"]
    assert company.name in schedule.approval_reference
    old.refresh_from_db()
    assert old.valid_until == data["starts_on"] - datetime.timedelta(days=1)

    period = services.current_period(mc.community)
    assert period.mode == rules.MARKET_COMPANY and period.contract == contract
    assert CommunityPage.objects.get(pk=mc.community.pk).management_mode == rules.MARKET_COMPANY
    actions = set(AuditEntry.objects.filter(community=mc.community).values_list("action", flat=True))
    assert {"management.contract_record", "management.mode"} <= actions

    for user in (manager, repairer):
        assert has_staff_role(user, mc.community)
        assert not has_staff_role(user, other.community)


def test_a_contract_at_the_rate_already_charged_keeps_its_schedule_and_a_new_rate_cannot_rewrite_charged_months():
    """Recorded after it began, a contract at the fee already charged goes on with that schedule; one at another fee
    from a month already charged is refused and writes nothing (the ledger's months are not rewritten)."""
    mc = managed_community()
    company, *_ = company_with_staff()
    month = TODAY().replace(day=1)
    charged = ledger.schedule_create(
        actor=mc.committee,
        community=mc.community,
        unit_kind="residence",
        rate=Decimal("0.60"),
        valid_from=month - datetime.timedelta(days=400),
        approval_reference="原业主大会决定",
    )
    ledger.charges_run(actor=mc.committee, community=mc.community, period=month)
    starts = month - datetime.timedelta(days=10)

    question = passed_manager_vote(mc.community)
    with pytest.raises(ValidationError, match="已按该标准出账"):
        contract_in_force(
            mc,
            company,
            approving_question=question,
            starts_on=starts,
            fee_rates=[services.FeeRateInput("residence", "per_m2", Decimal("0.70"))],
        )
    assert not ServiceContract.objects.filter(community=mc.community).exists()
    assert not ManagementPeriod.objects.filter(community=mc.community).exists()
    assert FeeSchedule.objects.filter(community=mc.community).count() == 1

    contract = contract_in_force(mc, company, approving_question=question, starts_on=starts)
    assert contract.fee_rates.get().schedule == charged
    charged.refresh_from_db()
    assert charged.valid_until is None
    assert FeeSchedule.objects.filter(community=mc.community).count() == 1


def test_a_new_company_replaces_the_old_ones_access():
    mc = managed_community()
    first, first_manager, first_repairer = company_with_staff()
    second, second_manager, _ = company_with_staff()
    old = contract_in_force(mc, first)
    starts = TODAY() + datetime.timedelta(days=30)
    new = contract_in_force(
        mc,
        second,
        signed_on=TODAY(),
        starts_on=starts,
        ends_on=starts + datetime.timedelta(days=3 * 365),
    )
    old.refresh_from_db()
    assert old.status == ServiceContract.Status.ENDED and old.ended_on == starts
    assert services.current_period(mc.community).contract == new
    assert has_staff_role(second_manager, mc.community)
    assert not has_staff_role(first_manager, mc.community)
    assert not has_staff_role(first_repairer, mc.community)
    # The old company's fee rate ends the day before the new one starts.
    old_schedule = old.fee_rates.get().schedule
    old_schedule.refresh_from_db()
    assert old_schedule.valid_until == starts - datetime.timedelta(days=1)


def test_the_same_companys_next_contract_is_its_renewal():
    """Recorded without naming the contract it renews, the same company's next contract still ends the one in force:
    one contract is in force at a time."""
    mc = managed_community()
    company, *_ = company_with_staff()
    first = contract_in_force(mc, company)
    starts = first.ends_on + datetime.timedelta(days=1)
    second = contract_in_force(
        mc, company, signed_on=TODAY(), starts_on=starts, ends_on=starts + datetime.timedelta(days=3 * 365)
    )
    first.refresh_from_db()
    assert second.renews == first
    assert first.status == ServiceContract.Status.ENDED and first.ended_on == starts
    assert list(ServiceContract.objects.filter(status=ServiceContract.Status.IN_FORCE)) == [second]


def test_a_role_granted_by_hand_elsewhere_survives_the_sync():
    mc, elsewhere = managed_community(), managed_community()
    company, manager, _ = company_with_staff()
    CommunityRole.objects.get(community=elsewhere.community, role=Role.PROPERTY_STAFF).group.user_set.add(manager)
    contract_in_force(mc, company)
    services.company_staff_remove(actor=UserFactory(is_superuser=True), post=company.staff.get(user=manager))
    assert not has_staff_role(manager, mc.community)
    assert has_staff_role(manager, elsewhere.community)


# --- contract_file (P-01) ---------------------------------------------------------------------------------------


def test_contract_filing_by_the_company_manager_records_lateness_p01():
    mc = managed_community()
    company, manager, repairer = company_with_staff()
    contract = contract_in_force(mc, company)  # signed 40 days ago: filing was due 25 days ago
    with pytest.raises(PermissionDenied):
        services.contract_file(actor=repairer, contract=contract, filed_on=TODAY(), filed_with="卫滨区住建局")
    with pytest.raises(PermissionDenied):
        services.contract_file(actor=mc.resident, contract=contract, filed_on=TODAY(), filed_with="卫滨区住建局")
    services.contract_file(actor=manager, contract=contract, filed_on=TODAY(), filed_with="卫滨区住建局")
    contract.refresh_from_db()
    assert contract.filed_on == TODAY()
    entry = AuditEntry.objects.get(action="management.contract_file")
    assert entry.after["late"] is True
    assert rules.filing_overdue(contract.signed_on, contract.filed_on, TODAY())


def test_community_staff_record_a_timely_filing_p01():
    mc = managed_community()
    company, *_ = company_with_staff()
    signed = TODAY() - datetime.timedelta(days=20)
    contract = contract_in_force(mc, company, signed_on=signed, starts_on=signed)
    services.contract_file(
        actor=mc.community_staff, contract=contract, filed_on=signed + datetime.timedelta(days=15), filed_with="街道"
    )
    assert AuditEntry.objects.get(action="management.contract_file").after["late"] is False
    with pytest.raises(ValidationError):
        services.contract_file(
            actor=mc.community_staff, contract=contract, filed_on=signed - datetime.timedelta(days=1), filed_with="街道"
        )


# --- contract_notice_give (P-02) -------------------------------------------------------------------------------


def _contract_ending(mc, company, ends_on):
    return contract_in_force(
        mc,
        company,
        signed_on=TODAY() - datetime.timedelta(days=400),
        starts_on=TODAY() - datetime.timedelta(days=365),
        ends_on=ends_on,
    )


def test_owners_dismissal_is_given_by_the_committee_with_its_vote_p02():
    mc = managed_community()
    company, manager, _ = company_with_staff()
    contract = contract_in_force(mc, company)
    today = TODAY()
    kwargs = {"contract": contract, "kind": rules.OWNERS_DISMISS, "given_on": today}
    with pytest.raises(PermissionDenied):
        services.contract_notice_give(actor=manager, effective_on=today + datetime.timedelta(days=60), **kwargs)
    with pytest.raises(ValidationError):  # no dismissal vote
        services.contract_notice_give(actor=mc.committee, effective_on=today + datetime.timedelta(days=60), **kwargs)
    with pytest.raises(ValidationError, match="另经业主共同决定"):  # the vote that hired it is not a dismissal
        services.contract_notice_give(
            actor=mc.committee,
            effective_on=today + datetime.timedelta(days=60),
            approving_question=contract.approving_question,
            **kwargs,
        )
    vote = passed_manager_vote(mc.community, text="解聘物业服务企业")
    with pytest.raises(ValidationError, match="60日"):
        services.contract_notice_give(
            actor=mc.committee, effective_on=today + datetime.timedelta(days=59), approving_question=vote, **kwargs
        )
    assert not ContractNotice.objects.exists()
    notice = services.contract_notice_give(
        actor=mc.committee, effective_on=today + datetime.timedelta(days=60), approving_question=vote, **kwargs
    )
    assert notice.approving_question == vote
    assert Notification.objects.filter(recipient=mc.committee, title__contains="终止通知").exists()


def test_contract_agreed_dismissal_period_applies_p02():
    mc = managed_community()
    company, *_ = company_with_staff()
    contract = contract_in_force(mc, company, dismissal_notice_days=30)
    services.contract_notice_give(
        actor=mc.committee,
        contract=contract,
        kind=rules.OWNERS_DISMISS,
        given_on=TODAY(),
        effective_on=TODAY() + datetime.timedelta(days=30),
        approving_question=passed_manager_vote(mc.community, text="解聘"),
    )


def test_company_non_renewal_by_its_manager_needs_the_longer_period_p02():
    mc = managed_community()
    company, manager, repairer = company_with_staff()
    ends = TODAY() + datetime.timedelta(days=80)
    contract = _contract_ending(mc, company, ends)
    kwargs = {"contract": contract, "kind": rules.COMPANY_NON_RENEWAL, "given_on": TODAY(), "effective_on": ends}
    for actor in (repairer, mc.committee):
        with pytest.raises(PermissionDenied):
            services.contract_notice_give(actor=actor, **kwargs)
    with pytest.raises(ValidationError, match="90日与3个月中较长者"):
        services.contract_notice_give(actor=manager, **kwargs)
    assert not ContractNotice.objects.exists()

    later = managed_community()
    far = rules.earliest_effective(rules.COMPANY_NON_RENEWAL, TODAY())
    contract = _contract_ending(later, company, far)
    notice = services.contract_notice_give(
        actor=manager, contract=contract, kind=rules.COMPANY_NON_RENEWAL, given_on=TODAY(), effective_on=far
    )
    assert notice.effective_on == far
    for user in (later.committee, later.community_staff):  # P-02: reported to the sub-district too
        assert Notification.objects.filter(recipient=user, title__contains="终止通知").count() == 1
    assert not Notification.objects.filter(recipient=later.resident, title__contains="终止通知").exists()


def test_indefinite_end_refused_while_the_contract_is_in_term_p02():
    mc = managed_community()
    company, manager, _ = company_with_staff()
    contract = contract_in_force(mc, company)
    with pytest.raises(ValidationError, match="不是不定期合同"):
        services.contract_notice_give(
            actor=manager,
            contract=contract,
            kind=rules.INDEFINITE_END,
            given_on=TODAY(),
            effective_on=TODAY() + datetime.timedelta(days=200),
        )


def test_indefinite_end_after_the_term_ran_out_p02():
    mc = managed_community()
    company, manager, _ = company_with_staff()
    contract = contract_in_force(
        mc,
        company,
        signed_on=TODAY() - datetime.timedelta(days=800),
        starts_on=TODAY() - datetime.timedelta(days=730),
        ends_on=TODAY() - datetime.timedelta(days=10),
    )
    with pytest.raises(ValidationError, match="60日与3个月中较长者"):
        services.contract_notice_give(
            actor=manager,
            contract=contract,
            kind=rules.INDEFINITE_END,
            given_on=TODAY(),
            effective_on=TODAY() + datetime.timedelta(days=61),
        )
    # From the owners' side it needs their joint decision (art. 278(1)(4)), as a dismissal does.
    with pytest.raises(ValidationError):
        services.contract_notice_give(
            actor=mc.committee,
            contract=contract,
            kind=rules.INDEFINITE_END,
            given_on=TODAY(),
            effective_on=rules.earliest_effective(rules.INDEFINITE_END, TODAY()),
        )
    assert not contract.notices.exists()
    services.contract_notice_give(
        actor=mc.committee,
        contract=contract,
        kind=rules.INDEFINITE_END,
        given_on=TODAY(),
        effective_on=rules.earliest_effective(rules.INDEFINITE_END, TODAY()),
        approving_question=passed_manager_vote(mc.community, text="解聘物业服务企业"),
    )


def test_a_notice_is_append_only():
    mc = managed_community()
    company, *_ = company_with_staff()
    contract = contract_in_force(mc, company)
    notice = services.contract_notice_give(
        actor=mc.committee,
        contract=contract,
        kind=rules.OWNERS_DISMISS,
        given_on=TODAY(),
        effective_on=TODAY() + datetime.timedelta(days=90),
        approving_question=passed_manager_vote(mc.community, text="解聘"),
    )
    notice.reason = "改了"
    with pytest.raises(PermissionDenied):
        notice.save()
    with pytest.raises(PermissionDenied):
        ContractNotice.objects.filter(pk=notice.pk).update(reason="改了")
    with pytest.raises(PermissionDenied):
        notice.delete()
    with pytest.raises(PermissionDenied):
        ContractNotice.objects.filter(pk=notice.pk).delete()
    assert ContractNotice.objects.get(pk=notice.pk).reason == ""


# --- self-management (P-10), bundles, mode history ---------------------------------------------------------------


def _self_plan(**overrides):
    plan = {
        "starts_on": TODAY(),
        "executing_body": "业主委员会",
        "scope": "保洁、绿化、秩序维护",
        "standards": "每日清扫一次",
        "fees": "每户每月20元",
        "term_ends_on": TODAY() + datetime.timedelta(days=730),
        "professionals": "电梯由有资质的维保单位维护",
    }
    plan.update(overrides)
    return plan


@pytest.mark.parametrize(
    "missing",
    [
        pytest.param({"executing_body": ""}, id="P-10-executing-body"),
        pytest.param({"scope": ""}, id="P-10-scope"),
        pytest.param({"standards": ""}, id="P-10-standards"),
        pytest.param({"fees": ""}, id="P-10-fees"),
        pytest.param({"term_ends_on": None}, id="P-10-term"),
    ],
)
def test_self_management_with_a_gap_is_refused_p10(missing):
    mc = managed_community()
    with pytest.raises(ValidationError, match="P-10"):
        services.self_management_start(actor=mc.committee, community=mc.community, **_self_plan(**missing))
    assert not ManagementPeriod.objects.filter(community=mc.community).exists()


def test_self_management_is_recorded_and_closes_the_previous_period():
    mc = managed_community()
    company, manager, _ = company_with_staff()
    contract_in_force(mc, company)
    assert has_staff_role(manager, mc.community)
    with pytest.raises(PermissionDenied):
        services.self_management_start(actor=mc.resident, community=mc.community, **_self_plan())
    period = services.self_management_start(actor=mc.committee, community=mc.community, **_self_plan())
    assert period.mode == rules.SELF_MANAGED and period.executing_body == "业主委员会"
    assert CommunityPage.objects.get(pk=mc.community.pk).management_mode == rules.SELF_MANAGED
    history = list(ManagementPeriod.objects.filter(community=mc.community).order_by("starts_on", "id"))
    assert [p.mode for p in history] == [rules.MARKET_COMPANY, rules.SELF_MANAGED]
    assert history[0].ends_on == TODAY() and history[1].ends_on is None
    assert not has_staff_role(manager, mc.community)


def test_bundle_of_three_small_communities():
    first = managed_community()
    sub_district = first.community.sub_district
    others = [managed_community(sub_district=sub_district) for _ in range(2)]
    communities = [first.community] + [mc.community for mc in others]
    staff = UserFactory()
    for community in communities:
        CommunityRole.objects.get(community=community, role=Role.COMMUNITY_STAFF).group.user_set.add(staff)
    operator, manager, _ = company_with_staff()
    bundle = services.bundle_create(
        actor=staff,
        name="平原路片区连片管理",
        sub_district=sub_district,
        guarantor="平原路社区居委会",
        started_on=TODAY(),
        communities=communities,
        operator=operator,
    )
    for community in communities:
        period = services.current_period(community)
        assert period.mode == rules.BUNDLED and period.bundle == bundle
        assert has_staff_role(manager, community)
        assert CommunityPage.objects.get(pk=community.pk).management_mode == rules.BUNDLED


def test_bundle_refuses_a_community_of_another_sub_district_and_a_user_without_role():
    first = managed_community()
    stranger = managed_community()  # its own sub-district
    staff = UserFactory()
    for community in (first.community, stranger.community):
        CommunityRole.objects.get(community=community, role=Role.COMMUNITY_STAFF).group.user_set.add(staff)
    kwargs = {
        "name": "连片",
        "sub_district": first.community.sub_district,
        "guarantor": "社区居委会",
        "started_on": TODAY(),
        "operator_name": "社区物业服务站",
    }
    with pytest.raises(ValidationError):
        services.bundle_create(actor=staff, communities=[first.community, stranger.community], **kwargs)
    with pytest.raises(PermissionDenied):
        services.bundle_create(actor=UserFactory(), communities=[first.community], **kwargs)
    assert not ManagementPeriod.objects.exists()


# --- renewal reminders (P-02) ------------------------------------------------------------------------------------


def test_renewal_reminder_reaches_the_committee_once_inside_the_window_p02():
    mc = managed_community()
    company, *_ = company_with_staff()
    contract = contract_in_force(mc, company)
    reminder_from = rules.renewal_reminder_from(contract.ends_on)
    assert services.renewal_reminders_send(reminder_from - datetime.timedelta(days=1)) == 0
    assert not Notification.objects.filter(recipient=mc.committee, title__contains="期满").exists()
    assert services.renewal_reminders_send(reminder_from) == 1
    [note] = Notification.objects.filter(recipient=mc.committee, title__contains="期满")
    deadline = rules.renewal_decision_deadline(contract.ends_on)
    assert f"{deadline:%Y年%-m月%-d日}" in note.body
    assert services.renewal_reminders_send(reminder_from + datetime.timedelta(days=1)) == 0
    assert Notification.objects.filter(recipient=mc.committee, title__contains="期满").count() == 1
    assert not Notification.objects.filter(recipient=mc.resident, title__contains="期满").exists()


def test_committee_member_outside_the_community_gets_no_reminder():
    mc = managed_community()
    outsider = member(managed_community().community, Role.OWNERS_COMMITTEE)
    company, *_ = company_with_staff()
    contract = contract_in_force(mc, company)
    services.renewal_reminders_send(rules.renewal_reminder_from(contract.ends_on))
    assert not Notification.objects.filter(recipient=outsider).exists()
