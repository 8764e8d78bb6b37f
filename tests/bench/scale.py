"""`make bench`, the hard case: a centre of 10,000 learners in PostgreSQL, in process and over HTTP.

A throw-away database with a unique name (created here, dropped at the end; BENCH_KEEP=1 keeps it)
holds a big centre (10,000 learners × 82 competences × 3 evaluation facts, 100 tutors; ten
cohorts of 120, the others of 30) and a small one (30 learners) with the same référentiel, both
with what a centre accumulates: a period and a contract per learner (a third of the attestations
missing, so stored alerts), evidence on some facts, two situations per learner, old background
jobs and three stored import previews (10,000 rows each for the big centre). Every figure is
printed beside its baseline measured in the same run, as a ratio:

- every page in process (Django test client: routing, queries, templates): cold (the first
  request after PostgreSQL was restarted — when BENCH_PG_RESTART gives the command — or else on
  a fresh database connection with the process's caches emptied; the output says which) and warm
  (median, p95), against the same page of the 30-learner centre; the headline is the hard case, the
  grid of a 120-learner cohort on all 82 competences;
- the same pages over HTTP through `livret serve` (gunicorn), clients in their own processes,
  gzip accepted (bytes on the wire shown), one client then 20 concurrent; a fresh worker's first
  requests;
- the learner import through its web path (upload, preview job, preview page, save job), 10,000
  rows against 100;
- digests, the cohort's livrets as PDFs, the PV, and `livret jury compute` on 100,000 candidates
  with text grades and with JSON numbers (CPU time ratio).
Not a test: nothing asserts here. Goals are printed beside the figures (issues 11 and 26).
"""

from __future__ import annotations

import concurrent.futures
import json
import os
import random
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request

# BENCH_REUSE=<name> measures again a database kept by an earlier run (BENCH_KEEP=1).
NAME = os.environ.get("BENCH_REUSE") or f"livret_bench_{os.getpid()}_{int(time.time())}"
ADMIN_URL = os.environ.get("BENCH_ADMIN_URL", "postgres://postgres@127.0.0.1:5432/postgres")
URL = ADMIN_URL.rsplit("/", 1)[0] + "/" + NAME
os.environ["DATABASE_URL"] = URL
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "livret.settings")
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

LEARNERS = int(os.environ.get("BENCH_LEARNERS", "10000"))  # smaller for a quick try of the bench
PER_COHORT, TUTORS = 30, 100
BIG_COHORTS, BIG_SIZE = 10, 120  # the big centre's first cohorts have 120 learners
RUNS = int(os.environ.get("BENCH_RUNS", "30"))
HTTP_RUNS = int(os.environ.get("BENCH_HTTP_RUNS", "15"))
# A shell command that restarts the PostgreSQL server the bench uses (e.g. `pg_ctlcluster 15 main
# restart`, or `pg_ctl -D … restart` for a server of one's own). Unset: cold means a fresh
# connection and emptied caches, the server's own caches staying warm.
PG_RESTART = os.environ.get("BENCH_PG_RESTART", "")


def admin(sql: str) -> bool:
    import psycopg

    try:
        with psycopg.connect(ADMIN_URL, autocommit=True) as conn:
            conn.execute(sql)
    except psycopg.OperationalError as exc:
        print(f"scale bench skipped: PostgreSQL unreachable ({exc})")
        return False
    return True


# --- the data --------------------------------------------------------------------------------
def seed():
    from django.contrib.auth import get_user_model
    from django.core.management import call_command
    from django.db import connection, transaction

    from livret.people.models import Cohort, Learner, Organisation, Profile
    from livret.referentiels.loader import default_files, load_files
    from livret.referentiels.models import Referentiel

    call_command("migrate", verbosity=0)
    start = time.perf_counter()
    load_files(default_files())
    ref = Referentiel.objects.filter(diploma__slug="bts-mos").latest("version")
    users = get_user_model().objects

    def centre(name, size, tutors, big=False):
        org = Organisation.objects.create(name=name, kind=Organisation.CFA)
        slug = name.split()[-1].lower()
        manager = users.create_user(f"manager-{slug}", password="bench-password-2026")
        trainer = users.create_user(f"trainer-{slug}", password="bench-password-2026")
        Profile.objects.create(user=manager, role=Profile.MANAGER, organisation=org)
        Profile.objects.create(user=trainer, role=Profile.TRAINER, organisation=org)
        company = Organisation.objects.create(
            name=f"Entreprise {slug}", kind=Organisation.COMPANY, centre=org
        )
        tutor_users = users.bulk_create(
            get_user_model()(username=f"tutor-{slug}-{i}", first_name="Tuteur", last_name=str(i))
            for i in range(tutors)
        )
        Profile.objects.bulk_create(
            Profile(user=u, role=Profile.TUTOR, organisation=company) for u in tutor_users
        )
        # The big centre's first cohorts have 120 learners, the others 30.
        sizes = [BIG_SIZE] * (big and BIG_COHORTS)
        sizes += [PER_COHORT] * -(-(size - sum(sizes)) // PER_COHORT)
        cohorts = Cohort.objects.bulk_create(
            Cohort(centre=org, referentiel=ref, name=f"Promo {slug} {i:03d}", start_year=2025)
            for i in range(len(sizes))
        )
        Cohort.trainers.through.objects.bulk_create(
            Cohort.trainers.through(cohort_id=c.pk, user_id=trainer.pk) for c in cohorts
        )
        seat = [c for c, n in zip(cohorts, sizes, strict=True) for _ in range(n)]
        learners = [
            Learner(
                cohort=seat[i],
                centre=org,
                company=company,
                tutor=tutor_users[i % tutors],
                first_name=f"Prénom{i}",
                last_name=f"Nom{i:05d}",
                email=f"l{i}@{slug}.example",
                status="apprentice",
            )
            for i in range(size)
        ]
        for learner in learners:
            learner.fold_search_text()  # as save() would
        Learner.objects.bulk_create(learners, batch_size=5000)
        return org, trainer

    with transaction.atomic():
        big, trainer = centre("CFA Grand", LEARNERS, TUTORS, big=True)
        small, _ = centre("CFA Petit", PER_COHORT, 1)
        # 3 facts per learner and competence; the status table as the services would leave it.
        with connection.cursor() as cur:
            cur.execute(
                """
                INSERT INTO competences_competenceevaluation
                    (learner_id, competence_id, level, observed_on, evaluator_id, context, comment,
                     evidence, evidence_name, evidence_type, recorded_at)
                SELECT l.id, c.id,
                       CASE WHEN n = 1 THEN 'not_acquired' WHEN n = 2 THEN 'in_progress'
                            WHEN (l.id + c.id) %% 3 = 0 THEN 'in_progress' ELSE 'acquired' END,
                       DATE '2025-10-01' + ((l.id + c.id) %% 60 + n * 90)::int, %s, 'course',
                       '',
                       -- evidence on one fact in 25 (its name and type: the file is not read)
                       CASE WHEN (l.id + c.id + n) %% 25 = 0 THEN 'evidence/bench.pdf' ELSE '' END,
                       CASE WHEN (l.id + c.id + n) %% 25 = 0 THEN 'rapport.pdf' ELSE '' END,
                       CASE WHEN (l.id + c.id + n) %% 25 = 0 THEN 'application/pdf' ELSE '' END,
                       now()
                FROM people_learner l
                JOIN referentiels_competence c ON c.referentiel_id = %s
                CROSS JOIN generate_series(1, 3) AS n
                WHERE l.centre_id IN (%s, %s)
                """,
                [trainer.pk, ref.pk, big.pk, small.pk],
            )
            cur.execute(
                """
                INSERT INTO competences_competencestatus
                    (learner_id, competence_id, level, acquired_on, latest_id, evaluations)
                SELECT DISTINCT ON (e.learner_id, e.competence_id)
                       e.learner_id, e.competence_id, e.level,
                       CASE WHEN e.level = 'acquired' THEN e.observed_on END, e.id, 3
                FROM competences_competenceevaluation e
                ORDER BY e.learner_id, e.competence_id, e.observed_on DESC, e.id DESC
                """
            )
            cur.execute("ANALYZE")
    messier(ref)
    from tests.bench import attendance

    attendance.seed()
    print(
        f"seeded: CFA Grand {LEARNERS:,} learners × 82 competences × 3 facts ({BIG_COHORTS} "
        f"cohorts of {BIG_SIZE}, the others of {PER_COHORT}), {TUTORS} tutors; CFA Petit "
        f"{PER_COHORT} learners; both with periods, contracts, situations, evidence, old jobs "
        f"and import previews; {time.perf_counter() - start:.0f} s"
    )


def messier(ref):
    """What a centre accumulates besides evaluations: a period (a third of the attestations
    missing) and a contract per learner (a fifth ending before the exam), two situations per
    learner (a backlog for one in ten: waiting for the tutor or for the trainer), old background
    jobs and three stored import previews (10,000 rows each for the big centre, 30 for the small)."""
    import datetime

    from django.contrib.auth import get_user_model
    from django.db import connection

    from livret.competences.models import Situation
    from livret.jobs.models import Job
    from livret.people.models import Learner, Organisation
    from livret.periods.models import Contract, Period
    from livret.referentiels.models import Competence

    day = datetime.date(2026, 1, 5)
    users = get_user_model().objects
    for name in ("CFA Grand", "CFA Petit"):
        org = Organisation.objects.get(name=name)
        slug = name.split()[-1].lower()
        learners = list(Learner.objects.filter(centre=org).order_by("pk"))
        Period.objects.bulk_create(
            (
                Period(
                    learner=lr,
                    company_id=lr.company_id,
                    start=day,
                    end=day + datetime.timedelta(days=25),
                    attestation_received=i % 3 != 0,
                    attestation_signed=i % 3 != 0,
                )
                for i, lr in enumerate(learners)
            ),
            batch_size=5000,
        )
        Contract.objects.bulk_create(
            (
                Contract(
                    learner=lr,
                    kind=Contract.APPRENTICESHIP,
                    company_id=lr.company_id,
                    start=datetime.date(2025, 9, 1),
                    end=datetime.date(2027, 3 if i % 5 == 0 else 8, 31),
                )
                for i, lr in enumerate(learners)
            ),
            batch_size=5000,
        )
        trainer = users.get(username=f"trainer-{slug}")
        Situation.objects.bulk_create(
            (
                Situation(
                    learner=lr,
                    occurred_on=day + datetime.timedelta(days=k * 30),
                    place="Site client",
                    title=f"Ronde de nuit {k + 1}",
                    description="Ronde, main courante, levée de doute.",
                    # One learner in ten has one waiting for his tutor.
                    state=Situation.PENDING if k and i % 10 == 0 else Situation.VALIDATED,
                    created_by=trainer,
                )
                for i, lr in enumerate(learners)
                for k in range(2)
            ),
            batch_size=5000,
        )
        # Validated situations turned into evaluations (their facts name them), but for one
        # learner in ten, whose situations wait for the trainer.
        with connection.cursor() as cur:
            firsts = Competence.objects.filter(referentiel=ref).order_by("pk")[:2]
            for k, competence in enumerate(firsts):
                cur.execute(
                    """
                    UPDATE competences_competenceevaluation e SET situation_id = s.id
                    FROM competences_situation s JOIN people_learner l ON l.id = s.learner_id
                    WHERE s.learner_id = e.learner_id AND e.competence_id = %s
                      AND s.title = %s AND s.state = 'validated' AND l.centre_id = %s
                      AND l.id %% 10 <> 0
                    """,
                    [competence.pk, f"Ronde de nuit {k + 1}", org.pk],
                )
        manager = users.get(username=f"manager-{slug}")
        old = 1000 if slug == "grand" else 30
        Job.objects.bulk_create(
            Job(
                kind="cohort_livrets",
                title=f"Livrets de la promotion {i}",
                requested_by=manager,
                centre=org,
                status=Job.DONE,
                done=30,
                total=30,
                filename=f"livrets-{i}.zip",
            )
            for i in range(old)
        )
        rows = len(learners)
        for k in range(3):
            Job.objects.create(
                kind="import_preview",
                title=f"Import : Apprenants — vérification {k + 1}",
                requested_by=manager,
                centre=org,
                status=Job.DONE,
                params={"kind": "apprenants", "filename": "apprenants.csv", "mapping": None},
                result={
                    "kind": "apprenants",
                    "headers": ["nom", "prenom", "courriel", "statut", "promotion"],
                    "mapping": {"last_name": 0, "first_name": 1, "email": 2, "status": 3},
                    "sample": ["Nom00001", "Prénom1", "l1@x.example", "apprenti", "Promo"],
                    "errors": [],
                    "rows": [
                        {
                            "line": i + 2,
                            "values": {
                                "last_name": f"Nom{i:05d}",
                                "first_name": f"Prénom{i}",
                                "email": f"l{i}@{slug}.example",
                                "status": "apprentice",
                                "cohort": "Promo",
                            },
                            "outcome": "mise à jour",
                            "errors": [],
                            "warnings": [],
                        }
                        for i in range(rows)
                    ],
                    "skipped": 0,
                    "plan": None,
                    "stamp": 0,
                },
            )


# --- measuring -----------------------------------------------------------------------------
def forget_caches():
    from django.core.cache import cache

    from livret.competences import queries

    queries._FRAMES.clear()
    cache.clear()


def restart_postgres() -> bool:
    """Restart the server with BENCH_PG_RESTART's command; True once it answers again."""
    import psycopg

    if not PG_RESTART:
        return False
    subprocess.run(PG_RESTART, shell=True, check=True, stdout=subprocess.DEVNULL)
    deadline = time.monotonic() + 60
    while True:
        try:
            with psycopg.connect(URL, connect_timeout=2):
                return True
        except psycopg.OperationalError:
            if time.monotonic() > deadline:
                raise
            time.sleep(0.3)


def cold_kind() -> str:
    return (
        "PostgreSQL restarted before each first request (BENCH_PG_RESTART)"
        if PG_RESTART
        else "a fresh database connection and the process's caches emptied before each first "
        "request; PostgreSQL NOT restarted (set BENCH_PG_RESTART to a command that restarts "
        "it), so its buffers and the OS cache stay warm"
    )


def pct(samples, p):
    s = sorted(samples)
    return s[max(0, int(round(len(s) * p)) - 1)]


def in_process(client, url, runs=RUNS, cold=True):
    from django.db import connection, connections
    from django.test.utils import CaptureQueriesContext

    if cold:
        connections.close_all()
        restart_postgres()
        forget_caches()
    t = time.perf_counter()
    response = client.get(url)
    first = (time.perf_counter() - t) * 1000
    assert response.status_code == 200, (url, response.status_code)
    samples = []
    for _ in range(runs):
        t = time.perf_counter()
        client.get(url)
        samples.append((time.perf_counter() - t) * 1000)
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(url)
    return {
        "cold": first,
        "p50": statistics.median(samples),
        "p95": pct(samples, 0.95),
        "q": len(ctx),
        "kb": len(response.content) / 1024,
    }


def line(label, fig, base, goal=""):
    print(
        f"  {label:<46} cold {fig['cold']:6.0f} ms  p50 {fig['p50']:6.1f}  p95 {fig['p95']:6.1f} ms"
        f"  {fig['q']:3d} q  {fig['kb']:6.0f} KiB  × {fig['p50'] / base['p50']:5.2f} "
        f"(baseline p50 {base['p50']:.1f} ms, {base['q']} q)  {goal}"
    )


def client_for(username):
    from django.contrib.auth import get_user_model
    from django.test import Client

    c = Client()
    c.force_login(get_user_model().objects.get(username=username))
    return c


def page_list():
    """Every page measured: (label, url, big user, its baseline url, small user, goal). The
    baseline is the same page of the 30-learner centre unless said otherwise."""
    from django.urls import reverse

    from livret.people.models import Cohort, Learner

    big = Cohort.objects.filter(centre__name="CFA Grand")
    c120 = big.order_by("pk")[0]
    c30 = big.order_by("pk")[BIG_COHORTS + 5]
    small = Cohort.objects.filter(centre__name="CFA Petit").order_by("pk")[0]
    busy = c30.learners.order_by("pk").first()
    empty, _ = Learner.objects.get_or_create(
        cohort=c30,
        centre=c30.centre,
        first_name="Sans",
        last_name="Évaluation",
        status="apprentice",
    )
    grid = "/promotions/{}/grille/?filtre=tout"
    pages = [
        (
            "HEADLINE grid, 120 learners × 82 competences",
            grid.format(c120.pk),
            "trainer-grand",
            grid.format(small.pk),
            "trainer-petit",
            "goal p95 < 250 ms (baseline: 30 × 82)",
        ),
        (
            "grid, 30 learners × 82 competences",
            grid.format(c30.pk),
            "trainer-grand",
            grid.format(small.pk),
            "trainer-petit",
            "goal p95 < 250 ms",
        ),
        (
            "livret, 82 competences × 3 facts",
            f"/livrets/{busy.pk}/",
            "trainer-grand",
            f"/livrets/{empty.pk}/",
            "trainer-grand",
            "goal p95 < 100 ms (baseline: a livret without facts)",
        ),
        (
            "periods of a learner",
            f"/livrets/{busy.pk}/periodes/",
            "trainer-grand",
            f"/livrets/{small.learners.order_by('pk').first().pk}/periodes/",
            "trainer-petit",
            "",
        ),
    ]
    lists = [
        ("manager's home /promotions/", reverse("cohort_list"), "goal × ≤ 1.5"),
        ("dashboard", reverse("dashboard"), ""),
        ("people search « nom01 »", reverse("people_search") + "?q=nom01", ""),
        ("jobs list /taches/ (1,000 old, 3 previews)", reverse("jobs"), ""),
        ("notifications", reverse("notifications"), ""),
        ("Mon centre", reverse("centre_home"), ""),
    ]
    lists += [
        (f"Mon centre → {kind}", reverse("centre_records", args=[kind]), "")
        for kind in ("apprenants", "promotions", "tuteurs", "entreprises", "contrats", "equipe")
    ]
    pages += [
        (f"{label} (list)", url, "manager-grand", url, "manager-petit", goal)
        for label, url, goal in lists
    ]
    pages.append(
        (
            "tutor home (100 vs 30 apprentices)",
            "/tuteur/",
            "tutor-grand-0",
            "/tuteur/",
            "tutor-petit-0",
            "",
        )
    )
    from tests.bench import attendance

    pages += attendance.pages()
    return pages, busy, c120


def pages():
    from livret.competences.models import CompetenceEvaluation
    from livret.people.models import Learner

    listed, busy, c120 = page_list()
    print(
        f"\npages in process ({Learner.objects.count():,} learners, "
        f"{CompetenceEvaluation.objects.count():,} facts; {RUNS} warm runs each; ratio = p50 "
        f"against the same page of the 30-learner centre)\n  cold = {cold_kind()}"
    )
    clients = {}

    def client(name):
        if name not in clients:
            clients[name] = client_for(name)
        return clients[name]

    figures = {}
    for label, url, user, base_url, base_user, goal in listed:
        base = in_process(client(base_user), base_url)
        fig = in_process(client(user), url)
        figures[label] = (fig, base)
        line(label, fig, base, goal)
    coursework(c120, client("trainer-grand"))
    deliberation()
    return busy, listed, figures


def coursework(cohort, trainer):
    """Issue 12: the module grade grid, 30 learners × 12 assessments, and a bulletin, against
    the same pages with one assessment (printed beside the livret page, same run)."""
    import datetime

    from django.contrib.auth import get_user_model

    from livret.bulletins.models import Assessment, Mark, TeachingModule

    user = get_user_model().objects.get(username="trainer-grand")
    learners = list(cohort.learners.all())

    def module(title, n):
        # A database kept by an earlier run (BENCH_REUSE) has its modules already.
        found = TeachingModule.objects.filter(cohort=cohort, title=title).first()
        if found is not None:
            return found
        m = TeachingModule.objects.create(cohort=cohort, title=title)
        m.trainers.set([user])
        for k in range(n):
            a = Assessment.objects.create(
                module=m,
                title=f"Évaluation {k + 1}",
                held_on=datetime.date(2025, 10, 1) + datetime.timedelta(days=7 * k),
                semester=1,
                created_by=user,
            )
            Mark.objects.bulk_create(
                Mark(
                    assessment=a,
                    learner=lr,
                    hundredths=800 + (lr.pk * 7 + k) % 1200,
                    entered_by=user,
                )
                for lr in learners
            )
        return m

    full, one = module("Bench 12", 12), module("Bench 1", 1)
    line(
        f"module grid, {len(learners)} learners × 12 assessments",
        in_process(trainer, f"/modules/{full.pk}/?semestre=1"),
        in_process(trainer, f"/modules/{one.pk}/?semestre=1"),
        "goal p95 < 250 ms (baseline: 1 assessment)",
    )
    line(
        "bulletin, 2 modules (13 marks) vs the livret",
        in_process(trainer, f"/livrets/{learners[0].pk}/bulletin/?semestre=1"),
        in_process(trainer, f"/livrets/{learners[0].pk}/"),
        "goal p95 < 100 ms",
    )


def stored_alerts():
    """The scheduler's daily work for a centre whose 10,000 learners are all to compute."""
    from django.utils import timezone

    from livret.people.models import Learner
    from livret.periods import alerts
    from livret.periods.models import LearnerAlert

    today = timezone.localdate()
    Learner.objects.update(alerts_on=None)
    t = time.perf_counter()
    alerts.refresh_stale(Learner.objects.filter(centre__name="CFA Petit"), today)
    base = time.perf_counter() - t
    t = time.perf_counter()
    n = alerts.refresh_stale(Learner.objects.filter(centre__name="CFA Grand"), today)
    whole = time.perf_counter() - t
    print(
        f"stored alerts, all {n:,} learners computed again (the scheduler's daily run): "
        f"{whole:.1f} s, {LearnerAlert.objects.count():,} alerts stored (30 learners: "
        f"{base * 1000:.0f} ms; {n / whole:,.0f} learners/s)"
    )


def deliberation():
    from django.contrib.auth import get_user_model
    from django.test import Client

    from livret.exams.models import Candidate, ExamSession, Grade
    from livret.people.models import Organisation, Profile
    from livret.referentiels.models import Referentiel

    ref = Referentiel.objects.filter(diploma__slug="bts-mos").latest("version")
    org = Organisation.objects.get(name="CFA Grand")
    office, _ = get_user_model().objects.get_or_create(username="exams-grand")
    Profile.objects.get_or_create(
        user=office, defaults={"role": Profile.EXAM_ADMIN, "organisation": org}
    )
    rng = random.Random(2)
    units = ["U1", "U21", "U22", "U3", "U4", "U51", "U52", "U6"]

    def session(size, year):
        s, created = ExamSession.objects.get_or_create(
            referentiel=ref, organiser=org, year=year, defaults={"name": f"Session {size}"}
        )
        if created:
            cands = Candidate.objects.bulk_create(
                Candidate(session=s, number=f"{year}{i:05d}", first_name=f"P{i}", last_name=f"N{i}")
                for i in range(size)
            )
            Grade.objects.bulk_create(
                Grade(candidate=c, unit=u, hundredths=rng.randrange(500, 1801), entered_by=office)
                for c in cands
                for u in units
            )
        return s

    # 2027: the year the centre's hundreds of cohorts (started 2025) sit their exam.
    small, big = session(50, 2026), session(500, 2027)
    client = Client()
    client.force_login(office)
    line(
        "deliberation, 500 candidates × 8 units",
        in_process(client, f"/examens/{big.pk}/"),
        in_process(client, f"/examens/{small.pk}/"),
        "goal p95 < 300 ms (baseline: 50 candidates)",
    )


def digests():
    """`livret notify` for a centre of 10,000 apprentices with 3 waiting notifications each,
    beside the same for 30, e-mails built and handed to Django's in-memory mail backend."""
    from django.conf import settings
    from django.contrib.auth import get_user_model
    from django.db import connection

    from livret.notifications.models import Notification
    from livret.notifications.services import send_digests
    from livret.people.models import Learner

    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    users = get_user_model()

    def run(centre):
        learners = list(Learner.objects.filter(centre__name=centre, user__isnull=True))
        accounts = users.objects.bulk_create(
            users(username=f"u{lr.pk}", email=f"u{lr.pk}@bench.example") for lr in learners
        )
        Notification.objects.bulk_create(
            Notification(recipient=u, kind="evaluation", title=f"Évaluation {i}", mode="digest")
            for u in accounts
            for i in range(3)
        )
        queries = []  # counted, not logged: Django's query log stops at 9,000

        def count(execute, sql, params, many, context):
            queries.append(1)
            return execute(sql, params, many, context)

        with connection.execute_wrapper(count):
            t = time.perf_counter()
            sent = send_digests()["sent"]
            elapsed = time.perf_counter() - t
        again = send_digests()["sent"]
        return sent, elapsed, len(queries), again

    small, big = run("CFA Petit"), run("CFA Grand")
    print(
        f"notification digests (livret notify), {big[0]:,} users × 3 notifications: {big[1]:.1f} s, "
        f"{big[2]:,} queries ({big[2] / big[0]:.1f} per e-mail); second run sends {big[3]} "
        f"(30 users: {small[1] * 1000:.0f} ms, {small[2]} queries; × {big[1] / small[1]:.0f} "
        f"for × {big[0] / small[0]:.0f} users)"
    )


# --- over HTTP -----------------------------------------------------------------------------
def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def session_cookie(username):
    from django.conf import settings
    from django.contrib.auth import (
        BACKEND_SESSION_KEY,
        HASH_SESSION_KEY,
        SESSION_KEY,
        get_user_model,
    )
    from django.contrib.sessions.backends.db import SessionStore

    user = get_user_model().objects.get(username=username)
    store = SessionStore()
    store[SESSION_KEY] = str(user.pk)
    store[BACKEND_SESSION_KEY] = "django.contrib.auth.backends.ModelBackend"
    store[HASH_SESSION_KEY] = user.get_session_auth_hash()
    store.create()
    return f"{settings.SESSION_COOKIE_NAME}={store.session_key}"


def http_get(url, cookie="", gzip=True):
    """One GET: (milliseconds, bytes received). Top-level, so that client processes can run it."""
    headers = {"Accept-Encoding": "gzip"} if gzip else {}
    if cookie:
        headers["Cookie"] = cookie
    req = urllib.request.Request(url, headers=headers)
    t = time.perf_counter()
    with urllib.request.urlopen(req, timeout=120) as r:
        body = r.read()
        assert r.status == 200, (url, r.status)
    return (time.perf_counter() - t) * 1000, len(body)


def _get_one(args):
    return http_get(*args)


def load(pool, url, cookie, clients, total):
    """`total` requests from `clients` client processes at once."""
    start = time.perf_counter()
    got = list(pool.map(_get_one, [(url, cookie)] * total, chunksize=max(1, total // clients)))
    wall = time.perf_counter() - start
    samples = [ms for ms, _ in got]
    return {"rps": total / wall, "p50": statistics.median(samples), "p95": pct(samples, 0.95)}


def serve(port, workers):
    from livret.instance_keys import new_kek, new_secret_key

    # The served bench gets its own random keys (the server refuses to start without them).
    env = {
        "SECRET_KEY": new_secret_key(),
        "LIVRET_KEY_ENCRYPTION_KEY": new_kek(),
        **os.environ,
        "DATABASE_URL": URL,
    }
    return subprocess.Popen(
        [
            sys.executable,
            "-m",
            "livret",
            "serve",
            "--port",
            str(port),
            "--workers",
            str(workers),
            "--no-worker",
            "--no-scheduler",  # its daily alert refresh would run inside the measures
        ],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )


def first_answer(url, cookie, deadline=90):
    """Poll until the server answers; → milliseconds from now to that first answer."""
    t = time.perf_counter()
    end = time.monotonic() + deadline
    while True:
        try:
            http_get(url, cookie)
            return (time.perf_counter() - t) * 1000
        except OSError:
            if time.monotonic() > end:
                raise
            time.sleep(0.05)


def stop(server):
    server.terminate()
    server.wait(timeout=30)


def fresh_worker(listed):
    """A server with one worker, just started: its first answer (the worker boots, imports the
    views, reads the templates, connects), then the headline grid's first and warm requests."""
    port = free_port()
    base = f"http://127.0.0.1:{port}"
    label, url, user = listed[0][:3]
    home = session_cookie("manager-grand")
    cookie = session_cookie(user)
    t = time.perf_counter()
    server = serve(port, 1)
    try:
        first_answer(base + "/promotions/", home)
        started = (time.perf_counter() - t) * 1000
        grid_first, _ = http_get(base + url, cookie)
        warm = statistics.median(http_get(base + url, cookie)[0] for _ in range(5))
        home_warm = statistics.median(http_get(base + "/promotions/", home)[0] for _ in range(5))
    finally:
        stop(server)
    print(
        f"  fresh worker (1 worker, just started): the manager's home answered {started:.0f} ms "
        f"after the start (the worker's boot included), warm {home_warm:.0f} ms; then its first "
        f"{label.split(',')[0].replace('HEADLINE ', '')} {grid_first:.0f} ms, warm {warm:.0f} ms "
        f"(× {grid_first / warm:.1f})"
    )


def over_http(listed):
    """Every page over HTTP through gunicorn, gzip accepted, clients in their own processes."""
    workers = int(os.environ.get("BENCH_WORKERS", str(2 * (os.cpu_count() or 1) + 1)))
    print(
        f"\nover HTTP through `livret serve` (gunicorn, {workers} workers, {os.cpu_count()} "
        f"cores; clients in separate processes; gzip accepted; {HTTP_RUNS} requests each; ratio "
        "= p50 against the 30-learner centre's page)"
    )
    fresh_worker(listed)
    port = free_port()
    base = f"http://127.0.0.1:{port}"
    server = serve(port, workers)
    cookies = {}

    def cookie(user):
        if user not in cookies:
            cookies[user] = session_cookie(user)
        return cookies[user]

    ctx = __import__("multiprocessing").get_context("fork")
    try:
        first_answer(base + "/connexion/", "")
        with concurrent.futures.ProcessPoolExecutor(20, mp_context=ctx) as pool:
            list(pool.map(_get_one, [(base + "/connexion/", "")] * 40))  # clients started
            # Each worker's first requests (templates, frames, connection): the worst of them.
            label, url, user = listed[0][:3]
            cold = max(
                ms
                for ms, _ in pool.map(_get_one, [(base + url, cookie(user))] * workers, chunksize=1)
            )
            print(f"  {label}: first request of each worker, worst of {workers}: {cold:.0f} ms")
            for label, url, user, base_url, base_user, _goal in listed:
                fig = load(pool, base + url, cookie(user), 1, HTTP_RUNS)
                ref = load(pool, base + base_url, cookie(base_user), 1, HTTP_RUNS)
                wire = http_get(base + url, cookie(user))[1] / 1024
                print(
                    f"  {label:<46} p50 {fig['p50']:6.1f}  p95 {fig['p95']:6.1f} ms  "
                    f"{wire:5.0f} KiB on the wire  × {fig['p50'] / ref['p50']:5.2f} "
                    f"(baseline p50 {ref['p50']:.1f} ms)"
                )
            loaded = [listed[0][:3], ("livret", listed[2][1], listed[2][2])]
            # Issue 22: the roll call of 35 as the trainer finds it before calling, under load.
            loaded += [p[:3] for p in listed if p[0] == "attendance: roll call being marked, 35"]
            for label, url, user in loaded:
                for clients, total in ((1, 20), (20, 200)):
                    b = load(pool, base + "/connexion/", "", clients, total)
                    f = load(pool, base + url, cookie(user), clients, total)
                    goal = "goal ≥ 50 req/s, p95 < 500 ms" if clients == 20 else ""
                    print(
                        f"  {label.replace('HEADLINE ', '')[:40]:<40} {clients:2d} client(s): "
                        f"{f['rps']:6.1f} req/s, p50 {f['p50']:7.1f} ms, p95 {f['p95']:7.1f} ms"
                        f"   login page (baseline): {b['rps']:6.1f} req/s, p95 {b['p95']:.1f} ms;"
                        f" × {f['rps'] / b['rps']:.2f} of its rate  {goal}"
                    )
    finally:
        stop(server)


# --- imports, PDFs, the jury CLI -------------------------------------------------------------
def imports():
    """The learner import through its web path, as a manager does it: the upload (a POST that
    starts the preview job), the job (run by the task worker), the preview page, then « Enregistrer »
    and its job; a centre of its own, so the measured centres stay as they are."""
    from django.contrib.auth import get_user_model
    from django.core.files.uploadedfile import SimpleUploadedFile
    from django.urls import reverse

    from livret.jobs.models import Job
    from livret.people.models import Cohort, Learner, Organisation, Profile
    from livret.referentiels.models import Referentiel

    ref = Referentiel.objects.filter(diploma__slug="bts-mos").latest("version")

    def run(n):
        org = Organisation.objects.create(name=f"CFA Import {n}", kind=Organisation.CFA)
        user = get_user_model().objects.create_user(f"manager-import-{n}")
        Profile.objects.create(user=user, role=Profile.MANAGER, organisation=org)
        Cohort.objects.create(centre=org, referentiel=ref, name="Promo import", start_year=2025)
        client = client_for(user.username)
        rows = ["nom;prenom;courriel;statut;promotion"]
        rows += [f"Import{i};Léa;import{i}@n{n}.example;apprenti;Promo import" for i in range(n)]
        upload = SimpleUploadedFile("apprenants.csv", ("\n".join(rows) + "\n").encode())
        steps = {}
        t = time.perf_counter()
        response = client.post(reverse("imports"), {"kind": "apprenants", "file": upload})
        assert response.status_code == 302, response.status_code
        steps["upload"] = time.perf_counter() - t
        t = time.perf_counter()
        run_worker()
        steps["preview job"] = time.perf_counter() - t
        job = Job.objects.filter(requested_by=user, kind="import_preview").get()
        assert job.status == Job.DONE, (job.status, job.error)
        t = time.perf_counter()
        page = client.get(reverse("imports") + f"?tache={job.pk}")
        assert page.status_code == 200
        steps["preview page"] = time.perf_counter() - t
        t = time.perf_counter()
        client.post(reverse("imports"), {"confirm": "1", "tache": str(job.pk)})
        run_worker()
        steps["save job"] = time.perf_counter() - t
        assert Learner.objects.filter(centre=org).count() == n
        return steps

    b, f = run(100), run(10_000)
    parts = ", ".join(f"{k} {v:.2f} s" for k, v in f.items())
    print(
        f"\nlearner import through the web (upload, job, preview page, save), 10,000 rows: "
        f"{sum(f.values()):.1f} s ({parts}); 100 rows: {sum(b.values()) * 1000:.0f} ms; "
        f"× {sum(f.values()) / sum(b.values()):.0f} for × 100 rows  goal < 10 s"
    )


def run_worker():
    """The task worker, in this process, until the queue is empty (as `livret worker` would)."""
    from django.core.management import call_command

    call_command("db_worker", "--batch", "--no-startup-delay", "--interval", "0", verbosity=0)


def pdfs(busy):
    from livret.competences import printing
    from livret.jobs.models import Job
    from livret.web.pdf import pdf_bytes

    t = time.perf_counter()
    pdf_bytes("livret/print.html", printing.livret_context(busy))
    one = time.perf_counter() - t
    job = Job(kind="cohort_livrets", title="bench", params={"cohort": busy.cohort_id})
    job.requested_by = busy.cohort.trainers.first()
    job.save()
    t = time.perf_counter()
    printing.cohort_livrets_zip(job, lambda *a, **k: None)
    n = busy.cohort.learners.count()
    whole = time.perf_counter() - t
    print(
        f"cohort livrets as one ZIP ({n} PDFs, background job): {whole:.1f} s "
        f"(one livret: {one:.2f} s; × {whole / one:.1f})"
    )
    from livret.exams import printing as exam_printing
    from livret.exams.models import ExamSession

    timings = {}
    for year in (2026, 2027):
        session = ExamSession.objects.get(year=year)
        t = time.perf_counter()
        pdf_bytes("exams/pv.html", exam_printing.minutes_context(session))
        timings[session.candidates.count()] = time.perf_counter() - t
    (small, ts), (big, tb) = sorted(timings.items())
    print(
        f"PV of a {big}-candidate session: {tb:.1f} s, made in the background above "
        f"{exam_printing.LARGE_SESSION} candidates ({small} candidates: {ts:.1f} s in the request; "
        f"× {tb / ts:.1f})"
    )


def jury_cli():
    """`livret jury compute` end to end on 100,000 candidates, grades written as text ("12.50")
    then as JSON numbers (12.5): wall time, and the CPU time of the numbers against the text."""
    import resource

    from livret.engine import jury
    from livret.referentiels.files import referentiel_document

    scheme = jury.scheme_from_referentiel(referentiel_document("bts-mos"))
    units = [u.code for u in scheme.compulsory]
    rng = random.Random(1)
    grades = [[rng.randrange(0, 2001) for _ in units] for _ in range(100_000)]

    def write(path, n, as_text):
        cands = [
            {
                "id": str(i),
                "grades": {
                    u: f"{g / 100:.2f}" if as_text else g / 100
                    for u, g in zip(units, gs, strict=True)
                },
            }
            for i, gs in enumerate(grades[:n])
        ]
        with open(path, "w") as fh:
            json.dump({"candidates": cands}, fh)

    def run(path):
        before = resource.getrusage(resource.RUSAGE_CHILDREN)
        t = time.perf_counter()
        subprocess.run(
            [sys.executable, "-m", "livret", "jury", "compute", "--referentiel", "bts-mos"]
            + ["--input", path],
            check=True,
            stdout=subprocess.DEVNULL,
        )
        wall = time.perf_counter() - t
        after = resource.getrusage(resource.RUSAGE_CHILDREN)
        return wall, (after.ru_utime + after.ru_stime) - (before.ru_utime + before.ru_stime)

    with tempfile.TemporaryDirectory() as tmp:
        paths = {}
        for name, n, as_text in (
            ("one", 1, True),
            ("text", 100_000, True),
            ("numbers", 100_000, False),
        ):
            paths[name] = os.path.join(tmp, f"{name}.json")
            write(paths[name], n, as_text)
        base = run(paths["one"])
        text = min((run(paths["text"]) for _ in range(2)), key=lambda r: r[1])
        numbers = min((run(paths["numbers"]) for _ in range(2)), key=lambda r: r[1])
    print(
        f"`livret jury compute`, 100,000 candidates end to end: text grades {text[0]:.2f} s = "
        f"{100_000 / text[0]:,.0f} candidates/s ({100_000 / (text[0] - base[0]):,.0f}/s without "
        f"the {base[0]:.2f} s start-up); JSON numbers {numbers[0]:.2f} s; CPU {numbers[1]:.2f} s "
        f"against {text[1]:.2f} s: × {(numbers[1] - base[1]) / (text[1] - base[1]):.2f} without "
        "the start-up  goal ≥ 100,000/s, numbers × ≤ 1.0"
    )


def headline(figures):
    """The goals of issue 26 item 10, from the figures above (same run)."""
    print("\nheadline (issue 26, item 10; same-run ratios):")
    for label, goal in (
        ("HEADLINE grid, 120 learners × 82 competences", "p95 < 250 ms"),
        ("manager's home /promotions/ (list)", "× ≤ 1.5 of the 30-learner centre"),
        ("dashboard (list)", ""),
        ("jobs list /taches/ (1,000 old, 3 previews) (list)", ""),
        ("Mon centre → promotions (list)", ""),
    ):
        fig, base = figures[label]
        print(
            f"  {label.replace('HEADLINE ', ''):<50} p95 {fig['p95']:6.1f} ms, × "
            f"{fig['p50'] / base['p50']:.2f} of its baseline  goal {goal or '—'}"
        )


def main() -> int:
    if not admin(f'CREATE DATABASE "{NAME}"' if not os.environ.get("BENCH_REUSE") else "SELECT 1"):
        return 0
    try:
        import django

        django.setup()
        from django.test.utils import setup_test_environment

        setup_test_environment()
        load_avg = os.getloadavg()
        print(f"scale bench on PostgreSQL, database {NAME}; load average {load_avg[0]:.2f}")
        if not os.environ.get("BENCH_REUSE"):
            seed()
        else:
            from django.core.management import call_command

            call_command("migrate", verbosity=0)
        # BENCH_SKIP=digests,pdfs (say) leaves parts out of a quicker run.
        skip = set(os.environ.get("BENCH_SKIP", "").split(","))
        stored_alerts()
        busy, listed, figures = pages()
        if "http" not in skip:
            over_http(listed)
        if "imports" not in skip:
            imports()
        if "digests" not in skip:
            digests()
        if "pdfs" not in skip:
            pdfs(busy)
        if "jury" not in skip:
            jury_cli()
        if "attendance" not in skip:
            from tests.bench import attendance

            attendance.month_end()
        headline(figures)
    finally:
        from django.db import connections

        connections.close_all()
        if not os.environ.get("BENCH_KEEP"):
            admin(f'DROP DATABASE IF EXISTS "{NAME}"')
    return 0


if __name__ == "__main__":
    sys.exit(main())
