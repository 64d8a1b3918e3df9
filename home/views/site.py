from django.contrib.auth.decorators import login_required
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_GET, require_POST

from home import permissions, selectors
from home.models import CommunityPage


@require_POST
def toggle_large_text(request):
    """Large-text mode for elderly residents: a cookie, so it works before login too."""
    target = request.POST.get("next") or "/"
    if not url_has_allowed_host_and_scheme(target, {request.get_host()}, require_https=request.is_secure()):
        target = "/"
    response = redirect(target)
    turn_on = request.COOKIES.get("large_text") != "1"
    response.set_cookie("large_text", "1" if turn_on else "0", max_age=365 * 24 * 3600, samesite="Lax")
    return response


@require_GET
@login_required
def community_residents(request, community_id):
    """居民专区: community-only content for its verified residents, its role holders and bureau staff.

    Anyone else who is logged in gets a 403 page that explains how to claim a unit here.
    """
    community = get_object_or_404(CommunityPage.objects.live().select_related("sub_district"), pk=community_id)
    if not permissions.can_view_community_content(request.user, community):
        context = {"community": community, "claim_url": reverse("home:claim_start", args=[community.pk])}
        return render(request, "home/residents/forbidden.html", context, status=403)
    context = {
        "community": community,
        "ancestors": community.get_ancestors().filter(depth__gt=1),
        **selectors.residents_area_context(community),
    }
    return render(request, "home/residents/community_residents.html", context)
