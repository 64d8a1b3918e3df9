"""Site-wide search (/search/?q=) over the public pages: communities, public notices, guidance documents and
answers. Members-only notices never appear: a notice is searched only when it is marked public.
"""

from django.contrib.contenttypes.models import ContentType
from django.db.models import Q
from django.shortcuts import render
from django.urls import path
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy
from django.views.decorators.http import require_GET
from wagtail.models import Page

from governance.models import NoticePage, PolicyAnswerPage, PolicyPage
from governance.selectors.policy import paginated_search
from home.models import CommunityPage

ALL = "all"
KINDS = {
    "communities": (pgettext_lazy("site search", "Communities"), (CommunityPage,)),
    "notices": (pgettext_lazy("site search", "Public notices"), (NoticePage,)),
    "documents": (_("Guidance documents"), (PolicyPage,)),
    "answers": (pgettext_lazy("policy search", "Answers"), (PolicyAnswerPage,)),
}


def public_pages(kind: str = ALL):
    """Live, unrestricted pages of the searchable types; of notices only the public ones."""
    models = [model for key, (_label, types) in KINDS.items() if kind in (ALL, key) for model in types]
    open_types = [model for model in models if model is not NoticePage]
    allowed = Q(content_type__in=list(ContentType.objects.get_for_models(*open_types).values())) if open_types else Q()
    if NoticePage in models:
        public_notices = Q(id__in=NoticePage.objects.live().filter(is_public=True).values("pk"))
        allowed = (allowed | public_notices) if open_types else public_notices
    return Page.objects.live().public().filter(allowed)


@require_GET
def site_search(request):
    """One box for the whole site's public pages, ranked by relevance, highlighted, 10 a page."""
    kind = request.GET.get("kind")
    if kind not in KINDS:
        kind = ALL
    context = paginated_search(public_pages(kind), request.GET.get("q", ""), request.GET.get("page"))
    context.update(
        {
            "kind": kind,
            "kind_choices": [
                (ALL, pgettext_lazy("site search", "Everything public")),
                *((key, label) for key, (label, _types) in KINDS.items()),
            ],
        }
    )
    return render(request, "portal/search.html", context)


urlpatterns = [path("search/", site_search, name="site_search")]
