"""`make bench`, exams part: the jury engine on 100,000 generated candidates, and the deliberation
page of a 500-candidate session (baseline in the same run: a 50-candidate session).
Goals (issue 5): ≥ 100,000 candidates/s; page p95 < 300 ms, query count independent of size.
"""

from __future__ import annotations

import os
import random
import statistics
import time

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "livret.settings")

import django  # noqa: E402

django.setup()

from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext, setup_test_environment  # noqa: E402

from livret.engine import jury  # noqa: E402
from livret.referentiels.files import referentiel_document  # noqa: E402


def engine_figures() -> None:
    scheme = jury.scheme_from_referentiel(referentiel_document("bts-mos"))
    rng = random.Random(1)
    units = [u.code for u in scheme.compulsory]
    candidates = [
        jury.Candidate(
            str(i),
            {u: rng.randrange(0, 2001) for u in units},
            {"UF1": rng.randrange(0, 2001)} if i % 3 == 0 else {},
        )
        for i in range(100_000)
    ]
    for c in candidates[::97]:
        c.grades["U4"] = "NV"
    start = time.perf_counter()
    outcomes = [jury.compute(scheme, c) for c in candidates]
    elapsed = time.perf_counter() - start
    raw = [
        {u: f"{g // 100}.{g % 100:02d}" if isinstance(g, int) else g for u, g in c.grades.items()}
        for c in candidates[:20_000]
    ]
    start = time.perf_counter()
    for i, grades in enumerate(raw):
        c = jury.Candidate(str(i), {u: jury.parse_grade(g, "c", u) for u, g in grades.items()})
        jury.check_candidate(scheme, c)
        jury.compute(scheme, c)
    parsed = time.perf_counter() - start
    passed = sum(o.decision == jury.PASSED for o in outcomes)
    print(
        f"jury engine: {len(candidates) / elapsed:,.0f} candidates/s (compute), "
        f"{len(raw) / parsed:,.0f} candidates/s (parse + check + compute); {passed} admitted  goal ≥ 100,000/s"
    )


def titre_figures() -> None:
    """The titre professionnel's family on 100,000 generated candidates (check + compute)."""
    from livret.engine import titre_pro

    scheme = titre_pro.scheme_from_referentiel(referentiel_document("tp-operateur-videoprotection"))
    rng = random.Random(2)
    candidates = []
    for i in range(100_000):
        before = frozenset(c for c in scheme.ccps if rng.random() < 0.2)
        decisions = {
            c: rng.choice((titre_pro.ACQUIRED, titre_pro.NOT_ACQUIRED))
            for c in scheme.ccps
            if c not in before
        }
        candidates.append(titre_pro.Candidate(str(i), decisions, before))
    start = time.perf_counter()
    for c in candidates:
        titre_pro.check_candidate(scheme, c)
    outcomes = [titre_pro.compute(scheme, c) for c in candidates]
    elapsed = time.perf_counter() - start
    titres = sum(o.decision == titre_pro.TITRE for o in outcomes)
    print(
        f"titre professionnel engine: {len(candidates) / elapsed:,.0f} candidates/s "
        f"(check + compute); {titres} titres  goal ≥ 100,000/s"
    )


def family_figures() -> None:
    """The Bac pro and CAP families on 100,000 generated candidates each (compute). Their files
    do not give units and coefficients yet: the scheme is a generated one of the same shape."""
    from livret.engine import families

    units = {
        f"U{i}": jury.UnitRule(
            f"U{i}", 100 * (1 + i % 4), False, "professional" if i < 4 else "general"
        )
        for i in range(8)
    }
    scheme = jury.Scheme(units, frozenset())
    rng = random.Random(3)
    candidates = [
        jury.Candidate(str(i), {u: rng.randrange(0, 2001) for u in units}) for i in range(100_000)
    ]
    practice = frozenset({"U0", "U1"})
    for label, fn in (
        ("Bac pro", lambda c: families.compute_bac_pro(scheme, c, practice)),
        ("CAP", lambda c: families.compute_cap(scheme, c)),
    ):
        start = time.perf_counter()
        outcomes = [fn(c) for c in candidates]
        elapsed = time.perf_counter() - start
        admitted = sum(o.decision == jury.PASSED for o in outcomes)
        print(
            f"{label} engine: {len(candidates) / elapsed:,.0f} candidates/s (compute); "
            f"{admitted} admitted  goal ≥ 100,000/s"
        )


def page_figures() -> None:
    from django.contrib.auth import get_user_model

    from livret.exams.models import Candidate, ExamSession, Grade
    from livret.people.models import Organisation
    from livret.referentiels.loader import default_files, load_files
    from livret.referentiels.models import Referentiel

    setup_test_environment()
    old = connection.settings_dict["NAME"]
    connection.creation.create_test_db(verbosity=0, autoclobber=True)
    try:
        load_files(default_files())
        ref = Referentiel.objects.filter(diploma__slug="bts-mos").latest("version")
        org = Organisation.objects.create(name="Rectorat", kind=Organisation.TRAINING_BODY)
        admin = get_user_model().objects.create_superuser("bench", password="bench-password-2026")
        rng = random.Random(2)
        units = ["U1", "U21", "U22", "U3", "U4", "U51", "U52", "U6"]

        def session(size, year):
            s = ExamSession.objects.create(
                referentiel=ref, organiser=org, year=year, name=f"Session {size}"
            )
            cands = Candidate.objects.bulk_create(
                Candidate(session=s, number=f"{year}{i:05d}", first_name=f"P{i}", last_name=f"N{i}")
                for i in range(size)
            )
            Grade.objects.bulk_create(
                Grade(candidate=c, unit=u, hundredths=rng.randrange(500, 1801), entered_by=admin)
                for c in cands
                for u in units
            )
            return s

        small, big = session(50, 2026), session(500, 2027)
        client = Client()
        client.force_login(admin)

        def measure(url, runs=25):
            client.get(url)
            samples = []
            for _ in range(runs):
                t = time.perf_counter()
                assert client.get(url).status_code == 200
                samples.append((time.perf_counter() - t) * 1000)
            with CaptureQueriesContext(connection) as ctx:
                client.get(url)
            samples.sort()
            return statistics.median(samples), samples[int(len(samples) * 0.95) - 1], len(ctx)

        base = measure(f"/examens/{small.pk}/")
        full = measure(f"/examens/{big.pk}/")
        print(
            f"deliberation page, 500 candidates: median {full[0]:.0f} ms, p95 {full[1]:.0f} ms, {full[2]} queries "
            f"(50 candidates: median {base[0]:.0f} ms, {base[2]} queries; ratio {full[0] / base[0]:.1f}×)  goal p95 < 300 ms"
        )
        # A titre professionnel session: the jury's decisions CCP by CCP, same sizes.
        from livret.exams.models import CcpResult

        tp = Referentiel.objects.filter(diploma__slug="tp-operateur-videoprotection").latest(
            "version"
        )

        def titre_session(size, year):
            s = ExamSession.objects.create(
                referentiel=tp, organiser=org, year=year, name=f"Titre {size}"
            )
            cands = Candidate.objects.bulk_create(
                Candidate(session=s, number=f"{year}{i:05d}", first_name=f"P{i}", last_name=f"N{i}")
                for i in range(size)
            )
            CcpResult.objects.bulk_create(
                CcpResult(
                    candidate=c,
                    ccp=ccp,
                    decision=rng.choice(["acquis", "acquis", "non_acquis"]),
                    entered_by=admin,
                )
                for c in cands
                for ccp in ("CCP1", "CCP2")
            )
            return s

        t_small, t_big = titre_session(50, 2026), titre_session(500, 2027)
        base = measure(f"/examens/{t_small.pk}/")
        full = measure(f"/examens/{t_big.pk}/")
        print(
            f"titre pro session page, 500 candidates: median {full[0]:.0f} ms, p95 {full[1]:.0f} ms, {full[2]} queries "
            f"(50 candidates: median {base[0]:.0f} ms, {base[2]} queries; ratio {full[0] / base[0]:.1f}×)  goal p95 < 300 ms"
        )
    finally:
        connection.creation.destroy_test_db(old, verbosity=0)


if __name__ == "__main__":
    engine_figures()
    titre_figures()
    family_figures()
    page_figures()
