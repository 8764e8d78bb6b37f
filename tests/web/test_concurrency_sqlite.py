"""The embedded default holds concurrent use: `livret serve` on the demo's SQLite file (gunicorn's
workers, the task worker and the scheduler all writing to it) answers writers racing each other —
logins, evaluations, badges issued right after the manager's first page, the centre's archive, an
import — with no 5xx and no « database is locked ».

Separate processes on one file, as `make run` has them: the server is the real one, the clients
are threads of this test speaking HTTP."""

import datetime
import json
import os
import re
import subprocess
import sys
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest
import requests

from tests.web.test_serving import free_port

ROOT = Path(__file__).resolve().parents[2]
PASSWORD = "livret-demo-2026"  # livret.ops.demo.DEMO_PASSWORD, typed as a user would
LEARNERS = 4  # each: a trainer evaluates a bloc, the manager opens his home and issues its badge

# The ids the clients need, read from the served database by a separate process.
IDS = """
import json
from django.contrib.auth import get_user_model
from livret.people.models import Learner
from livret.referentiels.models import Bloc
users = get_user_model().objects
centre = users.get(username="responsable").profile.organisation
trainer = users.get(username="formateur")
out = []
for learner in Learner.objects.filter(centre=centre, cohort__trainers=trainer).order_by("pk"):
    bloc = (
        Bloc.objects.filter(referentiel=learner.cohort.referentiel, competences__isnull=False)
        .order_by("pk")
        .first()
    )
    if bloc:
        competences = sorted(bloc.competences.values_list("pk", flat=True))
        out.append({"learner": learner.pk, "bloc": bloc.pk, "competences": competences})
print(json.dumps(out))
"""


@pytest.fixture
def demo(tmp_path):
    env = {
        **os.environ,
        # Always the embedded default, whatever database the rest of the suite runs on.
        "DATABASE_URL": f"sqlite:///{tmp_path / 'livret.sqlite3'}",
        "LIVRET_VAR_DIR": str(tmp_path / "var"),
        "MEDIA_ROOT": str(tmp_path / "media"),
        "DJANGO_SETTINGS_MODULE": "livret.settings",
    }
    livret = [sys.executable, "-m", "livret"]
    subprocess.run(
        [*livret, "setup", "--demo"], env=env, check=True, capture_output=True, timeout=300
    )
    ids = subprocess.run(
        [sys.executable, "-c", "import django; django.setup(); exec(open(0).read())"],
        input=IDS,
        env=env,
        check=True,
        capture_output=True,
        text=True,
        timeout=60,
    )
    port = free_port()
    log = open(tmp_path / "serve.log", "w+")  # noqa: SIM115 - read back after the run
    process = subprocess.Popen(
        [*livret, "serve", "--port", str(port), "--workers", "3"],
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
        cwd=ROOT,
    )
    base = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 60
    while True:
        try:
            requests.get(base + "/connexion/", timeout=5)
            break
        except requests.RequestException:
            assert time.monotonic() < deadline and process.poll() is None, (
                "the server never answered"
            )
            time.sleep(0.3)
    yield base, json.loads(ids.stdout)[:LEARNERS], log
    process.terminate()
    process.wait(timeout=30)
    log.close()


class Client:
    """One person's browser: a session cookie, the CSRF token, every answer's status recorded."""

    def __init__(self, base, seen):
        self.base, self.seen, self.http = base, seen, requests.Session()

    def _record(self, response):
        self.seen.append((response.request.method, response.url, response.status_code))
        return response

    def get(self, path, **kw):
        return self._record(self.http.get(self.base + path, timeout=60, **kw))

    def post(self, path, data=None, **kw):
        data = {**(data or {}), "csrfmiddlewaretoken": self.http.cookies.get("csrftoken", "")}
        headers = {"Referer": self.base + path}
        return self._record(
            self.http.post(self.base + path, data=data, headers=headers, timeout=60, **kw)
        )

    def login(self, username):
        self.get("/connexion/")
        r = self.post(
            "/connexion/", {"username": username, "password": PASSWORD}, allow_redirects=False
        )
        assert r.status_code == 302, (username, r.status_code)
        return self

    def job(self, response):
        """Follow the job a POST started until the real worker has finished it."""
        assert response.status_code == 302, response.status_code
        path = re.sub(r"^https?://[^/]+", "", response.headers["Location"])
        deadline = time.monotonic() + 90
        while not (state := self.get(path + "etat/").json())["finished"]:
            assert time.monotonic() < deadline, "the worker never finished the job"
            time.sleep(0.2)
        return path, state


def test_the_served_demo_answers_concurrent_writers_without_a_5xx(demo):
    base, learners, log = demo
    seen: list[tuple[str, str, int]] = []
    assert len(learners) == LEARNERS

    def badge(target):
        # The trainer acquires every competence of the bloc, one evaluation after another...
        trainer = Client(base, seen).login("formateur")
        today = datetime.date.today().isoformat()  # after the demo's own evaluations
        for competence in target["competences"]:
            r = trainer.post(
                f"/livrets/{target['learner']}/competences/{competence}/evaluer/",
                {"level": "acquired", "observed_on": today, "context": "course"},
                allow_redirects=False,
            )
            assert r.status_code == 302, r.status_code  # recorded, back to the livret
        # ... and the manager, his first page just answered, issues the badge.
        manager = Client(base, seen).login("responsable")
        manager.get("/")
        page = manager.post(f"/livrets/{target['learner']}/badges/{target['bloc']}/emettre/")
        return page.status_code, "émis pour" in page.text

    def archive():
        manager = Client(base, seen).login("responsable")
        manager.get("/")
        return manager.job(manager.post("/centre/archive/", allow_redirects=False))[1]["status"]

    def imports():
        manager = Client(base, seen).login("responsable")
        response = manager.post(
            "/imports/",
            {"kind": "entreprises"},
            files={"file": ("e.csv", b"nom;ville;siret\nGardiennage du Val;Creteil;\n")},
            allow_redirects=False,
        )
        path, state = manager.job(response)
        # Its parameters were all there when the worker took it: the page leads to the preview.
        return state["status"], "Voir le résultat" in manager.get(path).text

    def logins():
        for username in ("apprenti", "tuteur", "examens", "formateur-lycee", "tuteur-lycee") * 2:
            Client(base, seen).login(username).get("/")
        return "ok"

    with ThreadPoolExecutor(max_workers=LEARNERS + 3) as pool:
        badges = [pool.submit(badge, target) for target in learners]
        others = [pool.submit(archive), pool.submit(imports), pool.submit(logins)]
        results = [f.result(timeout=150) for f in badges + others]

    errors = [s for s in seen if s[2] >= 500]
    log.seek(0)
    server_log = log.read()
    assert not errors, errors
    assert "database is locked" not in server_log, server_log[-3000:]
    assert results[:LEARNERS] == [(200, True)] * LEARNERS  # every badge issued
    assert results[LEARNERS:] == ["done", ("done", True), "ok"]
    assert len(seen) > 100  # every answer counted above
