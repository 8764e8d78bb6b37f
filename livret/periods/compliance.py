"""From the database to the periods engine and back: compliance and alerts for learners."""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.utils.text import capfirst

from livret.engine import ruptures, wording
from livret.engine.calendar import plan, public_holidays
from livret.engine.periods import Case, InputError, Period, SchoolYear, check, weeks, working_days
from livret.people.models import Learner

ENGINE_STATUS = {
    Learner.SCHOOL: "school",
    Learner.APPRENTICE: "apprentice",
    # A contrat de professionnalisation is work-study too: the contract stands in for the stages.
    Learner.PROFESSIONALISATION: "apprentice",
    Learner.CONTINUING: "continuing",
}


def school_years(cohort) -> list[SchoolYear]:
    return [
        SchoolYear(
            datetime.date(cohort.start_year + i, 9, 1),
            datetime.date(cohort.start_year + i + 1, 8, 31),
        )
        for i in range(cohort.duration_years)
    ]


def _word(period) -> str:
    """A PFMP, and any period of a pupil under school status (his words, livret.engine.wording:
    never « stage »); the stage of the others. (The period comes from learner.periods: its
    learner is known, no query.)"""
    if period.kind == period.PFMP:
        return "PFMP"
    pupil = period.learner.status == Learner.SCHOOL
    return wording.word(period.learner.status, "period") if pupil else "stage"


def rules_of(cohort) -> list[dict]:
    return (cohort.referentiel.document.get("work_placement") or {}).get("rules") or []


def case_of(learner) -> Case:
    periods = [Period(p.start, p.end, p.company.name) for p in learner.periods.all()]
    if learner.status not in ENGINE_STATUS:  # a record imported or restored without it
        raise InputError("statut de l'apprenant non renseigné")
    kind = (learner.cohort.referentiel.document.get("work_placement") or {}).get("kind")
    return Case(
        str(learner.pk),
        ENGINE_STATUS[learner.status],
        school_years(learner.cohort),
        periods,
        exam_date=learner.cohort.exam_date,
        placement="PFMP" if kind == "pfmp" else "stage",
    )


@dataclass
class Alert:
    learner: object
    kind: str  # weeks | attestation | contract | data
    message: str


def compliance(learner):
    try:
        return check(case_of(learner), rules_of(learner.cohort)), None
    except InputError as exc:
        return None, str(exc).split(" : ", 1)[-1]


def alerts(learner, today: datetime.date) -> list[Alert]:
    """Needs learner.periods and learner.contracts prefetched, and learner.cohort.referentiel loaded."""
    out: list[Alert] = []
    result, problem = compliance(learner)
    exam = learner.cohort.exam_date
    if problem:
        out.append(Alert(learner, "data", f"Périodes à corriger : {problem}"))
    elif result and result.compliant is False:
        last_end = max([p.end for p in learner.periods.all()] + [today])
        horizon = exam or datetime.date(
            learner.cohort.start_year + learner.cohort.duration_years, 6, 30
        )
        for v in result.violations:
            # Can the missing weeks still be placed before the deadline (the exam, or the end of the
            # school year the rule is about)?
            deadline = min(horizon, v.school_year.end) if v.school_year else horizon
            left = weeks(working_days(max(last_end, today) + datetime.timedelta(days=1), deadline))
            if v.missing_weeks > left:
                out.append(
                    Alert(
                        learner, "weeks", "Ne peut plus être atteint avant l'examen : " + v.message
                    )
                )
            else:
                out.append(Alert(learner, "weeks-pending", v.message))
    for p in learner.periods.all():
        if p.end < today and not p.attestation_received:
            out.append(
                Alert(
                    learner,
                    "attestation",
                    f"Attestation de {_word(p)} non reçue ({p.company.name}, fin le {p.end:%d/%m/%Y}).",
                )
            )
        elif p.attestation_received and not p.attestation_signed:
            out.append(
                Alert(
                    learner,
                    "attestation",
                    f"Attestation de {_word(p)} non signée ({p.company.name}).",
                )
            )
    out += _period_alerts(learner, today)
    out += _rupture_alerts(learner, today)
    if exam:
        for c in learner.contracts.all():
            if _rupture_of(c) is not None:
                continue  # broken: the rupture's own alert speaks
            if c.start <= exam and c.end < exam:
                out.append(
                    Alert(
                        learner,
                        "contract",
                        f"Le contrat se termine le {c.end:%d/%m/%Y}, avant l'examen du {exam:%d/%m/%Y}.",
                    )
                )
    return out


def _rupture_of(contract):
    return getattr(contract, "rupture", None)


def _rupture_alerts(learner, today) -> list[Alert]:
    """The six months of L6222-18-2 / L6231-2 5° ending (or over) without a new contract."""
    contracts = list(learner.contracts.all())
    broken = [c for c in contracts if _rupture_of(c) is not None]
    if not broken:
        return []
    last = max(broken, key=lambda c: c.rupture.date).rupture.date
    since = max((c.start for c in contracts if c.start > last), default=None)
    message = ruptures.alert(last, today, since)
    return [Alert(learner, "rupture", message)] if message else []


def _period_alerts(learner, today) -> list[Alert]:
    """A running period without a signed agreement; a running PFMP without an enseignant
    référent (Code de l'éducation L124-1: he checks with the tutor « à plusieurs reprises »)."""
    out = []
    for p in learner.periods.all():
        if not p.start <= today <= p.end:
            continue
        agreement = getattr(p, "agreement", None)
        if agreement is None or agreement.signed_on is None:
            out.append(
                Alert(
                    learner,
                    "agreement",
                    f"{capfirst(_word(p))} commencé(e) le {p.start:%d/%m/%Y} sans convention "
                    f"signée ({p.company.name}).",
                )
            )
        if p.kind == p.PFMP and p.referent_id is None:
            out.append(
                Alert(
                    learner,
                    "referent",
                    f"PFMP en cours sans enseignant référent ({p.company.name}, "
                    f"jusqu'au {p.end:%d/%m/%Y}).",
                )
            )
    return out


def cohort_plan(cohort, start=None, end=None, local_holidays=None):
    """The cohort's calendar; local_holidays: its centre's subdivision when the caller has it
    loaded (else read from cohort.centre)."""
    if local_holidays is None:
        local_holidays = cohort.centre.local_holidays
    closures = [
        (datetime.date.fromisoformat(a), datetime.date.fromisoformat(b))
        for a, b in cohort.closures or []
    ]
    start = start or datetime.date(cohort.start_year, 9, 1)
    end = end or cohort.exam_date or datetime.date(cohort.start_year + cohort.duration_years, 6, 30)
    holidays = {
        day
        for year in range(start.year, end.year + 1)
        for day in public_holidays(year, local_holidays)
    }
    return plan(
        start,
        end,
        cohort.rhythm,
        cohort.centre_hours_per_week,
        cohort.company_hours_per_week,
        closures,
        holidays,
    )


def learner_plan(learner):
    cohort = learner.cohort
    start = learner.contract_start or datetime.date(cohort.start_year, 9, 1)
    end = (
        learner.contract_end
        or cohort.exam_date
        or datetime.date(cohort.start_year + cohort.duration_years, 6, 30)
    )
    if cohort.exam_date:
        end = min(end, cohort.exam_date)
    return cohort_plan(cohort, start, end, learner.centre.local_holidays)
