"""Renovation cost-sharing (V-12): by share of exclusive area unless the owners decided otherwise; the parts add
up to the total exactly; issuing creates one charge per home, once."""

from datetime import date
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from governance.models import DecisionQuestion, OwnersDecision
from home.models import AuditEntry, Unit
from property.models import Charge, CostSharePlan, Fund, LedgerEntry
from property.selectors import consistency_problems, household_accounts
from property.services import funds as svc
from tests.property.fee_helpers import fee_community, pay

pytestmark = pytest.mark.django_db
AREAS = [Decimal("75.50"), Decimal("60.25"), Decimal("88.10")]
DUE = date(2026, 12, 31)


def with_areas(fc, areas=AREAS):
    for unit, area in zip(fc.units, areas, strict=True):
        Unit.objects.filter(pk=unit.pk).update(registered_area=area)


def plan(fc, *, total="100000.00", key=CostSharePlan.Key.EXCLUSIVE_AREA, actor=None, **kwargs):
    return svc.cost_share_plan_create(
        actor=actor or fc.chair,
        community=fc.community,
        title=kwargs.pop("title", "屋面防水改造居民分摊"),
        total=Decimal(total),
        key=key,
        due_on=kwargs.pop("due_on", DUE),
        **kwargs,
    )


def owners_decision(fc, *, status=OwnersDecision.Status.FINAL, passed=(True,)):
    decision = OwnersDecision.objects.create(
        community=fc.community, title="改造费用按户平均分摊", status=status, matter=OwnersDecision.Matter.OTHER
    )
    for position, result in enumerate(passed, start=1):
        DecisionQuestion.objects.create(decision=decision, position=position, text=f"事项{position}", passed=result)
    return decision


def test_the_area_split_sums_exactly_and_follows_the_area_shares():
    fc = fee_community(units=3)
    with_areas(fc)
    preview = svc.cost_share_preview(plan(fc))
    assert preview.complete and preview.missing_area == []
    amounts = [row.amount for row in preview.rows]
    assert sum(amounts) == Decimal("100000.00") == preview.total
    total_area = sum(AREAS)
    for row, area in zip(preview.rows, AREAS, strict=True):
        assert row.area == area
        assert abs(row.amount - Decimal("100000.00") * area / total_area) < Decimal("0.01")
    assert amounts == [Decimal("33727.94"), Decimal("26915.35"), Decimal("39356.71")]
    assert sum(row.share for row in preview.rows) == pytest.approx(Decimal("100"), abs=Decimal("0.001"))


def test_an_equal_split_is_refused_without_a_passed_owners_decision():
    fc = fee_community(units=3)
    with pytest.raises(ValidationError, match="V-12") as error:
        plan(fc, key=CostSharePlan.Key.EQUAL)
    assert "decision" in error.value.error_dict
    for decision in (
        owners_decision(fc, status=OwnersDecision.Status.PRELIMINARY),
        owners_decision(fc, passed=(True, False)),
        owners_decision(fc, passed=()),
    ):
        with pytest.raises(ValidationError, match="V-12"):
            plan(fc, key=CostSharePlan.Key.EQUAL, decision=decision)
    other = fee_community(units=1)
    with pytest.raises(ValidationError, match="不属于本小区"):
        plan(fc, key=CostSharePlan.Key.EQUAL, decision=owners_decision(other))
    assert not CostSharePlan.objects.exists()
    equal = plan(fc, total="1000.00", key=CostSharePlan.Key.EQUAL, decision=owners_decision(fc))
    assert [row.amount for row in svc.cost_share_preview(equal).rows] == [
        Decimal("333.34"),
        Decimal("333.33"),
        Decimal("333.33"),
    ]
    assert list(svc.passed_decisions(fc.community)) == [equal.decision]


def test_homes_without_area_are_listed_and_the_plan_cannot_be_issued():
    fc = fee_community(units=3)
    Unit.objects.filter(pk=fc.units[1].pk).update(registered_area=None)
    p = plan(fc)
    preview = svc.cost_share_preview(p)
    assert preview.missing_area == [Unit.objects.get(pk=fc.units[1].pk).label]
    assert not preview.complete
    with pytest.raises(ValidationError, match="没有专有部分面积"):
        svc.cost_share_plan_issue(actor=fc.chair, plan=p)
    p.refresh_from_db()
    assert p.issued_at is None and not Charge.objects.exists()


def test_issuing_charges_every_home_once_and_twice_creates_nothing():
    fc = fee_community(units=3)
    with_areas(fc)
    p = plan(fc)
    charges = svc.cost_share_plan_issue(actor=fc.staff, plan=p)
    assert len(charges) == 3
    assert {(c.kind, c.fund, c.period, c.due_on, c.cost_share_plan_id) for c in charges} == {
        (Charge.Kind.COST_SHARE, Fund.COST_SHARING, date(2026, 12, 1), DUE, p.pk)
    }
    assert sum(c.amount for c in charges) == Decimal("100000.00")
    with pytest.raises(ValidationError, match="已经出账"):
        svc.cost_share_plan_issue(actor=fc.chair, plan=p)
    assert Charge.objects.count() == 3
    assert LedgerEntry.objects.filter(fund=Fund.COST_SHARING, kind="charge").count() == 3
    assert AuditEntry.objects.filter(action="fees.cost_share_plan_issue").count() == 1
    assert consistency_problems(fc.community) == []
    account = household_accounts(fc.units[0])[Fund.COST_SHARING]
    assert account.owed == Decimal("33727.94")


def test_collection_per_plan_follows_the_payments():
    fc = fee_community(units=3)
    with_areas(fc)
    p = plan(fc, total="300.00")
    svc.cost_share_plan_issue(actor=fc.chair, plan=p)
    share = Charge.objects.get(unit=fc.units[0]).amount
    pay(fc, fc.units[0], str(share), fund=Fund.COST_SHARING, actor=fc.chair)
    progress = svc.plan_progress([p])[p.pk]
    assert progress.charged == Decimal("300.00")
    assert progress.collected == share


def test_only_keepers_of_this_community_create_or_issue_plans():
    fc, other = fee_community(units=1), fee_community(units=1)
    for actor in (fc.cashier, fc.owners[0], other.chair):
        with pytest.raises(PermissionDenied):
            plan(fc, actor=actor)
    p = plan(fc)
    for actor in (fc.cashier, other.staff):
        with pytest.raises(PermissionDenied):
            svc.cost_share_plan_issue(actor=actor, plan=p)


def test_a_plan_for_some_buildings_covers_only_their_homes():
    fc = fee_community(buildings=2, units=2)
    from home.models import Building

    first = Building.objects.filter(community=fc.community).order_by("sort_order").first()
    p = plan(fc, total="1000.00", buildings=[first])
    rows = svc.cost_share_preview(p).rows
    assert len(rows) == 2 and all(row.unit.entrance.building_id == first.pk for row in rows)
    assert sum(row.amount for row in rows) == Decimal("1000.00")
    with pytest.raises(ValidationError) as error:
        plan(fc, buildings=[Building.objects.exclude(community=fc.community).first() or first], total="0")
    assert "total" in error.value.error_dict
