from django.apps import AppConfig


class CompetencesConfig(AppConfig):
    name = "livret.competences"
    verbose_name = "Livret de compétences"
