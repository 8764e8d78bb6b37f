"""Qualiopi indicator 30, whole (issue 22, item 8): the funders' contacts. A centre records its
funders and their contacts (Mon centre); a questionnaire to « les financeurs » reaches them by an
e-mailed link — they have no account — whose token is only in the e-mail (its hash in the
database), works once, and expires at closing; the reminder goes to those who have not answered,
and the manager never learns who they are. Real e-mails (aiosmtpd), the real task worker."""

import re

import pytest
from django.urls import reverse

from livret.surveys import services
from livret.surveys.models import (
    AnswerLink,
    Funder,
    FunderContact,
    Invitation,
    Participation,
    Response,
    Survey,
)
from tests.mailbox import subject
from tests.worker import run_worker

QUESTIONS = "Le centre rend compte de la formation financée.\n[texte] Remarques"
TOKEN = re.compile(r"questionnaires/lien/#([A-Za-z0-9_-]+)")


def _funder(w, centre=None, cohorts=None, name="OPCO EP", contacts=("Alice Opco",)):
    centre = centre or w.cohort_a.centre
    funder = Funder.objects.create(centre=centre, kind=Funder.OPCO, name=name)
    funder.cohorts.set(cohorts if cohorts is not None else [w.cohort_a])
    for i, person in enumerate(contacts):
        FunderContact.objects.create(
            funder=funder, name=person, email=f"{person.split()[0].lower()}{i}@opco.example"
        )
    return funder


def _survey(client, w):
    client.force_login(w.users["manager_a"])
    response = client.post(
        reverse("surveys"),
        {
            "title": "Avis des financeurs",
            "audience": "funders",
            "moment": "other",
            "cohorts": [w.cohort_a.pk],
            "questions_text": QUESTIONS,
        },
    )
    assert response.status_code == 302, response.content.decode()
    return Survey.objects.get(audience="funders")


def _tokens(messages) -> list[str]:
    found = []
    for m in messages:
        found += TOKEN.findall(m.get_content())
    return found


# --- the centre's records -------------------------------------------------------------------


def test_the_manager_records_funders_and_contacts_each_change_kept(client, world):
    w = world
    client.force_login(w.users["manager_a"])
    created = client.post(
        reverse("centre_record_new", args=["financeurs"]),
        {"kind": "region", "name": "Région Occitanie", "cohorts": [w.cohort_a.pk]},
    )
    assert created.status_code == 302
    funder = Funder.objects.get(name="Région Occitanie")
    assert funder.centre == w.cohort_a.centre and list(funder.cohorts.all()) == [w.cohort_a]
    created = client.post(
        reverse("centre_record_new", args=["contacts-financeurs"]),
        {
            "funder": funder.pk,
            "name": "Chloé Région",
            "email": "chloe@REGION.example",
            "active": "on",
        },
    )
    assert created.status_code == 302
    contact = FunderContact.objects.get()
    assert contact.email == "chloe@region.example"
    # Who changed what, and when, as for the centre's other records.
    assert funder.history.get().history_user == w.users["manager_a"]
    assert contact.history.get().history_user == w.users["manager_a"]
    listed = client.get(reverse("centre_records", args=["contacts-financeurs"])).content.decode()
    assert "Chloé Région" in listed and "Région Occitanie" in listed
    # An empty form: each error beside its field, in French.
    empty = client.post(reverse("centre_record_new", args=["contacts-financeurs"]), {"name": ""})
    assert empty.status_code == 400
    assert "Ce champ est obligatoire" in empty.content.decode()


def test_another_centre_can_neither_see_nor_assign_a_centres_funders(client, world):
    """The attack: centre B's manager opens A's funder and contact by their ids, and posts A's
    funder as the funder of his own contact, A's cohort as one his funder finances."""
    w = world
    funder_a = _funder(w)
    contact_a = funder_a.contacts.get()
    funder_b = _funder(
        w, centre=w.cohort_b.centre, cohorts=[w.cohort_b], name="OPCO B", contacts=()
    )
    client.force_login(w.users["manager_b"])
    for kind, pk in (("financeurs", funder_a.pk), ("contacts-financeurs", contact_a.pk)):
        assert client.get(reverse("centre_record", args=[kind, pk])).status_code == 404
        posted = client.post(
            reverse("centre_record", args=[kind, pk]), {"name": "Volé", "kind": "opco"}
        )
        assert posted.status_code == 404
    for kind in ("financeurs", "contacts-financeurs"):
        page = client.get(reverse("centre_records", args=[kind])).content.decode()
        assert "OPCO EP" not in page and "Alice Opco" not in page
    form = client.get(reverse("centre_record_new", args=["contacts-financeurs"])).content.decode()
    assert "OPCO EP" not in form and "OPCO B" in form
    refused = client.post(
        reverse("centre_record_new", args=["contacts-financeurs"]),
        {"funder": funder_a.pk, "name": "Intrus", "email": "intrus@b.example"},
    )
    assert refused.status_code == 400 and "Sélectionnez un choix valide" in refused.content.decode()
    refused = client.post(
        reverse("centre_record", args=["financeurs", funder_b.pk]),
        {"kind": "opco", "name": "OPCO B", "cohorts": [w.cohort_a.pk]},
    )
    assert refused.status_code == 400
    assert not FunderContact.objects.filter(name="Intrus").exists()
    assert list(funder_b.cohorts.all()) == [w.cohort_b]
    contact_a.refresh_from_db()
    funder_a.refresh_from_db()
    assert contact_a.name == "Alice Opco" and funder_a.name == "OPCO EP"
    # Nor is it asked by B's questionnaires: a funders' questionnaire of B reaches B's only.
    survey_b = Survey.objects.create(
        centre=w.cohort_b.centre,
        title="B",
        audience=Survey.FUNDERS,
        moment=Survey.OTHER,
        created_by=w.users["manager_b"],
    )
    survey_b.cohorts.set([w.cohort_b])
    assert services._contact_recipients(survey_b) == []


# --- the questionnaire ----------------------------------------------------------------------


@pytest.mark.django_db(transaction=True)
def test_a_funders_questionnaire_by_link_answered_once_reminded_to_the_others(client, world, smtp):
    w = world
    _funder(w, contacts=("Alice Opco", "Bruno Opco"))
    # Another cohort's funder, and an inactive contact: not asked.
    other = _funder(w, cohorts=[], name="Région", contacts=("Zoé Région",))
    assert other.contacts.count() == 1
    FunderContact.objects.create(
        funder=Funder.objects.get(name="OPCO EP"),
        name="Yves Opco",
        email="y@opco.example",
        active=False,
    )
    survey = _survey(client, w)
    sent = client.post(reverse("survey", args=[survey.pk]), {"action": "send"}, follow=True)
    assert "envoyé à 2 destinataire(s)" in sent.content.decode()
    assert Invitation.objects.filter(contact__isnull=False).count() == 2
    run_worker()
    assert sorted(m["To"] for m in smtp.messages) == ["alice0@opco.example", "bruno1@opco.example"]
    assert "questionnaire « Avis des financeurs »" in subject(smtp.messages[0])
    alice_mail = next(m for m in smtp.messages if m["To"] == "alice0@opco.example")
    [token] = _tokens([alice_mail])
    # Only its hash is kept: the token is in no row.
    assert AnswerLink.objects.count() == 2
    assert not AnswerLink.objects.filter(digest=token).exists()

    # The contact follows the link: the page's script posts the code (here, the client does).
    client.logout()
    page = client.get(reverse("survey_link"))
    assert page.status_code == 200 and token not in page.content.decode()
    opened = client.post(reverse("survey_link"), {"code": token})
    assert opened.status_code == 302 and opened["Location"] == reverse("survey_link_answer")
    assert token not in str(dict(client.session))
    form = client.get(reverse("survey_link_answer"))
    html = form.content.decode()
    assert form.status_code == 200 and "Avis des financeurs" in html and token not in html
    # A missing answer: said beside it, nothing kept.
    missing = client.post(reverse("survey_link_answer"), {"q0": "", "q1": ""})
    assert missing.status_code == 400 and Response.objects.count() == 0
    html = missing.content.decode()
    assert (
        'href="#q0"' in html and 'aria-describedby="q0_error"' in html and 'id="q0_error"' in html
    )
    done = client.post(reverse("survey_link_answer"), {"q0": "4", "q1": "Bien"}, follow=True)
    assert "vos réponses sont enregistrées" in done.content.decode()
    assert Response.objects.count() == 1 and Participation.objects.count() == 1
    # Once: the same link (or the session) opens nothing any more.
    again = client.post(reverse("survey_link"), {"code": token})
    assert (
        again.status_code == 400
        and "ne mène à aucun questionnaire ouvert" in again.content.decode()
    )
    assert client.get(reverse("survey_link_answer")).status_code == 302
    assert Response.objects.count() == 1

    # The reminder: to Bruno only; the manager reads a number, never who.
    smtp.messages.clear()
    client.force_login(w.users["manager_a"])
    reminded = client.post(reverse("survey", args=[survey.pk]), {"action": "remind"}, follow=True)
    html = reminded.content.decode()
    assert "aux 1 personne(s) sans réponse" in html
    for name in ("Alice", "Bruno", "alice0@", "bruno1@"):
        assert name not in html
    run_worker()
    assert [m["To"] for m in smtp.messages] == ["bruno1@opco.example"]
    assert "rappel — questionnaire « Avis des financeurs »" in subject(smtp.messages[0])
    [first, *_] = _tokens(m for m in smtp.messages)
    # The manager's pages and exports carry no token and no name of who answered.
    for url in (
        reverse("survey", args=[survey.pk]),
        reverse("survey_export", args=[survey.pk, "csv"]),
        reverse("surveys"),
    ):
        body = client.get(url).content.decode()
        assert first not in body and token not in body and "Alice" not in body

    # Closing: links expire.
    client.post(reverse("survey", args=[survey.pk]), {"action": "close"})
    assert AnswerLink.objects.count() == 0
    client.logout()
    late = client.post(reverse("survey_link"), {"code": first})
    assert late.status_code == 400


@pytest.mark.django_db(transaction=True)
def test_the_answer_link_travels_in_no_task_argument_and_no_log(client, world, smtp, caplog):
    """The e-mails are made by the worker (the token is born there): the queued task's arguments
    carry the questionnaire's id only; a refused code is not written in any log line."""
    from django_tasks_db.models import DBTaskResult

    w = world
    _funder(w)
    survey = _survey(client, w)
    client.post(reverse("survey", args=[survey.pk]), {"action": "send"})
    assert [r.args_kwargs for r in DBTaskResult.objects.all()] == [
        {"args": [survey.pk], "kwargs": {}}
    ]
    run_worker()
    [token] = _tokens(smtp.messages)
    for r in DBTaskResult.objects.all():
        assert token not in str(r.return_value) and token not in str(r.args_kwargs)
    client.logout()
    with caplog.at_level("DEBUG"):
        client.post(reverse("survey_link"), {"code": token + "x"})
        client.post(reverse("survey_link"), {"code": token})
        client.post(reverse("survey_link_answer"), {"q0": "3", "q1": ""})
    assert token not in caplog.text


def test_a_funders_questionnaire_without_contacts_is_refused_in_french(client, world):
    w = world
    survey = _survey(client, w)
    page = client.post(reverse("survey", args=[survey.pk]), {"action": "send"}, follow=True)
    assert "pas de financeur avec un contact" in page.content.decode()
    survey.refresh_from_db()
    assert survey.sent_at is None


# --- personal data --------------------------------------------------------------------------


@pytest.mark.django_db(transaction=True)
def test_the_centre_archive_carries_funders_and_contacts_never_their_links(client, world):
    """Another centre's funders stay out; the answer links (hashes) never leave."""
    import json

    from livret.ops.archive import export_archive, restore_archive

    w = world
    _funder(w, contacts=("Alice Opco",))
    _funder(w, centre=w.cohort_b.centre, cohorts=[w.cohort_b], name="OPCO B", contacts=("Bob B",))
    survey = _survey(client, w)
    services.send(survey, by=w.users["manager_a"])
    invitation = Invitation.objects.get()
    token = AnswerLink.issue(invitation)
    archive = export_archive(w.cohort_a.centre)
    text = json.dumps(archive, ensure_ascii=False)
    models = {r["model"] for r in archive["records"]}
    assert {"surveys.funder", "surveys.fundercontact"} <= models
    assert {"surveys.historicalfunder", "surveys.historicalfundercontact"} <= models
    assert "surveys.answerlink" not in models and "surveys.participation" not in models
    assert "Alice Opco" in text and "alice0@opco.example" in text
    assert "OPCO B" not in text and "Bob B" not in text
    digest = AnswerLink.objects.get().digest
    assert token not in text and digest not in text
    # The round trip: restored into an empty base, the contacts come back, the links do not.
    from django.core.management import call_command

    call_command("flush", interactive=False, verbosity=0)
    restore_archive(archive)
    assert FunderContact.objects.get().name == "Alice Opco"
    assert FunderContact.objects.get().survey_invitations.count() == 1
    assert FunderContact.history.filter(name="Alice Opco").exists()
    assert not AnswerLink.objects.exists()


def test_a_contact_is_forgotten_by_the_manager_the_counts_stay(client, world):
    w = world
    funder = _funder(w, contacts=("Alice Opco",))
    contact = funder.contacts.get()
    contact.name = "Alice Opco-Martin"
    contact.save()  # a second past version, with her name
    survey = _survey(client, w)
    services.send(survey, by=w.users["manager_a"])
    token = AnswerLink.issue(Invitation.objects.get())
    # Another centre's manager cannot forget her (404), nothing changes.
    client.force_login(w.users["manager_b"])
    url = reverse("funder_contact_forget", args=[contact.pk])
    assert client.post(url).status_code == 404
    assert FunderContact.objects.get().name == "Alice Opco-Martin"
    client.force_login(w.users["manager_a"])
    page = client.get(reverse("centre_record", args=["contacts-financeurs", contact.pk]))
    assert "Effacer ce contact" in page.content.decode()
    assert client.post(url).status_code == 302
    contact.refresh_from_db()
    assert (contact.name, contact.email, contact.active) == ("Contact effacé", "", False)
    versions = list(contact.history.values_list("name", "email", "history_user"))
    assert versions == [("Contact effacé", "", w.users["manager_a"].pk)]
    assert Invitation.objects.filter(contact=contact).count() == 1
    client.logout()
    assert client.post(reverse("survey_link"), {"code": token}).status_code == 400


@pytest.mark.django_db(transaction=True)
def test_a_contact_stops_the_questionnaires_from_his_e_mail(client, world, smtp, caplog):
    """A funder's contact without an account may object (RGPD art. 21) without writing to the
    centre: the e-mail's last link stops the questionnaires; the next sending skips him; a wrong
    code changes nothing and is not logged; the manager sees him « non » interrogé."""
    w = world
    _funder(w, contacts=("Alice Opco", "Bruno Opco"))
    survey = _survey(client, w)
    client.post(reverse("survey", args=[survey.pk]), {"action": "send"})
    run_worker()
    alice_mail = next(m for m in smtp.messages if m["To"] == "alice0@opco.example")
    code = re.search(r"questionnaires/ne-plus-recevoir/#(\S+)", alice_mail.get_content()).group(1)
    client.logout()
    page = client.get(reverse("survey_optout"))
    assert page.status_code == 200 and code not in page.content.decode()
    with caplog.at_level("DEBUG"):
        wrong = client.post(reverse("survey_optout"), {"code": code[:-2] + "zz"})
    assert wrong.status_code == 400 and "pas reconnu" in wrong.content.decode()
    assert code[:-2] not in caplog.text
    assert FunderContact.objects.get(email="alice0@opco.example").active
    done = client.post(reverse("survey_optout"), {"code": code})
    assert done.status_code == 200 and "Vous ne recevrez plus de questionnaire" in (
        done.content.decode()
    )
    alice = FunderContact.objects.get(email="alice0@opco.example")
    assert not alice.active
    assert alice.history.first().history_change_reason.startswith("désinscription")
    # The reminder goes to Bruno only.
    smtp.messages.clear()
    client.force_login(w.users["manager_a"])
    client.post(reverse("survey", args=[survey.pk]), {"action": "remind"})
    run_worker()
    assert [m["To"] for m in smtp.messages] == ["bruno1@opco.example"]
    # A code of the opt-out is no answer link, and an answer link is no opt-out code.
    client.logout()
    assert client.post(reverse("survey_link"), {"code": code}).status_code == 400
    [bruno_token] = _tokens(smtp.messages)
    assert client.post(reverse("survey_optout"), {"code": bruno_token}).status_code == 400
    assert FunderContact.objects.get(email="bruno1@opco.example").active
