from django.apps import AppConfig


class PeriodsConfig(AppConfig):
    name = "livret.periods"
    verbose_name = "Périodes en entreprise"

    def ready(self):
        from . import alerts

        alerts.connect()
