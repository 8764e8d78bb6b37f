"""The floors of the code, top to bottom, declared once; and the check that every import points
down a floor or within one, with no circle between units.

A unit is an app package (livret.competences) or a top-level module (livret.access). Every
import of every module under livret/ counts — at module level or inside a function, relative
ones resolved — except the migrations'. A module of no floor is reported too, so a new app
says where it stands.

    python -m livret.layers        # prints the arrows up and the circles; exit 1 if any

(no database, no Django set-up: the files are read with `ast`).
"""

from __future__ import annotations

import ast
import sys
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path

# Top to bottom. An import may point at its own floor or any floor below, never above.
LAYERS: list[tuple[str, tuple[str, ...]]] = [
    (
        "entry points",
        (
            "livret.urls",
            "livret.cli",
            "livret.jury_cli",
            "livret.periods_cli",
            "livret.jsoncli",
            "livret.wsgi",
            "livret.__main__",
            "livret.settings",
            "livret.api",
            "livret.layers",
        ),
    ),
    # Orchestration over many apps: demo centres, imports, archive and restore, personal-data
    # export and erasure, the scheduler.
    ("ops", ("livret.ops",)),
    # « Mon centre »: the centre's records, one registry of their kinds.
    ("centre", ("livret.centre",)),
    # The domain apps, each with its scopes.py, queries.py, services.py, views.py.
    (
        "domain",
        (
            "livret.competences",
            "livret.periods",
            "livret.exams",
            "livret.bulletins",
            "livret.surveys",
            "livret.vae",
            "livret.credentials",
            "livret.threads",
            "livret.workshop",
            "livret.attendance",
        ),
    ),
    # Roles as predicates, rules, the people-level scopes; form helpers, layout, shared pages.
    ("access and web", ("livret.access", "livret.web")),
    # The ground the apps stand on.
    (
        "ground",
        (
            "livret.people",
            "livret.notifications",
            "livret.jobs",
            "livret.referentiels",
            "livret.privacy",
            "livret.lifecycle",
            "livret.tables",
            "livret.exports",
            "livret.personal_data",
            "livret.instance_keys",
            "livret.uploads",
        ),
    ),
    # Pure rules, no Django.
    ("engine", ("livret.engine",)),
]


@dataclass(frozen=True)
class Arrow:
    source: str  # module
    target: str  # module
    path: str  # file of the source, relative to the package's parent
    line: int

    def __str__(self) -> str:
        return f"{self.path}:{self.line}: {self.source} → {self.target}"


@dataclass
class Report:
    floors: dict[str, int]  # module → floor index (0 = top)
    edges: list[Arrow]
    up: list[Arrow] = field(default_factory=list)
    # Each circle: units that import one another, directly or round about (a strongly connected
    # component of the units' graph), with one import for each arrow between two of them.
    circles: list[list[str]] = field(default_factory=list)
    circle_arrows: list[list[Arrow]] = field(default_factory=list)
    unplaced: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not (self.up or self.circles or self.unplaced)


def modules(root: Path, package: str) -> dict[str, Path]:
    """Every module of the package (dotted name → file), migrations left out."""
    found = {}
    for path in sorted(root.rglob("*.py")):
        rel = path.relative_to(root.parent).with_suffix("")
        if "migrations" in rel.parts:
            continue
        parts = list(rel.parts)
        if parts[-1] == "__init__":
            parts.pop()
        found[".".join(parts)] = path
    return found


def _imports(path: Path, name: str, known: dict[str, Path], package: str):
    """(target module, line) for every import of the package in one file."""
    tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
    here = name if path.name == "__init__.py" else name.rpartition(".")[0]
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            for alias in node.names:
                yield alias.name, node.lineno
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = here.split(".")
                base = base[: len(base) - (node.level - 1)]
                mod = ".".join(base + ([node.module] if node.module else []))
            else:
                mod = node.module or ""
            for alias in node.names:
                full = f"{mod}.{alias.name}"
                # `from pkg import module` names a module; `from module import name` does not.
                yield (full if full in known else mod), node.lineno


def _resolve(target: str, known: dict[str, Path]) -> str | None:
    while target and target not in known:
        target = target.rpartition(".")[0]
    return target or None


def unit_of(module: str) -> str:
    return ".".join(module.split(".")[:2])


def floor_of(module: str, layers) -> int | None:
    best, best_len = None, -1
    for index, (_, prefixes) in enumerate(layers):
        for prefix in prefixes:
            if (module == prefix or module.startswith(prefix + ".")) and len(prefix) > best_len:
                best, best_len = index, len(prefix)
    return best


def _cycles(graph: dict[str, set[str]]) -> list[list[str]]:
    """The strongly connected components of more than one unit (Tarjan), each as one circle."""
    index, low, stack, on, out = {}, {}, [], set(), []
    counter = [0]

    def visit(v):
        index[v] = low[v] = counter[0]
        counter[0] += 1
        stack.append(v)
        on.add(v)
        for w in sorted(graph.get(v, ())):
            if w not in index:
                visit(w)
                low[v] = min(low[v], low[w])
            elif w in on:
                low[v] = min(low[v], index[w])
        if low[v] == index[v]:
            component = []
            while True:
                w = stack.pop()
                on.discard(w)
                component.append(w)
                if w == v:
                    break
            if len(component) > 1:
                out.append(sorted(component))

    for v in sorted(graph):
        if v not in index:
            visit(v)
    return out


def check(root: Path, package: str = "livret", layers=None) -> Report:
    layers = LAYERS if layers is None else layers
    known = modules(root, package)
    floors, unplaced = {}, []
    for name in known:
        if name == package:
            continue  # the package's own __init__: its imports are still read below
        floor = floor_of(name, layers)
        if floor is None:
            unplaced.append(name)
        else:
            floors[name] = floor
    edges, seen = [], set()
    for name, path in known.items():
        for target, line in _imports(path, name, known, package):
            if not (target == package or target.startswith(package + ".")):
                continue
            resolved = _resolve(target, known)
            if resolved is None or resolved == name:
                continue
            if (name, resolved, line) in seen:
                continue
            seen.add((name, resolved, line))
            edges.append(Arrow(name, resolved, str(path.relative_to(root.parent)), line))
    report = Report(floors=floors, edges=edges, unplaced=sorted(unplaced))
    graph: dict[str, set[str]] = defaultdict(set)
    by_pair: dict[tuple[str, str], list[Arrow]] = defaultdict(list)
    for arrow in edges:
        a, b = floors.get(arrow.source), floors.get(arrow.target)
        if arrow.source == package or arrow.target == package:
            # The package's own __init__ stands above everything and is imported by no one.
            if arrow.target == package:
                report.up.append(arrow)
            continue
        if a is not None and b is not None and b < a:
            report.up.append(arrow)
        ua, ub = unit_of(arrow.source), unit_of(arrow.target)
        if ua != ub:
            graph[ua].add(ub)
            by_pair[(ua, ub)].append(arrow)
    for component in _cycles(graph):
        members = set(component)
        report.circles.append(component)
        report.circle_arrows.append(
            [arrows[0] for (a, b), arrows in sorted(by_pair.items()) if {a, b} <= members]
        )
    return report


def describe(report: Report, layers=None) -> str:
    layers = LAYERS if layers is None else layers
    lines = []
    for arrow in report.up:
        src, dst = report.floors.get(arrow.source), report.floors.get(arrow.target)
        names = (
            f" ({layers[src][0]} → {layers[dst][0]})" if src is not None and dst is not None else ""
        )
        lines.append(f"arrow up: {arrow}{names}")
    for units, arrows in zip(report.circles, report.circle_arrows, strict=True):
        lines.append("circle between " + ", ".join(units) + ":")
        lines += [f"    {arrow}" for arrow in arrows]
    for name in report.unplaced:
        lines.append(f"no floor: {name} (add it to livret.layers.LAYERS)")
    lines.append(
        f"{len(report.edges)} imports read; {len(report.up)} arrows up, "
        f"{len(report.circles)} circles, {len(report.unplaced)} modules without a floor"
    )
    return "\n".join(lines)


def main(argv=None) -> int:
    root = Path(__file__).resolve().parent
    report = check(root)
    print(describe(report))
    return 0 if report.ok else 1


if __name__ == "__main__":
    sys.exit(main())
