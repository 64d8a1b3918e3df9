"""The 业主表决 card on the community page."""

from django import template
from django.utils import timezone

from governance.models import OwnersDecision

register = template.Library()


@register.inclusion_tag("governance/decisions/_community_card.html")
def decisions_card(community):
    """A link to the community's votes with the number of votes open now: one query."""
    now = timezone.now()
    open_count = OwnersDecision.objects.filter(
        community_id=community.pk, status=OwnersDecision.Status.ANNOUNCED, opens_at__lte=now, closes_at__gt=now
    ).count()
    return {"community": community, "open_count": open_count}
