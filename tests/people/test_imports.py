"""Imports: each fault named with its line and column, all-or-nothing, idempotent, mapping, 10,000 rows."""

import io

import pytest
from django.urls import reverse

from livret.competences.models import CompetenceEvaluation
from livret.jobs.models import Job
from livret.ops import importer
from livret.people.models import Cohort, Learner, Organisation
from livret.tables import ImportError_
from tests.worker import follow

COMPANIES = "nom;ville;siret\nVigilis;Paris;12345678901234\nProtecta;Lyon;\n"
TUTORS = (
    "identifiant;prenom;nom;courriel;entreprise\nk.belkacem;Karim;Belkacem;k@vigilis.fr;Vigilis\n"
)
COHORTS = "nom;diplome;annee_debut;duree\nBTS MOS 2026;bts-mos;2026;2\n"
LEARNERS = (
    "nom;prenom;courriel;date_naissance;statut;promotion;entreprise;tuteur;debut_contrat;fin_contrat\n"
    "Diallo;Awa;awa@ex.fr;12/03/2006;apprenti;BTS MOS 2026;Vigilis;k.belkacem;01/09/2026;31/08/2028\n"
    "Morel;Hugo;hugo@ex.fr;2005-11-02;scolaire;BTS MOS 2026;;;;\n"
)


def run(centre, kind, text, mapping=None):
    return importer.apply(centre, kind, text.encode(), f"{kind}.csv", mapping)


@pytest.fixture
def centre(world):
    return world.cohort_a.centre


def test_full_chain_and_idempotency(centre, world):
    assert run(centre, "entreprises", COMPANIES).counts() == {
        "nouveau": 2,
        "modifié": 0,
        "inchangé": 0,
    }
    run(centre, "tuteurs", TUTORS)
    run(centre, "promotions", COHORTS)
    assert run(centre, "apprenants", LEARNERS).counts()["nouveau"] == 2
    awa = Learner.objects.get(email="awa@ex.fr")
    assert (awa.cohort.name, awa.company.name, awa.tutor.username, str(awa.birth_date)) == (
        "BTS MOS 2026",
        "Vigilis",
        "k.belkacem",
        "2006-03-12",
    )
    # Re-importing the same files changes nothing.
    for kind, text in [
        ("entreprises", COMPANIES),
        ("tuteurs", TUTORS),
        ("promotions", COHORTS),
        ("apprenants", LEARNERS),
    ]:
        assert run(centre, kind, text).counts() == {
            "nouveau": 0,
            "modifié": 0,
            "inchangé": len(text.strip().splitlines()) - 1,
        }, kind
    # A changed row updates its record and is reported as such.
    changed = LEARNERS.replace(
        "Morel;Hugo;hugo@ex.fr;2005-11-02;scolaire",
        "Morel;Hugo;hugo@ex.fr;2005-11-02;formation continue",
    )
    assert run(centre, "apprenants", changed).counts() == {
        "nouveau": 0,
        "modifié": 1,
        "inchangé": 1,
    }
    assert Learner.objects.get(email="hugo@ex.fr").status == "continuing"


def test_evaluations_from_a_previous_tool(centre, world):
    world.learner1.email = "l1@ex.fr"
    world.learner1.save()
    text = "apprenant;competence;niveau;date;evaluateur\nl1@ex.fr;A1.1C1;acquise;15/01/2026;trainer_a\nl1@ex.fr;A1.1C2;en cours;2026-02-01;trainer_a\n"
    before = CompetenceEvaluation.objects.count()
    run(centre, "evaluations", text)
    assert CompetenceEvaluation.objects.count() == before + 2
    run(centre, "evaluations", text)
    assert CompetenceEvaluation.objects.count() == before + 2  # idempotent


@pytest.mark.parametrize(
    ("kind", "text", "message"),
    [
        (
            "entreprises",
            "nom;siret\nVigilis;123\n",
            "ligne 2, colonne siret : SIRET « 123 » : 14 chiffres attendus",
        ),
        (
            "promotions",
            "nom;diplome;annee_debut\nP;bts-inconnu;2026\n",
            "ligne 2, colonne diplome : diplôme « bts-inconnu » inconnu",
        ),
        (
            "promotions",
            "nom;diplome;annee_debut\nP;bts-mos;deux-mille\n",
            "ligne 2, colonne annee_debut : année et durée",
        ),
        (
            "apprenants",
            "nom;prenom;statut;promotion\nA;B;stagiaire;MOS A\n",
            "ligne 2, colonne statut : statut « stagiaire » inconnu",
        ),
        (
            "apprenants",
            "nom;prenom;statut;promotion\nA;B;apprenti;Inconnue\n",
            "ligne 2, colonne promotion : promotion « Inconnue » inconnue",
        ),
        (
            "apprenants",
            "nom;prenom;statut;promotion;date_naissance\nA;B;apprenti;MOS A;31/02/2006\n",
            "ligne 2, colonne date_naissance : date illisible « 31/02/2006 »",
        ),
        (
            "apprenants",
            "nom;prenom;statut;promotion\n;B;apprenti;MOS A\n",
            "ligne 2, colonne nom : valeur obligatoire manquante",
        ),
        (
            "apprenants",
            "nom;prenom;statut;promotion;courriel\nA;B;apprenti;MOS A;x@ex.fr\nC;D;apprenti;MOS A;x@ex.fr\n",
            "ligne 3 : même enregistrement que la ligne 2",
        ),
        (
            "tuteurs",
            "identifiant;prenom;nom;entreprise\nt;A;B;Nulle part\n",
            "ligne 2, colonne entreprise : entreprise « Nulle part » inconnue",
        ),
        (
            "evaluations",
            "apprenant;competence;niveau;date;evaluateur\nnobody@ex.fr;A1.1C1;acquise;2026-01-01;trainer_a\n",
            "ligne 2, colonne apprenant",
        ),
        ("apprenants", "prenom;statut\nB;apprenti\n", "colonne « nom » absente"),
    ],
)
def test_each_fault_is_named_and_nothing_is_saved(centre, world, kind, text, message):
    counts = (Organisation.objects.count(), Cohort.objects.count(), Learner.objects.count())
    result = importer.preview(centre, kind, text.encode(), "f.csv")
    messages = result.errors + [e for r in result.rows for e in r.errors]
    assert any(message in m for m in messages), messages
    with pytest.raises(ImportError_):
        run(centre, kind, text)
    assert (Organisation.objects.count(), Cohort.objects.count(), Learner.objects.count()) == counts


def test_column_mapping_for_another_layout(centre, world):
    text = "Famille;Prénom usuel;Régime;Classe\nRoux;Léo;apprenti;MOS A\n"
    preview = importer.preview(centre, "apprenants", text.encode(), "autre.csv")
    assert not preview.ok and "colonne « nom » absente" in preview.errors[0]
    mapping = {"last_name": 0, "first_name": 1, "status": 2, "cohort": 3}
    assert run(centre, "apprenants", text, mapping).counts()["nouveau"] == 1
    assert Learner.objects.filter(last_name="Roux", first_name="Léo").exists()


def test_ten_thousand_rows_with_one_bad_row_saves_nothing(centre, world):
    lines = ["nom;prenom;courriel;statut;promotion"]
    lines += [f"Nom{i};Prénom{i};p{i}@ex.fr;apprenti;MOS A" for i in range(10_000)]
    lines[7_351] = "Nom7350;Prénom7350;p7350@ex.fr;apprentie;MOS A"
    before = Learner.objects.count()
    with pytest.raises(ImportError_, match="1 erreur"):
        run(centre, "apprenants", "\n".join(lines) + "\n")
    assert Learner.objects.count() == before
    preview = importer.preview(centre, "apprenants", ("\n".join(lines) + "\n").encode(), "f.csv")
    assert [e for r in preview.rows for e in r.errors] == [
        "ligne 7352, colonne statut : statut « apprentie » inconnu (apprenti, contrat de professionnalisation, scolaire, formation continue)"
    ]


@pytest.mark.django_db(transaction=True)
def test_xlsx_through_the_page_and_rights(client, centre, world):
    from openpyxl import Workbook

    wb = Workbook()
    wb.active.append(["nom", "ville", "siret"])
    wb.active.append(["Gardiennage du Val", "Créteil", "98765432109876"])
    buffer = io.BytesIO()
    wb.save(buffer)
    for role in ("trainer_a", "tutor_x", "learner1", "admin"):
        client.force_login(world.users[role])
        assert client.get(reverse("imports")).status_code == 404
    client.force_login(world.users["manager_a"])
    assert (
        "nom;ville;siret"
        in client.get(reverse("import_template", args=["entreprises"])).content.decode()
    )
    from django.core.files.uploadedfile import SimpleUploadedFile

    # The upload starts a verification job; its page, once done, leads to the preview.
    job_page = follow(
        client,
        client.post(
            reverse("imports"),
            {"kind": "entreprises", "file": SimpleUploadedFile("e.xlsx", buffer.getvalue())},
        ),
    )
    job = Job.objects.get()
    assert job.status == Job.DONE and "Voir le résultat" in client.get(job_page).content.decode()
    html = client.get(reverse("imports") + f"?tache={job.pk}").content.decode()
    assert (
        "1 nouveau(x)" in html
        and not Organisation.objects.filter(name="Gardiennage du Val").exists()
    )
    # Another manager may not read this preview, nor confirm it.
    client.force_login(world.users["manager_b"])
    assert client.get(reverse("imports") + f"?tache={job.pk}").status_code == 404
    assert (
        client.post(
            reverse("imports"), {"kind": "entreprises", "tache": job.pk, "confirm": "1"}
        ).status_code
        == 404
    )
    client.force_login(world.users["manager_a"])
    follow(
        client,
        client.post(reverse("imports"), {"kind": "entreprises", "tache": job.pk, "confirm": "1"}),
    )
    assert Organisation.objects.filter(
        name="Gardiennage du Val", siret="98765432109876", centre=centre
    ).exists()
    # The same preview confirmed twice writes once, and says so.
    follow(
        client,
        client.post(reverse("imports"), {"kind": "entreprises", "tache": job.pk, "confirm": "1"}),
    )
    again = Job.objects.filter(kind="import_apply").order_by("created_at").last()
    assert again.status == Job.FAILED and again.error == "Ce fichier a déjà été enregistré."
    assert Organisation.objects.filter(name="Gardiennage du Val").count() == 1


@pytest.mark.django_db(transaction=True)
def test_every_error_of_every_row_is_shown_and_the_mapping_reads_as_a_table(client, centre, world):
    text = (
        "nom;prenom;courriel;date_naissance;statut;promotion;entreprise;tuteur;debut_contrat;fin_contrat\n"
        "Z;Z;z@z.fr;31/02/2006;martien;Promo inconnue;Firme X;personne;01/09/2026;01/09/2025\n"
    )
    result = importer.preview(centre, "apprenants", text.encode(), "a.csv")
    errors = result.rows[0].errors
    # Six independent problems on one line, all reported at once.
    for column in ("statut", "promotion", "entreprise", "tuteur", "date_naissance", "fin_contrat"):
        assert any(f"colonne {column}" in e for e in errors), (column, errors)
    # A required column left unmapped: the mapping table still shows every field.
    client.force_login(world.users["manager_a"])
    from django.core.files.uploadedfile import SimpleUploadedFile

    follow(
        client,
        client.post(
            reverse("imports"),
            {"kind": "apprenants", "file": SimpleUploadedFile("a.csv", b"nom;prenom\nA;B\n")},
        ),
    )
    job = Job.objects.get()
    html = client.get(reverse("imports") + f"?tache={job.pk}").content.decode()
    assert "mapping-table" in html and "obligatoire : choisissez une colonne" in html
    assert html.count('<tr class="table-danger">') >= 2  # statut, promotion
    assert "Enregistrer</button>" not in html
    # Mapping the same stored file again (no new upload) makes a new, valid preview.
    follow(
        client,
        client.post(
            reverse("imports"),
            {
                "kind": "apprenants",
                "tache": job.pk,
                "mapping": "1",
                "col-last_name": "0",
                "col-first_name": "1",
                "col-status": "",
                "col-cohort": "",
            },
        ),
    )
    second = Job.objects.order_by("created_at").last()
    assert second.pk != job.pk and second.upload.name == job.upload.name
    assert second.result["mapping"] == {"last_name": 0, "first_name": 1}


@pytest.mark.django_db(transaction=True)
def test_ten_thousand_learners_through_the_jobs_all_or_nothing(client, centre, world):
    """Preview then confirm as background jobs: one bad row names its line and saves nothing;
    fixed, the whole file is saved with one history row per learner, by the manager."""
    from django.core.files.uploadedfile import SimpleUploadedFile

    lines = ["nom;prenom;courriel;statut;promotion"]
    lines += [f"Nom{i};Prénom{i};p{i}@ex.fr;apprenti;MOS A" for i in range(10_000)]
    good = "\n".join(lines) + "\n"
    lines[5_001] = "Nom5000;Prénom5000;p5000@ex.fr;apprentie;MOS A"
    bad = "\n".join(lines) + "\n"
    client.force_login(world.users["manager_a"])
    before = Learner.objects.count()
    follow(
        client,
        client.post(
            reverse("imports"),
            {"kind": "apprenants", "file": SimpleUploadedFile("a.csv", bad.encode())},
        ),
    )
    job = Job.objects.get()
    html = client.get(reverse("imports") + f"?tache={job.pk}").content.decode()
    assert "ligne 5002, colonne statut : statut « apprentie » inconnu" in html
    assert "Enregistrer</button>" not in html
    # Confirming an invalid preview anyway (a forged POST) saves nothing.
    follow(
        client,
        client.post(reverse("imports"), {"kind": "apprenants", "tache": job.pk, "confirm": "1"}),
    )
    assert Job.objects.get(kind="import_apply").status == Job.FAILED
    assert Learner.objects.count() == before
    follow(
        client,
        client.post(
            reverse("imports"),
            {"kind": "apprenants", "file": SimpleUploadedFile("a.csv", good.encode())},
        ),
    )
    preview = Job.objects.filter(kind="import_preview").order_by("created_at").last()
    follow(
        client,
        client.post(
            reverse("imports"), {"kind": "apprenants", "tache": preview.pk, "confirm": "1"}
        ),
    )
    done = Job.objects.filter(kind="import_apply").order_by("created_at").last()
    assert done.status == Job.DONE, done.error
    assert done.result == {"nouveau": 10_000, "modifié": 0, "inchangé": 0}
    assert Learner.objects.count() == before + 10_000
    history = Learner.history.filter(email="p7000@ex.fr").get()
    assert history.history_type == "+" and history.history_user == world.users["manager_a"]


@pytest.mark.django_db(transaction=True)
def test_confirm_refuses_a_preview_the_data_moved_under(client, centre, world):
    from django.core.files.uploadedfile import SimpleUploadedFile

    client.force_login(world.users["manager_a"])
    follow(
        client,
        client.post(
            reverse("imports"),
            {
                "kind": "apprenants",
                "file": SimpleUploadedFile(
                    "a.csv", b"nom;prenom;statut;promotion\nRoux;Lea;apprenti;MOS A\n"
                ),
            },
        ),
    )
    preview = Job.objects.get()
    assert preview.result["plan"], preview.result
    # Meanwhile, someone edits a learner of the centre.
    learner = Learner.objects.filter(centre=centre).first()
    learner.first_name = "Changé"
    learner.save()
    follow(
        client,
        client.post(
            reverse("imports"), {"kind": "apprenants", "tache": preview.pk, "confirm": "1"}
        ),
    )
    failed = Job.objects.get(kind="import_apply")
    assert failed.status == Job.FAILED and "ont changé depuis la prévisualisation" in failed.error


def test_grade_import_template_lists_the_sessions_candidates(client, world, exam):
    client.force_login(world.users["examens_a"])
    body = client.get(reverse("exam_import_template", args=[exam.pk])).content.decode("utf-8-sig")
    lines = body.strip().splitlines()
    assert lines[0].startswith("numero;nom;prenom;U1;U21")
    assert len(lines) == 1 + exam.candidates.count()


def test_an_upload_without_a_file_is_said_beside_the_file(client, centre, world):
    """Issue 25, item 8: « Choisissez un fichier » was only in a banner, after a redirect that
    lost the type chosen; now the page again (400), the error beside the file (aria-invalid,
    aria-describedby) and in the summary, the type kept, no job started."""
    import re

    client.force_login(world.users["manager_a"])
    r = client.post(reverse("imports"), {"kind": "entreprises"})
    html = r.content.decode()
    assert r.status_code == 400 and not Job.objects.exists()
    assert re.search(r'<ul[^>]*id="id_file_error"[^>]*>.*?Choisissez un fichier', html, re.S)
    control = re.search(r'<input[^>]*id="id_file"[^>]*>', html).group(0)
    assert 'aria-invalid="true"' in control and "id_file_error" in control
    assert 'href="#id_file"' in html
    assert re.search(r'<option value="entreprises"[^>]*selected', html)
