"""The 收支公示 card on the community page: the latest published statements and the way into the fee pages."""

from django import template

from home.permissions import is_bureau_staff, is_verified_resident
from property import permissions
from property.models import Disclosure
from property.services.funds import can_read_funds

register = template.Library()


@register.inclusion_tag("property/_community_card.html", takes_context=True)
def accounts_card(context, community):
    """Links by role; the latest three statements for those who may read them: one query (roles are cached)."""
    user = context["request"].user
    can_read = permissions.can_read_disclosures(user, community)
    latest = (
        list(
            Disclosure.objects.filter(community_id=community.pk)
            .select_related("notice")
            .order_by("-period_end", "fund")[:3]
        )
        if can_read
        else []
    )
    return {
        "community": community,
        "latest": latest,
        "can_read": can_read,
        "is_resident": is_verified_resident(user, community),
        "can_read_reports": permissions.can_read_fee_reports(user, community),
        "can_read_funds": can_read_funds(user, community),
        "can_read_arrears_notice": permissions.can_read_arrears_notice(user, community),
    }


@register.inclusion_tag("property/_bureau_reports.html", takes_context=True)
def bureau_reports(context):
    """The city-wide fee report, offered on the home page to housing-bureau staff only."""
    return {"show": is_bureau_staff(context["request"].user)}
