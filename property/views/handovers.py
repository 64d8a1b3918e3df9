"""Handovers and the 三供一业 facility handovers (issue 9). PLACEHOLDER: being written."""

from django.http import Http404
from django.urls import path


def _todo(request, **kwargs):
    raise Http404


urlpatterns = [
    path("handovers/<int:pk>/", _todo, name="handover"),
]
