"""Management modes, companies, contracts and notices (issue 9). PLACEHOLDER: being written."""

from django.http import Http404
from django.urls import path


def _todo(request, **kwargs):
    raise Http404


urlpatterns = [
    path("management/<int:community_id>/", _todo, name="management"),
]
