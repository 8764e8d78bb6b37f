"""What the JSON commands (`periods check`, `jury compute`) share: read a file or stdin, run, print.

Exit status 0 with the JSON on stdout; 2 with one message on stderr and nothing on stdout.
"""

from __future__ import annotations

import json
import sys
from collections.abc import Callable
from pathlib import Path


def run_json_command(
    input_path: str, compute: Callable[[str], dict], errors: tuple[type[Exception], ...]
) -> int:
    try:
        text = (
            sys.stdin.read() if input_path == "-" else Path(input_path).read_text(encoding="utf-8")
        )
    except OSError as exc:
        print(f"lecture impossible de {input_path} : {exc.strerror}", file=sys.stderr)
        return 2
    try:
        output = compute(text)
    except (*errors, JsonInputError) as exc:
        print(f"erreur : {exc}", file=sys.stderr)
        return 2
    json.dump(output, sys.stdout, ensure_ascii=False, indent=2)
    print()
    return 0


class JsonInputError(ValueError):
    pass


def load_list(text: str, key: str) -> list:
    """The list under `key` of a JSON object, or a JsonInputError naming the line and column."""
    try:
        data = json.loads(text)
    except json.JSONDecodeError as exc:
        raise JsonInputError(
            f"JSON invalide ligne {exc.lineno}, colonne {exc.colno} : {exc.msg}"
        ) from None
    if not isinstance(data, dict) or not isinstance(data.get(key), list):
        raise JsonInputError(f'l\'entrée doit être un objet {{"{key}": [...]}}')
    return data[key]
