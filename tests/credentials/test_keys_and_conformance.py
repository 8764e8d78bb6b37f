"""Issue 21: signing keys kept as keys, badges that OB 3.0 verifiers accept, and each attack on
them reproduced — a key from an archive forges nothing, a badge leaks no calendar."""

import base64
import datetime
import gzip
import hashlib
import json
from pathlib import Path
from urllib.parse import urlsplit

import jsonschema
import pytest
from django.apps import apps
from django.core.exceptions import ImproperlyConfigured
from django.db import connection
from django.urls import reverse
from joserfc import jwt
from joserfc.jwk import KeySet, import_key

from livret.credentials import keystore, services
from livret.credentials.models import Credential, IssuerKey
from livret.engine import badges
from livret.instance_keys import new_kek
from tests.credentials.helpers import acquire

BASE = "https://livret.example"
# RFC 9864 prefers "Ed25519" to "EdDSA"; OB 3.0 and its verifiers still name EdDSA.
pytestmark = pytest.mark.filterwarnings("ignore:EdDSA is deprecated")
SCHEMA = json.loads(
    (Path(__file__).parent / "fixtures" / "achievementcredential.json").read_text("utf-8")
)


@pytest.fixture(autouse=True)
def site_url(settings):
    # Every URL a badge carries is built on SITE_URL, never on the request's host.
    settings.SITE_URL = BASE


def issue(world, learner=None, code="B1"):
    learner = learner or world.learner1
    return services.issue(learner, acquire(world, learner, code), world.users["manager_a"])


def payload(jws):
    return json.loads(badges.unb64url(jws.split(".")[1]))


def header(jws):
    return json.loads(badges.unb64url(jws.split(".")[0]))


def private_key_of(key):
    return keystore.decrypt(key.private_key_encrypted, key.kid)


# --- the key store ----------------------------------------------------------------------------


def test_no_private_key_in_the_database_in_clear(world):
    credential = issue(world)
    key = credential.signed_with
    private = private_key_of(key)
    assert "PRIVATE KEY" in private  # what the store holds is indeed the signing key
    with connection.cursor() as cursor:
        cursor.execute("SELECT * FROM credentials_issuerkey")
        columns = [c[0] for c in cursor.description]
        rows = cursor.fetchall()
    assert "private_pem" not in columns
    raw = " ".join(str(v) for row in rows for v in row)
    body = "".join(private.strip().splitlines()[1:-1])  # the base64 of the PKCS#8 key
    assert "PRIVATE KEY" not in raw and body not in raw
    assert key.private_key_encrypted.startswith("v1:")


def test_a_wrong_or_missing_kek_cannot_sign(world, settings):
    issue(world)
    key = IssuerKey.objects.get()
    settings.KEY_ENCRYPTION_KEY = new_kek()  # another instance's KEK: decrypts nothing
    with pytest.raises(ImproperlyConfigured, match="ne déchiffre pas la clé"):
        services.sign_with(key, {"jti": "urn:uuid:x"})
    with pytest.raises(ImproperlyConfigured, match="ne déchiffre pas"):
        issue(world, world.learner2)
    settings.KEY_ENCRYPTION_KEY = None
    with pytest.raises(ImproperlyConfigured, match="LIVRET_KEY_ENCRYPTION_KEY manquante"):
        services.sign_with(key, {"jti": "urn:uuid:x"})
    assert Credential.objects.count() == 1  # nothing half-issued


def test_a_ciphertext_moved_onto_another_key_does_not_decrypt(world):
    issue(world)
    key = IssuerKey.objects.get()
    with pytest.raises(ImproperlyConfigured):
        keystore.decrypt(key.private_key_encrypted, key.kid + "-autre")


# --- the attack: a private key taken from a centre archive forges nothing ----------------------


def test_a_badge_forged_with_a_leaked_or_foreign_key_is_never_authentic(client, world):
    credential = issue(world)
    key = credential.signed_with
    claims = payload(credential.jws)
    # A person who never enrolled, a new jti: what a manager with the archive's key would make.
    forged_claims = {
        **claims,
        "id": "urn:uuid:00000000-0000-4000-8000-000000000001",
        "jti": "urn:uuid:00000000-0000-4000-8000-000000000001",
        "credentialSubject": {**claims["credentialSubject"], "name": "Jamais Inscrit"},
    }
    # 1. Signed with the platform's very key (as leaked by the old archive): a valid signature,
    # but not a credential the platform issued.
    leaked = badges.sign(forged_claims, private_key_of(key), key.kid, key.alg)
    assert services.verify(leaked).status == badges.FOREIGN
    # 2. The real jti, other content, the same key: not the token we issued either.
    altered = badges.sign(
        {**claims, "credentialSubject": forged_claims["credentialSubject"]},
        private_key_of(key),
        key.kid,
        key.alg,
    )
    assert services.verify(altered).status == badges.FOREIGN
    # 3. Re-signed with a key that is not the platform's, under the platform's kid.
    other_private, _ = badges.new_key()
    resigned = badges.sign(claims, other_private, key.kid, badges.EDDSA)
    assert services.verify(resigned).status == badges.TAMPERED
    # 4. An RS256 header on our Ed25519 key (algorithm confusion).
    rsa_private, _ = badges.new_key(badges.RS256)
    confused = badges.sign(claims, rsa_private, key.kid, badges.RS256)
    assert services.verify(confused).status == badges.TAMPERED
    for token in (leaked, altered, resigned, confused):
        html = client.post(reverse("badge_verify"), {"token": token}).content.decode()
        assert "authentique" not in html
    html = client.post(reverse("badge_verify"), {"token": leaked}).content.decode()
    assert "Signature valide, émis hors de cette plateforme" in html
    # The badge we issued still reads authentic.
    assert services.verify(credential.jws).status == badges.VALID


def test_the_cli_says_foreign_too(world, tmp_path, capsys):
    from livret.cli import main

    credential = issue(world)
    key = credential.signed_with
    claims = {**payload(credential.jws), "jti": "urn:uuid:00000000-0000-4000-8000-000000000002"}
    path = tmp_path / "faux.jwt"
    path.write_text(badges.sign(claims, private_key_of(key), key.kid, key.alg))
    assert main(["credential", "verify", str(path)]) == 1
    out = capsys.readouterr().out
    assert out.startswith("foreign : Signature valide, émis hors de cette plateforme")
    assert "authentique" not in out


# --- the attack: a badge opened its holder's calendar ------------------------------------------


def test_an_old_badge_opens_no_calendar_and_new_badges_carry_no_token(client, world):
    from importlib import import_module

    learner = world.learner1
    bloc = acquire(world, learner)
    old_token = learner.calendar_token
    # A badge as issued before: its subject id was the calendar token.
    key = services.active_key(learner.centre)
    old = Credential.objects.create(
        learner=learner,
        bloc=bloc,
        issuer=learner.centre,
        issued_by=world.users["manager_a"],
        ground="livret",
        jws="-",
    )
    document = services.credential_document(old)
    document["credentialSubject"]["id"] = f"urn:uuid:{old_token}"
    old.jws = badges.sign(
        {"vc": document, "jti": document["id"], "sub": f"urn:uuid:{old_token}"},
        private_key_of(key),
        key.kid,
        key.alg,
    )
    old.save()
    client.logout()
    # What the badge's holder did: read the subject id, open the calendar.
    leaked = payload(old.jws)["sub"].removeprefix("urn:uuid:")
    assert client.get(f"/calendrier/{leaked}.ics").status_code == 200
    # The migration renews every token.
    import_module("livret.people.migrations.0017_renew_calendar_tokens").renew_calendar_tokens(
        apps, None
    )
    learner.refresh_from_db()
    assert learner.calendar_token != old_token
    assert client.get(f"/calendrier/{leaked}.ics").status_code == 404
    assert client.get(f"/calendrier/{learner.calendar_token}.ics").status_code == 200
    # The old badge was issued: it still verifies (its dead token opens nothing).
    assert services.verify(old.jws).status == badges.VALID
    # A badge issued now carries a random subject id of its own, and no token.
    services.revoke(old, "réémis")
    new = services.issue(learner, bloc, world.users["manager_a"])
    claims = payload(new.jws)
    assert claims["sub"] == f"urn:uuid:{new.subject_uid}" != f"urn:uuid:{learner.calendar_token}"
    assert str(learner.calendar_token) not in new.jws + json.dumps(claims)
    assert client.get(f"/calendrier/{new.subject_uid}.ics").status_code == 404


# --- OB 3.0 conformance -----------------------------------------------------------------------


def validate(document):
    validator = jsonschema.Draft201909Validator(SCHEMA)
    errors = sorted(validator.iter_errors(document), key=lambda e: list(e.path))
    assert not errors, [f"{list(e.path)}: {e.message}" for e in errors]


def test_the_credential_validates_against_1edtechs_schema(world):
    world.learner1.email = "Apprenti.Un@Example.org"
    world.learner1.save()
    world.learner2.email = ""
    world.learner2.save()
    with_email, without = issue(world), issue(world, world.learner2)
    for credential in (with_email, without):
        claims = payload(credential.jws)
        validate(claims)
        # OB 3.0 §8.2: the JWT claims mirror the credential.
        assert claims["iss"] == claims["issuer"]["id"]
        assert claims["iss"] == f"{BASE}/badges/emetteurs/{credential.issuer_id}"
        assert claims["jti"] == claims["id"] == f"urn:uuid:{credential.uid}"
        assert claims["sub"] == claims["credentialSubject"]["id"]
        assert claims["nbf"] == int(
            datetime.datetime.fromisoformat(claims["validFrom"]).timestamp()
        )
        assert "vc" not in claims and header(credential.jws)["typ"] == "vc+jwt"
        status = claims["credentialStatus"]
        assert status["type"] == "BitstringStatusListEntry"
        assert status["statusPurpose"] == "revocation"
        assert status["statusListIndex"] == str(credential.status_index)
    (identity,) = payload(with_email.jws)["credentialSubject"]["identifier"]
    salt = with_email.identity_salt
    assert identity == {
        "type": "IdentityObject",
        "identityHash": "sha256$"
        + hashlib.sha256(("apprenti.un@example.org" + salt).encode()).hexdigest(),
        "identityType": "emailAddress",
        "hashed": True,
        "salt": salt,
    }
    assert "Example.org" not in with_email.jws and "example.org" not in json.dumps(
        payload(with_email.jws)
    )
    assert "identifier" not in payload(without.jws)["credentialSubject"]
    # The schema does refuse what is not a credential (it is not a schema that accepts all).
    broken = payload(without.jws)
    del broken["credentialSubject"]["achievement"]["criteria"]
    with pytest.raises(AssertionError):
        validate(broken)


@pytest.mark.parametrize("alg", ["EdDSA", "RS256"])
def test_an_independent_jose_library_verifies_from_the_jwks_alone(client, world, alg):
    centre = world.learner1.centre
    services.rotate_key(centre, alg)
    credential = issue(world)
    assert header(credential.jws)["alg"] == alg
    client.logout()
    # Everything a verifier needs is public: the JWKS, and the kid dereferences to the JWK.
    jwks = client.get(urlsplit(f"{BASE}/badges/emetteurs/{centre.pk}/jwks.json").path).json()
    assert all("d" not in k and "p" not in k for k in jwks["keys"])
    token = jwt.decode(credential.jws, KeySet.import_key_set(jwks), algorithms=[alg])
    assert token.header["kid"] == credential.signed_with.kid
    assert token.claims["jti"] == f"urn:uuid:{credential.uid}"
    jwk = client.get(urlsplit(token.header["kid"]).path).json()
    assert jwk["kid"] == token.header["kid"] and jwk["alg"] == alg
    assert jwt.decode(credential.jws, import_key(jwk), algorithms=[alg]).claims == token.claims
    # A token tampered with fails the independent check too.
    forged = credential.jws[:-4] + ("AAAA" if not credential.jws.endswith("AAAA") else "BBBB")
    with pytest.raises(Exception, match="(?i)signature"):
        jwt.decode(forged, KeySet.import_key_set(jwks), algorithms=[alg])


def test_the_issuer_profile_publishes_every_key_as_jwk_and_multikey(client, world):
    first = issue(world)
    services.rotate_key(world.learner1.centre, "RS256")
    second = issue(world, world.learner2)
    assert first.signed_with.kid != second.signed_with.kid
    profile = client.get(reverse("badge_issuer", args=[world.learner1.centre_id])).json()
    assert profile["type"] == ["Profile"]
    by_type = {}
    for method in profile["verificationMethod"]:
        by_type.setdefault(method["type"], []).append(method)
    assert {m["id"] for m in by_type["JsonWebKey"]} == {
        first.signed_with.kid,
        second.signed_with.kid,
    }
    (multikey,) = by_type["Multikey"]  # the Ed25519 key; RSA is published as JWK only
    encoded = multikey["publicKeyMultibase"]
    assert encoded.startswith("z6Mk")
    # base58btc decoded here, independently: the ed25519-pub multicodec then the JWK's x.
    alphabet = "123456789ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz"
    number = 0
    for char in encoded[1:]:
        number = number * 58 + alphabet.index(char)
    raw = number.to_bytes(34, "big")
    assert raw[:2] == b"\xed\x01"
    (ed_jwk,) = [
        m["publicKeyJwk"] for m in by_type["JsonWebKey"] if m["publicKeyJwk"]["kty"] == "OKP"
    ]
    assert base64.urlsafe_b64encode(raw[2:]).rstrip(b"=").decode() == ed_jwk["x"]


# --- rotation -----------------------------------------------------------------------------------


def test_rotation_keeps_earlier_badges_verifiable(world):
    before = issue(world)
    old_key = before.signed_with
    new_key = services.rotate_key(world.learner1.centre)
    old_key.refresh_from_db()
    assert old_key.retired and not old_key.active and old_key.private_key_encrypted == ""
    assert new_key.active and new_key.kid != old_key.kid and new_key.alg == old_key.alg
    after = issue(world, world.learner2)
    assert after.signed_with == new_key
    assert services.verify(before.jws).status == badges.VALID
    assert services.verify(after.jws).status == badges.VALID
    with pytest.raises(services.ValidationError, match="retirée"):
        services.sign_with(old_key, {"jti": "x"})


# --- revocation as a W3C Bitstring Status List -------------------------------------------------


def test_a_revoked_credential_reads_revoked_from_the_status_list(client, world):
    kept, revoked = (
        services.issue(learner, acquire(world, learner), world.users["manager_a"])
        for learner in (world.learner1, world.learner2)
    )
    assert kept.status_index != revoked.status_index
    services.revoke(revoked, "Erreur d'émission")
    entry = payload(revoked.jws)["credentialStatus"]
    client.logout()
    response = client.get(urlsplit(entry["statusListCredential"]).path)
    assert response.status_code == 200 and response["Content-Type"] == "application/vc+jwt"
    jwks = client.get(f"/badges/emetteurs/{revoked.issuer_id}/jwks.json").json()
    token = jwt.decode(response.content.decode(), KeySet.import_key_set(jwks), algorithms=["EdDSA"])
    status_list = token.claims
    assert status_list["type"] == ["VerifiableCredential", "BitstringStatusListCredential"]
    assert status_list["id"] == entry["statusListCredential"]
    subject = status_list["credentialSubject"]
    assert subject["type"] == "BitstringStatusList" and subject["statusPurpose"] == "revocation"
    # Decoded here: multibase 'u' (base64url, no padding), GZIP, bit 0 the first byte's highest.
    encoded = subject["encodedList"]
    assert encoded[0] == "u"
    bits = gzip.decompress(base64.urlsafe_b64decode(encoded[1:] + "=" * (-len(encoded[1:]) % 4)))
    assert len(bits) * 8 >= 131_072

    def bit(index):
        return (bits[index // 8] >> (7 - index % 8)) & 1

    assert bit(int(entry["statusListIndex"])) == 1
    assert bit(kept.status_index) == 0
    assert sum(bin(b).count("1") for b in bits) == 1
    # The old per-badge status URL, which followed no published schema, is gone.
    assert client.get(f"/badges/statut/{revoked.uid}").status_code == 404


# --- command line -------------------------------------------------------------------------------


def test_cli_issue_status_revoke_rotate(world, tmp_path, capsys, settings):
    from livret.cli import main

    settings.SITE_URL = "https://cfa.example/"
    bloc = acquire(world, world.learner1)
    out = tmp_path / "badge.jwt"
    args = ["credential", "issue", str(world.learner1.pk), bloc.code]
    assert main([*args, "--by", "trainer_a"]) == 1  # a trainer may not issue
    assert main([*args, "--by", "personne"]) == 2
    assert main(["credential", "issue", "999999", "B1"]) == 2
    assert main(["credential", "issue", str(world.learner1.pk), "B99"]) == 2
    assert main([*args, "--by", "manager_a", "--output", str(out)]) == 0
    credential = Credential.objects.get()
    assert out.read_text() == credential.jws
    assert (
        payload(credential.jws)["iss"]
        == f"https://cfa.example/badges/emetteurs/{credential.issuer_id}"
    )
    assert main(["credential", "verify", str(out)]) == 0
    assert main(["credential", "status", str(credential.uid)]) == 0
    assert "en vigueur" in capsys.readouterr().out
    assert main(["credential", "status", "pas-un-uuid"]) == 2
    assert main(["credential", "revoke", str(credential.uid), "--reason", " "]) == 2
    assert main(["credential", "revoke", str(credential.uid), "--reason", "Erreur"]) == 0
    assert main(["credential", "revoke", str(credential.uid), "--reason", "Encore"]) == 1
    assert main(["credential", "status", str(credential.uid)]) == 1
    assert "révoqué le" in capsys.readouterr().out
    assert main(["credential", "verify", str(out)]) == 1
    centre = world.learner1.centre
    assert main(["credential", "rotate-key", str(centre.pk), "--alg", "RS256"]) == 0
    assert IssuerKey.objects.get(organisation=centre, active=True).alg == "RS256"
    assert main(["credential", "rotate-key", "Centre inconnu"]) == 2
    with pytest.raises(SystemExit):
        main(["credential", "rotate-key", str(centre.pk), "--alg", "HS256"])


def test_without_a_kek_the_pages_say_so_and_sign_nothing(client, world, settings):
    bloc = acquire(world, world.learner1)
    services.issue(world.learner2, acquire(world, world.learner2), world.users["manager_a"])
    settings.KEY_ENCRYPTION_KEY = None
    client.force_login(world.users["manager_a"])
    response = client.post(reverse("badge_issue", args=[world.learner1.pk, bloc.pk]), follow=True)
    assert "LIVRET_KEY_ENCRYPTION_KEY manquante" in response.content.decode()
    assert not Credential.objects.filter(learner=world.learner1).exists()
    client.logout()
    url = reverse("badge_status_list", args=[world.learner1.centre_id])
    assert client.get(url).status_code == 503
    # What verifies needs no KEK: the keys stay published.
    assert client.get(reverse("badge_jwks", args=[world.learner1.centre_id])).status_code == 200
