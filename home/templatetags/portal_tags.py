"""Template helpers for the public site: breadcrumb, the header's current community, pagination."""

from django import template
from django.utils.translation import gettext_lazy as _

register = template.Library()

ROOT_DEPTH = 1  # Wagtail's invisible root; the site's HomePage sits at depth 2.


@register.inclusion_tag("components/breadcrumb.html", takes_context=True)
def breadcrumb(context, page=None, current=None):
    """首页 › … › page, from the page's ancestors below the root (one query).

    For a Wagtail page, ``{% breadcrumb page %}``; for a view about a page, give the view's own label:
    ``{% breadcrumb community _("Residents' area") %}`` links the community and ends on the label.
    Without a page, ``{% breadcrumb None "…" %}`` gives 首页 › label.
    """
    request = context.get("request")
    crumbs = []
    if page is not None:
        trail = [*page.get_ancestors().filter(depth__gt=ROOT_DEPTH)]
        if current:
            trail.append(page)
        crumbs = [
            {
                "title": _("Home") if ancestor.depth == ROOT_DEPTH + 1 else ancestor.title,
                "url": ancestor.get_url(request=request),
            }
            for ancestor in trail
        ]
    else:
        crumbs = [{"title": _("Home"), "url": "/"}]
    if page is not None and not current:
        current = _("Home") if page.depth == ROOT_DEPTH + 1 else page.title
    return {"crumbs": crumbs, "current": current}


@register.simple_tag(takes_context=True)
def current_header_community(context):
    """The community the header shows: the one this page is about if the user holds a role there,
    else the first of the user's communities."""
    communities = context.get("header_communities") or []
    if not communities:
        return None
    here = _community_id_in(context)
    for community in communities:
        if community.id == here:
            return community
    return communities[0]


def _community_id_in(context):
    community = context.get("community")
    if community is not None and getattr(community, "pk", None):
        return community.pk
    page = context.get("page")
    if page is not None and getattr(page, "_meta", None) and page._meta.model_name == "communitypage":
        return page.pk
    return None


@register.simple_tag
def elided_pages(page_obj, on_each_side=1, on_ends=1):
    """Page numbers with … gaps, so that 60 pages fit a phone: 1 … 4 5 6 … 60."""
    return list(page_obj.paginator.get_elided_page_range(page_obj.number, on_each_side=on_each_side, on_ends=on_ends))
