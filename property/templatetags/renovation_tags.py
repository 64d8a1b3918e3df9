"""The renovation card of the community page and the reviewers' and bureau's ways in on the home page."""

from django import template

from home.permissions import is_bureau_staff, roles_in
from property import renovation_permissions as can
from property.models import Milestone, RenovationProject

register = template.Library()

# Applications are read by the community and its reviewers; the public sees a project once the city approved it.
PRIVATE_STAGES = {
    RenovationProject.Stage.DRAFT,
    RenovationProject.Stage.IN_REVIEW,
    RenovationProject.Stage.RETURNED,
    RenovationProject.Stage.REJECTED,
}


@register.inclusion_tag("property/renovation/_community_card.html", takes_context=True)
def renovation_card(context, community):
    """The community's latest project the visitor may read, with its last milestone: two queries at most (one when
    there is no project). Who may apply is said on the applications page, not here (it costs a query)."""
    user = context["request"].user
    has_role = bool(roles_in(user, community))
    projects = (
        RenovationProject.objects.filter(community_id=community.pk)
        .select_related("plan")
        .order_by("-created_at", "-id")
    )
    reads_applications = has_role or can.covers(user, community) or is_bureau_staff(user)
    if not reads_applications:
        projects = projects.exclude(stage__in=PRIVATE_STAGES)
    project = projects.first()
    milestone = (
        Milestone.objects.filter(project_id=project.pk).order_by("-reached_on", "-id").first() if project else None
    )
    return {
        "community": community,
        "project": project,
        "milestone": milestone,
        "may_list": reads_applications,
    }


@register.inclusion_tag("property/renovation/_home_links.html", takes_context=True)
def renovation_links(context):
    """The dashboard for everyone; the review queue for the reviewers."""
    user = context["request"].user
    return {"is_reviewer": can.officer_of(user) is not None, "is_bureau": is_bureau_staff(user)}
