from django.apps import AppConfig


class AttendanceConfig(AppConfig):
    name = "livret.attendance"
    label = "attendance"
    verbose_name = "Assiduité"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        # The dropout alert joins the homes' stored alerts (livret.periods.alerts.SOURCES).
        from . import alerts

        alerts.register()
