"""Référentiel pages: who may see them, what they show, and a bounded number of queries."""

import pytest
from django.urls import reverse

from livret.referentiels.loader import load_bytes
from tests.queries import count_queries
from tests.referentiels.samples import MINIMAL

PAGES = [
    ("diploma_list", []),
    ("search", []),
    ("tree", ["bts-mos"]),
    ("blocs", ["bts-mos"]),
    ("exams", ["bts-mos"]),
    ("competence", ["bts-mos", "A1.2C3"]),
]


@pytest.mark.parametrize(("name", "args"), PAGES)
def test_anonymous_is_sent_to_login(client, referentiels, name, args):
    url = reverse(name, args=args)
    response = client.get(url)
    assert response.status_code == 302
    assert response.url == f"{reverse('login')}?next={url}"


@pytest.mark.parametrize(("name", "args"), PAGES)
def test_logged_user_sees_each_page(logged_client, referentiels, name, args):
    assert logged_client.get(reverse(name, args=args)).status_code == 200


@pytest.mark.parametrize(
    "url",
    [
        "/referentiels/bts-inconnu/",
        "/referentiels/bts-inconnu/epreuves/",
        "/referentiels/bts-mos/competences/Z9.9C9/",
        "/referentiels/bts-mos/?version=1999-01-01",
        "/referentiels/bts-mos/?version=pas-une-date",
        # A competence of another diploma is not found under this one.
        "/referentiels/bts-mco/competences/A1.2C3/",
    ],
)
def test_unknown_objects_are_404(logged_client, referentiels, url):
    assert logged_client.get(url).status_code == 404


def test_login_page_is_public_and_login_works(client, user):
    assert client.get(reverse("login")).status_code == 200
    response = client.post(
        reverse("login"), {"username": "formateur", "password": "mot-de-passe-de-test-2026"}
    )
    assert response.status_code == 302
    bad = client.post(reverse("login"), {"username": "formateur", "password": "faux"})
    assert "Identifiant ou mot de passe incorrect" in bad.content.decode()


def test_tree_shows_the_whole_tree_with_cross_links(logged_client, referentiels):
    html = logged_client.get(reverse("tree", args=["bts-mos"])).content.decode()
    assert html.count('class="code">A') >= 11 + 48 + 52 + 61
    assert "Analyser les risques inhérents au site et à l&#x27;activité" in html
    assert 'href="/referentiels/bts-mos/competences/A1.2C3/"' in html
    # The competence carries its bloc and the épreuve that assesses it.
    assert (
        'href="/referentiels/bts-mos/blocs/#B1"' in html
        and 'href="/referentiels/bts-mos/epreuves/#E4"' in html
    )
    assert "Effectuer une inspection visuelle des bagages et une palpation de sécurité" in html


def test_competence_page_links_exams_bloc_and_knowledge(logged_client, referentiels):
    html = logged_client.get(reverse("competence", args=["bts-mos", "A1.2C3"])).content.decode()
    assert "Déterminer les moyens techniques et humains nécessaires" in html
    assert "B1" in html and "E4" in html and "coefficient 8" in html
    assert "A1.2S5" in html and "Limites de savoir" in html
    assert "Ponctuelle orale, 50 min" in html


def test_exam_table_per_candidate_status(logged_client, referentiels):
    url = reverse("exams", args=["bts-mos"])
    html = logged_client.get(url).content.decode()
    assert "Scolaire ou apprenti, établissement habilité" in html and "Autres candidats" in html
    only_other = logged_client.get(url, {"statut": "other"}).content.decode()
    assert (
        "50 min" in only_other
        and "CCF, 1 situation" not in only_other.split("<tbody>")[1].split("</tbody>")[0]
    )
    only_approved = logged_client.get(url, {"statut": "approved"}).content.decode()
    body = only_approved.split("<tbody>")[1].split("</tbody>")[0]
    assert "CCF, 1 situation" in body and "50 min" not in body
    assert ">38<" in html  # total of the compulsory coefficients: 4+2+2+6+8+5+5+6


def test_partial_referentiel_says_what_is_missing(logged_client, referentiels):
    html = logged_client.get(reverse("tree", args=["bacpro-metiers-securite"])).content.decode()
    assert (
        "Référentiel partiel" in html and "règlement d&#x27;examen (épreuves, coefficients" in html
    )
    listing = logged_client.get(reverse("diploma_list")).content.decode()
    assert listing.count("Référentiel partiel") == 4


@pytest.mark.parametrize(
    ("q", "expected"),
    [
        ("A1.2C3", "A1.2C3"),
        ("a1.2c3", "A1.2C3"),
        ("palpation", "C5.4"),
        ("reglementation incendie", "A1.2S3"),
        ("E51", "E51"),
    ],
)
def test_search(logged_client, referentiels, q, expected):
    response = logged_client.get(reverse("search"), {"q": q})
    results = response.context["results"]
    assert any(r["item"].code == expected for r in results), [r["item"].code for r in results]
    if q.upper() == expected:
        assert results[0]["item"].code == expected  # the exact code comes first


def test_search_within_one_diploma(logged_client, referentiels):
    results = logged_client.get(reverse("search"), {"q": "culture", "diplome": "bts-mco"}).context[
        "results"
    ]
    assert results and {r["ref"].diploma.slug for r in results} == {"bts-mco"}


def test_old_version_stays_reachable(logged_client, db):
    load_bytes(MINIMAL.encode(), "old.yaml")
    load_bytes(
        MINIMAL.replace("version: 2026-01-15", "version: 2027-01-15")
        .replace("Compétence deux", "Compétence neuve")
        .encode(),
        "new.yaml",
    )
    url = reverse("tree", args=["bts-test"])
    assert "Compétence neuve" in logged_client.get(url).content.decode()
    old = logged_client.get(url, {"version": "2026-01-15"}).content.decode()
    assert "Compétence deux" in old and "version antérieure" in old


@pytest.mark.parametrize("name", ["tree", "blocs", "exams"])
def test_query_count_does_not_grow_with_the_referentiel(logged_client, referentiels, name):
    # A one-activity référentiel and the full BTS MOS (82 competences) cost the same number of
    # queries; both have an older version (the BTS MOS has two: 2026-11-22 and 2026-11-26).
    load_bytes(MINIMAL.encode(), "small.yaml")
    load_bytes(MINIMAL.replace("version: 2026-01-15", "version: 2027-01-15").encode(), "s2.yaml")
    small = count_queries(logged_client, reverse(name, args=["bts-test"]))
    big = count_queries(logged_client, reverse(name, args=["bts-mos"]))
    assert big == small
    assert big <= 19  # the header: centre, unread notifications; the older versions listed


def test_a_diploma_without_competences_says_so_instead_of_all_acquired(client, world):
    """A Bac pro pupil (the file gives no competences yet) is not told « toutes acquises »."""
    from django.conf import settings as django_settings

    from livret.people.models import Cohort
    from livret.referentiels.loader import load_files

    ref = load_files([django_settings.REFERENTIEL_DIR / "bacpro-metiers-securite_2026-11-26.yaml"])[
        0
    ].referentiel
    cohort = Cohort.objects.create(
        centre=world.cohort_a.centre, referentiel=ref, name="Bac pro", start_year=2024
    )
    world.learner2.cohort = cohort
    world.learner2.save()
    client.force_login(world.users["learner2"])
    page = client.get(reverse("learner_home")).content.decode()
    assert "ne donne pas encore ses compétences" in page
    assert "Toutes les compétences sont acquises" not in page and "0/0" not in page
    client.force_login(world.users["tutor_y"])
    page = client.get(reverse("tutor_home")).content.decode()
    assert "compétences du diplôme pas encore transcrites" in page
    # A BTS learner still sees his progression.
    client.force_login(world.users["learner1"])
    assert (
        "ne donne pas encore ses compétences"
        not in client.get(reverse("learner_home")).content.decode()
    )
