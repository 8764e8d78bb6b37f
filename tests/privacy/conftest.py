"""The privacy tests' world: learner1 of centre A with a value in every table that holds
personal data — and the platform's superuser having touched some of the centre's records (he
entered a grade, decided at the jury, edited the learner), as the attack of issue 21 needs."""

import datetime

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from livret.competences.services import record_evaluation
from livret.credentials import services as badges
from livret.exams.models import ExamSession
from livret.exams.services import register_cohort, set_grade
from livret.periods.models import Agreement, Contract, Period
from livret.referentiels.models import Bloc

D = datetime.date


@pytest.fixture
def rich(world, settings, tmp_path):
    """learner1 with a value in every table that holds personal data."""
    w = world
    l1 = w.learner1
    l1.email, l1.birth_date = "learner1@exemple.fr", D(2004, 3, 9)
    l1.save()
    fact = record_evaluation(
        learner=l1,
        competence=w.competence,
        level="acquired",
        observed_on=D(2026, 5, 2),
        evaluator=w.users["trainer_a"],
        comment="Très bonne analyse",
        evidence=SimpleUploadedFile("preuve.pdf", b"%PDF-1.4 x"),
        evidence_type="application/pdf",
    )
    period = Period.objects.create(
        learner=l1,
        company=l1.company,
        start=D(2026, 1, 5),
        end=D(2026, 1, 30),
        attestation_file=SimpleUploadedFile("att.pdf", b"%PDF-1.4 a"),
    )
    Agreement.objects.create(period=period, activities="Rondes de nuit")
    Contract.objects.create(
        learner=l1,
        kind=Contract.APPRENTICESHIP,
        company=l1.company,
        start=D(2025, 9, 1),
        end=D(2027, 8, 31),
    )
    session = ExamSession.objects.create(
        referentiel=w.ref, organiser=l1.centre, year=2026, name="Session"
    )
    register_cohort(session, w.cohort_a, w.users["admin"])
    set_grade(session.candidates.get(learner=l1), "U4", "13.5", w.users["admin"])
    bloc = Bloc.objects.get(referentiel=w.ref, code="B1")
    for comp in bloc.competences.all():
        record_evaluation(
            learner=l1,
            competence=comp,
            level="acquired",
            observed_on=D(2026, 5, 3),
            evaluator=w.users["trainer_a"],
        )
    badges.issue(l1, bloc, w.users["manager_a"])
    from livret.bulletins.models import Appreciation, Assessment, Mark, TeachingModule

    module = TeachingModule.objects.create(cohort=w.cohort_a, title="E4 - Prévention")
    assessment = Assessment.objects.create(
        module=module,
        title="Écrit",
        held_on=D(2026, 3, 2),
        semester=2,
        created_by=w.users["trainer_a"],
    )
    Mark.objects.create(
        assessment=assessment, learner=l1, hundredths=1425, entered_by=w.users["trainer_a"]
    )
    Appreciation.objects.create(
        learner=l1,
        module=module,
        semester=2,
        text="Learner1 progresse nettement.",
        author=w.users["trainer_a"],
    )
    from livret.exams.services import add_dispensation, record_jury_decision
    from livret.vae.models import Candidacy, Experience, VaeOffer, VaeProfile

    candidate = session.candidates.get(learner=l1)
    add_dispensation(candidate, "U1", "other_bts", w.users["admin"])
    record_jury_decision(session, candidate, "admis", "Dossier exemplaire", w.users["admin"])
    VaeProfile.objects.create(user=l1.user, phone="06 12 34 56 78")
    offer = VaeOffer.objects.create(certifier=l1.centre, referentiel=w.ref)
    candidacy = Candidacy.objects.create(
        candidate=l1.user, offer=offer, motivation="Devenir chef de site"
    )
    Experience.objects.create(
        candidacy=candidacy, employer="Vigilis", job_title="Agent", start=D(2020, 1, 1)
    )
    _more(w, l1, session, candidate)
    return w, fact


def _more(w, l1, session, candidate):
    """What the export missed and anonymisation left in clear before (issue 21, item 8)."""
    from livret.competences import visas
    from livret.competences.models import TutorAppraisal
    from livret.exams.models import CcfSituation, Deliberation
    from livret.periods.models import FollowUp, LearnerAlert

    TutorAppraisal.objects.create(
        learner=l1,
        competence=w.competence,
        level="acquired",
        observed_on=D(2026, 5, 4),
        tutor=w.users["tutor_x"],
        comment="Learner1 gère seul la ronde de nuit.",
    )
    visas.sign(l1, w.users["learner1"])  # his own signature, with his name
    visas.sign(l1, w.users["tutor_x"])
    FollowUp.objects.create(
        learner=l1,
        kind="visit",
        planned_on=D(2026, 2, 10),
        place="Site Vigilis, 12 rue des Lilas",
        planned_by=w.users["trainer_a"],
        held_on=D(2026, 2, 10),
        attendees="Learner1 Un, Tutor_x Test",
        report="Learner1 manque de confiance au poste de garde.",
        objectives="Rédiger la main courante seul.",
        reported_by=w.users["trainer_a"],
        reported_at=timezone.now(),
    )
    LearnerAlert.objects.create(learner=l1, kind="agreement", message="Convention manquante")
    CcfSituation.objects.create(
        candidate=candidate,
        unit="U4",
        held_on=D(2026, 5, 20),
        place="Site Vigilis",
        assessor=w.users["trainer_a"],
        professional="M. Pro",
        appreciations=[{"criterion": "Analyse", "text": "Learner1 analyse finement."}],
        proposed_hundredths=1400,
        comment="Learner1 très à l'aise.",
    )
    # His situation edited after writing: the past version holds the first words.
    situation = w.situation
    situation.title, situation.description = "Ronde de nuit", "Learner1 a fait la ronde seul."
    situation.save()
    # The superuser edits the learner's record (he is in its history).
    l1._history_user = w.users["admin"]
    l1.contract_start = D(2025, 9, 1)
    l1.save()
    # An official session of the certifier, its minutes signed, and the centre's mock exam's.
    official = ExamSession.objects.create(
        referentiel=w.ref,
        organiser=l1.centre,
        year=2027,
        name="Session officielle",
        kind=ExamSession.OFFICIAL,
        official_reference="RECTORAT-2027-001",
    )
    number = "02700001"
    from livret.exams.models import Candidate

    Candidate.objects.create(
        session=official,
        learner=l1,
        number=number,
        first_name=l1.first_name,
        last_name=l1.last_name,
        status="approved",
    )
    row = {
        "number": number,
        "name": "Learner1 UN",
        "grades": {"U4": "13.50"},
        "final": "admis",
        "jury": {"decision": "admis", "reason": "Dossier exemplaire"},
    }
    Deliberation.objects.create(
        session=official,
        number=1,
        opened_by=w.users["admin"],
        signed_by=w.users["admin"],
        signed_at=timezone.now(),
        snapshot=[row],
    )
    Deliberation.objects.create(
        session=session,
        number=2,
        opened_by=w.users["admin"],
        signed_at=timezone.now(),
        snapshot=[{**row, "number": candidate.number}],
    )
