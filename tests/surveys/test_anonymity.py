"""Questionnaire anonymity that survives time (issue 21, item 5), tried as the centre's manager
would: two reads taken before and after one apprentice answers — centre archives, the
questionnaire's pages and exports — and the threshold of 5 padded with accounts he controls."""

import datetime
import io
import json
import re

import pytest
from django.contrib.auth import get_user_model
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from livret.notifications.models import Notification, Preference
from livret.ops.archive import export_archive
from livret.people.models import Learner, Profile
from livret.surveys import archive, services
from livret.surveys.models import Invitation, Participation, Response, Survey
from tests.worker import run_worker
from tests.world import make_user

QUESTIONS = "Les cours m'ont aidé.\n[oui/non] Je recommande.\n[texte] Remarques"
SECRET = "Le formateur Martin me rabaisse devant tous, écrit Lucas"


def _age_accounts(days=30):
    get_user_model().objects.update(date_joined=timezone.now() - datetime.timedelta(days=days))


def _learner(django_user_model, w, username):
    user = make_user(django_user_model, username, Profile.LEARNER, w.cohort_a.centre)
    w.users[username] = user
    Learner.objects.create(
        user=user,
        cohort=w.cohort_a,
        centre=w.cohort_a.centre,
        first_name=username.capitalize(),
        last_name="Plus",
        status=Learner.APPRENTICE,
    )
    return user


@pytest.fixture
def class_of_eight(world, django_user_model):
    """Cohort A: learner1, learner2 and six more, accounts opened a month ago."""
    for i in range(6):
        _learner(django_user_model, world, f"eleve{i}")
    _age_accounts()
    return world


def _survey(w) -> Survey:
    survey = Survey.objects.create(
        centre=w.cohort_a.centre,
        title="Fin de parcours",
        audience=Survey.LEARNERS,
        moment=Survey.END_OF_COURSE,
        questions=[
            {"label": "Les cours m'ont aidé.", "kind": "scale"},
            {"label": "Je recommande.", "kind": "yes_no"},
            {"label": "Remarques", "kind": "text"},
        ],
        created_by=w.users["manager_a"],
    )
    survey.cohorts.set([w.cohort_a])
    return survey


def _send(survey):
    services.send(survey)
    survey.refresh_from_db()


def _answer(client, user, survey, text="Bien."):
    client.force_login(user)
    invitation = Invitation.objects.get(survey=survey, user=user)
    r = client.post(
        reverse("survey_answer", args=[invitation.pk]), {"q0": "3", "q1": "oui", "q2": text}
    )
    assert r.status_code == 302


def _records(centre) -> list:
    """The archive's records, each as a canonical string (what a diff of two files compares)."""
    records = export_archive(centre)["records"]
    return sorted(json.dumps(r, sort_keys=True, ensure_ascii=False) for r in records)


def test_two_centre_archives_around_one_answer_do_not_tell_what_he_answered(client, class_of_eight):
    """The attack of issue 21: archive, apprentice answers, archive again, diff."""
    w = class_of_eight
    centre = w.cohort_a.centre
    survey = _survey(w)
    _send(survey)
    for i in range(4):
        _answer(client, w.users[f"eleve{i}"], survey)
    target = w.users["learner1"]
    client.force_login(target)  # his login (last_login) is not his answer: taken before
    before = _records(centre)
    _answer(client, target, survey, SECRET)
    after = _records(centre)
    # Not a flipped invitation, not a new response, not a count: the same archive.
    assert sorted(set(after) - set(before)) == [] and sorted(set(before) - set(after)) == []
    assert SECRET not in "".join(after)

    # Closed: the answers travel, all together, with no way back to their authors.
    services.close(survey)
    closed = export_archive(centre)["records"]
    responses = [r for r in closed if r["model"] == "surveys.response"]
    assert len(responses) == 5 and any(
        SECRET in json.dumps(r, ensure_ascii=False) for r in responses
    )
    assert not [r for r in closed if r["model"] == "surveys.participation"]
    invitations = [r for r in closed if r["model"] == "surveys.invitation"]
    assert invitations and all("answered" not in r["fields"] for r in invitations)
    # Carried in the order of their random key, never in the order they came.
    assert [r["pk"] for r in responses] == sorted(r["pk"] for r in responses)


def test_what_the_archive_may_carry_of_the_questionnaires(client, class_of_eight):
    """The rows livret.ops.archive takes (archive_querysets): of an open questionnaire,
    nothing that moves when someone answers; of a closed one, its responses and counts."""
    w = class_of_eight
    survey = _survey(w)
    _send(survey)
    for i in range(5):
        _answer(client, w.users[f"eleve{i}"], survey)

    def carried():
        return {
            qs.model._meta.label: list(qs) for qs in archive.archive_querysets(w.cohort_a.centre)
        }

    open_rows = carried()
    assert "surveys.Participation" not in open_rows
    assert open_rows["surveys.Response"] == [] and open_rows["surveys.Tally"] == []
    assert len(open_rows["surveys.Invitation"]) == 8
    assert Participation.objects.count() == 5  # the system knows, to refuse a second answer
    services.close(survey)
    closed_rows = carried()
    assert len(closed_rows["surveys.Response"]) == 5
    assert [t.respondents for t in closed_rows["surveys.Tally"]] == [5]
    # Nothing of another centre.
    assert not carried_by_b(w)


def carried_by_b(w):
    return [row for qs in archive.archive_querysets(w.cohort_b.centre) for row in qs]


def _manager_reads(_client, w, survey) -> dict:
    """Every page and export of the questionnaire its manager can open, as text (from his own
    browser: none of the learners' messages)."""
    client = Client()
    client.force_login(w.users["manager_a"])
    reads = {
        "list": client.get(reverse("surveys")).content.decode(),
        "detail": client.get(reverse("survey", args=[survey.pk])).content.decode(),
        "csv": client.get(reverse("survey_export", args=[survey.pk, "csv"])).content.decode(),
    }
    xlsx = client.get(reverse("survey_export", args=[survey.pk, "xlsx"]))
    sheet = load_workbook(io.BytesIO(xlsx.content)).active
    reads["xlsx"] = "\n".join(
        "\t".join("" if c is None else str(c) for c in row)
        for row in sheet.iter_rows(values_only=True)
    )
    return reads


def _neutral(text: str) -> str:
    """A read with its numbers blanked, and the per-request CSRF tokens dropped."""
    text = re.sub(r'name="csrfmiddlewaretoken" value="[^"]*"', "", text)
    text = re.sub(r'"X-CSRFToken": "[^"]*"', "", text)
    return re.sub(r"\d+", "#", text)


def test_two_reads_of_every_manager_page_around_one_answer_differ_by_a_number_only(
    client, class_of_eight
):
    """The same attack on the pages: the fifth answer arrives between two reads."""
    w = class_of_eight
    survey = _survey(w)
    _send(survey)
    for i in range(4):
        _answer(client, w.users[f"eleve{i}"], survey)
    before = _manager_reads(client, w, survey)
    target = w.users["learner1"]
    _answer(client, target, survey, SECRET)
    after = _manager_reads(client, w, survey)
    for page in before:
        # No result, no text, no name appears: the only change is a count going up.
        assert SECRET not in after[page], page
        assert "Learner1" not in after[page] and "learner1" not in after[page], page
        assert _neutral(after[page]) == _neutral(before[page]), page
    assert "5 réponses" in after["detail"] and "4 réponses" in before["detail"]


@pytest.mark.django_db(transaction=True)
def test_a_reminder_reaches_those_who_have_not_answered_and_leaves_no_trace(
    client, class_of_eight, mailoutbox
):
    """The system reminds who has not answered; the manager reads a number, and nothing he
    can read afterwards (a learner's notifications, in his personal-data export) lists them."""
    w = class_of_eight
    for username in ("learner2", "eleve2", "eleve3", "eleve4", "eleve5", "eleve0"):
        get_user_model().objects.filter(username=username).update(email=f"{username}@exemple.fr")
    Preference.objects.create(user=w.users["eleve5"], kind="survey", mode="off")
    survey = _survey(w)
    _send(survey)
    for name in ("learner1", "eleve0", "eleve1"):
        _answer(client, w.users[name], survey)
    run_worker()  # the sending's notifications, e-mailed
    mailoutbox.clear()
    stored = Notification.objects.count()
    manager = Client()
    manager.force_login(w.users["manager_a"])
    r = manager.post(reverse("survey", args=[survey.pk]), {"action": "remind"}, follow=True)
    page = r.content.decode()
    assert "Rappel envoyé par courriel aux 5 personne(s) sans réponse." in page
    run_worker()
    # E-mailed: those without an answer who have an address and want these messages.
    reminded = {m.to[0].split("@")[0] for m in mailoutbox}
    assert reminded == {"learner2", "eleve2", "eleve3", "eleve4"}
    assert all("Fin de parcours" in m.subject for m in mailoutbox)
    assert Notification.objects.count() == stored
    for name in ("learner2", "eleve2", "learner1", "eleve0"):
        assert name not in page and name.capitalize() not in page


def _pad_and_answer(client, w, survey, fakes):
    for user in fakes:
        _answer(client, user, survey, "Tout est parfait.")


def test_four_accounts_opened_after_the_questionnaire_do_not_reveal_the_fifth(
    client, class_of_eight, django_user_model
):
    """Padding: the manager drafts the questionnaire, opens four accounts in the cohort, sends,
    answers with them; one real apprentice answers; the results must stay hidden."""
    w = class_of_eight
    survey = _survey(w)
    fakes = [_learner(django_user_model, w, f"faux{i}") for i in range(4)]
    _send(survey)
    assert not Invitation.objects.filter(user__in=fakes, eligible=True).exists()
    _pad_and_answer(client, w, survey, fakes)
    _answer(client, w.users["learner1"], survey, SECRET)
    services.close(survey)
    reads = _manager_reads(client, w, survey)
    assert "5 réponses sur 12 invitations" in reads["detail"]
    assert "Résultats masqués" in reads["detail"]
    for page, text in reads.items():
        assert SECRET not in text, page


def test_accounts_opened_a_few_days_before_the_questionnaire_do_not_count_either(
    client, class_of_eight, django_user_model
):
    w = class_of_eight
    fakes = [_learner(django_user_model, w, f"faux{i}") for i in range(4)]
    get_user_model().objects.filter(pk__in=[u.pk for u in fakes]).update(
        date_joined=timezone.now() - datetime.timedelta(days=3)
    )
    survey = _survey(w)
    _send(survey)
    _pad_and_answer(client, w, survey, fakes)
    _answer(client, w.users["learner1"], survey, SECRET)
    services.close(survey)
    assert SECRET not in _manager_reads(client, w, survey)["detail"]


def test_people_who_join_after_the_sending_are_invited_but_never_count(
    client, class_of_eight, django_user_model
):
    """Padding through the reminder: four accounts added to the cohort after the sending are
    invited by the reminder (they may answer), yet do not count towards the threshold."""
    w = class_of_eight
    survey = _survey(w)
    _send(survey)
    fakes = [_learner(django_user_model, w, f"faux{i}") for i in range(4)]
    _age_accounts(days=400)  # even old accounts moved in after the sending
    services.remind(survey)
    late = Invitation.objects.filter(survey=survey, user__in=fakes)
    assert late.count() == 4 and not late.filter(eligible=True).exists()
    _pad_and_answer(client, w, survey, fakes)
    _answer(client, w.users["learner1"], survey, SECRET)
    services.close(survey)
    assert SECRET not in _manager_reads(client, w, survey)["detail"]


def test_five_real_answers_show_the_results_and_padding_answers_are_counted_in(
    client, class_of_eight, django_user_model
):
    w = class_of_eight
    survey = _survey(w)
    fakes = [_learner(django_user_model, w, f"faux{i}") for i in range(2)]
    _send(survey)
    _pad_and_answer(client, w, survey, fakes)
    for name in ("learner1", "eleve0", "eleve1", "eleve2", "eleve3"):
        _answer(client, w.users[name], survey, f"Avis de {name}")
    services.close(survey)
    detail = _manager_reads(client, w, survey)["detail"]
    assert "7 réponses sur 10 invitations" in detail and "Résultats masqués" not in detail
    assert "« Avis de learner1 »" in detail and detail.count("Tout est parfait.") == 2
    assert Response.objects.count() == 7
