from django.apps import AppConfig


class PrivacyConfig(AppConfig):
    name = "livret.privacy"
    verbose_name = "Données personnelles (RGPD)"
