from django.apps import AppConfig


class AttendanceConfig(AppConfig):
    name = "livret.attendance"
    label = "attendance"
    verbose_name = "Assiduité"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        # The dropout alert joins the homes' stored alerts (livret.periods.alerts.SOURCES).
        from livret.jobs import kinds

        from . import alerts

        alerts.register()
        # The centre's month-end: every certificate of a month in one ZIP (a background job).
        kinds.register("attendance_month_end", "livret.attendance.printing.month_end_zip")
