"""Issue 21, items 6 and 8: what the export carries, what anonymisation scrubs (and keeps: an
official session's signed minutes), the VAE candidates' retention, and generated files' expiry."""

import datetime
import json
import os
import stat

import pytest
from django.contrib.auth import get_user_model
from django.core.files.base import ContentFile
from django.urls import reverse
from django.utils import timezone

from livret.ops import rights

D = datetime.date
AFTER_RETENTION = D(2033, 1, 1)  # cohort 2025 + 2 years + 5 years of retention


def test_the_export_carries_what_it_missed_and_no_credential(client, rich):
    w, _ = rich
    client.force_login(w.users["learner1"])
    client.get(reverse("home"))  # a last login
    data = json.loads(client.get(reverse("personal_data", args=[w.learner1.pk])).content)
    assert data["tutor_appraisals"][0]["comment"] == "Learner1 gère seul la ronde de nuit."
    assert {v["role"] for v in data["visas"]} == {"apprentice", "tutor"}
    assert data["follow_ups"][0]["report"] == "Learner1 manque de confiance au poste de garde."
    assert data["alerts"][0]["message"] == "Convention manquante"
    assert data["ccf_situations"][0]["comment"] == "Learner1 très à l'aise."
    assert data["account"][0]["username"] == "learner1"
    dump = json.dumps(data)
    for word in ("password", "last_login", "calendar_token", "key_hash", "pbkdf2", "md5$"):
        assert word not in dump, word
    assert str(w.learner1.calendar_token) not in dump


def test_anonymisation_scrubs_past_versions_and_reports_and_keeps_official_minutes(rich):
    w, _ = rich
    from livret.competences.models import Situation, TutorAppraisal, Visa
    from livret.exams.models import CcfSituation, Deliberation, ExamSession
    from livret.periods.models import FollowUp, LearnerAlert

    learner = w.learner1
    # What lives on his account: an API token, a notification, a job with its file.
    from livret.api.models import ApiToken
    from livret.jobs.models import Job
    from livret.notifications.models import Notification

    account = w.users["learner1"]
    token, _ = ApiToken.issue(account, "agenda")
    Notification.objects.create(
        recipient=account, kind="situation", title="Learner1 : situation validée", mode="app"
    )
    job = Job.objects.create(kind="cohort_livrets", title="Mon livret", requested_by=account)
    job.file.save("livret.pdf", ContentFile(b"%PDF-1.4 Learner1"))
    job_file = job.file.path
    rights.anonymise(learner, AFTER_RETENTION)
    assert not ApiToken.objects.filter(user=account).exists()
    # Its past versions too (by the token's own id: rows other tests' threads committed may
    # share a user id in SQLite's reused sequence).
    assert not ApiToken.history.filter(id=token.pk).exists()
    assert not Notification.objects.filter(recipient=account).exists()
    assert not Job.objects.filter(requested_by=account).exists() and not os.path.exists(job_file)
    # The situation's past versions no longer hold its first words.
    past = list(Situation.history.filter(id=w.situation.pk).values_list("title", "description"))
    assert past and all(t == "Situation anonymisée" and d == "" for t, d in past), past
    # The visit's report, who attended, where, and its past versions.
    visit = FollowUp.objects.get(learner=learner)
    assert (visit.report, visit.attendees, visit.place, visit.objectives) == ("", "", "", "")
    assert visit.held_on == D(2026, 2, 10)  # it took place: that stays
    for report, attendees in FollowUp.history.filter(id=visit.pk).values_list(
        "report", "attendees"
    ):
        assert report == "" and attendees == ""
    assert TutorAppraisal.objects.get(learner=learner).comment == ""
    assert not LearnerAlert.objects.filter(learner=learner).exists()
    ccf = CcfSituation.objects.get(candidate__learner=learner)
    assert ccf.comment == "" and ccf.appreciations == [] and ccf.proposed_hundredths == 1400
    # His own visa no longer names him; the tutor's keeps the tutor's name.
    names = dict(Visa.objects.filter(learner=learner).values_list("role", "signer_name"))
    assert names == {"apprentice": f"Anonyme-{learner.pk}", "tutor": "Tutor_x Test"}
    # The official session's signed minutes stay as the certifier signed them…
    official = Deliberation.objects.get(session__kind=ExamSession.OFFICIAL)
    assert official.snapshot[0]["name"] == "Learner1 UN"
    assert official.snapshot[0]["jury"]["reason"] == "Dossier exemplaire"
    # …the mock exam's lose his name and the jury's words.
    mock = Deliberation.objects.filter(session__kind=ExamSession.MOCK).exclude(snapshot=[])
    for d in mock:
        for row in d.snapshot:
            assert row["name"] == f"Anonyme-{learner.pk}" and row["jury"]["reason"] == ""
    # His account's past versions (name, e-mail) are gone too.
    assert not get_user_model().history.filter(id=w.users["learner1"].pk, username="learner1")


def _vae_candidate(world, status, jury_date=None):
    from livret.vae.models import Candidacy, JuryResult, VaeOffer, VaeProfile

    User = get_user_model()
    user = User.objects.create_user("candidat", email="candidat@exemple.fr", first_name="Vae")
    VaeProfile.objects.create(user=user, phone="06 99 88 77 66", city="Lyon")
    offer = VaeOffer.objects.create(certifier=world.cohort_a.centre, referentiel=world.ref)
    candidacy = Candidacy.objects.create(
        candidate=user, offer=offer, status=status, motivation="Devenir chef de poste"
    )
    if jury_date:
        JuryResult.objects.create(
            candidacy=candidacy,
            result="total",
            jury_date=jury_date,
            comment="Vae maîtrise son métier",
            decided_by=world.users["manager_a"],
        )
    return user, candidacy


def test_a_vae_candidate_who_is_not_a_learner_is_anonymised_years_after_the_jury(world):
    from livret.vae.models import Candidacy, JuryResult, VaeProfile

    user, candidacy = _vae_candidate(world, Candidacy.JURY_DONE, D(2026, 6, 15))
    # The certifier's retention (5 years by default) runs from the jury's decision.
    assert rights.vae_retention_end(user) == D(2031, 6, 15)
    with pytest.raises(rights.ValidationError, match="non écoulée"):
        rights.anonymise_vae_candidate(user, D(2031, 6, 14))
    done = rights.purge(D(2031, 6, 15))
    assert done["candidats_vae"] == 1
    user.refresh_from_db()
    assert user.username == f"anonyme-vae-{user.pk}" and not user.is_active
    assert user.email == "" and not user.has_usable_password()
    assert VaeProfile.objects.get(user=user).phone == ""
    candidacy.refresh_from_db()
    assert candidacy.motivation == ""
    result = JuryResult.objects.get(candidacy=candidacy)
    assert result.comment == "" and result.jury_date == D(2026, 6, 15)  # the decision stays


def test_the_jury_record_stays_and_its_words_about_him_go(world):
    """The jury (D. 6412-6) is the certifier's record: who sat stays; the préconisations' words
    and the replaced decision's snapshot (which quotes the jury) go with the candidate."""
    from livret.referentiels.models import Bloc
    from livret.vae.models import (
        Candidacy,
        JuryDecisionDetail,
        JuryMember,
        JuryRecommendation,
        JuryResult,
    )

    user, candidacy = _vae_candidate(world, Candidacy.JURY_DONE, D(2026, 6, 15))
    result = JuryResult.objects.get(candidacy=candidacy)
    staff = world.users["manager_a"]
    member = JuryMember.objects.create(
        candidacy=candidacy, name="Anne Roy", quality="president", added_by=staff
    )
    detail = JuryDecisionDetail.objects.create(
        result=result, decided_by=staff, replaces={"comment": "Vae hésite"}, reason="Erreur"
    )
    detail.sat.set([member])
    bloc = Bloc.objects.filter(referentiel=world.ref).first()
    JuryRecommendation.objects.create(
        result=result, bloc=bloc, kind="training", text="Vae doit se former"
    )
    rights.purge(D(2031, 6, 15))
    assert JuryMember.objects.get(pk=member.pk).name == "Anne Roy"
    assert JuryRecommendation.objects.get(result=result).text == ""
    assert JuryDecisionDetail.objects.get(pk=detail.pk).replaces is None
    assert list(JuryDecisionDetail.objects.get(pk=detail.pk).sat.all()) == [member]


def test_a_live_vae_candidacy_is_kept_and_a_lapsed_one_is_not(world):
    from livret.vae.models import Candidacy

    user, candidacy = _vae_candidate(world, Candidacy.ADMISSIBLE)
    today = timezone.localdate()
    assert rights.vae_retention_end(user, today) is None  # alive
    assert rights.purge(today)["candidats_vae"] == 0
    # Three years without a change: lapsed; then the certifier's five years.
    Candidacy.objects.filter(pk=candidacy.pk).update(
        updated_at=timezone.now() - datetime.timedelta(days=3 * 366)
    )
    end = rights.vae_retention_end(user, today)
    assert end is not None and end > today


def test_purge_anonymises_learners_whose_retention_has_run_out(world):
    done = rights.purge(AFTER_RETENTION)
    assert done["apprenants"] == 3  # the two centres' three learners, cohorts of 2025
    world.learner1.refresh_from_db()
    assert world.learner1.first_name == "Anonyme" and world.learner1.user is None
    assert rights.purge(AFTER_RETENTION)["apprenants"] == 0  # once


def test_generated_files_expire(client, world, settings):
    from livret.jobs.models import Job
    from livret.jobs.services import purge_files

    settings.JOB_FILES_DAYS = 7
    user = world.users["manager_a"]

    def job(days_ago, name):
        j = Job.objects.create(
            kind="centre_archive",
            title=name,
            requested_by=user,
            status=Job.DONE,
            finished_at=timezone.now() - datetime.timedelta(days=days_ago),
        )
        j.file.save(f"{j.pk}-{name}.json", ContentFile(b'{"records": []}'), save=False)
        j.upload.save(f"{j.pk}-{name}.csv", ContentFile(b"nom;prenom"), save=False)
        j.filename = f"{name}.json"
        j.save()
        return j

    old, recent = job(8, "ancienne"), job(1, "recente")
    paths = [old.file.path, old.upload.path]
    # A new mapping of the same file shares its upload: it stays while that job lives.
    sharing = Job.objects.create(
        kind="import_preview",
        title="nouvelle correspondance",
        requested_by=user,
        status=Job.DONE,
        finished_at=timezone.now(),
        upload=recent.upload.name,
    )
    assert purge_files() == 1
    old.refresh_from_db()
    assert old.status == Job.EXPIRED and not old.file and not old.upload
    assert not any(os.path.exists(p) for p in paths)
    recent.refresh_from_db()
    assert recent.status == Job.DONE and os.path.exists(recent.file.path)
    client.force_login(user)
    page = client.get(reverse("job", args=[old.pk])).content.decode()
    assert "Expirée le" in page and "Télécharger" not in page
    assert client.get(reverse("job_file", args=[old.pk])).status_code == 404
    assert (
        "Fichier disponible jusqu" in client.get(reverse("job", args=[recent.pk])).content.decode()
    )
    assert "expiré" in client.get(reverse("jobs")).content.decode()
    # Later, the shared upload goes with the last job that used it.
    Job.objects.filter(pk__in=[recent.pk, sharing.pk]).update(
        finished_at=timezone.now() - datetime.timedelta(days=9)
    )
    upload = recent.upload.path
    assert purge_files() == 2 and not os.path.exists(upload)


@pytest.mark.django_db(transaction=True)  # SQLite's backup waits for no open transaction
def test_backup_is_private_and_can_be_encrypted(tmp_path, monkeypatch, capsys):
    import base64

    from django.db import connection

    from livret.cli import main

    magic = b"SQLite format 3" if connection.vendor == "sqlite" else b"PGDMP"
    plain = tmp_path / "clair.sqlite3"
    assert main(["backup", str(plain)]) == 0
    assert stat.S_IMODE(os.stat(plain).st_mode) == 0o600
    assert "Non chiffrée" in capsys.readouterr().out
    key = base64.urlsafe_b64encode(os.urandom(32)).decode()
    monkeypatch.setenv("LIVRET_BACKUP_KEY", key)
    sealed = tmp_path / "chiffre.bin"
    assert main(["backup", str(sealed)]) == 0
    assert stat.S_IMODE(os.stat(sealed).st_mode) == 0o600
    assert plain.read_bytes().startswith(magic) and magic not in sealed.read_bytes()
    back = tmp_path / "dechiffre.sqlite3"
    assert main(["backup", "--decrypt", str(sealed), str(back)]) == 0
    assert back.read_bytes().startswith(magic)
    # A wrong key, or a changed file, decrypts nothing.
    monkeypatch.setenv("LIVRET_BACKUP_KEY", base64.urlsafe_b64encode(os.urandom(32)).decode())
    assert main(["backup", "--decrypt", str(sealed), str(tmp_path / "x")]) == 1
    assert not (tmp_path / "x").exists()


def test_the_purge_command_says_what_it_did(world, capsys):
    from livret.cli import main

    assert main(["privacy", "purge"]) == 0
    out = capsys.readouterr().out
    for line in ("consultation(s) effacée(s)", "fichiers effacés", "apprenant(s) anonymisé(s)"):
        assert line in out, out
    assert "candidat(s) VAE" in out


def test_anonymisation_forgets_the_jury_s_words_his_logins_and_sessions_not_a_namesake(
    client, rich
):
    """Found by the review of issue 21: the mock session's JuryDecision kept the jury's words,
    a namesake's row of the minutes lost his name, and the login throttle kept his username,
    address and browser; his open sessions survived."""
    from axes.models import AccessLog as LoginLog
    from django.contrib.sessions.models import Session

    from livret.exams.models import Candidate, Deliberation, ExamSession, JuryDecision

    w, _ = rich
    learner = w.learner1
    mock = Deliberation.objects.filter(session__kind=ExamSession.MOCK).exclude(snapshot=[]).get()
    candidate = Candidate.objects.get(learner=learner, session=mock.session)
    decision = JuryDecision.objects.create(
        deliberation=mock,
        candidate=candidate,
        decision="admis",
        reason="Learner1 a su convaincre le jury",
        decided_by=w.users["admin"],
    )
    namesake = {**mock.snapshot[0], "number": "99999999"}  # another pupil, the same name
    mock.snapshot = [*mock.snapshot, namesake]
    mock.save()
    LoginLog.objects.create(
        username="learner1", ip_address="203.0.113.7", user_agent="Firefox", http_accept="*/*"
    )
    client.force_login(w.users["learner1"])
    assert "connexion" not in client.get(reverse("home")).url  # logged in
    mine = [
        s.pk
        for s in Session.objects.all()
        if s.get_decoded().get("_auth_user_id") == str(w.users["learner1"].pk)
    ]
    assert mine

    rights.anonymise(learner, AFTER_RETENTION)

    decision.refresh_from_db()
    assert decision.reason == "" and decision.decision == "admis"
    assert set(JuryDecision.history.filter(id=decision.pk).values_list("reason", flat=True)) == {""}
    rows = {r["number"]: r["name"] for r in Deliberation.objects.get(pk=mock.pk).snapshot}
    assert rows[candidate.number] == f"Anonyme-{learner.pk}"
    assert rows["99999999"] == "Learner1 UN"  # the namesake keeps his name
    assert not LoginLog.objects.filter(username="learner1").exists()
    assert not Session.objects.filter(pk__in=mine).exists()
    assert "connexion" in client.get(reverse("home")).url  # logged out


def test_his_row_in_a_titre_session_is_anonymised_with_him(world):
    """A titre pro candidate by VAE sat a session as one of its candidate rows (issue 24, item
    4): his name there goes with him; the session and its CCP decisions stay."""
    from livret.exams.models import Candidate, CcpResult, ExamSession
    from livret.vae.models import Candidacy, TitreRegistration

    user, candidacy = _vae_candidate(world, Candidacy.JURY_DONE, D(2026, 6, 15))
    session = ExamSession.objects.create(
        referentiel=world.ref, organiser=world.cohort_a.centre, year=2026, name="Session VAE"
    )
    row = Candidate.objects.create(
        session=session, number="1", first_name="Vae", last_name="Vigier", status="vae"
    )
    staff = world.users["manager_a"]
    TitreRegistration.objects.create(candidacy=candidacy, exam_candidate=row, registered_by=staff)
    CcpResult.objects.create(candidate=row, ccp="CCP1", decision="acquis", entered_by=staff)
    rights.purge(D(2031, 6, 15))
    row.refresh_from_db()
    assert (row.first_name, row.last_name) == ("Anonyme", f"vae-{user.pk}")
    assert CcpResult.objects.get(candidate=row).ccp == "CCP1"
