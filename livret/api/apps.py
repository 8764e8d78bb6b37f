from django.apps import AppConfig


class ApiConfig(AppConfig):
    name = "livret.api"
    verbose_name = "API"
