"""The "组织机构" section of the community page and the "我的组织职务" section of the profile."""

from django import template
from django.utils.translation import gettext_lazy as _

from governance.models import BodyPage
from governance.permissions import can_manage_bodies
from governance.services.bodies import community_bodies, person_seats

register = template.Library()
Kind = BodyPage.Kind

# Every community shows these three, with "none yet" where the body does not exist (C-15: the committee slot
# also holds the interim committee or residents'-committee self-management).
SLOTS = [
    ({Kind.PARTY_BRANCH}, _("Party branch")),
    ({Kind.DELIBERATION_COUNCIL}, _("Deliberation council")),
    ({Kind.OWNERS_COMMITTEE, Kind.PROPERTY_MGMT_COMMITTEE, Kind.RESIDENTS_COMMITTEE_SELF_MGMT}, _("Owners' committee")),
]


def slotted(bodies) -> list[dict]:
    """[{"label", "body" or None}] for the three usual bodies, then any other body (the owners' assembly)."""
    slots, placed = [], set()
    for kinds, label in SLOTS:
        body = next((b for b in bodies if b.kind in kinds), None)
        if body is not None:
            placed.add(body.pk)
        slots.append({"label": label, "body": body})
    slots += [{"label": body.get_kind_display(), "body": body} for body in bodies if body.pk not in placed]
    return slots


@register.inclusion_tag("governance/bodies/community_bodies.html", takes_context=True)
def community_bodies_section(context, community):
    """The community's bodies with their member counts: a fixed number of queries however many exist."""
    request = context.get("request")
    user = getattr(request, "user", None)
    return {
        "request": request,
        "community": community,
        "slots": slotted(community_bodies(community)),
        "can_manage": can_manage_bodies(user, community) if user is not None else False,
    }


@register.inclusion_tag("governance/bodies/my_seats.html", takes_context=True)
def my_seats_section(context, user):
    return {"request": context.get("request"), "seats": person_seats(user)}
