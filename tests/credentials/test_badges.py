"""Open Badges 3.0 credentials: issued, verified, tampered (fails), revoked (fails), unknown issuer."""

import base64
import datetime
import json
import subprocess
import sys

import pytest
from django.urls import reverse

from livret.competences.services import record_evaluation
from livret.credentials import services
from livret.credentials.models import Credential, IssuerKey
from livret.engine import badges
from livret.referentiels.models import Bloc


def acquire_bloc(world, code="B1"):
    bloc = Bloc.objects.get(referentiel=world.ref, code=code)
    for comp in bloc.competences.all():
        record_evaluation(
            learner=world.learner1,
            competence=comp,
            level="acquired",
            observed_on=datetime.date(2026, 5, 1),
            evaluator=world.users["trainer_a"],
        )
    return bloc


@pytest.fixture
def issued(world):
    bloc = acquire_bloc(world)
    return services.issue(world.learner1, bloc, world.users["manager_a"], "https://livret.example")


def tamper(jws):
    header, payload, signature = jws.split(".")
    claims = json.loads(base64.urlsafe_b64decode(payload + "=" * (-len(payload) % 4)))
    claims["vc"]["credentialSubject"]["name"] = "Quelqu'un d'autre"
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
        services.issue(world.learner1, bloc, world.users["manager_a"], "https://x")


def test_credential_is_an_open_badge_aligned_to_the_rncp_bloc(issued):
    claims = json.loads(badges.unb64url(issued.jws.split(".")[1]))
    header = json.loads(badges.unb64url(issued.jws.split(".")[0]))
    vc = claims["vc"]
    assert header["alg"] == "EdDSA" and header["kid"].endswith("#cle-1")
    assert vc["type"] == ["VerifiableCredential", "OpenBadgeCredential"]
    assert "https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json" in vc["@context"]
    achievement = vc["credentialSubject"]["achievement"]
    assert achievement["name"] == "Préparation et mise en œuvre d'une prestation de sécurité"
    assert (
        achievement["alignment"][0]["targetFramework"] == "RNCP"
        and "41000" in achievement["alignment"][0]["targetUrl"]
    )
    assert claims["jti"] == f"urn:uuid:{issued.uid}"


def test_verify_valid_tampered_revoked_unknown(issued, world):
    assert services.verify(issued.jws).status == badges.VALID
    assert services.verify(tamper(issued.jws)).status == badges.TAMPERED
    other_private, _ = badges.new_key()
    stranger = badges.sign({"jti": "urn:uuid:x"}, other_private, "https://ailleurs.example/cle")
    assert services.verify(stranger).status == badges.UNKNOWN_ISSUER
    # A key claiming to be ours but another private key: tampered.
    forged = badges.sign(
        json.loads(badges.unb64url(issued.jws.split(".")[1])),
        other_private,
        IssuerKey.objects.get().kid,
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
    bloc = acquire_bloc(world)
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
    assert client.get(reverse("badge_status", args=[credential.uid])).json()["revoked"] is False
    assert (
        "publicKeyPem"
        in client.get(reverse("badge_issuer", args=[world.learner1.centre_id])).json()[
            "verificationMethod"
        ][0]
    )


def test_a_bloc_validated_by_the_jury_can_be_issued(world):
    from livret.exams.models import ExamSession
    from livret.exams.services import register_cohort, set_grade, sign_minutes

    session = ExamSession.objects.create(
        referentiel=world.ref, organiser=world.learner1.centre, year=2027, name="Session 2027"
    )
    register_cohort(session, world.cohort_a, world.users["admin"])
    for c in session.candidates.all():
        for unit in ("U1", "U21", "U22", "U3", "U4", "U51", "U52", "U6"):
            set_grade(c, unit, "12.5" if unit == "U1" else "11", world.users["admin"])
    b5 = Bloc.objects.get(
        referentiel=world.ref, code="B5"
    )  # culture générale: no coded competences
    assert services.ground_for(world.learner1, b5) is None  # minutes not signed yet
    sign_minutes(session, world.users["admin"])
    assert (
        services.ground_for(world.learner1, b5)
        == "unité U1 validée par le jury (12,50/20, Session 2027)"
    )
    credential = services.issue(world.learner1, b5, world.users["manager_a"], "https://x")
    assert services.verify(credential.jws).status == badges.VALID
