"""The titre professionnel's rule family (pure, no Django import): no average — a jury of
professionals decides, CCP by CCP.

Texts (arrêté du 22 décembre 2015 relatif aux conditions de délivrance du titre professionnel du
ministère chargé de l'emploi, JORF n° 0302 du 30 décembre 2015, in force 1 June 2016):
- the titre is made of one or more blocs de compétences, the certificats de compétences
  professionnelles (CCP);
- it is obtained at a « session titre », or by capitalisation of every CCP that makes it up (CCPs
  obtained at « sessions CCP »), or by equivalences;
- art. 8: the jury decides on the results of the mise en situation professionnelle (completed, as
  the référentiel de certification says, by a questionnaire professionnel, an entretien technique
  or questions on productions), the Dossier Professionnel, and after the entretien final; it may
  grant the whole titre or some of its CCPs.
So: a candidate holds the titre once every CCP is acquired, at this session or before; a CCP
acquired stays acquired and counts at a later session. The texts found give no period of
validity for a CCP: none is applied (see the référentiel file's `missing`).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import cached_property

ACQUIRED, NOT_ACQUIRED = "acquis", "non_acquis"
TITRE, PARTIAL, NONE = "titre", "partiel", "non_obtenu"
DECISIONS = (ACQUIRED, NOT_ACQUIRED)
_DECISIONS = frozenset(DECISIONS)


class InputError(ValueError):
    """Bad input: names the candidate and the CCP; nothing is computed."""


@dataclass(frozen=True)
class Scheme:
    ccps: tuple[str, ...]  # the CCP codes that make up the titre, in order
    titles: dict[str, str] = field(default_factory=dict)

    @cached_property
    def codes(self) -> frozenset[str]:
        return frozenset(self.ccps)


@dataclass
class Candidate:
    id: str
    decisions: dict[str, str]  # CCP → the jury's decision at this session
    acquired_before: frozenset[str] = frozenset()  # CCPs obtained at an earlier session


@dataclass
class Outcome:
    id: str
    decision: str  # titre | partiel | non_obtenu
    acquired: list[str]  # every CCP held after this session, in the titre's order
    acquired_now: list[str]
    missing: list[str]
    reasons: list[str]


def scheme_from_referentiel(doc: dict) -> Scheme | None:
    """The titre's CCPs from its file's `certification` section, or None for another family."""
    cert = doc.get("certification") or {}
    if cert.get("family") != "titre_pro":
        return None
    blocs = {b["code"]: b.get("title", "") for b in doc.get("blocs") or []}
    ccps = tuple(cert.get("ccps") or ())
    return Scheme(ccps, {c: blocs.get(c, "") for c in ccps})


def check_candidate(scheme: Scheme, c: Candidate) -> None:
    # The usual candidate passes every check below: a few set comparisons say so.
    decided = c.decisions.keys()
    if (
        (decided or c.acquired_before)
        and decided <= scheme.codes
        and c.acquired_before <= scheme.codes
        and _DECISIONS.issuperset(c.decisions.values())
        and c.acquired_before.isdisjoint(decided)
    ):
        return
    who = f"candidat {c.id}"
    known = set(scheme.ccps)
    for code in [*c.decisions, *c.acquired_before]:
        if code not in known:
            raise InputError(f"{who} : {code} n'est pas un CCP du titre ({', '.join(scheme.ccps)})")
    for code, decision in c.decisions.items():
        if decision not in DECISIONS:
            raise InputError(
                f"{who} : décision « {decision} » pour {code} (attendu : acquis ou non_acquis)"
            )
        if code in c.acquired_before:
            raise InputError(
                f"{who} : {code} est déjà acquis (session précédente) : il ne se repasse pas"
            )
    if not c.decisions and not c.acquired_before:
        raise InputError(f"{who} : aucune décision du jury et aucun CCP acquis auparavant")


def compute(scheme: Scheme, c: Candidate) -> Outcome:
    decisions, before = c.decisions, c.acquired_before
    now, held, missing, kept, refused = [], [], [], [], []
    for code in scheme.ccps:
        decision = decisions.get(code)
        if code in before:
            kept.append(code)
            held.append(code)
        elif decision == ACQUIRED:
            now.append(code)
            held.append(code)
        else:
            missing.append(code)
            if decision == NOT_ACQUIRED:
                refused.append(code)
    reasons = []
    if kept:
        reasons.append(f"CCP acquis lors d'une session précédente : {', '.join(kept)}")
    if refused:
        reasons.append(f"non acquis à cette session : {', '.join(refused)}")
    if not missing:
        return Outcome(c.id, TITRE, held, now, [], reasons)
    reasons.append(f"reste à acquérir : {', '.join(missing)}")
    return Outcome(c.id, PARTIAL if held else NONE, held, now, missing, reasons)
