"""`livret serve` is a production server: gunicorn, static files, the security headers."""

import os
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture
def server(tmp_path):
    env = {
        **os.environ,
        "DATABASE_URL": f"sqlite:///{tmp_path / 'serve.sqlite3'}",
        "MEDIA_ROOT": str(tmp_path / "media"),
    }
    env.pop("SITE_URL", None)  # as on a fresh machine: `livret serve` decides it
    livret = [sys.executable, "-m", "livret"]
    subprocess.run([*livret, "setup"], env=env, check=True, capture_output=True, timeout=300)
    port = free_port()
    process = subprocess.Popen(
        [*livret, "serve", "--port", str(port), "--workers", "2"],
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        cwd=ROOT,
    )
    base = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        try:
            urllib.request.urlopen(base + "/connexion/", timeout=2)
            break
        except OSError:
            time.sleep(0.3)
    yield base, env
    process.terminate()
    assert process.wait(timeout=30) == 0  # gunicorn and the worker stop cleanly


def get(url):
    with urllib.request.urlopen(url, timeout=10) as response:
        return response.status, dict(response.headers), response.read()


def test_serve_answers_through_gunicorn_with_static_files_and_csp(server):
    server, _ = server
    status, headers, body = get(server + "/connexion/")
    assert status == 200 and "Connexion" in body.decode()
    # Not Django's development server (its header is "WSGIServer/… CPython/…").
    assert headers["Server"] == "gunicorn"
    csp = headers["Content-Security-Policy"]
    assert "script-src 'self'" in csp and "unsafe-inline" not in csp.split("style-src")[0]
    assert "frame-ancestors 'none'" in csp and "object-src 'none'" in csp
    assert headers["X-Content-Type-Options"] == "nosniff"
    status, headers, body = get(server + "/static/web/livret.js")
    assert status == 200 and headers["Server"] == "gunicorn"
    assert b"data-autosubmit" in body
    # Every script of the page comes from a file: nothing inline for the CSP to refuse.
    page = get(server + "/connexion/")[2].decode()
    assert "<script>" not in page and " onclick=" not in page and " onchange=" not in page


# Asked for as a page would (a Job row, its task enqueued), then read back, in separate processes.
ENQUEUE = """
from django.contrib.auth import get_user_model
from livret.jobs.models import Job
from livret.jobs.tasks import run_job
user = get_user_model().objects.create_user("exam-office")
job = Job.objects.create(kind="session_documents", title="PV", requested_by=user, params={"session": 0})
run_job.enqueue(str(job.pk))
print(job.pk)
"""
READ = """
import sys
from livret.jobs.models import Job
job = Job.objects.get(pk=sys.argv[1])
print(job.status + "|" + job.error)
"""


def test_serve_starts_a_worker_that_runs_the_background_jobs(server):
    _, env = server
    django = [sys.executable, "-c", "import django; django.setup(); exec(open(0).read())"]
    env = {**env, "DJANGO_SETTINGS_MODULE": "livret.settings"}

    def python(code, *args):
        out = subprocess.run(
            [*django, *args], input=code, env=env, capture_output=True, text=True, check=True
        )
        return out.stdout.strip()

    job = python(ENQUEUE)
    deadline = time.monotonic() + 30
    while (state := python(READ, job)).startswith(("queued", "running")):
        assert time.monotonic() < deadline, "no worker picked the job up"
        time.sleep(0.3)
    # The session does not exist for this user: the job fails, and says why in French.
    assert state == "failed|Vous n'avez plus accès à cette session : aucun document imprimé."


PUBLISH_KEY = """
from livret.credentials import services
from livret.people.models import Organisation
centre = Organisation.objects.create(name="CFA du port", kind="centre")
services.active_key(centre)
print(centre.pk)
"""


def test_links_follow_the_port_served_when_no_site_url_is_set(server):
    # `make run PORT=…` must not send e-mails and badges pointing at another port (8000).
    base, env = server
    assert "SITE_URL" not in env
    django = [sys.executable, "-c", "import django; django.setup(); exec(open(0).read())"]
    env = {**env, "DJANGO_SETTINGS_MODULE": "livret.settings"}
    out = subprocess.run(django, input=PUBLISH_KEY, env=env, capture_output=True, text=True)
    assert out.returncode == 0, out.stderr
    status, _, body = get(f"{base}/badges/emetteurs/{out.stdout.strip()}")
    assert status == 200
    assert f'"{base}/badges/emetteurs/' in body.decode()
