"""Which column of the règlement d'examen a centre's learner falls in (pure, no Django import).

The BTS règlements d'examen give each épreuve's form in three columns (seed 001, BTS MOS):
1. « Voie scolaire dans un établissement public ou privé sous contrat, CFA ou section
   d'apprentissage habilité. Formation professionnelle continue dans les établissements publics
   habilités » — code `approved`;
2. « Formation professionnelle continue dans les établissements publics habilités » — `continuing`;
3. « Voie scolaire dans un établissement privé hors contrat, CFA ou section d'apprentissage non
   habilité, formation professionnelle continue dans un établissement privé, voie de
   l'enseignement à distance, candidats justifiant de 3 années d'expérience professionnelle » —
   `other`.
A file whose source gives one column for everyone (BTS MCO, seed 004) declares `all`. The centre's
habilitation for the diploma, and whether it is a public establishment, decide the column; the
contrat de professionnalisation is formation professionnelle continue (Code du travail,
art. L6325-1).
"""

from __future__ import annotations

APPROVED, CONTINUING, OTHER, ALL = "approved", "continuing", "other", "all"
INITIAL = ("school", "apprentice")
CONTINUING_STATUSES = ("continuing", "professionalisation")


def column(codes: list[str], learner_status: str, habilitated: bool, public: bool) -> str | None:
    """The column code among `codes` (the référentiel's candidate_statuses), or None when the
    file declares none of the columns this learner could fall in."""
    if ALL in codes:
        return ALL
    if habilitated and learner_status in INITIAL and APPROVED in codes:
        return APPROVED
    if habilitated and public and learner_status in CONTINUING_STATUSES:
        if CONTINUING in codes:
            return CONTINUING
        if APPROVED in codes:  # the first column names it too
            return APPROVED
    return OTHER if OTHER in codes else None
