"""Periods in company checked against a diploma's rules (pure Python, rules come from the référentiel).

Counting, as the seeds and the exam offices count:
- a week of stage is 5 working days, Monday to Friday; a public holiday inside a period still counts;
- periods that follow each other with only a weekend (or nothing) between them form one run of
  consecutive weeks, even across companies;
- a run counts for a school year only for its days inside that school year.
Weeks are exact fractions (69 working days = 13.8 weeks), never floats.
"""

from __future__ import annotations

import datetime
import unicodedata
from dataclasses import dataclass, field
from fractions import Fraction

STATUSES = ("school", "apprentice", "continuing", "perfecting")
ONE_DAY = datetime.timedelta(days=1)


class InputError(ValueError):
    """Bad input: names the learner and the field; nothing is computed."""


@dataclass(frozen=True)
class Period:
    start: datetime.date
    end: datetime.date
    company: str = ""
    time: str = "full_time"  # for employment certificates (perfecting): full_time | part_time


@dataclass(frozen=True)
class SchoolYear:
    start: datetime.date
    end: datetime.date

    @property
    def label(self) -> str:
        return f"{self.start.year}-{self.end.year}"


@dataclass
class Case:
    id: str
    status: str
    school_years: list[SchoolYear]
    periods: list[Period]
    derogation_weeks: Fraction | None = None
    exam_date: datetime.date | None = None
    # What the diploma calls its periods in company (work_placement.kind): stage or PFMP.
    placement: str = "stage"


@dataclass(frozen=True)
class Violation:
    rule: str
    message: str
    missing_weeks: Fraction = Fraction(0)
    school_year: SchoolYear | None = None  # the year a per-year rule failed in


@dataclass
class Result:
    id: str
    compliant: bool | None  # None: no rule of the diploma applies to this status
    weeks: Fraction
    violations: list[Violation] = field(default_factory=list)

    @property
    def applicable(self) -> bool:
        return self.compliant is not None


# --- counting -----------------------------------------------------------------------------------
def working_days(start: datetime.date, end: datetime.date) -> int:
    """Monday–Friday days from start to end inclusive (0 if end < start)."""
    if end < start:
        return 0
    days = (end - start).days + 1
    full_weeks, rest = divmod(days, 7)
    count = full_weeks * 5
    weekday = start.weekday()
    for i in range(rest):
        if (weekday + i) % 7 < 5:
            count += 1
    return count


def weeks(days: int) -> Fraction:
    return Fraction(days, 5)


def _next_working_day(day: datetime.date) -> datetime.date:
    day += ONE_DAY
    while day.weekday() >= 5:
        day += ONE_DAY
    return day


def runs(periods: list[Period]) -> list[tuple[datetime.date, datetime.date]]:
    """Merge periods separated by nothing or only a weekend into runs of consecutive weeks."""
    merged: list[list[datetime.date]] = []
    for p in sorted(periods, key=lambda p: p.start):
        if merged and p.start <= _next_working_day(merged[-1][1]):
            merged[-1][1] = max(merged[-1][1], p.end)
        else:
            merged.append([p.start, p.end])
    return [(a, b) for a, b in merged]


def clip(run: tuple[datetime.date, datetime.date], year: SchoolYear) -> int:
    return working_days(max(run[0], year.start), min(run[1], year.end))


def fmt(value: Fraction) -> str:
    """French number: 14, 13,8, 0,2."""
    if value.denominator == 1:
        return str(value.numerator)
    text = f"{float(value):.2f}".rstrip("0").rstrip(".")
    return text.replace(".", ",")


def plural(value: Fraction, word: str) -> str:
    return f"{fmt(value)} {word}{'s' if value >= 2 else ''}"


# --- validation ---------------------------------------------------------------------------------
def validate(case: Case, rules: list[dict]) -> None:
    who = f"apprenant {case.id}"
    if case.status not in STATUSES:
        raise InputError(
            f"{who} : status « {case.status} » inconnu (valeurs : {', '.join(STATUSES)})"
        )
    for i, year in enumerate(case.school_years):
        if year.end < year.start:
            raise InputError(
                f"{who} : school_years[{i}] se termine ({year.end}) avant de commencer ({year.start})"
            )
    for i, p in enumerate(case.periods):
        if p.end < p.start:
            raise InputError(
                f"{who} : periods[{i}] se termine ({p.end}) avant de commencer ({p.start})"
            )
        if p.time not in ("full_time", "part_time"):
            raise InputError(
                f"{who} : periods[{i}].time « {p.time} » inconnu (full_time ou part_time)"
            )
        if (
            case.status != "perfecting"
            and case.school_years
            and not any(y.start <= p.start and p.end <= y.end for y in case.school_years)
        ):
            raise InputError(
                f"{who} : periods[{i}] ({p.start} → {p.end}) n'est comprise dans aucune année scolaire"
            )
    ordered = sorted(enumerate(case.periods), key=lambda ip: ip[1].start)
    for (i, a), (j, b) in zip(ordered, ordered[1:], strict=False):
        if b.start <= a.end:
            raise InputError(f"{who} : periods[{j}] chevauche periods[{i}] ({b.start} ≤ {a.end})")
    if case.derogation_weeks is not None:
        floors = [
            r["derogation_floor_weeks"]
            for r in applicable(rules, case.status)
            if "derogation_floor_weeks" in r
        ]
        if not floors:
            raise InputError(
                f"{who} : derogation_weeks donné, mais le référentiel ne prévoit pas de dérogation pour ce statut"
            )
        floor = Fraction(str(max(floors)))
        if case.derogation_weeks < floor:
            raise InputError(
                f"{who} : derogation_weeks ({fmt(case.derogation_weeks)}) inférieur au plancher de {fmt(floor)} semaines"
            )


def applicable(rules: list[dict], status: str) -> list[dict]:
    return [r for r in rules if status in r.get("statuses", [])]


# --- checking -----------------------------------------------------------------------------------
def check(case: Case, rules: list[dict]) -> Result:
    validate(case, rules)
    total_days = sum(working_days(p.start, p.end) for p in case.periods)
    result = Result(case.id, True, weeks(total_days))
    the_runs = runs(case.periods)
    rules_here = applicable(rules, case.status)
    for rule in rules_here:
        result.violations += _check_rule(rule, case, result.weeks, the_runs)
    # No rule for this diploma and status: « non applicable », never « conforme ».
    result.compliant = not result.violations if rules_here else None
    return result


def company_key(name: str) -> str:
    """A company's name as compared: case, accents, spaces and punctuation ignored
    ("ACME", "Acme ", "A.C.M.E." are one company)."""
    folded = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode().casefold()
    return "".join(ch for ch in folded if ch.isalnum())


def _check_rule(rule: dict, case: Case, total: Fraction, the_runs) -> list[Violation]:
    rid = rule["id"]
    out: list[Violation] = []
    if rule.get("contract_replaces_periods"):
        return out  # the work contract stands in for the periods
    if "min_total_weeks" in rule:
        required = Fraction(str(rule["min_total_weeks"]))
        if case.derogation_weeks is not None and "derogation_floor_weeks" in rule:
            required = min(required, case.derogation_weeks)  # a derogation lowers, never raises
        if total < required:
            missing = required - total
            last = case.school_years[-1].label if case.school_years else ""
            where = f" en {last}" if last else ""
            out.append(
                Violation(
                    rid,
                    f"{plural(total, 'semaine')} de {case.placement} sur {fmt(required)} exigées : "
                    f"{plural(missing, 'semaine')} manquante{'s' if missing >= 2 else ''}{where} ; "
                    f"prévoir {plural(missing, 'semaine')} de {case.placement} de plus.",
                    missing,
                )
            )
    if "min_consecutive_weeks" in rule:
        need = Fraction(str(rule["min_consecutive_weeks"]))
        scope = rule.get("consecutive_scope", "any")
        years = (
            case.school_years
            if scope == "each_school_year"
            else case.school_years[:1]
            if scope == "first_school_year"
            else []
        )
        if scope == "any" or not case.school_years:
            best = max((weeks(working_days(a, b)) for a, b in the_runs), default=Fraction(0))
            if best < need:
                out.append(
                    Violation(
                        rid,
                        f"Aucune période de {fmt(need)} semaines consécutives (la plus longue : {plural(best, 'semaine')}).",
                        need - best,
                    )
                )
        for year in years:
            best = max((weeks(clip(r, year)) for r in the_runs), default=Fraction(0))
            if best < need:
                out.append(
                    Violation(
                        rid,
                        f"{year.label} : aucune période de {fmt(need)} semaines consécutives (la plus longue : "
                        f"{plural(best, 'semaine')}) ; prévoir un stage d'au moins {fmt(need)} semaines consécutives en {year.label}.",
                        need - best,
                        year,
                    )
                )
    if rule.get("same_company"):
        names: dict[str, str] = {}
        for p in sorted(case.periods, key=lambda p: p.start):
            names.setdefault(company_key(p.company), p.company.strip())
        companies = list(names.values())
        if len(companies) > 1:
            out.append(
                Violation(
                    rid,
                    f"Le stage doit avoir lieu dans la même entreprise ({len(companies)} entreprises : {', '.join(companies)}).",
                )
            )
    if "summer_rest_weeks" in rule:
        out += _check_summer_rest(rule, case)
    if rule.get("employment_alternatives"):
        out += _check_employment(rule, case)
    return out


def _check_summer_rest(rule: dict, case: Case) -> list[Violation]:
    """Each summer between two school years keeps the rest the rule asks for: its longest run of
    days without a period, inside the rule's summer window, is at least that many weeks."""
    need = Fraction(str(rule["summer_rest_weeks"]))
    first_md, last_md = rule.get("summer_window", ["07-01", "08-31"])
    out = []
    for year in case.school_years[:-1]:
        y = year.end.year
        start = datetime.date(y, *map(int, first_md.split("-")))
        end = datetime.date(y, *map(int, last_md.split("-")))
        busy = sorted(
            (max(p.start, start), min(p.end, end))
            for p in case.periods
            if p.start <= end and p.end >= start
        )
        best, cursor = 0, start
        for a, b in busy:
            best = max(best, (a - cursor).days)
            cursor = max(cursor, b + ONE_DAY)
        best = max(best, (end - cursor).days + 1)
        rest = Fraction(best, 7)
        if rest < need:
            out.append(
                Violation(
                    rule["id"],
                    f"Été {y} : {plural(rest, 'semaine')} de repos consécutives au plus, "
                    f"{fmt(need)} exigées pendant les vacances d'été ; raccourcir le stage d'été.",
                    school_year=year,
                )
            )
    return out


def _months(days: int) -> Fraction:
    return Fraction(days * 12, 365)


def _check_employment(rule: dict, case: Case) -> list[Violation]:
    exam = case.exam_date or (case.school_years[-1].end if case.school_years else None)
    if exam is None:
        raise InputError(f"apprenant {case.id} : exam_date requis pour le statut perfecting")
    best = []
    for alt in rule["employment_alternatives"]:
        window_start = exam - datetime.timedelta(
            days=round(alt["within_months_before_exam"] * 365 / 12)
        )
        days = sum(
            (min(p.end, exam) - max(p.start, window_start)).days + 1
            for p in case.periods
            if p.time == alt["time"] or (alt["time"] == "part_time" and p.time == "full_time")
            if min(p.end, exam) >= max(p.start, window_start)
        )
        got = _months(days)
        if got >= Fraction(str(alt["months"])):
            return []
        best.append(
            f"{fmt(Fraction(str(alt['months'])))} mois {'à temps plein' if alt['time'] == 'full_time' else 'à temps partiel'} "
            f"dans les {alt['within_months_before_exam']} mois avant l'examen (trouvé : {fmt(got.limit_denominator(10))} mois)"
        )
    return [Violation(rule["id"], "Expérience insuffisante : il faut " + " ou ".join(best) + ".")]
