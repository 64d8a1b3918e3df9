"""Building blocks for the property-management tests (issue 9): a community with its committee, community staff
and a resident at home, a company with a manager and a repairer, an owners' vote that approved hiring it, a
contract in force, a handover, a repair request."""

import datetime
from dataclasses import dataclass
from decimal import Decimal

from django.utils import timezone

from governance.models import DecisionQuestion, OwnersDecision
from home.models import CommunityPage, CommunityRole, Unit
from property.models import PropertyCompany, ServiceContract
from property.services import management as services
from tests.factories import UserFactory, community_with_units, member
from tests.governance.discussion_helpers import resident_in

Role = CommunityRole.Role


@dataclass
class ManagedCommunity:
    community: CommunityPage
    committee: object  # an owners' committee member
    community_staff: object  # community / sub-district staff
    resident: object  # a verified resident living in the first building
    unit: Unit  # the resident's home


def managed_community(**community_kwargs) -> ManagedCommunity:
    community = community_with_units(buildings=2, units=3, **community_kwargs)
    resident = resident_in(community)
    return ManagedCommunity(
        community=community,
        committee=member(community, Role.OWNERS_COMMITTEE),
        community_staff=member(community, Role.COMMUNITY_STAFF),
        resident=resident,
        unit=resident.person.residencies.get().unit,
    )


def passed_manager_vote(
    community,
    *,
    text="选聘物业服务企业",
    passed=True,
    status=OwnersDecision.Status.FINAL,
    matter=OwnersDecision.Matter.MANAGER,
) -> DecisionQuestion:
    """A counted owners' vote on matter 4 of art. 278(1) (hiring or dismissing the manager). Written directly: the
    vote's own flow is tested in the governance tests."""
    decision = OwnersDecision.objects.create(community=community, title=text, status=status, matter=matter)
    return DecisionQuestion.objects.create(decision=decision, position=1, text=text, passed=passed, quorate=True)


_company_counter = iter(range(1, 10_000))


def company_with_staff(name=None, **fields):
    """A company, its manager (signs contracts and handovers) and a repairer."""
    n = next(_company_counter)
    company = PropertyCompany.objects.create(
        name=name or f"测试物业服务有限公司{n}", credit_code=f"91410700MA{n:08d}", **fields
    )
    manager, repairer = UserFactory(), UserFactory()
    bureau = UserFactory(is_superuser=True)
    services.company_staff_add(actor=bureau, company=company, user=manager, title="项目经理", is_manager=True)
    services.company_staff_add(actor=bureau, company=company, user=repairer, title="维修工")
    return company, manager, repairer


def contract_data(**overrides) -> dict:
    today = timezone.localdate()
    data = {
        "scope": "公共部位维修养护、保洁、绿化、秩序维护",
        "standards": "按《河南省住宅物业服务标准》二级执行",
        "starts_on": today - datetime.timedelta(days=30),
        "ends_on": today + datetime.timedelta(days=3 * 365),
        "signed_on": today - datetime.timedelta(days=40),
        "fee_rates": [services.FeeRateInput("residence", "per_m2", Decimal("0.60"))],
    }
    data.update(overrides)
    return data


def contract_in_force(mc: ManagedCommunity, company, **overrides) -> ServiceContract:
    question = overrides.pop("approving_question", None) or passed_manager_vote(mc.community)
    return services.contract_record(
        actor=mc.committee,
        community=mc.community,
        company=company,
        approving_question=question,
        **contract_data(**overrides),
    )
