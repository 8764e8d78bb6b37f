"""Exams: from the database to the jury engine and back. Every write checks the lock first."""

from __future__ import annotations

import datetime

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from livret.engine import deliberation_flow as flow
from livret.engine import jury
from livret.engine.jury import InputError
from livret.lifecycle import attribute, step
from livret.people.models import Learner

from . import families
from .graded import (  # noqa: F401 (what callers read here)
    CARRY_YEARS,
    Row,
    candidates_qs,
    carried_grades,
    engine_candidate,
    exams_by_unit,
    form_for,
    nv_proposals,
    scheme_for,
)
from .grounds import label
from .lock import Locked, ensure_open  # noqa: F401
from .models import (
    Candidate,
    Deliberation,
    Dispensation,
    ExamSession,
    Grade,
    JuryDecision,
)


def results(session: ExamSession, candidates=None) -> list:
    """Every candidate's result, by the session's family (families.py)."""
    return families.of(session).results(session, candidates)


# --- writes -------------------------------------------------------------------------------------
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
        families.of(candidate.session).rule(candidate.session).check(scheme, probe)
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


# --- the session itself: opened, edited and closed by its centre's exam office ---------------
@transaction.atomic
def create_session(form, centre, user) -> ExamSession:
    """A session of the centre, from the exam office's valid form (forms.SessionForm): who
    opened it and when, in the row and in its history."""
    session = attribute(form.save(commit=False), user)
    session.organiser = centre
    session.created_by = user
    session.created_at = timezone.now()
    session.save()
    return session


def check_edit(session: ExamSession) -> None:
    """Refused (with the lifecycle's reason) unless the session may change now."""
    step(flow.MACHINE, deliberation_state(session), "edit", flow.EXAM_OFFICE)


@transaction.atomic
def update_session(form, user) -> ExamSession:
    """The session's particulars changed while no minutes are signed (the lifecycle says)."""
    _take(form.instance, "edit")
    attribute(form.instance, user)
    return form.save()


@transaction.atomic
def close_session(session: ExamSession, user) -> ExamSession:
    """Signed minutes, then closed for good: kept as it stands, read only."""
    _take(session, "close")
    session.closed_at = timezone.now()
    session.closed_by = user
    attribute(session, user).save(update_fields=["closed_at", "closed_by"])
    return session


# --- the deliberation: each step one atomic function, checked by engine/deliberation_flow -------
def _state(session: ExamSession, current: Deliberation | None) -> str:
    return flow.state_of(
        current and current.number,
        bool(current and current.signed_at),
        session.closed_at is not None,
    )


def deliberation_state(session: ExamSession) -> str:
    return _state(session, session.current_deliberation())


def _take(session: ExamSession, action: str) -> tuple[Deliberation | None, str]:
    """The session's row locked (a signature and a new deliberation, or two signatures, never
    cross), the step checked: the current deliberation and the state the step leads to."""
    locked = ExamSession.objects.select_for_update().filter(pk=session.pk).first()
    session.closed_at = locked.closed_at if locked else session.closed_at
    current = session.current_deliberation()
    return current, step(flow.MACHINE, _state(session, current), action, flow.EXAM_OFFICE)


def deliberation_actions(session: ExamSession) -> list[str]:
    """What the exam office may do with the session's deliberation now (for the page)."""
    return flow.allowed(deliberation_state(session), flow.EXAM_OFFICE)


def _unsigned(session: ExamSession, current: Deliberation | None, user) -> Deliberation:
    """The deliberation the step writes in: the current one, or n° 1 opened by this step."""
    if current is not None:
        return current
    return Deliberation.objects.create(session=session, number=1, opened_by=user)


@transaction.atomic
def open_deliberation(session: ExamSession, user, reason: str = "") -> Deliberation:
    """A new deliberation after signed minutes, its reason written: grades and decisions may
    change again; the signed minutes stay as they were."""
    current, _ = _take(session, "reopen")
    if not reason.strip():
        raise ValidationError(
            "Une nouvelle délibération après la signature du PV doit être motivée."
        )
    return Deliberation.objects.create(
        session=session, number=current.number + 1, opened_by=user, reason=reason.strip()
    )


@transaction.atomic
def sign_minutes(session: ExamSession, user) -> Deliberation:
    """The minutes signed: every candidate's result frozen in the deliberation's snapshot, each
    candidate with an account told his own."""
    current, _ = _take(session, "sign")
    family = families.of(session)
    rows = family.results(session)
    family.check_signable(rows)
    deliberation = _unsigned(session, current, user)
    deliberation.snapshot = family.snapshot(session, rows)
    deliberation.signed_at = timezone.now()
    deliberation.signed_by = user
    deliberation.save()
    _publish(session, rows, family.result_labels())
    return deliberation


def _publish(session: ExamSession, rows, labels: dict[str, str]) -> None:
    """Each candidate with an account hears his own result, and nobody else's. A mock exam's
    result is the centre's evaluation, not a jury's: worded as such, and told among the
    livret's evaluations (the day's digest), never as an official result mailed at once."""
    from django.contrib.auth import get_user_model

    from livret.notifications import services as notifications

    accounts = dict(
        session.candidates.filter(learner__user__isnull=False).values_list("pk", "learner__user")
    )
    users = get_user_model().objects.in_bulk(set(accounts.values()))
    by_result: dict[str, list] = {}
    for r in rows:
        if r.candidate.pk in accounts:
            by_result.setdefault(r.final, []).append(users[accounts[r.candidate.pk]])
    for final, recipients in by_result.items():
        if session.mock:
            notifications.notify(
                recipients,
                "evaluation",
                f"Examen blanc — {session.name} : résultat d'entraînement "
                f"({labels.get(final, final)})",
                "Évaluation du centre, sans valeur pour le diplôme : ce résultat ne valide "
                "aucun bloc et ne préjuge pas de l'examen.",
            )
            continue
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
    current, _ = _take(session, "decide")
    if decision not in dict(JuryDecision._meta.get_field("decision").choices):
        raise ValidationError("Décision du jury inconnue : admis ou ajourné.")
    if not reason.strip():
        raise ValidationError("La décision du jury doit être motivée.")
    deliberation = _unsigned(session, current, user)
    obj, _ = JuryDecision.objects.update_or_create(
        deliberation=deliberation,
        candidate=candidate,
        defaults={"decision": decision, "reason": reason.strip(), "decided_by": user},
    )
    return obj


# --- proposals from what the platform knows ----------------------------------------------------
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
    family = families.of(session)
    codes = [s["code"] for s in session.referentiel.document.get("candidate_statuses") or []]
    codes = codes or family.registration_columns or []
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
    prepared = family.prepare_registration(session, learners)
    for learner in learners:
        if learner.pk in existing:
            continue
        if family.holds_all(session, prepared, learner):
            continue  # he holds the diploma since an earlier session: nothing to sit
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
    family.after_registration(session, prepared, user)
    return n
