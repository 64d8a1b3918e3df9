"""Readers for repair requests (issue 9): a user's own requests, a community's queue with its counts, the overdue
open requests and the service-quality figures per company. Every figure is computed in the database (one
aggregate query per question); the pages never loop over requests to count them.
"""

from dataclasses import dataclass
from datetime import datetime, timedelta

from django.db.models import Avg, Case, Count, DurationField, ExpressionWrapper, F, IntegerField, Q, Value, When
from django.utils import timezone

from property.domain import management as rules
from property.models import PropertyCompany, RepairRequest

OPEN = "open"
WAITING = "waiting"
CLOSED = "closed"
ALL = "all"
# The queue's status filters: what the company still has to do, what waits for the resident, what is over.
STATUS_FILTERS = {
    OPEN: rules.REPAIR_OPEN,
    WAITING: (rules.DONE,),
    CLOSED: (rules.CLOSED, rules.CANCELLED),
    ALL: None,
}


def with_people(queryset):
    return queryset.select_related("community", "company", "filed_by", "assigned_to", "unit")


def my_requests(user):
    """The requests the user filed, newest first (paginate the result)."""
    return with_people(RepairRequest.objects.filter(filed_by=user)).order_by("-filed_at", "-id")


def queue(community, *, status: str = OPEN, overdue_only: bool = False, assigned_to=None, now: datetime | None = None):
    """A community's requests for its company: overdue (still open after the due time) first, then by due time."""
    now = now or timezone.now()
    requests = with_people(RepairRequest.objects.filter(community=community))
    statuses = STATUS_FILTERS.get(status, rules.REPAIR_OPEN)
    if statuses is not None:
        requests = requests.filter(status__in=statuses)
    overdue = Q(status__in=rules.REPAIR_OPEN, due_at__lt=now)
    if overdue_only:
        requests = requests.filter(overdue)
    if assigned_to is not None:
        requests = requests.filter(assigned_to=assigned_to)
    late = Case(When(overdue, then=Value(1)), default=Value(0), output_field=IntegerField())
    return requests.alias(late=late).order_by("-late", "due_at", "id")


def queue_counts(community, *, now: datetime | None = None) -> dict[str, int]:
    """How many requests of the community are open, waiting for the resident, closed, in all, and overdue: one
    aggregate query."""
    now = now or timezone.now()
    figures = RepairRequest.objects.filter(community=community).aggregate(
        open=Count("pk", filter=Q(status__in=STATUS_FILTERS[OPEN])),
        waiting=Count("pk", filter=Q(status__in=STATUS_FILTERS[WAITING])),
        closed=Count("pk", filter=Q(status__in=STATUS_FILTERS[CLOSED])),
        all=Count("pk"),
        overdue=Count("pk", filter=Q(status__in=rules.REPAIR_OPEN, due_at__lt=now)),
    )
    return {key: value or 0 for key, value in figures.items()}


def overdue_open(community, *, now: datetime | None = None):
    """The community's requests still open after their due time, the longest overdue first."""
    now = now or timezone.now()
    return with_people(
        RepairRequest.objects.filter(community=community, status__in=rules.REPAIR_OPEN, due_at__lt=now)
    ).order_by("due_at", "id")


@dataclass
class CompanyQuality:
    company_id: int
    company_name: str
    filed: int = 0
    finished: int = 0
    finished_on_time: int = 0
    average_hours: float | None = None  # filed → repaired, over the finished requests
    average_rating: float | None = None
    ratings: int = 0
    overdue_now: int = 0

    @property
    def on_time_share(self) -> float | None:
        """Finished on time among the finished, 0…1; None when nothing was finished."""
        return self.finished_on_time / self.finished if self.finished else None

    @property
    def on_time_percent(self) -> int | None:
        share = self.on_time_share
        return None if share is None else round(share * 100)


def company_quality(company_ids, community=None, since: datetime | None = None, *, now: datetime | None = None):
    """Service-quality figures per company, one ``CompanyQuality`` per id in ``company_ids`` (in that order; zeros
    for a company without requests): requests filed, finished (repaired, whether or not confirmed since), finished
    on time (by the due time: 24 h urgent, 3 days ordinary), average hours to finish, average rating and number of
    ratings, open requests overdue now. ``community`` limits to one community's requests, ``since`` to requests
    filed from that moment. Two queries: the companies' names and one grouped aggregate."""
    now = now or timezone.now()
    ids = [int(pk) for pk in company_ids]
    if not ids:
        return []
    names = dict(PropertyCompany.objects.filter(pk__in=ids).values_list("pk", "name"))
    requests = RepairRequest.objects.filter(company_id__in=ids)
    if community is not None:
        requests = requests.filter(community=community)
    if since is not None:
        requests = requests.filter(filed_at__gte=since)
    finished = Q(done_at__isnull=False, status__in=(rules.DONE, rules.CLOSED))
    rows = (
        requests.values("company_id")
        .annotate(
            filed=Count("pk"),
            finished=Count("pk", filter=finished),
            finished_on_time=Count("pk", filter=finished & Q(done_at__lte=F("due_at"))),
            average_duration=Avg(
                ExpressionWrapper(F("done_at") - F("filed_at"), output_field=DurationField()), filter=finished
            ),
            average_rating=Avg("rating", filter=Q(rating__isnull=False)),
            ratings=Count("pk", filter=Q(rating__isnull=False)),
            overdue_now=Count("pk", filter=Q(status__in=rules.REPAIR_OPEN, due_at__lt=now)),
        )
        .order_by("company_id")
    )
    by_id = {row["company_id"]: row for row in rows}
    figures = []
    for pk in ids:
        row = by_id.get(pk)
        item = CompanyQuality(company_id=pk, company_name=names.get(pk, ""))
        if row is not None:
            duration = row["average_duration"]
            if isinstance(duration, (int, float)):  # a backend that averages microseconds
                duration = timedelta(microseconds=duration)
            item.filed, item.finished = row["filed"], row["finished"]
            item.finished_on_time, item.ratings, item.overdue_now = (
                row["finished_on_time"],
                row["ratings"],
                row["overdue_now"],
            )
            item.average_hours = round(duration.total_seconds() / 3600, 1) if duration is not None else None
            item.average_rating = round(float(row["average_rating"]), 2) if row["average_rating"] is not None else None
        figures.append(item)
    return figures


def companies_serving(community) -> list[int]:
    """The companies that handled requests of this community (present and past), by id, and the one serving now."""
    from property.management_permissions import serving_company_id

    ids = list(
        RepairRequest.objects.filter(community=community, company__isnull=False)
        .values_list("company_id", flat=True)
        .distinct()
        .order_by("company_id")
    )
    current = serving_company_id(community)
    if current is not None and current not in ids:
        ids.insert(0, current)
    return ids


def twelve_months_ago(now: datetime | None = None) -> datetime:
    return (now or timezone.now()) - timedelta(days=365)
