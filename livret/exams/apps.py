from django.apps import AppConfig


class ExamsConfig(AppConfig):
    name = "livret.exams"
    verbose_name = "Examens et jury"
