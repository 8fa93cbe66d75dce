"""One env-driven settings module. Safe by default: DEBUG off, secure cookies, CSP."""

import os
from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured

from fupin.objects.storeconf import replica_storage

BASE_DIR = Path(__file__).resolve().parent.parent


def env_bool(name: str, default: bool = False) -> bool:
    value = os.environ.get(name)
    if value is None:
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


DEBUG = env_bool("FUPIN_DEBUG")
# Demo mode: demo accounts keep their printed passwords instead of being forced to change them.
DEMO_MODE = env_bool("FUPIN_DEMO")
DATA_DIR = Path(os.environ.get("FUPIN_DATA_DIR", BASE_DIR / "var"))

TESTING = env_bool("FUPIN_TESTING")
SECRET_KEY = os.environ.get("FUPIN_SECRET_KEY", "")
if not SECRET_KEY:
    if not (DEBUG or DEMO_MODE or TESTING):
        raise ImproperlyConfigured("FUPIN_SECRET_KEY 未设置：生产环境必须通过环境变量提供密钥。")
    SECRET_KEY = "insecure-dev-only-key-not-for-production"

# The audit trail's MAC keys live outside the database (fupin/audit/keys.py): the keys
# themselves, or a file holding them. Debug/demo/test installations get a generated file
# under the data directory; production must name one.
FUPIN_AUDIT_KEY = os.environ.get("FUPIN_AUDIT_KEY", "")
FUPIN_AUDIT_KEY_FILE = os.environ.get("FUPIN_AUDIT_KEY_FILE", "")
if not (FUPIN_AUDIT_KEY or FUPIN_AUDIT_KEY_FILE or DEBUG or DEMO_MODE or TESTING):
    raise ImproperlyConfigured(
        "FUPIN_AUDIT_KEY 或 FUPIN_AUDIT_KEY_FILE 未设置："
        "生产环境必须提供审计日志密钥（不放在数据库中）。"
    )
# Anchors of the audit chain's head, written outside the database (fupin/audit/anchors.py):
# best a folder on another disk or machine that the database's host cannot rewrite.
FUPIN_AUDIT_ANCHOR_DIR = os.environ.get("FUPIN_AUDIT_ANCHOR_DIR", str(DATA_DIR / "audit-anchors"))

ALLOWED_HOSTS = os.environ.get("FUPIN_ALLOWED_HOSTS", "localhost,127.0.0.1,[::1]").split(",")
CSRF_TRUSTED_ORIGINS = [o for o in os.environ.get("FUPIN_CSRF_ORIGINS", "").split(",") if o]

INSTALLED_APPS = [
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django_tasks",
    "django_tasks_db",
    "ninja",
    "fupin.audit",
    "fupin.worker",
    "fupin.regions",
    "fupin.accounts",
    "fupin.schedule",
    "fupin.objects",
    "fupin.records",
    "fupin.households",
    "fupin.photos",
    "fupin.scans",
    "fupin.use",
    "fupin.search",
    "fupin.checks",
    "fupin.transfer",
    "fupin.disposal",
    "fupin.custody",
    "fupin.supervision",
    "fupin.web",
]

MIDDLEWARE = [
    # First: every later line of a request carries its id; /healthz is answered before the
    # session, host and CSRF machinery (a proxy probes backends by address).
    "fupin.core.logs.RequestLogMiddleware",
    "fupin.web.health.HealthMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "fupin.core.middleware.ContentSecurityPolicyMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "fupin.accounts.middleware.IdleSessionMiddleware",
    "fupin.accounts.middleware.ForcePasswordChangeMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
]

ROOT_URLCONF = "fupin.urls"
WSGI_APPLICATION = "fupin.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "fupin" / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "fupin.web.context.navigation",
            ],
        },
    },
]


# How long a statement waits for a lock another process holds (a long import) before it
# fails: SQLite's busy timeout always; on PostgreSQL a lock_timeout only when set (`fupin
# serve` sets it, so a page answers 503 instead of hanging; the CLI and the worker wait).
DB_WAIT_SECONDS = os.environ.get("FUPIN_DB_WAIT_SECONDS", "")


def _database() -> dict:
    url = os.environ.get("DATABASE_URL")
    if url:
        parsed = dj_database_url.parse(url, conn_max_age=60, conn_health_checks=True)
        if DB_WAIT_SECONDS:
            wait_ms = int(float(DB_WAIT_SECONDS) * 1000)
            parsed.setdefault("OPTIONS", {})["options"] = f"-c lock_timeout={wait_ms}"
        if parsed.get("ENGINE", "").endswith("postgresql"):
            # A database host that vanished (no answer at all, not a refusal) would otherwise
            # hold a page, the health check or the worker's retry loop for minutes.
            parsed.setdefault("OPTIONS", {}).setdefault(
                "connect_timeout", int(os.environ.get("FUPIN_DB_CONNECT_SECONDS", "5"))
            )
        return parsed
    DATA_DIR.mkdir(parents=True, exist_ok=True)
    return {
        "ENGINE": "django.db.backends.sqlite3",
        "NAME": DATA_DIR / "fupin.sqlite3",
        # A web worker keeps its connection, and with it the page cache below, between
        # requests: opening one per request cost about 4 ms and started every search cold.
        "CONN_MAX_AGE": 600,
        "CONN_HEALTH_CHECKS": True,
        "OPTIONS": {
            # IMMEDIATE takes the write lock at BEGIN, so two writers never deadlock on
            # upgrading a read lock; WAL lets readers go on while one writes.
            "transaction_mode": "IMMEDIATE",
            "timeout": float(DB_WAIT_SECONDS or 20),
            # A 64 MiB page cache per connection (default 2 MiB), and the file read through a
            # memory map (up to the build's limit, 2 GiB here): a search reads up to 10,001
            # documents scattered over the file, and a page the cache does not hold is then
            # read from the OS's file cache without a system call and a copy (about 3 µs a
            # page, 30 ms a search at a million documents, otherwise).
            "init_command": (
                "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA foreign_keys=ON; "
                "PRAGMA cache_size=-65536; PRAGMA mmap_size=17179869184;"
            ),
        },
    }


DATABASES = {"default": _database()}
# Each web process keeps its own cache of per-person page parts (fupin/accounts/scoped_cache.py):
# their keys carry the data version, so no process has to invalidate another's.
CACHES = {
    "default": {
        "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
        "OPTIONS": {"MAX_ENTRIES": 5000},
    }
}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
AUTH_USER_MODEL = "accounts.User"
# Django's model backend, reading the user of each request in SQL of its own.
AUTHENTICATION_BACKENDS = ["fupin.accounts.backends.UserBackend"]

PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
]
if TESTING:
    PASSWORD_HASHERS = ["fupin.core.hashers.CheapArgon2PasswordHasher"]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 10},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "login"

# Login throttling (fupin/accounts/services.py login_lock): failures counted from the audit
# trail per account AND address; every further round of failures doubles the lock.
LOGIN_MAX_FAILURES = int(os.environ.get("FUPIN_LOGIN_MAX_FAILURES", "5"))
LOGIN_LOCK_MINUTES = int(os.environ.get("FUPIN_LOGIN_LOCK_MINUTES", "15"))

SESSION_ENGINE = "fupin.accounts.sessions"
# Idle sessions expire after this many seconds (renewed while used: IdleSessionMiddleware).
SESSION_COOKIE_AGE = int(os.environ.get("FUPIN_SESSION_SECONDS", "1800"))
SESSION_EXPIRE_AT_BROWSER_CLOSE = True
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
SECURE_COOKIES = env_bool("FUPIN_SECURE_COOKIES", default=not (DEBUG or DEMO_MODE))
SESSION_COOKIE_SECURE = SECURE_COOKIES
CSRF_COOKIE_SECURE = SECURE_COOKIES
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
SECURE_PROXY_SSL_HEADER = (
    ("HTTP_X_FORWARDED_PROTO", "https") if env_bool("FUPIN_BEHIND_HTTPS_PROXY") else None
)
# Proxies of our own in front of the application: the client address is the entry the
# outermost of them appended to X-Forwarded-For. 0: the header is ignored (it is the client's
# to write). Defaults to 1 behind an HTTPS proxy (FUPIN_BEHIND_HTTPS_PROXY).
FUPIN_PROXY_HOPS = int(
    os.environ.get("FUPIN_PROXY_HOPS", "1" if env_bool("FUPIN_BEHIND_HTTPS_PROXY") else "0")
)
# HTTP Strict Transport Security, sent on HTTPS responses only; 0 = off. Switch it on once
# the site is served over HTTPS for good (e.g. 31536000, a year).
SECURE_HSTS_SECONDS = int(os.environ.get("FUPIN_HSTS_SECONDS", "0"))
SECURE_HSTS_INCLUDE_SUBDOMAINS = env_bool("FUPIN_HSTS_SUBDOMAINS")
CSRF_FAILURE_VIEW = "fupin.web.views.csrf_failure"
CONTENT_SECURITY_POLICY = (
    "default-src 'self'; img-src 'self' data:; style-src 'self'; script-src 'self'; "
    "object-src 'none'; base-uri 'self'; frame-ancestors 'none'; form-action 'self'"
)

LANGUAGE_CODE = "zh-hans"
LANGUAGES = [("zh-hans", "简体中文")]
TIME_ZONE = "Asia/Shanghai"
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = DATA_DIR / "static"
MEDIA_ROOT = DATA_DIR / "media"
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedStaticFilesStorage"},
}
if os.environ.get("FUPIN_S3_BUCKET"):
    STORAGES["default"] = {
        "BACKEND": "storages.backends.s3.S3Storage",
        "OPTIONS": {
            "bucket_name": os.environ["FUPIN_S3_BUCKET"],
            "endpoint_url": os.environ.get("FUPIN_S3_ENDPOINT"),
            "file_overwrite": False,
            # As the second store (storeconf.py): MinIO, Ceph or moto by host name need it.
            "addressing_style": "path",
        },
    }
# The second, independent copy of every stored file (fupin/objects/storeconf.py).
_replica = replica_storage(os.environ)
if _replica is not None:
    STORAGES["replica"] = _replica

# The background fixity cycle: every stored object is read through (both stores) at least
# every FUPIN_FIXITY_DAYS days, at no more than FUPIN_FIXITY_RATE bytes/s, each run of the
# worker's beat stopping after FUPIN_FIXITY_RUN_SECONDS.
FUPIN_FIXITY_DAYS = int(os.environ.get("FUPIN_FIXITY_DAYS", "90"))
FUPIN_FIXITY_RATE = int(os.environ.get("FUPIN_FIXITY_RATE", str(10 * 1024**2)))
FUPIN_FIXITY_RUN_SECONDS = float(os.environ.get("FUPIN_FIXITY_RUN_SECONDS", "600"))
FUPIN_FIXITY_EVERY_SECONDS = float(os.environ.get("FUPIN_FIXITY_EVERY_SECONDS", "900"))
# Bytes with no object row (orphans) and temporary files left by a crashed capture are swept
# once they are this old; younger ones may belong to a capture still under way.
FUPIN_ORPHAN_GRACE_HOURS = float(os.environ.get("FUPIN_ORPHAN_GRACE_HOURS", "24"))
# Largest single file accepted; checked while the upload streams in, not after.
# Uploaded registration sheets and their error workbooks (full ID numbers) are deleted this
# long after their import job last changed; the sheet goes at once when the import is done.
FUPIN_UPLOAD_KEEP_MINUTES = int(os.environ.get("FUPIN_UPLOAD_KEEP_MINUTES", "60"))
FUPIN_MAX_UPLOAD_BYTES = int(os.environ.get("FUPIN_MAX_UPLOAD_BYTES", str(4 * 1024**3)))
# A registration sheet larger than this is previewed and imported on the task queue.
FUPIN_IMPORT_INLINE_BYTES = int(os.environ.get("FUPIN_IMPORT_INLINE_BYTES", str(2 * 1024**2)))
# OCR jobs: attempts before a job is marked failed, and the wait before retry n (× n).
FUPIN_OCR_ATTEMPTS = int(os.environ.get("FUPIN_OCR_ATTEMPTS", "3"))
# Threads one OCR job uses (ONNX Runtime); 0: the engine's choice, every core. A machine that
# runs several workers, or web processes beside them, sets 1: each worker then takes one core.
FUPIN_OCR_THREADS = int(os.environ.get("FUPIN_OCR_THREADS", "0"))
FUPIN_OCR_RETRY_SECONDS = int(os.environ.get("FUPIN_OCR_RETRY_SECONDS", "30"))
# A running OCR job with no sign of life for this long (a page takes seconds) lost its worker.
FUPIN_OCR_STALE_SECONDS = int(os.environ.get("FUPIN_OCR_STALE_SECONDS", "600"))
# The background worker: its heartbeat, when a silent worker counts as stopped, how long a
# task may look orphaned by a living worker before it is taken over, and attempts per task.
FUPIN_WORKER_BEAT_SECONDS = float(os.environ.get("FUPIN_WORKER_BEAT_SECONDS", "10"))
FUPIN_WORKER_STALE_SECONDS = float(os.environ.get("FUPIN_WORKER_STALE_SECONDS", "60"))
FUPIN_WORKER_GRACE_SECONDS = float(os.environ.get("FUPIN_WORKER_GRACE_SECONDS", "60"))
FUPIN_TASK_ATTEMPTS = int(os.environ.get("FUPIN_TASK_ATTEMPTS", "3"))
# Periodic jobs run by the workers (fupin.worker.beats): how often a worker looks for due
# ones, how soon a failed one is tried again, and how long stopped workers' heartbeats stay.
FUPIN_BEATS_CHECK_SECONDS = float(os.environ.get("FUPIN_BEATS_CHECK_SECONDS", "30"))
FUPIN_BEAT_RETRY_SECONDS = float(os.environ.get("FUPIN_BEAT_RETRY_SECONDS", "300"))
FUPIN_WORKER_FORGET_DAYS = int(os.environ.get("FUPIN_WORKER_FORGET_DAYS", "7"))
# How often a worker applies the search index's queue (a worker checks its beats at least
# this often too): what an import wrote is found this many seconds after it is applied.
FUPIN_SEARCH_SYNC_SECONDS = float(os.environ.get("FUPIN_SEARCH_SYNC_SECONDS", "2"))
# Uploads above this go to a temporary file instead of memory.
FILE_UPLOAD_MAX_MEMORY_SIZE = 2 * 1024 * 1024
DATA_UPLOAD_MAX_MEMORY_SIZE = 10 * 1024 * 1024
FILE_UPLOAD_HANDLERS = [
    "fupin.core.uploads.SizeLimitUploadHandler",
    "django.core.files.uploadhandler.MemoryFileUploadHandler",
    "django.core.files.uploadhandler.TemporaryFileUploadHandler",
]

TASKS = {
    "default": {
        "BACKEND": os.environ.get("FUPIN_TASK_BACKEND", "django_tasks_db.DatabaseBackend"),
    }
}

# One line per event on stderr, key=value or JSON (FUPIN_LOG_FORMAT), with the request id
# (fupin/core/logs.py); the request lines themselves at INFO unless FUPIN_REQUEST_LOG=off.
FUPIN_LOG_FORMAT = os.environ.get("FUPIN_LOG_FORMAT", "kv").strip().lower() or "kv"
if FUPIN_LOG_FORMAT not in ("kv", "json"):
    raise ImproperlyConfigured(
        f"FUPIN_LOG_FORMAT“{FUPIN_LOG_FORMAT}”无效：应为 kv（键=值）或 json。"
    )
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "line"}},
    "formatters": {"line": {"()": "fupin.core.logs.LineFormatter", "fmt": FUPIN_LOG_FORMAT}},
    "root": {"handlers": ["console"], "level": os.environ.get("FUPIN_LOG_LEVEL", "WARNING")},
    "loggers": {
        "fupin.request": {
            "level": "INFO" if env_bool("FUPIN_REQUEST_LOG", default=not TESTING) else "WARNING"
        },
    },
}
# How long /healthz waits for each object store (fupin/web/health.py).
FUPIN_HEALTH_SECONDS = float(os.environ.get("FUPIN_HEALTH_SECONDS", "3"))

# Signed quarterly-report packages between installations (fupin/supervision/federation/).
FUPIN_FEDERATION_SENDER = os.environ.get("FUPIN_FEDERATION_SENDER", "")
FUPIN_FEDERATION_KEY = os.environ.get("FUPIN_FEDERATION_KEY", "")
FUPIN_FEDERATION_TRUSTED = os.environ.get("FUPIN_FEDERATION_TRUSTED", "")
# Days before a quarter's deadline from which home pages remind of unsent reports.
FUPIN_REPORT_REMINDER_DAYS = int(os.environ.get("FUPIN_REPORT_REMINDER_DAYS", "15"))
