"""The kinds of notification, who receives them, and how by default."""

IMMEDIATE, DIGEST, OFF = "immediate", "digest", "off"
MODES = [(IMMEDIATE, "Tout de suite"), (DIGEST, "Dans le récapitulatif du jour"), (OFF, "Jamais")]

# kind → (label shown in the preferences, default mode)
KINDS = {
    "situation_declared": ("Une situation vécue en entreprise attend ma validation", IMMEDIATE),
    "situation_validated": ("Une situation a été validée par le tuteur", IMMEDIATE),
    "situation_returned": ("Mon tuteur me renvoie une situation à compléter", IMMEDIATE),
    "evaluation": ("Nouvelles évaluations dans mon livret", DIGEST),
    "visa": ("Un livret attend mon visa", IMMEDIATE),
    "follow_up": ("Visites et entretiens : prévus, comptes rendus à lire", IMMEDIATE),
    "jury_result": ("Le résultat du jury est publié", IMMEDIATE),
    "alert": ("Nouvelles alertes : périodes, attestations, contrats, suivis", DIGEST),
    "survey": ("Un questionnaire de satisfaction m'attend", IMMEDIATE),
    "vae": ("Mon dossier VAE : commentaires de mon accompagnateur", IMMEDIATE),
    "thread": ("Un message dans le fil du livret", IMMEDIATE),
    "absence": ("Absence de mon apprenti au centre de formation", IMMEDIATE),
    "justification": ("La décision sur un justificatif d'absence que j'ai envoyé", IMMEDIATE),
}

# The labels that name the learner, as a user's preferences show them: « {learner} » is the word
# of his learners' status (livret.engine.wording; « élève » for a PFMP tutor), filled by
# kinds_for. KINDS keeps the apprentice's words: they are the stored fields' choices.
WORDED = {
    "alert": "Nouvelles alertes : périodes, attestations, {engagements}, suivis",
    "absence": "Absence de mon {learner} au centre de formation",
}

# Which kinds can reach each role: its preferences list only these (« Mon compte »).
_STAFF = {"situation_validated", "visa", "follow_up", "alert", "thread", "absence"}
ROLE_KINDS = {
    "learner": {
        "situation_validated",
        "situation_returned",
        "evaluation",
        "visa",
        "follow_up",
        "jury_result",
        "survey",
        "thread",
        "justification",
    },
    "tutor": {
        "situation_declared",
        "situation_validated",
        "visa",
        "follow_up",
        "alert",
        "survey",
        "thread",
        "absence",
        "justification",
    },
    "trainer": _STAFF,
    # The manager reads the threads but writes in none: a message never notifies him.
    "manager": (_STAFF - {"thread"}) | {"survey"},
    "exam_admin": {"alert"},
    "certifier": {"vae"},
    "vae_guide": {"vae"},
    None: {"vae"},  # a VAE candidate: an account without a centre role
}


def kinds_for(role, words=None) -> dict:
    """The kinds that concern this role (every kind for the platform's administrator), their
    labels in the words of the user's learners (wording.words_for_all; neutral by default)."""
    from livret.engine import wording

    words = words or wording.words(None)
    wanted = ROLE_KINDS.get(role)
    return {
        k: (WORDED[k].format(**words) if k in WORDED else label, mode)
        for k, (label, mode) in KINDS.items()
        if wanted is None or k in wanted
    }
