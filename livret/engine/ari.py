"""The Bac pro's attestation de réussite intermédiaire (ARI), at the end of première (pure).

Texts:
- Code de l'éducation, art. D. 337-59 (décret n° 2020-1277 du 20 octobre 2020, which ended the
  scolaires' obligation to sit a diploma of level 3 — the former « certification intermédiaire »
  CAP or BEP — in première after the 2020 session): the recteur delivers an attestation at the
  end of première to the pupils of public establishments (EPLE) and private ones under contract,
  on an average drawn from the livret scolaire; an arrêté fixes the conditions.
- Arrêté du 16 décembre 2020 relatif aux conditions de délivrance de l'ARI: for those pupils only;
  apprentices are not among its recipients (answer of the ministry to question écrite n° 11564,
  JO AN 19 mars 2024).
- The average and the thresholds, as the arrêté project presented to the CSE on 17 November 2020
  summarises them (SNPDEN) and as the same rule reads for the Bac pro « cultures marines »
  (arrêté du 22 août 2014, art. 11-1, JORFARTI000043646322):
  a) each teaching's yearly average of première, the specialty's professional teaching
     excepted: coefficient 1 each;
  b) the specialty's professional teaching, yearly average: coefficient 4;
  c) the chef-d'œuvre's yearly mark (art. D. 337-66-1): coefficient 1 (project summary);
  10/20 or more: the attestation is delivered; at least 9 and below 10: it may be, after the
  opinion of the conseil de classe restreint (PFMP appreciation, engagement), the head of the
  establishment fixing the list; below 9: not delivered.
Averages are exact fractions compared exactly; shown cut to the hundredth (never 10,00 for 9,995).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from fractions import Fraction

DELIVERED, COUNCIL, REFUSED = "delivree", "conseil", "non_delivree"
NOT_CONCERNED, INCOMPLETE = "non_concerne", "incomplet"
LABELS = {
    DELIVERED: "Attestation délivrée",
    COUNCIL: "Avis du conseil de classe restreint",
    REFUSED: "Non délivrée",
    NOT_CONCERNED: "Non concerné",
    INCOMPLETE: "Moyennes incomplètes",
}
SPECIALTY_COEFFICIENT = 4
PASS, COUNCIL_FLOOR = Fraction(10), Fraction(9)
# Who receives it: pupils (statut scolaire) of an EPLE or a private establishment under contract.
ELIGIBLE_STATUS = "school"


@dataclass(frozen=True)
class Outcome:
    decision: str
    average: Fraction | None
    reasons: tuple[str, ...]


def average(
    teachings: Iterable[Fraction | None],
    specialty: Fraction | None,
    chef_oeuvre: Fraction | None = None,
) -> Fraction | None:
    """Σ coef × average / Σ coef: each teaching 1, the specialty 4, the chef-d'œuvre 1; a
    teaching without any mark in première does not count. None without the specialty's average,
    which the rule cannot do without."""
    if specialty is None:
        return None
    total, weight = specialty * SPECIALTY_COEFFICIENT, Fraction(SPECIALTY_COEFFICIENT)
    for value in [*teachings, chef_oeuvre]:
        if value is not None:
            total += value
            weight += 1
    return total / weight


def decide(
    status: str,
    eligible_establishment: bool,
    teachings: Iterable[Fraction | None],
    specialty: Fraction | None,
    chef_oeuvre: Fraction | None = None,
    council_granted: bool | None = None,
) -> Outcome:
    """The ARI for one pupil at the end of première. `council_granted` is the head of the
    establishment's decision after the conseil de classe restreint (None: not taken yet)."""
    if status != ELIGIBLE_STATUS:
        return Outcome(
            NOT_CONCERNED,
            None,
            ("l'attestation est délivrée aux élèves sous statut scolaire (pas aux apprentis)",),
        )
    if not eligible_establishment:
        return Outcome(
            NOT_CONCERNED,
            None,
            ("établissement ni public ni privé sous contrat (art. D. 337-59)",),
        )
    avg = average(teachings, specialty, chef_oeuvre)
    if avg is None:
        return Outcome(
            INCOMPLETE, None, ("pas de moyenne de l'enseignement professionnel de la spécialité",)
        )
    if avg >= PASS:
        return Outcome(DELIVERED, avg, ("moyenne égale ou supérieure à 10",))
    if avg >= COUNCIL_FLOOR:
        if council_granted is True:
            return Outcome(
                DELIVERED,
                avg,
                ("moyenne entre 9 et 10 : délivrée après avis du conseil restreint",),
            )
        if council_granted is False:
            return Outcome(
                REFUSED,
                avg,
                ("moyenne entre 9 et 10 : non retenue après avis du conseil restreint",),
            )
        return Outcome(
            COUNCIL, avg, ("moyenne entre 9 et 10 : avis du conseil de classe restreint",)
        )
    return Outcome(REFUSED, avg, ("moyenne inférieure à 9",))
