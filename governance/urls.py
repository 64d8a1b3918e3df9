from .views import bodies, meetings, notices

app_name = "governance"

urlpatterns = [
    *bodies.urlpatterns,
    *meetings.urlpatterns,
    *notices.urlpatterns,
]
