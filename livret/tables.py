"""Reading the spreadsheets centres send: CSV (; , or tab — UTF-8, UTF-16, Windows-1252, Mac) and
XLSX."""

from __future__ import annotations

import csv
import io
import unicodedata

MAX_BYTES = 5 * 1024 * 1024


class ImportError_(ValueError):
    pass


def normalize_header(text: str) -> str:
    """Lower case, no accents, trimmed: « N° Candidat » and « n° candidat » are one header."""
    text = unicodedata.normalize("NFKD", str(text or "").strip().lower())
    return "".join(ch for ch in text if not unicodedata.combining(ch))


# What spreadsheets save a CSV in, in France: UTF-8 (with or without BOM), Excel's « Texte
# Unicode » (UTF-16 with BOM, tab-separated; without BOM from some tools), Windows' ANSI (cp1252,
# a superset of latin-1's letters) and the old Mac Excel's « CSV Macintosh ». Guessing among
# every encoding reads short French files as Big5.
ENCODINGS = ["utf_16_le", "utf_16_be", "cp1252", "mac_roman"]
BOMS = [
    (b"\xef\xbb\xbf", "utf-8-sig"),
    (b"\xff\xfe\x00\x00", "utf-32"),
    (b"\x00\x00\xfe\xff", "utf-32"),
    (b"\xff\xfe", "utf-16"),
    (b"\xfe\xff", "utf-16"),
]
UNREADABLE = (
    "encodage du fichier non reconnu (ni UTF-8, ni UTF-16, ni Windows-1252) : est-ce bien un "
    "tableau CSV ? Enregistrez-le depuis le tableur en « CSV UTF-8 » ou en XLSX"
)


def decode(raw: bytes) -> str:
    """The file's text: its encoding read from a BOM, else UTF-8, else detected among
    ENCODINGS (charset-normalizer). Bytes that read as no text raise ImportError_."""
    for bom, encoding in BOMS:
        if raw.startswith(bom):
            try:
                text = raw.decode(encoding)
            except UnicodeDecodeError:
                raise ImportError_(UNREADABLE) from None
            return _text(text)
    try:
        text = raw.decode("utf-8")
        if "\x00" not in text:  # NULs: UTF-16 without BOM, or a binary file
            return text
    except UnicodeDecodeError:
        pass
    from charset_normalizer import from_bytes

    best = from_bytes(raw, cp_isolation=ENCODINGS).best()
    if best is None:
        raise ImportError_(UNREADABLE)
    return _text(str(best))


def _text(text: str) -> str:
    if "\x00" in text:  # a binary file that happens to decode
        raise ImportError_(UNREADABLE)
    return text


def read_table(raw: bytes, filename: str) -> list[list[str]]:
    if len(raw) > MAX_BYTES:
        raise ImportError_(
            f"fichier trop volumineux ({len(raw) // 1024} Ko, {MAX_BYTES // 1024 // 1024} Mo au plus)"
        )
    if filename.lower().endswith(".xlsx"):
        from openpyxl import load_workbook

        try:
            sheet = load_workbook(io.BytesIO(raw), read_only=True, data_only=True).worksheets[0]
        except Exception as exc:  # noqa: BLE001 - openpyxl raises many kinds for a broken file
            raise ImportError_(f"classeur XLSX illisible ({exc.__class__.__name__})") from None
        return [
            ["" if v is None else str(v) for v in row] for row in sheet.iter_rows(values_only=True)
        ]
    text = decode(raw)
    try:
        dialect = csv.Sniffer().sniff(text.splitlines()[0] if text else ",", delimiters=";,\t")
        delimiter = dialect.delimiter
    except csv.Error:
        delimiter = ";"
    return [row for row in csv.reader(io.StringIO(text), delimiter=delimiter)]
