"""Read a YAML document into plain Python data, keeping the line of every value.

Pure Python (no Django). Safer than `yaml.safe_load` for files that come from outside:
- anchors and aliases are refused (no "billion laughs" expansion);
- duplicate keys are reported instead of silently keeping the last one;
- only one document per file;
- every value's line is kept so that a later check can say `file:line`.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import yaml
from yaml.constructor import SafeConstructor

Path = tuple[str | int, ...]


@dataclass(frozen=True)
class Fault:
    file: str
    line: int
    path: str
    message: str

    def __str__(self) -> str:
        where = f"{self.file}:{self.line}" if self.line else self.file
        if self.path:
            return f"{where}: {self.path}: {self.message}"
        return f"{where}: {self.message}"


def format_path(path: Path) -> str:
    out = ""
    for part in path:
        if isinstance(part, int):
            out += f"[{part}]"
        else:
            out += ("." if out else "") + part
    return out


@dataclass
class Parsed:
    data: object = None
    lines: dict[Path, int] = field(default_factory=dict)
    faults: list[Fault] = field(default_factory=list)

    def line_of(self, path: Path) -> int:
        """The line of `path`, or of its nearest ancestor that has one."""
        path = tuple(path)
        while path:
            if path in self.lines:
                return self.lines[path]
            path = path[:-1]
        return self.lines.get((), 1)


class _ScalarConstructor(SafeConstructor):
    pass


# libyaml's parser when the wheel has it (several times faster); same events, same marks.
_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


def parse(text: str, filename: str) -> Parsed:
    result = Parsed()

    def fault(line: int, path: Path, message: str) -> None:
        result.faults.append(Fault(filename, line, format_path(path), message))

    # First pass over the event stream: refuse anchors/aliases and multiple documents.
    try:
        documents = 0
        for event in yaml.parse(text, Loader=_LOADER):
            line = event.start_mark.line + 1
            if isinstance(event, yaml.DocumentStartEvent):
                documents += 1
                if documents > 1:
                    fault(line, (), "un seul document YAML par fichier (« --- » en trop)")
                    return result
            if isinstance(event, yaml.AliasEvent) or getattr(event, "anchor", None):
                fault(
                    line, (), "les ancres et alias YAML (& et *) sont refusés dans un référentiel"
                )
                return result
        root = yaml.compose(text, Loader=_LOADER)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None) or getattr(exc, "context_mark", None)
        line = mark.line + 1 if mark else 0
        problem = getattr(exc, "problem", None) or str(exc)
        fault(line, (), f"syntaxe YAML invalide : {problem}")
        return result

    if root is None:
        fault(1, (), "le fichier est vide")
        return result

    constructor = _ScalarConstructor()

    def walk(node: yaml.Node, path: Path) -> object:
        result.lines[path] = node.start_mark.line + 1
        if isinstance(node, yaml.MappingNode):
            out: dict[str, object] = {}
            for key_node, value_node in node.value:
                line = key_node.start_mark.line + 1
                if not isinstance(key_node, yaml.ScalarNode):
                    fault(line, path, "une clé doit être un texte simple")
                    continue
                key = str(constructor.construct_object(key_node))
                if key in out:
                    fault(line, path + (key,), f"clé « {key} » en double")
                    continue
                out[key] = walk(value_node, path + (key,))
                result.lines[path + (key,)] = line
            return out
        if isinstance(node, yaml.SequenceNode):
            return [walk(item, path + (i,)) for i, item in enumerate(node.value)]
        try:
            return constructor.construct_object(node)
        except (yaml.YAMLError, ValueError) as exc:
            fault(node.start_mark.line + 1, path, f"valeur illisible : {exc}")
            return None

    result.data = walk(root, ())
    return result
