"""One object per exam rule family (BTS, Bac pro, CAP, titre professionnel), chosen in one place
from the référentiel: `family_for`. Everything that differs between families is asked of it —
the scheme, the results (by the same engine functions `livret jury compute` runs), the checks
before signing, the minutes' snapshot, the CSV, the pages' and documents' templates and contexts.

Below services.py and the views: it reads (graded.py, titre.py), it never writes."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.utils import timezone

from livret.engine import families as rules
from livret.engine import jury, titre_pro

from . import graded, titre
from .models import CcpResult
from .rows import Rows


def deliberation_of(session, number=None):
    """The deliberation whose minutes are printed: one by its number, or the current one."""
    if number:
        return session.deliberations.filter(number=number).first()
    return session.current_deliberation()


class Family:
    """What a session's pages, documents and services ask of its rule family."""

    code = ""
    deliberation_template = "exams/deliberation.html"
    candidate_template = "exams/candidate.html"
    minutes_template = "exams/pv.html"
    transcript_template = "exams/transcript.html"
    locked_what = "notes"  # what signed minutes lock, as the message says it
    actions: frozenset[str] = frozenset()  # the candidate page's POST actions
    no_grades = ""  # why the grade grid and the import do not apply ("" when they do)
    no_blocs_attestation = ""  # why there is no attestation de blocs ("" when there is)
    registration_columns: list[str] | None = None  # when the file lists no candidate status

    def missing(self, referentiel) -> str:
        """Why a session of this référentiel cannot be held yet ("" when it can): what its file
        does not give (units and coefficients, CCPs) is never guessed."""
        raise NotImplementedError

    def results(self, session, candidates=None) -> list:
        raise NotImplementedError

    def check_signable(self, rows) -> None:
        """Refuse to sign while a row is incomplete (ValidationError naming the candidates)."""
        raise NotImplementedError

    def snapshot(self, session) -> list[dict]:
        raise NotImplementedError

    def write_csv(self, session, writer) -> None:
        raise NotImplementedError

    def result_labels(self) -> dict[str, str]:
        raise NotImplementedError

    def deliberation_context(self, session, rows, wanted) -> dict:
        raise NotImplementedError

    def candidate_context(self, session, c, typed, errors) -> dict:
        raise NotImplementedError

    def minutes_context(self, session, number=None) -> dict:
        raise NotImplementedError

    def transcript_context(self, session, c, row=None, by_unit=None) -> dict:
        raise NotImplementedError

    # Registration: which learners sit nothing, and what is carried for the others.
    def prepare_registration(self, session, learners) -> dict:
        return {}

    def holds_all(self, session, prepared, learner) -> bool:
        return False

    def after_registration(self, session, prepared, user) -> None:
        pass


class Graded(Family):
    """BTS, Bac pro, CAP: grades per unit, an average and a decision by the family's rule."""

    actions = frozenset({"grades", "dispense", "optional", "report", "carry", "jury"})

    def __init__(self, code: str):
        self.code = code

    def rule(self, session) -> rules.Rule:
        return rules.rule_for(session.referentiel.document)

    def missing(self, referentiel) -> str:
        scheme = jury.scheme_from_referentiel(referentiel.document)
        if any(not u.optional for u in scheme.units.values()):
            return ""
        return (
            f"Le référentiel « {referentiel} » ne donne pas encore ses épreuves (unités et "
            "coefficients) : aucune moyenne ne peut être calculée. Complétez-le dans l'atelier "
            "des référentiels avant d'ouvrir une session."
        )

    def scheme(self, session) -> jury.Scheme:
        return graded.scheme_for(session)

    def results(self, session, candidates=None) -> list[graded.Row]:
        return graded.results(session, self.rule(session), candidates)

    def check_signable(self, rows) -> None:
        missing = [str(r.candidate) for r in rows if r.problem]
        if missing:
            raise ValidationError("Notes incomplètes pour : " + ", ".join(missing))
        pending = [str(r.candidate) for r in rows if r.final == jury.CONTROL]
        if pending:
            raise ValidationError("Épreuves de contrôle à noter pour : " + ", ".join(pending))

    def snapshot(self, session, rows=None) -> list[dict]:
        return [
            {
                "number": r.candidate.number,
                "name": str(r.candidate),
                "grades": {u: g.display for u, g in r.grades.items()},
                "control": {u: g.display for u, g in r.control.items()},
                "dispensed": sorted(r.dispensed),
                "average": r.outcome.average if r.outcome else None,
                "computed": r.outcome.decision if r.outcome else "",
                "mention": r.outcome.mention if r.outcome else "",
                "reasons": r.outcome.reasons if r.outcome else [r.problem],
                "jury": {"decision": r.jury_decision.decision, "reason": r.jury_decision.reason}
                if r.jury_decision
                else None,
                "final": r.final,
            }
            for r in (self.results(session) if rows is None else rows)
        ]

    def write_csv(self, session, writer) -> None:
        compulsory, optional = graded.units(session)
        units = [u.code for u in compulsory + optional]
        mentions = self.rule(session).mentions
        writer.writerow(
            [
                *("numero", "nom", "prenom"),
                *units,
                *("moyenne", "decision_calculee"),
                *(["mention"] if mentions else []),
                *("decision_jury", "motifs"),
            ]
        )
        for r in self.results(session):
            c, o = r.candidate, r.outcome
            writer.writerow(
                [c.number, c.last_name, c.first_name]
                + [
                    r.grades[u].display
                    if u in r.grades
                    else ("dispensé" if u in r.dispensed else "")
                    for u in units
                ]
                + [graded.fmt(o.average) if o else "", o.decision if o else "incomplet"]
                + ([o.mention if o else ""] if mentions else [])
                + [
                    r.jury_decision.decision if r.jury_decision else "",
                    " ; ".join(o.reasons if o else [r.problem]),
                ]
            )

    def result_labels(self) -> dict[str, str]:
        return {jury.PASSED: "admis", jury.FAILED: "ajourné", jury.CONTROL: "épreuves de contrôle"}

    def deliberation_context(self, session, rows, wanted) -> dict:
        compulsory, optional = graded.units(session)
        shown = [
            r
            for r in rows
            if not wanted or r.final == wanted or (wanted == "incomplet" and r.problem)
        ]
        counts = {
            d: sum(1 for r in rows if r.final == d)
            for d in (jury.PASSED, jury.FAILED, jury.CONTROL)
        }
        row = Rows(session, compulsory, optional)
        failed = counts[jury.FAILED]
        return {
            "units": compulsory,
            "optional_units": optional,
            "rows": [row(r) for r in shown],
            "counts": counts,
            "tally": (
                f"{counts[jury.PASSED]} admis, {counts[jury.CONTROL]} aux épreuves de contrôle, "
                f"{failed} ajourné{'s' if failed > 1 else ''}"
            ),
        }

    def candidate_context(self, session, c, typed, errors) -> dict:
        compulsory, optional = graded.units(session)
        by_unit = graded.exams_by_unit(session)
        row = self.results(session, [c])[0]
        dispensed = {d.unit: d for d in c.dispensations.all()}
        epreuves = []
        for u in compulsory + [u for u in optional if u.code in c.optional_units]:
            exam = by_unit.get(u.code, {})
            epreuves.append(
                {
                    "unit": u,
                    "exam": exam,
                    "form": graded.form_for(exam, c.status),
                    "grade": row.grades.get(u.code),
                    "control": row.control.get(u.code),
                    "dispensation": dispensed.get(u.code),
                    "typed_grade": typed.get(f"grade-{u.code}"),
                    "grade_errors": errors.get(f"grade-{u.code}"),
                    "typed_control": typed.get(f"control-{u.code}"),
                    "control_errors": errors.get(f"control-{u.code}"),
                }
            )
        remaining = [
            u.code for u in compulsory if u.code not in row.grades and u.code not in dispensed
        ]
        need = (
            jury.needed_grade(self.scheme(session), graded.engine_candidate(c), remaining)
            if remaining
            else None
        )
        return {
            "row": row,
            "epreuves": epreuves,
            "remaining": remaining,
            "need": graded.fmt(need) if need is not None else None,
            "nv": graded.nv_proposals(c),
            "carried": graded.carried_grades(c),
            "dispensations": session.referentiel.document.get("dispensations") or [],
            "optional_units": optional,
            "status_label": c.status_label,
        }

    def minutes_context(self, session, number=None) -> dict:
        deliberation = deliberation_of(session, number)
        compulsory, optional = graded.units(session)
        signed = deliberation and deliberation.signed_at
        return {
            "session": session,
            "deliberation": deliberation,
            "rows": deliberation.snapshot if signed else self.snapshot(session),
            "units": [u.code for u in compulsory + optional],
            "fmt": graded.fmt,
            "today": timezone.localdate(),
        }

    def transcript_context(self, session, c, row=None, by_unit=None) -> dict:
        row = row or self.results(session, [c])[0]
        by_unit = by_unit or graded.exams_by_unit(session)
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
            "average": graded.fmt(row.outcome.average) if row.outcome else "",
            "today": timezone.localdate(),
        }


class TitrePro(Family):
    """The jury of professionals decides CCP by CCP: no grade, no average (titre.py)."""

    code = rules.TITRE_PRO
    deliberation_template = "exams/titre_deliberation.html"
    candidate_template = "exams/titre_candidate.html"
    minutes_template = "exams/titre_pv.html"
    transcript_template = "exams/titre_transcript.html"
    locked_what = "décisions"
    actions = frozenset({"ccp", "earlier"})
    no_grades = (
        "Un titre professionnel ne se note pas : le jury décide CCP par CCP, "
        "sur la page de chaque candidat."
    )
    no_blocs_attestation = "Un titre professionnel se valide par CCP : voir le relevé."
    # The titre's rules (arrêté du 22 décembre 2015) give one procedure for every candidate.
    registration_columns = ["all"]

    def missing(self, referentiel) -> str:
        scheme = titre_pro.scheme_from_referentiel(referentiel.document)
        if scheme is not None and scheme.ccps:
            return ""
        return (
            f"Le référentiel « {referentiel} » ne liste pas encore les CCP du titre : "
            "complétez-le dans l'atelier des référentiels avant d'ouvrir une session."
        )

    def scheme(self, session) -> titre_pro.Scheme:
        return titre.scheme_for(session)

    def results(self, session, candidates=None) -> list[titre.Row]:
        return titre.results(session, candidates)

    def check_signable(self, rows) -> None:
        missing = [str(r.candidate) for r in rows if r.problem]
        if missing:
            raise ValidationError("Décisions du jury manquantes pour : " + ", ".join(missing))

    def snapshot(self, session, rows=None) -> list[dict]:
        return titre.snapshot(session, rows)

    def write_csv(self, session, writer) -> None:
        ccps = self.scheme(session).ccps
        writer.writerow(["numero", "nom", "prenom", *ccps, "decision", "ccp_acquis", "motifs"])
        for r in self.results(session):
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

    def result_labels(self) -> dict[str, str]:
        return {k: v.lower() for k, v in titre.LABELS.items()}

    def _ccps(self, session) -> list[dict]:
        scheme = self.scheme(session)
        return [{"code": c, "title": scheme.titles.get(c, "")} for c in scheme.ccps]

    @staticmethod
    def _evaluation(session) -> list:
        return (session.referentiel.document.get("certification") or {}).get("evaluation") or []

    def deliberation_context(self, session, rows, wanted) -> dict:
        counts = {d: sum(1 for r in rows if r.final == d) for d in titre.LABELS}
        return {
            "ccps": self._ccps(session),
            "evaluation": self._evaluation(session),
            "rows": [
                r
                for r in rows
                if not wanted or r.final == wanted or (wanted == "incomplet" and r.problem)
            ],
            "counts": counts,
            "tally": ", ".join(
                f"{label.lower()} : {counts[code]}" for code, label in titre.LABELS.items()
            ),
            "labels": titre.LABELS,
            "window_note": titre.window_note(session),
        }

    def candidate_context(self, session, c, typed, errors) -> dict:
        row = self.results(session, [c])[0]
        lapsed = set(row.outcome.lapsed) if row.outcome else set()
        lines = []
        for ccp in self._ccps(session):
            code = ccp["code"]
            result = row.results.get(code)
            lines.append(
                {
                    **ccp,
                    "result": result,
                    "lapsed": code in lapsed,  # held before, decided anew past the window
                    "decision": typed.get(f"ccp-{code}", result.decision if result else ""),
                    "comment": typed.get(f"comment-{code}", result.comment if result else ""),
                    "errors": errors.get(f"ccp-{code}"),
                }
            )
        have = {code for code, r in row.results.items() if r.earlier_session}
        return {
            "row": row,
            "lines": lines,
            "decisions": CcpResult.DECISIONS,
            "evaluation": self._evaluation(session),
            "earlier": [(ccp, name) for ccp, name in titre.earlier_ccps(c) if ccp not in have],
            "window_note": titre.window_note(session),
        }

    def minutes_context(self, session, number=None) -> dict:
        deliberation = deliberation_of(session, number)
        signed = deliberation and deliberation.signed_at
        return {
            "session": session,
            "deliberation": deliberation,
            "rows": deliberation.snapshot if signed else self.snapshot(session),
            "ccps": self._ccps(session),
            "evaluation": self._evaluation(session),
            "labels": titre.LABELS,
            "today": timezone.localdate(),
        }

    def transcript_context(self, session, c, row=None, by_unit=None) -> dict:
        row = row or self.results(session, [c])[0]
        return {
            "session": session,
            "c": c,
            "row": row,
            "lines": [
                {**ccp, "cell": titre.cell(row.results.get(ccp["code"]))}
                for ccp in self._ccps(session)
            ],
            "today": timezone.localdate(),
            "titre_obtained": row.final == titre_pro.TITRE,
        }

    def prepare_registration(self, session, learners) -> dict:
        # The CCPs each learner obtained before, read once (registration and carry-over).
        return {lr.pk: titre.earlier_for(lr.pk, session) for lr in learners}

    def holds_all(self, session, prepared, learner) -> bool:
        return titre.holds_all(session, prepared[learner.pk])

    def after_registration(self, session, prepared, user) -> None:
        for c in session.candidates.filter(learner__isnull=False, ccp_results__isnull=True):
            titre.apply_earlier(c, user, prepared.get(c.learner_id))


FAMILIES: dict[str, Family] = {
    rules.BTS: Graded(rules.BTS),
    rules.BAC_PRO: Graded(rules.BAC_PRO),
    rules.CAP: Graded(rules.CAP),
    rules.TITRE_PRO: TitrePro(),
}


def family_for(referentiel) -> Family:
    """The one place a session's family is chosen: from its référentiel's document."""
    return FAMILIES[rules.family_of(referentiel.document)]


def of(session) -> Family:
    return family_for(session.referentiel)
