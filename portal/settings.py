"""Settings from the environment, with embedded defaults that need nothing running.

Nothing set: SQLite file, Celery tasks run in-process, mail to the console.
DATABASE_URL / REDIS_URL switch to PostgreSQL / Redis with no code change.
"""

from pathlib import Path

import environ
from celery.schedules import crontab
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

from portal.web.hosts import RegisteredHosts

BASE_DIR = Path(__file__).resolve().parent.parent

env = environ.Env()
environ.Env.read_env(BASE_DIR / ".env", overwrite=False) if (BASE_DIR / ".env").exists() else None

DEBUG = env.bool("DJANGO_DEBUG", default=True)

if DEBUG:
    SECRET_KEY = env("SECRET_KEY", default="dev-only-insecure-key-change-me-for-production-0123456789abcdef")
    ALLOWED_HOSTS = env.list("ALLOWED_HOSTS", default=["127.0.0.1", "localhost", "testserver", "[::1]"])
else:
    # Production refuses to start without these: no silent insecure default.
    SECRET_KEY = env("SECRET_KEY")
    ALLOWED_HOSTS = env.list("ALLOWED_HOSTS")
# Organizations' own host names (admin: โดเมนขององค์กร) are accepted too, looked up per request (portal.web.hosts).
ALLOWED_HOSTS = [*ALLOWED_HOSTS, RegisteredHosts()]

# Keyed hash for personal IDs (citizen ID, tax ID of persons): separate from SECRET_KEY so rotating
# the session key does not orphan every stored hash. Production refuses to start without its own key.
if DEBUG:
    PERSONAL_ID_HASH_KEY = env("PERSONAL_ID_HASH_KEY", default=SECRET_KEY)  # the dev key: nothing to protect
else:
    PERSONAL_ID_HASH_KEY = env("PERSONAL_ID_HASH_KEY")
    if not PERSONAL_ID_HASH_KEY:
        raise ImproperlyConfigured("PERSONAL_ID_HASH_KEY is empty: production needs its own long random key")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "rest_framework",
    "django_filters",
    "drf_spectacular",
    "auditlog",
    "axes",
    "csp",
    "drf_spectacular_sidecar",
    "portal",
    "innovation_plans",
    "eservice",
    "complaints",
    "opendata",
    "taxpay",
]

MIDDLEWARE = [
    # First: /healthz answers for the container's healthcheck whatever ALLOWED_HOSTS and SECURE_SSL_REDIRECT say.
    "portal.web.health.HealthCheckMiddleware",
    # An organization's own host name serves its pages without the /<slug>/ prefix (portal.web.hosts).
    "portal.web.hosts.OrganizationHostMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "portal.web.middleware.ThaiFirstLocaleMiddleware",
    # /api/... without the trailing slash is served, not redirected (portal.api.middleware); before CommonMiddleware.
    "portal.api.middleware.TrailingSlashMiddleware",
    "django.middleware.common.CommonMiddleware",
    "portal.web.middleware.RequestBaseURLMiddleware",
    "portal.web.middleware.OrganizationDigitsMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "auditlog.middleware.AuditlogMiddleware",
    # Strips C0 control characters from every GET/POST value, refuses NUL with a 400 (portal.inputs.text).
    "portal.web.middleware.TextInputMiddleware",
    # A service an organization switched off answers 404 on its pages (portal.web.middleware).
    "portal.web.middleware.SwitchedOffServiceMiddleware",
    # Turns django-ratelimit's Ratelimited into RATELIMIT_VIEW's 429 (it would be a 403 otherwise).
    "django_ratelimit.middleware.RatelimitMiddleware",
    "csp.middleware.CSPMiddleware",
    "portal.web.middleware.PermissionsPolicyMiddleware",
    # A database still locked after the busy timeout (SQLite): 503 with Retry-After instead of a 500.
    "portal.web.errors.DatabaseBusyMiddleware",
    # Last, as django-axes asks: turns a lockout into its Thai 429 page (portal.web.views.locked_out).
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "portal.urls"
WSGI_APPLICATION = "portal.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "django.template.context_processors.i18n",
            ],
        },
    },
]

DATABASES = {"default": env.db("DATABASE_URL", default=f"sqlite:///{BASE_DIR / 'db.sqlite3'}")}
if DATABASES["default"]["ENGINE"].endswith("sqlite3"):
    # Concurrent writers on the embedded default: WAL lets readers go on while one writes; IMMEDIATE transactions
    # take the write lock at BEGIN, where the busy timeout waits for it (a deferred transaction that upgrades
    # from read to write fails at once with "database is locked", timeout or not). Should the wait run out, the
    # request gets a 503 with Retry-After (portal.web.errors.DatabaseBusyMiddleware), never a 500.
    DATABASES["default"].setdefault("OPTIONS", {}).update({
        "timeout": env.float("SQLITE_BUSY_TIMEOUT", default=20.0),
        "transaction_mode": "IMMEDIATE",
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL",
    })
else:
    DATABASES["default"]["CONN_MAX_AGE"] = env.int("CONN_MAX_AGE", default=60)
    if env("TEST_DATABASE_NAME", default=""):
        # Otherwise Django's own "test_<NAME>" (pytest-xdist then adds "_gw0", "_gw1", ... per worker).
        DATABASES["default"]["TEST"] = {"NAME": env("TEST_DATABASE_NAME")}

# A read replica (README, "From one machine to many", step 5): only reads that may be a moment old go there
# (portal.machinery.dbrouting). Without the variable there is no "replica" alias and no router.
DATABASE_ROUTERS: list[str] = []
if env("DATABASE_REPLICA_URL", default=""):
    DATABASES["replica"] = env.db("DATABASE_REPLICA_URL")
    DATABASES["replica"]["CONN_MAX_AGE"] = DATABASES["default"].get("CONN_MAX_AGE", 0)
    DATABASES["replica"]["TEST"] = {"MIRROR": "default"}  # tests: the primary's test database stands in
    DATABASE_ROUTERS = ["portal.machinery.dbrouting.ReplicaRouter"]

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

REDIS_URL = env("REDIS_URL", default="")
if REDIS_URL:
    # Redis down: the cache degrades to per-process memory instead of raising (portal.machinery.cache).
    CACHES = {"default": {"BACKEND": "portal.machinery.cache.ResilientRedisCache", "LOCATION": REDIS_URL}}
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

# Thai first, English second.
LANGUAGE_CODE = "th"
LANGUAGES = [("th", _("ไทย")), ("en", _("English"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "Asia/Bangkok"
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATICFILES_DIRS = [BASE_DIR / "static"]
STATIC_ROOT = BASE_DIR / "staticfiles"
MEDIA_ROOT = Path(env("MEDIA_ROOT", default=str(BASE_DIR / "media")))
# Where browsers read public media: the portal's own /media/ (the local folder), or with the buckets below the front
# proxy's /media/ passed to the public bucket (deploy/nginx.conf) or the bucket's own public address.
MEDIA_URL = env("MEDIA_URL", default="/media/")
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    # Private files (portal.outputs.files): a folder outside MEDIA_ROOT, at PRIVATE_MEDIA_ROOT (below).
    "private": {"BACKEND": "portal.outputs.files.LocalPrivateStorage"},
    # Static files stay with WhiteNoise on every node: each image carries its own copy (collectstatic at build).
    "staticfiles": {
        "BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"
        if not DEBUG
        else "django.contrib.staticfiles.storage.StaticFilesStorage"
    },
}
# Several web nodes: files on S3-compatible object storage (MinIO, a Thai cloud's S3, Amazon S3) through
# django-storages, instead of one node's disk. Both buckets or neither: public media (AWS_STORAGE_BUCKET_NAME,
# anonymous GetObject allowed) and private files (AWS_PRIVATE_BUCKET_NAME, no public access at all).
AWS_STORAGE_BUCKET_NAME = env("AWS_STORAGE_BUCKET_NAME", default="")
AWS_PRIVATE_BUCKET_NAME = env("AWS_PRIVATE_BUCKET_NAME", default="")
# Lifetime of a presigned URL of a private file (PRIVATE_FILES_SERVE=redirect), seconds.
PRIVATE_FILES_URL_SECONDS = env.int("PRIVATE_FILES_URL_SECONDS", default=60)
if AWS_STORAGE_BUCKET_NAME or AWS_PRIVATE_BUCKET_NAME:
    if not (AWS_STORAGE_BUCKET_NAME and AWS_PRIVATE_BUCKET_NAME):
        raise ImproperlyConfigured("Object storage needs both AWS_STORAGE_BUCKET_NAME (public media) and "
                                   "AWS_PRIVATE_BUCKET_NAME (private files), or neither")
    if AWS_STORAGE_BUCKET_NAME == AWS_PRIVATE_BUCKET_NAME:
        raise ImproperlyConfigured("AWS_PRIVATE_BUCKET_NAME must be a bucket of its own, not the public one")
    # Empty: Amazon S3 itself; MinIO or another provider: its address, e.g. http://minio:9000.
    AWS_S3_ENDPOINT_URL = env("AWS_S3_ENDPOINT_URL", default="") or None
    AWS_S3_REGION_NAME = env("AWS_S3_REGION_NAME", default="") or None
    AWS_ACCESS_KEY_ID = env("AWS_ACCESS_KEY_ID", default="") or None
    AWS_SECRET_ACCESS_KEY = env("AWS_SECRET_ACCESS_KEY", default="") or None
    # Path-style addresses (endpoint/bucket/key) unless told otherwise: MinIO and most providers' own endpoints
    # have no per-bucket host names.
    AWS_S3_ADDRESSING_STYLE = env("AWS_S3_ADDRESSING_STYLE", default="path" if AWS_S3_ENDPOINT_URL else "auto")
    AWS_S3_SIGNATURE_VERSION = "s3v4"
    AWS_S3_FILE_OVERWRITE = False  # a second upload under a taken name gets a new name, never replaces a file
    AWS_DEFAULT_ACL = None  # the buckets' own policies decide who reads; objects carry no ACL of their own
    STORAGES["default"] = {"BACKEND": "portal.outputs.s3.PublicS3Storage",
                           "OPTIONS": {"bucket_name": AWS_STORAGE_BUCKET_NAME, "querystring_auth": False}}
    STORAGES["private"] = {"BACKEND": "portal.outputs.s3.PrivateS3Storage",
                           "OPTIONS": {"bucket_name": AWS_PRIVATE_BUCKET_NAME, "querystring_auth": True,
                                       "querystring_expire": PRIVATE_FILES_URL_SECONDS}}

# Uploads: requests are capped here; every uploaded file (photos, documents, plan and tax imports, open-data files)
# is held to the one size limit UPLOAD_MAX_BYTES (portal.inputs.uploads.max_upload_bytes), its type checked by content.
DATA_UPLOAD_MAX_MEMORY_SIZE = 12 * 1024 * 1024
FILE_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
UPLOAD_MAX_BYTES = env.int("UPLOAD_MAX_BYTES", default=20 * 1024 * 1024)
# Images are refused by the dimensions their header declares, before any pixel is decoded (portal.inputs.uploads).
UPLOAD_MAX_PIXELS = env.int("UPLOAD_MAX_PIXELS", default=50_000_000)  # JPEG: decoded at reduced scale
UPLOAD_MAX_PIXELS_FULL_DECODE = env.int("UPLOAD_MAX_PIXELS_FULL_DECODE", default=16_000_000)  # PNG, WebP, GIF
# Per request: all files together, and all photos' declared pixels together.
UPLOAD_MAX_TOTAL_BYTES = env.int("UPLOAD_MAX_TOTAL_BYTES", default=40 * 1024 * 1024)
# Open311 downloads the files a client names by URL (portal.open311.media): from public addresses only, unless a lab
# sets this; each download has a connect/read timeout and an overall deadline (seconds).
OPEN311_MEDIA_ALLOW_PRIVATE = env.bool("OPEN311_MEDIA_ALLOW_PRIVATE", default=False)
OPEN311_MEDIA_TIMEOUT = 5.0
OPEN311_MEDIA_DEADLINE = 15.0
UPLOAD_MAX_TOTAL_PIXELS = env.int("UPLOAD_MAX_TOTAL_PIXELS", default=150_000_000)
# Private files (corruption evidence, M&E evidence, generated reports, ...): outside MEDIA_ROOT (or in the private
# bucket), no URL of their own; served only by permission-checked views (portal.outputs.files.serve_private).
# PRIVATE_FILES_SERVE: "django" (streamed by the portal; folder or bucket), "redirect" (bucket only: a presigned URL
# good for PRIVATE_FILES_URL_SECONDS; browsers must reach AWS_S3_ENDPOINT_URL), "x-accel" (nginx internal location
# PRIVATE_FILES_INTERNAL_URL) or "x-sendfile" (Apache / lighttpd); the last two read the local folder.
PRIVATE_MEDIA_ROOT = Path(env("PRIVATE_MEDIA_ROOT", default=str(BASE_DIR / "private-media")))
PRIVATE_FILES_SERVE = env("PRIVATE_FILES_SERVE", default="django")
PRIVATE_FILES_INTERNAL_URL = env("PRIVATE_FILES_INTERNAL_URL", default="/_private/")
_SERVE_MODES = ("django", "redirect") if AWS_PRIVATE_BUCKET_NAME else ("django", "x-accel", "x-sendfile")
if PRIVATE_FILES_SERVE not in _SERVE_MODES:
    raise ImproperlyConfigured(f"PRIVATE_FILES_SERVE={PRIVATE_FILES_SERVE!r}: with "
                               f"{'the private bucket' if AWS_PRIVATE_BUCKET_NAME else 'the local folder'} "
                               f"use one of {', '.join(_SERVE_MODES)}")
# Client address behind reverse proxies: how many trusted proxies append to X-Forwarded-For (0: none, use the
# socket address). Behind one TLS proxy (nginx, Caddy) set 1.
TRUSTED_PROXY_DEPTH = env.int("TRUSTED_PROXY_DEPTH", default=0)

LOGIN_URL = "admin:login"
AUTHENTICATION_BACKENDS = [
    # First: a locked-out user and address is refused before any password hash is computed.
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
    "portal.access.permissions.RoleBackend",
]

# Mail: console unless an SMTP URL is given.
EMAIL_CONFIG = env.email_url("EMAIL_URL", default="consolemail://")
vars().update(EMAIL_CONFIG)
DEFAULT_FROM_EMAIL = env("DEFAULT_FROM_EMAIL", default="noreply@localhost")

# Notification channels. SMS goes through a backend interface (console/file in development).
SMS_BACKEND = env("SMS_BACKEND", default="portal.notifications.sms.ConsoleSMSBackend")
SMS_FILE_PATH = env("SMS_FILE_PATH", default=str(BASE_DIR / "var" / "sms"))
LINE_API_BASE = env("LINE_API_BASE", default="https://api.line.me")
LINE_CHANNEL_ACCESS_TOKEN = env("LINE_CHANNEL_ACCESS_TOKEN", default="")
LINE_CHANNEL_SECRET = env("LINE_CHANNEL_SECRET", default="")
LINE_DATA_API_BASE = env("LINE_DATA_API_BASE", default="https://api-data.line.me")
NOTIFY_MAX_ATTEMPTS = env.int("NOTIFY_MAX_ATTEMPTS", default=6)
# Absolute links in notifications (e.g. https://portal.example.go.th); when empty, the scheme and host of the
# request that caused the notification (portal.web.middleware.absolute_url).
PORTAL_BASE_URL = env("PORTAL_BASE_URL", default="")

# Maps: Leaflet is served from static/; tiles by default from OpenStreetMap's standard tile server (with its
# attribution, as its usage policy asks). MAP_TILE_URL=off turns tiles off (the map then shows the organization's
# area on a plain grid; "use my location" and the address are the way to say where); an intranet tile server is
# MAP_TILE_URL=https://tiles.example.go.th/{z}/{x}/{y}.png with its own MAP_TILE_ATTRIBUTION.
OSM_TILE_URL = "https://tile.openstreetmap.org/{z}/{x}/{y}.png"
OSM_ATTRIBUTION = '&copy; <a href="https://www.openstreetmap.org/copyright">OpenStreetMap</a> contributors'
MAP_TILE_URL = env("MAP_TILE_URL", default=OSM_TILE_URL)
if MAP_TILE_URL.strip().lower() in ("", "off", "none", "false", "0"):
    MAP_TILE_URL = ""
MAP_TILE_ATTRIBUTION = env("MAP_TILE_ATTRIBUTION", default=OSM_ATTRIBUTION if MAP_TILE_URL == OSM_TILE_URL else "")

# Celery: with no REDIS_URL tasks run in-process (eager), so the portal needs nothing else running.
CELERY_BROKER_URL = REDIS_URL or "memory://"
CELERY_RESULT_BACKEND = REDIS_URL or "cache+memory://"
CELERY_TASK_ALWAYS_EAGER = env.bool("CELERY_TASK_ALWAYS_EAGER", default=not REDIS_URL)
CELERY_TASK_EAGER_PROPAGATES = False
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_TIMEZONE = TIME_ZONE
# A broker that is down must not hang the request that committed the change: fail fast, the sweep re-queues.
CELERY_BROKER_CONNECTION_TIMEOUT = 2
CELERY_BROKER_TRANSPORT_OPTIONS = {"max_retries": 1, "interval_start": 0, "interval_step": 0.2, "interval_max": 0.5}
CELERY_BEAT_SCHEDULE = {
    "notifications-sweep": {"task": "portal.notifications.tasks.sweep_pending", "schedule": crontab(minute="*")},
    "eservice-queue-reminders": {"task": "eservice.tasks.queue_reminders", "schedule": crontab(hour=9, minute=0)},
    # Queue places held for an SMS code (Queue.confirm_by_sms) and not confirmed within minutes.
    "eservice-release-holds": {"task": "eservice.tasks.release_holds", "schedule": crontab(minute="*")},
    # Files kept across form errors (portal.inputs.tempuploads) older than TEMP_UPLOAD_MAX_AGE_HOURS.
    "kept-uploads-sweep": {"task": "portal.tempuploads.sweep_kept_uploads", "schedule": crontab(minute=23)},
    # Background jobs (reports, imports) left queued while the broker was down, or by a worker that died.
    "jobs-sweep": {"task": "portal.jobs.sweep_jobs", "schedule": crontab(minute="*")},
    # Live open-data datasets from the services' own figures, and the maintainers of stale datasets told.
    # every 5 minutes a twelfth of the organizations: each once an hour (opendata.tasks.REFRESH_SLOTS)
    "opendata-refresh": {"task": "opendata.tasks.refresh_all", "schedule": crontab(minute="*/5")},
    "opendata-stale": {"task": "opendata.tasks.notify_stale", "schedule": crontab(hour=7, minute=30)},
    # Tax instalments falling due within a week: one reminder per instalment to owners who gave a contact.
    "taxpay-due-soon": {"task": "taxpay.tasks.send_due_soon", "schedule": crontab(hour=8, minute=5)},
}
TEMP_UPLOAD_MAX_AGE_HOURS = env.int("TEMP_UPLOAD_MAX_AGE_HOURS", default=24)
# Files one client address may have kept across form errors per hour (all forms together).
TEMP_UPLOAD_RATE = env("TEMP_UPLOAD_RATE", default="120/h")
JOB_MAX_ATTEMPTS = env.int("JOB_MAX_ATTEMPTS", default=3)
# Failed tax-bill lookups of one bill number, from all addresses together (on top of the per-address limit).
TAXPAY_LOOKUP_BILL_RATE = env("TAXPAY_LOOKUP_BILL_RATE", default="10/h")
# Hard limits on every uploaded table (CSV/XLSX) the portal reads (portal.inputs.tables).
TABLE_MAX_ROWS = env.int("TABLE_MAX_ROWS", default=100_000)
TABLE_MAX_COLUMNS = env.int("TABLE_MAX_COLUMNS", default=200)
TABLE_MAX_CELL_CHARS = env.int("TABLE_MAX_CELL_CHARS", default=10_000)
TABLE_MAX_CELLS = env.int("TABLE_MAX_CELLS", default=2_000_000)
TABLE_MAX_SECONDS = env.int("TABLE_MAX_SECONDS", default=60)

REST_FRAMEWORK = {
    "DEFAULT_SCHEMA_CLASS": "portal.api.openapi.AutoSchema",  # documents each operation's error answers
    "EXCEPTION_HANDLER": "portal.api.viewsets.exception_handler",
    "DEFAULT_FILTER_BACKENDS": ["django_filters.rest_framework.DjangoFilterBackend"],
    # Every operation takes a JSON body, and the schema says so (one content type per body: a client generated
    # from it cannot build a body declared as JSON, form and multipart at once). Any other body is a 415. JSON gets
    # the same text hygiene as forms (portal.inputs.text).
    "DEFAULT_PARSER_CLASSES": ["portal.api.parsers.CleanJSONParser"],
    # Basic first: a missing or wrong login is a 401 with WWW-Authenticate (DRF takes that header from the first
    # class; with the session first it was a 403, indistinguishable from a missing role).
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "portal.api.authentication.BasicAuthentication",
        "rest_framework.authentication.SessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticatedOrReadOnly"],
    "DEFAULT_PAGINATION_CLASS": "portal.api.pagination.PageNumberPagination",
    "PAGE_SIZE": 50,
    "DEFAULT_THROTTLE_CLASSES": [
        "rest_framework.throttling.AnonRateThrottle",
        "rest_framework.throttling.UserRateThrottle",
    ],
    "DEFAULT_THROTTLE_RATES": {"anon": env("API_ANON_RATE", default="120/min"), "user": "1200/min"},
}
# The queue API's own limits per client address (eservice.api): slot lists, and bookings.
QUEUE_API_READ_RATE = env("QUEUE_API_READ_RATE", default="120/min")
QUEUE_API_BOOKING_RATE = env("QUEUE_API_BOOKING_RATE", default="20/min")
# Moving a booking: per client address (all tickets) and per ticket; each move sends one SMS.
QUEUE_MOVE_RATE = env("QUEUE_MOVE_RATE", default="10/h")
QUEUE_MOVE_TICKET_RATE = env("QUEUE_MOVE_TICKET_RATE", default="3/d")
SPECTACULAR_SETTINGS = {
    # ASCII: generators name the client package after the title (e.g. thai_local_portal_api_client).
    "TITLE": "Thai Local Portal API",
    "DESCRIPTION": "API ของพอร์ทัลองค์กรปกครองส่วนท้องถิ่น (เทศบาล อบต.)",
    "VERSION": "0.1.0",
    # Where the operations are: the portal's own address, or the address the schema was read from ("/"), which is
    # what clients that build their calls from `servers` (aiopenapi3 and others) need.
    "SERVERS": [{"url": PORTAL_BASE_URL.rstrip("/") or "/"}],
    "SERVE_INCLUDE_SCHEMA": False,
    # Swagger UI and ReDoc from the project's static files (drf-spectacular-sidecar), never a CDN.
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    # Several models call their state field `status`; name each enum after its owner.
    "ENUM_NAME_OVERRIDES": {
        "PlanStatusEnum": "innovation_plans.models.Plan.Status",
        "MonitoringStatusEnum": "innovation_plans.models.MonitoringRecord.Status",
        "ComplaintStatusEnum": "complaints.workflow.Status",
    },
}

# Anonymous endpoints: django-ratelimit keys on the client address; behind a proxy set the header.
RATELIMIT_ENABLE = env.bool("RATELIMIT_ENABLE", default=True)
RATELIMIT_VIEW = "portal.web.views.ratelimited"
SILENCED_SYSTEM_CHECKS = []
if not REDIS_URL:
    # locmem is per-process; fine for the single dev process, Redis is used in production.
    SILENCED_SYSTEM_CHECKS += ["django_ratelimit.E003", "django_ratelimit.W001"]

AUDITLOG_INCLUDE_ALL_MODELS = False

if not DEBUG:
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SECURE_SSL_REDIRECT = env.bool("SECURE_SSL_REDIRECT", default=True)
    # A lab on plain HTTP sets SESSION_COOKIE_SECURE=0 (and SECURE_SSL_REDIRECT=0); never on the internet.
    SESSION_COOKIE_SECURE = env.bool("SESSION_COOKIE_SECURE", default=True)
    CSRF_COOKIE_SECURE = env.bool("CSRF_COOKIE_SECURE", default=SESSION_COOKIE_SECURE)
    SECURE_HSTS_SECONDS = env.int("SECURE_HSTS_SECONDS", default=31536000)
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = True
    CSRF_TRUSTED_ORIGINS = env.list("CSRF_TRUSTED_ORIGINS", default=[])

# Encryption at rest of the few fields read back (corruption reporters' contact, portal.outputs.crypto): Fernet keys,
# newest first; keep old keys listed after a rotation so older rows still decrypt. Development derives one key from
# SECRET_KEY; production refuses to start without its own keys, so rotating SECRET_KEY never makes sealed rows
# unreadable.
FIELD_ENCRYPTION_KEYS = env.list("FIELD_ENCRYPTION_KEYS", default=[])
if not DEBUG:
    from cryptography.fernet import Fernet

    if not FIELD_ENCRYPTION_KEYS:
        raise ImproperlyConfigured(
            "FIELD_ENCRYPTION_KEYS is empty: production needs its own Fernet key(s), e.g. from "
            "python -c 'from cryptography.fernet import Fernet; print(Fernet.generate_key().decode())'")
    for _key in FIELD_ENCRYPTION_KEYS:
        try:
            Fernet(_key)
        except (ValueError, TypeError) as exc:
            raise ImproperlyConfigured("FIELD_ENCRYPTION_KEYS holds a value that is not a Fernet key") from exc

# Login brute force (admin login and the API's HTTP Basic): after AXES_FAILURE_LIMIT wrong passwords for one
# username from one client address (as TRUSTED_PROXY_DEPTH reads it), that pair is locked for AXES_COOLOFF_TIME
# hours; so is the username from addresses that never signed in as it, never from those that did
# (portal.api.authentication.axes_lockout_parameters). Unlock: a superuser deletes the attempt in the admin
# (Axes › access attempts) or runs `manage.py axes_reset_username <name>`.
AXES_FAILURE_LIMIT = env.int("AXES_FAILURE_LIMIT", default=5)
AXES_COOLOFF_TIME = env.float("AXES_COOLOFF_TIME", default=1.0)
AXES_LOCKOUT_PARAMETERS = "portal.api.authentication.axes_lockout_parameters"
AXES_CLIENT_IP_CALLABLE = "portal.inputs.ratelimit.client_ip"
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_CALLABLE = "portal.web.views.locked_out"
AXES_VERBOSE = False

# Content-Security-Policy: nothing from outside but map tiles; no inline script anywhere (the API docs are served
# from drf-spectacular-sidecar's static files). Styles allow inline for the map library and the admin.
_TILE_ORIGIN = "/".join(MAP_TILE_URL.split("/")[:3]) if MAP_TILE_URL.startswith("http") else ""
# Images from object storage: public media at an address of its own (MEDIA_URL), private images shown inline
# through a presigned URL (PRIVATE_FILES_SERVE=redirect).
_FILE_ORIGINS = [url for url in {
    "/".join(MEDIA_URL.split("/")[:3]) if MEDIA_URL.startswith("http") else "",
    ("/".join(AWS_S3_ENDPOINT_URL.split("/")[:3]) if AWS_S3_ENDPOINT_URL else "https://*.amazonaws.com")
    if PRIVATE_FILES_SERVE == "redirect" else "",
} if url]
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'", "'unsafe-inline'"],
        "img-src": ["'self'", "data:", "blob:", *([_TILE_ORIGIN] if _TILE_ORIGIN else []), *sorted(_FILE_ORIGINS)],
        "font-src": ["'self'", "data:"],
        "connect-src": ["'self'"],
        "worker-src": ["'self'", "blob:"],
        "object-src": ["'none'"],
        "base-uri": ["'self'"],
        "form-action": ["'self'"],
        "frame-ancestors": ["'self'"],
    },
}
PERMISSIONS_POLICY = ("geolocation=(self), camera=(), microphone=(), payment=(), usb=(), serial=(), bluetooth=(), "
                      "magnetometer=(), gyroscope=(), accelerometer=(), interest-cohort=()")

# Error reports leave out whatever is named like a secret (portal.web.errors).
DEFAULT_EXCEPTION_REPORTER_FILTER = "portal.web.errors.SecretSafeExceptionReporterFilter"

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env("LOG_LEVEL", default="WARNING")},
}
