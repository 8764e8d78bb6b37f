"""List the functions of livret/ longer than a limit (60 lines by default), longest first.

    python scripts/long_functions.py [limit]

A long function is not wrong in itself; the list says where a part with a name of its own may be
hiding (issue 26). Migrations are left out. Read with `ast`: no Django set-up."""

from __future__ import annotations

import ast
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent / "livret"


def long_functions(root: Path = ROOT, limit: int = 60) -> list[tuple[int, str, str]]:
    found = []
    for path in sorted(root.rglob("*.py")):
        if "migrations" in path.parts:
            continue
        tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
        for node in ast.walk(tree):
            if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
                length = node.end_lineno - node.lineno + 1
                if length > limit:
                    where = f"{path.relative_to(root.parent)}:{node.lineno}"
                    found.append((length, where, node.name))
    return sorted(found, reverse=True)


if __name__ == "__main__":
    limit = int(sys.argv[1]) if len(sys.argv) > 1 else 60
    rows = long_functions(limit=limit)
    for length, where, name in rows:
        print(f"{length:4d}  {where}  {name}")
    print(f"{len(rows)} functions over {limit} lines")
