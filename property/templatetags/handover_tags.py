"""The open handover items on the community page (issue 9, P-05): what is still missing or defective after a
handover, until it is closed."""

from django import template
from django.utils import timezone

from property import handover_selectors as selectors

register = template.Library()


@register.inclusion_tag("property/handovers/_open_items.html")
def open_handover_items(community):
    """The community's open items (missing or defective, not closed) with their promised dates: one query. They are
    the owners' records (P-05), shown to whoever sees the community page; nothing is rendered when there are none."""
    return {"items": selectors.open_items(community), "today": timezone.localdate()}
