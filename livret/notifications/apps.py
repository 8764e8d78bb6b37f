from django.apps import AppConfig


class NotificationsConfig(AppConfig):
    name = "livret.notifications"
    verbose_name = "Notifications"
