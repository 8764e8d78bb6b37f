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
