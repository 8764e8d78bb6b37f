from django.apps import AppConfig


class BulletinsConfig(AppConfig):
    name = "livret.bulletins"
    verbose_name = "Contrôle continu et bulletins"
