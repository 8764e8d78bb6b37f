"""« Mon compte »: name, address changed through a link to the new one (real SMTP), password
changed while logged in, the notifications of one's role, API tokens for the staff only."""

import re

import pytest
from django.core import signing
from django.urls import reverse

from livret.web import account
from tests.mailbox import subject
from tests.world import PASSWORD


@pytest.fixture
def learner(client, world):
    client.force_login(world.users["learner1"])
    return client


def test_every_role_opens_mon_compte_from_the_header(client, world):
    for name in ("learner1", "tutor_x", "trainer_a", "manager_a", "nobody"):
        client.force_login(world.users[name])
        page = client.get(reverse("home"), follow=True).content.decode()
        assert f'href="{reverse("account")}" title="Mon compte"' in page
        assert client.get(reverse("account")).status_code == 200


def test_address_changes_only_when_the_owner_opens_the_link(learner, client, world, smtp):
    user = world.users["learner1"]
    response = learner.post(reverse("account_email"), {"email": "Awa@Nouveau.EXAMPLE"})
    assert response.status_code == 302
    user.refresh_from_db()
    assert user.email == ""  # nothing changed yet
    [message] = smtp.to("Awa@nouveau.example")
    assert subject(message) == "Confirmez votre nouvelle adresse — Livret"
    path = re.search(
        r"https://livret\.example(/compte/courriel/\S+/)", message.get_content()
    ).group(1)
    # Another user following the link: refused, nothing changes.
    client.force_login(world.users["learner2"])
    assert client.get(path).status_code == 400
    assert client.post(path).status_code == 400
    world.users["learner2"].refresh_from_db()
    assert world.users["learner2"].email == ""
    # The owner opens it, confirms: his account and his learner record carry the new address.
    client.force_login(user)
    assert "Awa@nouveau.example" in client.get(path).content.decode()
    assert client.post(path).status_code == 302
    user.refresh_from_db()
    world.learner1.refresh_from_db()
    assert user.email == world.learner1.email == "Awa@nouveau.example"
    # The link is spent once the address has changed.
    assert client.post(path).status_code == 400


def test_an_expired_link_or_a_bad_address_is_refused(learner, world, monkeypatch):
    user = world.users["learner1"]
    token = account.email_token(user, "a@b.example")
    monkeypatch.setattr(account, "EMAIL_MAX_AGE", -1)
    assert learner.post(reverse("account_email_confirm", args=[token])).status_code == 400
    user.refresh_from_db()
    assert user.email == ""
    forged = signing.dumps({"u": user.pk, "to": "x@y.example", "from": ""}, salt="autre")
    assert learner.post(reverse("account_email_confirm", args=[forged])).status_code == 400
    bad = learner.post(reverse("account_email"), {"email": "pas-un-courriel"})
    assert bad.status_code == 400
    assert "n&#x27;est pas une adresse électronique valide" in bad.content.decode()


def test_password_change_needs_the_old_one_and_keeps_the_session(client, world):
    user = world.users["trainer_a"]
    client.force_login(user)
    url = reverse("account_password")
    new = "une longue phrase de passe"
    wrong = client.post(url, {"old_password": "faux", "new_password1": new, "new_password2": new})
    assert (
        wrong.status_code == 200 and "ancien mot de passe est incorrect" in wrong.content.decode()
    )
    short = client.post(
        url, {"old_password": PASSWORD, "new_password1": "court", "new_password2": "court"}
    )
    assert "au minimum 12 caractères" in short.content.decode()
    ok = client.post(url, {"old_password": PASSWORD, "new_password1": new, "new_password2": new})
    assert ok.status_code == 302
    user.refresh_from_db()
    assert user.check_password(new)
    assert client.get(reverse("account")).status_code == 200  # still logged in


def test_a_learners_name_is_the_centres_others_change_theirs(client, world):
    client.force_login(world.users["learner1"])
    assert client.post(reverse("account"), {"first_name": "X", "last_name": "Y"}).status_code == 404
    client.force_login(world.users["tutor_x"])
    assert (
        client.post(reverse("account"), {"first_name": "Karim", "last_name": "B"}).status_code
        == 302
    )
    world.users["tutor_x"].refresh_from_db()
    assert world.users["tutor_x"].get_full_name() == "Karim B"


def test_preferences_list_only_the_kinds_of_the_role(client, world):
    client.force_login(world.users["learner1"])
    page = client.get(reverse("notification_preferences")).content.decode()
    assert "Mon tuteur me renvoie une situation à compléter" in page
    assert "Une situation vécue en entreprise attend ma validation" not in page
    assert "Mon dossier VAE" not in page
    client.force_login(world.users["tutor_x"])
    page = client.get(reverse("notification_preferences")).content.decode()
    assert "Une situation vécue en entreprise attend ma validation" in page
    assert "Nouvelles évaluations dans mon livret" not in page


def test_api_tokens_for_the_staff_only(client, world):
    for name in ("learner1", "tutor_x"):
        client.force_login(world.users[name])
        assert client.get(reverse("api_tokens")).status_code == 404
        assert "jetons d'API" not in client.get(reverse("account")).content.decode()
    client.force_login(world.users["trainer_a"])
    assert client.get(reverse("api_tokens")).status_code == 200
    assert "Mes jetons d'API" in client.get(reverse("account")).content.decode()
