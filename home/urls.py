from django.urls import path

from . import views

app_name = "home"

urlpatterns = [
    path("large-text/", views.toggle_large_text, name="toggle_large_text"),
]
