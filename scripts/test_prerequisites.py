"""What `make test` needs before the suite starts, checked in seconds rather than failing at the end.

    python scripts/test_prerequisites.py chromium   a Chromium for the browser tests: Debian's
        (/usr/bin/chromium), else Playwright's own; if neither, get one — Debian's package when
        this user may install packages (root, or sudo without a password), else Playwright's
        download — or stop at once with the one command to run.
    python scripts/test_prerequisites.py postgres URL   exit 0 if PostgreSQL answers at URL.

Only the standard library and the venv's own packages: it runs before anything else.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

DEBIAN = Path("/usr/bin/chromium")  # what tests/browser/conftest.py drives first


def playwright_chromium() -> Path | None:
    """Playwright's own Chromium, if `playwright install chromium` has put it in place."""
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        return None
    with sync_playwright() as p:
        path = Path(p.chromium.executable_path)
    return path if path.exists() else None


def usable() -> Path | None:
    if DEBIAN.exists() and os.access(DEBIAN, os.X_OK):
        return DEBIAN
    return playwright_chromium()


def run(command: list[str]) -> bool:
    print("+ " + " ".join(command), flush=True)
    env = {**os.environ, "DEBIAN_FRONTEND": "noninteractive"}
    return subprocess.run(command, env=env).returncode == 0


def may_install_packages() -> list[str] | None:
    """The prefix that installs Debian packages as this user ([] as root), or None."""
    if not shutil.which("apt-get"):
        return None
    if os.geteuid() == 0:
        return []
    sudo = shutil.which("sudo")
    if sudo and subprocess.run([sudo, "-n", "true"], capture_output=True).returncode == 0:
        return [sudo, "-n"]
    return None


def chromium() -> int:
    if found := usable():
        print(f"Chromium des tests navigateur : {found}")
        return 0
    prefix = may_install_packages()
    fix = f"{sys.executable} -m playwright install chromium"
    if prefix is not None:
        print("Chromium manquant pour les tests navigateur : paquet Debian.", flush=True)
        fix = " ".join([*(["sudo"] if prefix else []), "apt-get", "install", "-y", "chromium"])
        if (
            run([*prefix, "apt-get", "update", "-q"])
            and run([*prefix, "apt-get", "install", "-y", "-q", "chromium"])
            and (found := usable())
        ):
            print(f"Chromium des tests navigateur : {found}")
            return 0
    # Not allowed to install packages, or no Debian package here: Playwright's own build.
    print("Chromium manquant pour les tests navigateur : téléchargement Playwright.", flush=True)
    if run([sys.executable, "-m", "playwright", "install", "chromium"]) and (found := usable()):
        print(f"Chromium des tests navigateur : {found}")
        return 0
    print(
        "\nLes tests navigateur ont besoin de Chromium, qui n'a pas pu être installé.\n"
        f"Lancez :  {fix}\n"
        "puis relancez make test (ou, sans les tests navigateur : "
        "make test PYTEST_ARGS='-m \"not browser\"').",
        file=sys.stderr,
    )
    return 1


def postgres(url: str) -> int:
    """0 if a connection to PostgreSQL at this URL opens within two seconds."""
    try:
        import dj_database_url
        import psycopg
    except ImportError:
        return 1
    db = dj_database_url.parse(url)
    try:
        psycopg.connect(
            host=db["HOST"] or "127.0.0.1",
            port=db["PORT"] or 5432,
            user=db["USER"] or None,
            password=db["PASSWORD"] or None,
            dbname="postgres",  # the test database is created by the tests themselves
            connect_timeout=2,
        ).close()
    except psycopg.Error:
        return 1
    return 0


if __name__ == "__main__":
    what = sys.argv[1] if len(sys.argv) > 1 else ""
    if what == "chromium":
        sys.exit(chromium())
    if what == "postgres" and len(sys.argv) == 3:
        sys.exit(postgres(sys.argv[2]))
    sys.exit(__doc__)
