from django.conf import settings

from home.selectors import header_communities_for


def portal(request):
    """What base.html needs on every page: the site name, large-text mode, the user's communities."""
    return {
        "site_name": settings.WAGTAIL_SITE_NAME,
        "large_text": request.COOKIES.get("large_text") == "1",
        "header_communities": header_communities_for(getattr(request, "user", None)),
    }
