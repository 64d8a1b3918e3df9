"""Excel exports of a community's fee ledgers and reports (D-12: each one logged), and the housing bureau's
city-wide collection report.

Exports are for ``permissions.can_read_fee_reports`` (those who keep the community's accounts, and the bureau);
the city report for bureau staff only. Views check and stream the workbook that
``property.services.fee_exports`` builds; nothing is written here but the audit entry the service records.
"""

from dataclasses import dataclass, field
from decimal import Decimal
from urllib.parse import quote

from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.urls import path
from django.utils import timezone
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from home.models import CommunityPage
from home.permissions import is_bureau_staff
from property import permissions, selectors
from property.domain import charts, fees
from property.models import Fund
from property.services import fee_exports as exports
from property.views.common import refuse

CITY_MONTHS = 12
CITY_FUNDS = (Fund.PROPERTY_FEES, Fund.COST_SHARING)


def _xlsx_response(data: bytes, filename: str, fallback: str) -> HttpResponse:
    response = HttpResponse(data, content_type=exports.XLSX_CONTENT_TYPE)
    response["Content-Disposition"] = f"attachment; filename=\"{fallback}\"; filename*=UTF-8''{quote(filename)}"
    response["Cache-Control"] = "no-store"
    response["X-Content-Type-Options"] = "nosniff"
    return response


def _export(request, community_id, fund, *, build, name, slug):
    if fund not in Fund.values:
        raise Http404
    community = get_object_or_404(CommunityPage.objects.live(), pk=community_id)
    if not permissions.can_read_fund_reports(request.user, community, fund):
        return refuse(request, community)
    try:
        data = build(actor=request.user, community=community, fund=fund)
    except PermissionDenied as error:
        return refuse(request, community, str(error))
    stamp = timezone.localdate().strftime("%Y%m%d")
    label = str(Fund(fund).label)
    return _xlsx_response(
        data, f"{community.title}-{label}-{name}-{stamp}.xlsx", f"fees-{community.pk}-{fund}-{slug}-{stamp}.xlsx"
    )


@require_GET
def export_ledger(request, community_id, fund):
    return _export(request, community_id, fund, build=exports.ledger_export, name="明细账", slug="ledger")


@require_GET
def export_arrears(request, community_id, fund):
    return _export(request, community_id, fund, build=exports.arrears_export, name="欠费", slug="arrears")


@require_GET
def export_collection(request, community_id, fund):
    return _export(request, community_id, fund, build=exports.collection_export, name="收缴率", slug="collection")


@require_GET
def export_charges(request, community_id, fund):
    return _export(request, community_id, fund, build=exports.charges_export, name="应收明细", slug="charges")


# ---------------------------------------------------------------- the bureau's city report


@dataclass
class Place:
    name: str
    charged: Decimal = fees.ZERO
    collected: Decimal = fees.ZERO
    rows: list = field(default_factory=list)

    @property
    def rate(self):
        return fees.collection_rate(self.collected, self.charged)


@dataclass
class CommunityRow:
    community: CommunityPage
    sub_district: str
    charged: Decimal
    collected: Decimal

    @property
    def rate(self):
        return fees.collection_rate(self.collected, self.charged)


def city_report(fund: str, first, last) -> tuple[list[Place], Place]:
    """Collection per community over the months, grouped by district, and the city total: three queries."""
    totals = selectors.collection_by_community(fund, first, last)
    communities = (
        CommunityPage.objects.live()
        .select_related("sub_district__district")
        .order_by("sub_district__district__name", "sub_district__name", "title")
    )
    districts: dict[str, Place] = {}
    city = Place(_("Whole city"))
    for community in communities:
        name = community.sub_district.district.name
        district = districts.setdefault(name, Place(name))
        month = totals.get(community.pk)
        row = CommunityRow(
            community,
            community.sub_district.name,
            month.charged if month else fees.ZERO,
            month.collected if month else fees.ZERO,
        )
        district.rows.append(row)
        for place in (district, city):
            place.charged += row.charged
            place.collected += row.collected
    return list(districts.values()), city


@require_GET
def city_collection(request):
    if not is_bureau_staff(request.user):
        return refuse(request)
    fund = request.GET.get("fund") or Fund.PROPERTY_FEES
    if fund not in CITY_FUNDS:
        fund = Fund.PROPERTY_FEES
    last = fees.add_months(fees.period_start(timezone.localdate()), -1)
    first = fees.add_months(last, -(CITY_MONTHS - 1))
    districts, city = city_report(fund, first, last)
    chart = charts.rate_chart_svg(
        _("Collection rate by district"),
        [(place.name, place.rate) for place in [*districts, city]],
        none_label=_("nothing charged"),
        ids="city-rates",
    )
    labels = dict(Fund.choices)
    context = {
        "districts": districts,
        "city": city,
        "first": first,
        "last": last,
        "fund": fund,
        "fund_label": labels[fund],
        "funds": [(value, labels[value]) for value in CITY_FUNDS],
        "chart_svg": mark_safe(chart),  # noqa: S308 - built by charts.py, every label escaped
    }
    return render(request, "property/disclosure/city.html", context)


urlpatterns = [
    path("fees/<int:community_id>/export/<str:fund>/ledger.xlsx", export_ledger, name="export_ledger"),
    path("fees/<int:community_id>/export/<str:fund>/arrears.xlsx", export_arrears, name="export_arrears"),
    path("fees/<int:community_id>/export/<str:fund>/collection.xlsx", export_collection, name="export_collection"),
    path("fees/<int:community_id>/export/<str:fund>/charges.xlsx", export_charges, name="export_charges"),
    path("fees/city/", city_collection, name="city_collection"),
]
