"""The VAE jury's composition and vote (pure Python, no Django import).

Code du travail, art. D. 6412-6 (created by décret n° 2024-332 du 10 avril 2024, JORF du
12 avril 2024; read here through its summary by ateliers-et-expertises.fr, 12 April 2024 — the
article itself was not readable from here, see README « VAE »): the jury is composed as the rules
of the certification say and gathers at least two persons, at least one of them qualified for
the certification aimed at; women and men are represented in balance; a president (or
« responsable ») is designated among the members and has a casting vote when the votes are
equally shared; no member has or had a professional or personal relation with the candidate, nor
accompanied him in his VAE.

The balance of women and men is shown, not enforced: the article's exact wording (« autant de
femmes que d'hommes » in the summary) could not be checked, and a jury of three cannot be equal.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

PRESIDENT, TEACHER, PROFESSIONAL = "president", "enseignant", "professionnel"
QUALITIES = (
    (PRESIDENT, "Président du jury"),
    (TEACHER, "Enseignant ou formateur"),
    (PROFESSIONAL, "Professionnel du secteur"),
)
WOMAN, MAN, UNSAID = "F", "M", ""
GENDERS = ((WOMAN, "Femme"), (MAN, "Homme"), (UNSAID, "Non précisé"))
MINIMUM = 2
SOURCE = "Code du travail, art. D. 6412-6"

# What a jury member's mistake may be aimed at; the services map these to the form's fields.
MEMBERS, PRESIDENCY, QUALIFIED, ACCOMPANIED, LINK = (
    "members",
    "president",
    "qualified",
    "accompanied",
    "link",
)


@dataclass(frozen=True)
class Member:
    name: str
    quality: str
    qualified: bool = False  # qualified for the certification aimed at
    gender: str = UNSAID
    declared_no_link: bool = False  # signed: no relation with the candidate, now or before
    accompanied: bool = False  # is (or was) the candidate's accompagnateur


def problems(members: Iterable[Member]) -> list[tuple[str, str]]:
    """Every reason why these members may not sit as the candidate's jury, all at once:
    (what it concerns, the French sentence). Empty: the jury may sit."""
    members = list(members)
    found: list[tuple[str, str]] = []
    if len(members) < MINIMUM:
        found.append(
            (
                MEMBERS,
                f"Le jury réunit au moins deux personnes ({SOURCE}) : "
                f"{len(members)} membre{'s' if len(members) > 1 else ''} pour l'instant.",
            )
        )
    presidents = [m for m in members if m.quality == PRESIDENT]
    if not presidents:
        found.append(
            (PRESIDENCY, f"Un président du jury est désigné parmi ses membres ({SOURCE}).")
        )
    elif len(presidents) > 1:
        found.append((PRESIDENCY, "Le jury n'a qu'un président."))
    if members and not any(m.qualified for m in members):
        found.append(
            (
                QUALIFIED,
                f"Au moins un membre est qualifié au titre de la certification visée ({SOURCE}).",
            )
        )
    for m in members:
        if m.accompanied:
            found.append(
                (
                    ACCOMPANIED,
                    f"{m.name} a accompagné le candidat dans sa VAE : il ne peut pas siéger "
                    f"({SOURCE}).",
                )
            )
    for m in members:
        if not m.declared_no_link:
            found.append(
                (
                    LINK,
                    f"{m.name} n'a pas déclaré n'avoir aucun lien professionnel ou personnel "
                    f"avec le candidat ({SOURCE}).",
                )
            )
    return found


def admissible_member(member: Member) -> list[str]:
    """What refuses one member on his own, before the jury is complete."""
    return [text for what, text in problems([member]) if what in (ACCOMPANIED, LINK)]


def balance(members: Iterable[Member]) -> dict[str, int]:
    """Women, men and members who did not say, for the page to show the balance."""
    counts = {WOMAN: 0, MAN: 0, UNSAID: 0}
    for m in members:
        counts[m.gender if m.gender in counts else UNSAID] += 1
    return counts


def balanced(members: Iterable[Member]) -> bool:
    """As balanced as the number allows: women and men differ by one at most (shown, not enforced)."""
    counts = balance(members)
    return abs(counts[WOMAN] - counts[MAN]) <= 1 and counts[WOMAN] + counts[MAN] > 0


def outcome(votes_for: int, votes_against: int, president_for: bool) -> tuple[bool, bool]:
    """The jury's vote on one question: (carried, casting vote used). The president's vote
    decides only when the votes are equally shared (D. 6412-6)."""
    if votes_for < 0 or votes_against < 0:
        raise ValueError("votes are counts")
    if votes_for != votes_against:
        return votes_for > votes_against, False
    return president_for, True


# Préconisations for a bloc the jury did not validate: what the candidate may do next.
TRAINING, EXPERIENCE, NEW_PASSAGE = "training", "experience", "new_passage"
RECOMMENDATIONS = (
    (TRAINING, "Suivre une formation complémentaire"),
    (EXPERIENCE, "Acquérir une expérience complémentaire"),
    (NEW_PASSAGE, "Se présenter de nouveau devant le jury"),
)
