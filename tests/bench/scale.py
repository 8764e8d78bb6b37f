"""`make bench`, the hard case: a centre of 10,000 learners in PostgreSQL, over HTTP and in process.

A throw-away database with a unique name (created here, dropped at the end; BENCH_KEEP=1 keeps it)
holds a big centre (10,000 learners × 82 competences × 3 evaluation facts, 100 tutors) and a
small one (30 learners) with the same référentiel. Every figure is printed beside its baseline
measured in the same run, as a ratio:

- pages in process (Django test client: routing, queries, templates), cold (first request after
  the caches are emptied) and warm (median, p95): the big centre's homes against the small
  centre's, the livret with 246 facts against a livret with none, the grid on all 82 competences
  (the headline) against the grid on one bloc;
- the served livret over HTTP through `livret serve` (gunicorn), with 1 then 20 concurrent clients,
  against the login page served the same way;
- the 10,000-row learner import (preview then save) against a 100-row one;
- the cohort's livrets as PDFs (the background job's own function) against one livret;
- `livret jury compute` end to end (process, JSON, parse, check, compute) on 100,000 candidates
  against the same command on one candidate.
Not a test: nothing asserts here. Goals are printed beside the figures (issue 11).
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

LEARNERS, PER_COHORT, TUTORS = 10_000, 30, 100
RUNS = int(os.environ.get("BENCH_RUNS", "30"))


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

    def centre(name, size, tutors):
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
        cohorts = Cohort.objects.bulk_create(
            Cohort(centre=org, referentiel=ref, name=f"Promo {slug} {i}", start_year=2025)
            for i in range(-(-size // PER_COHORT))
        )
        Cohort.trainers.through.objects.bulk_create(
            Cohort.trainers.through(cohort_id=c.pk, user_id=trainer.pk) for c in cohorts
        )
        learners = [
            Learner(
                cohort=cohorts[i // PER_COHORT],
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
        big, trainer = centre("CFA Grand", LEARNERS, TUTORS)
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
                       '', '', '', '', now()
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
    print(
        f"seeded: CFA Grand {LEARNERS:,} learners × 82 competences × 3 facts, {TUTORS} tutors; "
        f"CFA Petit {PER_COHORT} learners; {time.perf_counter() - start:.0f} s"
    )


# --- measuring -----------------------------------------------------------------------------
def forget_caches():
    from django.core.cache import cache

    from livret.competences import queries

    queries._FRAMES.clear()
    cache.clear()


def pct(samples, p):
    s = sorted(samples)
    return s[max(0, int(round(len(s) * p)) - 1)]


def in_process(client, url, runs=RUNS):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    forget_caches()
    t = time.perf_counter()
    response = client.get(url)
    cold = (time.perf_counter() - t) * 1000
    assert response.status_code == 200, (url, response.status_code)
    samples = []
    for _ in range(runs):
        t = time.perf_counter()
        client.get(url)
        samples.append((time.perf_counter() - t) * 1000)
    with CaptureQueriesContext(connection) as ctx:
        client.get(url)
    return {
        "cold": cold,
        "p50": statistics.median(samples),
        "p95": pct(samples, 0.95),
        "q": len(ctx),
    }


def line(label, fig, base, goal=""):
    print(
        f"  {label:<44} cold {fig['cold']:7.0f} ms  warm p50 {fig['p50']:6.1f} ms  "
        f"p95 {fig['p95']:6.1f} ms  {fig['q']:3d} q   × {fig['p50'] / base['p50']:5.2f} "
        f"of baseline (p50 {base['p50']:.1f} ms, {base['q']} q)  {goal}"
    )


def pages():
    from django.test import Client

    from livret.competences.models import CompetenceEvaluation
    from livret.people.models import Cohort, Learner

    def client(username):
        from django.contrib.auth import get_user_model

        c = Client()
        c.force_login(get_user_model().objects.get(username=username))
        return c

    manager, manager_small = client("manager-grand"), client("manager-petit")
    trainer = client("trainer-grand")
    tutor, tutor_small = client("tutor-grand-0"), client("tutor-petit-0")
    cohort = Cohort.objects.filter(centre__name="CFA Grand").order_by("pk")[LEARNERS // 60]
    busy = cohort.learners.first()
    empty, _ = Learner.objects.get_or_create(
        cohort=cohort,
        centre=cohort.centre,
        first_name="Sans",
        last_name="Évaluation",
        status="apprentice",
    )
    print(
        f"\npages in process ({Learner.objects.count():,} learners, "
        f"{CompetenceEvaluation.objects.count():,} facts; {RUNS} warm runs each)"
    )
    grid_bloc = in_process(trainer, f"/promotions/{cohort.pk}/grille/")
    grid_all = in_process(trainer, f"/promotions/{cohort.pk}/grille/?filtre=tout")
    line("HEADLINE grid, 30 learners × 82 competences", grid_all, grid_bloc, "goal p95 < 250 ms")
    line(
        "livret, 82 competences × 3 facts",
        in_process(trainer, f"/livrets/{busy.pk}/"),
        in_process(trainer, f"/livrets/{empty.pk}/"),
        "goal p95 < 100 ms",
    )
    coursework(cohort, trainer)
    for label, url, big, small in (
        ("manager's home /promotions/ (10,000 vs 30)", "/promotions/", manager, manager_small),
        ("dashboard (10,000 vs 30)", "/tableau-de-bord/", manager, manager_small),
        ("people search « nom01 » (10,000 vs 30)", "/personnes/?q=nom01", manager, manager_small),
        ("tutor home (100 vs 30 apprentices)", "/tuteur/", tutor, tutor_small),
    ):
        line(label, in_process(big, url), in_process(small, url), "goal p95 < 300 ms")
    deliberation()
    return busy


def coursework(cohort, trainer):
    """Issue 12: the module grade grid, 30 learners × 12 assessments, and a bulletin, against
    the same pages with one assessment (printed beside the livret page, same run)."""
    import datetime

    from django.contrib.auth import get_user_model

    from livret.bulletins.models import Assessment, Mark, TeachingModule

    user = get_user_model().objects.get(username="trainer-grand")
    learners = list(cohort.learners.all())

    def module(title, n):
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
        "goal p95 < 250 ms",
    )
    line(
        "bulletin, 2 modules (13 marks) vs the livret",
        in_process(trainer, f"/livrets/{learners[0].pk}/bulletin/?semestre=1"),
        in_process(trainer, f"/livrets/{learners[0].pk}/"),
        "goal p95 < 100 ms",
    )


def stored_alerts():
    """What the background job does for a centre whose 10,000 learners are all stale."""
    from django.utils import timezone

    from livret.people.models import Learner
    from livret.periods import alerts

    today = timezone.localdate()
    Learner.objects.update(alerts_on=None)
    small = list(Learner.objects.filter(centre__name="CFA Petit").values_list("pk", flat=True))
    t = time.perf_counter()
    alerts.refresh(small, today)
    base = time.perf_counter() - t
    ids = list(alerts.stale(Learner.objects.all(), today).values_list("pk", flat=True))
    t = time.perf_counter()
    for start in range(0, len(ids), alerts.CHUNK):
        alerts.refresh(ids[start : start + alerts.CHUNK], today)
    whole = time.perf_counter() - t
    print(
        f"stored alerts, all {len(ids):,} learners computed again (the daily background job): "
        f"{whole:.1f} s ({len(small)} learners: {base * 1000:.0f} ms; "
        f"{len(ids) / whole:,.0f} learners/s)"
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

    small, big = session(50, 2030), session(500, 2031)
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


def http_get(url, cookie=""):
    req = urllib.request.Request(url, headers={"Cookie": cookie} if cookie else {})
    t = time.perf_counter()
    with urllib.request.urlopen(req, timeout=60) as r:
        r.read()
        assert r.status == 200, (url, r.status)
    return (time.perf_counter() - t) * 1000


def load(url, cookie, clients, total):
    start = time.perf_counter()
    with concurrent.futures.ThreadPoolExecutor(clients) as pool:
        samples = list(pool.map(lambda _: http_get(url, cookie), range(total)))
    wall = time.perf_counter() - start
    return {"rps": total / wall, "p50": statistics.median(samples), "p95": pct(samples, 0.95)}


def over_http(busy):
    port, workers = free_port(), os.environ.get("BENCH_WORKERS", str(2 * (os.cpu_count() or 1) + 1))
    from livret.instance_keys import new_kek, new_secret_key

    # The served bench gets its own random keys (the server refuses to start without them).
    env = {
        "SECRET_KEY": new_secret_key(),
        "LIVRET_KEY_ENCRYPTION_KEY": new_kek(),
        **os.environ,
        "DATABASE_URL": URL,
    }
    server = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "livret",
            "serve",
            "--port",
            str(port),
            "--workers",
            workers,
            "--no-worker",
            "--no-scheduler",  # its daily alert refresh would run inside the measures
        ],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                http_get(base + "/connexion/")
                break
            except OSError:
                if time.monotonic() > deadline:
                    raise
                time.sleep(0.3)
        cookie = session_cookie("trainer-grand")
        url = f"{base}/livrets/{busy.pk}/"
        print(
            f"\nover HTTP through `livret serve` (gunicorn, {workers} workers, {os.cpu_count()} cores)"
        )
        # Cold: the first livret request each worker serves builds the référentiel frame.
        cold = max(http_get(url, cookie) for _ in range(int(workers)))
        print(f"  livret, first requests (cold, worst of {workers}): {cold:.0f} ms")
        for clients, total in ((1, 60), (20, 400)):
            b = load(base + "/connexion/", "", clients, total)
            f = load(url, cookie, clients, total)
            goal = "goal ≥ 50 req/s, p95 < 500 ms" if clients == 20 else ""
            print(
                f"  livret, {clients:2d} client(s): {f['rps']:6.1f} req/s, p50 {f['p50']:6.1f} ms, "
                f"p95 {f['p95']:6.1f} ms   login page (baseline): {b['rps']:6.1f} req/s, "
                f"p95 {b['p95']:.1f} ms; × {f['rps'] / b['rps']:.2f} of its rate  {goal}"
            )
    finally:
        server.terminate()
        server.wait(timeout=30)


# --- imports, PDFs, the jury CLI -------------------------------------------------------------
def imports():
    from django.db import transaction

    from livret.ops import importer
    from livret.people.models import Cohort, Organisation

    centre = Organisation.objects.get(name="CFA Petit")
    cohort = Cohort.objects.filter(centre=centre).first()

    def csv(n):
        rows = ["nom;prenom;courriel;statut;promotion"]
        rows += [f"Import{i};Léa;import{i}@bench.example;apprenti;{cohort.name}" for i in range(n)]
        return ("\n".join(rows) + "\n").encode()

    def run(n):
        raw = csv(n)
        t = time.perf_counter()
        preview = importer.preview(centre, "apprenants", raw, "a.csv")
        mid = time.perf_counter()
        with transaction.atomic():
            importer._write_learners(centre, None, preview.plan, lambda *a, **k: None)
            transaction.set_rollback(True)  # leave the database as it was
        return mid - t, time.perf_counter() - mid

    b, f = run(100), run(10_000)
    print(
        f"\nlearner import, 10,000 rows: preview {f[0]:.2f} s + save {f[1]:.2f} s = {sum(f):.2f} s "
        f"(100 rows: {sum(b) * 1000:.0f} ms; × {sum(f) / sum(b):.0f} for × 100 rows)  goal < 10 s"
    )


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
    for year in (2030, 2031):
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
    from livret.engine import jury
    from livret.referentiels.files import referentiel_document

    scheme = jury.scheme_from_referentiel(referentiel_document("bts-mos"))
    units = [u.code for u in scheme.compulsory]
    rng = random.Random(1)

    def write(n, path):
        cands = [
            {"id": str(i), "grades": {u: f"{rng.randrange(0, 2001) / 100:.2f}" for u in units}}
            for i in range(n)
        ]
        with open(path, "w") as fh:
            json.dump({"candidates": cands}, fh)

    with tempfile.TemporaryDirectory() as tmp:
        one, many = os.path.join(tmp, "1.json"), os.path.join(tmp, "100k.json")
        write(1, one)
        write(100_000, many)

        def run(path):
            t = time.perf_counter()
            subprocess.run(
                [
                    sys.executable,
                    "-m",
                    "livret",
                    "jury",
                    "compute",
                    "--referentiel",
                    "bts-mos",
                    "--input",
                    path,
                ],
                check=True,
                stdout=subprocess.DEVNULL,
            )
            return time.perf_counter() - t

        base, full = run(one), run(many)
    print(
        f"`livret jury compute`, 100,000 candidates end to end: {full:.2f} s = "
        f"{100_000 / full:,.0f} candidates/s ({100_000 / (full - base):,.0f}/s without the "
        f"{base:.2f} s start-up measured on one candidate)  goal ≥ 100,000/s"
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
        stored_alerts()
        busy = pages()
        over_http(busy)
        imports()
        digests()
        pdfs(busy)
        jury_cli()
    finally:
        from django.db import connections

        connections.close_all()
        if not os.environ.get("BENCH_KEEP"):
            admin(f'DROP DATABASE IF EXISTS "{NAME}"')
    return 0


if __name__ == "__main__":
    sys.exit(main())
