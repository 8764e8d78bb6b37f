from django.apps import AppConfig


class CredentialsConfig(AppConfig):
    name = "livret.credentials"
    verbose_name = "Badges numériques (Open Badges 3.0)"
