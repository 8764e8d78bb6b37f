"""The workshop's edits of a draft's document, one function per part of a diploma.

Each edit changes a document (a plain dict, edited in place) and returns where the part it wrote
sits in the document: `{field name: path, or a tuple of paths}` with paths written as the validator writes them
(`units[2].code`), and the key `""` for the part's own root. The validator's faults are then
shown beside the field whose path they fall under (livret.workshop.services.faults_by_field),
while one types (the validate endpoint applies the edit to a copy) or after saving.

A value the document cannot take at all (a unit without a code, a duration that is not a
number, an activity that does not exist) raises EditError naming the field; everything else is
left to the validator, which speaks for the whole file.
"""

from __future__ import annotations

from decimal import Decimal, InvalidOperation

from livret.referentiels.validator import coded_items
from livret.referentiels.yamlsafe import format_path


class EditError(ValueError):
    """A value the form cannot take; `field` names the form field it belongs beside (or None)."""

    def __init__(self, message: str, field: str | None = None):
        super().__init__(message)
        self.field = field


# --- small readers --------------------------------------------------------------------------
def number(text, field: str, what: str = "un nombre"):
    """A number typed the French way (3,5) as an int when whole, else a float; '' is None."""
    raw = str(text if text is not None else "").replace(",", ".").replace("\u202f", "").strip()
    if not raw:
        return None
    try:
        value = Decimal(raw)
    except InvalidOperation:
        raise EditError(f"« {text} » : {what} est attendu", field) from None
    if not value.is_finite():
        raise EditError(f"« {text} » : {what} est attendu", field)
    return int(value) if value == value.to_integral_value() else float(value)


def whole(text, field: str):
    value = number(text, field, "un nombre entier")
    if value is not None and not isinstance(value, int):
        raise EditError(f"« {text} » : un nombre entier est attendu", field)
    return value


def codes(text: str) -> list[str]:
    """Codes typed one per line, or separated by commas or semicolons."""
    raw = (text or "").replace(";", "\n").replace(",", "\n")
    return [c.strip() for c in raw.splitlines() if c.strip()]


def lines(text: str) -> list[str]:
    return [line.strip() for line in (text or "").splitlines() if line.strip()]


def _required(field: str, value: str, what: str) -> str:
    value = (value or "").strip()
    if not value:
        raise EditError(f"{what} est obligatoire", field)
    return value


def _put(item: dict, key: str, value) -> None:
    """Set a key, or drop it when the form leaves it empty (the file stays as short as it can)."""
    if value is None or value is False or value == "" or value == []:
        item.pop(key, None)
    else:
        item[key] = value


def _find(items: list, code: str, key: str = "code") -> tuple[int, dict | None]:
    for i, item in enumerate(items):
        if isinstance(item, dict) and item.get(key) == code:
            return i, item
    return len(items), None


def _upsert(items: list, code: str, key: str = "code") -> tuple[int, dict]:
    i, item = _find(items, code, key)
    if item is None:
        item = {key: code}
        items.append(item)
    return i, item


def _anchors(root: tuple, fields: dict[str, str]) -> dict[str, str]:
    """{field: path} for fields named after the document's keys under `root`."""
    out = {"": format_path(root)}
    for field, key in fields.items():
        out[field] = format_path(root + (key,))
    return out


def _activity(doc: dict, code: str, field: str) -> tuple[tuple, dict]:
    for p, pole in enumerate(doc.get("poles") or []):
        for a, act in enumerate(pole.get("activities") or []):
            if act.get("code") == code:
                return ("poles", p, "activities", a), act
    raise EditError(f"activité « {code} » inexistante dans ce référentiel", field)


# --- the parts ------------------------------------------------------------------------------
def header(doc: dict, *, title: str, kind: str = "", completeness: str, missing: str = ""):
    doc["title"] = _required("title", title, "l'intitulé")
    _put(doc, "kind", kind)
    doc["completeness"] = completeness
    _put(doc, "missing", lines(missing))
    return {f: f for f in ("title", "kind", "completeness", "missing")}


def candidate_status(doc: dict, *, code: str, title: str, short_title: str = ""):
    """A column of the règlement d'examen (« scolaire, apprenti… »): épreuves give a form per status."""
    code = _required("code", code, "le code du statut")
    i, item = _upsert(doc.setdefault("candidate_statuses", []), code)
    item["title"] = _required("title", title, "l'intitulé du statut")
    _put(item, "short_title", short_title.strip())
    return _anchors(
        ("candidate_statuses", i), {"code": "code", "title": "title", "short_title": "short_title"}
    )


def pole(doc: dict, *, code: str, title: str):
    code = _required("code", code, "le code du pôle")
    i, item = _upsert(doc.setdefault("poles", []), code)
    item["title"] = _required("title", title, "l'intitulé du pôle")
    return _anchors(("poles", i), {"code": "code", "title": "title"})


def activity(doc: dict, *, pole: str, code: str, title: str):
    pole, code = _required("pole", pole, "le pôle"), _required("code", code, "le code")
    p, found = _find(doc.get("poles") or [], pole)
    if found is None:
        raise EditError(f"pôle « {pole} » inexistant dans ce référentiel", "pole")
    i, item = _upsert(found.setdefault("activities", []), code)
    item["title"] = _required("title", title, "l'intitulé de l'activité")
    return _anchors(("poles", p, "activities", i), {"code": "code", "title": "title"}) | {
        "pole": format_path(("poles", p))
    }


def competence(doc: dict, *, code: str, title: str, activity: str = "", bloc: str = ""):
    """Add or retitle a competence: under an activity of the tree when one is named, else among
    the free-standing competences; listed in a bloc when one is named."""
    code = _required("code", code, "le code de la compétence")
    title = _required("title", title, "l'intitulé de la compétence")
    activity, bloc = activity.strip(), bloc.strip()
    existing = next(
        (it for it in coded_items(doc) if it.kind == "competence" and it.code == code), None
    )
    if activity:
        root, act = _activity(doc, activity, "activity")
        if existing is not None and existing.path[:4] != root:
            raise EditError(
                f"la compétence « {code} » existe déjà ailleurs ; retirez-la d'abord", "activity"
            )
        i, item = _upsert(act.setdefault("competences", []), code)
        path = root + ("competences", i)
    elif existing is not None:
        item, path = existing.data, existing.path
    else:
        i, item = _upsert(doc.setdefault("competences", []), code)
        path = ("competences", i)
    item["title"] = title
    anchors = _anchors(path, {"code": "code", "title": "title"})
    if bloc:
        b, found = _find(doc.get("blocs") or [], bloc)
        if found is None:
            raise EditError(f"bloc « {bloc} » inexistant dans ce référentiel", "bloc")
        if code not in (found.get("competences") or []):
            found.setdefault("competences", []).append(code)
        anchors["bloc"] = format_path(("blocs", b))
    return anchors


def knowledge(doc: dict, *, activity: str, code: str, title: str, limits: str = ""):
    """A savoir associé, attached to its activity as the référentiels present them."""
    activity = _required("activity", activity, "l'activité")
    code = _required("code", code, "le code du savoir")
    root, act = _activity(doc, activity, "activity")
    i, item = _upsert(act.setdefault("knowledge", []), code)
    item["title"] = _required("title", title, "l'intitulé du savoir")
    _put(item, "limits", limits.strip())
    return _anchors(
        root + ("knowledge", i), {"code": "code", "title": "title", "limits": "limits"}
    ) | {"activity": format_path(root)}


def bloc(
    doc: dict,
    *,
    code: str,
    title: str,
    unit: str = "",
    competences: str | None = None,
    activities: str | None = None,
    optional: bool = False,
):
    """Add or update a bloc: its title, its unit, its competences and activities (codes; left
    empty, the bloc keeps its own: a bloc typed by its code does not lose them; « - » empties)."""
    code = _required("code", code, "le code du bloc")
    i, item = _upsert(doc.setdefault("blocs", []), code)
    item["title"] = _required("title", title, "l'intitulé du bloc")
    _put(item, "optional", optional)
    _put(item, "unit", unit.strip())
    for key, value in (("activities", activities), ("competences", competences)):
        if value is not None and value.strip():
            # « - » alone: none at all (an empty field keeps the bloc's own list).
            _put(item, key, [] if value.strip() == "-" else codes(value))
    return _anchors(
        ("blocs", i),
        {
            "code": "code",
            "title": "title",
            "unit": "unit",
            "competences": "competences",
            "activities": "activities",
            "optional": "optional",
        },
    )


def _all_exams(doc: dict):
    """(path, exam) of every épreuve and sub-épreuve."""
    for e, exam in enumerate(doc.get("exams") or []):
        yield ("exams", e), exam
        for p, part in enumerate(exam.get("parts") or []):
            yield ("exams", e, "parts", p), part


def unit(
    doc: dict,
    *,
    code: str,
    title: str,
    domain: str = "",
    practice: bool = False,
    optional: bool = False,
    exam_code: str = "",
    coefficient: str = "",
):
    """Add or update a unit and the épreuve that evaluates it (with its coefficient)."""
    code = _required("code", code, "le code de l'unité")
    title = _required("title", title, "l'intitulé de l'unité")
    coef = number(coefficient, "coefficient")
    i, item = _upsert(doc.setdefault("units", []), code)
    item["title"] = title
    _put(item, "domain", domain)
    _put(item, "optional", optional)
    _put(item, "practice", practice)
    found = next(((p, x) for p, x in _all_exams(doc) if x.get("unit") == code), None)
    if found is None:
        exams = doc.setdefault("exams", [])
        exam = {"code": exam_code.strip() or _exam_code(code), "title": title, "unit": code}
        exams.append(exam)
        path = ("exams", len(exams) - 1)
    else:
        path, exam = found
        if exam_code.strip():
            exam["code"] = exam_code.strip()
    _put(exam, "coefficient", coef)
    anchors = _anchors(
        ("units", i),
        {
            "code": "code",
            "title": "title",
            "domain": "domain",
            "practice": "practice",
            "optional": "optional",
        },
    )
    # A Bac pro without practice units: the validator names the list of units itself.
    anchors["practice"] = "units"
    anchors["exam_code"] = format_path(path + ("code",))
    anchors["coefficient"] = format_path(path + ("coefficient",))
    anchors["exam"] = format_path(path)
    return anchors


def _exam_code(unit_code: str) -> str:
    return "E" + unit_code[1:] if unit_code.upper().startswith("U") else f"E-{unit_code}"


def exam(
    doc: dict,
    *,
    code: str,
    title: str,
    unit: str = "",
    parent: str = "",
    coefficient: str = "",
    optional: bool = False,
    competences: str = "",
    forms: dict | None = None,
):
    """Add or update an épreuve (or a sub-épreuve of `parent`) with its coefficient, the units it
    evaluates, the competences it assesses and its form for each candidate status:
    forms = {status: {"form": …, "label": …, "duration_minutes": …, "situations": …}}."""
    code = _required("code", code, "le code de l'épreuve")
    title = _required("title", title, "l'intitulé de l'épreuve")
    coef = number(coefficient, "coefficient")
    parent = parent.strip()
    if parent:
        e, top = _find(doc.get("exams") or [], parent)
        if top is None:
            raise EditError(f"épreuve « {parent} » inexistante dans ce référentiel", "parent")
        i, item = _upsert(top.setdefault("parts", []), code)
        root = ("exams", e, "parts", i)
    else:
        i, item = _upsert(doc.setdefault("exams", []), code)
        root = ("exams", i)
    item["title"] = title
    _put(item, "unit", unit.strip())
    _put(item, "coefficient", coef)
    _put(item, "optional", optional)
    _put(item, "competences", codes(competences))
    kept = {}
    for status, values in (forms or {}).items():
        if not values.get("form"):
            continue
        entry = dict((item.get("forms") or {}).get(status) or {})
        entry["form"] = values["form"]
        # Only what the form carries: the rest of the entry (a note, a preparation time) stays.
        for key in ("label", "note"):
            if key in values:
                _put(entry, key, (values[key] or "").strip())
        for key in ("duration_minutes", "situations"):
            if key in values:
                _put(entry, key, whole(values[key], f"{key}_{status}"))
        kept[status] = entry
    _put(item, "forms", kept)
    anchors = _anchors(
        root,
        {
            "code": "code",
            "title": "title",
            "unit": "unit",
            "coefficient": "coefficient",
            "optional": "optional",
            "competences": "competences",
        },
    )
    for status in forms or {}:
        anchors[f"form_{status}"] = format_path(root + ("forms", status))
    if parent:
        anchors["parent"] = format_path(root[:2] + ("coefficient",))
    return anchors


FAMILIES = ("bts", "bac_pro", "cap", "titre_pro")


def pass_rule(
    doc: dict,
    *,
    family: str = "",
    min_average: str = "",
    control_exams: bool = False,
    note: str = "",
    ccps: str = "",
):
    """The pass rule (average, épreuves de contrôle) and the certification's rule family."""
    average = number(min_average, "min_average")
    if average is None and (control_exams or note.strip()):
        raise EditError(
            "la moyenne exigée est obligatoire pour une règle d'admission", "min_average"
        )
    if average is None:
        doc.pop("pass_rule", None)
    else:
        rule = doc.setdefault("pass_rule", {})
        rule["min_average"] = average
        _put(rule, "control_exams", control_exams)
        _put(rule, "note", note.strip())
    cert = doc.get("certification") or {}
    if family or ccps.strip() or cert:
        cert = doc.setdefault("certification", cert)
        if family:
            cert["family"] = family
        elif "family" not in cert:
            cert["family"] = doc.get("kind") or ""
        _put(cert, "ccps", codes(ccps))
    return {
        "": "pass_rule",
        "min_average": "pass_rule.min_average",
        "control_exams": "pass_rule.control_exams",
        "note": "pass_rule.note",
        "family": "certification.family",
        "ccps": "certification",
    }


RULE_NUMBERS = (
    "min_total_weeks",
    "derogation_floor_weeks",
    "min_consecutive_weeks",
    "summer_rest_weeks",
)
RULE_FLAGS = ("same_company", "contract_replaces_periods")


def period_rule(
    doc: dict,
    *,
    placement_kind: str = "",
    id: str,  # noqa: A002 - the file's own key
    title: str,
    statuses: list[str] | None = None,
    consecutive_scope: str = "",
    summer_window: str = "",
    **values,
):
    """A rule of the periods in company (stage, PFMP): who it binds and what it asks."""
    rule_id = _required("id", id, "l'identifiant de la règle")
    placement = doc.setdefault("work_placement", {})
    if placement_kind:
        placement["kind"] = placement_kind
    elif "kind" not in placement:
        raise EditError("dites s'il s'agit de stages ou de PFMP", "placement_kind")
    i, rule = _upsert(placement.setdefault("rules", []), rule_id, key="id")
    rule["title"] = _required("title", title, "l'intitulé de la règle")
    rule["statuses"] = list(statuses or [])
    for key in RULE_NUMBERS:
        _put(rule, key, number(values.get(key), key))
    for key in RULE_FLAGS:
        _put(rule, key, bool(values.get(key)))
    _put(rule, "consecutive_scope", consecutive_scope)
    _put(rule, "summer_window", codes(summer_window))
    root = ("work_placement", "rules", i)
    fields = {k: k for k in (*RULE_NUMBERS, *RULE_FLAGS, "id", "title", "statuses")}
    fields |= {"consecutive_scope": "consecutive_scope", "summer_window": "summer_window"}
    return _anchors(root, fields) | {"placement_kind": "work_placement.kind"}


HOUR_KEYS = ("weekly", "division", "half_division", "annual")
GRID_SECTIONS = ("lines", "extra", "optional", "total")


def _years(text: str, field: str) -> list[dict]:
    """One line per school year: « hebdomadaire ; division ; ½ division ; annuel » (blanks allowed)."""
    years = []
    for n, line in enumerate(lines(text), start=1):
        cells = [c.strip() for c in line.replace("|", ";").split(";")]
        if len(cells) > len(HOUR_KEYS):
            raise EditError(
                f"année {n} : au plus quatre valeurs (hebdomadaire ; division ; ½ division ; annuel)",
                field,
            )
        year = {}
        for key, cell in zip(HOUR_KEYS, cells, strict=False):
            try:
                _put(year, key, number(cell, field))
            except EditError:
                raise EditError(f"année {n} : « {cell} » n'est pas un nombre", field) from None
        years.append(year)
    if not years:
        raise EditError("au moins une année (une ligne par année)", field)
    return years


def hour_line(doc: dict, *, section: str, subject: str = "", years: str, note: str = ""):
    """A line of the hour grid (a subject's hours per school year), or its declared total."""
    grid = doc.setdefault("hour_grid", {})
    grid.setdefault("lines", [])
    parsed = _years(years, "years")
    if section == "total":
        grid["total"] = {"years": parsed}
        return {"": "hour_grid.total", "years": "hour_grid.total", "subject": "hour_grid.total"}
    subject = _required("subject", subject, "la matière")
    i, item = _upsert(grid.setdefault(section, []), subject, key="subject")
    item["years"] = parsed
    _put(item, "note", note.strip())
    anchors = _anchors(("hour_grid", section, i), {"subject": "subject", "note": "note"})
    # The declared total is checked against the sum of the lines: its faults concern them too.
    anchors["years"] = (format_path(("hour_grid", section, i, "years")), "hour_grid.total")
    return anchors


def remove(doc: dict, *, code: str):
    """Take out the element of this code (pôle, activité, compétence, savoir, bloc, unité,
    épreuve…); what still names it is left for the validator to point at."""
    code = _required("code", code, "le code")
    item = next((it for it in coded_items(doc) if it.code == code), None)
    if item is None:
        raise EditError(f"aucun élément de code « {code} » dans ce référentiel", "code")
    container = doc
    for step in item.path[:-1]:
        container = container[step]
    del container[item.path[-1]]
    return {}


EDITS = {
    "header": header,
    "candidate_status": candidate_status,
    "pole": pole,
    "activity": activity,
    "competence": competence,
    "knowledge": knowledge,
    "bloc": bloc,
    "unit": unit,
    "exam": exam,
    "pass_rule": pass_rule,
    "period_rule": period_rule,
    "hour_line": hour_line,
    "remove": remove,
}
