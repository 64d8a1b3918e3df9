from django.conf import settings

from home.selectors import header_communities_for
from home.selectors_accounts import unread_notification_count


def portal(request):
    """What base.html needs on every page: the site name, large-text mode, the user's communities and
    the unread-notification count of the header badge."""
    user = getattr(request, "user", None)
    return {
        "site_name": settings.WAGTAIL_SITE_NAME,
        "large_text": request.COOKIES.get("large_text") == "1",
        "header_communities": header_communities_for(user, request=request),
        "unread_notification_count": unread_notification_count(user),
    }
