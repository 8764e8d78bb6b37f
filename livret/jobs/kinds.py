"""What each kind of job does: its function, looked up by name when the worker runs it.

A function takes (job, progress) and fills job.file / job.result; it raises JobFailed with a
French message the user can act on. Paths, not imports, so this module loads nothing heavy.
"""

KINDS = {
    "cohort_livrets": "livret.competences.printing.cohort_livrets_zip",
    "session_documents": "livret.exams.printing.session_documents_zip",
    "session_minutes": "livret.exams.printing.session_minutes_pdf",
    "import_preview": "livret.ops.importer.preview_job",
    "import_apply": "livret.ops.importer.apply_job",
    "centre_alerts": "livret.periods.alerts.refresh_job",
    "centre_archive": "livret.ops.archive.archive_job",
    "attendance_month_end": "livret.attendance.printing.month_end_zip",
    "workshop_import": "livret.workshop.importjob.preview_job",
}
