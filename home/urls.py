from django.urls import path

from .views import audit, claims, notifications, register, site

app_name = "home"

urlpatterns = [
    path("large-text/", site.toggle_large_text, name="toggle_large_text"),
    *register.urlpatterns,
    *claims.urlpatterns,
    *audit.urlpatterns,
    *notifications.urlpatterns,
]
