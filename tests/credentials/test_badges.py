"""Open Badges 3.0 credentials: issued, verified, tampered (fails), revoked (fails), unknown issuer."""

import base64
import json
import subprocess
import sys

import pytest
from django.urls import reverse

from livret.credentials import services
from livret.credentials.models import Credential, IssuerKey
from livret.engine import badges
from livret.referentiels.models import Bloc
from tests.credentials.helpers import acquire


@pytest.fixture
def issued(world, settings):
    settings.SITE_URL = "https://livret.example"
    bloc = acquire(world, world.learner1)
    return services.issue(world.learner1, bloc, world.users["manager_a"])


def tamper(jws):
    header, payload, signature = jws.split(".")
    claims = json.loads(base64.urlsafe_b64decode(payload + "=" * (-len(payload) % 4)))
    claims["credentialSubject"]["name"] = "Quelqu'un d'autre"
    forged = (
        base64.urlsafe_b64encode(json.dumps(claims, separators=(",", ":")).encode())
        .rstrip(b"=")
        .decode()
    )
    return f"{header}.{forged}.{signature}"


def test_issue_needs_every_competence_of_the_bloc(world):
    bloc = Bloc.objects.get(referentiel=world.ref, code="B1")
    with pytest.raises(
        services.ValidationError, match="pas acquis toutes les compétences du bloc B1"
    ):
        services.issue(world.learner1, bloc, world.users["manager_a"])


def test_the_livret_grounds_only_the_centres_attestation_never_aligned_on_the_rncp(issued):
    claims = json.loads(badges.unb64url(issued.jws.split(".")[1]))
    header = json.loads(badges.unb64url(issued.jws.split(".")[0]))
    vc = claims  # VCDM 2.0: the credential is the claims set, no `vc` wrapper
    assert "vc" not in claims
    assert header == {"alg": "EdDSA", "typ": "vc+jwt", "kid": issued.signed_with.kid}
    assert header["kid"].startswith(
        f"https://livret.example/badges/emetteurs/{issued.issuer_id}/cles/"
    )
    assert vc["type"] == ["VerifiableCredential", "OpenBadgeCredential"]
    assert "https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json" in vc["@context"]
    assert issued.kind == Credential.ATTESTATION
    assert vc["name"] == (
        "Attestation de compétences du centre — Préparation et mise en œuvre d'une prestation "
        "de sécurité"
    )
    achievement = vc["credentialSubject"]["achievement"]
    assert achievement["achievementType"] == "Assessment"
    assert "ne vaut pas validation du bloc de compétences" in achievement["description"]
    assert "alignment" not in achievement and "RNCP" not in json.dumps(vc)
    assert claims["jti"] == f"urn:uuid:{issued.uid}"


def test_verify_valid_tampered_revoked_unknown(issued, world):
    assert services.verify(issued.jws).status == badges.VALID
    assert services.verify(tamper(issued.jws)).status == badges.TAMPERED
    other_private, _ = badges.new_key()
    stranger = badges.sign(
        {"jti": "urn:uuid:x"}, other_private, "https://ailleurs.example/cle", badges.EDDSA
    )
    assert services.verify(stranger).status == badges.UNKNOWN_ISSUER
    # A key claiming to be ours but another private key: tampered.
    forged = badges.sign(
        json.loads(badges.unb64url(issued.jws.split(".")[1])),
        other_private,
        IssuerKey.objects.get().kid,
        badges.EDDSA,
    )
    assert services.verify(forged).status == badges.TAMPERED
    assert services.verify("pas un badge").status == badges.MALFORMED
    with pytest.raises(services.ValidationError):
        services.revoke(issued, "  ")
    services.revoke(issued, "Erreur d'émission")
    assert services.verify(issued.jws).status == badges.REVOKED


def test_cli_verify(issued, tmp_path):
    good, bad = tmp_path / "badge.jwt", tmp_path / "faux.jwt"
    good.write_text(issued.jws)
    bad.write_text(tamper(issued.jws))
    # The CLI reads the same database as the test (pytest-django's), so call it in process.
    from livret.cli import main

    assert main(["credential", "verify", str(good)]) == 0
    assert main(["credential", "verify", str(bad)]) == 1
    assert (
        subprocess.run(
            [sys.executable, "-m", "livret", "credential", "verify", str(tmp_path / "absent.jwt")],
            capture_output=True,
        ).returncode
        == 2
    )


def test_pages_and_rights(client, world):
    bloc = acquire(world, world.learner1)
    url = reverse("badge_issue", args=[world.learner1.pk, bloc.pk])
    for role in ("trainer_a", "tutor_x", "learner1"):
        client.force_login(world.users[role])
        assert client.post(url).status_code == 403
    client.force_login(world.users["manager_b"])
    assert client.post(url).status_code == 404
    client.force_login(world.users["manager_a"])
    assert client.post(url).status_code == 302
    credential = Credential.objects.get()
    client.force_login(world.users["learner1"])
    download = client.get(reverse("badge_download", args=[credential.uid]))
    assert (
        download["Content-Type"] == "application/vc+jwt"
        and download.content.decode() == credential.jws
    )
    client.force_login(world.users["learner2"])
    assert client.get(reverse("badge_download", args=[credential.uid])).status_code == 404
    # Anyone can verify, without an account.
    client.logout()
    html = client.post(reverse("badge_verify"), {"token": credential.jws}).content.decode()
    assert "Badge authentique et en vigueur" in html and "Learner1 Un" in html
    html = client.post(reverse("badge_verify"), {"token": tamper(credential.jws)}).content.decode()
    assert "Badge falsifié" in html
    profile = client.get(reverse("badge_issuer", args=[world.learner1.centre_id])).json()
    (jwk_method,) = [m for m in profile["verificationMethod"] if m["type"] == "JsonWebKey"]
    assert jwk_method["id"] == credential.signed_with.kid
    assert set(jwk_method["publicKeyJwk"]) == {"kty", "crv", "x", "kid", "alg", "use"}
    assert client.get(reverse("badge_jwks", args=[world.learner1.centre_id])).status_code == 200


def _session(world, kind, name):
    from livret.exams.models import ExamSession
    from livret.exams.services import register_cohort, set_grade, sign_minutes

    session = ExamSession.objects.create(
        referentiel=world.ref,
        organiser=world.learner1.centre,
        year=2027 if kind == "official" else 2026,
        name=name,
        kind=kind,
        official_reference="PV du jury académique du 4 juillet 2027" if kind == "official" else "",
    )
    register_cohort(session, world.cohort_a, world.users["admin"])
    for c in session.candidates.all():
        for unit in ("U1", "U21", "U22", "U3", "U4", "U51", "U52", "U6"):
            set_grade(c, unit, "12.5" if unit == "U1" else "11", world.users["admin"])
    return session, sign_minutes


def test_a_mock_exam_never_grounds_a_bloc(world):
    b5 = Bloc.objects.get(referentiel=world.ref, code="B5")  # no coded competences
    session, sign = _session(world, "mock", "Examen blanc 2026")
    sign(session, world.users["admin"])
    assert services.ground_for(world.learner1, b5) is None
    with pytest.raises(services.ValidationError, match="aucun jury officiel n'a validé son unité"):
        services.issue(world.learner1, b5, world.users["manager_a"])


def test_a_bloc_validated_by_the_official_jury_is_an_rncp_bloc_credential(world):
    b5 = Bloc.objects.get(referentiel=world.ref, code="B5")
    session, sign = _session(world, "official", "Session 2027")
    assert services.ground_for(world.learner1, b5) is None  # minutes not signed yet
    sign(session, world.users["admin"])
    assert services.ground_for(world.learner1, b5) == (
        Credential.BLOC,
        "unité U1 validée par le jury de la session officielle Session 2027 "
        "(12,50/20 ; PV du jury académique du 4 juillet 2027)",
    )
    credential = services.issue(world.learner1, b5, world.users["manager_a"])
    assert services.verify(credential.jws).status == badges.VALID
    vc = json.loads(badges.unb64url(credential.jws.split(".")[1]))
    achievement = vc["credentialSubject"]["achievement"]
    assert vc["name"].startswith("B5 — ") and achievement["achievementType"] == "Certificate"
    (alignment,) = achievement["alignment"]
    assert alignment["targetFramework"] == "RNCP" and "41000" in alignment["targetUrl"]
    assert "Session 2027" in achievement["criteria"]["narrative"]


def test_an_official_session_cites_its_jurys_minutes(world):
    from django.core.exceptions import ValidationError

    from livret.exams.models import ExamSession

    session = ExamSession(
        referentiel=world.ref, organiser=world.learner1.centre, year=2027, name="S", kind="official"
    )
    with pytest.raises(ValidationError, match="cite le procès-verbal"):
        session.full_clean()


def test_a_bloc_validated_by_vae_shows_on_the_learners_side(client, world):
    import datetime as dt

    from livret.vae.models import ValidatedBloc

    b2 = Bloc.objects.get(referentiel=world.ref, code="B2")
    ValidatedBloc.objects.create(
        person=world.users["learner1"], bloc=b2, validated_on=dt.date(2025, 6, 30)
    )
    client.force_login(world.users["learner1"])
    page = client.get(reverse("learner_badges", args=[world.learner1.pk])).content.decode()
    row = page[page.index("B2</span>") :].split("</tr>")[0]
    assert "Validé par VAE" in row and "jury du 30/06/2025" in row
    # Learner 2 validated nothing: nothing shows on his page.
    client.force_login(world.users["learner2"])
    assert (
        "Validé par VAE"
        not in client.get(reverse("learner_badges", args=[world.learner2.pk])).content.decode()
    )
