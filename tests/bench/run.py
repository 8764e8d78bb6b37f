"""`make bench`: figures for the référentiel engine and pages, measured in this run.

Prints medians and p95 in milliseconds, and ratios against a baseline measured in the same run
(the small titre pro for pages, the same file for the validator). Not a test: nothing asserts here.
"""

from __future__ import annotations

import os
import statistics
import time

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "livret.settings")
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

import django  # noqa: E402

django.setup()

from django.conf import settings  # noqa: E402
from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext, setup_test_environment  # noqa: E402


def timed(fn, runs):
    samples = []
    for _ in range(runs):
        start = time.perf_counter()
        fn()
        samples.append((time.perf_counter() - start) * 1000)
    samples.sort()
    return statistics.median(samples), samples[max(0, int(len(samples) * 0.95) - 1)]


def main() -> None:
    from livret.referentiels.loader import default_files, load_files
    from livret.referentiels.validator import validate_file

    setup_test_environment()
    old_name = connection.settings_dict["NAME"]
    test_db = connection.creation.create_test_db(verbosity=0, autoclobber=True)
    try:
        files = {p.name.split("_")[0]: str(p) for p in default_files()}
        print(f"database: {connection.vendor} ({test_db})")
        base_med, _ = timed(lambda: validate_file(files["tp-operateur-videoprotection"]), 50)
        med, p95 = timed(lambda: validate_file(files["bts-mos"]), 50)
        print(
            f"validate bts-mos: median {med:.1f} ms, p95 {p95:.1f} ms ({med / base_med:.1f}× the titre pro file)"
        )

        start = time.perf_counter()
        load_files(default_files())
        print(f"load 5 référentiels (first time): {(time.perf_counter() - start) * 1000:.0f} ms")
        med, p95 = timed(lambda: load_files(default_files()), 10)
        print(f"reload 5 référentiels (unchanged, no write): median {med:.0f} ms")

        from django.contrib.auth import get_user_model

        user = get_user_model().objects.create_user("bench", password="x" * 16)
        client = Client()
        client.force_login(user)
        for name in ("", "blocs/", "epreuves/"):
            small = f"/referentiels/tp-operateur-videoprotection/{name}"
            big = f"/referentiels/bts-mos/{name}"
            base, _ = timed(lambda u=small: client.get(u), 30)
            med, p95 = timed(lambda u=big: client.get(u), 30)
            with CaptureQueriesContext(connection) as ctx:
                client.get(big)
            print(
                f"page {big}: median {med:.1f} ms, p95 {p95:.1f} ms, {len(ctx)} queries ({med / base:.1f}× the titre pro page)"
            )
        for q in ("A1.2C3", "palpation"):
            med, p95 = timed(lambda q=q: client.get("/referentiels/recherche/", {"q": q}), 30)
            print(f"search {q!r}: median {med:.1f} ms, p95 {p95:.1f} ms")
    finally:
        connection.creation.destroy_test_db(old_name, verbosity=0)
        settings.DATABASES["default"]["NAME"] = old_name


if __name__ == "__main__":
    main()
