"""Income-and-expenditure disclosures (收支公示, F-08, F-10): the community's list with the publish form, one
statement with its chart, and the chart itself as an SVG image (the disclosure notice shows it with <img>).

Read by the community's verified residents and those who keep the accounts (``can_read_disclosures``);
published by the committee, the community staff and — property fees only — the property company's staff
(``disclosure.may_publish``). Views parse and check; ``property.services.disclosure`` writes.
"""

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import path, reverse
from django.utils import timezone
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_http_methods

from property import permissions
from property.domain import charts
from property.domain.fees import collection_rate
from property.models import Disclosure, Fund
from property.services import disclosure as svc
from property.views.common import community_or_404, error_text, refuse


def _disclosure(disclosure_id: int) -> Disclosure:
    return get_object_or_404(Disclosure.objects.select_related("community", "notice", "published_by"), pk=disclosure_id)


class PublishForm(forms.Form):
    fund = forms.ChoiceField(label=gettext_lazy("Account"))
    period = forms.ChoiceField(
        label=gettext_lazy("Statement period"),
        help_text=gettext_lazy(
            "F-10: public income every quarter; the working fund and the maintenance fund at least every "
            "half-year. Only a period that has ended can be published, and only once."
        ),
    )

    def __init__(self, *args, funds, periods, **kwargs):
        super().__init__(*args, **kwargs)
        labels = dict(Fund.choices)
        self.fields["fund"].choices = [(fund, labels[fund]) for fund in funds]
        self.fields["period"].choices = [(choice.value, choice.label) for choice in periods]
        self.periods = {choice.value: choice for choice in periods}


# ---------------------------------------------------------------- the community's statements


@require_http_methods(["GET", "POST"])
def disclosure_list(request, community_id):
    community = community_or_404(community_id)
    if not permissions.can_read_disclosures(request.user, community):
        return refuse(request, community)
    funds = svc.funds_publishable_by(request.user, community)
    form = None
    if funds:
        periods = svc.period_choices(timezone.localdate())
        form = PublishForm(request.POST or None, funds=funds, periods=periods)
        if request.method == "POST" and form.is_valid():
            period = form.periods[form.cleaned_data["period"]]
            try:
                disclosure = svc.disclosure_publish(
                    actor=request.user,
                    community=community,
                    fund=form.cleaned_data["fund"],
                    period_start=period.start,
                    period_end=period.end,
                )
            except (ValidationError, PermissionDenied) as error:
                form.add_error(None, error_text(error))
            else:
                messages.success(request, _("The statement is published as a notice for the community's residents."))
                return redirect("property:disclosure_detail", disclosure.pk)
    elif request.method == "POST":
        return refuse(request, community)
    disclosures = list(
        Disclosure.objects.filter(community=community).select_related("notice").order_by("-period_end", "fund")
    )
    context = {
        "community": community,
        "disclosures": disclosures,
        "form": form,
        "can_export": permissions.can_read_fee_reports(request.user, community),
        "can_export_owners_funds": permissions.can_read_fund_reports(request.user, community, Fund.PUBLIC_INCOME),
    }
    return render(request, "property/disclosure/list.html", context, status=400 if form and form.errors else 200)


# ---------------------------------------------------------------- one statement


def _rows(items) -> list[tuple[str, str]]:
    return [(category, amount) for category, amount in items]


@require_GET
def disclosure_detail(request, disclosure_id):
    disclosure = _disclosure(disclosure_id)
    community = disclosure.community
    if not permissions.can_read_disclosures(request.user, community):
        return refuse(request, community)
    figures = disclosure.figures
    buildings = figures.get("buildings") or []
    rate_svg = ""
    if buildings:
        rate_svg = charts.rate_chart_svg(
            _("Collection rate by building"),
            [(row["building"], None if row["rate"] is None else svc.D(row["rate"])) for row in buildings],
            none_label=_("nothing charged"),
            ids=f"disclosure-{disclosure.pk}-rates",
        )
    collection = figures.get("collection") or []
    charged = sum((svc.D(row["charged"]) for row in collection), svc.D(0))
    collected = sum((svc.D(row["collected"]) for row in collection), svc.D(0))
    context = {
        "community": community,
        "disclosure": disclosure,
        "figures": figures,
        "income": _rows(figures.get("income") or []),
        "expense": _rows(figures.get("expense") or []),
        "months": figures.get("months") or [],
        "collection": collection,
        "collection_total": {"charged": charged, "collected": collected, "rate": collection_rate(collected, charged)}
        if collection
        else None,
        "buildings": buildings,
        "chart_svg": mark_safe(svc.chart_svg(disclosure)),  # noqa: S308 - built by charts.py, every label escaped
        "rate_svg": mark_safe(rate_svg),  # noqa: S308 - same
        "summary": svc.summary_sentence(figures),
        "list_url": reverse("property:disclosures", args=[community.pk]),
    }
    return render(request, "property/disclosure/detail.html", context)


@require_GET
def disclosure_chart(request, disclosure_id):
    """The statement's chart as a standalone SVG image: for the notice's <img>; same readers as the page."""
    disclosure = _disclosure(disclosure_id)
    if not permissions.can_read_disclosures(request.user, disclosure.community):
        return refuse(request, disclosure.community)
    response = HttpResponse(svc.chart_svg(disclosure), content_type="image/svg+xml; charset=utf-8")
    # The figures are frozen: the image never changes, but it is for members only (private, not shared caches).
    response["Cache-Control"] = "private, max-age=86400"
    response["X-Content-Type-Options"] = "nosniff"
    response["Content-Disposition"] = f'inline; filename="disclosure-{disclosure.pk}.svg"'
    return response


urlpatterns = [
    path("fees/<int:community_id>/disclosures/", disclosure_list, name="disclosures"),
    path("fees/disclosures/<int:disclosure_id>/", disclosure_detail, name="disclosure_detail"),
    path("fees/disclosures/<int:disclosure_id>/chart.svg", disclosure_chart, name="disclosure_chart"),
]
