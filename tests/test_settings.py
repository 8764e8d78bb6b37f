"""Settings come from the environment; production variables give a clean `check --deploy`."""

import os
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def manage(*args, **env):
    full_env = {
        k: v
        for k, v in os.environ.items()
        if k not in {"DEBUG", "SECRET_KEY", "ALLOWED_HOSTS", "HTTPS", "DJANGO_ALLOW_ASYNC_UNSAFE"}
    }
    # Hermetic: no key from the developer's var/ (SECRET_KEY set, even empty, decides).
    full_env.update(
        {"SECRET_KEY": "", "LIVRET_VAR_DIR": tempfile.mkdtemp(prefix="livret-settings-")}
    )
    full_env.update(env)
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env=full_env,
        capture_output=True,
        text=True,
        timeout=120,
    )


PRODUCTION = {
    "DEBUG": "0",
    "HTTPS": "1",
    "SECRET_KEY": "k3y-" + "x7Qp9Lm2Vz8Rt4Wc6Yb1Nd5Hf0Js3Ga" * 2,
    "ALLOWED_HOSTS": "livret.example.org",
}


def test_check_deploy_is_clean_with_production_variables():
    result = manage("check", "--deploy", "--fail-level", "WARNING", **PRODUCTION)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


def test_check_deploy_flags_the_demo_defaults():
    result = manage("check", "--deploy", "--fail-level", "WARNING")
    assert result.returncode != 0
    assert "security.W009" in result.stderr  # the demo SECRET_KEY
    assert "security.W008" in result.stderr  # no HTTPS redirect


def test_bad_boolean_is_named():
    result = manage("check", DEBUG="peut-être")
    assert result.returncode != 0 and "DEBUG doit valoir" in result.stderr


def test_demo_mails_are_files_the_owner_alone_reads():
    """Without EMAIL_BACKEND, a mail is written under var/courriels/ (owner-only, like var/), not
    printed into the server's log with the one-time links it carries."""
    var = Path(tempfile.mkdtemp(prefix="livret-mails-")) / "var"
    env = {k: v for k, v in os.environ.items() if not k.startswith("EMAIL_")}
    env.update({"LIVRET_VAR_DIR": str(var), "DJANGO_SETTINGS_MODULE": "livret.settings"})
    code = (
        "import django; django.setup()\n"
        "from django.core.mail import send_mail\n"
        "send_mail('Choisir votre mot de passe', 'https://x/#code-secret', 'a@b.fr', ['c@d.fr'])\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], cwd=ROOT, env=env, capture_output=True, text=True
    )
    assert result.returncode == 0, result.stderr
    assert "code-secret" not in result.stdout + result.stderr
    [sent] = list((var / "courriels").iterdir())
    assert "code-secret" in sent.read_text()
    assert (var / "courriels").stat().st_mode & 0o077 == 0
    assert var.stat().st_mode & 0o077 == 0
