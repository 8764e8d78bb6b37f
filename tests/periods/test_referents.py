"""Référents (issue 22, item 7): the formateur référent named on the livret and the homes; the
enseignant référent's contacts with the tutor during a PFMP (Code de l'éducation L124-1); the
alerts of a period running without a signed agreement or without a référent; the maître
d'apprentissage's qualifications and the R6223-6 warning past two apprentices."""

import datetime

import pytest

from livret.people.models import Learner, Profile
from livret.periods import alerts
from livret.periods.models import Agreement, LearnerAlert, Period, PeriodContact

D = datetime.date


def test_formateur_referent_named_on_the_livret_and_the_homes(client, world):
    w = world
    w.learner1.referent = w.users["trainer_a2"]
    w.learner1.save()
    name = w.users["trainer_a2"].get_full_name()
    client.force_login(w.users["trainer_a"])
    assert (
        f"formateur référent : {name}" in client.get(f"/livrets/{w.learner1.pk}/").content.decode()
    )
    client.force_login(w.users["learner1"])
    assert f"votre formateur référent : {name}" in client.get("/mon-livret/").content.decode()
    client.force_login(w.users["tutor_x"])
    html = client.get("/tuteur/").content.decode()
    assert "Formateur référent" in html and name in html
    # The printed livret names him too.
    import io

    from pypdf import PdfReader

    pdf = client.get(f"/livrets/{w.learner1.pk}/pdf/")
    text = " ".join(p.extract_text() for p in PdfReader(io.BytesIO(pdf.content)).pages)
    assert f"formateur référent : {name}" in " ".join(text.split())


@pytest.fixture
def pfmp(world):
    w = world
    return Period.objects.create(
        learner=w.learner1,
        kind=Period.PFMP,
        company=w.learner1.company,
        tutor=w.users["tutor_x"],
        start=D(2026, 11, 2),
        end=D(2026, 12, 18),
    )


def test_running_period_without_agreement_or_referent_raises_alerts(world, pfmp):
    alerts.refresh([world.learner1.pk], D(2026, 12, 1))
    kinds = dict(LearnerAlert.objects.filter(learner=world.learner1).values_list("kind", "message"))
    assert "sans convention signée" in kinds["agreement"]
    assert "PFMP en cours sans enseignant référent" in kinds["referent"]
    # Signed, with a référent: neither.
    Agreement.objects.create(period=pfmp, signed_on=D(2026, 10, 20))
    pfmp.referent = world.users["trainer_a"]
    pfmp.save()
    alerts.refresh([world.learner1.pk], D(2026, 12, 1))
    assert not LearnerAlert.objects.filter(
        learner=world.learner1, kind__in=["agreement", "referent"]
    ).exists()
    # Before it starts, none either.
    Agreement.objects.filter(period=pfmp).update(signed_on=None)
    alerts.refresh([world.learner1.pk], D(2026, 10, 30))
    assert not LearnerAlert.objects.filter(learner=world.learner1, kind="agreement").exists()


def test_referent_records_contacts_the_tutor_reads_them(client, world, pfmp):
    w = world
    url = f"/livrets/{w.learner1.pk}/periodes/{pfmp.pk}/contacts/"
    client.force_login(w.users["trainer_a"])
    # Bad input: every problem at once, typed values kept, nothing saved.
    page = client.post(url, {"day": "2026-10-01", "mode": "", "note": "Appel au tuteur"})
    assert page.status_code == 400
    html = page.content.decode()
    assert "pendant la période" in html and "Ce champ est obligatoire." in html
    assert "Appel au tuteur" in html
    assert not PeriodContact.objects.exists()
    page = client.post(url, {"day": "2026-11-20", "mode": "phone", "note": "Tout va bien."})
    assert page.status_code == 302
    contact = PeriodContact.objects.get()
    assert (contact.recorded_by, contact.day) == (w.users["trainer_a"], D(2026, 11, 20))
    assert contact.history.first().history_user == w.users["trainer_a"]
    client.force_login(w.users["tutor_x"])
    html = client.get(url).content.decode()
    assert "Tout va bien." in html and "Enregistrer le contact" not in html
    assert client.post(url, {"day": "2026-11-21", "mode": "phone", "note": "x"}).status_code == 403
    client.force_login(w.users["manager_b"])
    assert client.get(url).status_code == 404


def test_tutor_qualifications_and_the_r6223_6_warning(client, world):
    w = world
    tutor = w.users["tutor_x"]
    client.force_login(w.users["manager_a"])
    url = f"/centre/tuteurs/{tutor.pk}/"
    page = client.post(
        url,
        {
            "username": tutor.username,
            "first_name": "Tuteur",
            "last_name": "Ixe",
            "email": "tuteur.x@exemple.fr",
            "is_active": "on",
            "company": w.learner1.company.pk,
            "diploma": "BTS MOS",
            "experience_years": "7",
        },
    )
    assert page.status_code == 302, page.content.decode()[:2000]
    profile = Profile.objects.get(user=tutor)
    assert (profile.diploma, profile.experience_years) == ("BTS MOS", 7)
    assert "Vérifiez" not in client.get(url).content.decode()
    # Two more apprentices: three, then the R6223-6 warning.
    for n in range(2):
        Learner.objects.create(
            centre=w.learner1.centre,
            cohort=w.cohort_a,
            first_name=f"Ap{n}",
            last_name="Prenti",
            status=Learner.APPRENTICE,
            tutor=tutor,
        )
    html = client.get(url).content.decode()
    assert "suit 3 apprentis" in html and "R6223-6" in html and "BTS MOS" in html
