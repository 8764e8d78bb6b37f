"""Every CSV and XLSX the platform writes goes through here, so that no cell is ever a live
formula (OWASP "CSV injection"): a learner named `=HYPERLINK(…)` stays a name in Excel or Calc.

- CSV: a cell starting with = + - @, a tab or a carriage return is prefixed with an apostrophe,
  which spreadsheet programs show as text and never evaluate.
- XLSX: every text cell is written as a string cell (never as a formula), with its value intact.
"""

from __future__ import annotations

import csv
import io

TRIGGERS = ("=", "+", "-", "@", "\t", "\r")


def inert(value):
    """The value as a CSV cell that no spreadsheet program evaluates."""
    if isinstance(value, str) and value.startswith(TRIGGERS):
        return "'" + value
    return value


class CsvWriter:
    """csv.writer whose every cell is inert (semicolons, as French spreadsheets expect)."""

    def __init__(self, stream, delimiter=";"):
        self._writer = csv.writer(stream, delimiter=delimiter)

    def writerow(self, row):
        self._writer.writerow([inert(v) for v in row])


def csv_text(rows, delimiter=";") -> str:
    buffer = io.StringIO()
    writer = CsvWriter(buffer, delimiter)
    for row in rows:
        writer.writerow(row)
    return buffer.getvalue()


def append_row(sheet, row) -> None:
    """Append a row to an openpyxl sheet; text is stored as text, never as a formula."""
    sheet.append(row)
    for cell in sheet[sheet.max_row]:
        if isinstance(cell.value, str):
            cell.data_type = "s"


def xlsx_bytes(workbook) -> bytes:
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()
