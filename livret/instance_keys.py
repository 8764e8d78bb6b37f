"""The instance's own secrets: Django's secret key and the key-encryption key of the signing keys.

Read by settings.py before Django is set up, so this module imports nothing of Django. A secret
comes from the environment (`SECRET_KEY`, `LIVRET_KEY_ENCRYPTION_KEY`), from a file the operator
names (`SECRET_KEY_FILE`, `LIVRET_KEY_ENCRYPTION_KEY_FILE`: a mounted secret, a key store's
agent), or from the file `make run` generates once under var/ (outside the repository) for a demo.
No key is ever written in the source: the server refuses to start with a missing, short or known
one (`problems`).
"""

from __future__ import annotations

import base64
import os
import secrets
from pathlib import Path

SECRET_KEY_MIN_LENGTH = 50  # Django's own check (security.W009) asks the same
SECRET_KEY_MIN_UNIQUE = 5

# Keys that were once written in this repository or its documentation: public, hence forgeable.
KNOWN_SECRET_KEYS = frozenset(
    {
        "django-insecure-livret-demo-key-change-me",
        "k3y-" + "x7Qp9Lm2Vz8Rt4Wc6Yb1Nd5Hf0Js3Ga" * 2,  # the production example of the tests
    }
)

DEMO_SECRET_KEY_FILE = "secret-key"
DEMO_KEK_FILE = "key-encryption-key"


def read_secret(environ, name: str, default_file: Path | None = None) -> str:
    """The secret `name` from the environment, else from the file `name`_FILE names, else from
    `default_file` when it exists; '' when none gives it."""
    if name in environ:
        # Set, even empty, the environment decides: SECRET_KEY= means no key.
        return environ[name].strip()
    path = environ.get(f"{name}_FILE", "").strip()
    if path:
        # The operator named this file: its absence is a configuration error, not a fallback.
        return Path(path).read_text(encoding="utf-8").strip()
    if default_file is not None and default_file.is_file():
        return default_file.read_text(encoding="utf-8").strip()
    return ""


def var_dir(base_dir: Path, environ=os.environ) -> Path:
    """Where the instance keeps its local state (demo database, files, demo keys): var/ beside
    the code unless LIVRET_VAR_DIR says otherwise; never inside the repository's tracked files."""
    return Path(environ.get("LIVRET_VAR_DIR") or base_dir / "var")


def secret_key_problem(key: str, what: str = "SECRET_KEY") -> str | None:
    """Why this key may not sign sessions and password-reset links, or None."""
    if not key:
        return (
            f"{what} manquante : définissez la variable d'environnement {what} "
            f"(ou {what}_FILE, le chemin d'un fichier qui la contient)"
        )
    if key in KNOWN_SECRET_KEYS or key.startswith("django-insecure-"):
        return (
            f"{what} connue : elle figure dans le code source ou la documentation, "
            "n'importe qui peut forger sessions et liens de réinitialisation"
        )
    if len(key) < SECRET_KEY_MIN_LENGTH or len(set(key)) < SECRET_KEY_MIN_UNIQUE:
        return (
            f"{what} trop courte ({len(key)} caractères ; {SECRET_KEY_MIN_LENGTH} au moins, "
            f"dont {SECRET_KEY_MIN_UNIQUE} différents)"
        )
    return None


def kek_problem(kek: str) -> str | None:
    """Why this key-encryption key may not protect the signing keys, or None."""
    if not kek:
        return (
            "LIVRET_KEY_ENCRYPTION_KEY manquante : la clé qui chiffre les clés de signature des "
            "badges (32 octets aléatoires en base64url) ; `make run` en crée une pour la démo"
        )
    try:
        raw = base64.urlsafe_b64decode(kek + "=" * (-len(kek) % 4))
    except ValueError:
        raw = b""
    if len(raw) < 32:
        return "LIVRET_KEY_ENCRYPTION_KEY invalide : 32 octets aléatoires au moins, en base64url"
    return None


def problems(secret_key: str, fallbacks: list[str], kek: str) -> list[str]:
    """Every reason the configured secrets may not serve, all at once."""
    found = [secret_key_problem(secret_key)]
    found += [secret_key_problem(k, "SECRET_KEY_FALLBACKS") for k in fallbacks]
    found.append(kek_problem(kek))
    return [p for p in found if p]


def settings_problems(settings) -> list[str]:
    """`problems` of Django's configured settings (read raw: an empty SECRET_KEY raises on access)."""
    return problems(
        settings._wrapped.SECRET_KEY,
        settings.SECRET_KEY_FALLBACKS,
        settings.KEY_ENCRYPTION_KEY or "",
    )


def new_secret_key() -> str:
    return secrets.token_urlsafe(64)


def new_kek() -> str:
    return base64.urlsafe_b64encode(secrets.token_bytes(32)).decode().rstrip("=")


def ensure_demo_keys(var_dir: Path, environ=os.environ) -> list[Path]:
    """Create, once, the demo instance's secret key and key-encryption key under var/ (readable
    by their owner only), unless the environment gives them. Returns the files created."""
    var_dir.mkdir(parents=True, exist_ok=True)
    # It also holds the demo's database (password hashes) and files: its owner's only.
    var_dir.chmod(0o700)
    created = []
    for name, env, make in (
        (DEMO_SECRET_KEY_FILE, "SECRET_KEY", new_secret_key),
        (DEMO_KEK_FILE, "LIVRET_KEY_ENCRYPTION_KEY", new_kek),
    ):
        path = var_dir / name
        if environ.get(env) or environ.get(f"{env}_FILE") or path.exists():
            continue
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(fd, "w", encoding="utf-8") as fh:
            fh.write(make() + "\n")
        created.append(path)
    return created
