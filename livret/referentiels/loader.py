"""Load validated référentiel files into the database.

All files of one call load in one transaction: one bad file and nothing is loaded. Loading a file
whose (diploma, version) is already there with the same content changes nothing; with another
content it is refused (a published version is never rewritten: evaluations point at its rows).
A new version is added beside the old ones, which stay with everything attached to them.
"""

from __future__ import annotations

import hashlib
import json
import os
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from . import models as m
from .text import normalize
from .validator import Fault, Result, bloc_competences, validate_bytes


class LoadError(Exception):
    def __init__(self, faults: list[Fault]):
        super().__init__("\n".join(str(f) for f in faults))
        self.faults = faults


@dataclass
class Loaded:
    filename: str
    referentiel: m.Referentiel
    created: bool


def default_files() -> list[Path]:
    return sorted(Path(settings.REFERENTIEL_DIR).glob("*.yaml"))


def _read(path: str | os.PathLike) -> tuple[bytes, Result | None]:
    name = str(path)
    max_bytes = settings.REFERENTIEL_MAX_BYTES
    try:
        size = os.path.getsize(path)
        if size > max_bytes:
            return b"", Result(
                name,
                faults=[
                    Fault(name, 0, "", f"fichier trop gros ({size} octets, maximum {max_bytes})")
                ],
            )
        with open(path, "rb") as fh:
            return fh.read(max_bytes + 1), None
    except OSError as exc:
        return b"", Result(
            name, faults=[Fault(name, 0, "", f"lecture impossible : {exc.strerror}")]
        )


def load_files(paths: list[str | os.PathLike]) -> list[Loaded]:
    """Validate every file, then load them all in one transaction (all or nothing)."""
    prepared = []
    faults: list[Fault] = []
    for path in paths:
        raw, failed = _read(path)
        result = failed or validate_bytes(raw, str(path), settings.REFERENTIEL_MAX_BYTES)
        faults += result.faults
        if result.ok:
            prepared.append((str(path), raw, result.data))
    if faults:
        raise LoadError(faults)
    with transaction.atomic():
        return [_load_one(name, raw, data) for name, raw, data in prepared]


def load_bytes(raw: bytes, filename: str) -> Loaded:
    result = validate_bytes(raw, filename, settings.REFERENTIEL_MAX_BYTES)
    if not result.ok:
        raise LoadError(result.faults)
    with transaction.atomic():
        return _load_one(filename, raw, result.data)


def _jsonable(data: object) -> object:
    """Dates become ISO strings, as they will come back out of a JSONField anyway."""
    return json.loads(json.dumps(data, default=lambda v: v.isoformat()))


def _load_one(filename: str, raw: bytes, doc: dict) -> Loaded:
    sha = hashlib.sha256(raw).hexdigest()
    diploma, _ = m.Diploma.objects.get_or_create(
        slug=doc["id"],
        defaults={
            "title": doc["title"],
            "short_title": doc.get("short_title", ""),
            "kind": doc["kind"],
        },
    )
    existing = m.Referentiel.objects.filter(diploma=diploma, version=doc["version"]).first()
    if existing:
        if existing.sha256 == sha:
            return Loaded(filename, existing, created=False)
        raise LoadError(
            [
                Fault(
                    filename,
                    0,
                    "version",
                    f"la version {doc['version'].isoformat()} de « {doc['id']} » est déjà chargée avec un autre "
                    "contenu ; une version publiée ne se modifie pas : donnez une nouvelle date de version",
                )
            ]
        )
    ref = m.Referentiel.objects.create(
        diploma=diploma,
        version=doc["version"],
        title=doc["title"],
        rncp_code=(doc.get("rncp") or {}).get("code", ""),
        completeness=doc["completeness"],
        document=_jsonable(doc),
        sha256=sha,
        source_name=os.path.basename(filename),
        status=m.Referentiel.DRAFT,
    )
    create_items(ref, doc)
    # Rows are written while the version is a draft; a loaded file is published at once.
    mark_published(ref)
    return Loaded(filename, ref, created=True)


def mark_published(ref: m.Referentiel, user=None) -> None:
    ref.status = m.Referentiel.PUBLISHED
    ref.published_at = timezone.now()
    ref.published_by = user
    ref.save(update_fields=["status", "published_at", "published_by"])
    follow_newest(ref.diploma)


def follow_newest(diploma: m.Diploma) -> None:
    """The diploma's label follows its newest version published for all."""
    current = diploma.current()
    if current is None:
        return
    doc = current.document
    diploma.title, diploma.short_title, diploma.kind = (
        doc["title"],
        doc.get("short_title", ""),
        doc["kind"],
    )
    diploma.save()


def _search(*parts: object) -> str:
    return normalize(" ".join(str(p) for p in parts if p))


def create_items(ref: m.Referentiel, doc: dict) -> None:
    """The version's rows, in file order: one position counter runs through them all."""
    pos = iter(range(1, 1_000_000))
    unit_by_code = _create_units(ref, doc, pos)
    tree = _build_tree(ref, doc, pos)
    tree.competences += _module_competences(ref, doc, pos, unit_by_code)
    tree.competences += _flat_competences(ref, doc, pos)
    _save_tree(tree)
    competence_by_code = {c.code: c for c in tree.competences}
    _create_blocs(ref, doc, pos, unit_by_code, competence_by_code)
    _create_exams(ref, doc, pos, unit_by_code, competence_by_code)


def _create_units(ref, doc: dict, pos) -> dict[str, m.Unit]:
    units = m.Unit.objects.bulk_create(
        m.Unit(
            referentiel=ref,
            code=u["code"],
            title=u["title"],
            position=next(pos),
            domain=u.get("domain", ""),
            optional=u.get("optional", False),
            search_text=_search(u["code"], u["title"]),
        )
        for u in doc.get("units") or []
    )
    return {u.code: u for u in units}


@dataclass
class _Tree:
    """Poles, activities and what hangs from them, built before any is saved."""

    poles: list = field(default_factory=list)
    activities: list = field(default_factory=list)
    tasks: list = field(default_factory=list)
    knowledge: list = field(default_factory=list)
    competences: list = field(default_factory=list)


def _build_tree(ref, doc: dict, pos) -> _Tree:
    tree = _Tree()
    for p in doc.get("poles") or []:
        pole = m.Pole(
            referentiel=ref,
            code=p["code"],
            title=p["title"],
            position=next(pos),
            search_text=_search(p["code"], p["title"]),
        )
        tree.poles.append(pole)
        for a in p.get("activities") or []:
            act = m.Activity(
                referentiel=ref,
                pole=pole,
                code=a["code"],
                title=a["title"],
                position=next(pos),
                search_text=_search(a["code"], a["title"]),
            )
            tree.activities.append(act)
            _activity_items(ref, a, act, pos, tree)
    return tree


def _activity_items(ref, a: dict, act, pos, tree: _Tree) -> None:
    for t in a.get("tasks") or []:
        tree.tasks.append(
            m.Task(
                referentiel=ref,
                activity=act,
                code=t["code"],
                title=t["title"],
                position=next(pos),
                search_text=_search(t["code"], t["title"]),
            )
        )
    for c in a.get("competences") or []:
        tree.competences.append(
            m.Competence(
                referentiel=ref,
                activity=act,
                code=c["code"],
                title=c["title"],
                position=next(pos),
                search_text=_search(c["code"], c["title"]),
            )
        )
    for k in a.get("knowledge") or []:
        tree.knowledge.append(
            m.Knowledge(
                referentiel=ref,
                activity=act,
                code=k["code"],
                title=k["title"],
                limits=k.get("limits", ""),
                position=next(pos),
                search_text=_search(k["code"], k["title"], k.get("limits")),
            )
        )


def _module_competences(ref, doc: dict, pos, unit_by_code) -> list:
    """A module-shaped file's competences (Bac pro, CAP): grouped, each with its knowledge lines."""
    out = []
    for mod in doc.get("modules") or []:
        for g in mod["groups"]:
            for c in g["competences"]:
                lines = c.get("knowledge") or []
                out.append(
                    m.Competence(
                        referentiel=ref,
                        module_unit=unit_by_code.get(mod["unit"]),
                        group_code=g["code"],
                        group_title=g["title"],
                        code=c["code"],
                        title=c["title"],
                        knowledge_lines=lines,
                        position=next(pos),
                        search_text=_search(
                            c["code"], c["title"], *(line["title"] for line in lines)
                        ),
                    )
                )
    return out


def _flat_competences(ref, doc: dict, pos) -> list:
    return [
        m.Competence(
            referentiel=ref,
            code=c["code"],
            title=c["title"],
            position=next(pos),
            search_text=_search(c["code"], c["title"]),
        )
        for c in doc.get("competences") or []
    ]


def _save_tree(tree: _Tree) -> None:
    # bulk_create fills primary keys (PostgreSQL and SQLite ≥ 3.35), so children can point at parents.
    m.Pole.objects.bulk_create(tree.poles)
    for a in tree.activities:
        a.pole_id = a.pole.pk
    m.Activity.objects.bulk_create(tree.activities)
    for row in [*tree.tasks, *tree.knowledge, *tree.competences]:
        if getattr(row, "activity", None) is not None:
            row.activity_id = row.activity.pk
    m.Task.objects.bulk_create(tree.tasks)
    m.Knowledge.objects.bulk_create(tree.knowledge)
    m.Competence.objects.bulk_create(tree.competences)


def _create_blocs(ref, doc: dict, pos, unit_by_code, competence_by_code) -> None:
    blocs = m.Bloc.objects.bulk_create(
        [
            m.Bloc(
                referentiel=ref,
                code=b["code"],
                title=b["title"],
                optional=b.get("optional", False),
                unit=unit_by_code.get(b.get("unit")),
                skills=b.get("skills") or [],
                position=next(pos),
                search_text=_search(b["code"], b["title"], *(b.get("skills") or [])),
            )
            for b in doc.get("blocs") or []
        ]
    )
    m.Bloc.competences.through.objects.bulk_create(
        m.Bloc.competences.through(bloc_id=bloc.pk, competence_id=competence_by_code[code].pk)
        for bloc, b in zip(blocs, doc.get("blocs") or [], strict=True)
        for code in dict.fromkeys(bloc_competences(doc, b))
    )


def _create_exams(ref, doc: dict, pos, unit_by_code, competence_by_code) -> None:
    """Épreuves and their parts (a row each, the part pointing at its épreuve), depth first."""
    links = []

    def make_exam(e: dict, parent: m.Exam | None) -> m.Exam:
        exam = m.Exam.objects.create(
            referentiel=ref,
            parent=parent,
            code=e["code"],
            title=e["title"],
            position=next(pos),
            unit=unit_by_code.get(e.get("unit")),
            coefficient=Decimal(str(e["coefficient"]))
            if e.get("coefficient") is not None
            else None,
            optional=e.get("optional", False),
            forms=e.get("forms") or {},
            criteria=e.get("criteria") or [],
            not_valid_cases=e.get("not_valid_cases") or [],
            note=e.get("note", ""),
            search_text=_search(e["code"], e["title"]),
        )
        links.extend(
            m.Exam.competences.through(exam_id=exam.pk, competence_id=competence_by_code[code].pk)
            for code in e.get("competences") or []
        )
        for part in e.get("parts") or []:
            make_exam(part, exam)
        return exam

    for e in doc.get("exams") or []:
        make_exam(e, None)
    m.Exam.competences.through.objects.bulk_create(links)
