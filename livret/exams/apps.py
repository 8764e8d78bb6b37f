from django.apps import AppConfig


class ExamsConfig(AppConfig):
    name = "livret.exams"
    verbose_name = "Examens et jury"

    def ready(self):
        from livret.jobs.kinds import register_all

        register_all(
            {
                "session_documents": "livret.exams.printing.session_documents_zip",
                "session_minutes": "livret.exams.printing.session_minutes_pdf",
            }
        )
