from django.apps import AppConfig


class HomeConfig(AppConfig):
    name = "home"
    verbose_name = "小区与住户登记"
