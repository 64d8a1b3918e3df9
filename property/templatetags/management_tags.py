"""The property-management card of the community page (issue 9): the current mode, who runs it, the 24-hour
service phone, and the ways in to the management page, repairs and handovers."""

from django import template

from home.permissions import is_bureau_staff, is_verified_resident, roles_in
from property import management_permissions as can
from property.models import ManagementPeriod

register = template.Library()


@register.inclusion_tag("property/management/_community_card.html", takes_context=True)
def management_card(context, community):
    """At most two queries: the open management period (with its contract's company or its bundle's operator) and,
    for a signed-in visitor without a role here, the company posts that may let them see the management page. The
    open handover items below it are helper tag ``open_handover_items`` (one more query)."""
    user = context["request"].user
    period = (
        ManagementPeriod.objects.filter(community_id=community.pk, ends_on__isnull=True)
        .select_related("contract__company", "bundle__operator")
        .first()
    )
    company = None
    if period is not None:
        if period.mode == ManagementPeriod.Mode.MARKET_COMPANY and period.contract_id:
            company = period.contract.company
        elif period.mode == ManagementPeriod.Mode.BUNDLED and period.bundle_id:
            company = period.bundle.operator
    # The permission helpers read the serving company from the page object: spare them the query.
    community._serving_company_cache = company.pk if company else None
    belongs = bool(roles_in(user, community))
    may_view = belongs or is_bureau_staff(user) or can.staff_company_for(user, community) is not None
    return {
        "community": community,
        "period": period,
        "company": company,
        "mode_label": period.get_mode_display() if period else community.get_management_mode_display(),
        "operator": period.operator_label if period else "",
        "may_view": may_view,
        "may_report": is_verified_resident(user, community),
        "signed_in": user.is_authenticated,
        "sgyy": community.is_sgyy_compound and (belongs or is_bureau_staff(user)),
    }
