"""Every list and detail page costs the same number of SQL queries with 2 learners as with 32
(evaluations, situations, periods, contracts, candidates and grades grown alongside), and no more
than its pinned figure. The helper is tests/queries.py."""

import datetime

import pytest
from django.urls import reverse

from livret.competences.models import Situation
from livret.competences.services import record_evaluation
from livret.exams.services import register_cohort, set_grade
from livret.people.models import Learner
from livret.periods.models import Agreement, Contract, Period
from livret.referentiels.models import Competence
from tests.queries import pin

# Pinned query counts (SQLite and PostgreSQL alike); a page that grows with the data fails first
# on the equality below, a page that gets heavier fails here.
# The header adds two queries to every page: the user's centre (its name and logo) and the
# count of his unread notifications.
PINNED = {
    # The livret and the tutor's home: + 2 for the contacts box (the cohort's trainers, and the
    # unread count of the thread, livret.threads).
    "trainer_a": {"cohort_list": 9, "grid": 9, "livret": 16, "periods": 10, "calendar": 6},
    "manager_a": {
        # + the habilitations (the centre's, and the diplomas to choose); + 2: the count of each
        # kind of record, the funders and their contacts among them.
        "centre": 16,
        "apprenants": 7,
        "tuteurs": 7,
        "entreprises": 7,
        "promotions": 7,
        "contrats": 7,
        "conventions": 7,
        "financeurs": 7,
        "contacts-financeurs": 7,
        "learner_form": 11,  # + the centre's trainers, to choose the formateur référent
        "dashboard": 14,
        "people": 8,
        "jobs": 6,
        "job": 6,
        "import_preview": 7,
        "notifications": 7,
    },
    # + the statuses of the tutor's learners, which choose the words of his menu (élève / apprenti).
    "tutor_x": {"tutor_home": 14},
    "examens_a": {"sessions": 7, "deliberation": 17, "candidate": 16, "grades": 9},
}


def _job(w):
    """The manager's import preview: its page, and the preview it leads to."""
    from livret.jobs.models import Job

    job = Job.objects.filter(requested_by=w.users["manager_a"], kind="import_preview").first()
    if job is None:
        job = Job.objects.create(
            kind="import_preview",
            title="Import : Apprenants — vérification",
            requested_by=w.users["manager_a"],
            centre=w.cohort_a.centre,
            status=Job.DONE,
            params={"kind": "apprenants", "filename": "a.csv", "mapping": None},
            result={
                "kind": "apprenants",
                "headers": ["nom", "prenom", "statut", "promotion"],
                "mapping": {"last_name": 0, "first_name": 1, "status": 2, "cohort": 3},
                "sample": ["Roux", "Léa", "apprenti", "MOS A"],
                "errors": [],
                "rows": [
                    {
                        "line": i + 2,
                        "values": {"last_name": f"R{i}", "first_name": "L"},
                        "outcome": "nouveau",
                        "errors": [],
                    }
                    for i in range(40)
                ],
                "plan": [],
                "stamp": 0,
            },
        )
    return job


def _inbox(w):
    """The manager's notifications, with at least one in it (the grown world adds thirty)."""
    from livret.notifications.models import Notification
    from livret.notifications.services import notify

    if not Notification.objects.filter(recipient=w.users["manager_a"]).exists():
        notify([w.users["manager_a"]], "evaluation", "Première notification", url="/promotions/")
    return reverse("notifications")


def urls(world, exam):
    w = world
    candidate = exam.candidates.order_by("number").first()
    return {
        "trainer_a": {
            "cohort_list": reverse("cohort_list"),
            "grid": reverse("grid", args=[w.cohort_a.pk]) + "?filtre=tout",
            "livret": reverse("livret", args=[w.learner1.pk]),
            "periods": reverse("learner_periods", args=[w.learner1.pk]),
            "calendar": reverse("cohort_calendar", args=[w.cohort_a.pk]),
        },
        "manager_a": {
            "centre": reverse("centre_home"),
            **{
                kind: reverse("centre_records", args=[kind])
                for kind in (
                    "apprenants",
                    "tuteurs",
                    "entreprises",
                    "promotions",
                    "contrats",
                    "conventions",
                    "financeurs",
                    "contacts-financeurs",
                )
            },
            "learner_form": reverse("centre_record", args=["apprenants", w.learner1.pk]),
            "dashboard": reverse("dashboard"),
            "people": reverse("people_search") + "?q=ap",
            "jobs": reverse("jobs"),
            "job": reverse("job", args=[_job(w).pk]),
            "import_preview": reverse("imports") + f"?tache={_job(w).pk}",
            "notifications": _inbox(w),
        },
        "tutor_x": {"tutor_home": reverse("tutor_home")},
        "examens_a": {
            "sessions": reverse("exam_sessions"),
            "deliberation": reverse("exam_deliberation", args=[exam.pk]),
            "candidate": reverse("exam_candidate", args=[exam.pk, candidate.pk]),
            "grades": reverse("exam_grades", args=[exam.pk]),
        },
    }


def measure(client, world, exam):
    out = {}
    for role, pages in urls(world, exam).items():
        client.force_login(world.users[role])
        out[role] = pin(client, pages)
    return out


def grow(world, exam, n=30):
    """Thirty more learners in cohort A, with everything a centre accumulates."""
    w = world
    company = w.learner1.company
    competences = list(Competence.objects.filter(referentiel=w.ref)[:10])
    from livret.jobs.models import Job

    Job.objects.bulk_create(
        Job(kind="cohort_livrets", title=f"Livrets {i}", requested_by=w.users["manager_a"])
        for i in range(n)
    )
    from livret.notifications.services import notify

    for i in range(n):
        notify([w.users["manager_a"]], "evaluation", f"Notification {i}", url="/promotions/")
    for i in range(n):
        learner = Learner.objects.create(
            cohort=w.cohort_a,
            centre=w.cohort_a.centre,
            first_name=f"Nouveau{i}",
            last_name=f"Apprenant{i}",
            status=Learner.APPRENTICE if i % 2 else Learner.SCHOOL,
            tutor=w.users["tutor_x"],
            company=company,
        )
        for c in competences:
            record_evaluation(
                learner=learner,
                competence=c,
                level="acquired",
                observed_on=datetime.date(2026, 3, 2),
                evaluator=w.users["trainer_a"],
            )
        Situation.objects.create(
            learner=learner,
            occurred_on=datetime.date(2026, 4, 1),
            place="Site",
            title=f"Situation {i}",
            description="…",
            created_by=w.users["trainer_a"],
        )
        stage(learner, company)
    register_cohort(exam, w.cohort_a, w.users["examens_a"])
    for c in exam.candidates.all():
        set_grade(c, "U1", "12", w.users["examens_a"])


def stage(learner, company):
    """A learner's period with its agreement, and a contract: one of each for the small world."""
    period = Period.objects.create(
        learner=learner,
        company=company,
        start=datetime.date(2026, 1, 5),
        end=datetime.date(2026, 2, 13),
    )
    Agreement.objects.create(period=period, activities="Rondes")
    # A funder financing his cohort, with its contact (Mon centre › Financeurs, Contacts).
    from livret.surveys.models import Funder, FunderContact

    funder = Funder.objects.create(
        centre=learner.centre, kind=Funder.OPCO, name=f"OPCO {learner.pk}"
    )
    funder.cohorts.set([learner.cohort])
    FunderContact.objects.create(
        funder=funder, name=f"Contact {learner.pk}", email=f"c{learner.pk}@opco.example"
    )
    Contract.objects.create(
        learner=learner,
        kind=Contract.APPRENTICESHIP,
        company=company,
        start=datetime.date(2025, 9, 1),
        end=datetime.date(2027, 8, 31),
    )


@pytest.mark.django_db
def test_list_and_detail_pages_do_not_grow_with_the_centre(client, world, exam):
    stage(world.learner1, world.learner1.company)
    small = measure(client, world, exam)
    grow(world, exam)
    big = measure(client, world, exam)
    assert big == small
    for role, pages in PINNED.items():
        for name, limit in pages.items():
            assert big[role][name] <= limit, (role, name, big[role][name], limit)
