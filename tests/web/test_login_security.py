"""Login throttling that cannot be turned against users: per account and address, device cookies,
trusted proxies, and a way out by e-mail for a locked user."""

import re

import pytest
from django.core import mail
from django.test import Client
from django.urls import reverse

from livret.web.login_security import DEVICE_COOKIE, client_ip
from tests.world import PASSWORD

LOGIN = "/connexion/"
WRONG = "mauvais-mot-de-passe"


def attempt(client, username, password, **meta):
    return client.post(LOGIN, {"username": username, "password": password}, **meta)


def hammer(client, username, times=5, **meta):
    for _ in range(times):
        assert attempt(client, username, WRONG, **meta).status_code in (200, 429)


def test_five_failures_lock_the_account_from_that_address_with_a_french_message(client, world):
    hammer(client, "learner1")
    response = attempt(client, "learner1", PASSWORD)
    html = response.content.decode()
    assert response.status_code == 429
    assert "Connexion suspendue pour ce compte" in html and "15 minutes" in html
    assert reverse("password_reset") in html


def test_a_class_behind_one_address_still_logs_in(world):
    school = {"REMOTE_ADDR": "203.0.113.7"}
    attacker = Client()
    hammer(attacker, "learner1", times=8, **school)
    # Every other pupil of the class, same address, logs in.
    for username in ("learner2", "trainer_a", "tutor_x"):
        assert attempt(Client(), username, PASSWORD, **school).status_code == 302, username


def test_an_attacker_cannot_keep_a_user_out_of_his_own_browser(world):
    school = {"REMOTE_ADDR": "203.0.113.7"}
    own = Client()
    assert attempt(own, "learner1", PASSWORD, **school).status_code == 302
    assert DEVICE_COOKIE in own.cookies
    own.post(reverse("logout"))
    attacker = Client()
    hammer(attacker, "learner1", times=12, **school)
    assert attempt(attacker, "learner1", PASSWORD, **school).status_code == 429
    # The learner's own browser, same address, is not locked by the attacker's failures.
    assert attempt(own, "learner1", PASSWORD, **school).status_code == 302


def test_a_known_browser_has_its_own_limit(world):
    own = Client()
    assert attempt(own, "learner1", PASSWORD).status_code == 302
    own.post(reverse("logout"))
    hammer(own, "learner1", times=5)
    assert attempt(own, "learner1", PASSWORD).status_code == 429


def test_a_forged_device_cookie_is_ignored(world):
    attacker = Client()
    attacker.cookies[DEVICE_COOKIE] = "eyJpZCI6ImFiYyIsImFjY291bnRzIjpbImxlYXJuZXIxIl19:forged:sig"
    hammer(attacker, "learner1")
    assert attempt(attacker, "learner1", PASSWORD).status_code == 429


class Req:
    def __init__(self, remote, forwarded=None):
        self.META = {"REMOTE_ADDR": remote}
        if forwarded is not None:
            self.META["HTTP_X_FORWARDED_FOR"] = forwarded


@pytest.mark.parametrize(
    "proxies, remote, forwarded, expected",
    [
        (0, "198.51.100.1", None, "198.51.100.1"),
        # No trusted proxy: the header is the client's to forge, so it is ignored.
        (0, "198.51.100.1", "192.0.2.9", "198.51.100.1"),
        (1, "10.0.0.2", "192.0.2.9", "192.0.2.9"),
        # One proxy: a forged entry on the left does not change the address the proxy saw.
        (1, "10.0.0.2", "6.6.6.6, 192.0.2.9", "192.0.2.9"),
        (2, "10.0.0.3", "6.6.6.6, 192.0.2.9, 10.0.0.2", "192.0.2.9"),
        (1, "10.0.0.2", "", "10.0.0.2"),
    ],
)
def test_client_address_behind_trusted_proxies(settings, proxies, remote, forwarded, expected):
    settings.TRUSTED_PROXIES = proxies
    assert client_ip(Req(remote, forwarded)) == expected


def test_behind_a_proxy_each_client_is_counted_apart(settings, world):
    settings.TRUSTED_PROXIES = 1
    proxy = {"REMOTE_ADDR": "10.0.0.2"}
    hammer(Client(), "learner1", HTTP_X_FORWARDED_FOR="192.0.2.66", **proxy)
    assert (
        attempt(
            Client(), "learner1", PASSWORD, HTTP_X_FORWARDED_FOR="192.0.2.66", **proxy
        ).status_code
        == 429
    )
    # The same account from another client behind the same proxy.
    assert (
        attempt(
            Client(), "learner1", PASSWORD, HTTP_X_FORWARDED_FOR="192.0.2.10", **proxy
        ).status_code
        == 302
    )


def test_a_locked_user_chooses_a_new_password_by_email_and_gets_in(client, world):
    user = world.users["learner1"]
    user.email = "learner1@exemple.fr"
    user.save()
    hammer(client, "learner1")
    assert attempt(client, "learner1", PASSWORD).status_code == 429
    response = client.post(reverse("password_reset"), {"email": "learner1@exemple.fr"})
    assert response.status_code == 302
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == ["learner1@exemple.fr"]
    assert "nouveau mot de passe" in message.body and "learner1" in message.body
    link = re.search(r"https?://[^/\s]+(/mot-de-passe/\S+/)", message.body).group(1)
    form_page = client.get(link, follow=True)
    assert "Choisir un mot de passe" in form_page.content.decode()
    new = "une toute nouvelle phrase de passe"
    done = client.post(
        form_page.redirect_chain[-1][0], {"new_password1": new, "new_password2": new}, follow=True
    )
    assert "Mot de passe enregistré" in done.content.decode()
    # The lock is lifted: the new password works at once, from the same address.
    assert attempt(client, "learner1", new).status_code == 302
