"""The user's own notifications: a paginated list, open one (marks it read), mark all read."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import path
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from home.models import Notification
from home.selectors_accounts import notifications_for, unread_notification_count
from home.services.notifications import notification_mark_all_read, notification_mark_read

PAGE_SIZE = 20


@login_required
def notification_list(request):
    page = Paginator(notifications_for(request.user), PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "home/notifications/notification_list.html",
        {"page_obj": page, "notifications": page.object_list, "unread_count": unread_notification_count(request.user)},
    )


def _safe_target(request, url: str) -> str | None:
    if url and url_has_allowed_host_and_scheme(url, {request.get_host()}, require_https=request.is_secure()):
        return url
    return None


@login_required
@require_POST
def notification_read(request, pk):
    """Mark one read; with ?open (the "查看" button) go on to the page it points at."""
    notification = get_object_or_404(Notification, pk=pk, recipient=request.user)
    notification_mark_read(user=request.user, notification=notification)
    if "open" in request.POST:
        target = _safe_target(request, notification.url)
        if target:
            return redirect(target)
    return redirect(_safe_target(request, request.POST.get("next", "")) or "home:notifications")


@login_required
@require_POST
def notification_read_all(request):
    count = notification_mark_all_read(user=request.user)
    if count:
        messages.success(request, _("All notifications are marked as read."))
    return redirect("home:notifications")


urlpatterns = [
    path("notifications/", notification_list, name="notifications"),
    path("notifications/<int:pk>/read/", notification_read, name="notification_read"),
    path("notifications/read-all/", notification_read_all, name="notifications_read_all"),
]
