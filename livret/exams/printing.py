"""Printed exam documents: the PV, each candidate's relevé, and a whole session's as one ZIP."""

from __future__ import annotations

import io
import zipfile

from django.utils.text import slugify

from livret import access
from livret.web.pdf import pdf_bytes

from . import families, graded, scopes

# The documents' helpers, where the rows and the bench read them.
units, fmt, deliberation_of = graded.units, graded.fmt, families.deliberation_of


def minutes_template(session) -> str:
    return families.of(session).minutes_template


def minutes_context(session, number=None) -> dict:
    return families.of(session).minutes_context(session, number)


def transcript_context(session, c, row=None, by_unit=None) -> dict:
    return families.of(session).transcript_context(session, c, row, by_unit)


# Above this many candidates the PV is made in the background: WeasyPrint lays out about 14 ms
# per candidate row (8 s for 500), too long to hold a request.
LARGE_SESSION = 100


def session_minutes_pdf(job, progress) -> None:
    """The PV of a large session (current deliberation, or a past one by its number)."""
    from livret.jobs.runner import JobFailed, save_file

    user = job.requested_by
    session = scopes.visible_exam_sessions(user).filter(pk=job.params["session"]).first()
    if session is None:
        raise JobFailed("Vous n'avez plus accès à cette session : aucun PV imprimé.")
    number = job.params.get("number")
    if number and not session.deliberations.filter(number=number).exists():
        raise JobFailed(f"La délibération n° {number} n'existe pas pour cette session.")
    progress(0, 1, force=True)
    content = pdf_bytes(minutes_template(session), minutes_context(session, number))
    suffix = f"-{number}" if number else ""
    save_file(job, f"pv-{session.year}-{session.referentiel.diploma.slug}{suffix}.pdf", content)
    progress(1, 1, force=True)


def session_documents_zip(job, progress) -> None:
    """The session's PV and every candidate's relevé de notes, one PDF each, in one ZIP."""
    from livret.jobs.runner import JobFailed, save_file

    user = job.requested_by
    session = scopes.visible_exam_sessions(user).filter(pk=job.params["session"]).first()
    if session is None or not access.can(user, "livret.manage_exam_session", session):
        raise JobFailed("Vous n'avez plus accès à cette session : aucun document imprimé.")
    family = families.of(session)
    candidates = list(graded.candidates_qs(session))
    if not candidates:
        raise JobFailed("Cette session n'a aucun candidat inscrit : rien à imprimer.")
    total = len(candidates) + 1
    progress(0, total, force=True)
    rows = family.results(session, candidates)  # one jury computation for the whole session
    by_unit = graded.exams_by_unit(session)
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr(
            "proces-verbal.pdf",
            pdf_bytes(family.minutes_template, family.minutes_context(session)),
        )
        for i, (c, row) in enumerate(zip(candidates, rows, strict=True), start=1):
            progress(i, total)
            context = family.transcript_context(session, c, row, by_unit)
            archive.writestr(
                f"releves/releve-{c.number}.pdf", pdf_bytes(family.transcript_template, context)
            )
        progress(total, total, force=True)
    name = f"documents-{session.year}-{slugify(session.referentiel.diploma.slug)}.zip"
    save_file(job, name, buffer.getvalue())
