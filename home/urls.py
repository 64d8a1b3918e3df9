from django.urls import path

from .views import audit, claims, notifications, register, site

app_name = "home"

urlpatterns = [
    path("large-text/", site.toggle_large_text, name="toggle_large_text"),
    path("community/<int:community_id>/residents/", site.community_residents, name="community_residents"),
    *register.urlpatterns,
    *claims.urlpatterns,
    *audit.urlpatterns,
    *notifications.urlpatterns,
]
