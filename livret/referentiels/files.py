"""Référentiel files read straight from data/referentiels/, without a database (the JSON commands)."""

from __future__ import annotations

from pathlib import Path

from livret.referentiels.validator import validate_file


class ReferentielFileError(ValueError):
    """No such référentiel file, or an invalid one."""


DATA = Path(__file__).resolve().parents[2] / "data" / "referentiels"


def referentiel_document(code: str, directory: Path = DATA) -> dict:
    files = sorted(directory.glob(f"{code}_*.yaml"))
    if not files:
        known = sorted({f.name.split("_")[0] for f in directory.glob("*.yaml")})
        raise ReferentielFileError(f"référentiel « {code} » inconnu (connus : {', '.join(known)})")
    result = validate_file(str(files[-1]))
    if not result.ok:
        raise ReferentielFileError(f"référentiel {files[-1].name} invalide : {result.faults[0]}")
    return result.data
