from django.apps import AppConfig


class JobsConfig(AppConfig):
    name = "livret.jobs"
    verbose_name = "Tâches de fond"
