"""The règlement d'examen: averages, decisions, épreuves de contrôle, simulator (pure Python).

Exact arithmetic on integers: a grade is kept in hundredths (12.5 → 1250), a coefficient in
hundredths too (1.5 → 150). An average of exactly 10 is exactly 10 — no float ever touches it.

average = (Σ coef × grade over compulsory units not dispensed
           + Σ over optional units of (grade − 10) × coef, when grade > 10)
          ÷ Σ coef of compulsory units not dispensed
Optional units without a coefficient in the référentiel count with coefficient 1.

Decision: admis iff no compulsory unit is NV or ABS and the average ≥ 10. Épreuves de contrôle
(décret n° 2022-850): a candidate with 8 ≤ average < 10, an average ≥ 10 over the professional
units, and no NV/ABS, may take two oral épreuves among the general units; for each, the better of
the two grades counts, and he is admitted at ≥ 10.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal
from functools import cached_property

from .marks import (
    NOT_FINITE,
    OUT_OF_RANGE,
    TOO_PRECISE,
    UNREADABLE,
    NumberError,
    read_hundredths,
    show_hundredths,
)

ABS, NV = "ABS", "NV"
PASSED, FAILED, CONTROL = "admis", "ajourne", "rattrapage"
TEN = 1000  # 10/20 in hundredths


class InputError(ValueError):
    pass


@dataclass(frozen=True)
class UnitRule:
    code: str
    coef: int  # hundredths
    optional: bool
    domain: str  # general | professional | ""


@dataclass
class Scheme:
    units: dict[str, UnitRule]
    dispensable: frozenset[str]
    control_exams: bool = True
    control_max: int = 2

    # Cached: the engine reads them for every candidate, and a scheme's units never change.
    @cached_property
    def compulsory(self) -> list[UnitRule]:
        return [u for u in self.units.values() if not u.optional]

    @cached_property
    def optional(self) -> list[UnitRule]:
        return [u for u in self.units.values() if u.optional]

    @cached_property
    def compulsory_codes(self) -> frozenset[str]:
        return frozenset(u.code for u in self.compulsory)

    @cached_property
    def weights(self) -> list[tuple[str, int, bool]]:
        """(code, coefficient, professional?) of each compulsory unit, as _sums reads them."""
        return [(u.code, u.coef, u.domain == "professional") for u in self.compulsory]


def _optional_points(scheme: Scheme, optional: dict) -> int:
    """Optional units: only the points above 10 count, times their coefficient."""
    points = 0
    for u in scheme.optional:
        g = optional.get(u.code)
        if isinstance(g, int) and g > TEN:
            points += (g - TEN) * u.coef
    return points


def scheme_from_referentiel(doc: dict, control_exams: bool | None = None) -> Scheme:
    """Units and coefficients from a validated référentiel document (the YAML as data)."""
    units_doc = {u["code"]: u for u in doc.get("units") or []}
    coefs: dict[str, object] = {}
    for exam in doc.get("exams") or []:
        for e in [exam, *(exam.get("parts") or [])]:
            if e.get("unit"):
                coefs[e["unit"]] = e.get("coefficient")
    units = {}
    for code, u in units_doc.items():
        coef = coefs.get(code)
        optional = bool(u.get("optional"))
        if coef is None:
            if not optional:
                continue  # a compulsory unit with no coefficient cannot be averaged
            coef = 1
        units[code] = UnitRule(code, int(Decimal(str(coef)) * 100), optional, u.get("domain", ""))
    dispensable = frozenset(code for d in doc.get("dispensations") or [] for code in d["units"])
    allowed = (doc.get("pass_rule") or {}).get("control_exams", False)
    return Scheme(
        units, dispensable, allowed if control_exams is None else (allowed and control_exams)
    )


# "12.5" → 1250, and the JSON number 12.5 → 1250: a session's grades repeat, each is read once.
# Floats that are whole numbers are never kept: 1.0 == 1 == True would answer for True and 1.
_READ: dict[str | float, int] = {}

_GRADE_SAYS = {
    UNREADABLE: "{who} : note de {unit} illisible ({value!r})",
    NOT_FINITE: "{who} : note de {unit} hors de 0–20 ({value})",
    OUT_OF_RANGE: "{who} : note de {unit} hors de 0–20 ({value})",
    TOO_PRECISE: "{who} : note de {unit} avec plus de deux décimales ({value})",
}


def parse_grade(value, who: str, unit: str) -> int | str:
    """A number or decimal string 0–20 with at most two decimals (marks.read_hundredths), or
    ABS / NV."""
    kind = type(value)
    if (kind is str or kind is float) and (known := _READ.get(value)) is not None:
        return known
    try:
        hundredths = read_hundredths(value)
    except NumberError as exc:
        if kind is str and value.strip().upper() in (ABS, NV):
            return value.strip().upper()
        raise InputError(_GRADE_SAYS[exc.reason].format(who=who, unit=unit, value=value)) from None
    if (kind is str or (kind is float and not value.is_integer())) and len(_READ) < 10_000:
        _READ[value] = hundredths
    return hundredths


@dataclass
class Candidate:
    id: str
    grades: dict[str, int | str]
    optional: dict[str, int | str] = field(default_factory=dict)
    dispensed: frozenset[str] = frozenset()
    control: dict[str, int] = field(default_factory=dict)
    # Bac pro: the jury's average after its single épreuve de contrôle (livret.engine.families)
    control_average: int | None = None


@dataclass
class Outcome:
    id: str
    decision: str
    average: int  # hundredths, cut (for display); decisions use the exact fraction
    reasons: list[str]
    first_average: int = 0
    professional_average: int | None = None
    mention: str = ""  # Bac pro and CAP (livret.engine.families); the BTS has none


def check_candidate(scheme: Scheme, c: Candidate) -> None:
    # The usual candidate, every compulsory unit graded and nothing else, passes every check
    # below: one set comparison says so.
    if not (c.optional or c.dispensed or c.control) and c.grades.keys() == scheme.compulsory_codes:
        return
    who = f"candidat {c.id}"
    for code in [*c.grades, *c.optional, *c.dispensed, *c.control]:
        if code not in scheme.units:
            raise InputError(f"{who} : unité {code} inconnue (unités : {', '.join(scheme.units)})")
    for code in c.grades:
        if scheme.units[code].optional:
            raise InputError(f"{who} : {code} est une unité facultative (à mettre dans optional)")
    for code in c.optional:
        if not scheme.units[code].optional:
            raise InputError(f"{who} : {code} est une unité obligatoire (à mettre dans grades)")
    for code in c.dispensed:
        if code in c.grades:
            raise InputError(f"{who} : unité {code} à la fois dispensée et notée")
        if code not in scheme.dispensable:
            raise InputError(f"{who} : le référentiel ne permet pas de dispense de {code}")
    for u in scheme.compulsory:
        if u.code not in c.grades and u.code not in c.dispensed:
            raise InputError(f"{who} : unité obligatoire {u.code} ni notée ni dispensée")
    if c.control:
        if not scheme.control_exams:
            raise InputError(f"{who} : pas d'épreuves de contrôle pour cette session")
        if len(c.control) > scheme.control_max:
            raise InputError(f"{who} : au plus {scheme.control_max} épreuves de contrôle")
        for code in c.control:
            if scheme.units[code].domain != "general":
                raise InputError(
                    f"{who} : épreuve de contrôle en {code}, qui n'est pas une unité du domaine général"
                )
            if code in c.dispensed:
                raise InputError(
                    f"{who} : épreuve de contrôle en {code}, unité dont il est dispensé"
                )
        # Only a candidate the first group leaves between 8 and 10, with 10 in the professional
        # units, sits them: a control grade for anyone else is an error, never silently dropped.
        total, weight, prof_total, prof_weight, blockers = _sums(scheme, c, {})
        first = _fmt(_rounded(total, weight))
        code = next(iter(c.control))
        if blockers:
            raise InputError(f"{who} : épreuve de contrôle en {code} refusée ({blockers[0]})")
        if total >= TEN * weight:
            raise InputError(
                f"{who} : épreuve de contrôle en {code} refusée, admis au premier groupe "
                f"(moyenne {first})"
            )
        if total < 800 * weight or not prof_weight or prof_total < TEN * prof_weight:
            raise InputError(
                f"{who} : épreuve de contrôle en {code} refusée, non admis à les passer "
                f"(moyenne {first} ; il faut au moins 8 et 10 dans les unités professionnelles)"
            )


def _fmt(hundredths: int) -> str:
    return show_hundredths(hundredths)


def _sums(scheme: Scheme, c: Candidate, control: dict[str, int]):
    total = _optional_points(scheme, c.optional) if c.optional else 0
    weight = prof_total = prof_weight = 0
    blockers = []
    grades, dispensed = c.grades, c.dispensed
    for code, coef, professional in scheme.weights:
        if code in dispensed:
            continue
        g = grades[code]
        if type(g) is not int:
            blockers.append(f"{code} : {'absent' if g == ABS else 'non valide (NV)'}")
            g = 0
        elif control and code in control and control[code] > g:
            g = control[code]
        total += g * coef
        weight += coef
        if professional:
            prof_total += g * coef
            prof_weight += coef
    return total, weight, prof_total, prof_weight, blockers


def _rounded(total: int, weight: int) -> int:
    """total/weight in hundredths, cut (never rounded up): the average shown never says more than
    the exact one, so a candidate at 9.9957 reads 9,99 — « ajourné, moyenne 10,00 » would
    contradict its own decision. Decisions compare the exact fractions, never this figure."""
    return total // weight if weight else 0


def compute(scheme: Scheme, c: Candidate) -> Outcome:
    total, weight, prof_total, prof_weight, blockers = _sums(scheme, c, {})
    if weight == 0:
        return Outcome(c.id, FAILED, 0, ["aucune unité notée"])
    first = _rounded(total, weight)
    prof = _rounded(prof_total, prof_weight) if prof_weight else None
    if blockers:
        return Outcome(
            c.id,
            FAILED,
            first,
            [
                *blockers,
                "une épreuve obligatoire absente ou non valide empêche la délivrance du diplôme",
            ],
            first,
            prof,
        )
    if total >= TEN * weight:
        return Outcome(c.id, PASSED, first, [], first, prof)
    entitled = (
        scheme.control_exams
        and total >= 800 * weight
        and prof_weight
        and prof_total >= TEN * prof_weight
    )
    if not entitled:
        reasons = [f"moyenne {_fmt(first)} inférieure à 10"]
        if scheme.control_exams:
            if total < 800 * weight:
                reasons.append("moyenne inférieure à 8 : pas d'épreuves de contrôle")
            elif prof is not None:
                reasons.append(
                    f"moyenne des unités professionnelles {_fmt(prof)} inférieure à 10 : pas d'épreuves de contrôle"
                )
        return Outcome(c.id, FAILED, first, reasons, first, prof)
    if not c.control:
        return Outcome(
            c.id,
            CONTROL,
            first,
            [
                f"moyenne {_fmt(first)} entre 8 et 10, moyenne professionnelle {_fmt(prof)} : admis à passer deux épreuves de contrôle"
            ],
            first,
            prof,
        )
    total2, weight2, *_ = _sums(scheme, c, c.control)
    after = _rounded(total2, weight2)
    if total2 >= TEN * weight2:
        return Outcome(
            c.id,
            PASSED,
            after,
            [f"admis après les épreuves de contrôle (moyenne du premier groupe {_fmt(first)})"],
            first,
            prof,
        )
    return Outcome(
        c.id,
        FAILED,
        after,
        [f"moyenne {_fmt(after)} inférieure à 10 après les épreuves de contrôle"],
        first,
        prof,
    )


def needed_grade(scheme: Scheme, c: Candidate, remaining: list[str]) -> int | None:
    """The lowest grade (hundredths), the same in every remaining unit, that gives an average ≥ 10.

    None when even 20 everywhere is not enough, or when an NV/ABS already blocks the diploma.
    """
    known = Candidate(
        c.id, {k: v for k, v in c.grades.items() if k not in remaining}, c.optional, c.dispensed
    )
    total = _optional_points(scheme, known.optional)
    weight = rem_weight = 0
    for u in scheme.compulsory:
        if u.code in known.dispensed:
            continue
        weight += u.coef
        if u.code in remaining:
            rem_weight += u.coef
            continue
        g = known.grades.get(u.code)
        if not isinstance(g, int):
            return None
        total += g * u.coef
    if not rem_weight:
        return 0 if total >= TEN * weight else None
    need = TEN * weight - total  # required Σ over the remaining units
    grade = max(0, -(-need // rem_weight))  # ceiling, in hundredths
    return grade if grade <= 2000 else None
