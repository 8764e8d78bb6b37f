from django.apps import AppConfig


class WebConfig(AppConfig):
    name = "livret.web"
    verbose_name = "Interface web"
