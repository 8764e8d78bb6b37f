"""Validate a référentiel file: structure first, then the rules between its parts.

Pure Python (no Django import): the CLI, the loader and the tests all call `validate_text`.
Every fault carries the file, the line and the path inside the file, and a plain French message.
The format itself is documented in docs/referentiel-format.md; the SPEC below is its
machine-readable twin, keep both in step.
"""

from __future__ import annotations

import datetime
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from decimal import Decimal

from .yamlsafe import Fault, Parsed, Path, format_path, parse

FORMAT_VERSION = 1
SLUG_RE = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
FORMS = ("ccf", "written", "oral", "practical", "practical_oral")
# Candidate statuses used by the periods engine (issue: periods in company).
PERIOD_STATUSES = ("school", "apprentice", "continuing", "perfecting")


# --- a small declarative schema -------------------------------------------------------------
@dataclass(frozen=True)
class T:
    """A field type. kind: str, int, number, bool, date, enum, list, obj, map."""

    kind: str
    required: bool = False
    of: object = None  # list item type, map value type, or enum values
    spec: dict | None = None  # fields of an object


def req(t: T) -> T:
    return T(t.kind, True, t.of, t.spec)


STR, INT, NUM, BOOL, DATE = T("str"), T("int"), T("number"), T("bool"), T("date")


def LIST(of: T) -> T:  # noqa: N802 - reads like a type
    return T("list", of=of)


def OBJ(**spec: T) -> T:  # noqa: N802
    return T("obj", spec=spec)


def ENUM(*values: str) -> T:  # noqa: N802
    return T("enum", of=values)


def MAP(of: T) -> T:  # noqa: N802
    return T("map", of=of)


CODED = {"code": req(STR), "title": req(STR)}
FORM = OBJ(
    form=req(ENUM(*FORMS)),
    label=STR,  # the seed's own wording, e.g. "Ponctuelle pratique et orale"
    duration_minutes=INT,
    preparation_minutes=INT,
    situations=INT,
    note=STR,
)
NOT_VALID = OBJ(code=req(STR), title=req(STR), forms=LIST(ENUM("ccf", "ponctual")))


def exam_spec(with_parts: bool) -> T:
    spec = dict(
        CODED,
        unit=STR,
        coefficient=NUM,
        optional=BOOL,
        forms=MAP(FORM),
        competences=LIST(STR),
        criteria=LIST(STR),
        not_valid_cases=LIST(NOT_VALID),
        note=STR,
    )
    if with_parts:
        spec["parts"] = LIST(exam_spec(False))
    return T("obj", spec=spec)


HOURS = OBJ(weekly=NUM, division=NUM, half_division=NUM, annual=NUM)
HOUR_LINE = OBJ(subject=req(STR), years=req(LIST(HOURS)), note=STR)

RULE = OBJ(
    id=req(STR),
    title=req(STR),
    statuses=req(LIST(ENUM(*PERIOD_STATUSES))),
    min_total_weeks=NUM,
    derogation_floor_weeks=NUM,
    min_consecutive_weeks=NUM,
    consecutive_scope=ENUM("each_school_year", "first_school_year", "any"),
    same_company=BOOL,
    over_school_years=INT,
    contract_replaces_periods=BOOL,
    # Weeks of consecutive rest each summer between two school years, inside the window
    # ["MM-DD", "MM-DD"] (the summer holidays' dates, when the text does not give them).
    summer_rest_weeks=NUM,
    summer_window=LIST(STR),
    employment_alternatives=LIST(
        OBJ(
            time=req(ENUM("full_time", "part_time")),
            months=req(NUM),
            within_months_before_exam=req(NUM),
        )
    ),
)

SPEC = OBJ(
    format=req(INT),
    id=req(STR),
    version=req(DATE),
    title=req(STR),
    short_title=STR,
    kind=req(ENUM("bts", "bac_pro", "cap", "titre_pro")),
    level=INT,
    rncp=req(OBJ(code=STR, valid_until=DATE, certifier=STR)),
    completeness=req(ENUM("complete", "partial")),
    missing=LIST(STR),
    sources=req(LIST(STR)),
    notes=LIST(STR),
    summary=STR,
    candidate_statuses=LIST(OBJ(**CODED, short_title=STR, note=STR)),
    poles=LIST(
        OBJ(
            **CODED,
            activities=LIST(
                OBJ(
                    **CODED,
                    tasks=LIST(OBJ(**CODED)),
                    competences=LIST(OBJ(**CODED)),
                    knowledge=LIST(OBJ(**CODED, limits=STR)),
                )
            ),
            evaluation_criteria=LIST(STR),
        )
    ),
    modules=LIST(
        OBJ(
            unit=req(STR),
            title=req(STR),
            hours=NUM,
            note=STR,
            groups=req(
                LIST(
                    OBJ(
                        **CODED,
                        competences=req(
                            LIST(OBJ(**CODED, knowledge=LIST(OBJ(title=req(STR), core=BOOL))))
                        ),
                    )
                )
            ),
        )
    ),
    competences=LIST(OBJ(**CODED)),
    blocs=LIST(
        OBJ(
            **CODED,
            optional=BOOL,
            unit=STR,
            skills=LIST(STR),
            activities=LIST(STR),
            competences=LIST(STR),
            # The fiche RNCP's « modalités d'évaluation » of the bloc, kept as a note.
            evaluation=STR,
        )
    ),
    # practice: a unit of the Bac pro's épreuve d'évaluation de la pratique professionnelle.
    units=LIST(OBJ(**CODED, domain=ENUM("general", "professional"), optional=BOOL, practice=BOOL)),
    exams=LIST(exam_spec(True)),
    dispensations=LIST(
        OBJ(code=req(STR), title=req(STR), grounds=req(LIST(STR)), units=req(LIST(STR)))
    ),
    pass_rule=OBJ(min_average=req(NUM), control_exams=BOOL, note=STR),
    # The certification's rule family and what its engine reads (titre professionnel: its CCPs,
    # each a bloc of the file, and the evaluation the jury decides on).
    certification=OBJ(
        family=req(ENUM("bts", "bac_pro", "cap", "titre_pro")),
        ccps=LIST(STR),
        evaluation=LIST(OBJ(**CODED, duration_minutes=NUM, note=STR)),
        # Bac pro: what the pupils obtain on the way (today the attestation de réussite
        # intermédiaire at the end of première, livret.engine.ari).
        intermediate=OBJ(title=req(STR), when=STR, statuses=LIST(STR), sources=LIST(STR), note=STR),
        sources=LIST(STR),
        note=STR,
    ),
    work_placement=OBJ(
        kind=req(ENUM("stage", "pfmp")),
        summary=STR,
        rules=LIST(RULE),
        agreement_annex=LIST(STR),
        notes=LIST(STR),
    ),
    hour_grid=OBJ(
        source=STR,
        lines=req(LIST(HOUR_LINE)),
        total=OBJ(years=req(LIST(HOURS))),
        extra=LIST(HOUR_LINE),
        optional=LIST(HOUR_LINE),
        note=STR,
    ),
)

TYPE_NAMES = {
    "str": "un texte",
    "int": "un nombre entier",
    "number": "un nombre",
    "bool": "oui/non (true/false)",
    "date": "une date AAAA-MM-JJ",
    "list": "une liste",
    "obj": "un objet (clé: valeur)",
    "map": "un objet (clé: valeur)",
}


def _describe(value: object) -> str:
    if isinstance(value, bool):
        return f"booléen {value}"
    if isinstance(value, int | float | Decimal):
        return f"nombre {value}"
    if isinstance(value, str):
        return f"texte « {value[:40]} »"
    if isinstance(value, list):
        return "une liste"
    if isinstance(value, dict):
        return "un objet"
    if isinstance(value, datetime.date):
        return f"date {value.isoformat()}"
    return "rien" if value is None else type(value).__name__


class Checker:
    def __init__(self, parsed: Parsed, filename: str):
        self.parsed = parsed
        self.filename = filename
        self.faults: list[Fault] = []

    def fault(self, path: Path, message: str) -> None:
        self.faults.append(
            Fault(self.filename, self.parsed.line_of(path), format_path(path), message)
        )

    # structure ------------------------------------------------------------------------------
    def check(self, value: object, t: T, path: Path) -> None:
        kind = t.kind
        ok = {
            "str": isinstance(value, str) and value.strip() != "",
            "int": isinstance(value, int) and not isinstance(value, bool),
            "number": isinstance(value, int | float) and not isinstance(value, bool),
            "bool": isinstance(value, bool),
            "date": isinstance(value, datetime.date) and not isinstance(value, datetime.datetime),
            "list": isinstance(value, list),
            "obj": isinstance(value, dict),
            "map": isinstance(value, dict),
            # (t.of is the values only for an enum: for a list it is the items' type)
            "enum": kind == "enum" and isinstance(value, str) and value in (t.of or ()),
        }[kind]
        if not ok:
            if kind == "enum":
                allowed = ", ".join(t.of)
                self.fault(
                    path, f"valeur {_describe(value)} inconnue ; valeurs permises : {allowed}"
                )
            elif kind == "str" and isinstance(value, str):
                self.fault(path, "texte vide")
            else:
                self.fault(path, f"doit être {TYPE_NAMES[kind]} (reçu : {_describe(value)})")
            return
        if kind == "list":
            for i, item in enumerate(value):
                self.check(item, t.of, path + (i,))
        elif kind == "map":
            for key, item in value.items():
                self.check(item, t.of, path + (key,))
        elif kind == "obj":
            for key, item in value.items():
                if key not in t.spec:
                    known = ", ".join(sorted(t.spec))
                    self.fault(path + (key,), f"clé inconnue « {key} » (clés permises : {known})")
                else:
                    self.check(item, t.spec[key], path + (key,))
            for key, sub in t.spec.items():
                if sub.required and key not in value:
                    self.fault(path, f"clé obligatoire « {key} » absente")


# --- walking a valid document ---------------------------------------------------------------
@dataclass
class Item:
    kind: str
    code: str
    path: Path
    data: dict


def _items(doc: dict, key: str, path: Path) -> Iterator[tuple[dict, Path]]:
    for i, item in enumerate(doc.get(key) or []):
        if isinstance(item, dict):
            yield item, path + (key, i)


def coded_items(doc: dict) -> Iterator[Item]:
    """Every item that carries a code, in file order."""
    for pole, pp in _items(doc, "poles", ()):
        yield Item("pole", pole.get("code"), pp, pole)
        for act, ap in _items(pole, "activities", pp):
            yield Item("activity", act.get("code"), ap, act)
            for kind, key in (
                ("task", "tasks"),
                ("competence", "competences"),
                ("knowledge", "knowledge"),
            ):
                for it, ip in _items(act, key, ap):
                    yield Item(kind, it.get("code"), ip, it)
    for mod, mp in _items(doc, "modules", ()):
        for grp, gp in _items(mod, "groups", mp):
            yield Item("module_group", grp.get("code"), gp, grp)
            for comp, cp in _items(grp, "competences", gp):
                yield Item("competence", comp.get("code"), cp, comp)
    for comp, cp in _items(doc, "competences", ()):
        yield Item("competence", comp.get("code"), cp, comp)
    for bloc, bp in _items(doc, "blocs", ()):
        yield Item("bloc", bloc.get("code"), bp, bloc)
    for unit, up in _items(doc, "units", ()):
        yield Item("unit", unit.get("code"), up, unit)
    for exam, ep in _items(doc, "exams", ()):
        yield Item("exam", exam.get("code"), ep, exam)
        for part, pp in _items(exam, "parts", ep):
            yield Item("exam", part.get("code"), pp, part)


def bloc_competences(doc: dict, bloc: dict) -> list[str]:
    """The competences a bloc covers: those listed, plus every competence of the listed activities."""
    codes = list(bloc.get("competences") or [])
    wanted = set(bloc.get("activities") or [])
    for pole in doc.get("poles") or []:
        for act in pole.get("activities") or []:
            if act.get("code") in wanted:
                codes += [c["code"] for c in act.get("competences") or []]
    return codes


# --- rules between parts --------------------------------------------------------------------
def _check_semantics(c: Checker, doc: dict) -> None:
    """The rules between parts of a structurally valid document, each family of rules in its
    own function; faults come in file order of the rules (header, codes, blocs, exams...)."""
    _check_header(c, doc)
    items = list(coded_items(doc))
    _check_unique_codes(c, items)
    by_kind: dict[str, set[str]] = {}
    for it in items:
        by_kind.setdefault(it.kind, set()).add(it.code)
    units = by_kind.get("unit", set())
    _check_blocs(c, doc, items, by_kind)
    for mod, mp in _items(doc, "modules", ()):
        _ref(c, mp + ("unit",), mod.get("unit"), units, "unité")
    _check_exams(c, doc, units, by_kind.get("competence", set()))
    for disp, dp in _items(doc, "dispensations", ()):
        for i, code in enumerate(disp.get("units") or []):
            _ref(c, dp + ("units", i), code, units, "unité")
    _check_certification(c, doc)
    _check_work_placement(c, doc)
    _check_hour_grid(c, doc.get("hour_grid"))


def _ref(c: Checker, path: Path, code: object, pool: set[str], what: str) -> None:
    if code not in pool:
        c.fault(path, f"{what} « {code} » inexistant(e) dans ce référentiel")


def _check_header(c: Checker, doc: dict) -> None:
    if doc.get("format") != FORMAT_VERSION:
        c.fault(
            ("format",),
            f"format {doc.get('format')!r} non pris en charge (attendu : {FORMAT_VERSION})",
        )
    if not SLUG_RE.match(doc.get("id", "")):
        c.fault(
            ("id",), "identifiant invalide : lettres minuscules, chiffres et tirets (ex. bts-mos)"
        )
    if doc.get("completeness") == "partial" and not doc.get("missing"):
        c.fault(
            ("completeness",), "un référentiel « partial » doit lister ce qui manque (clé missing)"
        )
    if doc.get("completeness") == "complete" and doc.get("missing"):
        c.fault(
            ("completeness",), "un référentiel « complete » ne peut pas lister de manques (missing)"
        )


def _check_unique_codes(c: Checker, items: list[Item]) -> None:
    seen: dict[str, Item] = {}
    for it in items:
        if it.code in seen:
            first = seen[it.code]
            c.fault(
                it.path + ("code",),
                f"code « {it.code} » en double (déjà utilisé ligne {c.parsed.line_of(first.path + ('code',))})",
            )
        else:
            seen[it.code] = it


def _check_blocs(c: Checker, doc: dict, items: list[Item], by_kind: dict[str, set[str]]) -> None:
    """Blocs: references, and every competence in at least one bloc."""
    covered: set[str] = set()
    for bloc, bp in _items(doc, "blocs", ()):
        for i, code in enumerate(bloc.get("competences") or []):
            _ref(c, bp + ("competences", i), code, by_kind.get("competence", set()), "compétence")
        for i, code in enumerate(bloc.get("activities") or []):
            _ref(c, bp + ("activities", i), code, by_kind.get("activity", set()), "activité")
        if "unit" in bloc:
            _ref(c, bp + ("unit",), bloc["unit"], by_kind.get("unit", set()), "unité")
        covered.update(bloc_competences(doc, bloc))
    for it in items:
        if it.kind == "competence" and it.code not in covered:
            c.fault(
                it.path + ("code",),
                f"la compétence « {it.code} » n'appartient à aucun bloc de compétences",
            )


def _check_exams(c: Checker, doc: dict, units: set[str], competences: set[str]) -> None:
    """Exams: units (each examined once, none forgotten), coefficients, forms, competences."""
    statuses = {s.get("code") for s in doc.get("candidate_statuses") or []}
    examined_units: dict[str, Path] = {}
    for exam, ep in _items(doc, "exams", ()):
        _check_exam(c, exam, ep, units, competences, statuses, examined_units)
        parts = list(_items(exam, "parts", ep))
        for part, pp in parts:
            _check_exam(c, part, pp, units, competences, statuses, examined_units)
        if parts and exam.get("coefficient") is not None:
            total = sum(Decimal(str(p.get("coefficient") or 0)) for p, _ in parts)
            if total != Decimal(str(exam["coefficient"])):
                c.fault(
                    ep + ("coefficient",),
                    f"le coefficient {exam['coefficient']} de l'épreuve diffère de la somme de ses sous-épreuves ({total})",
                )
    for unit, up in _items(doc, "units", ()):
        if doc.get("exams") and unit.get("code") not in examined_units:
            c.fault(up + ("code",), f"aucune épreuve n'évalue l'unité « {unit.get('code')} »")


def _check_exam(
    c: Checker,
    exam: dict,
    ep: Path,
    units: set[str],
    competences: set[str],
    statuses: set,
    examined_units: dict[str, Path],
) -> None:
    if "unit" in exam:
        _ref(c, ep + ("unit",), exam["unit"], units, "unité")
        if exam["unit"] in examined_units:
            c.fault(
                ep + ("unit",),
                f"l'unité « {exam['unit']} » est déjà évaluée par une autre épreuve",
            )
        examined_units[exam["unit"]] = ep
    coef = exam.get("coefficient")
    if coef is not None and coef <= 0:
        c.fault(
            ep + ("coefficient",),
            f"le coefficient doit être strictement positif (reçu : {coef})",
        )
    if "unit" not in exam and not exam.get("parts"):
        c.fault(ep, "une épreuve doit avoir une unité (unit) ou des sous-épreuves (parts)")
    for status in exam.get("forms") or {}:
        if status not in statuses:
            c.fault(
                ep + ("forms", status),
                f"statut de candidat « {status} » non déclaré dans candidate_statuses",
            )
    for i, code in enumerate(exam.get("competences") or []):
        _ref(c, ep + ("competences", i), code, competences, "compétence")
    for key, form in (exam.get("forms") or {}).items():
        if form.get("form") == "ccf" and "duration_minutes" in form and "situations" not in form:
            c.fault(
                ep + ("forms", key),
                "un CCF se décrit par son nombre de situations (situations)",
            )


def _check_certification(c: Checker, doc: dict) -> None:
    cert = doc.get("certification") or {}
    bloc_codes = {b.get("code") for b in doc.get("blocs") or []}
    for i, ccp in enumerate(cert.get("ccps") or []):
        if ccp not in bloc_codes:
            c.fault(("certification", "ccps", i), f"CCP « {ccp} » : aucun bloc de ce code")
    if cert.get("family") == "titre_pro" and not cert.get("ccps"):
        c.fault(("certification",), "un titre professionnel liste ses CCP (ccps)")
    # Bac pro: without the pratique professionnelle units, every candidate between 8 and 10
    # would silently lose the épreuve de contrôle (livret.engine.families.compute_bac_pro).
    family = cert.get("family") or doc.get("kind")
    units_given = [u for u in doc.get("units") or [] if isinstance(u, dict)]
    if family == "bac_pro" and units_given and not any(u.get("practice") for u in units_given):
        c.fault(
            ("units",),
            "un Bac pro marque les unités de l'épreuve de pratique professionnelle "
            "(practice: true) : sans elles, aucun candidat entre 8 et 10 n'aurait l'épreuve de contrôle",
        )


_MONTH_DAY = re.compile(r"(0[1-9]|1[0-2])-(0[1-9]|[12]\d|3[01])")


def _check_work_placement(c: Checker, doc: dict) -> None:
    rules = (doc.get("work_placement") or {}).get("rules") or []
    rule_ids: set[str] = set()
    for i, rule in enumerate(rules):
        rp = ("work_placement", "rules", i)
        if rule.get("id") in rule_ids:
            c.fault(rp + ("id",), f"règle « {rule.get('id')} » en double")
        rule_ids.add(rule.get("id"))
        floor, total = rule.get("derogation_floor_weeks"), rule.get("min_total_weeks")
        if floor is not None and total is not None and floor > total:
            c.fault(
                rp + ("derogation_floor_weeks",),
                f"le plancher de dérogation ({floor}) dépasse la durée exigée ({total})",
            )
        if "min_consecutive_weeks" in rule and "consecutive_scope" not in rule:
            c.fault(rp, "min_consecutive_weeks demande consecutive_scope")
        window = rule.get("summer_window")
        if window is not None and (
            len(window) != 2
            or not all(isinstance(d, str) and _MONTH_DAY.fullmatch(d) for d in window)
        ):
            c.fault(rp, 'summer_window : deux dates « MM-JJ » attendues, ex. ["07-01", "08-31"]')


HOUR_FIELDS = ("weekly", "division", "half_division", "annual")
HOUR_LABELS = {
    "weekly": "horaire hebdomadaire",
    "division": "division",
    "half_division": "½ division",
    "annual": "volume annuel",
}


def _check_hour_grid(c: Checker, grid: dict | None) -> None:
    if not grid or not grid.get("total"):
        return
    totals = grid["total"]["years"]
    for y, year_total in enumerate(totals):
        for fieldname in HOUR_FIELDS:
            if fieldname not in year_total:
                continue
            values = [
                line["years"][y].get(fieldname) for line in grid["lines"] if y < len(line["years"])
            ]
            total = sum(Decimal(str(v)) for v in values if v is not None)
            if total != Decimal(str(year_total[fieldname])):
                c.fault(
                    ("hour_grid", "total", "years", y, fieldname),
                    f"année {y + 1}, {HOUR_LABELS[fieldname]} : total déclaré {year_total[fieldname]}, "
                    f"somme des lignes {total}",
                )


@dataclass
class Result:
    filename: str
    data: dict | None = None
    faults: list[Fault] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.faults


def validate_text(text: str, filename: str) -> Result:
    parsed = parse(text, filename)
    result = Result(filename, faults=list(parsed.faults))
    if parsed.faults:
        return result
    checker = Checker(parsed, filename)
    checker.check(parsed.data, SPEC, ())
    if not checker.faults:
        _check_semantics(checker, parsed.data)
    result.faults = checker.faults
    if not result.faults:
        result.data = parsed.data
    return result


class TooLarge(ValueError):
    pass


def validate_bytes(raw: bytes, filename: str, max_bytes: int) -> Result:
    if len(raw) > max_bytes:
        return Result(
            filename,
            faults=[
                Fault(
                    filename, 0, "", f"fichier trop gros ({len(raw)} octets, maximum {max_bytes})"
                )
            ],
        )
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        return Result(
            filename,
            faults=[Fault(filename, 0, "", f"le fichier n'est pas en UTF-8 (octet {exc.start})")],
        )
    return validate_text(text, filename)


def validate_file(path: str, max_bytes: int = 2 * 1024 * 1024) -> Result:
    import os

    try:
        size = os.path.getsize(path)
        if size > max_bytes:
            return Result(
                path,
                faults=[
                    Fault(path, 0, "", f"fichier trop gros ({size} octets, maximum {max_bytes})")
                ],
            )
        with open(path, "rb") as fh:
            raw = fh.read(max_bytes + 1)
    except OSError as exc:
        return Result(path, faults=[Fault(path, 0, "", f"lecture impossible : {exc.strerror}")])
    return validate_bytes(raw, path, max_bytes)
