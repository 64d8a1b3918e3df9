from django.shortcuts import redirect
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_POST


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
