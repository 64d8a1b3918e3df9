from django.urls import path

from . import views

urlpatterns = [
    path("me/", views.profile, name="profile"),
    path(
        "accounts/password/reset/phone/",
        views.password_reset_by_phone,
        name="account_reset_password_by_phone",
    ),
    path(
        "accounts/password/reset/phone/confirm/",
        views.password_reset_by_phone_confirm,
        name="account_reset_password_by_phone_confirm",
    ),
]
