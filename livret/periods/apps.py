from django.apps import AppConfig


class PeriodsConfig(AppConfig):
    name = "livret.periods"
    verbose_name = "Périodes en entreprise"
