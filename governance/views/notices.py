"""Notices: the community's list with a type filter, and the committee's read counts per building."""

from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, render
from django.urls import path
from django.views.decorators.http import require_GET

from governance.models import NoticePage
from governance.permissions import community_of
from governance.services import notices as notice_services
from home.models import CommunityPage

PER_PAGE = 20


@require_GET
def community_notices(request, community_id):
    """Every current notice of a community the visitor may read, filtered by type, 20 a page."""
    community = get_object_or_404(CommunityPage.objects.live(), pk=community_id)
    notices = notice_services.notices_visible_to(request.user, community)
    selected = request.GET.get("type", "")
    if selected in NoticePage.Type.values:
        notices = notices.filter(notice_type=selected)
    else:
        selected = ""
    page_obj = Paginator(notices, PER_PAGE).get_page(request.GET.get("page"))
    context = {
        "community": community,
        "page_obj": page_obj,
        "notices": page_obj.object_list,
        "types": NoticePage.Type.choices,
        "selected_type": selected,
    }
    return render(request, "governance/notices/community_notices.html", context)


@require_GET
@login_required
def notice_reads(request, notice_id):
    """阅读情况: readers per building for the community's committee and staff; no names."""
    notice = get_object_or_404(NoticePage.objects.all(), pk=notice_id)
    community = community_of(notice)
    if community is None or not notice_services.can_see_read_counts(request.user, community):
        context = {"page": notice, "community": community}
        return render(request, "governance/notices/forbidden.html", context, status=403)
    context = {"notice": notice, "community": community, **notice_services.notice_read_counts(notice, community)}
    return render(request, "governance/notices/notice_reads.html", context)


urlpatterns = [
    path("community/<int:community_id>/notices/", community_notices, name="community_notices"),
    path("notices/<int:notice_id>/reads/", notice_reads, name="notice_reads"),
]
