"""`livret periods check`: the compliance engine on a JSON file, without a database.

Rules come from the référentiel file (data/referentiels/CODE_VERSION.yaml, newest version).
Exit status: 0 results printed; 2 bad input (message on stderr, nothing on stdout).
"""

from __future__ import annotations

import datetime
from fractions import Fraction

from livret.engine.periods import Case, InputError, Period, SchoolYear, check
from livret.jsoncli import load_list, run_json_command
from livret.referentiels.files import ReferentielFileError, referentiel_document


def _date(value, who, where) -> datetime.date:
    try:
        return datetime.date.fromisoformat(value)
    except (TypeError, ValueError):
        raise InputError(
            f"{who} : {where} doit être une date AAAA-MM-JJ (reçu : {value!r})"
        ) from None


ALLOWED = {"id", "status", "school_years", "periods", "derogation_weeks", "exam_date"}


def parse_case(raw: dict, index: int) -> Case:
    if not isinstance(raw, dict):
        raise InputError(f"learners[{index}] doit être un objet")
    who = f"apprenant {raw.get('id', f'learners[{index}]')}"
    if "id" not in raw:
        raise InputError(f"{who} : champ id manquant")
    unknown = set(raw) - ALLOWED
    if unknown:
        raise InputError(f"{who} : champ(s) inconnu(s) {', '.join(sorted(unknown))}")
    for key in ("status", "periods"):
        if key not in raw:
            raise InputError(f"{who} : champ {key} manquant")
    years = [
        SchoolYear(
            _date(y.get("start"), who, f"school_years[{i}].start"),
            _date(y.get("end"), who, f"school_years[{i}].end"),
        )
        for i, y in enumerate(raw.get("school_years") or [])
    ]
    periods = []
    for i, p in enumerate(raw["periods"]):
        if not isinstance(p, dict):
            raise InputError(f"{who} : periods[{i}] doit être un objet")
        periods.append(
            Period(
                _date(p.get("start"), who, f"periods[{i}].start"),
                _date(p.get("end"), who, f"periods[{i}].end"),
                str(p.get("company", "")),
                p.get("time", "full_time"),
            )
        )
    derogation = raw.get("derogation_weeks")
    if derogation is not None:
        if isinstance(derogation, bool) or not isinstance(derogation, int | float | str):
            raise InputError(f"{who} : derogation_weeks doit être un nombre")
        try:
            derogation = Fraction(str(derogation))
        except ValueError:
            raise InputError(
                f"{who} : derogation_weeks doit être un nombre (reçu : {derogation!r})"
            ) from None
    exam = _date(raw["exam_date"], who, "exam_date") if raw.get("exam_date") else None
    return Case(str(raw["id"]), raw["status"], years, periods, derogation, exam)


def run(code: str, text: str) -> dict:
    doc = referentiel_document(code)
    rules = (doc.get("work_placement") or {}).get("rules") or []
    raw_items = load_list(text, "learners")
    cases = [parse_case(raw, i) for i, raw in enumerate(raw_items)]
    ids = [c.id for c in cases]
    if len(set(ids)) != len(ids):
        raise InputError(
            "identifiants d'apprenants en double : "
            + ", ".join(sorted({i for i in ids if ids.count(i) > 1}))
        )
    results = [check(case, rules) for case in cases]  # check() validates each case before computing
    return {
        "results": [
            {
                "id": r.id,
                "applicable": r.applicable,
                "compliant": r.compliant,
                "weeks": float(round(r.weeks, 2)) if r.weeks.denominator != 1 else int(r.weeks),
                "violations": [{"rule": v.rule, "message": v.message} for v in r.violations],
            }
            for r in results
        ]
    }


def main(args) -> int:
    return run_json_command(
        args.input, lambda text: run(args.referentiel, text), (InputError, ReferentielFileError)
    )
