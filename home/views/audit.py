"""The audit log of one community: who changed what, when, from what to what. For that community's owners'
committee and for bureau staff (permissions.can_view_audit_log)."""

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, render
from django.urls import path
from django.utils.translation import gettext as _
from django.utils.translation import pgettext_lazy

from home import permissions
from home.models import CommunityPage, CommunityRole, Ownership, RegisterImport, Residency, Unit, UnitClaim
from home.selectors_accounts import audit_actions, audit_entries

PAGE_SIZE = 25
VALUE_MAX_LENGTH = 80

# Whole actions whose wording is better than "verb + noun".
ACTION_LABELS = {
    "unit_claim.submit": pgettext_lazy("audit action", "Unit claim submitted"),
    "unit_claim.verify": pgettext_lazy("audit action", "Unit claim verified"),
    "unit_claim.reject": pgettext_lazy("audit action", "Unit claim rejected"),
    "unit_claim.withdraw": pgettext_lazy("audit action", "Unit claim withdrawn"),
    "register.import": pgettext_lazy("audit action", "Unit register imported"),
    "register.export": pgettext_lazy("audit action", "Unit register exported"),
    "body.create": pgettext_lazy("audit action", "Body set up"),
    "body.term_reminder": pgettext_lazy("audit action", "Term-end reminder sent"),
    "membership.add": pgettext_lazy("audit action", "Member seated"),
    "membership.end": pgettext_lazy("audit action", "Membership ended"),
    "meeting.schedule": pgettext_lazy("audit action", "Meeting scheduled"),
    "meeting.notice_publish": pgettext_lazy("audit action", "Meeting notice published"),
    "attendance.record": pgettext_lazy("audit action", "Attendance recorded"),
    "minutes.draft": pgettext_lazy("audit action", "Minutes drafted"),
    "minutes.submit": pgettext_lazy("audit action", "Minutes sent for signatures"),
    "minutes.sign": pgettext_lazy("audit action", "Minutes signed or refused"),
    "minutes.publish": pgettext_lazy("audit action", "Minutes published"),
    "minutes.correct": pgettext_lazy("audit action", "Minutes corrected"),
    "minutes.overdue_notice": pgettext_lazy("audit action", "Overdue minutes reported"),
    "resolution.record": pgettext_lazy("audit action", "Resolution recorded"),
}
NOUN_LABELS = {
    "unit_claim": pgettext_lazy("audit noun", "unit claim"),
    "community": pgettext_lazy("audit noun", "community"),
    "building": pgettext_lazy("audit noun", "building"),
    "entrance": pgettext_lazy("audit noun", "entrance"),
    "unit": pgettext_lazy("audit noun", "unit"),
    "person": pgettext_lazy("audit noun", "person"),
    "ownership": pgettext_lazy("audit noun", "ownership"),
    "residency": pgettext_lazy("audit noun", "residency"),
    "register": pgettext_lazy("audit noun", "unit register"),
    "role": pgettext_lazy("audit noun", "role"),
}
VERB_LABELS = {
    "create": pgettext_lazy("audit verb", "create"),
    "add": pgettext_lazy("audit verb", "add"),
    "ensure": pgettext_lazy("audit verb", "register"),
    "update": pgettext_lazy("audit verb", "change"),
    "delete": pgettext_lazy("audit verb", "delete"),
    "end": pgettext_lazy("audit verb", "end"),
    "grant": pgettext_lazy("audit verb", "grant"),
    "revoke": pgettext_lazy("audit verb", "revoke"),
    "publish": pgettext_lazy("audit verb", "publish"),
    "import": pgettext_lazy("audit verb", "import"),
    "export": pgettext_lazy("audit verb", "export"),
}
FIELD_LABELS = {
    "status": pgettext_lazy("audit field", "status"),
    "unit": pgettext_lazy("audit field", "unit"),
    "relation": pgettext_lazy("audit field", "relation"),
    "name": pgettext_lazy("audit field", "name"),
    "reason": pgettext_lazy("audit field", "reason"),
    "roles": pgettext_lazy("audit field", "roles"),
    "room": pgettext_lazy("audit field", "room"),
    "title": pgettext_lazy("audit field", "title"),
    "owner_status": pgettext_lazy("audit field", "owner status"),
    "is_designated_voter": pgettext_lazy("audit field", "designated voter"),
    "registered_area": pgettext_lazy("audit field", "registered area"),
    "surveyed_area": pgettext_lazy("audit field", "surveyed area"),
    "contract_area": pgettext_lazy("audit field", "contract area"),
}
# Internal ids kept in the entry for tracing, not shown to people.
HIDDEN_FIELDS = {"person", "residency"}
# Stored choice values shown with their Chinese labels.
VALUE_LABELS = {
    **dict(UnitClaim.Status.choices),
    **dict(Residency.Relation.choices),
    **dict(CommunityRole.Role.choices),
    **dict(Ownership.OwnerStatus.choices),
    **dict(Unit.Kind.choices),
    **dict(RegisterImport.Status.choices),
}


def action_label(action: str) -> str:
    if action in ACTION_LABELS:
        return str(ACTION_LABELS[action])
    noun, _dot, verb = action.partition(".")
    if noun in NOUN_LABELS and verb in VERB_LABELS:
        return _("%(verb)s %(noun)s") % {"verb": VERB_LABELS[verb], "noun": NOUN_LABELS[noun]}
    return action


def value_text(value) -> str:
    if value is None or value == "":
        return "—"
    if value is True:
        return _("yes")
    if value is False:
        return _("no")
    if isinstance(value, list):
        return "、".join(value_text(item) for item in value) or "—"
    if isinstance(value, dict):
        return "；".join(f"{field_label(key)}：{value_text(item)}" for key, item in value.items())
    text = str(VALUE_LABELS.get(value, value)) if isinstance(value, str) else str(value)
    return text if len(text) <= VALUE_MAX_LENGTH else text[: VALUE_MAX_LENGTH - 1] + "…"


def field_label(key: str) -> str:
    return str(FIELD_LABELS.get(key, key))


def changes_of(entry) -> list[dict]:
    """[{field, before, after}] for every key in before or after, in the order they were written."""
    before, after = entry.before or {}, entry.after or {}
    keys = [key for key in dict.fromkeys([*before.keys(), *after.keys()]) if key not in HIDDEN_FIELDS]
    return [
        {
            "field": field_label(key),
            "before": value_text(before.get(key)) if key in before else None,
            "after": value_text(after.get(key)) if key in after else None,
        }
        for key in keys
    ]


@login_required
def audit_log(request, community_id):
    community = get_object_or_404(CommunityPage, pk=community_id)
    if not permissions.can_view_audit_log(request.user, community):
        raise PermissionDenied
    actions = audit_actions(community)
    action = request.GET.get("action", "")
    if action not in actions:
        action = ""
    page = Paginator(audit_entries(community, action), PAGE_SIZE).get_page(request.GET.get("page"))
    rows = [{"entry": entry, "action": action_label(entry.action), "changes": changes_of(entry)} for entry in page]
    return render(
        request,
        "home/audit/audit_log.html",
        {
            "community": community,
            "page_obj": page,
            "rows": rows,
            "actions": [(value, action_label(value)) for value in actions],
            "action": action,
        },
    )


urlpatterns = [
    path("community/<int:community_id>/audit/", audit_log, name="audit_log"),
]
