"""Issue 25, item 6: a notification (and the e-mail that carries it) names the learner as his
status does — « élève » and « PFMP » for a lycée pupil, never « apprenti », « apprentissage » or
« stage »; « apprenti » for an apprentice, never « élève » or « PFMP » — whether it is sent to him
or about him to his tutor and trainers. Table-driven over the notification kinds: a new kind
without a case here fails."""

import datetime
import re

import pytest
from django.core import mail

from livret.attendance import services as attendance
from livret.attendance.models import AbsenceReason, Justification, Session
from livret.competences import services as competences
from livret.competences import visas
from livret.engine import attendance as rules
from livret.notifications.kinds import KINDS
from livret.notifications.models import Notification
from livret.notifications.services import send_digests
from livret.people.models import Learner
from livret.periods import alerts, follow_ups
from livret.periods.models import Period
from livret.periods.views import PlanForm
from livret.threads import services as threads
from livret.web.notifications import PreferencesForm

D = datetime.date


def _absence(world):
    s = Session.objects.create(
        cohort=world.cohort_a,
        date=D(2026, 3, 2),
        start=datetime.time(9),
        end=datetime.time(12),
    )
    attendance.call_roll(
        s,
        world.users["trainer_a"],
        {world.learner1.pk: (rules.ABSENT, 0), world.learner2.pk: (rules.PRESENT, 0)},
        sign=True,
    )


def _justification(world):
    centre = world.cohort_a.centre
    attendance.seed_reasons(centre)
    j = Justification.objects.create(
        learner=world.learner1,
        first_day=D(2026, 3, 2),
        last_day=D(2026, 3, 2),
        reason=AbsenceReason.objects.filter(centre=centre).first(),
        sent_by=world.users["tutor_x"],
    )
    attendance.decide_justification(j, world.users["manager_a"], accept=False, reason="Illisible")


def _alert(world):
    # No visit since the start of his contract (or convention): the follow-up alert.
    lr = world.learner1
    lr.contract_start = D(2025, 9, 1)
    lr.save()
    lr.centre.visit_every_weeks = 4
    lr.centre.save()
    Learner.objects.filter(pk=world.learner2.pk).update(contract_start=D(2025, 9, 1))
    # And a period running without a signed agreement (recorded as a « stage »: a pupil's is a
    # PFMP all the same).
    Period.objects.create(learner=lr, company=lr.company, start=D(2026, 3, 1), end=D(2026, 3, 20))
    alerts.refresh([lr.pk, world.learner2.pk], D(2026, 3, 2))


def _follow_up(world):
    form = PlanForm({"kind": "visit", "planned_on": "2026-03-10", "mode": "site", "place": "X"})
    assert form.is_valid(), form.errors
    follow_ups.plan(form, world.learner1, world.users["trainer_a"])


def _resubmit(world):
    # The pupil takes a returned situation up again: his tutor is asked to validate it.
    from livret.competences.forms import SituationForm

    s = world.situation
    competences.return_situation(s, world.users["tutor_x"], "Précisez.")
    s.refresh_from_db()
    form = SituationForm(
        {
            "occurred_on": "2026-04-01",
            "place": "Site",
            "title": "Ronde",
            "description": "Reprise.",
            "competences": [world.competence.pk],
        },
        instance=s,
        referentiel=world.cohort_a.referentiel,
        learner=world.learner1,
    )
    assert form.is_valid(), form.errors
    competences.resubmit_situation(form, world.users["learner1"])


# kind → how a step of the learner's livret makes one (None: the kind never concerns a learner
# of the centre, and says why).
CASES = {
    "situation_declared": _resubmit,
    "situation_validated": lambda w: competences.validate_situation(
        w.situation, w.users["tutor_x"]
    ),
    "situation_returned": lambda w: competences.return_situation(
        w.situation, w.users["tutor_x"], "Précisez."
    ),
    "evaluation": lambda w: competences.record_evaluation(
        learner=w.learner1,
        competence=w.competence,
        level="in_progress",
        observed_on=D(2026, 3, 3),
        evaluator=w.users["trainer_a"],
        notify=True,
    ),
    "visa": lambda w: visas.sign(w.learner1, w.users["trainer_a"]),
    "follow_up": _follow_up,
    "alert": _alert,
    "thread": lambda w: threads.post_message(w.learner1, w.users["trainer_a"], "Bonjour."),
    "absence": _absence,
    "justification": _justification,
    # A jury's result names the session and the result only; a survey is anonymous and names
    # its title; a VAE candidate is no centre's learner.
    "jury_result": None,
    "survey": None,
    "vae": None,
}

# Words that must not reach each status (whole words, any case).
WRONG = {
    Learner.SCHOOL: ["apprenti", "apprentie", "apprentis", "apprentissage", "stage", "contrat"],
    Learner.APPRENTICE: ["élève", "élèves", "PFMP"],
}


def _wrong_words(text, status):
    return [w for w in WRONG[status] if re.search(rf"(?<!\w){w}(?!\w)", text, re.IGNORECASE)]


def test_every_kind_has_a_case():
    assert set(CASES) == set(KINDS), "a notification kind has no case in CASES"


@pytest.mark.parametrize("status", sorted(WRONG))
@pytest.mark.parametrize("kind", sorted(k for k, v in CASES.items() if v is not None))
def test_notifications_and_mails_name_the_learner_by_his_status(world, status, kind, settings):
    settings.SITE_URL = "http://livret.test"
    Learner.objects.filter(pk__in=[world.learner1.pk, world.learner2.pk]).update(status=status)
    world.learner1.refresh_from_db()
    world.learner2.refresh_from_db()
    for u in world.users.values():
        u.email = f"{u.username}@example.org"
        u.save()
    Notification.objects.all().delete()
    CASES[kind](world)
    rows = list(Notification.objects.filter(kind=kind))
    assert rows, f"{kind}: nothing notified"
    for n in rows:
        text = f"{n.title}\n{n.body}"
        assert not _wrong_words(text, status), (kind, status, text)
    # The e-mails that carry them (immediate ones and the digest), subject and body.
    mail.outbox.clear()
    Notification.objects.update(mode="digest")
    Notification.objects.exclude(kind=kind).delete()
    send_digests()
    assert mail.outbox, f"{kind}: no e-mail"
    for m in mail.outbox:
        text = f"{m.subject}\n{m.body}"
        assert not _wrong_words(text, status), (kind, status, text)


@pytest.mark.parametrize(
    "status, said",
    [
        (Learner.SCHOOL, "Absence de mon élève au centre de formation"),
        (Learner.APPRENTICE, "Absence de mon apprenti au centre de formation"),
    ],
)
def test_the_tutors_preferences_name_his_learners(world, status, said):
    Learner.objects.filter(tutor=world.users["tutor_x"]).update(status=status)
    form = PreferencesForm(user=world.users["tutor_x"])
    assert form.fields["absence"].label == said
    assert not _wrong_words(form.fields["alert"].label, status)


def test_a_trainers_preferences_use_the_neutral_words(world):
    form = PreferencesForm(user=world.users["trainer_a"])
    assert form.fields["alert"].label.endswith("contrats et conventions, suivis")


def test_the_absence_notice_gives_the_rule_of_the_status(world):
    Learner.objects.filter(pk=world.learner1.pk).update(status=Learner.SCHOOL)
    _absence(world)
    body = Notification.objects.get(kind="absence").body
    assert "Code de l'éducation" in body and "Code du travail" not in body


def test_a_pupils_period_alert_says_pfmp_and_the_group_his_word(world):
    Learner.objects.filter(pk__in=[world.learner1.pk, world.learner2.pk]).update(
        status=Learner.SCHOOL
    )
    world.learner1.refresh_from_db()
    _alert(world)
    n = Notification.objects.filter(kind="alert", recipient=world.users["trainer_a"]).get()
    assert "PFMP commencé(e) le 01/03/2026 sans convention" in n.body
    assert n.title.endswith("vos élèves") or n.title.startswith("Nouvelle alerte")
