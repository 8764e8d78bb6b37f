"""What the JSON commands (`periods check`, `jury compute`) share: read a file or stdin, run, print.

Exit status 0 with the JSON on stdout; 2 with one message on stderr and nothing on stdout.
"""

from __future__ import annotations

import gc
import sys
from collections.abc import Callable
from pathlib import Path

import orjson  # the standard library's json costs a fifth of `jury compute` on 100,000 candidates


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
    # A batch builds 100,000s of small objects with no reference cycle: the cycle collector
    # would scan them again and again (a third of `jury compute`); reference counting frees them.
    gc.disable()
    try:
        output = compute(text)
    except (*errors, JsonInputError) as exc:
        print(f"erreur : {exc}", file=sys.stderr)
        return 2
    write(output)
    return 0


def write(output: dict) -> None:
    """Indented JSON (orjson: the standard library's indenting encoder is pure Python, and took
    longer to print 100,000 results than to compute them)."""
    sys.stdout.flush()
    sys.stdout.buffer.write(orjson.dumps(output, option=orjson.OPT_INDENT_2) + b"\n")
    sys.stdout.buffer.flush()


class JsonInputError(ValueError):
    pass


def load_list(text: str, key: str) -> list:
    """The list under `key` of a JSON object, or a JsonInputError naming the line and column."""
    return load_object(text, key)[key]


def load_object(text: str, key: str) -> dict:
    """The JSON object holding a list under `key` (load_list, with the object's other fields)."""
    try:
        data = orjson.loads(text)
    except orjson.JSONDecodeError as exc:
        raise JsonInputError(
            f"JSON invalide ligne {exc.lineno}, colonne {exc.colno} : {exc.msg}"
        ) from None
    if not isinstance(data, dict) or not isinstance(data.get(key), list):
        raise JsonInputError(f'l\'entrée doit être un objet {{"{key}": [...]}}')
    return data
