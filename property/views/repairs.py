"""Repair requests (issue 9). PLACEHOLDER: being written."""

from django.http import Http404
from django.urls import path


def _todo(request, **kwargs):
    raise Http404


urlpatterns = [
    path("repairs/<int:pk>/", _todo, name="repair"),
    path("repairs/oversight/<int:community_id>/", _todo, name="repair_oversight"),
]
