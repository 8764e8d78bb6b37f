from django.apps import AppConfig


class VaeConfig(AppConfig):
    name = "livret.vae"
    verbose_name = "VAE"
