"""Issue 21, item 2: the centre archive carries data, never credentials.

The attack: a centre's manager downloads « archive du centre »; from the superuser's row (he had
touched one of the centre's records) he would compute a password-reset link offline and open
/admin/. Also: the badge-signing private key, the calendar tokens, API tokens."""

import datetime
import json
import os
import re
import stat

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.tokens import default_token_generator
from django.core.management import call_command
from django.urls import reverse
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode

from livret.ops.archive import (
    OUTSIDER_LABEL,
    PLATFORM_LABEL,
    export_archive,
)
from tests.world import PASSWORD

# Names of fields that hold (or could hold) a credential. A new one in the archive fails below.
CREDENTIAL = re.compile(
    r"password|secret|token|key|^private|last_login|^session|salt|hash|nonce|otp", re.I
)
# Fields matching the pattern that are harmless, each with its reason.
ALLOWED = {
    "kid": "the public identifier of a badge key, published in every badge header",
    "public_pem": "the public half of a badge key, published for verifiers",
    "session": "a key to an exam session (ExamSession), not a web session",
    "identity_salt": "the salt of a badge's hashed e-mail identity: published in the badge itself",
}


def _logs_in(client, username, password) -> bool:
    client.logout()
    client.post(reverse("login"), {"username": username, "password": password})
    return "_auth_user_id" in client.session


def archive_fields(archive) -> dict[str, set]:
    fields: dict[str, set] = {}
    for record in archive["records"]:
        fields.setdefault(record["model"], set()).update(record["fields"])
    return fields


def credential_fields(archive) -> set:
    return {
        (model, name)
        for model, names in archive_fields(archive).items()
        for name in names
        if CREDENTIAL.search(name) and name not in ALLOWED
    }


def _manager_archive(client, world, django_capture_on_commit_callbacks):
    """The archive as the manager gets it: Mon centre → archive (a background job), downloaded."""
    from livret.jobs.models import Job
    from livret.jobs.runner import run

    client.force_login(world.users["manager_a"])
    with django_capture_on_commit_callbacks(execute=False):
        response = client.post(reverse("centre_archive"))
    assert response.status_code == 302
    job = Job.objects.get(kind="centre_archive")
    assert run(str(job.pk)) == Job.DONE, Job.objects.get(pk=job.pk).error
    download = client.get(reverse("job_file", args=[job.pk]))
    return json.loads(b"".join(download.streaming_content))


def test_the_archive_writes_no_credential_like_field(rich):
    w, _ = rich
    from livret.api.models import ApiToken

    ApiToken.issue(w.users["manager_a"], "tableur")
    ApiToken.issue(w.users["admin"], "supervision")
    archive = export_archive(w.learner1.centre)
    fields = archive_fields(archive)
    # Every model and field the archive writes, listed: what is checked is what is written.
    assert "people.learner" in fields and "auth.user" in fields
    found = credential_fields(archive)
    assert not found, f"credential-like fields in the archive: {sorted(found)}"
    for model in fields:
        assert not model.startswith(("sessions.", "axes.", "api.", "admin.")), model
    # The badge key travels as its public half only.
    assert "credentials.issuerkey" in fields
    assert fields["credentials.issuerkey"] <= {
        "organisation",
        "name",
        "kid",
        "alg",
        "public_pem",
        "created_at",
        "retired_at",
    }


def test_the_managers_archive_gives_no_way_into_the_superusers_account(
    client, rich, django_capture_on_commit_callbacks
):
    w, _ = rich
    admin = w.users["admin"]
    admin.email = "root@plateforme.example"
    admin.save()
    client.force_login(admin)  # a last login, which a reset token would be computed from
    admin.refresh_from_db()
    archive = _manager_archive(client, w, django_capture_on_commit_callbacks)
    dump = json.dumps(archive, ensure_ascii=False)
    # No hash of anyone's password, nor the superuser's name, login or e-mail.
    for user in get_user_model().objects.all():
        assert user.password not in dump
    for value in ("root@plateforme.example", '"admin"', "Admin"):
        assert value not in dump, value
    users = [r for r in archive["records"] if r["model"] == "auth.user"]
    assert admin.pk not in {r["pk"] for r in users}
    # People of another centre never appear either.
    assert "manager_b" not in dump and "learner_b" not in dump
    # His actions on the centre's records are signed by a neutral account.
    labels = {r["fields"]["first_name"]: r["pk"] for r in users}
    assert PLATFORM_LABEL in labels
    grades = [r for r in archive["records"] if r["model"] == "exams.grade"]
    assert grades and {g["fields"]["entered_by"] for g in grades} == {labels[PLATFORM_LABEL]}
    # Who edited the learner's record, when an outsider, is left blank.
    edits = [
        r
        for r in archive["records"]
        if r["model"] == "people.historicallearner" and r["fields"]["id"] == w.learner1.pk
    ]
    assert edits and None in {r["fields"]["history_user"] for r in edits}
    assert admin.pk not in {r["fields"]["history_user"] for r in edits}
    # The attack itself: a reset token built from what the archive holds of any account never
    # opens the superuser's (before issue 21: his row, hash and last login were in it).
    User = get_user_model()
    uid = urlsafe_base64_encode(force_bytes(admin.pk))
    for record in users:
        forged = User(
            pk=admin.pk,
            **{
                k: v for k, v in record["fields"].items() if k not in ("groups", "user_permissions")
            },
        )
        token = default_token_generator.make_token(forged)
        assert not default_token_generator.check_token(admin, token)
        assert client.get(reverse("password_reset_confirm", args=[uid, token])).status_code == 200
    # And the private key of the centre's badges is not in it.
    from livret.credentials.models import IssuerKey

    for key in IssuerKey.objects.filter(organisation=w.learner1.centre):
        assert key.private_key_encrypted and key.private_key_encrypted not in dump
    # Nor any calendar token (it opens a calendar without logging in).
    for learner in w.learner1.centre.learners.all():
        assert str(learner.calendar_token) not in dump


def test_outsiders_are_written_as_a_neutral_label(rich):
    w, _ = rich
    from livret.competences.services import record_evaluation
    from livret.people.models import Profile
    from livret.privacy.models import AccessLog

    # A trainer of centre B once evaluated learner1 and read his livret.
    record_evaluation(
        learner=w.learner1,
        competence=w.competence,
        level="acquired",
        observed_on=datetime.date(2026, 6, 1),
        evaluator=w.users["trainer_b"],
    )
    AccessLog.objects.create(
        learner=w.learner1, viewer=w.users["trainer_b"], viewer_name="Trainer_b Test", what="livret"
    )
    assert Profile.objects.get(user=w.users["trainer_b"]).organisation != w.learner1.centre
    archive = export_archive(w.learner1.centre)
    dump = json.dumps(archive, ensure_ascii=False)
    assert "trainer_b" not in dump.lower()
    users = {r["pk"]: r for r in archive["records"] if r["model"] == "auth.user"}
    outsider = next(pk for pk, r in users.items() if r["fields"]["first_name"] == OUTSIDER_LABEL)
    assert users[outsider]["fields"]["username"] == "personne-exterieure"
    assert users[outsider]["fields"]["email"] == "" and not users[outsider]["fields"]["is_active"]
    logs = [r for r in archive["records"] if r["model"] == "privacy.accesslog"]
    assert {"viewer": outsider, "viewer_name": OUTSIDER_LABEL}.items() <= next(
        r["fields"] for r in logs if r["fields"]["viewer"] == outsider
    ).items()


@pytest.mark.django_db(transaction=True)
def test_restored_accounts_cannot_use_their_old_password_and_receive_a_link(
    rich, smtp, client, tmp_path
):
    w, _ = rich
    from livret.cli import main

    w.users["learner2"].email = ""
    w.users["learner2"].save()
    w.users["trainer_a"].email = "trainer.a@cfa.example"
    w.users["trainer_a"].save()
    path = tmp_path / "archive.json"
    assert main(["export-centre", str(w.learner1.centre.pk), str(path)]) == 0
    assert stat.S_IMODE(os.stat(path).st_mode) == 0o600
    call_command("flush", interactive=False, verbosity=0)
    assert main(["restore", str(path)]) == 0
    User = get_user_model()
    trainer = User.objects.get(username="trainer_a")
    # The old password does not open the account; no account is usable before a new choice.
    assert not _logs_in(client, "trainer_a", PASSWORD)
    assert not any(u.has_usable_password() for u in User.objects.all())
    # The mail carries a link to choose one, which works.
    (mail,) = smtp.to("trainer.a@cfa.example")
    body = mail.get_body(("plain",)).get_content()
    link = re.search(r"https://livret\.example(/\S+)", body).group(1)
    page = client.get(link, follow=True)
    assert page.status_code == 200
    new = "un-tout-nouveau-mot-de-passe-2027"
    client.post(page.redirect_chain[-1][0], {"new_password1": new, "new_password2": new})
    assert _logs_in(client, "trainer_a", new)
    assert trainer.is_active
    # Nobody else of another centre, nor the superuser, came back.
    assert not User.objects.filter(username__in=["admin", "manager_b", "learner_b"]).exists()


def test_nothing_in_the_managers_archive_forges_a_badge_the_platform_calls_authentic(
    client, rich, django_capture_on_commit_callbacks
):
    """The attack of issue 21: the archive held the centre's Ed25519 private key; a badge re-signed
    with it for a person who never enrolled read « authentique et en vigueur »."""
    from cryptography.hazmat.primitives import serialization

    from livret.credentials import services as credential_services
    from livret.credentials.models import Credential
    from livret.engine import badges as engine

    w, _ = rich
    real = Credential.objects.filter(issuer=w.learner1.centre).first()
    assert real is not None
    archive = _manager_archive(client, w, django_capture_on_commit_callbacks)

    # Every string of the archive tried as a private key, PEM or raw: none loads.
    def strings(value):
        if isinstance(value, str):
            yield value
        elif isinstance(value, dict):
            for v in value.values():
                yield from strings(v)
        elif isinstance(value, list):
            for v in value:
                yield from strings(v)

    for text in strings(archive):
        assert "PRIVATE KEY" not in text
        try:
            serialization.load_pem_private_key(text.encode(), password=None)
        except (ValueError, TypeError):
            continue
        raise AssertionError("a private key is in the archive")

    # What the attacker can do with it: copy a real badge, put a stranger in it, sign it with a
    # key of his own under the centre's published kid. The platform never says « authentique ».
    header = json.loads(engine.unb64url(real.jws.split(".")[0]))
    claims = json.loads(engine.unb64url(real.jws.split(".")[1]))
    claims["credentialSubject"]["name"] = "Personne Jamais Inscrite"
    claims["jti"] = claims["id"] = "urn:uuid:00000000-0000-4000-8000-000000000001"
    own_private, _ = engine.new_key(header["alg"])
    forged = engine.sign(claims, own_private, header["kid"], header["alg"])
    verdict = credential_services.verify(forged)
    assert verdict.status != engine.VALID
    page = client.post(reverse("badge_verify"), {"token": forged}).content.decode()
    assert engine.LABELS[verdict.status] in page
    assert engine.LABELS[engine.VALID] not in page
    # The real one still reads authentic.
    assert credential_services.verify(real.jws).status == engine.VALID


def test_the_platform_admin_shows_no_credential(client, world):
    """The attack: a superuser's screen (or a screenshot of it, a shoulder) held an API token's
    hash — enough to recognise the token in a leak. No admin page, form or history shows one."""
    from django.contrib import admin

    from livret.api.models import ApiToken

    token, raw = ApiToken.issue(world.users["manager_a"], "tableur")
    client.force_login(world.users["admin"])
    for url in (
        reverse("admin:api_apitoken_changelist"),
        reverse("admin:api_apitoken_change", args=[token.pk]),
        reverse("admin:api_apitoken_history", args=[token.pk]),
    ):
        page = client.get(url)
        assert page.status_code == 200, url
        assert token.key_hash not in page.content.decode(), url
        assert raw not in page.content.decode(), url
    # Every registered model's form: no field whose name says credential.
    from django.contrib.admin.utils import flatten_fieldsets
    from django.test import RequestFactory

    request = RequestFactory().get("/admin/")
    request.user = world.users["admin"]
    for model, model_admin in admin.site._registry.items():
        shown = set(flatten_fieldsets(model_admin.get_fieldsets(request)))
        shown |= set(model_admin.get_list_display(request))
        leaking = {
            name
            for name in shown
            if isinstance(name, str) and CREDENTIAL.search(name) and name not in ALLOWED
        }
        if model._meta.label == "auth.User":
            # shown as set or not (the page is checked below); the add form's inputs to choose one
            leaking -= {"password", "password1", "password2", "usable_password"}
        assert not leaking, (model._meta.label, leaking)
    manager = world.users["manager_a"]
    from django.contrib.auth.hashers import identify_hasher

    stored = identify_hasher(manager.password).decode(manager.password)
    page = client.get(reverse("admin:auth_user_change", args=[manager.pk])).content.decode()
    assert "Mot de passe défini." in page
    assert stored["salt"][:6] not in page and stored["hash"][:6] not in page
    assert "key_hash" not in {f.name for f in ApiToken.history.model._meta.fields}
