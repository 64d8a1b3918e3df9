"""C-01 (Henan Art. 27 "pays property fees on time"): a candidate for the owners' committee must have no overdue
property fees on any unit he owns. Registered into governance's eligibility checks when the app is ready."""

from django.db.models import Q
from django.utils import timezone

from home.models import Ownership
from property.models import Fund
from property.selectors import unit_overdue


def no_arrears(person) -> str | None:
    today = timezone.localdate()
    unit_ids = list(
        Ownership.objects.filter(person=person)
        .filter(Q(ended_on__isnull=True) | Q(ended_on__gte=today))
        .values_list("unit_id", flat=True)
    )
    if not unit_ids:
        return None
    overdue = sum(unit_overdue(unit_ids, Fund.PROPERTY_FEES, today).values())
    if overdue > 0:
        return f"该业主有逾期未缴的物业费 {overdue} 元，按规定不能担任业主委员会委员（C-01）。"
    return None
