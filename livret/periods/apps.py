from django.apps import AppConfig


class PeriodsConfig(AppConfig):
    name = "livret.periods"
    verbose_name = "Périodes en entreprise"

    def ready(self):
        from livret.jobs.kinds import register

        from . import alerts

        alerts.connect()
        register("centre_alerts", "livret.periods.alerts.refresh_job")
