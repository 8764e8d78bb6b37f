"""`livret jury compute`: the règlement d'examen engine on a JSON file, without a database.

Exit status 0 with the results; 2 on bad input (message naming the candidate and the unit on
stderr, nothing on stdout: every candidate is checked before any result is computed).
"""

from __future__ import annotations

import datetime

from livret.engine import families, titre_pro
from livret.engine.jury import (
    _READ,
    Candidate,
    InputError,
    parse_grade,
    scheme_from_referentiel,
)
from livret.engine.marks import show_hundredths
from livret.jsoncli import load_list, load_object, run_json_command
from livret.referentiels.files import ReferentielFileError, referentiel_document

ALLOWED = {"id", "grades", "optional", "dispensed", "control", "control_average"}


def parse_candidate(raw, index: int) -> Candidate:
    if type(raw) is dict and len(raw) == 2 and "id" in raw and type(raw.get("grades")) is dict:
        # The usual shape, {"id", "grades"}: the same reading, without the checks that only the
        # other fields need.
        read = _READ.get
        return Candidate(
            str(raw["id"]),
            {
                u: v if (v := read(g)) is not None else parse_grade(g, f"candidat {raw['id']}", u)
                for u, g in raw["grades"].items()
            },
        )
    if not isinstance(raw, dict) or "id" not in raw:
        raise InputError(f"candidates[{index}] : objet avec un id attendu")
    who = f"candidat {raw['id']}"
    unknown = set(raw) - ALLOWED
    if unknown:
        raise InputError(f"{who} : champ(s) inconnu(s) {', '.join(sorted(unknown))}")
    for key in ("grades", "optional", "control"):
        if not isinstance(raw.get(key, {}), dict):
            raise InputError(f"{who} : {key} doit être un objet {{unité: note}}")
    if not isinstance(raw.get("dispensed", []), list):
        raise InputError(f"{who} : dispensed doit être une liste d'unités")
    read = _READ.get  # grades already read: most of a session's, without a call each
    grades = {
        u: v if (v := read(g)) is not None else parse_grade(g, who, u)
        for u, g in (raw.get("grades") or {}).items()
    }
    optional = {u: parse_grade(g, who, u) for u, g in (raw.get("optional") or {}).items()}
    control = {}
    for u, g in (raw.get("control") or {}).items():
        value = parse_grade(g, who, u)
        if not isinstance(value, int):
            raise InputError(f"{who} : épreuve de contrôle {u} : une note est attendue ({g!r})")
        control[u] = value
    c = Candidate(str(raw["id"]), grades, optional, frozenset(raw.get("dispensed") or []), control)
    if "control_average" in raw:
        value = parse_grade(raw["control_average"], who, "control_average")
        if not isinstance(value, int):
            raise InputError(f"{who} : control_average : une moyenne est attendue")
        c.control_average = value
    return c


def average_text(hundredths: int) -> str:
    return show_hundredths(hundredths, sep=".")


TITRE_ALLOWED = {"id", "ccp", "acquired_before"}


def parse_titre_candidate(raw, index: int, on: datetime.date | None = None) -> titre_pro.Candidate:
    if not isinstance(raw, dict) or "id" not in raw:
        raise InputError(f"candidates[{index}] : objet avec un id attendu")
    who = f"candidat {raw['id']}"
    unknown = set(raw) - TITRE_ALLOWED
    if unknown:
        raise InputError(f"{who} : champ(s) inconnu(s) {', '.join(sorted(unknown))}")
    if not isinstance(raw.get("ccp", {}), dict):
        raise InputError(f"{who} : ccp doit être un objet {{CCP: acquis | non_acquis}}")
    before = raw.get("acquired_before", [])
    if not isinstance(before, list) or not all(isinstance(x, str) for x in before):
        raise InputError(f"{who} : acquired_before doit être une liste de CCP")
    return titre_pro.Candidate(str(raw["id"]), dict(raw.get("ccp") or {}), frozenset(before), on)


def jury_date(data: dict) -> datetime.date:
    """The jury's date (`session_date`, AAAA-MM-JJ; today when absent): the capitalisation
    window of the titre is counted to it."""
    raw = data.get("session_date")
    if raw is None:
        return datetime.date.today()
    try:
        return datetime.date.fromisoformat(raw)
    except (TypeError, ValueError):
        raise InputError(f"session_date : date AAAA-MM-JJ attendue ({raw!r})") from None


def run_titre(scheme: titre_pro.Scheme, text: str) -> dict:
    data = load_object(text, "candidates")
    on = jury_date(data)
    candidates = [parse_titre_candidate(raw, i, on) for i, raw in enumerate(data["candidates"])]
    try:
        for c in candidates:
            titre_pro.check_candidate(scheme, c)
    except titre_pro.InputError as exc:
        raise InputError(str(exc)) from None
    return {
        "results": [
            {
                "id": r.id,
                "decision": r.decision,
                "ccp_acquired": r.acquired,
                "ccp_acquired_now": r.acquired_now,
                "ccp_missing": r.missing,
                "ccp_lapsed": r.lapsed,
                "reasons": r.reasons,
            }
            for r in (titre_pro.compute(scheme, c) for c in candidates)
        ],
        **({"titre": note} if (note := titre_pro.window_note(scheme, on)) else {}),
    }


def run(code: str, text: str) -> dict:
    return run_document(code, referentiel_document(code), text)


def run_document(code: str, doc: dict, text: str) -> dict:
    """The results for a référentiel's document (the family it names chooses the rule)."""
    if families.family_of(doc) == families.TITRE_PRO:
        return run_titre(titre_pro.scheme_from_referentiel(doc), text)
    scheme = scheme_from_referentiel(doc)
    rule = families.rule_for(doc)
    if not scheme.units:
        missing = "; ".join(doc.get("missing") or []) or "unités et coefficients"
        raise InputError(
            f"le référentiel {code} ne donne pas de règlement d'examen (manquant : {missing})"
        )
    raw_items = load_list(text, "candidates")
    candidates = [parse_candidate(raw, i) for i, raw in enumerate(raw_items)]
    for c in candidates:  # every candidate is checked before any result is computed
        rule.check(scheme, c)
    out = []
    for r in (rule.compute(scheme, c) for c in candidates):
        row = {
            "id": r.id,
            "decision": r.decision,
            "average": average_text(r.average),
            "reasons": r.reasons,
        }
        if rule.mentions:
            row["mention"] = r.mention
        out.append(row)
    return {"results": out}


def main(args) -> int:
    return run_json_command(
        args.input, lambda text: run(args.referentiel, text), (InputError, ReferentielFileError)
    )
