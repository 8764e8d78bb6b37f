"""One address per person, checked the same everywhere; namesakes warned; a learner's tutor from
his company; every error of an import row; the import templates' example line."""

import importlib

import pytest
from django.apps import apps
from django.urls import reverse

from livret.ops import importer
from livret.people.emails import normalise_email
from livret.people.models import Learner


@pytest.fixture
def manager(client, world):
    client.force_login(world.users["manager_a"])
    return client


@pytest.fixture
def centre(world):
    return world.cohort_a.centre


def learner_data(world, **changes):
    company_x = world.learner1.company
    return {
        "first_name": "Awa",
        "last_name": "Diallo",
        "email": "Awa.Diallo@EXEMPLE.FR",
        "birth_date": "2006-03-12",
        "status": Learner.APPRENTICE,
        "cohort": world.cohort_a.pk,
        "company": company_x.pk,
        "tutor": world.users["tutor_x"].pk,
        **changes,
    }


def test_one_validator_normalises_the_domain_and_refuses_what_is_not_an_address():
    assert normalise_email("  Awa.Diallo@EXEMPLE.Fr ") == "Awa.Diallo@exemple.fr"
    assert normalise_email("") == ""
    for bad in ("pas-un-courriel", "a@b", "a b@c.fr"):
        with pytest.raises(Exception, match="n'est pas une adresse électronique valide"):
            normalise_email(bad)


def test_the_centre_form_writes_the_learners_account_address(manager, world):
    url = reverse("centre_record", args=["apprenants", world.learner1.pk])
    data = learner_data(world, first_name=world.learner1.first_name, last_name="Un")
    data.pop("birth_date")
    assert manager.post(url, data).status_code == 302
    world.learner1.refresh_from_db()
    world.users["learner1"].refresh_from_db()
    # The mailer reads the account's address: it is the one the centre typed.
    assert world.learner1.email == world.users["learner1"].email == "Awa.Diallo@exemple.fr"
    refused = manager.post(url, {**data, "email": "pas-un-courriel"})
    assert refused.status_code == 400
    assert "« pas-un-courriel » n&#x27;est pas une adresse électronique valide." in (
        refused.content.decode()
    )


def test_the_form_shows_the_accounts_address_when_the_account_changed_it(manager, world):
    account = world.users["learner1"]
    account.email = "nouvelle@exemple.fr"
    account.save()
    page = manager.get(reverse("centre_record", args=["apprenants", world.learner1.pk]))
    assert 'value="nouvelle@exemple.fr"' in page.content.decode()


def test_a_namesake_is_warned_and_saved_only_once_confirmed(manager, world):
    url = reverse("centre_record_new", args=["apprenants"])
    assert manager.post(url, learner_data(world)).status_code == 302
    again = manager.post(url, learner_data(world, email="autre@exemple.fr", last_name="DIALLO"))
    html = again.content.decode()
    assert again.status_code == 400
    assert "Un apprenant du centre a déjà ce nom et cette date de naissance" in html
    assert 'type="checkbox" name="not_a_duplicate"' in html
    assert Learner.objects.filter(last_name__iexact="diallo").count() == 1
    confirmed = manager.post(
        url, learner_data(world, email="autre@exemple.fr", not_a_duplicate="on")
    )
    assert confirmed.status_code == 302
    assert Learner.objects.filter(last_name__iexact="diallo").count() == 2


def test_a_tutor_of_another_company_is_refused_by_name(manager, world):
    url = reverse("centre_record_new", args=["apprenants"])
    other = world.learner2.company  # tutor_x works at the learner1's company, not this one
    refused = manager.post(url, learner_data(world, company=other.pk))
    html = refused.content.decode()
    assert refused.status_code == 400
    assert f"Tutor_x Test est tuteur chez {world.learner1.company}, pas chez {other}." in html
    no_company = manager.post(url, learner_data(world, company=""))
    assert "Indiquez l&#x27;entreprise : Tutor_x Test est tuteur chez" in (
        no_company.content.decode()
    )
    assert not Learner.objects.filter(last_name="Diallo").exists()


HEADER = "nom;prenom;courriel;date_naissance;statut;promotion;entreprise;tuteur;debut_contrat;fin_contrat\n"


def preview(centre, kind, text):
    return importer.preview(centre, kind, text.encode(), f"{kind}.csv")


def test_the_import_refuses_what_the_form_refuses_naming_line_and_column(centre, world):
    result = preview(
        centre, "apprenants", HEADER + "Diallo;Awa;pas-un-courriel;;apprenti;MOS A;;;;\n"
    )
    assert result.rows[0].errors == [
        "ligne 2, colonne courriel : « pas-un-courriel » n'est pas une adresse électronique valide."
    ]


def test_the_import_lists_every_error_of_a_row_when_the_name_is_missing(centre, world):
    result = preview(centre, "apprenants", HEADER + ";Awa;x@;31/02/2006;stagiaire;MOS A;;;;\n")
    errors = result.rows[0].errors
    assert errors[0] == "ligne 2, colonne nom : valeur obligatoire manquante"
    assert any("colonne statut : statut « stagiaire » inconnu" in e for e in errors)
    assert any("colonne date_naissance : date illisible" in e for e in errors)
    assert any("colonne courriel :" in e for e in errors)


def test_the_import_refuses_a_tutor_of_another_company(centre, world):
    x, y = world.learner1.company.name, world.learner2.company.name
    result = preview(
        centre,
        "apprenants",
        HEADER
        + f"Diallo;Awa;;;apprenti;MOS A;{y};tutor_x;;\nMorel;Hugo;;;apprenti;MOS A;;tutor_x;;\n",
    )
    assert result.rows[0].errors == [
        f"ligne 2, colonne tuteur : Tutor_x Test est tuteur chez {x}, pas chez {y}"
    ]
    assert result.rows[1].errors == [
        f"ligne 3, colonne entreprise : entreprise manquante : Tutor_x Test est tuteur chez {x}"
    ]
    assert not result.ok


def test_the_import_warns_of_namesakes_without_refusing(centre, world):
    Learner.objects.filter(pk=world.learner1.pk).update(birth_date="2006-03-12")
    result = preview(
        centre,
        "apprenants",
        HEADER
        + "UN;learner1;l1@exemple.fr;12/03/2006;apprenti;MOS A;;;;\n"
        + "Morel;Hugo;h1@exemple.fr;02/11/2005;scolaire;MOS A;;;;\n"
        + "Morel;Hugo;h2@exemple.fr;02/11/2005;scolaire;MOS A;;;;\n",
    )
    assert result.ok
    assert result.rows[0].warnings == [
        "ligne 2 : même nom et même date de naissance que Learner1 UN, déjà dans le centre : "
        "vérifiez qu'il ne s'agit pas de la même personne"
    ]
    assert result.rows[1].warnings == []
    assert result.rows[2].warnings == [
        "ligne 4 : même nom et même date de naissance qu'à la ligne 3"
    ]


def test_the_import_writes_the_learners_account_address(centre, world):
    # Imported first without an address, he is found again by his name and birth date.
    Learner.objects.filter(pk=world.learner1.pk).update(birth_date="2006-03-12")
    row = "Un;Learner1;{};12/03/2006;apprenti;MOS A;;;;\n"
    done = importer.apply(
        centre, "apprenants", (HEADER + row.format("l1@EXEMPLE.fr")).encode(), "a.csv"
    )
    assert done.counts()["modifié"] == 1
    world.users["learner1"].refresh_from_db()
    assert world.users["learner1"].email == "l1@exemple.fr"
    # A file without the address leaves it as it is.
    importer.apply(centre, "apprenants", (HEADER + row.format("")).encode(), "a.csv")
    world.users["learner1"].refresh_from_db()
    world.learner1.refresh_from_db()
    assert world.users["learner1"].email == world.learner1.email == "l1@exemple.fr"


def test_templates_carry_an_example_line_left_out_when_imported_as_is(manager, centre, world):
    body = manager.get(reverse("import_template", args=["apprenants"])).content.decode("utf-8-sig")
    header, example = body.strip().splitlines()
    assert header.split(";")[0] == "nom" and "lea.exemple@apprenant.example" in example
    values = manager.get(reverse("import_template_values", args=["apprenants"]))
    text = values.content.decode("utf-8-sig")
    assert (
        "statut;oui;apprenti, contrat de professionnalisation, scolaire, formation continue" in text
    )
    assert "date_naissance;non;JJ/MM/AAAA (ou AAAA-MM-JJ)" in text
    # The template as downloaded imports: its example line is left out, said so.
    result = preview(centre, "apprenants", body)
    assert result.rows == [] and result.skipped == [
        "ligne 2 : la ligne d'exemple du modèle, ignorée"
    ]
    # A real line under it is imported; the example, changed, is a row like any other.
    done = importer.apply(
        centre, "apprenants", (body + "Morel;Hugo;;;scolaire;MOS A;;;;\n").encode(), "a.csv"
    )
    assert (
        done.counts()["nouveau"] == 1 and not Learner.objects.filter(last_name="Exemple").exists()
    )
    changed = preview(centre, "apprenants", body.replace("Léa", "Léo"))
    assert changed.rows and changed.rows[0].errors  # its promotion is not the centre's


def test_the_migration_gives_a_learners_account_the_records_address(world):
    account = world.users["learner1"]
    account.email = ""
    account.save()
    Learner.objects.filter(pk=world.learner1.pk).update(email="l1@exemple.fr")
    migration = importlib.import_module("livret.people.migrations.0020_learner_email_to_account")
    migration.copy(apps, None)
    account.refresh_from_db()
    assert account.email == "l1@exemple.fr"
