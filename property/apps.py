from django.apps import AppConfig


class PropertyConfig(AppConfig):
    name = "property"
    verbose_name = "物业与改造"
