"""The Bac pro and CAP rule families (pure, no Django import), beside the BTS's (`jury.compute`).

Both average the units with their coefficients, exactly, like the BTS (`jury._sums`); only the
points above 10 of an optional unit count. What differs, from the texts:

Baccalauréat professionnel — Code de l'éducation, art. D. 337-78; arrêté du 6 janvier 2022,
art. 12 (JORF n° 0013 du 16 janvier 2022); décret n° 2024-122 du 19 février 2024 (mentions):
- admis with a general average of 10 or more;
- ajourné below 8;
- from 8 to under 10, the épreuve de contrôle if the candidate has 10 or more at the épreuve
  d'évaluation de la pratique professionnelle (or is dispensed of all its units);
- after the épreuve de contrôle: admis with 10 or more « à l'issue de l'épreuve de contrôle », and
  then no mention. How the control grade enters that average is set by art. D. 337-79, which the
  texts found do not give: the jury's average after the control is an input, never computed here;
- mentions at the first group: assez bien 12 to under 14, bien 14 to under 16, très bien 16 and
  more, très bien avec les félicitations du jury 18 and more.

CAP — Code de l'éducation, art. D. 337-16 (version of 1 January 2020); décret n° 2024-122
(mentions): delivered with the average (10) both over all the units and over the professional
units, each with its coefficient; no épreuve de contrôle; mentions assez bien, bien, très bien at
12, 14, 16.
"""

from __future__ import annotations

from dataclasses import dataclass

from livret.engine import jury
from livret.engine.jury import CONTROL, FAILED, PASSED, TEN, Candidate, Outcome, Scheme

BTS, BAC_PRO, CAP, TITRE_PRO = "bts", "bac_pro", "cap", "titre_pro"
FAMILIES = (BTS, BAC_PRO, CAP)
EIGHT = 800


def family_of(doc: dict) -> str:
    """The file's rule family, the one place it is read: a titre professionnel by its
    `certification.family` only (its engine needs the CCPs listed there), else that family or
    the file's kind, the BTS's rule for anything else."""
    declared = (doc.get("certification") or {}).get("family")
    if declared == TITRE_PRO:
        return TITRE_PRO
    family = declared or doc.get("kind")
    return family if family in FAMILIES else BTS


def practice_units(doc: dict) -> frozenset[str]:
    """The units of the épreuve d'évaluation de la pratique professionnelle (Bac pro)."""
    return frozenset(u["code"] for u in doc.get("units") or [] if u.get("practice"))


def check_family(family: str, c: Candidate) -> None:
    """What the texts found leave open is refused, never guessed."""
    if family == BAC_PRO:
        absent = [u for u, g in c.grades.items() if type(g) is not int]
        if absent:
            raise jury.InputError(
                f"candidat {c.id} : {absent[0]} noté {c.grades[absent[0]]} — ce que vaut une "
                "absence au Bac pro n'est pas donné par les textes trouvés"
            )
        if c.control:
            raise jury.InputError(
                f"candidat {c.id} : au Bac pro, l'épreuve de contrôle est une seule épreuve : "
                "donner control_average, la moyenne arrêtée par le jury à son issue"
            )


def check_control_average(scheme: Scheme, c: Candidate, practice: frozenset[str]) -> None:
    """Bac pro: a control_average for a candidate not entitled to the épreuve de contrôle
    (admitted, below 8, or below 10 in the pratique professionnelle) is an error naming him,
    never silently dropped — as the BTS's control grades."""
    if c.control_average is None:
        return
    who = f"candidat {c.id}"
    total, weight, *_ = jury._sums(scheme, c, {})
    first = jury._fmt(jury._rounded(total, weight)) if weight else "—"
    if not weight:
        raise jury.InputError(f"{who} : control_average refusé, aucune unité notée")
    if total >= TEN * weight:
        raise jury.InputError(
            f"{who} : control_average refusé, admis au premier groupe (moyenne {first})"
        )
    if total < EIGHT * weight:
        raise jury.InputError(
            f"{who} : control_average refusé, non admis à l'épreuve de contrôle "
            f"(moyenne {first} inférieure à 8)"
        )
    p_total, p_weight, all_dispensed = _practice(scheme, c, practice)
    if not (all_dispensed or (p_weight and p_total >= TEN * p_weight)):
        practice_avg = jury._fmt(jury._rounded(p_total, p_weight)) if p_weight else "—"
        raise jury.InputError(
            f"{who} : control_average refusé, non admis à l'épreuve de contrôle "
            f"({practice_avg} à l'épreuve de pratique professionnelle, il faut au moins 10)"
        )


def mention(average_total: int, weight: int, family: str) -> str:
    """The mention for an exact average total/weight (hundredths × coefficients)."""
    if family == BAC_PRO and average_total >= 1800 * weight:
        return "très bien avec les félicitations du jury"
    for floor, label in ((1600, "très bien"), (1400, "bien"), (1200, "assez bien")):
        if average_total >= floor * weight:
            return label
    return ""


def _practice(scheme: Scheme, c: Candidate, practice: frozenset[str]) -> tuple[int, int, bool]:
    """(total, weight, all dispensed?) of the pratique professionnelle units."""
    total = weight = 0
    dispensed = True
    for code, coef, _ in scheme.weights:
        if code not in practice:
            continue
        if code in c.dispensed:
            continue
        dispensed = False
        g = c.grades[code]
        total += (g if type(g) is int else 0) * coef
        weight += coef
    return total, weight, dispensed and bool(practice)


def compute_bac_pro(
    scheme: Scheme, c: Candidate, practice: frozenset[str], control_average: int | None = None
) -> Outcome:
    total, weight, _, _, blockers = jury._sums(scheme, c, {})
    if weight == 0:
        return Outcome(c.id, FAILED, 0, ["aucune unité notée"])
    first = jury._rounded(total, weight)
    if total >= TEN * weight:
        out = Outcome(c.id, PASSED, first, [], first)
        out.mention = mention(total, weight, BAC_PRO)
        return out
    if total < EIGHT * weight:
        return Outcome(c.id, FAILED, first, [f"moyenne {jury._fmt(first)} inférieure à 8"], first)
    p_total, p_weight, all_dispensed = _practice(scheme, c, practice)
    if not (all_dispensed or (p_weight and p_total >= TEN * p_weight)):
        practice_avg = jury._fmt(jury._rounded(p_total, p_weight)) if p_weight else "—"
        return Outcome(
            c.id,
            FAILED,
            first,
            [
                f"moyenne {jury._fmt(first)} entre 8 et 10, mais {practice_avg} à l'épreuve de "
                "pratique professionnelle : pas d'épreuve de contrôle"
            ],
            first,
        )
    if control_average is None:
        return Outcome(
            c.id,
            CONTROL,
            first,
            [f"moyenne {jury._fmt(first)} entre 8 et 10 : admis à l'épreuve de contrôle"],
            first,
        )
    if control_average >= TEN:
        return Outcome(
            c.id,
            PASSED,
            control_average,
            [
                f"admis après l'épreuve de contrôle (premier groupe {jury._fmt(first)}), sans mention"
            ],
            first,
        )
    return Outcome(
        c.id,
        FAILED,
        control_average,
        [f"moyenne {jury._fmt(control_average)} à l'issue de l'épreuve de contrôle"],
        first,
    )


def compute_cap(scheme: Scheme, c: Candidate) -> Outcome:
    total, weight, prof_total, prof_weight, blockers = jury._sums(scheme, c, {})
    if weight == 0:
        return Outcome(c.id, FAILED, 0, ["aucune unité notée"])
    first = jury._rounded(total, weight)
    prof = jury._rounded(prof_total, prof_weight) if prof_weight else None
    if blockers:
        # D. 337-16: delivered to candidates « qui ont présenté l'ensemble de ses unités »
        return Outcome(
            c.id,
            FAILED,
            first,
            [*blockers, "toutes les unités n'ont pas été présentées"],
            first,
            prof,
        )
    reasons = []
    if total < TEN * weight:
        reasons.append(f"moyenne générale {jury._fmt(first)} inférieure à 10")
    if prof_weight and prof_total < TEN * prof_weight:
        reasons.append(f"moyenne des unités professionnelles {jury._fmt(prof)} inférieure à 10")
    if reasons:
        return Outcome(c.id, FAILED, first, reasons, first, prof)
    out = Outcome(c.id, PASSED, first, [], first, prof)
    out.mention = mention(total, weight, CAP)
    return out


@dataclass(frozen=True)
class Rule:
    """One graded family's rule (BTS, Bac pro, CAP): the checks and the computation that
    `livret jury compute` and the session pages both run, so that they cannot differ."""

    family: str
    practice: frozenset[str] = frozenset()  # Bac pro: the pratique professionnelle units

    @property
    def mentions(self) -> bool:
        return self.family != BTS

    def check(self, scheme: Scheme, c: Candidate) -> None:
        if c.control_average is not None and self.family != BAC_PRO:
            why = (
                "control_average est pour le Bac pro"
                if self.family == BTS
                else "pas d'épreuve de contrôle pour ce diplôme"
            )
            raise jury.InputError(f"candidat {c.id} : {why}")
        jury.check_candidate(scheme, c)
        check_family(self.family, c)
        if self.family == BAC_PRO:
            check_control_average(scheme, c, self.practice)

    def compute(self, scheme: Scheme, c: Candidate) -> Outcome:
        if self.family == BAC_PRO:
            return compute_bac_pro(scheme, c, self.practice, c.control_average)
        if self.family == CAP:
            return compute_cap(scheme, c)
        return jury.compute(scheme, c)


def rule_for(doc: dict) -> Rule:
    """The graded rule of a file whose family is not the titre professionnel."""
    family = family_of(doc)
    if family == TITRE_PRO:
        raise ValueError("un titre professionnel n'a pas de règle de moyenne")
    return Rule(family, practice_units(doc) if family == BAC_PRO else frozenset())
