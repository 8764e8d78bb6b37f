"""No dead end at sign-up (issue 24, item 8): an expired confirmation link offers a new one, and
signing up again with the address of an account never confirmed sends a fresh link, where both
used to end the candidate's journey for good. The public sign-up and the badge verification
page are throttled per address. The mails are read from a real SMTP server."""

import re
import time
from html import unescape
from unittest import mock

from django.contrib.auth import get_user_model
from django.urls import reverse
from django.utils import timezone

from livret.vae import services
from tests.mailbox import smtp  # noqa: F401 (fixture)

STRONG = "Un-mot-de-passe-solide-2026"
SAM = {"first_name": "Sam", "last_name": "Vigier", "email": "sam@exemple.fr", "password": STRONG}


def _code(message) -> str:
    """The code after the link's « # » (the page's script posts it)."""
    body = message.get_body(("plain",)).get_content()
    return re.search(r"/vae/confirmer/#(\S+)", body).group(1)


def _confirm(client, code):
    return client.post(reverse("vae_confirm"), {"code": code})


def test_an_expired_link_offers_a_new_one(client, vae, smtp):  # noqa: F811
    client.post(reverse("vae_signup"), SAM)
    user = get_user_model().objects.get(username="sam@exemple.fr")
    # The link he finds four days later (valid three).
    with mock.patch("django.core.signing.time.time", return_value=time.time() - 4 * 24 * 3600):
        old = services.signing.dumps({"u": user.pk}, salt=services.SALT)
    r = _confirm(client, old)
    page = unescape(r.content.decode())
    assert r.status_code == 400 and "Ce lien a expiré" in page
    assert "inscrivez-vous de nouveau" not in page and "M'envoyer un nouveau lien" in page
    r = client.post(reverse("vae_confirm_resend"))
    assert r.status_code == 200 and "un nouveau lien vient d'y être envoyé" in unescape(
        r.content.decode()
    )
    fresh = smtp.to("sam@exemple.fr")[-1]
    assert len(smtp.to("sam@exemple.fr")) == 2
    assert _confirm(client, _code(fresh)).status_code == 302
    user.refresh_from_db()
    assert user.is_active
    # Confirmed: the old link gives nothing more, neither a new link.
    r = _confirm(client, old)
    assert r.status_code == 400 and "M'envoyer un nouveau lien" not in unescape(r.content.decode())
    r = client.post(reverse("vae_confirm_resend"))
    assert r.status_code == 400 and "déjà confirmé" in unescape(r.content.decode())
    assert len(smtp.to("sam@exemple.fr")) == 2


def test_signing_up_again_resends_a_link_instead_of_refusing(client, vae, smtp):  # noqa: F811
    client.post(reverse("vae_signup"), SAM)
    again = client.post(reverse("vae_signup"), {**SAM, "password": "Un-autre-mot-de-passe-42"})
    page = unescape(again.content.decode())
    assert again.status_code == 200 and "Un compte en attente de confirmation existe" in page
    assert get_user_model().objects.filter(username="sam@exemple.fr").count() == 1
    assert len(smtp.to("sam@exemple.fr")) == 2
    _confirm(client, _code(smtp.to("sam@exemple.fr")[-1]))
    # The account keeps the password chosen first (nobody else may set it by signing up).
    assert get_user_model().objects.get(username="sam@exemple.fr").check_password(STRONG)
    # Once confirmed, signing up again is refused: he logs in.
    r = client.post(reverse("vae_signup"), SAM)
    assert r.status_code == 400 and "Un compte existe déjà" in unescape(r.content.decode())
    assert len(smtp.to("sam@exemple.fr")) == 2


def test_an_account_deactivated_by_an_administrator_gets_no_link(client, vae, candidate, smtp):  # noqa: F811
    candidate.is_active = False
    candidate.save()
    r = client.post(reverse("vae_signup"), {**SAM, "email": candidate.email})
    assert r.status_code == 400 and "Un compte existe déjà" in unescape(r.content.decode())
    assert smtp.to(candidate.email) == []


def test_public_sign_up_is_throttled_per_address(client, vae, settings, smtp):  # noqa: F811
    settings.PUBLIC_THROTTLES = {"vae_signup": (3, 3600)}
    for i in range(3):
        r = client.post(reverse("vae_signup"), {**SAM, "email": f"p{i}@exemple.fr"})
        assert r.status_code == 200
    r = client.post(reverse("vae_signup"), {**SAM, "email": "p9@exemple.fr"})
    assert r.status_code == 429 and "Trop de demandes" in unescape(r.content.decode())
    assert r["Retry-After"] == "3600"
    assert not get_user_model().objects.filter(username="p9@exemple.fr").exists()
    assert smtp.to("p9@exemple.fr") == []
    # Another address is not held back; reading the form is not counted.
    assert client.get(reverse("vae_signup")).status_code == 200
    other = client.post(
        reverse("vae_signup"), {**SAM, "email": "p8@exemple.fr"}, REMOTE_ADDR="10.0.0.8"
    )
    assert other.status_code == 200


def test_badge_verification_is_throttled_per_address(client, settings, db):
    settings.PUBLIC_THROTTLES = {"badge_verify": (2, 600)}
    for _ in range(2):
        assert client.post(reverse("badge_verify"), {"token": "x.y.z"}).status_code == 400
    r = client.post(reverse("badge_verify"), {"token": "x.y.z"})
    assert r.status_code == 429 and "réessayez dans 10 minutes" in unescape(r.content.decode())
    assert client.get(reverse("badge_verify")).status_code == 200


def test_an_old_link_does_not_wake_a_deactivated_account(client, vae, smtp, caplog):  # noqa: F811
    """The attack: an administrator deactivates a confirmed candidate; his first link, opened
    again within its three days, made the account active again. Also: the code was in the path
    (access logs, the warning of a 400) and the link took the request's Host header."""
    client.post(reverse("vae_signup"), SAM, HTTP_HOST="testserver")
    [message] = smtp.to("sam@exemple.fr")
    code = _code(message)
    assert "https://livret.example/vae/confirmer/#" in message.get_body(("plain",)).get_content()
    assert _confirm(client, code).status_code == 302
    user = get_user_model().objects.get(username="sam@exemple.fr")
    user.last_login = timezone.now()
    user.is_active = False  # deactivated by an administrator
    user.save()
    with caplog.at_level("DEBUG"):
        again = _confirm(client, code)
    assert again.status_code == 400 and "déjà servi" in unescape(again.content.decode())
    user.refresh_from_db()
    assert not user.is_active
    assert code not in caplog.text
