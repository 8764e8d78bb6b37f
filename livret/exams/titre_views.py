"""The pages of a titre professionnel session: the jury decides CCP by CCP (no grade, no average).

Each function is called by the session's own view in views.py once it has authorised the user,
so that a session has one address whatever its diploma's rule family."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.utils import timezone

from livret import access
from livret.engine import titre_pro

from . import titre
from .models import CcpResult


def _ccps(session):
    scheme = titre.scheme_for(session)
    return [{"code": c, "title": scheme.titles.get(c, "")} for c in scheme.ccps]


def _evaluation(session):
    return (session.referentiel.document.get("certification") or {}).get("evaluation") or []


def deliberation(request, session):
    rows = titre.results(session)
    wanted = request.GET.get("decision", "")
    shown = [
        r for r in rows if not wanted or r.final == wanted or (wanted == "incomplet" and r.problem)
    ]
    counts = {d: sum(1 for r in rows if r.final == d) for d in titre.LABELS}
    tally = ", ".join(f"{label.lower()} : {counts[code]}" for code, label in titre.LABELS.items())
    return render(
        request,
        "exams/titre_deliberation.html",
        {
            "session": session,
            "ccps": _ccps(session),
            "evaluation": _evaluation(session),
            "rows": shown,
            "total": len(rows),
            "counts": counts,
            "tally": tally,
            "labels": titre.LABELS,
            "wanted": wanted,
            "current": session.current_deliberation(),
            "history": list(session.deliberations.all()),
            "can_manage": access.can(request.user, "livret.manage_exam_session", session),
            "cohorts": session.organiser.cohorts.filter(
                referentiel__diploma=session.referentiel.diploma
            ),
        },
    )


def candidate(request, session, c, typed=None, errors=None, status=200):
    typed, errors = typed or {}, errors or {}
    row = titre.results(session, [c])[0]
    lines = []
    for ccp in _ccps(session):
        code = ccp["code"]
        result = row.results.get(code)
        lines.append(
            {
                **ccp,
                "result": result,
                "decision": typed.get(f"ccp-{code}", result.decision if result else ""),
                "comment": typed.get(f"comment-{code}", result.comment if result else ""),
                "errors": errors.get(f"ccp-{code}"),
            }
        )
    have = {code for code, r in row.results.items() if r.earlier_session}
    return render(
        request,
        "exams/titre_candidate.html",
        {
            "session": session,
            "c": c,
            "row": row,
            "lines": lines,
            "decisions": CcpResult.DECISIONS,
            "evaluation": _evaluation(session),
            "earlier": [(ccp, name) for ccp, name in titre.earlier_ccps(c) if ccp not in have],
            "can_manage": access.can(request.user, "livret.manage_exam_session", session)
            and not session.locked,
            "errors": errors,
        },
        status=status,
    )


def update(request, session, c):
    """POST of the candidate's page (the caller has checked the right to manage the session)."""
    action = request.POST.get("action")
    try:
        if action == "ccp":
            codes = titre.scheme_for(session).ccps
            typed = {k: v for k, v in request.POST.items() if k.startswith(("ccp-", "comment-"))}
            entries = {
                code: (typed.get(f"ccp-{code}", ""), typed.get(f"comment-{code}", ""))
                for code in codes
                if f"ccp-{code}" in typed
            }
            try:
                n = titre.set_decisions(c, entries, request.user)
            except ValidationError as exc:
                if not hasattr(exc, "error_dict"):
                    raise
                messages.error(
                    request,
                    f"Aucune décision enregistrée : {len(exc.message_dict)} CCP à corriger.",
                )
                return candidate(request, session, c, typed, exc.message_dict, status=400)
            messages.success(request, f"Décisions du jury enregistrées ({n} CCP modifié(s)).")
        elif action == "earlier":
            n = titre.apply_earlier(c, request.user)
            messages.success(request, f"{n} CCP acquis lors d'une session précédente repris.")
    except ValidationError as exc:
        for m in exc.messages:
            messages.error(request, m)
    return redirect("exam_candidate", session.pk, c.pk)


def write_csv(session, writer) -> None:
    """The session's results as CSV rows (the caller makes the response, as for every family)."""
    ccps = titre.scheme_for(session).ccps
    writer.writerow(["numero", "nom", "prenom", *ccps, "decision", "ccp_acquis", "motifs"])
    for r in titre.results(session):
        c = r.candidate
        writer.writerow(
            [c.number, c.last_name, c.first_name]
            + [titre.cell(r.results.get(code)) for code in ccps]
            + [
                r.label,
                " ".join(r.outcome.acquired) if r.outcome else "",
                " ; ".join(r.outcome.reasons if r.outcome else [r.problem]),
            ]
        )


def minutes_context(session, number=None) -> dict:
    from .printing import deliberation_of

    deliberation = deliberation_of(session, number)
    signed = deliberation and deliberation.signed_at
    return {
        "session": session,
        "deliberation": deliberation,
        "rows": deliberation.snapshot if signed else titre.snapshot(session),
        "ccps": _ccps(session),
        "evaluation": _evaluation(session),
        "labels": titre.LABELS,
        "today": timezone.localdate(),
    }


def transcript_context(session, c, row=None) -> dict:
    row = row or titre.results(session, [c])[0]
    return {
        "session": session,
        "c": c,
        "row": row,
        "lines": [
            {**ccp, "cell": titre.cell(row.results.get(ccp["code"]))} for ccp in _ccps(session)
        ],
        "today": timezone.localdate(),
        "titre_obtained": row.final == titre_pro.TITRE,
    }
