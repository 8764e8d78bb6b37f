"""Read one fiche out of France compétences' open data (the RNCP exports of data.gouv.fr).

Pure Python (no Django). Two exports are read (field names in ../shared/SOURCES.md):
- the XML V4.1 (a file, or a zip of files): `FICHE` elements wherever they sit, with NUMERO_FICHE,
  INTITULE, ABREGE/{CODE, LIBELLE}, ACTIF, ETAT_FICHE, NOMENCLATURE_EUROPE/NIVEAU,
  CERTIFICATEURS/CERTIFICATEUR/NOM_CERTIFICATEUR, DATE_FIN_ENREGISTREMENT and
  BLOCS_COMPETENCES/BLOC_COMPETENCES/{CODE, LIBELLE, LISTE_COMPETENCES, MODALITES_EVALUATION},
  the last two HTML fragments;
- the CSV zip: `export_fiches_CSV_<Part>_AAAA_MM_JJ.csv` members (`;`, UTF-8 with BOM, quoted
  fields, member names in either Unicode form), joined on Numero_Fiche: Standard,
  Blocs_De_Compétences (no competence list), Certificateurs.

The whole file is read (a truncated or malformed file is refused even when the fiche comes
before the fault); every refusal is an `RncpError` naming the file, the member and the line.
`to_document` turns a fiche into a référentiel document of the file format
(docs/referentiel-format.md), completed from an existing version when there is one.
"""

from __future__ import annotations

import contextlib
import csv
import datetime
import io
import re
import unicodedata
import xml.etree.ElementTree as ET
import zipfile
import zlib
from dataclasses import dataclass, field
from html.parser import HTMLParser

FICHE_RE = re.compile(r"^(?:RNCP)?\s*(\d{1,6})$", re.IGNORECASE)
# ACTIF: « Oui »/« Non » in the XML, ACTIVE/INACTIVE in the CSV (the XSD was not read here: both
# spellings are accepted, any other value is refused rather than guessed).
ACTIVE_VALUES = {"oui", "active", "actif", "true", "1", "o"}
INACTIVE_VALUES = {"non", "inactive", "inactif", "false", "0", "n"}
DASHES = "-–—•·*"
KINDS = {  # abrégé code, or the title's first words → kind of the file format
    "BTS": "bts",
    "BAC PRO": "bac_pro",
    "BACPRO": "bac_pro",
    "CAP": "cap",
    "TP": "titre_pro",
}
TITLE_KINDS = [
    ("brevet de technicien superieur", "bts"),
    ("bts ", "bts"),
    ("baccalaureat professionnel", "bac_pro"),
    ("bac pro", "bac_pro"),
    ("certificat d'aptitude professionnelle", "cap"),
    ("cap ", "cap"),
    ("titre professionnel", "titre_pro"),
    ("tp ", "titre_pro"),
]


class RncpError(ValueError):
    """The file cannot be read, or the fiche is absent or inactive: nothing is loaded."""


@dataclass
class Bloc:
    code: str
    title: str
    competences: list[str] = field(default_factory=list)
    evaluation: str = ""


@dataclass
class Fiche:
    number: str
    title: str
    active: bool
    abbreviation: str = ""
    abbreviation_title: str = ""
    state: str = ""
    level: int | None = None
    certifiers: list[str] = field(default_factory=list)
    end_of_registration: datetime.date | None = None
    blocs: list[Bloc] = field(default_factory=list)
    source: str = ""


def fiche_number(value: str) -> str:
    match = FICHE_RE.match((value or "").strip())
    if not match:
        raise RncpError(f"numéro de fiche « {value} » invalide (attendu : RNCP suivi de chiffres)")
    return f"RNCP{int(match.group(1))}"


# --- HTML fragments -------------------------------------------------------------------------
class _Fragment(HTMLParser):
    BREAKS = {"br", "p", "div", "ul", "ol", "tr", "h1", "h2", "h3", "h4", "h5", "h6"}

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.items: list[list[str]] | None = None  # <li> texts, once one is seen
        self.depth = 0
        self.lines: list[list[str]] = [[]]

    def handle_starttag(self, tag, attrs):
        if tag == "li":
            if self.items is None:
                self.items = []
            if self.depth == 0:
                self.items.append([])
            self.depth += 1
        elif tag in self.BREAKS:
            self._break()

    def handle_startendtag(self, tag, attrs):
        if tag in self.BREAKS:
            self._break()

    def handle_endtag(self, tag):
        if tag == "li":
            self.depth = max(0, self.depth - 1)
        elif tag in self.BREAKS:
            self._break()

    def _break(self):
        if self.depth == 0:
            self.lines.append([])
        elif self.items:
            self.items[-1].append(" ")

    def handle_data(self, data):
        if self.depth and self.items:
            self.items[-1].append(data)
        else:
            for i, part in enumerate(data.split("\n")):
                if i:
                    self.lines.append([])
                self.lines[-1].append(part)


def _clean(text: str) -> str:
    text = unicodedata.normalize("NFC", text.replace("\xa0", " "))
    return re.sub(r"\s+", " ", text).strip()


def html_text(fragment: str) -> str:
    """The fragment's text, tags dropped, entities decoded, one line per paragraph or break."""
    parser = _Fragment()
    parser.feed(fragment or "")
    parser.close()
    lines = [_clean("".join(line)) for line in parser.lines]
    if parser.items:
        lines += ["- " + _clean("".join(item)) for item in parser.items]
    return "\n".join(line for line in lines if line)


def html_items(fragment: str) -> list[str]:
    """The competences of a LISTE_COMPETENCES fragment: its <li> items; else its lines starting
    with a dash; else its lines separated by <br> or paragraphs. No HTML left, entities decoded."""
    parser = _Fragment()
    parser.feed(fragment or "")
    parser.close()
    if parser.items:
        items = [_clean("".join(item)) for item in parser.items]
    else:
        lines = [_clean("".join(line)) for line in parser.lines]
        lines = [line for line in lines if line]
        dashed = [line for line in lines if line[0] in DASHES]
        items = [line.lstrip(DASHES).strip() for line in dashed] if dashed else lines
    # Some fiches escape their HTML twice: a second pass leaves no tag behind.
    items = [_clean(_strip_tags(item)) if "<" in item or "&" in item else item for item in items]
    return [item for item in items if item]


def _strip_tags(text: str) -> str:
    parser = _Fragment()
    parser.feed(text)
    parser.close()
    parts = [_clean("".join(line)) for line in parser.lines]
    if parser.items:
        parts += [_clean("".join(item)) for item in parser.items]
    return " ".join(p for p in parts if p)


# --- values ---------------------------------------------------------------------------------
def _active(value: str, where: str) -> bool:
    v = _clean(value).casefold()
    if v in ACTIVE_VALUES:
        return True
    if v in INACTIVE_VALUES:
        return False
    raise RncpError(
        f"{where} : valeur d'ACTIF « {value} » inconnue (attendu : Oui/Non, ACTIVE/INACTIVE)"
    )


def _date(value: str, where: str) -> datetime.date | None:
    value = _clean(value)
    if not value:
        return None
    for fmt in ("%d/%m/%Y", "%Y-%m-%d", "%d/%m/%y"):
        try:
            return datetime.datetime.strptime(value[:10], fmt).date()
        except ValueError:
            continue
    raise RncpError(f"{where} : date « {value} » illisible (attendu : JJ/MM/AAAA)")


def _level(value: str) -> int | None:
    match = re.search(r"(\d)", value or "")
    return int(match.group(1)) if match else None


def _ascii(text: str) -> str:
    return "".join(
        c for c in unicodedata.normalize("NFKD", text) if not unicodedata.combining(c)
    ).casefold()


def kind_of(fiche: Fiche) -> str | None:
    code = _clean(fiche.abbreviation).upper()
    if code in KINDS:
        return KINDS[code]
    title = _ascii(f"{fiche.abbreviation_title} {fiche.title}").replace("’", "'").strip() + " "
    for prefix, kind in TITLE_KINDS:
        if title.startswith(prefix):
            return kind
    return None


def slug_of(text: str, limit: int = 50) -> str:
    slug = re.sub(r"[^a-z0-9]+", "-", _ascii(text).replace("'", " ")).strip("-")
    if len(slug) > limit:
        slug = slug[:limit].rsplit("-", 1)[0]
    return slug or "referentiel"


# --- XML ------------------------------------------------------------------------------------
def _local(tag: str) -> str:
    return tag.rsplit("}", 1)[-1] if isinstance(tag, str) else ""


def _child(elem, name: str):
    for c in elem:
        if _local(c.tag) == name:
            return c
    return None


def _text(elem, *path: str) -> str:
    for name in path:
        if elem is None:
            return ""
        elem = _child(elem, name)
    return (elem.text or "") if elem is not None else ""


def _fiche_from_xml(elem, where: str) -> Fiche:
    number = fiche_number(_text(elem, "NUMERO_FICHE"))
    certifiers = []
    for cert in _child(elem, "CERTIFICATEURS") or []:
        name = _clean(_text(cert, "NOM_CERTIFICATEUR"))
        if name:
            certifiers.append(name)
    blocs = []
    for b in _child(elem, "BLOCS_COMPETENCES") or []:
        if _local(b.tag) != "BLOC_COMPETENCES":
            continue
        blocs.append(
            Bloc(
                code=_clean(_text(b, "CODE")),
                title=_clean(_strip_tags(_text(b, "LIBELLE"))),
                competences=html_items(_text(b, "LISTE_COMPETENCES")),
                evaluation=html_text(_text(b, "MODALITES_EVALUATION")),
            )
        )
    return Fiche(
        number=number,
        title=_clean(_strip_tags(_text(elem, "INTITULE"))),
        active=_active(_text(elem, "ACTIF"), f"{where}, fiche {number}"),
        abbreviation=_clean(_text(elem, "ABREGE", "CODE")),
        abbreviation_title=_clean(_text(elem, "ABREGE", "LIBELLE")),
        state=_clean(_text(elem, "ETAT_FICHE")),
        level=_level(_text(elem, "NOMENCLATURE_EUROPE", "NIVEAU")),
        certifiers=certifiers,
        end_of_registration=_date(
            _text(elem, "DATE_FIN_ENREGISTREMENT"), f"{where}, fiche {number}"
        ),
        blocs=blocs,
        source=where,
    )


def _read_xml(stream, where: str, wanted: str) -> tuple[Fiche | None, int]:
    found, count = None, 0
    try:
        for _event, elem in ET.iterparse(stream, events=("end",)):
            if _local(elem.tag) != "FICHE":
                continue
            count += 1
            raw = _text(elem, "NUMERO_FICHE")
            try:
                number = fiche_number(raw)
            except RncpError:
                number = None
            if number == wanted and found is None:
                found = _fiche_from_xml(elem, where)
            elem.clear()
    except ET.ParseError as exc:
        line, column = exc.position
        raise RncpError(
            f"{where}, ligne {line}, colonne {column} : XML mal formé ou tronqué ({exc.msg if hasattr(exc, 'msg') else exc})"
        ) from None
    return found, count


# --- CSV ------------------------------------------------------------------------------------
CSV_MEMBER = re.compile(r"export_fiches_csv_(.+?)_\d{4}_\d{2}_\d{2}\.csv$", re.IGNORECASE)


def _part(name: str) -> str | None:
    match = CSV_MEMBER.search(unicodedata.normalize("NFC", name))
    return _ascii(match.group(1)) if match else None


def _rows(zf: zipfile.ZipFile, info: zipfile.ZipInfo, where: str, needed: tuple[str, ...]):
    """The member's rows as dicts (header row first, `;`, UTF-8 with or without BOM)."""
    name = f"{where} › {_member_name(info)}"
    with zf.open(info) as raw:
        text = io.TextIOWrapper(raw, encoding="utf-8-sig", newline="")
        reader = csv.reader(text, delimiter=";", quotechar='"', strict=True)
        try:
            header = [_clean(h) for h in next(reader, [])]
            missing = [col for col in needed if col not in header]
            if missing:
                raise RncpError(f"{name} : colonne(s) absente(s) : {', '.join(missing)}")
            for row in reader:
                if not any(cell.strip() for cell in row):
                    continue
                if len(row) != len(header):
                    raise RncpError(
                        f"{name}, ligne {reader.line_num} : {len(row)} champs au lieu de {len(header)} "
                        "(fichier tronqué ?)"
                    )
                yield reader.line_num, dict(zip(header, row, strict=True))
        except csv.Error as exc:
            raise RncpError(f"{name}, ligne {reader.line_num} : CSV illisible ({exc})") from None
        except UnicodeDecodeError as exc:
            raise RncpError(f"{name} : pas en UTF-8 (octet {exc.start})") from None


def _read_csv_zip(zf: zipfile.ZipFile, where: str, wanted: str) -> tuple[Fiche | None, int]:
    members = {}
    for info in zf.infolist():
        part = _part(_member_name(info))
        if part:
            members[part] = info
    if "standard" not in members:
        raise RncpError(f"{where} : aucun fichier export_fiches_CSV_Standard_…csv dans l'archive")
    found, count = None, 0
    for _line, row in _rows(zf, members["standard"], where, ("Numero_Fiche", "Intitule", "Actif")):
        count += 1
        try:
            number = fiche_number(row["Numero_Fiche"])
        except RncpError:
            continue
        if number == wanted and found is None:
            found = Fiche(
                number=number,
                title=_clean(row["Intitule"]),
                active=_active(row["Actif"], f"{where}, fiche {number}"),
                abbreviation=_clean(row.get("Abrege_Libelle", "")),
                abbreviation_title=_clean(row.get("Abrege_Intitule", "")),
                level=_level(row.get("Nomenclature_Europe_Niveau", "")),
                end_of_registration=_date(
                    row.get("Date_Fin_Enregistrement", ""), f"{where}, fiche {number}"
                ),
                source=where,
            )
    blocs_part = next((p for p in members if p.startswith("blocs")), None)
    if blocs_part:
        needed = ("Numero_Fiche", "Bloc_Competences_Code", "Bloc_Competences_Libelle")
        for _line, row in _rows(zf, members[blocs_part], where, needed):
            if found and _same(row["Numero_Fiche"], wanted):
                found.blocs.append(
                    Bloc(
                        code=_clean(row["Bloc_Competences_Code"]),
                        title=_clean(row["Bloc_Competences_Libelle"]),
                    )
                )
    if "certificateurs" in members:
        needed = ("Numero_Fiche", "Nom_Certificateur")
        for _line, row in _rows(zf, members["certificateurs"], where, needed):
            if found and _same(row["Numero_Fiche"], wanted) and _clean(row["Nom_Certificateur"]):
                found.certifiers.append(_clean(row["Nom_Certificateur"]))
    return found, count


def _same(value: str, wanted: str) -> bool:
    try:
        return fiche_number(value) == wanted
    except RncpError:
        return False


def _member_name(info: zipfile.ZipInfo) -> str:
    """The member's name in NFC; a UTF-8 name stored without the UTF-8 flag is read as UTF-8."""
    name = info.filename
    if not info.flag_bits & 0x800:
        with contextlib.suppress(UnicodeEncodeError, UnicodeDecodeError):
            name = name.encode("cp437").decode("utf-8")
    return unicodedata.normalize("NFC", name)


# --- entry point ----------------------------------------------------------------------------
def read_fiche(stream, name: str, wanted: str) -> Fiche:
    """The active fiche `wanted` out of an export (XML, zip of XML, or CSV zip)."""
    wanted = fiche_number(wanted)
    head = stream.read(4)
    stream.seek(0)
    if head.startswith(b"PK"):
        found, count = _read_zip(stream, name, wanted)
    else:
        found, count = _read_xml(stream, name, wanted)
    if found is None:
        raise RncpError(f"{name} : fiche {wanted} absente ({count} fiche(s) lue(s))")
    if not found.active:
        raise RncpError(
            f"{name} : la fiche {wanted} est inactive ({found.title}) : elle n'est plus enregistrée"
        )
    return found


def _read_zip(stream, name: str, wanted: str) -> tuple[Fiche | None, int]:
    try:
        with zipfile.ZipFile(stream) as zf:
            infos = [i for i in zf.infolist() if not i.is_dir()]
            xml = [i for i in infos if _member_name(i).lower().endswith(".xml")]
            if xml:
                found, count = None, 0
                for info in xml:
                    with zf.open(info) as member:
                        f, n = _read_xml(member, f"{name} › {_member_name(info)}", wanted)
                    found, count = found or f, count + n
                return found, count
            if any(_part(_member_name(i)) for i in infos):
                return _read_csv_zip(zf, name, wanted)
            raise RncpError(
                f"{name} : archive sans fichier XML ni export_fiches_CSV_…csv "
                "(attendu : un export RNCP de France compétences)"
            )
    except (zipfile.BadZipFile, EOFError, zlib.error) as exc:
        raise RncpError(f"{name} : archive zip illisible ou tronquée ({exc})") from None


# --- to a référentiel document --------------------------------------------------------------
MISSING_FROM_RNCP = [
    "les unités et les épreuves (coefficients, formes par statut de candidat) : la fiche RNCP "
    "ne les donne pas, le règlement d'examen du diplôme les donne",
    "la règle de délivrance (pass_rule) et les périodes en entreprise",
]


def _normal_title(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", " ", _ascii(text)).strip()


def to_document(fiche: Fiche, source_name: str, *, slug: str, base: dict | None = None) -> dict:
    """A draft document of the file format. With `base` (the newest version of the diploma whose
    RNCP code matches) the draft starts from it: header from the fiche, its blocs matched by code
    or identical title get the fiche's competence list (skills) and evaluation; the fiche's other
    blocs are added with their competences. Without it, a new référentiel of the fiche alone."""
    doc = dict(base or {})
    doc.pop("version", None)
    doc["format"] = 1
    doc["id"] = slug
    doc["title"] = fiche.title
    kind = kind_of(fiche) or doc.get("kind")
    if kind:
        doc["kind"] = kind
    if fiche.level:
        doc["level"] = fiche.level
    rncp = {"code": fiche.number}
    if fiche.end_of_registration:
        rncp["valid_until"] = fiche.end_of_registration.isoformat()
    if fiche.certifiers:
        rncp["certifier"] = ", ".join(dict.fromkeys(fiche.certifiers))
    doc["rncp"] = rncp
    source = f"France compétences, fiche {fiche.number} (open data, fichier {source_name})"
    doc["sources"] = [
        s
        for s in doc.get("sources") or []
        if not s.startswith(f"France compétences, fiche {fiche.number}")
    ] + [source]
    missing = list(doc.get("missing") or ([] if base else MISSING_FROM_RNCP))
    if not kind:
        missing.insert(
            0, "le type de diplôme (bts, bac_pro, cap, titre_pro) : la fiche ne le dit pas"
        )
    blocs = [dict(b) for b in doc.get("blocs") or []]
    competences = [dict(c) for c in doc.get("competences") or []]
    known = {b.get("code"): b for b in blocs}
    by_title = {_normal_title(b.get("title", "")): b for b in blocs}
    notes = [n for n in doc.get("notes") or [] if not n.startswith("Import RNCP :")]
    for rb in fiche.blocs:
        target = known.get(rb.code) or by_title.get(_normal_title(rb.title))
        if target is not None:
            if target.get("code") != rb.code:
                notes.append(
                    f"Import RNCP : le bloc {target['code']} est le bloc {rb.code} de la fiche "
                    "(même intitulé)."
                )
            if rb.competences:
                target["skills"] = rb.competences
            if rb.evaluation:
                target["evaluation"] = rb.evaluation
            continue
        bloc = {"code": rb.code, "title": rb.title or rb.code}
        codes = []
        for n, title in enumerate(rb.competences, start=1):
            code = f"{rb.code}.{n}"
            competences.append({"code": code, "title": title})
            codes.append(code)
        if codes:
            bloc["competences"] = codes
            bloc["skills"] = list(rb.competences)
        if rb.evaluation:
            bloc["evaluation"] = rb.evaluation
        blocs.append(bloc)
    if not fiche.blocs:
        missing.append("les blocs de compétences : la fiche n'en donne pas")
    elif not any(b.competences for b in fiche.blocs):
        missing.append(
            "les compétences de chaque bloc : cet export ne les donne pas (l'export XML les donne)"
        )
    if blocs:
        doc["blocs"] = blocs
    if competences:
        doc["competences"] = competences
    if notes:
        doc["notes"] = notes
    doc["completeness"] = "partial" if missing else doc.get("completeness", "partial")
    if missing:
        doc["missing"] = list(dict.fromkeys(missing))
    order = [
        "format",
        "id",
        "version",
        "title",
        "short_title",
        "kind",
        "level",
        "rncp",
        "completeness",
        "missing",
        "sources",
        "summary",
        "notes",
    ]
    return {k: doc[k] for k in order if k in doc} | {k: v for k, v in doc.items() if k not in order}
