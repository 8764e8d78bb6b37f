"""Exports are inert: a cell that a spreadsheet program would evaluate is neutralised, in every
CSV and XLSX the platform writes (OWASP CSV injection)."""

import csv
import io
import zipfile

import pytest
from django.urls import reverse
from hypothesis import given
from hypothesis import strategies as st
from openpyxl import load_workbook

from livret.exams.services import set_grade
from livret.exports import TRIGGERS, csv_text, inert

TRIGGER_NAMES = {"=": "égal", "+": "plus", "-": "moins", "@": "arobase", "\t": "tab", "\r": "cr"}


@pytest.mark.parametrize("trigger", TRIGGERS, ids=TRIGGER_NAMES.get)
def test_cohort_livret_xlsx_has_no_formula(client, world, trigger):
    name = f'{trigger}HYPERLINK("http://exemple.invalid/","clic")'
    world.learner1.last_name = name
    world.learner1.save()
    client.force_login(world.users["manager_a"])
    response = client.get(reverse("grid_xlsx", args=[world.cohort_a.pk]))
    assert response.status_code == 200
    raw = response.content
    # No formula anywhere in the workbook's XML…
    with zipfile.ZipFile(io.BytesIO(raw)) as z:
        sheets = [z.read(n).decode() for n in z.namelist() if n.startswith("xl/worksheets/")]
    assert not any("<f>" in s or "<f " in s for s in sheets)
    # …and the name reads back as typed, as text (XML turns a carriage return into a line feed).
    sheet = load_workbook(io.BytesIO(raw)).active
    typed = name.replace("\r", "\n")
    cells = [c for row in sheet.iter_rows() for c in row if c.value == typed]
    assert cells and all(c.data_type == "s" for c in cells)


@pytest.mark.parametrize("trigger", TRIGGERS, ids=TRIGGER_NAMES.get)
def test_exam_results_csv_is_inert(client, world, exam, trigger):
    candidate = exam.candidates.order_by("number").first()
    name = f"{trigger}cmd|' /C calc'!A0"
    candidate.last_name = name
    candidate.save()
    set_grade(candidate, "U1", "12", world.users["examens_a"])
    client.force_login(world.users["examens_a"])
    response = client.get(reverse("exam_csv", args=[exam.pk]))
    text = response.content.decode("utf-8-sig")
    rows = list(csv.reader(io.StringIO(text, newline=""), delimiter=";"))
    cells = [cell for row in rows for cell in row]
    assert "'" + name in cells
    assert not any(cell.startswith(TRIGGERS) for cell in cells)


def test_import_templates_are_inert(client, world):
    client.force_login(world.users["manager_a"])
    body = client.get(reverse("import_template", args=["apprenants"])).content.decode("utf-8-sig")
    assert not any(cell.startswith(TRIGGERS) for cell in body.strip().split(";"))


@given(st.text(max_size=40))
def test_inert_cells_never_start_with_a_trigger_and_keep_their_text(text):
    cell = inert(text)
    assert not cell.startswith(TRIGGERS)
    assert cell == text or cell == "'" + text
    # Round trip through the CSV writer and reader keeps the (neutralised) cell.
    row = next(csv.reader(io.StringIO(csv_text([[text, "x"]]), newline=""), delimiter=";"))
    assert row[0] == cell


@pytest.mark.parametrize("value", [12, 12.5, None, "Dupont", "10,50", "A1.2C3"])
def test_ordinary_values_are_left_alone(value):
    assert inert(value) == value
