import os

import pytest
from django.conf import settings

from livret.instance_keys import new_kek, new_secret_key
from livret.referentiels.loader import default_files, load_files

# The run's own secrets: random, written nowhere, handed to the servers and commands the tests
# start (they inherit the environment). Nothing in the source is a key.
os.environ.setdefault("SECRET_KEY", new_secret_key())
os.environ.setdefault("LIVRET_KEY_ENCRYPTION_KEY", new_kek())
settings.SECRET_KEY = os.environ["SECRET_KEY"]
settings.KEY_ENCRYPTION_KEY = os.environ["LIVRET_KEY_ENCRYPTION_KEY"]

# The two-centre world of the livret, periods and exam tests.
pytest_plugins = ["tests.world", "tests.mailbox"]

DEMO_PASSWORD = "mot-de-passe-de-test-2026"


@pytest.fixture
def referentiels(db):
    """Every shipped référentiel, loaded."""
    return load_files(default_files())


@pytest.fixture
def user(db, django_user_model):
    return django_user_model.objects.create_user(
        "formateur", password=DEMO_PASSWORD, first_name="Fanny", last_name="Formatrice"
    )


@pytest.fixture
def logged_client(client, user):
    client.force_login(user)
    return client


@pytest.fixture
def referentiel_dir():
    return settings.REFERENTIEL_DIR


@pytest.fixture(autouse=True)
def fast_password_hashing(settings):
    # PBKDF2's deliberate slowness is for attackers, not for test fixtures creating a dozen users.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
