"""(being written: issue 8)"""

urlpatterns = []

from django.http import HttpResponse  # noqa: E402
from django.urls import path  # noqa: E402


def renovation_project(request, project_id):  # replaced by the project page
    return HttpResponse(status=404)


urlpatterns = [path("renovation/<int:project_id>/", renovation_project, name="renovation_project")]
