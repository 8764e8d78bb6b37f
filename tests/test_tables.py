"""Issue 26, item 8: the table reader reads the encodings spreadsheets save in, and answers a file
that is no text with a message, not a server error."""

import os

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from livret.tables import ImportError_, read_table

ROWS = [
    ["N° candidat", "Nom", "Prénom", "U1"],
    ["20270001", "Lefèvre", "Hélène", "12,5"],
    ["20270002", "Cœur", "Noël", "ABS"],
]


def csv_text(sep=";"):
    return "\r\n".join(sep.join(row) for row in ROWS) + "\r\n"


LATIN1 = csv_text().replace("Cœur", "Coeur")  # latin-1 has no œ


@pytest.mark.parametrize(
    "raw, text",
    [
        pytest.param(csv_text().encode("utf-8"), csv_text(), id="utf-8"),
        pytest.param(csv_text().encode("utf-8-sig"), csv_text(), id="utf-8 with BOM"),
        # Excel's « Texte Unicode »: UTF-16 little-endian with its BOM, tab-separated.
        pytest.param(csv_text("\t").encode("utf-16"), csv_text(), id="Excel Unicode text"),
        pytest.param(csv_text().encode("utf-16-be"), csv_text(), id="utf-16 without BOM"),
        pytest.param(csv_text().encode("cp1252"), csv_text(), id="windows-1252"),
        pytest.param(LATIN1.encode("latin-1"), LATIN1, id="latin-1"),
        pytest.param(csv_text().encode("mac_roman"), csv_text(), id="CSV Macintosh"),
    ],
)
def test_each_encoding_reads_as_the_same_table(raw, text):
    expected = [line.split(";") for line in text.splitlines()]
    assert read_table(raw, "notes.csv") == expected


def test_a_file_of_random_bytes_is_refused_with_a_french_message():
    soup = bytes(range(256)) * 8 + os.urandom(2000)
    with pytest.raises(ImportError_, match="encodage du fichier non reconnu"):
        read_table(soup, "notes.csv")


def test_a_binary_file_that_happens_to_decode_is_refused():
    with pytest.raises(ImportError_, match="encodage du fichier non reconnu"):
        read_table(b"PK\x03\x04\x00\x00\x00\x08\x00abc;def\n", "notes.csv")


def test_the_grade_import_reads_an_excel_unicode_export_and_refuses_bytes_soup(client, exam, world):
    rows = ["N° candidat\tU1\tU21", "20270001\t12\t10,5"]
    utf16 = ("\r\n".join(rows) + "\r\n").encode("utf-16")
    client.force_login(world.users["examens_a"])
    url = reverse("exam_import", args=[exam.pk])
    response = client.post(url, {"file": SimpleUploadedFile("notes.txt", utf16)})
    html = response.content.decode()
    assert response.status_code == 200 and "Enregistrer ces notes" in html
    assert "0 erreur" in html and "10,5" in html
    soup = bytes(range(256)) * 8
    response = client.post(url, {"file": SimpleUploadedFile("notes.csv", soup)})
    assert response.status_code == 400  # said beside the file (tests/exams/test_sessions.py)
    assert "Encodage du fichier non reconnu" in response.content.decode()
