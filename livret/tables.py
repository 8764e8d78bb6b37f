"""Reading the spreadsheets centres send: CSV (; or , — UTF-8 or Windows-1252) and XLSX."""

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
    for encoding in ("utf-8-sig", "cp1252"):
        try:
            text = raw.decode(encoding)
            break
        except UnicodeDecodeError:
            continue
    try:
        dialect = csv.Sniffer().sniff(text.splitlines()[0] if text else ",", delimiters=";,\t")
        delimiter = dialect.delimiter
    except csv.Error:
        delimiter = ";"
    return [row for row in csv.reader(io.StringIO(text), delimiter=delimiter)]
