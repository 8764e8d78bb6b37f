"""Exam sessions in the app: registration, forms by status, grades, dispenses, lock, PDFs, rights."""

import base64
import io
import re

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from livret.exams import importer, services
from livret.exams.models import Candidate, Grade
from livret.tables import MAX_BYTES

UNITS = ["U1", "U21", "U22", "U3", "U4", "U51", "U52", "U6"]


def grade_all(session, user, value="12", **override):
    for c in session.candidates.all():
        for u in UNITS:
            services.set_grade(c, u, override.get(u, value), user)


def test_registration_and_forms_by_status(client, exam, world):
    numbers = list(exam.candidates.values_list("number", "status"))
    assert numbers == [("20270001", "approved"), ("20270002", "approved")]
    c = exam.candidates.get(learner=world.learner1)
    client.force_login(world.users["examens_a"])
    html = client.get(reverse("exam_candidate", args=[exam.pk, c.pk])).content.decode()
    assert "CCF 1 situation" in html  # E4 in an approved centre
    c.status = Candidate.OTHER
    c.save()
    html = client.get(reverse("exam_candidate", args=[exam.pk, c.pk])).content.decode()
    assert "Ponctuelle orale, 50 min" in html  # E4 otherwise
    assert "Ponctuelle écrite, 4 h" in html  # E1


def test_grade_entry_errors_name_the_unit(client, exam, world):
    c = exam.candidates.first()
    client.force_login(world.users["examens_a"])
    url = reverse("exam_candidate_update", args=[exam.pk, c.pk])
    typed = {"action": "grades", "grade-U1": "21", "grade-U4": "12.345", "grade-U3": "14"}
    response = client.post(url, typed)
    html = response.content.decode()
    # Every error beside its field, all at once; what was typed is still in the form.
    assert response.status_code == 400
    assert 'id="grade-U1-error">note de U1 hors de 0–20 (21)' in html
    assert 'id="grade-U4-error">note de U4 avec plus de deux décimales' in html
    assert 'name="grade-U4" value="12.345"' in html and 'name="grade-U3" value="14"' in html
    assert "Aucune note enregistrée : 2 valeur(s) à corriger" in html
    # Nothing saved, not even the valid grade.
    assert not c.grades.exists()
    typed.update({"grade-U1": "15", "grade-U4": "12.34"})
    assert client.post(url, typed).status_code == 302
    assert sorted(c.grades.values_list("unit", "hundredths")) == [
        ("U1", 1500),
        ("U3", 1400),
        ("U4", 1234),
    ]


def test_dispense_grounds_are_checked_against_the_rule(exam, world):
    c = exam.candidates.first()
    user = world.users["examens_a"]
    services.add_dispensation(c, "U1", "other_bts", user)
    with pytest.raises(services.ValidationError, match="ne donne pas dispense de U3") as refused:
        services.add_dispensation(c, "U3", "other_bts", user)
    # The règlement's words, never the file's codes.
    message = refused.value.messages[0]
    assert "« titulaire d'un BTS d'une autre spécialité »" in message
    assert "titulaire d'une licence ayant validé l'économie-droit et le management" in message
    assert "other_bts" not in message and "licence_economics" not in message
    with pytest.raises(services.ValidationError, match="aucune dispense de U4"):
        services.add_dispensation(c, "U4", "other_bts", user)
    services.add_dispensation(c, "U3", "dut_economics_law_management", user)
    assert sorted(c.dispensations.values_list("unit", flat=True)) == ["U1", "U3"]


def test_deliberation_lock_and_new_reasoned_deliberation(client, exam, world):
    user = world.users["examens_a"]
    grade_all(exam, user)
    d1 = services.sign_minutes(exam, user)
    assert d1.snapshot[0]["final"] == "admis" and d1.snapshot[0]["average"] == 1200
    c = exam.candidates.first()
    with pytest.raises(services.Locked):
        services.set_grade(c, "U1", "5", user)
    with pytest.raises(services.ValidationError, match="motivée"):
        services.open_deliberation(exam, user, "")
    d2 = services.open_deliberation(exam, user, "Erreur de report en U1")
    services.set_grade(c, "U1", "5", user)
    assert d2.number == 2
    d1.refresh_from_db()
    assert d1.snapshot[0]["grades"]["U1"] == "12"  # the signed minutes keep what was signed
    client.force_login(user)
    html = client.get(reverse("exam_deliberation", args=[exam.pk])).content.decode()
    assert "Erreur de report en U1" in html and "pv-1.pdf" in html


def test_sign_refuses_incomplete_or_pending_control(exam, world):
    user = world.users["examens_a"]
    with pytest.raises(services.ValidationError, match="Notes incomplètes"):
        services.sign_minutes(exam, user)
    grade_all(exam, user, "8", U4="10", U51="10", U52="10", U6="10")
    with pytest.raises(services.ValidationError, match="Épreuves de contrôle à noter"):
        services.sign_minutes(exam, user)


def test_a_control_grade_for_a_candidate_not_entitled_is_refused(exam, world):
    user = world.users["examens_a"]
    c = exam.candidates.order_by("number").first()
    with pytest.raises(services.ValidationError, match="premier groupe n'est pas complet"):
        services.set_grade(c, "U1", "12", user, control=True)
    grade_all(exam, user, "12")
    with pytest.raises(services.ValidationError, match="admis au premier groupe"):
        services.set_grade(c, "U1", "12", user, control=True)
    grade_all(exam, user, "8", U4="10", U51="10", U52="10", U6="10")
    services.set_grade(c, "U1", "12", user, control=True)
    services.set_grade(c, "U3", "11", user, control=True)
    with pytest.raises(services.ValidationError, match="au plus 2 épreuves de contrôle"):
        services.set_grade(c, "U21", "11", user, control=True)
    assert c.grades.filter(control=True).count() == 2


def test_jury_decision_kept_beside_the_computed_one(client, exam, world):
    user = world.users["examens_a"]
    grade_all(exam, user, "9")
    c = exam.candidates.first()
    with pytest.raises(services.ValidationError, match="motivée"):
        services.record_jury_decision(exam, c, "admis", " ", user)
    services.record_jury_decision(exam, c, "admis", "Assiduité et progression remarquables", user)
    row = [r for r in services.results(exam) if r.candidate == c][0]
    assert row.outcome.decision == "ajourne" and row.final == "admis"


def pdf_pages(content):
    import pypdfium2 as pdfium

    pdf = pdfium.PdfDocument(io.BytesIO(content))
    texts, images = [], []
    for page in pdf:
        texts.append(page.get_textpage().get_text_range())
        images.append(page.render(scale=1).to_pil())
    return "\n".join(texts), images


def test_minutes_and_transcript_render(client, exam, world, tmp_path):
    user = world.users["examens_a"]
    grade_all(exam, user, "11.5")
    c = exam.candidates.get(learner=world.learner1)
    services.set_grade(c, "U4", "13.75", user)  # (11.5 × 38 + 2.25 × 8) / 38 = 11.97
    services.sign_minutes(exam, user)
    client.force_login(world.users["manager_a"])  # a manager reads the minutes
    for url, expected in [
        (
            reverse("exam_pv", args=[exam.pk]),
            [
                # (the fixture's session is the centre's mock exam, and says so)
                "Examen blanc — procès-verbal de la commission du centre",
                "sans valeur pour le diplôme",
                "Learner1 UN",
                "11,97",
                "Admis",
                "Mme Présidente",
                "Le président du jury",
            ],
        ),
        (
            reverse("exam_transcript", args=[exam.pk, c.pk]),
            ["Examen blanc — relevé de notes", "Learner1 UN", "Moyenne : 11,97", "13,75"],
        ),
    ]:
        response = client.get(url)
        assert response["Content-Type"] == "application/pdf"
        text, images = pdf_pages(response.content)
        for words in expected:
            assert words in text, words
        png = tmp_path / "page.png"
        images[0].save(png)
        image = images[0].convert("L")
        assert (
            image.size[0] > 500 and image.getextrema()[0] < 100
        )  # a real page with dark ink on it


def test_blocs_attestation_for_a_failed_candidate(client, exam, world):
    user = world.users["examens_a"]
    grade_all(exam, user, "6", U4="12", U51="10", U52="9")
    c = exam.candidates.first()
    client.force_login(user)
    # A mock exam (the centre's own session, the default) never attests a bloc.
    text, _ = pdf_pages(client.get(reverse("exam_blocs", args=[exam.pk, c.pk])).content)
    assert "Examen blanc : unités obtenues" in text
    assert "ne vaut pas attestation de réussite à des blocs" in text
    assert "Attestation de réussite" not in text and "recteur" not in text
    # An official session (the certifier's jury, its minutes cited) does.
    exam.kind, exam.official_reference = "official", "PV du jury académique du 4 juillet 2027"
    exam.save()
    response = client.get(reverse("exam_blocs", args=[exam.pk, c.pk]))
    text, _ = pdf_pages(response.content)
    assert "Attestation de réussite à des blocs de compétences" in text
    assert "PV du jury académique du 4 juillet 2027" in text
    assert "Préparation et mise en œuvre d'une prestation de sécurité" in text  # B1 ← U4 12
    assert "Management des ressources humaines" in text  # B2 ← U51 10
    assert "Gestion de la relation client" not in text  # U52 9


def test_import_preview_then_all_or_nothing(client, exam, world):
    user = world.users["examens_a"]
    good = "numero;nom;prenom;U1;U21;U22;U3;E4;U51;U52;U6\n20270001;Un;Learner1;12;10;11;9,5;14;ABS;10;NV\n20270002;Deux;Learner2;8;8;8;8;8;8;8;8\n"
    preview = importer.preview(exam, good.encode(), "notes.csv")
    assert preview.ok and preview.units == ["U1", "U21", "U22", "U3", "U4", "U51", "U52", "U6"]
    bad = good + "20279999;X;Y;25;10;10;10;10;10;10;10\n"
    preview = importer.preview(exam, bad.encode(), "notes.csv")
    messages = [e for r in preview.rows for e in r.errors] + [
        c.error for r in preview.rows for c in r.cells if c.error
    ]
    assert "ligne 4 : candidat n° 20279999 inconnu dans cette session" in messages
    assert "ligne 4, colonne U1 : note de U1 hors de 0–20 (25)" in messages
    with pytest.raises(importer.ImportError_):
        importer.apply(exam, bad.encode(), "notes.csv", user)
    assert not Grade.objects.exists()
    assert importer.apply(exam, good.encode(), "notes.csv", user) == 16
    c = exam.candidates.get(number="20270001")
    assert {g.unit: g.display for g in c.grades.all()} == {
        "U1": "12",
        "U21": "10",
        "U22": "11",
        "U3": "9,50",
        "U4": "14",
        "U51": "ABS",
        "U52": "10",
        "U6": "NV",
    }


def test_import_xlsx_through_the_page(client, exam, world):
    from openpyxl import Workbook

    wb = Workbook()
    ws = wb.active
    ws.append(["N° candidat", "U1", "U21", "U22", "U3", "U4", "U51", "U52", "U6"])
    ws.append(["20270001", 12, 10, 11, 9.5, 14, 10, 10, 11])
    buffer = io.BytesIO()
    wb.save(buffer)
    client.force_login(world.users["examens_a"])
    url = reverse("exam_import", args=[exam.pk])
    html = client.post(
        url, {"file": SimpleUploadedFile("notes.xlsx", buffer.getvalue())}
    ).content.decode()
    assert "0 erreur" in html and "Enregistrer ces notes" in html and not Grade.objects.exists()
    payload = html.split('name="payload" value="')[1].split('"')[0]
    response = client.post(url, {"confirm": "1", "payload": payload, "filename": "notes.xlsx"})
    assert response.status_code == 302 and Grade.objects.count() == 8


def _said_beside_the_file(response, said):
    """The file input marked invalid, described by its error list saying `said`, and the
    summary « Rien n'est enregistré » linking to it (issue 25, item 8)."""
    text = response.content.decode()
    control = re.search(r'<input[^>]*id="id_file"[^>]*>', text).group(0)
    assert 'type="file"' in control and 'aria-invalid="true"' in control
    described = re.search(r'aria-describedby="([^"]+)"', control).group(1).split()
    assert any(
        re.search(rf'id="{i}"[^>]*>(?:<li>)?[^<]*{re.escape(said)}', text) for i in described
    )
    assert "Rien n'est enregistré" in text
    assert re.search(rf'href="#id_file"[^>]*>Fichier de notes</a> : [^<]*{re.escape(said)}', text)


def test_a_grade_import_without_a_file_is_said_beside_the_file(client, exam, world):
    client.force_login(world.users["examens_a"])
    response = client.post(reverse("exam_import", args=[exam.pk]), {})
    assert response.status_code == 400
    _said_beside_the_file(response, "Choisissez un fichier CSV ou XLSX.")
    assert "Enregistrer ces notes" not in response.content.decode()
    assert not Grade.objects.exists()


@pytest.mark.parametrize(
    "name, content, said",
    [
        ("notes.xlsx", b"not a workbook at all", "Classeur XLSX illisible"),
        ("notes.csv", b"numero;U1\n" + b"1;2\n" * (MAX_BYTES // 4), "Fichier trop volumineux"),
    ],
)
def test_an_unreadable_or_too_big_grade_file_is_said_beside_the_file(
    client, exam, world, name, content, said
):
    client.force_login(world.users["examens_a"])
    url = reverse("exam_import", args=[exam.pk])
    response = client.post(url, {"file": SimpleUploadedFile(name, content)})
    assert response.status_code == 400
    _said_beside_the_file(response, said)
    assert "Enregistrer ces notes" not in response.content.decode()
    assert not Grade.objects.exists()


def test_a_refused_confirm_is_said_beside_the_file_and_saves_nothing(client, exam, world):
    client.force_login(world.users["examens_a"])
    url = reverse("exam_import", args=[exam.pk])
    good = "numero;U1\n20270001;12\n"
    html = client.post(url, {"file": SimpleUploadedFile("notes.csv", good.encode())}).content
    assert "0 erreur" in html.decode() and 'role="alert"' not in html.decode()
    # The payload changed since its preview: an unknown candidate, so nothing at all saved.
    bad = base64.b64encode((good + "20279999;25\n").encode()).decode()
    response = client.post(url, {"confirm": "1", "payload": bad, "filename": "notes.csv"})
    assert response.status_code == 400
    _said_beside_the_file(response, "Choisissez de nouveau le fichier.")
    assert "2 erreur(s) : rien n&#x27;a été enregistré." in response.content.decode()
    assert not Grade.objects.exists()


def test_a_preview_with_errors_says_their_count_as_an_alert(client, exam, world):
    client.force_login(world.users["examens_a"])
    url = reverse("exam_import", args=[exam.pk])
    bad = "numero;U1\n20279999;25\n"
    response = client.post(url, {"file": SimpleUploadedFile("notes.csv", bad.encode())})
    html = response.content.decode()
    assert response.status_code == 200 and 'id="id_file_error"' not in html
    assert re.search(r'<p class="alert alert-danger" role="alert">2 erreurs</p>', html)
    assert "Enregistrer ces notes" not in html and not Grade.objects.exists()


def test_nv_proposal_from_short_stage(exam, world):
    import datetime

    from livret.periods.models import Period

    learner = world.learner2
    learner.status = "school"
    learner.save()
    Period.objects.create(
        learner=learner,
        company=learner.company,
        start=datetime.date(2026, 1, 5),
        end=datetime.date(2026, 1, 30),
        attestation_received=True,
        attestation_signed=True,
    )
    c = exam.candidates.get(learner=learner)
    units = [u for u, _ in services.nv_proposals(c)]
    assert (
        "U4" in units and "U51" in units
    )  # the référentiel's NV cases for E4 and E51 include a short stage


def test_carried_grades_from_a_failed_session(exam, world):
    from livret.exams.models import ExamSession

    user = world.users["examens_a"]
    # A mock exam (examen blanc) of the same year, failed with better grades: the centre's own
    # practice never counts as an official grade (bénéfice des notes comes from a jury's session).
    mock = ExamSession.objects.create(
        referentiel=world.ref, organiser=world.cohort_a.centre, year=2025, name="Blanc 2025"
    )
    services.register_cohort(mock, world.cohort_a, user)
    grade_all(mock, user, "3", U4="15", U6="16")
    services.sign_minutes(mock, user)
    c = exam.candidates.get(learner=world.learner1)
    assert services.carried_grades(c) == []
    old = ExamSession.objects.create(
        referentiel=world.ref,
        organiser=world.cohort_a.centre,
        year=2025,
        name="Session 2025",
        kind=ExamSession.OFFICIAL,
        official_reference="PV du jury académique, juin 2025",
    )
    services.register_cohort(old, world.cohort_a, user)
    grade_all(old, user, "7", U4="13", U6="10")
    services.sign_minutes(old, user)
    assert [(u, h) for u, _, h in services.carried_grades(c)] == [("U4", 1300), ("U6", 1000)]
    assert services.apply_carried_grades(c, user) == 2
    assert c.grades.get(unit="U4").source == Grade.CARRIED
    c2 = exam.candidates.get(learner=world.learner2)
    c2.renounces_carried_grades = True
    c2.save()
    assert services.carried_grades(c2) == []


def test_rights(client, exam, world):
    c = exam.candidates.first()
    urls = [
        ("GET", reverse("exam_deliberation", args=[exam.pk])),
        ("GET", reverse("exam_candidate", args=[exam.pk, c.pk])),
        ("GET", reverse("exam_csv", args=[exam.pk])),
        ("GET", reverse("exam_import", args=[exam.pk])),
        ("POST", reverse("exam_sign", args=[exam.pk])),
        ("POST", reverse("exam_candidate_update", args=[exam.pk, c.pk])),
    ]
    expected = {
        "examens_a": [200, 200, 200, 200, 302, 302],
        "admin": [200, 200, 200, 200, 302, 302],
        "manager_a": [200, 200, 200, 403, 403, 403],  # reads, does not enter grades
        "examens_b": [404] * 6,
        "manager_b": [404] * 6,
        "trainer_a": [404] * 6,
        "tutor_x": [404] * 6,
        "learner1": [404] * 6,
    }
    failures = []
    for role, statuses in expected.items():
        client.force_login(world.users[role])
        for (method, url), status in zip(urls, statuses, strict=True):
            got = (client.post(url) if method == "POST" else client.get(url)).status_code
            if got != status:
                failures.append(f"{role} {method} {url}: {got} != {status}")
    client.logout()
    for method, url in urls:
        response = client.post(url) if method == "POST" else client.get(url)
        if response.status_code != 302 or "/connexion/" not in response.url:
            failures.append(f"anonymous {url}")
    assert not failures, "\n".join(failures)


def test_nv_proposal_from_missing_or_late_report(exam, world):
    import datetime

    exam.report_deadline = datetime.date(2027, 3, 15)
    exam.save()
    late, missing = exam.candidates.order_by("number")
    late.report_submitted_on = datetime.date(2027, 3, 20)
    late.save()
    assert (
        "U4",
        "rapport ou dossier déposé le 20/03/2027, après la date limite du 15/03/2027",
    ) in services.nv_proposals(late, datetime.date(2027, 4, 1))
    assert (
        "U51",
        "rapport ou dossier non déposé (date limite : 15/03/2027)",
    ) in services.nv_proposals(missing, datetime.date(2027, 4, 1))
    assert not any(
        "rapport" in why for _, why in services.nv_proposals(missing, datetime.date(2027, 3, 1))
    )  # not due yet


def test_session_grade_grid_is_all_or_nothing_with_every_error_in_place(client, exam, world):
    url = reverse("exam_grades", args=[exam.pk])
    client.force_login(world.users["examens_a"])
    page = client.get(url)
    assert page.status_code == 200
    c1, c2 = exam.candidates.order_by("number")[:2]
    typed = {
        f"g-{c1.pk}-U1": "12,5",
        f"g-{c1.pk}-U21": "21",
        f"g-{c2.pk}-U1": "abs",
        f"g-{c2.pk}-U3": "9.999",
    }
    response = client.post(url, typed)
    html = response.content.decode()
    assert response.status_code == 400
    assert f'id="g-{c1.pk}-U21-error">note de U21 hors de 0–20 (21)' in html
    assert f'id="g-{c2.pk}-U3-error">note de U3 avec plus de deux décimales' in html
    assert f'name="g-{c1.pk}-U1" id="g-{c1.pk}-U1" value="12,5"' in html  # typed values kept
    assert not Grade.objects.filter(candidate__session=exam).exists()
    typed.update({f"g-{c1.pk}-U21": "11", f"g-{c2.pk}-U3": "9,99"})
    assert client.post(url, typed).status_code == 302
    saved = {
        (g.candidate_id, g.unit): g.display for g in Grade.objects.filter(candidate__session=exam)
    }
    assert saved == {
        (c1.pk, "U1"): "12,50",
        (c1.pk, "U21"): "11",
        (c2.pk, "U1"): "ABS",
        (c2.pk, "U3"): "9,99",
    }
    # Saving the same grid again changes nothing and writes no history.
    before = Grade.history.count()
    assert client.post(url, typed).status_code == 302
    assert Grade.history.count() == before
    # The manager sees the session but does not type grades.
    client.force_login(world.users["manager_a"])
    assert client.get(url).status_code == 403


def test_deliberation_rows_show_grades_decisions_and_escape_names(client, exam, world):
    """The rows are built in Python (exams/rows.py): each cell as the jury reads it."""
    user = world.users["examens_a"]
    grade_all(exam, user, "12,5", U4="ABS")
    first, second = list(exam.candidates.order_by("number"))[:2]
    first.last_name, first.first_name = "<b>Durand</b>", "Zoé & Léa"
    first.save()
    services.set_grade(second, "U4", "14", user)
    services.record_jury_decision(exam, second, "ajourne", "Fraude constatée <signalée>", user)
    client.force_login(user)
    html = client.get(reverse("exam_deliberation", args=[exam.pk])).content.decode()
    assert "<b>Durand" not in html and "&lt;B&gt;DURAND&lt;/B&gt; Zoé &amp; Léa" in html
    row = html.split(reverse("exam_candidate", args=[exam.pk, first.pk]))[1].split("</tr>")[0]
    assert row.count('<td class="">12,50</td>') == 7 and '<td class="mark-ABS">ABS</td>' in row
    assert "U4 : absent" in row  # the computed decision gives its reason
    other = html.split(reverse("exam_candidate", args=[exam.pk, second.pk]))[1].split("</tr>")[0]
    average = next(r for r in services.results(exam) if r.candidate == second).outcome.average
    assert f'<td class="avg">{average // 100},{average % 100:02d}</td>' in other
    assert '<td class="">14</td>' in other and "Admis</span>" in other  # computed
    assert "<strong>Ajourné</strong>" in other and "Fraude constatée &lt;signalée&gt;" in other


def test_the_candidate_page_names_dispensation_grounds_in_words(client, world, exam):
    from django.urls import reverse

    from livret.exams.services import add_dispensation

    c = exam.candidates.order_by("number").first()
    add_dispensation(c, "U1", "level5_diploma", world.users["examens_a"])
    client.force_login(world.users["examens_a"])
    page = client.get(reverse("exam_candidate", args=[exam.pk, c.pk])).content.decode()
    assert "dispensé (titulaire d&#x27;un diplôme national de niveau 5 ou supérieur)" in page
    assert '<option value="dut">titulaire d&#x27;un DUT</option>' in page
    for code in ("other_bts", "level5_diploma", "tertiary_bts"):
        assert f">{code}" not in page


def test_a_centre_not_habilitated_registers_its_apprentices_in_the_third_column(world, client):
    from livret.exams.models import ExamSession
    from livret.exams.services import register_cohort

    session = ExamSession.objects.create(
        referentiel=world.ref, organiser=world.cohort_a.centre, year=2028, name="Blanc 2028"
    )
    register_cohort(session, world.cohort_a, world.users["admin"])
    assert set(session.candidates.values_list("status", flat=True)) == {"other"}
    c = session.candidates.order_by("number").first()
    assert c.status_label == "Autres candidats (non habilité, à distance, 3 ans d'expérience)"
    # Habilitated: the CCF column.
    world.cohort_a.centre.habilitations.add(world.ref.diploma)
    session2 = ExamSession.objects.create(
        referentiel=world.ref, organiser=world.cohort_a.centre, year=2029, name="Blanc 2029"
    )
    register_cohort(session2, world.cohort_a, world.users["admin"])
    assert set(session2.candidates.values_list("status", flat=True)) == {"approved"}


def test_a_bts_mco_candidate_gets_the_forms_of_its_single_column(world, client, django_user_model):
    from django.conf import settings

    from livret.exams.models import ExamSession
    from livret.exams.services import register_cohort
    from livret.people.models import Cohort, Learner, Profile
    from livret.referentiels.loader import load_files
    from tests.world import make_user

    mco = load_files([settings.REFERENTIEL_DIR / "bts-mco_2026-11-22.yaml"])[0].referentiel
    centre = world.cohort_a.centre
    cohort = Cohort.objects.create(centre=centre, referentiel=mco, name="MCO", start_year=2025)
    Learner.objects.create(
        cohort=cohort, centre=centre, first_name="Ana", last_name="Mco", status=Learner.SCHOOL
    )
    session = ExamSession.objects.create(
        referentiel=mco, organiser=centre, year=2027, name="BTS MCO 2027"
    )
    register_cohort(session, cohort, world.users["admin"])
    c = session.candidates.get()
    assert c.status == "all"
    admin = make_user(django_user_model, "examens_mco", Profile.EXAM_ADMIN, centre)
    client.force_login(admin)
    page = client.get(reverse("exam_candidate", args=[session.pk, c.pk])).content.decode()
    assert "Écrite, 4 h" in page  # E1: written, 240 minutes
