"""Exams: from the database to the jury engine and back. Every write checks the lock first."""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Prefetch
from django.utils import timezone

from livret.engine import families, jury
from livret.engine.jury import InputError
from livret.people.models import Learner

from .grounds import label
from .models import (
    Candidate,
    Deliberation,
    Dispensation,
    ExamSession,
    Grade,
    JuryDecision,
    grade_display,
)

CARRY_YEARS = 5


def scheme_for(session: ExamSession) -> jury.Scheme:
    return jury.scheme_from_referentiel(session.referentiel.document, session.control_exams)


def exams_by_unit(session: ExamSession) -> dict[str, dict]:
    out = {}
    for exam in session.referentiel.document.get("exams") or []:
        for e in [exam, *(exam.get("parts") or [])]:
            if e.get("unit"):
                out[e["unit"]] = e
    return out


def form_for(exam: dict, status: str) -> dict:
    """The épreuve's form in the candidate's column of the règlement (or its single column)."""
    forms = exam.get("forms") or {}
    return forms.get(status) or forms.get("all") or {}


@dataclass(slots=True)
class GradeRow:
    """A grade as the tables read it, without a model instance (4,000 of them for 500
    candidates: building Grade objects was a third of the deliberation page)."""

    unit: str
    control: bool
    hundredths: int | None
    mark: str

    @property
    def value(self):
        return self.mark or self.hundredths

    @property
    def display(self) -> str:
        return grade_display(self.hundredths, self.mark)


def engine_candidate(c: Candidate, grade_list=None, dispensed=None) -> jury.Candidate:
    """Needs c.grades and c.dispensations prefetched, unless both are given."""
    grades, optional, control = {}, {}, {}
    if dispensed is None:
        dispensed = frozenset(d.unit for d in c.dispensations.all())
    for g in grade_list if grade_list is not None else c.grades.all():
        if g.control:
            if g.hundredths is not None:
                control[g.unit] = g.hundredths
        elif g.unit in c.optional_units:
            optional[g.unit] = g.value
        else:
            grades[g.unit] = g.value
    return jury.Candidate(c.number, grades, optional, frozenset(dispensed), control)


@dataclass
class Row:
    candidate: Candidate
    grades: dict  # unit → Grade (first group)
    control: dict  # unit → Grade (épreuves de contrôle)
    outcome: jury.Outcome | None
    problem: str
    jury_decision: JuryDecision | None
    dispensed: frozenset = frozenset()

    @property
    def final(self) -> str:
        if self.jury_decision:
            return self.jury_decision.decision
        return self.outcome.decision if self.outcome else ""


def candidates_qs(session):
    return session.candidates.select_related("learner").prefetch_related(
        Prefetch("grades", queryset=Grade.objects.order_by("unit")), "dispensations"
    )


def results(session: ExamSession, candidates=None) -> list[Row]:
    """Every candidate's grades, outcome and jury decision.

    Given candidates must come from candidates_qs (grades and dispensations prefetched); without
    them, the whole session is read as plain rows, in three queries whatever its size."""
    scheme = scheme_for(session)
    rule = families.rule_for(session.referentiel.document)
    deliberation = session.current_deliberation()
    decisions = {d.candidate_id: d for d in deliberation.decisions.all()} if deliberation else {}
    if candidates is None:
        candidates = list(session.candidates.order_by("last_name", "first_name", "number"))
        by_candidate: dict[int, list] = {c.pk: [] for c in candidates}
        for cid, *fields in (
            Grade.objects.filter(candidate__session=session)
            .order_by("unit")
            .values_list("candidate_id", "unit", "control", "hundredths", "mark")
        ):
            by_candidate[cid].append(GradeRow(*fields))
        dispensed: dict[int, set] = {c.pk: set() for c in candidates}
        for cid, unit in Dispensation.objects.filter(candidate__session=session).values_list(
            "candidate_id", "unit"
        ):
            dispensed[cid].add(unit)
        grade_lists = [(c, by_candidate[c.pk], frozenset(dispensed[c.pk])) for c in candidates]
    else:
        grade_lists = [
            (c, list(c.grades.all()), frozenset(d.unit for d in c.dispensations.all()))
            for c in candidates
        ]
    rows = []
    for c, grade_list, units_dispensed in grade_lists:
        ec = engine_candidate(c, grade_list, units_dispensed)
        outcome, problem = None, ""
        try:
            rule.check(scheme, ec)
            outcome = rule.compute(scheme, ec)
        except InputError as exc:
            problem = str(exc).split(" : ", 1)[-1]
        grades = {g.unit: g for g in grade_list if not g.control}
        control = {g.unit: g for g in grade_list if g.control}
        rows.append(Row(c, grades, control, outcome, problem, decisions.get(c.pk), units_dispensed))
    return rows


# --- writes -------------------------------------------------------------------------------------
class Locked(ValidationError):
    pass


def ensure_open(session: ExamSession) -> None:
    if session.locked:
        raise Locked(
            "Le procès-verbal est signé : les notes sont verrouillées. Ouvrez une nouvelle délibération motivée pour les modifier."
        )


def _check_control(candidate: Candidate, scheme, unit: str) -> None:
    """A control grade only for a candidate the first group sends to the épreuves de contrôle,
    in a unit the règlement allows (the engine's own checks, with his first-group grades)."""
    c = engine_candidate(candidate, [g for g in candidate.grades.all() if not g.control])
    missing = [
        u.code for u in scheme.compulsory if u.code not in c.grades and u.code not in c.dispensed
    ]
    if missing:
        raise ValidationError(
            f"épreuve de contrôle {unit} : le premier groupe n'est pas complet "
            f"({', '.join(missing)} sans note)"
        )
    others = {g.unit: 1000 for g in candidate.grades.all() if g.control and g.unit != unit}
    probe = jury.Candidate(c.id, c.grades, c.optional, c.dispensed, {**others, unit: 1000})
    try:
        families.rule_for(candidate.session.referentiel.document).check(scheme, probe)
    except InputError as exc:
        raise ValidationError(str(exc).split(" : ", 1)[-1]) from None


@transaction.atomic
def set_grade(
    candidate: Candidate, unit: str, raw, user, control=False, source=Grade.ENTRY
) -> Grade | None:
    session = candidate.session
    ensure_open(session)
    scheme = scheme_for(session)
    if unit not in scheme.units:
        raise ValidationError(f"unité {unit} inconnue pour ce diplôme")
    if scheme.units[unit].optional and unit not in candidate.optional_units:
        raise ValidationError(f"{unit} n'a pas été choisie à l'inscription")
    if raw in (None, ""):
        Grade.objects.filter(candidate=candidate, unit=unit, control=control).delete()
        return None
    try:
        value = jury.parse_grade(raw, str(candidate), unit)
    except InputError as exc:
        raise ValidationError(str(exc).split(" : ", 1)[-1]) from None
    if control and not isinstance(value, int):
        raise ValidationError(f"épreuve de contrôle {unit} : une note est attendue")
    if control:
        _check_control(candidate, scheme, unit)
    grade, _ = Grade.objects.update_or_create(
        candidate=candidate,
        unit=unit,
        control=control,
        defaults={
            "hundredths": value if isinstance(value, int) else None,
            "mark": value if isinstance(value, str) else "",
            "entered_by": user,
            "source": source,
        },
    )
    return grade


@transaction.atomic
def set_grades(candidate: Candidate, entries: dict[tuple[str, bool], str], user) -> int:
    """A candidate's grades as typed on his page: every one is saved, or none.

    `entries` maps (unit, control) to the typed value. Each faulty value is reported under its
    form field name (`grade-U1`, `control-U1`), all at once; nothing is written then.
    """
    ensure_open(candidate.session)
    errors: dict[str, list[str]] = {}
    done = 0
    for (unit, control), raw in entries.items():
        field = f"{'control' if control else 'grade'}-{unit}"
        done += _set_or_note(errors, field, candidate, unit, raw, user, control)
    if errors:
        raise ValidationError(errors)
    return done


def _set_or_note(errors, field, candidate, unit, raw, user, control=False) -> int:
    """Set one grade in a savepoint (the next ones are still checked); 1 if saved, else the
    error is noted under its field and 0 is returned."""
    try:
        with transaction.atomic():
            set_grade(candidate, unit, raw.strip(), user, control=control)
        return 1
    except ValidationError as exc:
        errors[field] = exc.messages
        return 0


def _same(grade: Grade | None, raw: str) -> bool:
    """Is the typed value what is already recorded? ("12" and "12,00" are the same grade.)"""
    raw = raw.strip()
    if grade is None:
        return raw == ""
    try:
        typed = jury.parse_grade(raw, "", grade.unit)
    except InputError:
        return False
    return typed == grade.value


@transaction.atomic
def set_session_grades(session: ExamSession, entries: dict[tuple[int, str], str], user) -> int:
    """The session's grade grid (candidates × units) as typed: every change saved, or none.

    `entries` maps (candidate id, unit) to the typed value; unchanged values are left alone (no
    new history row). Each faulty value is reported under its field name `g-<candidate>-<unit>`,
    all at once.
    """
    ensure_open(session)
    candidates = {c.pk: c for c in session.candidates.prefetch_related("grades", "dispensations")}
    errors: dict[str, list[str]] = {}
    changed = 0
    for (cid, unit), raw in entries.items():
        field = f"g-{cid}-{unit}"
        candidate = candidates.get(cid)
        if candidate is None:
            errors[field] = ["candidat inconnu dans cette session"]
            continue
        if unit in {d.unit for d in candidate.dispensations.all()}:
            if raw.strip():
                errors[field] = [f"{unit} : dispensé, pas de note"]
            continue
        current = next(
            (g for g in candidate.grades.all() if g.unit == unit and not g.control), None
        )
        if not _same(current, raw):
            changed += _set_or_note(errors, field, candidate, unit, raw, user)
    if errors:
        raise ValidationError(errors)
    return changed


@transaction.atomic
def set_optional_units(candidate: Candidate, codes: list[str]) -> None:
    ensure_open(candidate.session)
    allowed = {u.code for u in scheme_for(candidate.session).units.values() if u.optional}
    candidate.optional_units = [u for u in codes if u in allowed]
    candidate.save()


@transaction.atomic
def set_report_date(candidate: Candidate, raw: str) -> None:
    ensure_open(candidate.session)
    try:
        candidate.report_submitted_on = datetime.date.fromisoformat(raw) if raw else None
    except ValueError:
        raise ValidationError("Date de dépôt du rapport invalide (AAAA-MM-JJ).") from None
    candidate.save()


@transaction.atomic
def add_dispensation(candidate: Candidate, unit: str, ground: str, user) -> Dispensation:
    """Refused unless a dispensation rule of the référentiel covers this unit for this ground."""
    ensure_open(candidate.session)
    rules = candidate.session.referentiel.document.get("dispensations") or []
    matching = [r for r in rules if unit in r["units"] and ground in r["grounds"]]
    if not matching:
        allowed = [g for r in rules if unit in r["units"] for g in r["grounds"]]
        if not allowed:
            raise ValidationError(f"Le règlement ne prévoit aucune dispense de {unit}.")
        raise ValidationError(
            f"Le motif « {label(ground)} » ne donne pas dispense de {unit} "
            f"(motifs admis : {' ; '.join(label(g) for g in allowed)})."
        )
    if Grade.objects.filter(candidate=candidate, unit=unit, control=False).exists():
        raise ValidationError(
            f"{unit} a déjà une note : retirez-la avant d'enregistrer la dispense."
        )
    return Dispensation.objects.create(
        candidate=candidate, unit=unit, rule=matching[0]["code"], ground=ground, created_by=user
    )


def _snapshot(session) -> list[dict]:
    return [
        {
            "number": r.candidate.number,
            "name": str(r.candidate),
            "grades": {u: g.display for u, g in r.grades.items()},
            "control": {u: g.display for u, g in r.control.items()},
            "dispensed": sorted(d.unit for d in r.candidate.dispensations.all()),
            "average": r.outcome.average if r.outcome else None,
            "computed": r.outcome.decision if r.outcome else "",
            "mention": r.outcome.mention if r.outcome else "",
            "reasons": r.outcome.reasons if r.outcome else [r.problem],
            "jury": {"decision": r.jury_decision.decision, "reason": r.jury_decision.reason}
            if r.jury_decision
            else None,
            "final": r.final,
        }
        for r in results(session)
    ]


@transaction.atomic
def open_deliberation(session: ExamSession, user, reason: str = "") -> Deliberation:
    current = session.current_deliberation()
    if current and not current.signed_at:
        return current
    if current and not reason.strip():
        raise ValidationError(
            "Une nouvelle délibération après la signature du PV doit être motivée."
        )
    return Deliberation.objects.create(
        session=session,
        number=(current.number + 1) if current else 1,
        opened_by=user,
        reason=reason.strip(),
    )


@transaction.atomic
def sign_minutes(session: ExamSession, user) -> Deliberation:
    from . import titre

    deliberation = open_deliberation(session, user)
    if titre.is_titre(session):
        rows = titre.results(session)
        missing = [str(r.candidate) for r in rows if r.problem]
        if missing:
            raise ValidationError("Décisions du jury manquantes pour : " + ", ".join(missing))
        deliberation.snapshot = titre.snapshot(session)
    else:
        rows = results(session)
        missing = [str(r.candidate) for r in rows if r.problem]
        if missing:
            raise ValidationError("Notes incomplètes pour : " + ", ".join(missing))
        pending = [str(r.candidate) for r in rows if r.final == jury.CONTROL]
        if pending:
            raise ValidationError("Épreuves de contrôle à noter pour : " + ", ".join(pending))
        deliberation.snapshot = _snapshot(session)
    deliberation.signed_at = timezone.now()
    deliberation.signed_by = user
    deliberation.save()
    _publish(session, rows)
    return deliberation


def _publish(session: ExamSession, rows) -> None:
    """Each candidate with an account hears his own result, and nobody else's."""
    from django.contrib.auth import get_user_model

    from livret.notifications import services as notifications

    accounts = dict(
        session.candidates.filter(learner__user__isnull=False).values_list("pk", "learner__user")
    )
    users = get_user_model().objects.in_bulk(set(accounts.values()))
    from . import titre

    labels = {jury.PASSED: "admis", jury.FAILED: "ajourné", jury.CONTROL: "épreuves de contrôle"}
    labels |= {k: v.lower() for k, v in titre.LABELS.items()}
    by_result: dict[str, list] = {}
    for r in rows:
        if r.candidate.pk in accounts:
            by_result.setdefault(r.final, []).append(users[accounts[r.candidate.pk]])
    for final, recipients in by_result.items():
        notifications.notify(
            recipients,
            "jury_result",
            f"Résultat publié — {session.name} : {labels.get(final, final)}",
            f"Procès-verbal signé le {timezone.localdate():%d/%m/%Y}.",
        )


@transaction.atomic
def record_jury_decision(
    session: ExamSession, candidate: Candidate, decision: str, reason: str, user
) -> JuryDecision:
    ensure_open(session)
    if not reason.strip():
        raise ValidationError("La décision du jury doit être motivée.")
    deliberation = open_deliberation(session, user)
    obj, _ = JuryDecision.objects.update_or_create(
        deliberation=deliberation,
        candidate=candidate,
        defaults={"decision": decision, "reason": reason.strip(), "decided_by": user},
    )
    return obj


# --- proposals from what the platform knows ----------------------------------------------------
def nv_proposals(candidate: Candidate, today: datetime.date | None = None) -> list[tuple[str, str]]:
    """(unit, why) pairs where the référentiel's NV cases match the learner's data."""
    from livret.periods.compliance import compliance

    learner = candidate.learner
    by_unit = exams_by_unit(candidate.session)
    out = []
    result, _ = compliance(learner) if learner else (None, None)
    short = (
        result is not None
        and result.compliant is False
        and any(v.rule.startswith("total") for v in result.violations)
    )
    unsigned = [
        p
        for p in learner.periods.all()
        if p.end < (today or timezone.localdate())
        and not (p.attestation_received and p.attestation_signed)
    ]
    deadline = candidate.session.report_deadline
    submitted = candidate.report_submitted_on
    for unit, exam in by_unit.items():
        codes = {case["code"] for case in exam.get("not_valid_cases") or []}
        if deadline and codes & {"report_missing", "file_missing"}:
            if submitted is None and (today or timezone.localdate()) > deadline:
                out.append(
                    (unit, f"rapport ou dossier non déposé (date limite : {deadline:%d/%m/%Y})")
                )
            elif submitted and submitted > deadline:
                out.append(
                    (
                        unit,
                        f"rapport ou dossier déposé le {submitted:%d/%m/%Y}, après la date limite du {deadline:%d/%m/%Y}",
                    )
                )
        if short and "stage_too_short" in codes:
            out.append(
                (
                    unit,
                    f"durée de stage inférieure à la durée requise ({result.violations[0].message})",
                )
            )
        if unsigned and codes & {"report_unsigned", "file_unsigned"}:
            out.append(
                (unit, f"attestation de stage non reçue ou non signée ({unsigned[0].company.name})")
            )
    return out


def carried_grades(candidate: Candidate) -> list[tuple[str, str, int]]:
    """Bénéfice des notes: grades ≥ 10 of the same learner's failed sessions of the last 5 years."""
    if candidate.learner_id is None or candidate.renounces_carried_grades:
        return []
    year = candidate.session.year
    previous = (
        Candidate.objects.filter(
            learner_id=candidate.learner_id,
            session__referentiel__diploma=candidate.session.referentiel.diploma,
            session__year__lt=year,
            session__year__gte=year - CARRY_YEARS,
        )
        .select_related("session")
        .order_by("-session__year")
    )
    out, seen = [], set()
    for old in previous:
        mine = old.signed_minutes_row()
        if not mine or mine["final"] != jury.FAILED:
            continue
        for g in old.grades.filter(control=False, mark="", hundredths__gte=1000):
            if g.unit not in seen:
                seen.add(g.unit)
                out.append((g.unit, old.session.name, g.hundredths))
    return out


@transaction.atomic
def apply_carried_grades(candidate: Candidate, user) -> int:
    n = 0
    for unit, _session_name, hundredths in carried_grades(candidate):
        if not candidate.grades.filter(unit=unit, control=False).exists():
            Grade.objects.create(
                candidate=candidate,
                unit=unit,
                hundredths=hundredths,
                source=Grade.CARRIED,
                entered_by=user,
            )
            n += 1
    return n


@transaction.atomic
def register_cohort(session: ExamSession, cohort, user) -> int:
    """Register every learner of a cohort preparing this diploma, each in the column of the
    règlement that his status and his centre's habilitation for the diploma give him."""
    from livret.engine.candidates import column

    ensure_open(session)
    if cohort.referentiel.diploma_id != session.referentiel.diploma_id:
        raise ValidationError("Cette promotion ne prépare pas ce diplôme.")
    from . import titre

    codes = [s["code"] for s in session.referentiel.document.get("candidate_statuses") or []]
    if titre.is_titre(session) and not codes:
        # The titre's rules (arrêté du 22 décembre 2015) give one procedure for every candidate.
        codes = ["all"]
    centre = cohort.centre
    habilitated = centre.habilitations.filter(pk=session.referentiel.diploma_id).exists()
    columns = {
        status: column(codes, status, habilitated, centre.public_sector)
        for status, _ in Learner.STATUSES
    }
    missing = sorted({s for s, c in columns.items() if c is None})
    learners = list(cohort.learners.order_by("last_name", "first_name"))
    if any(columns[lr.status] is None for lr in learners):
        raise ValidationError(
            "Le règlement d'examen de ce diplôme ne donne pas de colonne pour les statuts : "
            + ", ".join(dict(Learner.STATUSES)[s] for s in missing)
            + "."
        )
    existing = set(session.candidates.values_list("learner_id", flat=True))
    last = session.candidates.count()
    n = 0
    is_titre = titre.is_titre(session)
    # Titre: the CCPs each learner obtained before, read once (registration and carry-over).
    earlier = {lr.pk: titre.earlier_for(lr.pk, session) for lr in learners} if is_titre else {}
    for learner in learners:
        if learner.pk in existing:
            continue
        if is_titre and titre.holds_all(session, earlier[learner.pk]):
            continue  # he holds the titre since an earlier session: nothing to sit
        last += 1
        Candidate.objects.create(
            session=session,
            learner=learner,
            number=f"{session.year}{last:04d}",
            first_name=learner.first_name,
            last_name=learner.last_name,
            birth_date=learner.birth_date,
            status=columns[learner.status],
        )
        n += 1
    if is_titre:
        for c in session.candidates.filter(learner__isnull=False, ccp_results__isnull=True):
            titre.apply_earlier(c, user, earlier.get(c.learner_id))
    return n
