"""The 议事厅 card on the community page."""

from django import template

from governance import selectors

register = template.Library()


@register.inclusion_tag("governance/discussions/_community_card.html", takes_context=True)
def discussions_card(context, community):
    """A link to the community's topic list with the number of open topics the visitor may read: one query."""
    request = context.get("request")
    user = getattr(request, "user", None)
    return {"community": community, "open_count": selectors.open_topic_count(user, community)}
