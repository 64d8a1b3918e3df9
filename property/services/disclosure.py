"""Income-and-expenditure disclosures (收支公示, F-08, F-10, V-10, V-11): freeze an account's statement for a
period and post it as a members-only disclosure notice of the community.

- The default period is the last complete calendar quarter (F-10: public income quarterly; the committee may
  choose a half-year or a year for the working fund and the maintenance fund).
- A period that has not ended yet is refused, and so is a second statement of the same account and period
  (``uniq_disclosure``): the figures are frozen when published and never change.
- A period without any movement is published all the same, with zeros: "nothing came in, nothing went out" is
  itself what the owners are owed (F-10 asks for a regular statement, not only when money moved).
- Property fees and cost-sharing also show the collection rate by month and by building: aggregate figures
  only, never a unit, a name or an amount owed by a household (D-06 item 6, F-08 item 4).
- The notice is not public (verified residents of the community only) and has no expiry: it stays posted at
  least the 15 days F-10 asks for, and afterwards as the community's record (an expired notice would answer
  404 and take the statement with it).
"""

from collections import defaultdict
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Count, Sum
from django.urls import reverse
from django.utils import timezone
from django.utils.html import format_html, format_html_join
from django.utils.translation import gettext as _

from governance.models import NoticePage
from home.models import Building, CommunityRole
from home.permissions import has_role
from home.services.audit import audit_record
from property import permissions, selectors
from property.domain import fees
from property.models import Allocation, Charge, Disclosure, Fund

Role = CommunityRole.Role

CATEGORY_OF_FUND = {
    Fund.PUBLIC_INCOME: NoticePage.DisclosureCategory.COMMON_INCOME,
    Fund.WORKING_FUND: NoticePage.DisclosureCategory.WORKING_FUNDS,
}
# Accounts whose statement also shows how much of what was charged has been collected.
CHARGED_FUNDS = (Fund.PROPERTY_FEES, Fund.COST_SHARING)
POSTED_DAYS = 15  # F-10: a statement stays posted at least this long (it has no expiry here, so it does)


# ------------------------------------------------------------------ periods


def last_complete_quarter(today: date) -> tuple[date, date]:
    """F-10 default: the calendar quarter before the one ``today`` is in."""
    start, _end = fees.quarter_of(today)
    return fees.quarter_of(start - timedelta(days=1))


@dataclass(frozen=True)
class PeriodChoice:
    value: str
    label: str
    start: date
    end: date


def period_choices(today: date, quarters: int = 6) -> list[PeriodChoice]:
    """The periods offered on the publish form: the last complete quarters, half-years and year, newest first."""
    choices = []
    start, end = last_complete_quarter(today)
    for _i in range(quarters):
        quarter = (start.month - 1) // 3 + 1
        label = _("%(year)d Q%(quarter)d (%(start)s – %(end)s)") % {
            "year": start.year,
            "quarter": quarter,
            "start": f"{start:%m-%d}",
            "end": f"{end:%m-%d}",
        }
        choices.append(PeriodChoice(f"{start:%Y-%m-%d}_{end:%Y-%m-%d}", label, start, end))
        start, end = fees.quarter_of(start - timedelta(days=1))
    half_end = date(today.year, 6, 30) if today.month > 6 else date(today.year - 1, 12, 31)
    for _i in range(2):
        half_start = date(half_end.year, 1 if half_end.month == 6 else 7, 1)
        label = (_("%(year)d first half-year") if half_end.month == 6 else _("%(year)d second half-year")) % {
            "year": half_end.year
        }
        choices.append(PeriodChoice(f"{half_start:%Y-%m-%d}_{half_end:%Y-%m-%d}", label, half_start, half_end))
        half_end = half_start - timedelta(days=1)
    year = today.year - 1
    whole = _("%(year)d whole year") % {"year": year}
    choices.append(PeriodChoice(f"{year}-01-01_{year}-12-31", whole, date(year, 1, 1), date(year, 12, 31)))
    return choices


def parse_period(value: str) -> tuple[date, date] | None:
    try:
        first, last = value.split("_")
        return date.fromisoformat(first), date.fromisoformat(last)
    except (ValueError, AttributeError):
        return None


# ------------------------------------------------------------------ figures


def collection_by_building(community, fund: str, first: date, last: date) -> list[dict]:
    """Per building: homes, charged and collected for the periods ``first``–``last``, the rate (three queries).

    Aggregate figures only (D-06 item 6): nothing here names a unit or a person.
    """
    buildings = list(
        Building.objects.filter(community=community)
        .annotate(unit_count=Count("entrances__units", distinct=True))
        .order_by("sort_order", "name")
    )
    charged = {
        row["unit__entrance__building_id"]: fees.money(row["total"])
        for row in Charge.objects.filter(community=community, fund=fund, period__gte=first, period__lte=last)
        .values("unit__entrance__building_id")
        .annotate(total=Sum("amount"))
    }
    settled: dict[int, dict[str, Decimal]] = defaultdict(lambda: {"payment": fees.ZERO, "reversal": fees.ZERO})
    for row in (
        Allocation.objects.filter(community=community, fund=fund, period__gte=first, period__lte=last)
        .values("unit__entrance__building_id", "kind")
        .annotate(total=Sum("amount"))
    ):
        settled[row["unit__entrance__building_id"]][row["kind"]] = fees.money(row["total"])
    rows = []
    for building in buildings:
        net = charged.get(building.pk, fees.ZERO) - settled[building.pk]["reversal"]
        collected = settled[building.pk]["payment"]
        rate = fees.collection_rate(collected, net)
        rows.append(
            {
                "building": building.name,
                "units": building.unit_count,
                "charged": str(net),
                "collected": str(collected),
                "rate": None if rate is None else str(rate),
            }
        )
    return rows


def month_ends(first: date, last: date) -> list[tuple[date, date]]:
    """The calendar months of a period, each clipped to the period."""
    months = []
    for period in fees.months_between(first, last):
        end = fees.add_months(period, 1) - timedelta(days=1)
        months.append((max(period, first), min(end, last)))
    return months


def freeze_figures(community, fund: str, first: date, last: date) -> dict:
    """Everything the statement shows, as strings of yuan (JSON keeps them exact)."""
    statement = selectors.fund_statement(community, fund, first, last)
    figures = {
        "opening": str(statement.opening),
        "income": [[category, str(amount)] for category, amount in statement.income],
        "expense": [[category, str(amount)] for category, amount in statement.expense],
        "total_income": str(statement.total_income),
        "total_expense": str(statement.total_expense),
        "closing": str(statement.closing),
        "months": [],
    }
    for month_first, month_last in month_ends(first, last):
        month = selectors.fund_statement(community, fund, month_first, month_last)
        figures["months"].append(
            {"period": f"{month_first:%Y-%m}", "income": str(month.total_income), "expense": str(month.total_expense)}
        )
    if fund in CHARGED_FUNDS:
        figures["collection"] = [
            {
                "period": f"{row.period:%Y-%m}",
                "charged": str(row.charged),
                "collected": str(row.collected),
                "rate": None if row.rate is None else str(row.rate),
            }
            for row in selectors.collection_by_month(community, fund, fees.period_start(first), fees.period_start(last))
        ]
        figures["buildings"] = collection_by_building(
            community, fund, fees.period_start(first), fees.period_start(last)
        )
    return figures


# ------------------------------------------------------------------ reading frozen figures


def D(value) -> Decimal:
    return Decimal(value) if value is not None else fees.ZERO


def chart_rows(disclosure: Disclosure) -> list[tuple[str, Decimal, Decimal]]:
    months = disclosure.figures.get("months") or []
    return [(f"{int(m['period'][5:7])}月", D(m["income"]), D(m["expense"])) for m in months]


def chart_title(disclosure: Disclosure) -> str:
    return _("%(fund)s income and expenditure %(start)s – %(end)s") % {
        "fund": disclosure.get_fund_display(),
        "start": f"{disclosure.period_start:%Y-%m-%d}",
        "end": f"{disclosure.period_end:%Y-%m-%d}",
    }


def chart_svg(disclosure: Disclosure) -> str:
    from property.domain import charts

    return charts.bar_chart_svg(
        chart_title(disclosure),
        chart_rows(disclosure),
        income_label=_("income"),
        expense_label=_("expenditure"),
        ids=f"disclosure-{disclosure.pk}",
    )


def summary_sentence(figures: dict) -> str:
    """The statement in one sentence: the chart's alt text and the notice's summary."""
    return _(
        "Opening balance %(opening)s yuan; income %(income)s yuan; expenditure %(expense)s yuan; "
        "closing balance %(closing)s yuan."
    ) % {
        "opening": _amount(figures["opening"]),
        "income": _amount(figures["total_income"]),
        "expense": _amount(figures["total_expense"]),
        "closing": _amount(figures["closing"]),
    }


# ------------------------------------------------------------------ publishing


def may_publish(user, community, fund: str) -> bool:
    """A publisher of statements who also keeps this account (property staff: property fees only, V-11)."""
    return permissions.can_publish_disclosure(user, community) and permissions.can_keep_fund(user, community, fund)


def funds_publishable_by(user, community) -> list[str]:
    return [fund for fund in Fund.values if may_publish(user, community, fund)]


def _issuer(actor, community, fund: str) -> str:
    if has_role(actor, community, Role.OWNERS_COMMITTEE):
        return _("%(community)s owners' committee") % {"community": community.title}
    if fund == Fund.PROPERTY_FEES and has_role(actor, community, Role.PROPERTY_STAFF):
        return _("%(community)s property service company") % {"community": community.title}
    return _("%(community)s community office") % {"community": community.title}


def _amount(value) -> str:
    return f"{D(value):,.2f}"


def _notice_body(disclosure: Disclosure) -> str:
    """The statement as rich text: the table of figures, the chart (an <img> of the chart view) and a link."""
    figures = disclosure.figures
    detail_url = reverse("property:disclosure_detail", args=[disclosure.pk])
    chart_url = reverse("property:disclosure_chart", args=[disclosure.pk])
    rows = [(_("Opening balance"), _amount(figures["opening"]))]
    rows += [(_("Income: %(category)s") % {"category": c}, _amount(a)) for c, a in figures["income"]]
    rows.append((_("Total income"), _amount(figures["total_income"])))
    rows += [(_("Expenditure: %(category)s") % {"category": c}, _amount(a)) for c, a in figures["expense"]]
    rows.append((_("Total expenditure"), _amount(figures["total_expense"])))
    rows.append((_("Closing balance"), _amount(figures["closing"])))
    table = format_html(
        '<table class="table"><caption>{}</caption><thead><tr><th scope="col">{}</th>'
        '<th scope="col" class="num">{}</th></tr></thead><tbody>{}</tbody></table>',
        chart_title(disclosure),
        _("Item"),
        _("Amount (yuan)"),
        format_html_join("", '<tr><th scope="row">{}</th><td class="num">{}</td></tr>', rows),
    )
    collection = ""
    if figures.get("buildings"):
        collection = format_html(
            '<table class="table"><caption>{}</caption><thead><tr><th scope="col">{}</th><th scope="col" '
            'class="num">{}</th></tr></thead><tbody>{}</tbody></table><p>{}</p>',
            _("Collection rate by building"),
            _("Building"),
            _("Collection rate"),
            format_html_join(
                "",
                '<tr><th scope="row">{}</th><td class="num">{}</td></tr>',
                (
                    (row["building"], f"{row['rate']}%" if row["rate"] is not None else "—")
                    for row in figures["buildings"]
                ),
            ),
            _("Collection rates are aggregate figures; no household is named (D-06)."),
        )
    return format_html(
        '<p>{}</p>{}<p><img src="{}" alt="{}" width="480"></p>{}<p><a href="{}">{}</a></p>',
        summary_sentence(figures),
        table,
        chart_url,
        summary_sentence(figures),
        collection,
        detail_url,
        _("Statement with monthly figures"),
    )


def _post_notice(*, actor, disclosure: Disclosure, issuer: str) -> NoticePage:
    community = disclosure.community
    notice = NoticePage(
        title=_("Income and expenditure statement: %(fund)s, %(start)s – %(end)s")
        % {
            "fund": disclosure.get_fund_display(),
            "start": f"{disclosure.period_start:%Y-%m-%d}",
            "end": f"{disclosure.period_end:%Y-%m-%d}",
        },
        slug=f"disclosure-{disclosure.fund.replace('_', '-')}-{disclosure.period_start:%Y%m%d}"
        f"-{disclosure.period_end:%Y%m%d}",
        notice_type=NoticePage.Type.DISCLOSURE,
        disclosure_category=CATEGORY_OF_FUND.get(disclosure.fund, NoticePage.DisclosureCategory.FEES),
        audience=NoticePage.Audience.COMMUNITY,
        is_public=False,
        issuer=issuer[:100],
        body=_notice_body(disclosure),
    )
    community.add_child(instance=notice)
    notice.save_revision(user=actor, log_action=True).publish(user=actor, skip_permission_checks=True)
    return notice


def disclosure_publish(
    *, actor, community, fund: str, period_start: date | None = None, period_end: date | None = None, today=None
) -> Disclosure:
    """Freeze the account's statement for the period and post it as a disclosure notice (F-08, F-10)."""
    today = today or timezone.localdate()
    if fund not in Fund.values:
        raise ValidationError({"fund": "没有这个账户。"})
    if not may_publish(actor, community, fund):
        raise PermissionDenied(
            "您不能公示本小区这个账户的收支：公共收益、工作经费、捐赠和分摊款由业主委员会或社区公示。"
        )
    if (period_start is None) != (period_end is None):
        raise ValidationError({"period": "请同时给出公示期间的起止日期。"})
    if period_start is None:
        period_start, period_end = last_complete_quarter(today)
    if period_end < period_start:
        raise ValidationError({"period": "结束日期不能早于开始日期。"})
    if period_end >= today:
        raise ValidationError({"period": f"{period_end:%Y年%m月%d日} 尚未过去：期间结束后才能公示该期间的收支。"})
    duplicate = "该账户这一期间的收支已经公示过，公示后的数字不再更改；如有差错，请在下期公示中说明更正。"
    with transaction.atomic():
        if Disclosure.objects.filter(
            community=community, fund=fund, period_start=period_start, period_end=period_end
        ).exists():
            raise ValidationError(duplicate)
        figures = freeze_figures(community, fund, period_start, period_end)
        try:
            with transaction.atomic():
                disclosure = Disclosure.objects.create(
                    community=community,
                    fund=fund,
                    period_start=period_start,
                    period_end=period_end,
                    figures=figures,
                    published_by=actor,
                )
        except IntegrityError as error:
            raise ValidationError(duplicate) from error
        disclosure.notice = _post_notice(actor=actor, disclosure=disclosure, issuer=_issuer(actor, community, fund))
        disclosure.save(update_fields=["notice"])
        audit_record(
            actor=actor,
            community=community,
            action="fees.disclosure_publish",
            target=disclosure,
            after={
                "fund": fund,
                "period": f"{period_start}–{period_end}",
                "opening": figures["opening"],
                "income": figures["total_income"],
                "expense": figures["total_expense"],
                "closing": figures["closing"],
                "notice": disclosure.notice_id,
            },
        )
    return disclosure
