"""The tutor's voice: his own appraisal beside the trainer's level, and a situation sent back
to the apprentice with a reason, corrected and validated — every step kept."""

import datetime

import pytest
from django.urls import reverse

from livret.competences.models import (
    AppendOnlyError,
    CompetenceStatus,
    Situation,
    TutorAppraisal,
)
from livret.notifications.models import Notification
from livret.referentiels.models import Competence


def test_the_tutors_appraisal_sits_beside_the_trainers_level(client, world):
    w = world
    competence = w.evaluation.competence  # the trainer has it "en cours" for learner1
    url = reverse("appraise", args=[w.learner1.pk, competence.pk])
    client.force_login(w.users["tutor_x"])
    page = client.get(url).content.decode()
    assert "Niveau du formateur" in page and "En cours d&#x27;acquisition" in page
    bad = client.post(url, {"level": "acquired", "observed_on": "2099-01-01"})
    assert bad.status_code == 400 and "ne peut pas être dans le futur" in bad.content.decode()
    assert not TutorAppraisal.objects.exists()
    client.post(url, {"level": "acquired", "observed_on": "2026-05-12", "comment": "Autonome"})
    appraisal = TutorAppraisal.objects.get()
    assert (appraisal.tutor, appraisal.level, appraisal.comment) == (
        w.users["tutor_x"],
        "acquired",
        "Autonome",
    )
    # The trainer's level is untouched; the livret shows both, and that they differ.
    status = CompetenceStatus.objects.get(learner=w.learner1, competence=competence)
    assert status.level == "in_progress"
    client.force_login(w.users["trainer_a"])
    html = client.get(reverse("livret", args=[w.learner1.pk])).content.decode()
    row = html.split(f'id="row-{w.learner1.pk}-{competence.pk}"')[1].split("</tr>")[0]
    assert "Tuteur : acquise le 12/05/2026" in row and "avis différent" in row
    assert "En cours d&#x27;acquisition" in row
    # A fact of its own: never changed, never deleted.
    appraisal.level = "not_acquired"
    with pytest.raises(AppendOnlyError):
        appraisal.save()
    with pytest.raises(AppendOnlyError):
        TutorAppraisal.objects.all().delete()
    # Who may not: the trainer (403: he sees the livret), another centre's tutor (404).
    assert client.get(url).status_code == 403
    client.force_login(w.users["tutor_y"])  # tutor of learner2, not of learner1
    assert client.get(url).status_code == 404


def test_agreeing_levels_are_not_flagged(client, world):
    w = world
    competence = w.evaluation.competence
    client.force_login(w.users["tutor_x"])
    client.post(
        reverse("appraise", args=[w.learner1.pk, competence.pk]),
        {"level": "in_progress", "observed_on": "2026-05-12"},
    )
    html = client.get(reverse("livret", args=[w.learner1.pk])).content.decode()
    row = html.split(f'id="row-{w.learner1.pk}-{competence.pk}"')[1].split("</tr>")[0]
    assert "Tuteur : en cours d&#x27;acquisition le 12/05/2026" in row
    assert "avis différent" not in row


def test_a_situation_sent_back_corrected_then_validated(client, world):
    w = world
    client.force_login(w.users["learner1"])
    competence = Competence.objects.filter(referentiel=w.ref, code="A2.1C3").get()
    client.post(
        reverse("situation_new", args=[w.learner1.pk]),
        {
            "occurred_on": "2026-05-04",
            "place": "Siège",
            "title": "Ronde de nuit",
            "description": "Ronde.",
            "competences": [competence.pk],
        },
    )
    situation = Situation.objects.get(title="Ronde de nuit")
    validate = reverse("situation_validate", args=[situation.pk])
    client.force_login(w.users["tutor_x"])
    # Sending back needs a reason.
    client.post(validate, {"action": "return", "comment": "  "})
    situation.refresh_from_db()
    assert situation.state == Situation.PENDING
    client.post(validate, {"action": "return", "comment": "Précisez l'heure et le trajet."})
    situation.refresh_from_db()
    assert situation.state == Situation.RETURNED
    told = Notification.objects.get(recipient=w.users["learner1"], kind="situation_returned")
    assert told.title == "Situation à reprendre : Ronde de nuit"
    assert told.body.endswith("Précisez l'heure et le trajet.")
    # The apprentice reads why, corrects, and it goes back to his tutor.
    client.force_login(w.users["learner1"])
    page = client.get(reverse("situation_detail", args=[situation.pk])).content.decode()
    assert "Précisez l&#x27;heure et le trajet." in page and "Modifier et renvoyer" in page
    # His list says it came back, not « À valider »; the competence's title stands beside its code.
    home = client.get(reverse("learner_home")).content.decode()
    line = home.split("Ronde de nuit", 1)[1].split("</li>", 1)[0]
    assert "Renvoyée" in line and "À valider" not in line
    assert competence.title[:40] in home.split("Ronde de nuit", 1)[1]
    edit = reverse("situation_edit", args=[situation.pk])
    assert 'value="2026-05-04"' in client.get(edit).content.decode()
    client.post(
        edit,
        {
            "occurred_on": "2026-05-04",
            "place": "Siège",
            "title": "Ronde de nuit",
            "description": "Ronde de 22 h à 23 h, trajet par les quais A et B.",
            "competences": [competence.pk],
        },
    )
    situation.refresh_from_db()
    assert situation.state == Situation.PENDING and "22 h" in situation.description
    assert Notification.objects.filter(
        recipient=w.users["tutor_x"], title="Situation reprise, à valider : Ronde de nuit"
    ).exists()
    client.force_login(w.users["tutor_x"])
    client.post(validate, {"action": "validate"})
    # Every step, by whom and when.
    page = client.get(reverse("situation_detail", args=[situation.pk])).content.decode()
    steps = page.split('id="steps-title"')[1].split("</ol>")[0]
    assert (
        steps.index("Déclarée")
        < steps.index("Renvoyée")
        < steps.index("Reprise")
        < steps.index("Validée")
    )
    assert "motif : Précisez l&#x27;heure et le trajet." in steps
    assert "par Tutor_x Test" in steps and "par Learner1 Test" in steps
    # Once validated, it no longer changes; nobody but the apprentice edits it.
    client.force_login(w.users["learner1"])
    response = client.post(edit, {"title": "Autre"})
    assert response.status_code == 302
    situation.refresh_from_db()
    assert situation.title == "Ronde de nuit"
    client.force_login(w.users["tutor_x"])
    assert client.get(edit).status_code == 403
    client.force_login(w.users["learner_b"])
    assert client.get(edit).status_code == 404
    assert datetime.date(2026, 5, 4) == situation.occurred_on


def test_visas_by_the_three_signers_and_a_later_change(client, world):
    import io

    import pypdfium2 as pdfium

    from livret.competences import visas
    from livret.competences.models import Visa
    from livret.competences.services import record_evaluation

    w = world
    url = reverse("sign_livret", args=[w.learner1.pk])
    for name in ("trainer_a", "tutor_x", "learner1"):
        client.force_login(w.users[name])
        assert client.post(url).status_code == 302
    signed = list(Visa.objects.filter(learner=w.learner1))
    assert {v.role for v in signed} == {"trainer", "tutor", "apprentice"}
    assert len({v.fingerprint for v in signed}) == 1  # all three signed the same livret
    assert {v.signer for v in signed} == {w.users[n] for n in ("trainer_a", "tutor_x", "learner1")}
    # « À votre tour » only to those who have not signed this state: the trainer's visa told the
    # tutor and the apprentice (not the cohort's other trainer), the tutor's the apprentice, the
    # last one nobody.
    told = Notification.objects.filter(kind="visa").values_list("recipient__username", flat=True)
    assert sorted(told) == ["learner1", "learner1", "tutor_x"]
    html = client.get(reverse("livret", args=[w.learner1.pk])).content.decode()
    section = html.split('id="visas"')[1].split("</section>")[0]
    assert section.count("à jour") == 3 and "modifié depuis" not in section
    # The one who signed reads « Visé le … » instead of the button.
    assert "Visé le " in section and "Viser le livret" not in section
    # The PDF prints them.
    pdf = pdfium.PdfDocument(
        io.BytesIO(client.get(reverse("livret_pdf", args=[w.learner1.pk])).content)
    )
    text = "".join(p.get_textpage().get_text_range() for p in pdf)
    assert "Apprenant : Learner1 Test, visé électroniquement le" in " ".join(text.split())
    # All three signed electronically: no empty box left to sign by hand.
    assert "Signatures" not in text
    # A new evaluation: every visa now says the livret changed since.
    record_evaluation(
        learner=w.learner1,
        competence=Competence.objects.filter(referentiel=w.ref).order_by("pk")[3],
        level="acquired",
        observed_on=datetime.date(2026, 6, 1),
        evaluator=w.users["trainer_a"],
    )
    section = client.get(reverse("livret", args=[w.learner1.pk])).content.decode()
    section = section.split('id="visas"')[1].split("</section>")[0]
    assert section.count("modifié depuis le visa du") == 3
    assert "Viser de nouveau le livret" in section  # the apprentice may sign the new state
    assert visas.fingerprint(w.learner1) != signed[0].fingerprint
    # Nobody signs for another: the manager (who reads the livret) is refused, others see nothing.
    client.force_login(w.users["manager_a"])
    assert client.post(url).status_code == 403
    client.force_login(w.users["tutor_y"])
    assert client.post(url).status_code == 404
    assert Visa.objects.count() == 3


def test_printed_livret_leaves_a_box_only_for_who_has_not_signed(client, world):
    import io

    import pypdfium2 as pdfium

    w = world
    client.force_login(w.users["trainer_a"])
    assert client.post(reverse("sign_livret", args=[w.learner1.pk])).status_code == 302
    pdf = pdfium.PdfDocument(
        io.BytesIO(client.get(reverse("livret_pdf", args=[w.learner1.pk])).content)
    )
    text = " ".join("".join(p.get_textpage().get_text_range() for p in pdf).split())
    boxes = text.split("Signatures", 1)[1]
    assert "Maître d'apprentissage / tuteur" in boxes and "Apprenant" in boxes
    assert "Formateur" not in boxes  # the trainer signed electronically
