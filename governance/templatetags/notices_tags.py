"""The latest notices on the community page and the member-only notices in the residents' area."""

from django import template

from governance.services import notices as notice_services

register = template.Library()


@register.inclusion_tag("governance/notices/latest_notices.html", takes_context=True)
def latest_notices(context, community, limit=5):
    """Pinned emergencies first, then the newest: one query whatever the number of notices."""
    request = context.get("request")
    user = getattr(request, "user", None)
    return {
        "request": request,
        "community": community,
        "notices": notice_services.latest_notices_for(user, community, limit=limit),
        "members_only": False,
    }


@register.inclusion_tag("governance/notices/latest_notices.html", takes_context=True)
def resident_notices(context, community, limit=10):
    """Notices for members only that are addressed to the user (whole community or their building)."""
    request = context.get("request")
    user = getattr(request, "user", None)
    return {
        "request": request,
        "community": community,
        "notices": notice_services.latest_notices_for(user, community, limit=limit, members_only=True),
        "members_only": True,
    }


@register.inclusion_tag("governance/notices/type_badge.html")
def notice_type_badge(notice):
    return {"notice": notice}
