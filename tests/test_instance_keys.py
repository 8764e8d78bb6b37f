"""No process serves with a key written in the source (issue 21, item 1).

The attack: the instance ran with the secret key written in livret/settings.py, so whoever read a
password hash computed a password-reset link offline. Now `livret serve` and gunicorn refuse to
start with a missing, short or known key — HTTPS or not — and `make run` makes its own random keys.
"""

import os
import stat
import subprocess
import sys
from pathlib import Path

import pytest
from django.contrib.auth.tokens import PasswordResetTokenGenerator

from livret import instance_keys

ROOT = Path(__file__).resolve().parent.parent
GOOD_KEY = instance_keys.new_secret_key()
GOOD_KEK = instance_keys.new_kek()


def run(args, tmp_path, **env):
    full = {
        k: v
        for k, v in os.environ.items()
        if not k.startswith(("SECRET_KEY", "LIVRET_KEY_ENCRYPTION_KEY"))
    }
    full.update(
        {
            "DATABASE_URL": f"sqlite:///{tmp_path / 'keys.sqlite3'}",
            "LIVRET_VAR_DIR": str(tmp_path / "var"),
            "DJANGO_SETTINGS_MODULE": "livret.settings",
        }
    )
    full.update(env)
    return subprocess.run(
        [sys.executable, *args], cwd=ROOT, env=full, capture_output=True, text=True, timeout=120
    )


def serve(tmp_path, **env):
    # A free port is not needed: a refused start never binds one.
    return run(["-m", "livret", "serve", "--port", "8799", "--no-worker"], tmp_path, **env)


@pytest.mark.parametrize("https", ["0", "1"])
@pytest.mark.parametrize(
    ("key", "said"),
    [
        ("", "SECRET_KEY manquante"),
        ("django-insecure-livret-demo-key-change-me", "SECRET_KEY connue"),
        ("k3y-" + "x7Qp9Lm2Vz8Rt4Wc6Yb1Nd5Hf0Js3Ga" * 2, "SECRET_KEY connue"),
        ("django-insecure-" + "a1b2c3d4e5" * 6, "SECRET_KEY connue"),
        ("trop-courte-1234", "SECRET_KEY trop courte (16 caractères"),
        ("ab" * 40, "SECRET_KEY trop courte"),  # 80 characters, 2 different
    ],
)
def test_serve_refuses_a_missing_short_or_known_key_whatever_https_says(tmp_path, key, said, https):
    result = serve(
        tmp_path,
        SECRET_KEY=key,
        LIVRET_KEY_ENCRYPTION_KEY=GOOD_KEK,
        HTTPS=https,
        ALLOWED_HOSTS="livret.example.org",
    )
    assert result.returncode == 2, result.stdout + result.stderr
    assert said in result.stderr
    assert "Livret est prêt" not in result.stdout  # nothing ever listened


def test_serve_refuses_without_key_encryption_key_and_names_every_problem_at_once(tmp_path):
    result = serve(tmp_path, SECRET_KEY="", SECRET_KEY_FALLBACKS="django-insecure-old")
    assert result.returncode == 2
    assert "SECRET_KEY manquante" in result.stderr
    assert "SECRET_KEY_FALLBACKS connue" in result.stderr
    assert "LIVRET_KEY_ENCRYPTION_KEY manquante" in result.stderr


def test_gunicorn_started_by_hand_refuses_the_same_keys(tmp_path):
    # gunicorn imports livret.wsgi in each worker: the import itself refuses.
    bad = run(["-c", "import livret.wsgi"], tmp_path, SECRET_KEY="", LIVRET_KEY_ENCRYPTION_KEY="")
    assert bad.returncode != 0
    assert "Livret ne démarre pas" in bad.stderr and "SECRET_KEY manquante" in bad.stderr
    good = run(
        ["-c", "import livret.wsgi"],
        tmp_path,
        SECRET_KEY=GOOD_KEY,
        LIVRET_KEY_ENCRYPTION_KEY=GOOD_KEK,
    )
    assert good.returncode == 0, good.stderr


def test_the_demo_makes_its_own_random_keys_once_outside_the_repository(tmp_path):
    var = tmp_path / "var"
    created = instance_keys.ensure_demo_keys(var, environ={})
    assert sorted(p.name for p in created) == ["key-encryption-key", "secret-key"]
    for path in created:
        assert stat.S_IMODE(path.stat().st_mode) == 0o600  # its owner's only
    assert stat.S_IMODE(var.stat().st_mode) == 0o700  # the database and files beside them too
    key = (var / "secret-key").read_text().strip()
    kek = (var / "key-encryption-key").read_text().strip()
    assert instance_keys.secret_key_problem(key) is None
    assert instance_keys.kek_problem(kek) is None
    # Kept: a second run changes nothing (sessions and encrypted keys stay readable).
    assert instance_keys.ensure_demo_keys(var, environ={}) == []
    assert (var / "secret-key").read_text().strip() == key
    # Another instance gets other keys.
    instance_keys.ensure_demo_keys(tmp_path / "other", environ={})
    assert (tmp_path / "other" / "secret-key").read_text().strip() != key
    # The settings read them when the environment gives none…
    shown = run(
        [
            "-c",
            "from django.conf import settings as s; print(s.SECRET_KEY == open(s.VAR_DIR / 'secret-key').read().strip(), s.KEY_ENCRYPTION_KEY == open(s.VAR_DIR / 'key-encryption-key').read().strip())",
        ],
        tmp_path,
    )
    assert shown.stdout.split() == ["True", "True"], shown.stderr
    # … and `livret serve` accepts them.
    assert instance_keys.problems(key, [], kek) == []


def test_setup_demo_creates_the_keys_before_the_settings_read_them(tmp_path):
    # `make run` is `livret setup --demo` then `livret serve`: the keys exist for both. Only the
    # key step is run here (setup's database work is covered by the serving tests).
    result = run(
        [
            "-c",
            "import sys; from livret import cli; sys.argv=['livret']; "
            "cli._django = lambda: sys.exit(0); "
            "cli.main(['setup', '--demo'])",
        ],
        tmp_path,
    )
    assert result.returncode == 0, result.stderr
    assert "Clé aléatoire de la démo créée" in result.stdout
    assert (tmp_path / "var" / "secret-key").is_file()
    assert (tmp_path / "var" / "key-encryption-key").is_file()


def test_keys_rotate_with_secret_key_fallbacks(tmp_path, settings, django_user_model, db):
    # A password-reset link signed with the old key still opens after rotation while the old key
    # stays in SECRET_KEY_FALLBACKS, and no longer once it is removed.
    user = django_user_model.objects.create_user("rotation", password="x" * 14)
    old, new = instance_keys.new_secret_key(), instance_keys.new_secret_key()
    settings.SECRET_KEY = old
    token = PasswordResetTokenGenerator().make_token(user)
    settings.SECRET_KEY, settings.SECRET_KEY_FALLBACKS = new, [old]
    assert PasswordResetTokenGenerator().check_token(user, token)
    settings.SECRET_KEY_FALLBACKS = []
    assert not PasswordResetTokenGenerator().check_token(user, token)
    # The environment's comma-separated list is what the settings read.
    listed = run(
        ["-c", "from django.conf import settings as s; print(len(s.SECRET_KEY_FALLBACKS))"],
        tmp_path,
        SECRET_KEY=new,
        SECRET_KEY_FALLBACKS=f"{old}, {instance_keys.new_secret_key()}",
    )
    assert listed.stdout.strip() == "2", listed.stderr


def test_no_secret_key_is_written_in_the_source():
    settings_source = (ROOT / "livret" / "settings.py").read_text()
    assert "django-insecure-livret-demo-key-change-me" not in settings_source
    assert "SECRET_KEY = os.environ.get" not in settings_source


def test_generated_files_are_readable_by_the_service_only(user, settings, tmp_path):
    # Found by the review of issue 21: a centre's archive (all its personal data) was written
    # 0644 under var/media, readable by any local account.
    from livret.jobs.models import Job
    from livret.jobs.runner import save_file

    settings.MEDIA_ROOT = tmp_path / "media"
    job = Job.objects.create(kind="centre_archive", title="Archive", requested_by=user)
    save_file(job, "archive.json", b"{}")
    job.save()
    path = Path(job.file.path)
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert stat.S_IMODE(path.parent.stat().st_mode) == 0o700
