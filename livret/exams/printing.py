"""Printed exam documents: the PV, each candidate's relevé, and a whole session's as one ZIP."""

from __future__ import annotations

import io
import zipfile

from django.utils import timezone
from django.utils.text import slugify

from livret import access
from livret.web.pdf import pdf_bytes

from . import services


def units(session):
    scheme = services.scheme_for(session)
    return [u for u in scheme.units.values() if not u.optional], [
        u for u in scheme.units.values() if u.optional
    ]


def fmt(hundredths):
    return "" if hundredths is None else f"{hundredths // 100},{hundredths % 100:02d}"


def deliberation_of(session, number=None):
    """The deliberation whose minutes are printed: one by its number, or the current one."""
    if number:
        return session.deliberations.filter(number=number).first()
    return session.current_deliberation()


def minutes_template(session) -> str:
    from . import titre

    return "exams/titre_pv.html" if titre.is_titre(session) else "exams/pv.html"


def minutes_context(session, number=None) -> dict:
    from . import titre, titre_views

    if titre.is_titre(session):
        return titre_views.minutes_context(session, number)
    deliberation = deliberation_of(session, number)
    compulsory, optional = units(session)
    if deliberation and deliberation.signed_at:
        rows = deliberation.snapshot
    else:
        rows = services._snapshot(session)
    return {
        "session": session,
        "deliberation": deliberation,
        "rows": rows,
        "units": [u.code for u in compulsory + optional],
        "fmt": fmt,
        "today": timezone.localdate(),
    }


def transcript_context(session, c, row=None, by_unit=None) -> dict:
    row = row or services.results(session, [c])[0]
    by_unit = by_unit or services.exams_by_unit(session)
    dispensed = {d.unit for d in c.dispensations.all()}
    lines = []
    for code, exam in by_unit.items():
        g = row.grades.get(code)
        if g or code in dispensed or code in c.optional_units:
            lines.append(
                {
                    "unit": code,
                    "title": exam["title"],
                    "coefficient": exam.get("coefficient"),
                    "grade": g.display if g else ("dispensé" if code in dispensed else ""),
                    "control": row.control[code].display if code in row.control else "",
                }
            )
    return {
        "session": session,
        "c": c,
        "row": row,
        "lines": lines,
        "average": fmt(row.outcome.average) if row.outcome else "",
        "today": timezone.localdate(),
    }


# Above this many candidates the PV is made in the background: WeasyPrint lays out about 14 ms
# per candidate row (8 s for 500), too long to hold a request.
LARGE_SESSION = 100


def session_minutes_pdf(job, progress) -> None:
    """The PV of a large session (current deliberation, or a past one by its number)."""
    from livret.jobs.runner import JobFailed, save_file

    user = job.requested_by
    session = access.visible_exam_sessions(user).filter(pk=job.params["session"]).first()
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
    session = access.visible_exam_sessions(user).filter(pk=job.params["session"]).first()
    if session is None or not access.can(user, "livret.manage_exam_session", session):
        raise JobFailed("Vous n'avez plus accès à cette session : aucun document imprimé.")
    from . import titre, titre_views

    candidates = list(services.candidates_qs(session))
    if not candidates:
        raise JobFailed("Cette session n'a aucun candidat inscrit : rien à imprimer.")
    total = len(candidates) + 1
    progress(0, total, force=True)
    is_titre = titre.is_titre(session)
    # One jury computation for the whole session.
    rows = (titre.results if is_titre else services.results)(session, candidates)
    by_unit = services.exams_by_unit(session)
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr(
            "proces-verbal.pdf",
            pdf_bytes(minutes_template(session), minutes_context(session)),
        )
        for i, (c, row) in enumerate(zip(candidates, rows, strict=True), start=1):
            progress(i, total)
            if is_titre:
                template = "exams/titre_transcript.html"
                context = titre_views.transcript_context(session, c, row)
            else:
                template = "exams/transcript.html"
                context = transcript_context(session, c, row, by_unit)
            archive.writestr(f"releves/releve-{c.number}.pdf", pdf_bytes(template, context))
        progress(total, total, force=True)
    name = f"documents-{session.year}-{slugify(session.referentiel.diploma.slug)}.zip"
    save_file(job, name, buffer.getvalue())
