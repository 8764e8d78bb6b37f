"""Printed livrets: one learner's context, and a whole cohort's PDFs as one ZIP (a background job)."""

from __future__ import annotations

import io
import zipfile

from django.utils import timezone
from django.utils.text import slugify

from livret import access
from livret.web.pdf import pdf_bytes

from . import queries, visas


def livret_context(learner, fr=None, statuses=None) -> dict:
    fr = fr or queries.frame(learner.cohort.referentiel)
    if statuses is None:
        statuses = queries.statuses_of([learner]).get(learner.pk, {})
    situations, _ = queries.situations_by_competence(learner)
    signed = visas.latest(learner)
    return {
        "learner": learner,
        "frame": fr,
        "statuses": statuses,
        "progress": queries.progress(fr, statuses),
        "situations": situations,
        "printed_on": timezone.localdate(),
        "visas": signed,
        "unsigned_roles": visas.missing_roles(signed),
    }


def cohort_livrets_zip(job, progress) -> None:
    """Every livret of the cohort the requester may read, one PDF each, in one ZIP."""
    from livret.jobs.runner import JobFailed, save_file
    from livret.privacy.services import record_access

    user = job.requested_by
    cohort = access.visible_cohorts(user).filter(pk=job.params["cohort"]).first()
    if cohort is None:  # the right was withdrawn since the job was asked for
        raise JobFailed("Vous n'avez plus accès à cette promotion : aucun livret imprimé.")
    learners = list(
        access.visible_learners(user)
        .filter(cohort=cohort)
        .select_related("cohort__referentiel", "centre")
        .order_by("last_name", "first_name")
    )
    if not learners:
        raise JobFailed("Cette promotion n'a aucun apprenant : aucun livret à imprimer.")
    fr = queries.frame(cohort.referentiel)
    statuses = queries.statuses_of([lr.pk for lr in learners])
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for i, learner in enumerate(learners):
            progress(i, len(learners))
            context = livret_context(learner, fr, statuses.get(learner.pk, {}))
            name = slugify(f"{learner.last_name}-{learner.first_name}") or "apprenant"
            archive.writestr(
                f"livret-{name}-{learner.pk}.pdf", pdf_bytes("livret/print.html", context)
            )
            record_access(user, learner, "livret imprimé (PDF, promotion)")
        progress(len(learners), len(learners), force=True)
    save_file(job, f"livrets-{slugify(cohort.name) or cohort.pk}.zip", buffer.getvalue())
