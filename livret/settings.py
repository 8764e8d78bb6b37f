"""Django settings, read from the environment.

Defaults are safe for a local demo (SQLite, loopback hosts, DEBUG off). Production sets
SECRET_KEY, ALLOWED_HOSTS, DATABASE_URL and HTTPS=1; `manage.py check --deploy` is then clean.
"""

import datetime
import os
from pathlib import Path

import dj_database_url
import xstatic.pkg.bootstrap
from django.core.exceptions import ImproperlyConfigured

from livret import instance_keys

BASE_DIR = Path(__file__).resolve().parent.parent


def env_bool(name: str, default: bool) -> bool:
    value = os.environ.get(name)
    if value is None or value == "":
        return default
    if value.lower() in {"1", "true", "yes", "on"}:
        return True
    if value.lower() in {"0", "false", "no", "off"}:
        return False
    raise ImproperlyConfigured(
        f"{name} doit valoir 0/1, true/false, yes/no ou on/off (reçu {value!r})"
    )


DEBUG = env_bool("DEBUG", False)
HTTPS = env_bool("HTTPS", False)

# No key is written in the source (livret.instance_keys): the environment gives it, or a file the
# operator names, or the one `make run` generates once under var/ for a demo. Without one, whatever
# needs it fails (Django: « The SECRET_KEY setting must not be empty »), `check --deploy` flags it
# (security.W009) and `livret serve` / gunicorn refuse to start. Rotation: the new key in
# SECRET_KEY, the old ones in SECRET_KEY_FALLBACKS (comma-separated) until their sessions and
# password-reset links have expired, then removed.
VAR_DIR = instance_keys.var_dir(BASE_DIR)
SECRET_KEY = instance_keys.read_secret(
    os.environ, "SECRET_KEY", VAR_DIR / instance_keys.DEMO_SECRET_KEY_FILE
)
SECRET_KEY_FALLBACKS = [
    k.strip() for k in os.environ.get("SECRET_KEY_FALLBACKS", "").split(",") if k.strip()
]
# The key that encrypts the centres' badge-signing keys at rest (livret.credentials.keystore):
# 32 random bytes in base64url, from the environment or a file, never from the database.
KEY_ENCRYPTION_KEY = (
    instance_keys.read_secret(
        os.environ,
        "LIVRET_KEY_ENCRYPTION_KEY",
        VAR_DIR / instance_keys.DEMO_KEK_FILE,
    )
    or None
)

ALLOWED_HOSTS = [
    h.strip()
    for h in os.environ.get("ALLOWED_HOSTS", "127.0.0.1,localhost").split(",")
    if h.strip()
]

INSTALLED_APPS = [
    "livret.web.admin_site.PlatformAdminConfig",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "rules.apps.AutodiscoverRulesConfig",
    "axes",
    "simple_history",
    "django_htmx",
    "csp",
    "ninja",  # serves Swagger UI from its own static files (no CDN)
    "livret.referentiels",
    "livret.people",
    "livret.competences",
    "livret.periods",
    "livret.exams",
    "livret.vae",
    "livret.api",
    "livret.credentials",
    "livret.privacy",
    "livret.jobs",
    "livret.notifications",
    "livret.bulletins",
    "livret.surveys",
    "livret.threads",
    "livret.attendance",
    "livret.workshop",
    "livret.web",
    "livret.ops",
    "django_tasks",
    "django_tasks_db",
]

# Long work runs in a worker (`livret worker`, started by `livret serve`): tasks are rows of
# this database, so `make run` needs no other service.
TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": ["default"]}}

AUTHENTICATION_BACKENDS = [
    # Lockout after repeated failures (CNIL); must come first.
    "axes.backends.AxesStandaloneBackend",
    "rules.permissions.ObjectPermissionBackend",
    "django.contrib.auth.backends.ModelBackend",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "livret.web.middleware.ContentSecurityPolicy",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    # Pages compressed on the wire (a 30 × 82 grid: 640 KiB of HTML, 28 KiB gzipped), after
    # whitenoise, which serves static files already compressed (and answers before this runs), and
    # before everything that writes the body; text only (PDFs, ZIPs, images are compressed
    # already). BREACH (a secret guessed from compressed sizes) is mitigated: Django masks the
    # CSRF token anew in every response and, since 4.2, gzip pads each compressed response with
    # random bytes ("Heal The Breach").
    "livret.web.middleware.CompressPages",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "livret.web.login_security.DeviceCookieMiddleware",
    "livret.web.middleware.LoginRequired",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "livret.urls"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "livret.web.context.role",
            ],
        },
    }
]

WSGI_APPLICATION = "livret.wsgi.application"

if not os.environ.get("DATABASE_URL"):
    # The demo's SQLite file lives in var/, which a fresh clone does not have yet.
    # The demo's database holds password hashes: var/ is its owner's only.
    VAR_DIR.mkdir(mode=0o700, parents=True, exist_ok=True)
DATABASES = {
    "default": dj_database_url.parse(
        os.environ.get("DATABASE_URL") or f"sqlite:///{VAR_DIR / 'livret.sqlite3'}",
        conn_max_age=int(os.environ.get("DB_CONN_MAX_AGE", "60")),
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # gunicorn's workers and the task worker write to one file. WAL: readers never wait for a
    # writer. IMMEDIATE: a transaction takes the write lock when it begins, so two writers queue
    # for the busy timeout instead of one failing at once with « database is locked ».
    DATABASES["default"].setdefault("OPTIONS", {}).update(
        {
            "timeout": 20,
            "transaction_mode": "IMMEDIATE",
            "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
        }
    )

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    # CNIL recommendation for password-only authentication: at least 12 characters.
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 12},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "login"

LANGUAGE_CODE = "fr-fr"
TIME_ZONE = "Europe/Paris"
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = os.environ.get("STATIC_ROOT") or None  # set it to run collectstatic in production
# Bootstrap 5 comes from the xstatic-bootstrap package (a pip dependency, no copy in the repository,
# no CDN), served under /static/bootstrap/.
STATICFILES_DIRS = [("bootstrap", xstatic.pkg.bootstrap.BASE_DIR)]
# Serve straight from the apps' static folders: no collectstatic step for the demo.
WHITENOISE_USE_FINDERS = True
WHITENOISE_AUTOREFRESH = DEBUG

# Reverse proxies in front of the app servers whose X-Forwarded-For is trusted (0: none, the
# client is REMOTE_ADDR). Login throttling and the API rate limit read the client's address so.
TRUSTED_PROXIES = int(os.environ.get("TRUSTED_PROXIES", "0"))
NINJA_NUM_PROXIES = TRUSTED_PROXIES
# The API's pages are capped: a client asking for more gets a 422, not the whole table.
NINJA_PAGINATION_MAX_LIMIT = 200

# Login throttling (livret.web.login_security): 5 failures for one account from one address lock
# that account from that address for 15 minutes; a browser where it logged in before is not locked
# by failures from elsewhere.
AXES_FAILURE_LIMIT = int(os.environ.get("AXES_FAILURE_LIMIT", "5"))
AXES_COOLOFF_TIME = datetime.timedelta(minutes=15)
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_TEMPLATE = "web/locked.html"
AXES_VERBOSE = False
AXES_CLIENT_IP_CALLABLE = "livret.web.login_security.client_ip"
AXES_WHITELIST_CALLABLE = "livret.web.login_security.trusted_device"

# Shared state of several app servers (API rate limit, login device counts, cached sessions): the
# database by default, Redis when REDIS_URL is set.
if os.environ.get("REDIS_URL"):
    import importlib.util

    # The Redis client is an extra: said at start-up, not at the first cached request.
    if importlib.util.find_spec("redis") is None:
        raise ImproperlyConfigured(
            "REDIS_URL est défini mais le client Redis n'est pas installé : "
            "pip install 'livret[redis]'"
        )
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": os.environ["REDIS_URL"],
            "KEY_PREFIX": os.environ.get("CACHE_KEY_PREFIX", "livret"),
        }
    }
else:
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.db.DatabaseCache",
            "LOCATION": "livret_cache",
            "KEY_PREFIX": os.environ.get("CACHE_KEY_PREFIX", "livret"),
        }
    }
SESSION_ENGINE = "django.contrib.sessions.backends.cached_db"

# Uploaded evidence and attestations go through Django's storage API: a local folder by default
# (outside the static tree), an S3-compatible object store when S3_BUCKET is set, so that several
# app servers share the files. Either way they are served only through access-checked views.
MEDIA_ROOT = Path(os.environ.get("MEDIA_ROOT") or VAR_DIR / "media")
if os.environ.get("S3_BUCKET"):
    # Needs the S3 client: pip install 'livret[s3]' (django-storages with boto3).
    DEFAULT_STORAGE = {
        "BACKEND": "storages.backends.s3.S3Storage",
        "OPTIONS": {
            "bucket_name": os.environ["S3_BUCKET"],
            "endpoint_url": os.environ.get("S3_ENDPOINT_URL") or None,
            "region_name": os.environ.get("S3_REGION") or None,
            "access_key": os.environ.get("S3_ACCESS_KEY_ID") or None,
            "secret_key": os.environ.get("S3_SECRET_ACCESS_KEY") or None,
            "location": os.environ.get("S3_PREFIX", "livret"),
            "default_acl": None,  # private objects
            "querystring_auth": True,
            "file_overwrite": False,
        },
    }
else:
    DEFAULT_STORAGE = {"BACKEND": "django.core.files.storage.FileSystemStorage"}  # MEDIA_ROOT
STORAGES = {
    "default": DEFAULT_STORAGE,
    # With STATIC_ROOT (production; `livret setup` collects the files there): names carry a
    # hash of the content, so whitenoise serves them cached for a year and compressed (gzip,
    # brotli). Without it (the demo, the tests): straight from the apps' folders.
    "staticfiles": {
        "BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"
        if STATIC_ROOT
        else "django.contrib.staticfiles.storage.StaticFilesStorage"
    },
}
# Files a background job produced or was given (archives, ZIPs, imports) are deleted this many
# days after the job ended (`livret privacy purge`).
JOB_FILES_DAYS = int(os.environ.get("JOB_FILES_DAYS", "7"))
# The scheduler (`livret scheduler`, started by `livret serve`) runs its daily work once a day
# from this local hour; finished task results, then notifications (and expired jobs) are pruned
# after these many days.
SCHEDULER_HOUR = int(os.environ.get("SCHEDULER_HOUR", "2"))
TASK_RESULTS_DAYS = int(os.environ.get("TASK_RESULTS_DAYS", "14"))
NOTIFICATIONS_DAYS = int(os.environ.get("NOTIFICATIONS_DAYS", "180"))
# Uploaded and generated files (evidence, attestations, archives) readable by the service only.
FILE_UPLOAD_PERMISSIONS = 0o600
FILE_UPLOAD_DIRECTORY_PERMISSIONS = 0o700
EVIDENCE_MAX_BYTES = 10 * 1024 * 1024
DATA_UPLOAD_MAX_MEMORY_SIZE = 12 * 1024 * 1024

# Mail: for the demo, each sending is written as a file under var/courriels/ (nothing leaves, and
# the server's log stays readable: a demo sends ~90 mails on its first start, and the links they
# carry — password choice, e-mail confirmation — are not the log's to keep). Production sets SMTP.
EMAIL_BACKEND = os.environ.get("EMAIL_BACKEND", "django.core.mail.backends.filebased.EmailBackend")
EMAIL_FILE_PATH = os.environ.get("EMAIL_FILE_PATH") or str(VAR_DIR / "courriels")
if EMAIL_BACKEND.endswith("filebased.EmailBackend"):
    # The mails carry one-time links: their folder is the owner's only, like var/.
    for folder in (Path(EMAIL_FILE_PATH).parent, Path(EMAIL_FILE_PATH)):
        folder.mkdir(mode=0o700, parents=True, exist_ok=True)
EMAIL_HOST = os.environ.get("EMAIL_HOST", "localhost")
EMAIL_PORT = int(os.environ.get("EMAIL_PORT", "25"))
EMAIL_HOST_USER = os.environ.get("EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = os.environ.get("EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", False)
EMAIL_USE_SSL = env_bool("EMAIL_USE_SSL", False)
EMAIL_TIMEOUT = 30
# The address users reach the site at, for the links in e-mails.
SITE_URL = os.environ.get("SITE_URL", "http://127.0.0.1:8000")
DEFAULT_FROM_EMAIL = os.environ.get("DEFAULT_FROM_EMAIL", "Livret <ne-pas-repondre@livret.local>")

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# Référentiel files: refuse anything bigger than this before parsing it.
REFERENTIEL_MAX_BYTES = 2 * 1024 * 1024
REFERENTIEL_DIR = BASE_DIR / "data" / "referentiels"

# Content-Security-Policy: scripts, styles, fonts and images from this site only; no inline
# script, no plug-in, no framing, forms posted here only.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'"],
        "img-src": ["'self'", "data:"],
        "font-src": ["'self'", "data:"],
        "connect-src": ["'self'"],
        "object-src": ["'none'"],
        "base-uri": ["'none'"],
        "frame-ancestors": ["'none'"],
        "form-action": ["'self'"],
    }
}

SESSION_COOKIE_HTTPONLY = True
# A stale form is told so in French, inside the site (Django's own page is English).
CSRF_FAILURE_VIEW = "livret.web.errors.csrf_failure"
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
if HTTPS:
    SECURE_SSL_REDIRECT = True
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    SECURE_HSTS_SECONDS = int(os.environ.get("HSTS_SECONDS", str(365 * 24 * 3600)))
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = True

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "WARNING")},
}
