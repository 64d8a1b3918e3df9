from django import template
from django.db.models import F

from governance.models import PolicyAnswerPage, PolicyPage
from governance.permissions import can_use_policy_desk

register = template.Library()

LATEST = 4


@register.inclusion_tag("governance/policy/_home_latest.html", takes_context=True)
def policy_latest(context, policy_index=None):
    """The home page's policy section: the newest guidance in force and the newest answers (two queries), the
    search box, and the desk for officials."""
    documents = list(
        PolicyPage.objects.live()
        .filter(status=PolicyPage.Status.IN_FORCE)
        .only("title", "url_path", "document_number", "issuer", "issued_on", "depth", "path")
        .order_by(F("issued_on").desc(nulls_last=True), "-pk")[:LATEST]
    )
    answers = list(
        PolicyAnswerPage.objects.live()
        .only("title", "url_path", "answered_at", "revised_at", "depth", "path")
        .order_by("-answered_at", "-pk")[:LATEST]
    )
    return {
        "request": context["request"],
        "policy_index": policy_index,
        "documents": documents,
        "answers": answers,
        "show_desk": can_use_policy_desk(context["request"].user),
    }
