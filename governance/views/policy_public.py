"""The public side of policy guidance and Q&A: the search over guidance and answers, and a reader's rating of an
answer (helpful / not helpful). The index, document and answer pages are Wagtail pages whose context comes from
governance/selectors/policy.py.
"""

from django.contrib import messages
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import path
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from governance.models import PolicyAnswerPage
from governance.selectors import policy as selectors
from governance.services import policy as policy_services

HELPFUL_CHOICES = {"yes": True, "no": False}


@require_GET
def policy_search(request):
    """One search box for guidance documents and answers: ranked, highlighted, 10 a page; never an error page."""
    return render(request, "governance/policy/search.html", selectors.policy_search_context(request.GET))


def _error_text(error: ValidationError) -> str:
    return " ".join(error.messages)


@require_POST
def policy_feedback(request, page_id):
    """Record (or change) the signed-in reader's rating of a published answer, then back to the answer."""
    page = get_object_or_404(PolicyAnswerPage.objects.live(), pk=page_id)
    back = f"{page.url}#feedback"
    if not request.user.is_authenticated:
        return redirect_to_login(page.url)
    helpful = HELPFUL_CHOICES.get(request.POST.get("helpful", ""))
    if helpful is None:
        messages.error(request, _("Choose whether the answer helped you."))
        return redirect(back)
    try:
        policy_services.answer_feedback_record(
            user=request.user, page=page, helpful=helpful, comment=request.POST.get("comment", "")
        )
    except PermissionDenied as error:
        messages.error(request, str(error) or _("You may not rate this answer."))
    except ValidationError as error:
        messages.error(request, _error_text(error))
    else:
        messages.success(request, _("Thank you: your rating was saved. You can change it at any time."))
    return redirect(back)


urlpatterns = [
    path("policy/search/", policy_search, name="policy_search"),
    path("policy/answers/<int:page_id>/feedback/", policy_feedback, name="policy_feedback"),
]
