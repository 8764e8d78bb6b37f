"""The exam office's own screens: a session opened (mock freely, official citing its jury),
edited while unsigned, closed once signed; what the référentiel does not give is refused, with
its reason beside the field; who may do what."""

import pytest
from django.conf import settings
from django.urls import reverse

from livret.exams import services
from livret.exams.models import ExamSession
from livret.people.models import Cohort
from livret.referentiels.loader import load_files

UNITS = ["U1", "U21", "U22", "U3", "U4", "U51", "U52", "U6"]


def _post(client, url, **fields):
    data = {
        "referentiel": "",
        "kind": ExamSession.MOCK,
        "name": "",
        "year": "2027",
        "official_reference": "",
        "control_exams": "on",
        "report_deadline": "",
        "jury": "",
    }
    data.update(fields)
    return client.post(url, data)


def test_the_exam_office_opens_a_mock_session_then_registers_its_cohort(client, exam, world):
    office = world.users["examens_a"]
    client.force_login(office)
    page = client.get(reverse("exam_sessions")).content.decode()
    assert reverse("exam_session_new") in page
    form = client.get(reverse("exam_session_new")).content.decode()
    # Only the diplomas the centre trains for are offered.
    assert f'value="{world.ref.pk}"' in form
    response = _post(
        client,
        reverse("exam_session_new"),
        referentiel=world.ref.pk,
        name="Examen blanc n° 2",
        jury="Mme Durand ; présidente\nM. Roux ; professionnel",
        report_deadline="2027-03-01",
    )
    session = ExamSession.objects.get(name="Examen blanc n° 2")
    assert response.status_code == 302
    assert response["Location"] == reverse("exam_deliberation", args=[session.pk])
    # A second mock the same year as the fixture's: a centre holds as many as it wishes.
    assert session.year == exam.year and session.kind == ExamSession.MOCK
    assert session.organiser == world.cohort_a.centre
    assert session.jury_members == [["Mme Durand", "présidente"], ["M. Roux", "professionnel"]]
    assert (session.created_by, session.history.get().history_user) == (office, office)
    assert session.created_at is not None
    # The registration follows on the session's page.
    page = client.get(response["Location"]).content.decode()
    assert "Inscrire une promotion" in page and "Modifier la session" in page
    client.post(reverse("exam_register", args=[session.pk]), {"cohort": world.cohort_a.pk})
    assert session.candidates.count() == 2


def test_every_problem_at_once_beside_its_field_values_kept_nothing_saved(client, exam, world):
    client.force_login(world.users["examens_a"])
    before = ExamSession.objects.count()
    response = _post(
        client,
        reverse("exam_session_new"),
        referentiel=world.ref.pk,
        kind=ExamSession.OFFICIAL,
        name="",
        year="1990",
        jury="Mme Durand ; présidente\n ; sans nom",
    )
    html = response.content.decode()
    assert response.status_code == 400
    assert ExamSession.objects.count() == before
    assert 'id="id_name_error"><li>Ce champ est obligatoire.' in html
    assert 'id="id_year_error"><li>Année de session attendue entre 2000 et' in html
    assert (
        'id="id_official_reference_error"><li>Une session officielle cite le procès-verbal' in html
    )
    assert "Ligne(s) 2 : le nom du membre manque" in html
    assert (
        'aria-invalid="true"' in html
        and 'aria-describedby="id_name_helptext id_name_error"' in html
    )
    assert "Mme Durand ; présidente" in html  # what was typed stays
    assert "Rien n'est enregistré ; à corriger :" in html  # the summary, each linked


def test_an_official_session_cites_its_jury_and_is_one_a_year(client, exam, world):
    client.force_login(world.users["examens_a"])
    url = reverse("exam_session_new")
    ok = _post(
        client,
        url,
        referentiel=world.ref.pk,
        kind=ExamSession.OFFICIAL,
        name="BTS MOS juin 2027",
        official_reference="Convocation rectorat 2027-112",
    )
    assert ok.status_code == 302
    again = _post(
        client,
        url,
        referentiel=world.ref.pk,
        kind=ExamSession.OFFICIAL,
        name="Encore",
        official_reference="Autre",
    )
    assert again.status_code == 400
    assert "déjà une session officielle de ce diplôme en 2027" in again.content.decode()


def test_a_referentiel_without_its_epreuves_opens_no_session(client, exam, world):
    """The Bac pro file gives no units and coefficients yet: nothing is guessed."""
    bac = load_files([settings.REFERENTIEL_DIR / "bacpro-metiers-securite_2026-12-04.yaml"])[0]
    Cohort.objects.create(
        centre=world.cohort_a.centre, referentiel=bac.referentiel, name="Bac", start_year=2025
    )
    client.force_login(world.users["examens_a"])
    response = _post(
        client, reverse("exam_session_new"), referentiel=bac.referentiel.pk, name="Blanc bac"
    )
    html = response.content.decode()
    assert response.status_code == 400
    assert "ne donne pas encore ses épreuves (unités et coefficients)" in html
    assert "atelier des référentiels" in html


def test_another_centres_diploma_cannot_be_chosen(client, exam, world, mos):
    client.force_login(world.users["examens_b"])
    tp = load_files([settings.REFERENTIEL_DIR / "tp-operateur-videoprotection_2026-11-26.yaml"])
    ref = tp[0].referentiel
    Cohort.objects.create(centre=world.cohort_a.centre, referentiel=ref, name="TP", start_year=2026)
    response = _post(client, reverse("exam_session_new"), referentiel=ref.pk, name="X")
    assert response.status_code == 400
    assert "Sélectionnez un choix valide" in response.content.decode()


def test_edit_while_unsigned_then_sign_then_close(client, exam, world):
    office = world.users["examens_a"]
    client.force_login(office)
    edit = reverse("exam_session_edit", args=[exam.pk])
    form = client.get(edit).content.decode()
    assert "Mme Présidente ; présidente" in form
    # Candidates are registered: the diploma, year and nature stay as they are.
    assert "Des candidats sont inscrits : ne se modifie plus." in form
    r = _post(client, edit, referentiel=999, year="2026", name="BTS MOS 2027 (blanc)", jury="A ; b")
    assert r.status_code == 302
    exam.refresh_from_db()
    assert (exam.name, exam.year, exam.jury_members) == ("BTS MOS 2027 (blanc)", 2027, [["A", "b"]])
    assert exam.history.first().history_user == office
    # Closing waits for the signed minutes.
    r = client.post(reverse("exam_close", args=[exam.pk]), follow=True)
    assert "Signez d&#x27;abord le procès-verbal" in r.content.decode()
    for c in exam.candidates.all():
        for u in UNITS:
            services.set_grade(c, u, "12", office)
    services.sign_minutes(exam, office)
    r = client.get(edit, follow=True)
    assert "la session ne se modifie plus" in r.content.decode()
    r = client.post(reverse("exam_close", args=[exam.pk]), follow=True)
    html = r.content.decode()
    assert "Session clôturée le" in html and "Ouvrir une nouvelle délibération" not in html
    exam.refresh_from_db()
    assert exam.closed_by == office and exam.closed_at is not None
    # Closed for good: no new deliberation, no registration.
    r = client.post(reverse("exam_reopen", args=[exam.pk]), {"reason": "erreur"}, follow=True)
    assert "La session est clôturée" in r.content.decode()
    with pytest.raises(services.Locked, match="clôturée"):
        services.register_cohort(exam, world.cohort_a, office)


def test_who_may(client, exam, world):
    client.force_login(world.users["manager_a"])
    assert client.get(reverse("exam_session_new")).status_code == 403
    assert client.get(reverse("exam_session_edit", args=[exam.pk])).status_code == 403
    assert client.post(reverse("exam_close", args=[exam.pk])).status_code == 403
    client.force_login(world.users["examens_b"])
    assert client.get(reverse("exam_session_edit", args=[exam.pk])).status_code == 404
    assert client.post(reverse("exam_close", args=[exam.pk])).status_code == 404
    client.force_login(world.users["trainer_a"])
    assert client.get(reverse("exam_session_new")).status_code == 404


def test_a_mock_result_is_worded_as_a_mock_and_not_mailed_as_an_official_one(exam, world):
    from livret.notifications.models import Notification

    office = world.users["examens_a"]
    for c in exam.candidates.all():
        for u in UNITS:
            services.set_grade(c, u, "12" if c.learner == world.learner1 else "6", office)
    services.sign_minutes(exam, office)
    assert not Notification.objects.filter(kind="jury_result").exists()
    mine = Notification.objects.get(recipient=world.users["learner1"])
    assert mine.kind == "evaluation" and mine.mode == "digest"
    assert mine.title == f"Examen blanc — {exam.name} : résultat d'entraînement (admis)"
    assert "sans valeur pour le diplôme" in mine.body
