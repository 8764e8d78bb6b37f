"""What anonymous callers can do to the public badge endpoints: never a 500, never a key made or
a signature computed on their behalf, never a URL taken from their Host header."""

import base64
import json

import pytest
from django.urls import reverse
from django.utils import timezone
from django.utils.html import escape

from livret.credentials import services
from livret.credentials.models import Credential, IssuerKey
from livret.engine import badges
from tests.credentials.helpers import acquire


def b64(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


DEEP = b"[" * 20_000
HEADER = b64(b'{"alg":"EdDSA"}')
NESTED_TOKENS = [
    pytest.param(b64(DEEP) + "." + b64(b"{}") + ".AA", id="header"),
    pytest.param(HEADER + "." + b64(DEEP) + ".AA", id="payload"),
    pytest.param(HEADER + "." + b64(b'{"a":' * 20_000) + ".AA", id="objects"),
]


@pytest.mark.parametrize("token", NESTED_TOKENS)
def test_a_deeply_nested_token_is_malformed_on_the_verify_page(client, db, token):
    response = client.post(reverse("badge_verify"), {"token": token})
    assert response.status_code == 400  # an error of the form, beside the pasted text
    assert escape(badges.LABELS[badges.MALFORMED]) in response.content.decode()


@pytest.mark.parametrize("token", NESTED_TOKENS)
def test_a_deeply_nested_token_is_malformed_on_the_command_line(db, tmp_path, capsys, token):
    from livret.cli import main

    path = tmp_path / "profond.jwt"
    path.write_text(token)
    assert main(["credential", "verify", str(path)]) == 1
    assert capsys.readouterr().out.startswith(f"{badges.MALFORMED} :")


# --- every URL a badge carries comes from SITE_URL ---------------------------------------------


def _claims(jws):
    return json.loads(badges.unb64url(jws.split(".")[1]))


def _header(jws):
    return json.loads(badges.unb64url(jws.split(".")[0]))


def test_a_forged_host_header_changes_no_url_of_a_badge(client, world, settings):
    settings.SITE_URL = "https://livret.example/"
    settings.ALLOWED_HOSTS = ["*"]  # a host the deployment accepts, or a proxy that passes any
    site, evil = "https://livret.example", "evil.example"
    bloc = acquire(world, world.learner1)
    client.force_login(world.users["manager_a"])
    # The centre's first badge, issued through a forged Host: its key is made on this request.
    response = client.post(
        reverse("badge_issue", args=[world.learner1.pk, bloc.pk]), HTTP_HOST=evil
    )
    assert response.status_code == 302
    credential = Credential.objects.get()
    claims, header = _claims(credential.jws), _header(credential.jws)
    centre = f"{site}/badges/emetteurs/{credential.issuer_id}"
    assert header["kid"].startswith(f"{centre}/cles/")
    assert claims["iss"] == claims["issuer"]["id"] == centre
    assert claims["credentialStatus"]["statusListCredential"] == f"{centre}/statut/revocation"
    assert claims["credentialSubject"]["achievement"]["id"].startswith(f"{site}/referentiels/")
    assert evil not in credential.jws + json.dumps(claims) + credential.signed_with.kid
    # What verifiers read through a forged Host names the platform, not the forger.
    client.logout()
    org = credential.issuer_id
    profile = client.get(reverse("badge_issuer", args=[org]), HTTP_HOST=evil).json()
    jwks = client.get(reverse("badge_jwks", args=[org]), HTTP_HOST=evil).json()
    status = client.get(reverse("badge_status_list", args=[org]), HTTP_HOST=evil)
    assert profile["id"] == centre and profile["jwks_uri"] == f"{centre}/jwks.json"
    assert [k["kid"] for k in jwks["keys"]] == [header["kid"]]
    assert _claims(status.content.decode())["id"] == f"{centre}/statut/revocation"
    assert _header(status.content.decode())["kid"] == header["kid"]
    assert evil not in json.dumps(profile) + json.dumps(jwks) + status.content.decode()


def test_the_web_and_the_command_line_issue_the_same_urls(client, world, settings, tmp_path):
    from livret.cli import main

    settings.SITE_URL = "https://livret.example"
    client.force_login(world.users["manager_a"])
    bloc1 = acquire(world, world.learner1)
    client.post(reverse("badge_issue", args=[world.learner1.pk, bloc1.pk]))
    bloc2 = acquire(world, world.learner2)
    assert (
        main(["credential", "issue", str(world.learner2.pk), bloc2.code, "--by", "manager_a"]) == 0
    )
    web, cli = (
        _claims(Credential.objects.get(learner=learner).jws)
        for learner in (world.learner1, world.learner2)
    )
    centre = world.learner1.centre_id
    assert web["iss"] == cli["iss"] == f"https://livret.example/badges/emetteurs/{centre}"
    assert (
        web["credentialStatus"]["statusListCredential"]
        == cli["credentialStatus"]["statusListCredential"]
    )


# --- the public revocation list: no key made, no signature computed for an anonymous reader -----


@pytest.fixture
def signatures(monkeypatch):
    """Counts the signatures the platform computes (the real signing runs)."""
    calls = []
    real = badges.sign

    def counting(*args, **kwargs):
        calls.append(args[2])  # the kid
        return real(*args, **kwargs)

    monkeypatch.setattr(badges, "sign", counting)
    return calls


def test_repeated_reads_of_the_status_list_sign_once(client, world, settings, signatures):
    settings.SITE_URL = "https://livret.example"
    kept = services.issue(world.learner1, acquire(world, world.learner1), world.users["manager_a"])
    revoked = services.issue(
        world.learner2, acquire(world, world.learner2), world.users["manager_a"]
    )
    url = reverse("badge_status_list", args=[kept.issuer_id])
    client.logout()
    signatures.clear()
    first = [client.get(url).content for _ in range(5)]
    assert len(set(first)) == 1 and len(signatures) == 1
    # A revocation is published at once: the next read signs a new list, with the bit set.
    services.revoke(revoked, "Erreur d'émission")
    after = client.get(url).content.decode()
    assert len(signatures) == 2 and after != first[0].decode()
    encoded = _claims(after)["credentialSubject"]["encodedList"]
    assert badges.status_list_bit(encoded, revoked.status_index)
    assert not badges.status_list_bit(encoded, kept.status_index)
    client.get(url)
    assert len(signatures) == 2


def test_a_revocation_the_cache_was_not_told_of_is_never_hidden(client, world, signatures):
    credential = services.issue(
        world.learner1, acquire(world, world.learner1), world.users["manager_a"]
    )
    url = reverse("badge_status_list", args=[credential.issuer_id])
    client.get(url)
    # Revoked by a bulk update, past services.revoke (and its cache invalidation).
    Credential.objects.filter(pk=credential.pk).update(revoked_at=timezone.now())
    encoded = _claims(client.get(url).content.decode())["credentialSubject"]["encodedList"]
    assert badges.status_list_bit(encoded, credential.status_index)


def test_the_status_list_never_creates_a_key(client, world, settings, signatures):
    """After a restore (or a migration without the KEK) a centre holds only retired keys: an
    anonymous GET with any Host once made a new signing key, its kid built from that Host."""
    settings.ALLOWED_HOSTS = ["*"]
    credential = services.issue(
        world.learner1, acquire(world, world.learner1), world.users["manager_a"]
    )
    centre = credential.issuer
    url = reverse("badge_status_list", args=[centre.pk])
    client.logout()
    served = client.get(url).content
    IssuerKey.objects.filter(organisation=centre).update(private_key_encrypted="")
    keys = list(IssuerKey.objects.values_list("pk", "kid"))
    signatures.clear()
    # The last list signed still says the truth: it is served (its key stays published).
    response = client.get(url, HTTP_HOST="evil.example")
    assert response.status_code == 200 and response.content == served
    # Once the list changed, nothing can sign it: a plain 503, no key made, nothing signed.
    services.revoke(credential, "Erreur d'émission")
    response = client.get(url, HTTP_HOST="evil.example")
    assert response.status_code == 503
    assert "Liste de révocation indisponible" in response.content.decode()
    assert list(IssuerKey.objects.values_list("pk", "kid")) == keys
    assert signatures == []
    # The centre's staff make a key by rotating it: the list is signed again.
    services.rotate_key(centre)
    response = client.get(url)
    assert response.status_code == 200
    assert badges.status_list_bit(
        _claims(response.content.decode())["credentialSubject"]["encodedList"],
        credential.status_index,
    )


# --- the command line ---------------------------------------------------------------------------


@pytest.mark.parametrize("centre", ["²", "١٢", "-1", "1.0", ""])
def test_rotate_key_names_a_centre_or_says_it_plainly(world, capsys, centre):
    from livret.cli import main

    keys = IssuerKey.objects.count()
    assert main(["credential", "rotate-key", centre]) == 2
    assert f"aucun centre {centre}" in capsys.readouterr().err
    assert IssuerKey.objects.count() == keys
