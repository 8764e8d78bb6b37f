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
acquired stays acquired and counts at a later session — within the titre's capitalisation window:
- art. 3 (as quoted by secondary sources: the official article was not readable from here), and
  Code de l'éducation art. R. 338-5 (« les certificats de compétences professionnelles
  constitutifs du titre peuvent être acquis pendant la période de validité du titre »): CCPs are
  acquired while the titre is valid, and a candidate holding CCPs has one year after the end of
  the titre's validity to complete it. Past that window, a CCP held no longer completes the titre
  (`lapsed`): the jury's date is compared with the end of validity of the session's référentiel
  (`rncp.valid_until`; a renewed titre is a new version with a later date). « Un an » is counted
  from date to date (15 September 2026 → 15 September 2027 included; 29 February → 28 February).
The window's other condition in those quotations (the candidate « started » before the end) is
not applied: what « started » means is not in the texts read.
"""

from __future__ import annotations

import datetime
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
    valid_until: datetime.date | None = None  # end of the titre's registration (None: not given)

    @cached_property
    def codes(self) -> frozenset[str]:
        return frozenset(self.ccps)


@dataclass
class Candidate:
    id: str
    decisions: dict[str, str]  # CCP → the jury's decision at this session
    acquired_before: frozenset[str] = frozenset()  # CCPs obtained at an earlier session
    on: datetime.date | None = None  # the jury's date (None: no window applied)


@dataclass
class Outcome:
    id: str
    decision: str  # titre | partiel | non_obtenu
    acquired: list[str]  # every CCP held after this session, in the titre's order
    acquired_now: list[str]
    missing: list[str]
    reasons: list[str]
    lapsed: list[str] = field(default_factory=list)  # held before, past the capitalisation window


def scheme_from_referentiel(doc: dict) -> Scheme | None:
    """The titre's CCPs from its file's `certification` section, or None for another family."""
    cert = doc.get("certification") or {}
    if cert.get("family") != "titre_pro":
        return None
    blocs = {b["code"]: b.get("title", "") for b in doc.get("blocs") or []}
    ccps = tuple(cert.get("ccps") or ())
    until = (doc.get("rncp") or {}).get("valid_until")
    if isinstance(until, str):  # a loaded document stores dates as text
        until = datetime.date.fromisoformat(until)
    return Scheme(ccps, {c: blocs.get(c, "") for c in ccps}, until)


WINDOW_YEARS = 1  # arrêté du 22 décembre 2015, art. 3


def capitalisation_end(valid_until: datetime.date) -> datetime.date:
    """The last day a CCP held still completes the titre: one year after its end of validity."""
    year = valid_until.year + WINDOW_YEARS
    try:
        return valid_until.replace(year=year)
    except ValueError:  # 29 February
        return valid_until.replace(year=year, day=28)


def _fr(d: datetime.date) -> str:
    return d.strftime("%d/%m/%Y")


def lapsed(scheme: Scheme, on: datetime.date | None) -> str:
    """Why the CCPs held from earlier sessions no longer complete the titre at a jury held `on`
    ("" while they still do)."""
    if on is None or scheme.valid_until is None:
        return ""
    end = capitalisation_end(scheme.valid_until)
    if on <= end:
        return ""
    return (
        f"ne complète plus le titre : la capitalisation était possible jusqu'au {_fr(end)}, "
        f"un an après la fin de validité du titre le {_fr(scheme.valid_until)} "
        "(arrêté du 22 décembre 2015, art. 3)"
    )


def window_note(scheme: Scheme, on: datetime.date | None) -> str:
    """What the page says of the titre's validity at a jury held `on` ("" while it is valid)."""
    if on is None or scheme.valid_until is None or on <= scheme.valid_until:
        return ""
    end = capitalisation_end(scheme.valid_until)
    if on <= end:
        return (
            f"Titre hors validité depuis le {_fr(scheme.valid_until)} : un candidat qui détient "
            f"des CCP peut le compléter par capitalisation jusqu'au {_fr(end)} "
            "(arrêté du 22 décembre 2015, art. 3)."
        )
    return (
        f"Titre hors validité depuis le {_fr(scheme.valid_until)} et fenêtre de capitalisation "
        f"close le {_fr(end)} : les CCP acquis auparavant ne le complètent plus "
        "(arrêté du 22 décembre 2015, art. 3)."
    )


def _held_before(scheme: Scheme, c: Candidate) -> frozenset[str]:
    """The CCPs from earlier sessions that still count at this jury."""
    if not c.acquired_before or c.on is None or scheme.valid_until is None:
        return c.acquired_before
    return frozenset() if lapsed(scheme, c.on) else c.acquired_before


def check_candidate(scheme: Scheme, c: Candidate) -> None:
    # The usual candidate passes every check below: a few set comparisons say so.
    decided = c.decisions.keys()
    if (
        (decided or c.acquired_before)
        and decided <= scheme.codes
        and c.acquired_before <= scheme.codes
        and _DECISIONS.issuperset(c.decisions.values())
        and _held_before(scheme, c).isdisjoint(decided)
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
        if code in _held_before(scheme, c):
            raise InputError(
                f"{who} : {code} est déjà acquis (session précédente) : il ne se repasse pas"
            )
    if not c.decisions and not c.acquired_before:
        raise InputError(f"{who} : aucune décision du jury et aucun CCP acquis auparavant")


def compute(scheme: Scheme, c: Candidate) -> Outcome:
    decisions, before = c.decisions, _held_before(scheme, c)
    now, held, missing, kept, refused = [], [], [], [], []
    gone = [code for code in scheme.ccps if code in c.acquired_before - before]
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
    if gone:
        reasons.append(f"CCP acquis auparavant ({', '.join(gone)}) {lapsed(scheme, c.on)}")
    if kept:
        reasons.append(f"CCP acquis lors d'une session précédente : {', '.join(kept)}")
    if refused:
        reasons.append(f"non acquis à cette session : {', '.join(refused)}")
    if not missing:
        return Outcome(c.id, TITRE, held, now, [], reasons, gone)
    reasons.append(f"reste à acquérir : {', '.join(missing)}")
    return Outcome(c.id, PARTIAL if held else NONE, held, now, missing, reasons, gone)
