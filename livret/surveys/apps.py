from django.apps import AppConfig


class SurveysConfig(AppConfig):
    name = "livret.surveys"
    verbose_name = "Questionnaires de satisfaction"
