"""« Mon compte »: name, address changed through a link to the new one (real SMTP), password
changed while logged in, the notifications of one's role, API tokens for the staff only."""

import base64
import re

import pytest
from django.urls import reverse
from django.utils import timezone

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


def _mailed_code(smtp, address):
    """The link's path and the code after its « # », as the e-mail gives them."""
    [message] = smtp.to(address)
    assert subject(message) == "Confirmez votre nouvelle adresse — Livret"
    body = message.get_content()
    path, code = re.search(r"https://livret\.example(/compte/courriel/\S*/)#(\S+)", body).groups()
    assert f"saisissez-le : {code}" in body  # for a browser without script
    return path, code


def test_address_changes_only_when_the_owner_opens_the_link(learner, client, world, smtp):
    user = world.users["learner1"]
    response = learner.post(reverse("account_email"), {"email": "Awa@Nouveau.EXAMPLE"})
    assert response.status_code == 302
    user.refresh_from_db()
    assert user.email == ""  # nothing changed yet
    path, code = _mailed_code(smtp, "Awa@nouveau.example")
    assert path == reverse("account_email_confirm")
    # Another user posting the code: refused, nothing changes, and the code still works.
    client.force_login(world.users["learner2"])
    refused = client.post(path, {"code": code})
    assert refused.status_code == 400
    assert "Votre adresse n&#x27;a pas changé" in refused.content.decode()
    world.users["learner2"].refresh_from_db()
    assert world.users["learner2"].email == ""
    # The owner opens it: the page carries no code; his script posts it.
    client.force_login(user)
    page = client.get(path)
    assert page.status_code == 200 and code not in page.content.decode()
    assert client.post(path, {"code": code}).status_code == 302
    user.refresh_from_db()
    world.learner1.refresh_from_db()
    assert user.email == world.learner1.email == "Awa@nouveau.example"
    # The link is spent.
    assert client.post(path, {"code": code}).status_code == 400


def test_a_link_works_once_even_when_the_address_comes_back(learner, world, smtp):
    """The attack: orig → x → orig; the first link, replayed, moved the address to x again."""
    user = world.users["learner1"]
    learner.post(reverse("account_email"), {"email": "x@ailleurs.example"})
    path, first = _mailed_code(smtp, "x@ailleurs.example")
    assert learner.post(path, {"code": first}).status_code == 302
    learner.post(reverse("account_email"), {"email": "awa@retour.example"})
    _, second = _mailed_code(smtp, "awa@retour.example")
    assert learner.post(path, {"code": second}).status_code == 302
    user.refresh_from_db()
    assert user.email == "awa@retour.example"
    assert learner.post(path, {"code": first}).status_code == 400
    user.refresh_from_db()
    assert user.email == "awa@retour.example"


def test_only_the_last_link_works(learner, world, smtp):
    user = world.users["learner1"]
    learner.post(reverse("account_email"), {"email": "un@exemple.example"})
    path, first = _mailed_code(smtp, "un@exemple.example")
    learner.post(reverse("account_email"), {"email": "deux@exemple.example"})
    _, second = _mailed_code(smtp, "deux@exemple.example")
    assert learner.post(path, {"code": first}).status_code == 400
    assert learner.post(path, {"code": second}).status_code == 302
    user.refresh_from_db()
    assert user.email == "deux@exemple.example"


def test_the_code_is_random_and_stored_only_as_its_hash(learner, world, smtp):
    """The old link was a signed dump: the account's id and both addresses, readable by anyone
    holding it. Now it says nothing, and the database holds only its digest."""
    from livret.people.models import EmailChange

    user = world.users["learner1"]
    learner.post(reverse("account_email"), {"email": "secret@exemple.example"})
    _, code = _mailed_code(smtp, "secret@exemple.example")
    assert len(code) >= 40 and ":" not in code  # no signed dump (payload:timestamp:signature)
    decoded = base64.urlsafe_b64decode(code + "=" * (-len(code) % 4))
    assert b"exemple" not in decoded and b'"u"' not in decoded
    [change] = EmailChange.objects.filter(user=user)
    assert code not in change.token_hash and change.token_hash != code


def test_the_code_never_reaches_a_log_or_the_login_redirection(client, world, smtp, caplog):
    """The attack: the code in the path was logged on a refusal (400) and copied into
    /connexion/?next=… for a visitor not logged in. After the « # » it never reaches the server;
    a refused posted code is not logged either."""
    user = world.users["learner1"]
    client.force_login(user)
    client.post(reverse("account_email"), {"email": "log@exemple.example"})
    path, code = _mailed_code(smtp, "log@exemple.example")
    client.force_login(world.users["learner2"])
    with caplog.at_level("DEBUG"):
        assert client.post(path, {"code": code}).status_code == 400
    assert code not in caplog.text
    client.logout()
    anonymous = client.get(path)
    assert anonymous.status_code == 302 and code not in anonymous["Location"]


def test_an_expired_link_or_a_bad_address_is_refused(learner, world, smtp):
    import datetime

    from livret.people.models import EmailChange

    user = world.users["learner1"]
    learner.post(reverse("account_email"), {"email": "a@b.example"})
    path, code = _mailed_code(smtp, "a@b.example")
    EmailChange.objects.filter(user=user).update(
        created_at=timezone.now() - datetime.timedelta(days=2, minutes=1)
    )
    assert learner.post(path, {"code": code}).status_code == 400
    user.refresh_from_db()
    assert user.email == ""
    empty = learner.post(path, {"code": ""})
    assert empty.status_code == 400 and "Saisissez le code" in empty.content.decode()
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
