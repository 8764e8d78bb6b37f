"""School holidays: the operator loads the Ministry's export, the centre picks its zone, the
alternance calendar shows them; a bad file loads nothing and names every problem."""

import json

import pytest
from django.urls import reverse

from livret.cli import main
from livret.periods.models import SchoolHoliday

EXPORT = [
    {
        "description": "Vacances de la Toussaint",
        "population": "-",
        "start_date": "2025-10-17T22:00:00+00:00",
        "end_date": "2025-11-02T23:00:00+00:00",
        "location": "Lyon",
        "zones": "Zone A",
        "annee_scolaire": "2025-2026",
    },
    {
        "description": "Vacances de la Toussaint",
        "population": "-",
        "start_date": "2025-10-17T22:00:00+00:00",
        "end_date": "2025-11-02T23:00:00+00:00",
        "location": "Paris",
        "zones": "Zone C",
        "annee_scolaire": "2025-2026",
    },
]


@pytest.fixture
def export(tmp_path):
    path = tmp_path / "fr-en-calendrier-scolaire.json"
    path.write_text(json.dumps(EXPORT), encoding="utf-8")
    return path


@pytest.mark.django_db
def test_import_then_import_again_replaces_the_years_it_holds(export, capsys):
    assert main(["holidays", "import", str(export)]) == 0
    assert "zone A : 1 période(s)" in capsys.readouterr().out
    assert main(["holidays", "import", str(export)]) == 0
    assert SchoolHoliday.objects.count() == 2
    h = SchoolHoliday.objects.get(zone="A")
    assert "data.education.gouv.fr" in h.source and "fr-en-calendrier-scolaire.json" in h.source


@pytest.mark.django_db
def test_a_bad_file_loads_nothing_and_names_every_problem(export, tmp_path, capsys):
    bad = tmp_path / "bad.json"
    bad.write_text(json.dumps([*EXPORT, {"zones": "Zone B"}, "x"]), encoding="utf-8")
    assert main(["holidays", "import", str(bad)]) == 2
    err = capsys.readouterr().err
    assert "rien n'est chargé" in err
    assert "enregistrement 3 : description, start_date, annee_scolaire manquant(s)" in err
    assert "enregistrement 4 : illisible" in err
    assert not SchoolHoliday.objects.exists()
    broken = tmp_path / "broken.json"
    broken.write_text('[{"zones": ', encoding="utf-8")
    assert main(["holidays", "import", str(broken)]) == 2
    assert "JSON illisible, ligne 1" in capsys.readouterr().err


@pytest.mark.django_db
def test_the_calendar_shows_the_holidays_of_the_centres_zone(client, world, export):
    url = reverse("cohort_calendar", args=[world.cohort_a.pk])
    client.force_login(world.users["manager_a"])
    assert "votre centre n'a pas choisi sa zone" in client.get(url).content.decode()
    centre = world.cohort_a.centre
    centre.holiday_zone = "B"
    centre.save()
    page = client.get(url).content.decode()
    assert "zone B : non chargées pour ces dates" in page
    main(["holidays", "import", str(export)])
    assert "Vacances de la Toussaint" not in client.get(url).content.decode()  # zone B has none
    centre.holiday_zone = "A"
    centre.save()
    page = client.get(url).content.decode()
    assert "Vacances scolaires de la zone A (2025-2026)" in page
    # The weeks of 20 and 27 October 2025 are holidays; the week of 3 November is not.
    row = lambda monday: page.split(f'<th scope="row">{monday}</th>')[1].split("</tr>")[0]  # noqa: E731
    assert "Vacances de la Toussaint" in row("20/10/2025")
    assert "Vacances de la Toussaint" in row("27/10/2025")
    assert "Vacances de la Toussaint" not in row("03/11/2025")


@pytest.mark.django_db
def test_the_manager_chooses_the_zone_in_the_centres_settings(client, world):
    client.force_login(world.users["manager_a"])
    page = client.get(reverse("centre_home")).content.decode()
    assert 'name="holiday_zone"' in page and "Zone C" in page


@pytest.mark.django_db
def test_a_diploma_without_a_stage_rule_reads_not_applicable(client, world):
    from django.conf import settings

    from livret.people.models import Cohort, Learner
    from livret.referentiels.loader import load_files

    tp = load_files([settings.REFERENTIEL_DIR / "tp-operateur-videoprotection_2026-11-22.yaml"])[
        0
    ].referentiel
    centre = world.cohort_a.centre
    cohort = Cohort.objects.create(centre=centre, referentiel=tp, name="TP", start_year=2025)
    learner = Learner.objects.create(
        cohort=cohort, centre=centre, first_name="Test", last_name="Tp", status=Learner.SCHOOL
    )
    client.force_login(world.users["manager_a"])
    page = client.get(reverse("learner_periods", args=[learner.pk])).content.decode()
    assert "Non applicable" in page and ">Conforme<" not in page
