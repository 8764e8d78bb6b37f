from django.apps import AppConfig


class ReferentielsConfig(AppConfig):
    name = "livret.referentiels"
    verbose_name = "Référentiels"
