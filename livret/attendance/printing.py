"""Month-end for a whole centre: every learner's attendance certificate for a month (one PDF each,
by cohort) in one ZIP, as a background job with its progress bar (livret.jobs)."""

from __future__ import annotations

import io
import zipfile

from django.utils.text import slugify

from livret import access
from livret.people.models import Learner
from livret.web.pdf import pdf_bytes

from . import documents
from .models import Attendance


def month_end_zip(job, progress) -> None:
    """The certificates of the month of every learner of the centre with hours that month."""
    from livret.jobs.runner import JobFailed, save_file

    user = job.requested_by
    if not access.is_manager(user) or access.centre_id_of(user) != job.centre_id:
        raise JobFailed("Vous n'êtes plus responsable de ce centre : aucune attestation.")
    year, month = int(job.params["year"]), int(job.params["month"])
    first, last = documents.month_bounds(year, month)
    ids = (
        Attendance.objects.filter(
            learner__centre_id=job.centre_id, session__date__range=(first, last)
        )
        .values("learner_id")
        .distinct()
    )
    learners = list(
        Learner.objects.filter(pk__in=ids)
        .select_related("cohort", "centre")
        .order_by("cohort__name", "last_name", "first_name", "pk")
    )
    if not learners:
        raise JobFailed(f"Aucune présence relevée en {first:%m/%Y} : aucune attestation.")
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for i, learner in enumerate(learners):
            progress(i, len(learners))
            folder = slugify(learner.cohort.name) or str(learner.cohort_id)
            name = slugify(f"{learner.last_name}-{learner.first_name}") or "apprenant"
            archive.writestr(
                f"{folder}/assiduite-{year}-{month:02d}-{name}-{learner.pk}.pdf",
                pdf_bytes(
                    "attendance/certificate_pdf.html",
                    documents.certificate_context(learner, year, month),
                ),
            )
        progress(len(learners), len(learners), force=True)
    save_file(job, f"assiduite-{year}-{month:02d}.zip", buffer.getvalue())
