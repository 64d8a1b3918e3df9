"""Builders for the fees tests (no tests here)."""

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from home.models import CommunityRole
from property.models import FeeSchedule
from property.services import ledger
from tests.factories import member
from tests.governance.decision_helpers import VoteCommunity, vote_community

Role = CommunityRole.Role

RATE = Decimal("1.20")  # 元/m²/月; the factory's homes have 75.50 m², so 90.60 a month
MONTHLY = Decimal("90.60")


@dataclass
class FeeCommunity:
    vc: VoteCommunity
    cashier: object  # property-company staff serving this community
    staff: object  # community staff

    @property
    def community(self):
        return self.vc.community

    @property
    def units(self):
        return self.vc.units

    @property
    def chair(self):
        return self.vc.chair

    @property
    def owners(self):
        return self.vc.owners


def fee_community(*, buildings=1, units=3, parking=0, rate=RATE, valid_from=date(2025, 1, 1), **kwargs) -> FeeCommunity:
    """A community with owners with accounts (owners[i] owns units[i]), a committee chair, a property-company
    cashier and a community-staff member, and a property-fee schedule for homes from ``valid_from``."""
    vc = vote_community(buildings=buildings, units=units, parking=parking, **kwargs)
    cashier = member(vc.community, Role.PROPERTY_STAFF, full_name="陈会计")
    staff = member(vc.community, Role.COMMUNITY_STAFF, full_name="李秀兰")
    ledger.schedule_create(
        actor=cashier,
        community=vc.community,
        unit_kind="residence",
        rate=rate,
        basis=FeeSchedule.Basis.PER_M2,
        valid_from=valid_from,
        approval_reference="物业服务合同第五条",
    )
    return FeeCommunity(vc=vc, cashier=cashier, staff=staff)


def pay(fc: FeeCommunity, unit, amount, *, key=None, confirm=False, method="cash", **kwargs):
    return ledger.payment_record(
        actor=kwargs.pop("actor", fc.cashier),
        community=kwargs.pop("community", fc.community),
        unit=unit,
        amount=Decimal(amount),
        method=method,
        idempotency_key=key or ledger.new_idempotency_key(),
        confirm_overpayment=confirm,
        **kwargs,
    )
