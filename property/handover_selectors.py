"""What the handover pages read (issue 9): a community's handovers, one handover with its checklist and signatures,
the open items of the community page and the 三供一业 facilities of a compound. Each in a fixed number of queries,
whatever the number of items."""

from dataclasses import dataclass, field
from datetime import date, timedelta

from django.db.models import Count, Prefetch, Q
from django.utils import timezone
from wagtail.images import get_image_model

from property.domain import management as rules
from property.models import (
    Handover,
    HandoverAttachment,
    HandoverItem,
    HandoverSignature,
    RenovationProject,
    SgyyConstructionList,
    SgyyRetrofit,
)

THUMBNAIL = "fill-160x120"
OPEN_ITEM_FILTER = Q(items__state__in=rules.OPEN_STATES, items__closed_at__isnull=True)


def handovers_of(community):
    """The community's handovers, newest first, each with its count of open items (one query)."""
    return (
        Handover.objects.filter(community=community)
        .select_related("community", "incoming_company", "outgoing_company")
        .annotate(open_count=Count("items", filter=OPEN_ITEM_FILTER))
        .order_by("-created_at", "-id")
    )


def handover_for_page(pk: int):
    """The handover with its community, parties and contract; items with their attachments (thumbnails' renditions
    prefetched) and the signatures: five queries whatever the number of items."""
    attachments = HandoverAttachment.objects.select_related("document").prefetch_related(
        Prefetch("image", queryset=get_image_model().objects.prefetch_renditions(THUMBNAIL))
    )
    items = HandoverItem.objects.prefetch_related(Prefetch("attachments", queryset=attachments))
    return (
        Handover.objects.select_related(
            "community__sub_district", "outgoing_company", "incoming_company", "contract__company"
        )
        .prefetch_related(
            Prefetch("items", queryset=items),
            Prefetch("signatures", queryset=HandoverSignature.objects.select_related("scan")),
        )
        .filter(pk=pk)
        .first()
    )


@dataclass
class Filing:
    """P-05: the company files the handover within 30 days of sign-off."""

    due_on: date | None
    filed_on: date | None
    overdue: bool


def filing_of(handover, today: date | None = None) -> Filing:
    today = today or timezone.localdate()
    if handover.signed_at is None:
        return Filing(due_on=None, filed_on=None, overdue=False)
    due = timezone.localtime(handover.signed_at).date() + timedelta(days=rules.HANDOVER_FILING_DAYS)
    if handover.filed_on is not None:
        return Filing(due_on=due, filed_on=handover.filed_on, overdue=handover.filed_on > due)
    return Filing(due_on=due, filed_on=None, overdue=today > due)


def open_items(community):
    """The missing or defective items not yet closed, of the community's signed handovers (one query). While a
    handover is still being inspected its checklist is a working paper its parties see; once signed it is the owners'
    record (P-05) and what is still open is shown on the community page."""
    return list(
        HandoverItem.objects.filter(
            handover__community_id=community.pk,
            handover__status=Handover.Status.SIGNED,
            state__in=rules.OPEN_STATES,
            closed_at__isnull=True,
        )
        .select_related("handover")
        .order_by("promised_on", "handover_id", "position", "id")
    )


@dataclass
class FacilityRow:
    facility: str
    label: str
    record: SgyyRetrofit | None
    handovers: list = field(default_factory=list)


@dataclass
class SgyyPage:
    rows: list[FacilityRow]
    construction_list: SgyyConstructionList | None
    projects: list


def sgyy_page(community) -> SgyyPage:
    """The four facilities of a 三供一业 compound with their retrofit and handover records, the construction list
    and the renovation projects (four queries)."""
    records = {record.facility: record for record in SgyyRetrofit.objects.filter(community=community)}
    handovers: dict[str, list] = {}
    for handover in Handover.objects.filter(community=community).exclude(facility="").order_by("-created_at", "-id"):
        handovers.setdefault(handover.facility, []).append(handover)
    rows = [
        FacilityRow(facility=value, label=label, record=records.get(value), handovers=handovers.get(value, []))
        for value, label in SgyyRetrofit.Facility.choices
    ]
    construction_list = SgyyConstructionList.objects.filter(community=community).select_related("document").first()
    projects = list(RenovationProject.objects.filter(community=community).order_by("-created_at", "-id")[:5])
    return SgyyPage(rows=rows, construction_list=construction_list, projects=projects)
