from django.apps import AppConfig


class OpsConfig(AppConfig):
    name = "livret.ops"
    verbose_name = "Exploitation"

    def ready(self):
        from livret.jobs.kinds import register_all

        register_all(
            {
                "import_preview": "livret.ops.importer.preview_job",
                "import_apply": "livret.ops.importer.apply_job",
                "centre_archive": "livret.ops.archive.archive_job",
            }
        )
