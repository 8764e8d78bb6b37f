"""Notifications: in the application, and by e-mail received on a real SMTP server (aiosmtpd)
started by the test, at once or in the daily digest, as each user chooses."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from livret.competences.models import Situation
from livret.notifications import services
from livret.notifications.models import Digest, Notification
from livret.referentiels.models import Competence
from tests.mailbox import subject
from tests.worker import run_worker


@pytest.fixture
def people(world):
    for name in ("learner1", "tutor_x", "trainer_a", "trainer_a2", "manager_a"):
        user = world.users[name]
        user.email = f"{name}@exemple.fr"
        user.save()
    return world


def declare(client, w, title="Accueil d'un visiteur"):
    client.force_login(w.users["learner1"])
    comps = Competence.objects.filter(referentiel=w.ref, code__in=["A2.1C3"])
    client.post(
        reverse("situation_new", args=[w.learner1.pk]),
        {
            "occurred_on": "2026-05-04",
            "place": "Siège",
            "title": title,
            "description": "J'ai accueilli un visiteur.",
            "competences": [c.pk for c in comps],
        },
    )
    return Situation.objects.get(title=title)


@pytest.mark.django_db(transaction=True)
def test_a_declared_situation_reaches_the_tutor_and_its_validation_the_others(client, people, smtp):
    w = people
    situation = declare(client, w)
    assert smtp.messages == []  # sent by the worker, after the commit, not in the request
    run_worker()
    (mail,) = smtp.to("tutor_x@exemple.fr")
    assert subject(mail) == "Livret : Situation à valider : Accueil d'un visiteur"
    body = mail.get_content()
    assert body.startswith("Bonjour Tutor_x Test,")
    learner = w.learner1
    assert f"Déclarée par {learner.first_name} {learner.last_name} (le 04/05/2026, Siège)." in body
    assert f"https://livret.example{reverse('situation_detail', args=[situation.pk])}" in body
    assert "https://livret.example/notifications/preferences/" in body
    assert len(smtp.messages) == 1  # nobody else heard of it
    # In the application: the tutor's header counts it, his list shows it, opening it reads it.
    client.force_login(w.users["tutor_x"])
    html = client.get(reverse("tutor_home")).content.decode()
    assert "Notifications <span" in html and ">1<span" in html
    n = Notification.objects.get(recipient=w.users["tutor_x"])
    response = client.get(reverse("notification_open", args=[n.pk]))
    assert response["Location"] == reverse("situation_detail", args=[situation.pk])
    n.refresh_from_db()
    assert n.read_at is not None
    # The tutor validates: the apprentice and both trainers of the cohort are told.
    client.post(reverse("situation_validate", args=[situation.pk]), {"action": "validate"})
    run_worker()
    for name in ("learner1", "trainer_a", "trainer_a2"):
        (mail,) = smtp.to(f"{name}@exemple.fr")
        assert subject(mail) == (
            "Livret : Situation validée par Tutor_x Test : Accueil d'un visiteur"
        )
    assert not smtp.to("manager_a@exemple.fr")
    # Someone else's notification is a 404.
    client.force_login(w.users["learner_b"])
    assert client.get(reverse("notification_open", args=[n.pk])).status_code == 404


@pytest.mark.django_db(transaction=True)
def test_evaluations_come_in_one_daily_digest_sent_once(client, people, smtp):
    from livret.cli import main

    w = people
    client.force_login(w.users["trainer_a"])
    for code in ("A2.1C1", "A2.1C2"):
        c = Competence.objects.get(referentiel=w.ref, code=code)
        client.post(
            reverse("evaluate", args=[w.learner1.pk, c.pk]),
            {"level": "in_progress", "observed_on": "2026-03-02", "context": "course"},
        )
    run_worker()
    assert smtp.messages == []  # evaluations wait for the digest by default
    assert main(["notify"]) == 0
    (mail,) = smtp.messages
    assert mail["To"] == "learner1@exemple.fr"
    assert subject(mail) == "Livret : votre récapitulatif (2 nouvelles)"
    assert "Nouvelle évaluation : A2.1C1 — en cours d'acquisition" in mail.get_content()
    assert "Nouvelle évaluation : A2.1C2" in mail.get_content()
    # Run again (cron twice, or a retry): nothing is sent twice.
    assert main(["notify"]) == 0
    assert len(smtp.messages) == 1


@pytest.mark.django_db(transaction=True)
def test_a_run_that_fails_midway_sends_nothing_twice(people, smtp, monkeypatch):
    w = people
    for name in ("learner1", "tutor_x"):
        services.notify([w.users[name]], "evaluation", f"Pour {name}")
    real = services.EmailMessage.send

    def refuse_the_tutor(message, *args, **kwargs):
        if "tutor_x@exemple.fr" in message.to:
            raise OSError("connexion refusée")
        return real(message, *args, **kwargs)

    monkeypatch.setattr(services.EmailMessage, "send", refuse_the_tutor)
    assert services.send_digests() == {"sent": 1, "retried": 0}
    monkeypatch.undo()
    assert [m["To"] for m in smtp.messages] == ["learner1@exemple.fr"]
    failed = Digest.objects.get(sent_at__isnull=True)
    assert failed.attempts == 1 and "connexion refusée" in failed.error
    # Too recent to be retried (a sender might still be on it); ten minutes later, it is.
    assert services.send_digests() == {"sent": 0, "retried": 0}
    Digest.objects.filter(pk=failed.pk).update(
        created_at=timezone.now() - datetime.timedelta(minutes=11)
    )
    assert services.send_digests() == {"sent": 0, "retried": 1}
    assert sorted(m["To"] for m in smtp.messages) == ["learner1@exemple.fr", "tutor_x@exemple.fr"]
    # The retry is the same message: a mail server may recognise it by its Message-ID.
    assert smtp.messages[-1]["Message-ID"] == f"<livret-digest-{failed.pk}@livret.example>"
    assert services.send_digests() == {"sent": 0, "retried": 0}


@pytest.mark.django_db(transaction=True)
def test_each_user_chooses_per_kind(client, people, smtp):
    w = people
    client.force_login(w.users["tutor_x"])
    page = client.get(reverse("notification_preferences")).content.decode()
    assert "Une situation vécue en entreprise attend ma validation" in page
    from livret.notifications.kinds import KINDS

    choices = {kind: default for kind, (_, default) in KINDS.items()}
    response = client.post(
        reverse("notification_preferences"), {**choices, "situation_declared": "off"}
    )
    assert response.status_code == 302
    declare(client, w)
    run_worker()
    services.send_digests()
    assert smtp.messages == []  # off: no e-mail…
    client.force_login(w.users["tutor_x"])
    assert "Situation à valider" in client.get(reverse("notifications")).content.decode()
    # …but still in the application. A bad choice is refused and named.
    response = client.post(reverse("notification_preferences"), {"evaluation": "souvent"})
    assert response.status_code == 400


@pytest.mark.django_db
def test_the_signed_pv_tells_each_candidate_his_own_result(exam, world):
    from livret.exams import services as exams

    user = world.users["examens_a"]
    # An official session (a mock's result is worded as one: tests/exams/test_session_screens).
    exam.kind, exam.official_reference = exam.OFFICIAL, "PV du jury rectoral 2027-12"
    exam.save()
    for c in exam.candidates.all():
        for u in ["U1", "U21", "U22", "U3", "U4", "U51", "U52", "U6"]:
            exams.set_grade(c, u, "12" if c.learner == world.learner1 else "6", user)
    exams.sign_minutes(exam, user)
    mine = Notification.objects.get(recipient=world.users["learner1"], kind="jury_result")
    assert mine.title == f"Résultat publié — {exam.name} : admis"
    other = Notification.objects.get(recipient=world.users["learner2"], kind="jury_result")
    assert other.title.endswith(": ajourné")
    assert not Notification.objects.filter(recipient=world.users["learner_b"]).exists()
