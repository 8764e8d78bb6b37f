from django.apps import AppConfig


class ThreadsConfig(AppConfig):
    name = "livret.threads"
    verbose_name = "Fil du livret"
