"""Compare two versions of a référentiel: codes added, removed, renamed, moved, retitled.

Pure Python (no Django): works on the documents (a draft's or a published version's).
A code is « renamed » when it disappears while a new code of the same kind has the identical
title; « moved » when the same code now sits under another parent (pôle/activité, module group);
« retitled » when the same code has another title.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field

from .validator import coded_items


def _key(title: str) -> str:
    text = "".join(
        c for c in unicodedata.normalize("NFKD", title or "") if not unicodedata.combining(c)
    )
    return re.sub(r"[^a-z0-9]+", " ", text.casefold()).strip()


def _index(doc: dict) -> dict[str, tuple[str, str, str]]:
    """code → (kind, title, parent path)."""
    out = {}
    for item in coded_items(doc):
        parent = ".".join(str(p) for p in item.path[:-2])
        out[item.code] = (item.kind, item.data.get("title", ""), parent)
    return out


@dataclass
class Comparison:
    added: list[tuple[str, str, str]] = field(default_factory=list)  # (kind, code, title)
    removed: list[tuple[str, str, str]] = field(default_factory=list)
    renamed: list[tuple[str, str, str, str]] = field(
        default_factory=list
    )  # (kind, old, new, title)
    moved: list[tuple[str, str]] = field(default_factory=list)  # (kind, code)
    retitled: list[tuple[str, str, str, str]] = field(default_factory=list)  # kind, code, old, new

    @property
    def same(self) -> bool:
        return not (self.added or self.removed or self.renamed or self.moved or self.retitled)


def compare(old: dict, new: dict) -> Comparison:
    a, b = _index(old), _index(new)
    result = Comparison()
    gone = {code: v for code, v in a.items() if code not in b}
    came = {code: v for code, v in b.items() if code not in a}
    by_title: dict[tuple[str, str], list[str]] = {}
    for code, (kind, title, _) in came.items():
        by_title.setdefault((kind, _key(title)), []).append(code)
    for code, (kind, title, _) in gone.items():
        match = by_title.get((kind, _key(title))) or []
        if match:
            new_code = match.pop(0)
            came.pop(new_code)
            result.renamed.append((kind, code, new_code, title))
        else:
            result.removed.append((kind, code, title))
    result.added = [(kind, code, title) for code, (kind, title, _) in came.items()]
    for code in a.keys() & b.keys():
        (kind, t1, p1), (_, t2, p2) = a[code], b[code]
        if kind in ("competence", "task", "knowledge", "activity") and _parents(
            a, p1, old
        ) != _parents(b, p2, new):
            result.moved.append((kind, code))
        if t1 != t2:
            result.retitled.append((kind, code, t1, t2))
    result.moved.sort(key=lambda x: x[1])
    result.retitled.sort(key=lambda x: x[1])
    return result


def _parents(index, parent_path: str, doc: dict) -> str:
    """The codes of an item's parents (pôle, activité, groupe), not their positions."""
    node, codes = doc, []
    for part in parent_path.split("."):
        if not part:
            continue
        node = node[int(part)] if part.isdigit() else node.get(part)
        if isinstance(node, dict) and "code" in node:
            codes.append(node["code"])
    return "/".join(codes)
