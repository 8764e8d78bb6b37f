from django.apps import AppConfig


class WorkshopConfig(AppConfig):
    name = "livret.workshop"
    label = "workshop"
    verbose_name = "atelier des référentiels"
