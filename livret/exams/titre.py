"""Titre professionnel sessions: the jury of professionals decides CCP by CCP, no average.

The rule lives in livret.engine.titre_pro (arrêté du 22 décembre 2015); this module reads and
writes the decisions, carries the CCPs a learner obtained at an earlier official session, and
gives the deliberation's rows and minutes. Every write checks the lock first, as grades do.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from livret.engine import titre_pro

from .lock import ensure_open
from .models import Candidate, CcpResult, ExamSession

LABELS = {
    titre_pro.TITRE: "Titre obtenu",
    titre_pro.PARTIAL: "Validation partielle (CCP obtenus)",
    titre_pro.NONE: "Non obtenu",
}
DECISION_LABELS = dict(CcpResult.DECISIONS)


def scheme_for(session: ExamSession) -> titre_pro.Scheme:
    return titre_pro.scheme_from_referentiel(session.referentiel.document)


def today() -> datetime.date:
    return timezone.localdate()


def jury_date(session: ExamSession, scheme: titre_pro.Scheme | None = None) -> datetime.date:
    """The day the jury decides: its signed minutes' day, else today. The titre's capitalisation
    window is counted to it (arrêté du 22 décembre 2015, art. 3). While today is inside the
    titre's validity any earlier day is too: the minutes are not read then."""
    scheme = scheme or scheme_for(session)
    on = today()
    if scheme.valid_until is not None and on > scheme.valid_until:
        current = session.current_deliberation()
        if current and current.signed_at:
            on = timezone.localdate(current.signed_at)
    return on


def window_note(session: ExamSession) -> str:
    """What the session's pages say of the titre's validity ("" while it is valid)."""
    scheme = scheme_for(session)
    return titre_pro.window_note(scheme, jury_date(session, scheme))


@dataclass
class Row:
    candidate: Candidate
    results: dict = field(default_factory=dict)  # CCP → CcpResult
    outcome: titre_pro.Outcome | None = None
    problem: str = ""

    @property
    def final(self) -> str:
        return self.outcome.decision if self.outcome else ""

    @property
    def label(self) -> str:
        return LABELS.get(self.final, "Décisions incomplètes")


def engine_candidate(c: Candidate, results, on: datetime.date | None = None) -> titre_pro.Candidate:
    return titre_pro.Candidate(
        c.number,
        {r.ccp: r.decision for r in results if not r.earlier_session},
        frozenset(r.ccp for r in results if r.earlier_session and r.decision == CcpResult.ACQUIRED),
        on,
    )


def results(session: ExamSession, candidates=None) -> list[Row]:
    """Every candidate's CCP decisions and outcome, in two queries whatever the session's size."""
    scheme = scheme_for(session)
    on = jury_date(session, scheme)
    if candidates is None:
        candidates = list(session.candidates.order_by("last_name", "first_name", "number"))
    by_candidate: dict[int, list] = {c.pk: [] for c in candidates}
    for r in CcpResult.objects.filter(candidate__in=by_candidate):
        by_candidate[r.candidate_id].append(r)
    rows = []
    for c in candidates:
        mine = by_candidate[c.pk]
        row = Row(c, {r.ccp: r for r in mine})
        ec = engine_candidate(c, mine, on)
        try:
            titre_pro.check_candidate(scheme, ec)
            row.outcome = titre_pro.compute(scheme, ec)
        except titre_pro.InputError as exc:
            row.problem = str(exc).split(" : ", 1)[-1]
        rows.append(row)
    return rows


@transaction.atomic
def set_decisions(candidate: Candidate, entries: dict[str, tuple[str, str]], user) -> int:
    """The jury's decision on each CCP as typed on the candidate's page: all saved, or none.

    `entries` maps a CCP to (decision, observations); an empty decision withdraws it (the
    candidate did not present that CCP). A CCP obtained at an earlier session is not decided
    again, while it still completes the titre (past the titre's capitalisation window it is
    decided anew, and the decision replaces it). Each fault is reported under its field
    `ccp-<code>`, all at once."""
    session = candidate.session
    ensure_open(session)
    scheme = scheme_for(session)
    current = {r.ccp: r for r in candidate.ccp_results.all()}
    gone = bool(titre_pro.lapsed(scheme, jury_date(session, scheme)))
    errors: dict[str, list[str]] = {}
    for ccp, (decision, _comment) in entries.items():
        problem = ""
        if ccp not in scheme.codes:
            problem = f"{ccp} n'est pas un CCP de ce titre"
        elif decision and decision not in DECISION_LABELS:
            problem = f"décision « {decision} » inconnue (acquis ou non acquis)"
        elif decision and ccp in current and current[ccp].earlier_session and not gone:
            problem = (
                f"{ccp} est acquis depuis la session « {current[ccp].earlier_session} » : "
                "il ne se repasse pas"
            )
        if problem:
            errors[f"ccp-{ccp}"] = [problem]
    if errors:
        raise ValidationError(errors)
    changed = 0
    for ccp, (decision, comment) in entries.items():
        old = current.get(ccp)
        if old and old.earlier_session and (not gone or not decision):
            continue
        if not decision:
            if old:
                old.delete()
                changed += 1
            continue
        if (
            old
            and not old.earlier_session
            and (old.decision, old.comment) == (decision, comment.strip())
        ):
            continue
        CcpResult.objects.update_or_create(
            candidate=candidate,
            ccp=ccp,
            defaults={
                "decision": decision,
                "comment": comment.strip(),
                "earlier_session": "",
                "entered_by": user,
            },
        )
        changed += 1
    return changed


def earlier_ccps(candidate: Candidate) -> list[tuple[str, str]]:
    """(CCP, session) pairs the same learner obtained at an earlier official session of the same
    titre, read from its signed minutes: a CCP acquired stays acquired (arrêté du 22 décembre
    2015). A mock session (the centre's own assessment) never counts."""
    if candidate.learner_id is None:
        return []
    return earlier_for(candidate.learner_id, candidate.session)


def earlier_for(learner_id: int, session: ExamSession) -> list[tuple[str, str]]:
    previous = (
        Candidate.objects.filter(
            learner_id=learner_id,
            session__referentiel__diploma=session.referentiel.diploma,
            session__kind=ExamSession.OFFICIAL,
            session__year__lte=session.year,
        )
        .exclude(session=session)
        .select_related("session")
        .order_by("-session__year")
    )
    out, seen = [], set()
    for old in previous:
        for ccp in (old.signed_minutes_row() or {}).get("acquired") or []:
            if ccp not in seen:
                seen.add(ccp)
                out.append((ccp, old.session.name))
    return out


def holds_all(session: ExamSession, earlier: list[tuple[str, str]]) -> bool:
    """The CCPs obtained before (earlier_for) are every CCP of the titre: nothing left to sit."""
    scheme = scheme_for(session)
    if titre_pro.lapsed(scheme, jury_date(session, scheme)):
        return False  # past the capitalisation window they no longer complete the titre
    return set(scheme.ccps) <= {ccp for ccp, _ in earlier}


@transaction.atomic
def apply_earlier(candidate: Candidate, user, earlier: list[tuple[str, str]] | None = None) -> int:
    """Record the CCPs he obtained before (`earlier`, when the caller has read them already)."""
    ensure_open(candidate.session)
    have = {r.ccp: r for r in candidate.ccp_results.all()}
    n = 0
    for ccp, name in earlier_ccps(candidate) if earlier is None else earlier:
        if ccp in have and have[ccp].earlier_session:
            continue
        CcpResult.objects.update_or_create(
            candidate=candidate,
            ccp=ccp,
            defaults={
                "decision": CcpResult.ACQUIRED,
                "earlier_session": name,
                "comment": "",
                "entered_by": user,
            },
        )
        n += 1
    return n


def cell(result: CcpResult | None) -> str:
    """A CCP as the minutes and the CSV write it."""
    if result is None:
        return ""
    if result.earlier_session:
        return f"acquis ({result.earlier_session})"
    return DECISION_LABELS[result.decision].lower()


def snapshot(session: ExamSession, rows=None) -> list[dict]:
    return [
        {
            "number": r.candidate.number,
            "name": str(r.candidate),
            "ccps": {code: cell(res) for code, res in r.results.items()},
            "comments": {code: res.comment for code, res in r.results.items() if res.comment},
            "acquired": r.outcome.acquired if r.outcome else [],
            "missing": r.outcome.missing if r.outcome else [],
            "label": r.label,
            "reasons": r.outcome.reasons if r.outcome else [r.problem],
            "final": r.final,
        }
        for r in (results(session) if rows is None else rows)
    ]
