"""The words a page uses for a learner and his time in company, decided by his status (pure, no
Django import): one place, so a lycée pupil never reads « apprenti » or « stage ».

- Under school status (Bac pro, CAP in a lycée) he is an élève and his time in company is a
  PFMP: « Les enseignements scolaires et universitaires peuvent comporter, respectivement, des
  périodes de formation en milieu professionnel ou des stages » (Code de l'éducation, art.
  L. 124-1); the stage is the university's word.
- An apprentice (Code du travail, art. L. 6221-1, contrat d'apprentissage) spends periods in
  company (« période en entreprise »).
- A learner under a contrat de professionnalisation (alternant) and one of continuing education
  (stagiaire, the glossary's word) are named by the centres' usage, not by a text found: their
  time in company is a period in company.
"""

from __future__ import annotations

SCHOOL, APPRENTICE, PROFESSIONALISATION, CONTINUING = (
    "school",
    "apprentice",
    "professionalisation",
    "continuing",
)

# Each key: singular, plural. « the_learner »: with its article (élided before a vowel),
# « to_the_learner »: after « à » (« au stagiaire »).
# « engagement_start »: the start of what binds him to the company (Learner.contract_start),
# « engagements »: those papers (contracts, conventions);
# « absence_rule »: why an absence from the centre matters, as his tutor's notice says it.
_WORDS: dict[str, dict[str, str]] = {
    SCHOOL: {
        "learner": "élève",
        "learners": "élèves",
        "the_learner": "l'élève",
        "to_the_learner": "à l'élève",
        "period": "PFMP",
        "periods": "PFMP",
        "the_period": "la PFMP",
        "periods_title": "Périodes de formation en milieu professionnel (PFMP)",
        "weeks_in": "de PFMP",
        "tutor": "tuteur de PFMP",
        "engagement_start": "le début de la convention de PFMP",
        "engagements": "conventions",
        "absence_rule": (
            "L'assiduité est une obligation de l'élève (Code de l'éducation, art. L511-1)."
        ),
    },
    APPRENTICE: {
        "learner": "apprenti",
        "learners": "apprentis",
        "the_learner": "l'apprenti",
        "to_the_learner": "à l'apprenti",
        "period": "période en entreprise",
        "periods": "périodes en entreprise",
        "the_period": "la période en entreprise",
        "periods_title": "Périodes en entreprise",
        "weeks_in": "en entreprise",
        "tutor": "maître d'apprentissage",
        "engagement_start": "le début du contrat",
        "engagements": "contrats",
        "absence_rule": (
            "Le temps passé au centre de formation est du temps de travail (Code du travail, "
            "art. L6222-24)."
        ),
    },
    PROFESSIONALISATION: {
        "learner": "alternant",
        "learners": "alternants",
        "the_learner": "l'alternant",
        "to_the_learner": "à l'alternant",
        "period": "période en entreprise",
        "periods": "périodes en entreprise",
        "the_period": "la période en entreprise",
        "periods_title": "Périodes en entreprise",
        "weeks_in": "en entreprise",
        "tutor": "tuteur",
        "engagement_start": "le début du contrat",
        "engagements": "contrats",
        "absence_rule": "Le temps passé au centre de formation est du temps de travail.",
    },
    CONTINUING: {
        "learner": "stagiaire",
        "learners": "stagiaires",
        "the_learner": "le stagiaire",
        "to_the_learner": "au stagiaire",
        "period": "période en entreprise",
        "periods": "périodes en entreprise",
        "the_period": "la période en entreprise",
        "periods_title": "Périodes en entreprise",
        "weeks_in": "en entreprise",
        "tutor": "tuteur",
        "engagement_start": "le début de la convention",
        "engagements": "conventions",
        "absence_rule": "",
    },
}
# Several learners of different statuses: the neutral words.
_MIXED = {
    "learner": "apprenant",
    "learners": "apprenants",
    "the_learner": "l'apprenant",
    "to_the_learner": "à l'apprenant",
    "period": "période en entreprise",
    "periods": "périodes en entreprise",
    "the_period": "la période en entreprise",
    "periods_title": "Périodes en entreprise",
    "weeks_in": "en entreprise",
    "tutor": "tuteur",
    "engagement_start": "le début du contrat ou de la convention",
    "engagements": "contrats et conventions",
    "absence_rule": "",
}
KEYS = frozenset(_MIXED)


def words(status: str | None) -> dict[str, str]:
    """The words for one learner of this status (the neutral ones for an unknown status)."""
    return dict(_WORDS.get(status or "", _MIXED))


def words_for_all(statuses) -> dict[str, str]:
    """The words for a group (a tutor's learners): theirs when they share one status, else the
    neutral ones; the apprentice's words when there is nobody (the platform's first public)."""
    distinct = set(statuses)
    if not distinct:
        return words(APPRENTICE)
    if len(distinct) == 1:
        return words(distinct.pop())
    return dict(_MIXED)


def word(status: str | None, key: str) -> str:
    if key not in KEYS:
        raise KeyError(f"unknown word: {key}")
    return words(status)[key]
