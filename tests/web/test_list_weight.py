"""List pages read what they show, not the large fields beside it (issue 26, item 10): « Mon centre
→ promotions » without each référentiel's document (60 KB of JSON per cohort), « Mes tâches »
without each import's stored preview (6.5 MB for 10,000 rows), and the deliberation page offers
the cohorts in training that year, by name, not all of a centre's hundreds in one drop-down."""

import datetime
import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from livret.jobs.models import Job
from livret.people.models import Cohort


def offered(html):
    """The names in the drop-down of cohorts to register."""
    select = re.search(r'<select[^>]*id="cohort".*?</select>', html, re.S)
    return re.findall(r'<option value="\d+">([^<]+)</option>', select[0]) if select else []


def sql_of(client, url):
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(url)
    assert response.status_code == 200
    return response.content.decode(), " ".join(q["sql"] for q in ctx.captured_queries)


@pytest.mark.django_db
def test_the_cohorts_list_of_the_centre_reads_no_referentiel_document(client, world):
    client.force_login(world.users["manager_a"])
    html, sql = sql_of(client, reverse("centre_records", args=["promotions"]))
    assert "MOS A" in html and str(world.cohort_a.referentiel) in html
    assert '"referentiels_referentiel"."document"' not in sql
    assert '"referentiels_referentiel"."title"' in sql  # the référentiel is read, not its file


@pytest.mark.django_db
def test_the_jobs_list_reads_no_stored_preview(client, world):
    manager = world.users["manager_a"]
    preview = {"rows": [{"line": i, "values": {"nom": "x" * 50}} for i in range(2000)]}
    Job.objects.create(
        kind="import_preview",
        title="Import : Apprenants — vérification",
        requested_by=manager,
        centre=world.cohort_a.centre,
        status=Job.DONE,
        params={"kind": "apprenants"},
        result=preview,
    )
    client.force_login(manager)
    html, sql = sql_of(client, reverse("jobs"))
    assert "Import : Apprenants — vérification" in html and "Terminée" in html
    assert '"jobs_job"."result"' not in sql and '"jobs_job"."params"' not in sql


@pytest.mark.django_db
def test_the_deliberation_page_offers_the_cohorts_in_training_that_year_by_name(
    client, world, exam
):
    w = world
    centre, ref = w.cohort_a.centre, w.cohort_a.referentiel
    assert exam.year == 2027 and w.cohort_a.start_year == 2025
    Cohort.objects.bulk_create(
        Cohort(centre=centre, referentiel=ref, name=f"MOS {i:02d}", start_year=2026)
        for i in range(35)
    )
    Cohort.objects.create(centre=centre, referentiel=ref, name="MOS ancienne", start_year=2019)
    Cohort.objects.create(
        centre=centre,
        referentiel=ref,
        name="MOS examen avancé",
        start_year=2018,
        exam_date=datetime.date(2027, 5, 18),
    )
    client.force_login(w.users["examens_a"])
    url = reverse("exam_deliberation", args=[exam.pk])
    html = client.get(url).content.decode()
    names = offered(html)
    assert len(names) == 30 and names == sorted(names)
    assert "Plus de 30 promotions" in html and "MOS ancienne" not in names
    assert "MOS 34" not in names  # beyond the first 30 by name: found by searching
    html = client.get(url, {"promotion": "34"}).content.decode()
    assert offered(html) == ["MOS 34"] and "Plus de 30" not in html
    html = client.get(url, {"promotion": "examen avancé"}).content.decode()
    assert offered(html) == ["MOS examen avancé"]  # its exam falls in the session's year
    html = client.get(url, {"promotion": "ancienne"}).content.decode()
    assert offered(html) == [] and "Aucune promotion de ce diplôme" in html
    assert offered(client.get(url, {"promotion": "mos a"}).content.decode()) == ["MOS A"]
