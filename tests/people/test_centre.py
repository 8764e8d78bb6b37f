"""The manager's own pages for his centre: what he may create, edit and assign — and what he may
never reach or give (another centre's people and companies, a role above his own)."""

import re

import pytest
from django.core import mail
from django.urls import reverse

from livret.ops import importer
from livret.people.models import Learner, Organisation, Profile


@pytest.fixture
def manager(client, world):
    client.force_login(world.users["manager_a"])
    return client


def test_manager_adds_a_trainer_who_gets_a_link_to_choose_his_password(
    manager, world, client, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):  # the e-mail leaves once saved
        response = manager.post(
            reverse("centre_record_new", args=["equipe"]),
            {
                "username": "n.formatrice",
                "first_name": "Nadia",
                "last_name": "Formatrice",
                "email": "nadia@cfa-a.fr",
                "is_active": "on",
                "role": Profile.TRAINER,
            },
        )
    assert response.status_code == 302
    profile = Profile.objects.get(user__username="n.formatrice")
    assert profile.role == Profile.TRAINER and profile.organisation == world.cohort_a.centre
    # Who created the profile, and when, is kept.
    assert profile.history.first().history_user == world.users["manager_a"]
    assert len(mail.outbox) == 1 and mail.outbox[0].to == ["nadia@cfa-a.fr"]
    link = re.search(r"http://testserver(/mot-de-passe/\S+/)", mail.outbox[0].body).group(1)
    client.logout()
    page = client.get(link, follow=True)
    new = "une phrase de passe pour nadia"
    client.post(page.redirect_chain[-1][0], {"new_password1": new, "new_password2": new})
    response = client.post(reverse("login"), {"username": "n.formatrice", "password": new})
    assert response.status_code == 302


def test_no_role_above_the_managers_own(manager, world):
    response = manager.post(
        reverse("centre_record_new", args=["equipe"]),
        {
            "username": "pirate",
            "first_name": "P",
            "last_name": "P",
            "email": "p@x.fr",
            "is_active": "on",
            "role": Profile.CERTIFIER,
        },
    )
    assert response.status_code == 400
    assert "Sélectionnez un choix valide" in response.content.decode()
    assert not Profile.objects.filter(user__username="pirate").exists()
    # A manager cannot demote or close his own account either.
    own = world.users["manager_a"]
    manager.post(
        reverse("centre_record", args=["equipe", own.pk]),
        {
            "username": own.username,
            "first_name": "M",
            "last_name": "A",
            "email": "m@a.fr",
            "role": Profile.TRAINER,
        },
    )
    own.refresh_from_db()
    assert own.profile.role == Profile.MANAGER and own.is_active


def test_another_centres_people_and_companies_can_be_neither_listed_nor_assigned(manager, world):
    other_company = Organisation.objects.create(
        name="Entreprise du centre B", kind=Organisation.COMPANY, centre=world.cohort_b.centre
    )
    form = manager.get(reverse("centre_record", args=["apprenants", world.learner1.pk]))
    html = form.content.decode()
    assert "Entreprise du centre B" not in html and "MOS B" not in html
    assert "Tutor_y" in html or "tutor_y" in html.lower()
    data = {
        "first_name": "Learner1",
        "last_name": "Un",
        "status": Learner.APPRENTICE,
        "cohort": world.cohort_b.pk,  # another centre's cohort
        "company": other_company.pk,  # another centre's company
        "tutor": world.users["trainer_b"].pk,  # not even a tutor, and of centre B
    }
    response = manager.post(reverse("centre_record", args=["apprenants", world.learner1.pk]), data)
    assert response.status_code == 400
    html = response.content.decode()
    text = re.sub(r"<[^>]+>", "", html)
    # Every refused field at once, in the summary (linked to it) and beside the field (marked).
    for label, name in (
        ("Promotion", "cohort"),
        ("Entreprise", "company"),
        ("Maître d&#x27;apprentissage / tuteur", "tutor"),
    ):
        assert f"{label} : Sélectionnez un choix valide" in text, label
        assert f'href="#id_{name}"' in html and f'id="id_{name}_error"' in html, name
        assert re.search(rf'<select[^>]*name="{name}"[^>]*aria-invalid="true"', html) or re.search(
            rf'<select[^>]*aria-invalid="true"[^>]*name="{name}"', html
        ), name
    world.learner1.refresh_from_db()
    assert (
        world.learner1.cohort == world.cohort_a and world.learner1.centre == world.cohort_a.centre
    )
    # Another centre's record: 404, for reading and for writing.
    url = reverse("centre_record", args=["apprenants", world.learner_b.pk])
    assert manager.get(url).status_code == 404
    assert manager.post(url, data).status_code == 404


def test_a_company_created_here_belongs_to_this_centre(manager, world):
    manager.post(
        reverse("centre_record_new", args=["entreprises"]),
        {"name": "Gardiennage Nouveau", "city": "Melun", "siret": "123 456 789 01234"},
    )
    company = Organisation.objects.get(name="Gardiennage Nouveau")
    assert company.kind == Organisation.COMPANY and company.centre == world.cohort_a.centre
    assert company.siret == "12345678901234"
    listing = manager.get(reverse("centre_records", args=["entreprises"]) + "?q=nouveau")
    assert "Gardiennage Nouveau" in listing.content.decode()
    other = world.users["manager_b"]
    manager.force_login(other)
    listing = manager.get(reverse("centre_records", args=["entreprises"]))
    assert "Gardiennage Nouveau" not in listing.content.decode()


def test_settings_are_the_centres_own_and_checked(manager, world):
    url = reverse("centre_home")
    response = manager.post(
        url, {"name": "CFA A", "city": "", "siret": "", "retention_years": 0, "access_log_days": 5}
    )
    assert response.status_code == 400
    html = response.content.decode()
    assert "Entre 1 et 50 ans." in html and "Entre 30 et 3 650 jours." in html
    manager.post(
        url,
        {"name": "CFA A", "city": "", "siret": "", "retention_years": 3, "access_log_days": 90},
    )
    centre = world.cohort_a.centre
    centre.refresh_from_db()
    assert (centre.retention_years, centre.access_log_days) == (3, 90)
    world.cohort_b.centre.refresh_from_db()
    assert world.cohort_b.centre.retention_years == 5


def test_import_never_takes_over_another_centres_account(world):
    centre_a = world.cohort_a.centre
    text = "identifiant;prenom;nom;courriel;entreprise\ntrainer_b;X;Y;x@y.fr;Entreprise X\n"
    preview = importer.preview(centre_a, "tuteurs", text.encode(), "t.csv")
    assert not preview.ok
    assert any("déjà utilisé par un autre compte" in e for r in preview.rows for e in r.errors)
    trainer_b = world.users["trainer_b"]
    trainer_b.refresh_from_db()
    assert trainer_b.profile.role == Profile.TRAINER and trainer_b.first_name == "Trainer_b"
    # Learners: a tutor or a company of another centre is unknown here.
    Organisation.objects.create(
        name="Firme B", kind=Organisation.COMPANY, centre=world.cohort_b.centre
    )
    learners = (
        "nom;prenom;courriel;date_naissance;statut;promotion;entreprise;tuteur;debut_contrat;fin_contrat\n"
        "Z;Z;z@z.fr;;apprenti;MOS A;Firme B;;;\n"
    )
    preview = importer.preview(centre_a, "apprenants", learners.encode(), "a.csv")
    assert any("entreprise « Firme B » inconnue" in e for r in preview.rows for e in r.errors)


def test_manager_edits_the_centres_closed_weeks_every_bad_line_named(manager, world):
    cohort = world.cohort_a
    url = reverse("centre_record", args=["promotions", cohort.pk])
    data = {
        "name": cohort.name,
        "referentiel": cohort.referentiel_id,
        "start_year": cohort.start_year,
        "duration_years": 2,
        "trainers": [world.users["trainer_a"].pk],
        "rhythm": "CCEEE",
        "centre_hours_per_week": "16",
        "company_hours_per_week": "19",
        "programme_hours": 1350,
        "closures_text": "21/12/2025 – 03/01/2026\n31/02/2026\n10/04/2026 – 01/04/2026\n",
    }
    response = manager.post(url, data)
    html = response.content.decode()
    assert response.status_code == 400
    assert "ligne 2 : « 31/02/2026 » n&#x27;est pas une date" in html
    assert "ligne 3 : la fin précède le début" in html
    cohort.refresh_from_db()
    assert cohort.closures == []
    data["closures_text"] = "21/12/2025 – 03/01/2026\n15/05/2026\n"
    assert manager.post(url, data).status_code == 302
    cohort.refresh_from_db()
    assert cohort.closures == [["2025-12-21", "2026-01-03"], ["2026-05-15", "2026-05-15"]]
    # The calendar shows the closed week as company time.
    calendar = manager.get(reverse("cohort_calendar", args=[cohort.pk])).content.decode()
    assert "Modifier le rythme et les fermetures du centre" in calendar
    christmas = calendar.split('<th scope="row">22/12/2025</th>')[1].split("</tr>")[0]
    # Closed week: company days, and Christmas Day (Thursday) a public holiday.
    assert "Centre" not in christmas and christmas.count("Entreprise") == 4
    assert christmas.count("Férié") == 1
    before = calendar.split('<th scope="row">15/12/2025</th>')[1].split("</tr>")[0]
    assert before.count("Centre") == 2  # CCEEE outside the closure
    form = manager.get(url).content.decode()
    assert "21/12/2025 – 03/01/2026" in form and "15/05/2026" in form


def test_manager_opens_a_learners_account_who_chooses_his_password(
    manager, world, client, django_capture_on_commit_callbacks
):
    data = {
        "first_name": "Inès",
        "last_name": "Haddad",
        "email": "ines.haddad@exemple.fr",
        "status": Learner.APPRENTICE,
        "cohort": world.cohort_a.pk,
        "username": "ines.haddad",
    }
    url = reverse("centre_record_new", args=["apprenants"])
    # An identifier already taken and no e-mail: both said at once, nothing created.
    taken = manager.post(url, {**data, "username": "trainer_b", "email": ""})
    html = taken.content.decode()
    assert taken.status_code == 400
    assert "Cet identifiant est déjà pris." in html and "Le courriel est nécessaire" in html
    assert not Learner.objects.filter(last_name="Haddad").exists()
    with django_capture_on_commit_callbacks(execute=True):
        assert manager.post(url, data).status_code == 302
    learner = Learner.objects.get(last_name="Haddad")
    assert learner.user.username == "ines.haddad" and learner.centre == world.cohort_a.centre
    assert learner.user.profile.role == Profile.LEARNER
    assert not learner.user.has_usable_password()
    assert mail.outbox[-1].to == ["ines.haddad@exemple.fr"]
    link = re.search(r"http://testserver(/mot-de-passe/\S+/)", mail.outbox[-1].body).group(1)
    client.logout()
    page = client.get(link, follow=True)
    new = "la phrase de passe d'Inès"
    client.post(page.redirect_chain[-1][0], {"new_password1": new, "new_password2": new})
    response = client.post(reverse("login"), {"username": "ines.haddad", "password": new})
    assert response.status_code == 302
    assert client.get(reverse("learner_home")).status_code == 200
    # Editing the learner later shows the account without changing it.
    manager.force_login(world.users["manager_a"])
    form = manager.get(reverse("centre_record", args=["apprenants", learner.pk])).content.decode()
    assert "Compte déjà ouvert." in form


def _png() -> bytes:
    import io

    from PIL import Image

    buffer = io.BytesIO()
    Image.new("RGB", (4, 4), "navy").save(buffer, "PNG")
    return buffer.getvalue()


def test_settings_form_says_each_error_beside_its_field_and_shows_the_logo(
    manager, world, settings, tmp_path
):
    from html import unescape

    from django.core.files.uploadedfile import SimpleUploadedFile

    settings.MEDIA_ROOT = tmp_path
    url = reverse("centre_home")
    fields = {"name": "CFA Alpha", "city": "Lyon", "siret": "", "retention_years": 0}
    fields |= {"access_log_days": 90, "visit_every_weeks": 10, "interview_every_weeks": 12}
    fields |= {"holiday_zone": "C", "local_holidays": "", "public_sector": "on"}
    response = manager.post(url, fields)
    assert response.status_code == 400
    html = unescape(response.content.decode())
    # Beside the field (marked and described) and in the summary linking to it; typed values kept.
    field = re.search(r'<input[^>]*name="retention_years"[^>]*>', html).group(0)
    assert 'aria-invalid="true"' in field and "id_retention_years_error" in field
    assert 'id="id_retention_years_error"' in html and 'href="#id_retention_years"' in html
    assert 'value="Lyon"' in html and 'value="CFA Alpha"' in html
    assert re.search(r'<input[^>]*name="public_sector"[^>]*checked', html)
    centre = world.cohort_a.centre
    centre.refresh_from_db()
    assert centre.name != "CFA Alpha"  # nothing saved
    # A logo sent is shown as the pages show it (its own address, not the storage's path), with a
    # box to remove it; a radio or a box is never drawn as a text box.
    fields["retention_years"] = 5
    fields["logo"] = SimpleUploadedFile("logo.png", _png(), content_type="image/png")
    assert manager.post(url, fields).status_code == 302
    html = manager.get(url).content.decode()
    assert f'src="{reverse("centre_logo")}"' in html and "Retirer le logo" in html
    assert "logos/" not in html
    assert not re.search(r'type="checkbox"[^>]*class="[^"]*form-control', html)
    assert manager.get(reverse("centre_logo")).status_code == 200
    del fields["logo"]
    assert manager.post(url, fields | {"logo-clear": "on"}).status_code == 302
    centre.refresh_from_db()
    assert not centre.logo
