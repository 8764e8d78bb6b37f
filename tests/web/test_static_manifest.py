"""Issue 26, item 8: in production (STATIC_ROOT set), `livret setup` collects the static files
under hashed names, pages link to those, and whitenoise serves them compressed with a year of
cache; the demo (no STATIC_ROOT) still serves from the apps' folders without that step."""

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]

PROBE = """
import django
django.setup()
from django.templatetags.static import static
from django.test import Client
url = static("web/livret.js")
print(url)
response = Client().get(url, HTTP_ACCEPT_ENCODING="gzip, br")
print(response.status_code, response.headers.get("Cache-Control"), response.headers.get("Content-Encoding"), sep="|")
"""


def probe(env):
    out = subprocess.run(
        [sys.executable, "-c", PROBE],
        env=env,
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert out.returncode == 0, out.stderr
    return out.stdout.split("\n")


def test_production_static_files_have_hashed_names_and_far_future_caching(tmp_path):
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "livret.settings",
        "DATABASE_URL": f"sqlite:///{tmp_path / 'static.sqlite3'}",
        "STATIC_ROOT": str(tmp_path / "static"),
        "ALLOWED_HOSTS": "testserver",
    }
    setup = subprocess.run(
        [sys.executable, "-m", "livret", "setup"],
        env=env,
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert setup.returncode == 0, setup.stderr
    assert "Fichiers statiques rassemblés" in setup.stdout
    url, served, _ = probe(env)
    name = url.rsplit("/", 1)[1]
    assert name.startswith("livret.") and name.endswith(".js") and name != "livret.js", url
    status, cache, encoding = served.split("|")
    assert status == "200" and "max-age=315360000" in cache and "immutable" in cache
    assert encoding in ("br", "gzip")


def test_the_demo_serves_static_files_without_collecting_them(tmp_path):
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "livret.settings",
        "DATABASE_URL": f"sqlite:///{tmp_path / 'demo.sqlite3'}",
        "ALLOWED_HOSTS": "testserver",
    }
    env.pop("STATIC_ROOT", None)
    url, served, _ = probe(env)
    assert url == "/static/web/livret.js"
    assert served.split("|")[0] == "200"
