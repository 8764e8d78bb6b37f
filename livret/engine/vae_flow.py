"""The VAE journey as a state machine (pure, no Django import): which step may follow which, and
who takes it.

Décret n° 2023-1275 du 27 décembre 2023 (JORF du 28 décembre 2023; for journeys begun from
1 January 2024; Code du travail, art. R. 6412-1 and following): the candidate — or the person who
accompanies him (R. 6412-3) — sends the feasibility file (dossier de faisabilité) to the
certifier, who decides on it — recevable, non recevable, or incomplete (the candidate completes
it and sends it again); once recevable, the candidate sends his validation file (dossier de
validation) and goes before the jury, which decides (total or partial validation, or refusal).
The candidate may give up at any step before the jury's decision.
"""

from __future__ import annotations

from .flow import FlowError, Machine  # noqa: F401 (FlowError: what the services catch here)

DRAFT = "draft"
SENT = "feasibility_sent"
INCOMPLETE = "feasibility_incomplete"
ADMISSIBLE = "feasibility_admissible"
INADMISSIBLE = "feasibility_inadmissible"
VALIDATION_SENT = "validation_sent"
JURY_DONE = "jury_done"
WITHDRAWN = "withdrawn"
LAPSED = "lapsed"  # not confirmed in time (engine/vae_clocks: France VAE's six months)
STATES = (
    DRAFT,
    SENT,
    INCOMPLETE,
    ADMISSIBLE,
    INADMISSIBLE,
    VALIDATION_SENT,
    JURY_DONE,
    WITHDRAWN,
    LAPSED,
)
CANDIDATE, CERTIFIER, GUIDE = "candidate", "certifier", "guide"
SYSTEM = "system"  # the daily `livret vae tick`: what the clocks decide, by no one

OPEN = (DRAFT, SENT, INCOMPLETE, ADMISSIBLE, INADMISSIBLE, VALIDATION_SENT)  # before the end

# (state, action) → (next state, who may take it). « edit », « write » and « choose_guide » keep
# the file where it is: they say when the candidate may still change what he wrote.
TRANSITIONS: dict[tuple[str, str], tuple[str, tuple[str, ...]]] = {
    (DRAFT, "submit"): (SENT, (CANDIDATE, GUIDE)),
    (INCOMPLETE, "submit"): (SENT, (CANDIDATE, GUIDE)),
    (SENT, "admissible"): (ADMISSIBLE, (CERTIFIER,)),
    (SENT, "inadmissible"): (INADMISSIBLE, (CERTIFIER,)),
    (SENT, "incomplete"): (INCOMPLETE, (CERTIFIER,)),
    # Code du travail, art. L. 6412-2: two months of silence are a decision of recevabilité.
    (SENT, "implicit"): (ADMISSIBLE, (SYSTEM,)),
    # The candidate confirms he goes on; without it the recevabilité lapses (France VAE).
    (ADMISSIBLE, "actualise"): (ADMISSIBLE, (CANDIDATE, GUIDE)),
    (ADMISSIBLE, "lapse"): (LAPSED, (SYSTEM,)),
    # The accompagnateur's formal avis on the feasibility file (arrêté du 3 juillet 2025), until
    # the certifier has decided on it.
    **{(state, "opinion"): (state, (GUIDE,)) for state in (DRAFT, INCOMPLETE, SENT)},
    (ADMISSIBLE, "send_validation"): (VALIDATION_SENT, (CANDIDATE,)),
    (VALIDATION_SENT, "jury"): (JURY_DONE, (CERTIFIER,)),
    # The certifier composes the jury and convenes the candidate once recevable (D. 6412-6);
    # a decision is corrected only by a new, reasoned one (the file stays « jury passé »).
    **{(state, "compose"): (state, (CERTIFIER,)) for state in (ADMISSIBLE, VALIDATION_SENT)},
    (JURY_DONE, "correct_jury"): (JURY_DONE, (CERTIFIER,)),
    # A titre professionnel's candidate, once recevable, sits the titre session's épreuves.
    **{(state, "titre_session"): (state, (CERTIFIER,)) for state in (ADMISSIBLE, VALIDATION_SENT)},
    **{(state, "withdraw"): (WITHDRAWN, (CANDIDATE,)) for state in OPEN},
    (DRAFT, "edit"): (DRAFT, (CANDIDATE,)),
    (INCOMPLETE, "edit"): (INCOMPLETE, (CANDIDATE,)),
    (ADMISSIBLE, "write"): (ADMISSIBLE, (CANDIDATE,)),
    **{(state, "choose_guide"): (state, (CANDIDATE,)) for state in OPEN},
}

LABELS = {
    "submit": "envoyer le dossier de faisabilité",
    "admissible": "déclarer le dossier recevable",
    "inadmissible": "déclarer le dossier non recevable",
    "incomplete": "déclarer le dossier incomplet",
    "implicit": "constater la recevabilité implicite",
    "actualise": "actualiser la candidature",
    "lapse": "constater la caducité",
    "opinion": "donner l'avis de faisabilité",
    "send_validation": "envoyer le dossier de validation",
    "jury": "enregistrer la décision du jury",
    "compose": "composer le jury",
    "correct_jury": "corriger la décision du jury",
    "titre_session": "inscrire le candidat à une session du titre",
    "withdraw": "abandonner la candidature",
    "edit": "modifier le dossier de faisabilité",
    "write": "rédiger le dossier de validation",
    "choose_guide": "choisir un accompagnateur",
}
STATE_LABELS = {
    DRAFT: "projet en cours",
    SENT: "dossier de faisabilité envoyé",
    INCOMPLETE: "dossier de faisabilité incomplet",
    ADMISSIBLE: "recevable",
    INADMISSIBLE: "non recevable",
    VALIDATION_SENT: "dossier de validation envoyé",
    JURY_DONE: "jury passé",
    WITHDRAWN: "abandonné",
    LAPSED: "caduc (non actualisé)",
}

MACHINE = Machine(
    subject="le dossier",
    states=STATES,
    initial=DRAFT,
    transitions=TRANSITIONS,
    labels=LABELS,
    state_labels=STATE_LABELS,
    whom={
        (CANDIDATE, GUIDE): "au candidat ou à son accompagnateur",
        (CANDIDATE,): "au candidat",
        (CERTIFIER,): "au certificateur",
        (SYSTEM,): "au constat quotidien des délais",
        (GUIDE,): "à l'accompagnateur",
    },
    refusals={
        (state, action): "Ce dossier est clos."
        for state in (JURY_DONE, WITHDRAWN, LAPSED)
        for action in ("withdraw", "choose_guide", "edit", "write", "actualise")
    },
)
next_state = MACHINE.next_state
allowed = MACHINE.allowed
may = MACHINE.may


# The candidate's progress through his file, as a bar: (step reached, of how many).
PROGRESS = {
    DRAFT: 1,
    INCOMPLETE: 1,
    SENT: 2,
    ADMISSIBLE: 3,
    INADMISSIBLE: 2,
    VALIDATION_SENT: 4,
    JURY_DONE: 5,
    WITHDRAWN: 0,
    LAPSED: 0,
}
STEPS = 5


def next_step(state: str, has_experience: bool, validation_title: str, unit: str) -> str:
    """What the candidate does next, in plain French."""
    if state == DRAFT and not has_experience:
        return "Ajoutez une première expérience et reliez-la aux compétences du diplôme."
    return {
        DRAFT: "Complétez vos expériences, puis envoyez votre dossier de faisabilité au certificateur.",
        INCOMPLETE: "Complétez votre dossier selon les motifs du certificateur, puis renvoyez-le.",
        SENT: "Le certificateur étudie votre dossier de faisabilité : vous serez prévenu(e) de sa décision.",
        ADMISSIBLE: f"Rédigez votre {validation_title[0].lower() + validation_title[1:]}, {unit} par {unit}, puis envoyez-le.",
        INADMISSIBLE: "Votre dossier n'est pas recevable : lisez les motifs ; votre accompagnateur peut vous aider à préparer une nouvelle demande.",
        VALIDATION_SENT: "Le jury va se réunir : le certificateur vous convoque.",
        JURY_DONE: "Le jury a rendu sa décision : votre lettre de décision est ci-dessous.",
        WITHDRAWN: "Vous avez abandonné cette candidature.",
        LAPSED: "Votre candidature n'a pas été actualisée à temps : elle est caduque. "
        "Votre accompagnateur peut vous aider à en déposer une nouvelle.",
    }[state]
