from django.apps import AppConfig


class CompetencesConfig(AppConfig):
    name = "livret.competences"
    verbose_name = "Livret de compétences"

    def ready(self):
        from livret.jobs.kinds import register

        register("cohort_livrets", "livret.competences.printing.cohort_livrets_zip")
