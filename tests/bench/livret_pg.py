"""`make bench`, livret part: 10,000 learners × 82 competences × 3 facts in PostgreSQL.

Seeds a dedicated database once (BENCH_DATABASE_URL, default postgres://postgres@127.0.0.1:5432/livret_bench;
kept between runs, `BENCH_RESEED=1` rebuilds it), then measures the server time (Django test client,
in process: routing, queries, templates) and the query count of the livret page and of a 30-learner
cohort grid. Baseline, same run and same database: the same pages for a learner with no evaluation.
Goals (issue 3): livret p95 < 100 ms, grid p95 < 250 ms, query count independent of data size.
"""

from __future__ import annotations

import os
import statistics
import sys
import time

URL = os.environ.get("BENCH_DATABASE_URL", "postgres://postgres@127.0.0.1:5432/livret_bench")
os.environ["DATABASE_URL"] = URL
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "livret.settings")
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

LEARNERS, PER_COHORT = 10_000, 30


def ensure_database() -> bool:
    import dj_database_url
    import psycopg

    cfg = dj_database_url.parse(URL)
    try:
        with psycopg.connect(
            host=cfg["HOST"],
            port=cfg["PORT"] or 5432,
            user=cfg["USER"],
            dbname="postgres",
            autocommit=True,
        ) as conn:
            exists = conn.execute(
                "SELECT 1 FROM pg_database WHERE datname = %s", [cfg["NAME"]]
            ).fetchone()
            if exists and os.environ.get("BENCH_RESEED"):
                conn.execute(f'DROP DATABASE "{cfg["NAME"]}"')
                exists = None
            if not exists:
                conn.execute(f'CREATE DATABASE "{cfg["NAME"]}"')
    except psycopg.OperationalError as exc:
        print(f"livret bench skipped: PostgreSQL unreachable ({exc})")
        return False
    return True


def seed() -> None:
    from django.contrib.auth import get_user_model
    from django.core.management import call_command
    from django.db import connection, transaction

    from livret.people.models import Cohort, Learner, Organisation, Profile
    from livret.referentiels.loader import default_files, load_files
    from livret.referentiels.models import Referentiel

    call_command("migrate", verbosity=0)
    if Learner.objects.count() >= LEARNERS:
        return
    start = time.perf_counter()
    load_files(default_files())
    ref = Referentiel.objects.get(diploma__slug="bts-mos")
    with transaction.atomic():
        centre = Organisation.objects.create(name="CFA Bench", kind=Organisation.CFA)
        trainer = get_user_model().objects.create_user(
            "bench-trainer", password="bench-password-2026"
        )
        Profile.objects.create(user=trainer, role=Profile.TRAINER, organisation=centre)
        cohorts = Cohort.objects.bulk_create(
            Cohort(centre=centre, referentiel=ref, name=f"Promo {i}", start_year=2025)
            for i in range(LEARNERS // PER_COHORT + 1)
        )
        Cohort.trainers.through.objects.bulk_create(
            Cohort.trainers.through(cohort_id=c.pk, user_id=trainer.pk) for c in cohorts
        )
        Learner.objects.bulk_create(
            (
                Learner(
                    cohort=cohorts[i // PER_COHORT],
                    centre=centre,
                    first_name=f"Prénom{i}",
                    last_name=f"Nom{i:05d}",
                    status="apprentice",
                )
                for i in range(LEARNERS)
            ),
            batch_size=5000,
        )
        # 3 facts per learner and competence: not acquired, in progress, then acquired for two pairs in three.
        with connection.cursor() as cur:
            cur.execute(
                """
                INSERT INTO competences_competenceevaluation
                    (learner_id, competence_id, level, observed_on, evaluator_id, context, comment, evidence,
                     evidence_name, evidence_type, recorded_at)
                SELECT l.id, c.id,
                       CASE WHEN n = 1 THEN 'not_acquired'
                            WHEN n = 2 THEN 'in_progress'
                            WHEN (l.id + c.id) %% 3 = 0 THEN 'in_progress' ELSE 'acquired' END,
                       DATE '2025-10-01' + ((l.id + c.id) %% 60 + n * 90)::int, %s, 'course', '', '', '', '', now()
                FROM people_learner l
                JOIN referentiels_competence c ON c.referentiel_id = %s
                CROSS JOIN generate_series(1, 3) AS n
                WHERE l.centre_id = %s
                """,
                [trainer.pk, ref.pk, centre.pk],
            )
            cur.execute(
                """
                INSERT INTO competences_competencestatus (learner_id, competence_id, level, acquired_on, latest_id, evaluations)
                SELECT DISTINCT ON (e.learner_id, e.competence_id)
                       e.learner_id, e.competence_id, e.level,
                       CASE WHEN e.level = 'acquired' THEN e.observed_on END, e.id, 3
                FROM competences_competenceevaluation e
                ORDER BY e.learner_id, e.competence_id, e.observed_on DESC, e.id DESC
                """
            )
            cur.execute("ANALYZE")
    print(
        f"seeded {LEARNERS} learners × 82 competences × 3 facts in {time.perf_counter() - start:.0f} s"
    )


def measure(client, url, runs):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client.get(url)  # warm-up
    samples = []
    for _ in range(runs):
        t = time.perf_counter()
        response = client.get(url)
        samples.append((time.perf_counter() - t) * 1000)
        assert response.status_code == 200, (url, response.status_code)
    with CaptureQueriesContext(connection) as ctx:
        client.get(url)
    samples.sort()
    return statistics.median(samples), samples[int(len(samples) * 0.95) - 1], len(ctx)


def main() -> int:
    if not ensure_database():
        return 0
    import django

    django.setup()
    from django.contrib.auth import get_user_model
    from django.test import Client
    from django.test.utils import setup_test_environment

    from livret.competences.models import CompetenceEvaluation
    from livret.people.models import Cohort, Learner

    setup_test_environment()
    seed()
    facts = CompetenceEvaluation.objects.count()
    print(f"database: PostgreSQL, {Learner.objects.count()} learners, {facts} evaluation facts")
    client = Client()
    client.force_login(get_user_model().objects.get(username="bench-trainer"))
    empty, _ = Learner.objects.get_or_create(
        cohort=Cohort.objects.order_by("-id").first(),
        centre_id=Learner.objects.first().centre_id,
        first_name="Sans",
        last_name="Évaluation",
        status="apprentice",
    )
    busy = Learner.objects.order_by("id")[LEARNERS // 2]
    cohort = busy.cohort
    runs = int(os.environ.get("BENCH_RUNS", "40"))
    base = measure(client, f"/livrets/{empty.pk}/", runs)
    full = measure(client, f"/livrets/{busy.pk}/", runs)
    print(
        f"livret page, 82 competences × 3 facts: median {full[0]:.1f} ms, p95 {full[1]:.1f} ms, {full[2]} queries "
        f"(baseline, no evaluation: median {base[0]:.1f} ms, {base[2]} queries; ratio {full[0] / base[0]:.2f}×)  goal p95 < 100 ms"
    )
    for label, query in (("one bloc (11 competences)", ""), ("all 82 competences", "?filtre=tout")):
        grid = measure(client, f"/promotions/{cohort.pk}/grille/{query}", runs)
        print(
            f"cohort grid, {cohort.learners.count()} learners, {label}: median {grid[0]:.1f} ms, p95 {grid[1]:.1f} ms, {grid[2]} queries  goal p95 < 250 ms"
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())
