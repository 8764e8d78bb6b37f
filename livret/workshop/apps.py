from django.apps import AppConfig


class WorkshopConfig(AppConfig):
    name = "livret.workshop"
    label = "workshop"
    verbose_name = "atelier des référentiels"

    def ready(self):
        from livret.jobs.kinds import register

        # A big export of France compétences, read by the worker (importjob.py).
        register("workshop_import", "livret.workshop.importjob.preview_job")
