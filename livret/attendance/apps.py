from django.apps import AppConfig


class AttendanceConfig(AppConfig):
    name = "livret.attendance"
    label = "attendance"
    verbose_name = "Assiduité"
    default_auto_field = "django.db.models.BigAutoField"
