"""What every fee page does the same way: find the community, refuse, and show a writer's Chinese refusal."""

from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404, render

from home.models import CommunityPage

FORBIDDEN_TEMPLATE = "property/forbidden.html"


def community_or_404(community_id: int) -> CommunityPage:
    return get_object_or_404(CommunityPage.objects.live(), pk=community_id)


def refuse(request, community=None, message="", *, template=FORBIDDEN_TEMPLATE):
    """Anonymous visitors are sent to log in; a logged-in user without access gets the Chinese 403 page."""
    if not request.user.is_authenticated:
        return redirect_to_login(request.get_full_path())
    return render(request, template, {"community": community, "message": message}, status=403)


def error_text(error) -> str:
    return " ".join(getattr(error, "messages", None) or [str(error)])


def add_errors(form, error: ValidationError) -> None:
    """A writer's refusal onto the form: by field where the field is on the form, else for the whole form."""
    if hasattr(error, "error_dict"):
        for field, errors in error.error_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    else:
        form.add_error(None, error)
