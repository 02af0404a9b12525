"""Settings shared by every environment; everything configurable comes from the environment."""

from pathlib import Path

import dj_database_url
from django.utils.translation import gettext_lazy as _

from hub.languages import LANGUAGES as CONTENT_LANGUAGES_FOR_DJANGO
from hub.languages import register_languages
from hub.settings.env import env_bool, env_int, env_list, env_str

BASE_DIR = Path(__file__).resolve().parent.parent.parent
VAR_DIR = Path(env_str("HUB_VAR_DIR", str(BASE_DIR / "var")))
VAR_DIR.mkdir(parents=True, exist_ok=True)  # SQLite, queue, cache and uploads of the embedded run

SECRET_KEY = env_str("SECRET_KEY", "dev-only-insecure-key-change-me")
DEBUG = False
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", ["127.0.0.1", "localhost", "[::1]"])
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS", [])

INSTALLED_APPS = [
    "hub",
    "hub.intake",
    "publishing",
    "publishing.reports",
    "channels",
    "channels.social",
    "channels.sms",
    "channels.led",
    "channels.devices",
    "channels.loudspeaker",
    "channels.cap",
    "channels.zalo",
    "channels.email",
    "media",
    "hub.security",
    "wagtail.contrib.forms",
    "wagtail.contrib.redirects",
    "wagtail.contrib.settings",
    "wagtail.contrib.sitemaps",
    "wagtail.contrib.routable_page",
    "wagtail.contrib.simple_translation",
    "wagtail.locales",
    "wagtail.embeds",
    "wagtail.sites",
    "hub.users_app.UsersConfig",  # wagtail.users, with the hub's group names translated
    "wagtail.snippets",
    "wagtail.documents",
    "wagtail.images",
    "wagtail.search",
    "wagtail.admin",
    "wagtail",
    "modelcluster",
    "taggit",
    "django_filters",
    "huey.contrib.djhuey",
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.sitemaps",
    "axes",
    "csp",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    # Content-Security-Policy by part of the site: portal, admin, API (hub/security/csp.py).
    "hub.security.csp.HubCSPMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    # Text bodies gzipped on the way out (static files and cached pages come compressed already).
    "hub.compression.CompressionMiddleware",
    # Anonymous portal pages from the cache, before anything a cached page does not need (the
    # feeds below answer under /api/, which the cache leaves alone; the language is the URL's).
    "hub.cache.PortalCacheMiddleware",
    # Errors under /api/ (unknown routes, wrong methods, oversized bodies, crashes) answered as JSON.
    "channels.errors.ApiErrorMiddleware",
    # The token-authenticated LED feed answers here: no sessions or CSRF needed.
    "channels.led.middleware.LedFeedMiddleware",
    # Likewise well-formed SMS feed reads (bearer keys, no cookies); the rest goes on to the API.
    "channels.sms.middleware.SmsFeedMiddleware",
    # Likewise loudspeaker stations' reads (schedule, audio, scripts); errors under it become JSON.
    "channels.loudspeaker.middleware.LoudspeakerFeedMiddleware",
    # The portal's language comes from the URL prefix alone (/hmn/…), never from the browser.
    "hub.languages.ContentLanguageMiddleware",
    "hub.security.csp.ScriptHashMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "wagtail.contrib.redirects.middleware.RedirectMiddleware",
    # Last: answers a locked-out sign-in (hub/security).
    "axes.middleware.AxesMiddleware",
]

# --- Content-Security-Policy (django-csp, hub/security/csp.py) ---
_SELF, _NONE = "'self'", "'none'"
# Extra image hosts for the portal (e.g. an S3 bucket or CDN serving MEDIA_URL), space-separated.
_EXTRA_IMG = env_list("CSP_EXTRA_IMG_SRC", [])
CSP_PORTAL_POLICY = {
    "default-src": [_SELF],
    "script-src": [_SELF],
    "style-src": [_SELF],
    "img-src": [_SELF, "data:", *_EXTRA_IMG],
    "font-src": [_SELF],
    "connect-src": [_SELF],
    "frame-src": [_SELF],
    "object-src": [_NONE],
    "base-uri": [_SELF],
    "form-action": [_SELF],
    "frame-ancestors": [_SELF],
}
CSP_ADMIN_POLICY = {
    "default-src": [_SELF],
    "script-src": [_SELF, "'unsafe-inline'"],
    "style-src": [_SELF, "'unsafe-inline'"],
    "img-src": [_SELF, "data:", "blob:", *_EXTRA_IMG],
    "font-src": [_SELF, "data:"],
    "connect-src": [_SELF],
    "frame-src": [_SELF],
    "worker-src": [_SELF, "blob:"],
    "object-src": [_NONE],
    "base-uri": [_SELF],
    "form-action": [_SELF],
    "frame-ancestors": [_SELF],
}
CSP_API_POLICY = {
    "default-src": [_NONE],
    "frame-ancestors": [_NONE],
    "base-uri": [_NONE],
    "form-action": [_NONE],
}
CSP_ADMIN_PREFIXES = ("/admin/", "/django-admin/")
CSP_API_PREFIXES = ("/api/",)
CONTENT_SECURITY_POLICY = {"DIRECTIVES": CSP_PORTAL_POLICY}
# Avatars from this site, not from gravatar.com, and no release check against wagtail.org: the
# admin's policy loads nothing from elsewhere.
WAGTAIL_GRAVATAR_PROVIDER_URL = None
WAGTAIL_ENABLE_UPDATE_CHECK = False

# --- Sign-in lock-outs (django-axes, hub/security) ---
# Failed sign-ins are counted per account and, separately, per client address, in the database.
AUTHENTICATION_BACKENDS = [
    "hub.security.backends.LockoutBackend",
    "django.contrib.auth.backends.ModelBackend",
]
AXES_FAILURE_LIMIT = env_int("LOGIN_FAILURE_LIMIT", 10, minimum=1)
AXES_COOLOFF_TIME = env_int("LOGIN_LOCKOUT_MINUTES", 15, minimum=1) / 60  # hours
AXES_LOCKOUT_PARAMETERS = ["username", "ip_address"]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_CALLABLE = "hub.security.views.lockout_response"
AXES_USERNAME_FORM_FIELD = "username"
AXES_SENSITIVE_PARAMETERS = ["password"]
AXES_VERBOSE = False

ROOT_URLCONF = "hub.urls"
WSGI_APPLICATION = "hub.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.debug",
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "wagtail.contrib.settings.context_processors.settings",
            ],
        },
    },
]

# Database: SQLite under var/ unless DATABASE_URL is set. Connections persist between requests.
DATABASE_URL = env_str("DATABASE_URL")
CONN_MAX_AGE = env_int("DB_CONN_MAX_AGE", 600, minimum=0)
if DATABASE_URL:
    DATABASES = {
        "default": dj_database_url.parse(DATABASE_URL, conn_max_age=CONN_MAX_AGE, conn_health_checks=True)
    }
else:
    DATABASES = {
        "default": {
            "ENGINE": "django.db.backends.sqlite3",
            "NAME": VAR_DIR / "hub.sqlite3",
            "CONN_MAX_AGE": CONN_MAX_AGE,
            "OPTIONS": {
                "timeout": 20,
                "transaction_mode": "IMMEDIATE",
                "init_command": (
                    "PRAGMA journal_mode=WAL;"
                    "PRAGMA synchronous=NORMAL;"
                    "PRAGMA busy_timeout=20000;"
                    "PRAGMA foreign_keys=ON;"
                ),
            },
        }
    }
if env_str("TEST_DATABASE_NAME"):
    DATABASES["default"]["TEST"] = {"NAME": env_str("TEST_DATABASE_NAME")}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# Cache and queue: Redis when REDIS_URL is set, otherwise files under var/ (shared by processes).
REDIS_URL = env_str("REDIS_URL")
CACHE_PREFIX = env_str("CACHE_PREFIX", "hub")
if REDIS_URL:
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": REDIS_URL,
            "KEY_PREFIX": CACHE_PREFIX,
        }
    }
else:
    CACHES = {
        "default": {
            "BACKEND": "hub.cache_backends.FileCache",
            "LOCATION": VAR_DIR / "cache",
            "KEY_PREFIX": CACHE_PREFIX,
            "OPTIONS": {"MAX_ENTRIES": 20_000},
        }
    }

HUEY_NAME = env_str("HUEY_NAME", "hub")
HUEY_WORKERS = env_int("HUEY_WORKERS", 4, minimum=1)
_huey_consumer = {
    "workers": HUEY_WORKERS,
    "worker_type": "thread",
    "initial_delay": 0.05,
    "backoff": 1.15,
    "max_delay": 0.5,
    "periodic": True,
    "check_worker_health": True,
}
if REDIS_URL:
    HUEY = {
        "huey_class": "huey.PriorityRedisHuey",
        "name": HUEY_NAME,
        "url": REDIS_URL,
        "immediate": False,
        "consumer": _huey_consumer,
    }
else:
    HUEY = {
        "huey_class": "huey.SqliteHuey",
        "name": HUEY_NAME,
        "filename": str(VAR_DIR / "huey.sqlite3"),
        "immediate": False,
        "consumer": _huey_consumer,
    }

# Wagtail's own background work (search index, reference index) runs on the same huey.
TASKS = {
    "default": {
        "BACKEND": "huey.contrib.djhuey.tasks_backend.HueyBackend",
        "ENQUEUE_ON_COMMIT": True,
    }
}

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

# Language and time: the portal speaks Vietnamese whatever the browser asks (its pages are cached
# for everyone); each admin user picks Vietnamese or English in their profile.
LANGUAGE_CODE = "vi"
LANGUAGES = [("vi", _("Vietnamese")), ("en", _("English"))]
WAGTAILADMIN_PERMITTED_LANGUAGES = LANGUAGES
# Content languages (hub/languages.py): Vietnamese (source), Thái, H'Mông and English. The admin
# stays Vietnamese/English; Django learns the codes it lacks before anything asks about them.
register_languages()
LANGUAGES = CONTENT_LANGUAGES_FOR_DJANGO
WAGTAIL_CONTENT_LANGUAGES = CONTENT_LANGUAGES_FOR_DJANGO
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "Asia/Ho_Chi_Minh"
USE_I18N = True
USE_TZ = True

# Static files are served by WhiteNoise; uploads live outside the source tree.
STATIC_URL = "/static/"
STATIC_ROOT = Path(env_str("STATIC_ROOT", str(VAR_DIR / "static")))
STATICFILES_DIRS = [BASE_DIR / "static"]
MEDIA_URL = "/media/"
MEDIA_ROOT = Path(env_str("MEDIA_ROOT", str(VAR_DIR / "media")))
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedStaticFilesStorage"},
}
WHITENOISE_MAX_AGE = 3600
# Uploads (images and their renditions, documents, audio) on S3-compatible storage when a bucket
# is named; every web process and worker then sees the same files. Names are never overwritten.
S3_BUCKET = env_str("S3_BUCKET")
if S3_BUCKET:
    STORAGES["default"] = {
        "BACKEND": "storages.backends.s3.S3Storage",
        "OPTIONS": {
            "bucket_name": S3_BUCKET,
            "endpoint_url": env_str("S3_ENDPOINT_URL"),
            "region_name": env_str("S3_REGION", "us-east-1"),
            "access_key": env_str("S3_ACCESS_KEY_ID"),
            "secret_key": env_str("S3_SECRET_ACCESS_KEY"),
            "file_overwrite": False,
            "default_acl": None,
            "querystring_auth": True,
        },
    }
AWS_S3_FILE_OVERWRITE = False

# Uploads
DATA_UPLOAD_MAX_NUMBER_FIELDS = 10_000
FILE_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
WAGTAILIMAGES_IMAGE_MODEL = "media.HubImage"
WAGTAILIMAGES_MAX_UPLOAD_SIZE = env_int("IMAGE_MAX_UPLOAD_MB", 20, minimum=1) * 1024 * 1024
WAGTAILIMAGES_MAX_IMAGE_PIXELS = 89_478_485  # Pillow's own decompression-bomb limit
WAGTAILIMAGES_EXTENSIONS = ["gif", "jpg", "jpeg", "png", "webp"]
WAGTAILDOCS_EXTENSIONS = ["pdf", "doc", "docx", "odt", "xls", "xlsx", "ods", "txt", "zip"]
WAGTAILDOCS_EXTENSIONS += ["mp3", "wav", "m4a", "ogg", "oga", "opus", "flac"]  # loudspeaker recordings
WAGTAILDOCS_MAX_UPLOAD_SIZE = 20 * 1024 * 1024

# Wagtail
WAGTAIL_SITE_NAME = env_str("SITE_NAME", "Cổng thông tin tuyên truyền phòng, chống dịch")
WAGTAILADMIN_BASE_URL = env_str("BASE_URL", "http://127.0.0.1:8000")
WAGTAILSEARCH_BACKENDS = {"default": {"BACKEND": "wagtail.search.backends.database"}}
if DATABASES["default"]["ENGINE"].endswith("postgresql"):
    # Full-text search that folds Vietnamese diacritics (made by hub migration 0007).
    WAGTAILSEARCH_BACKENDS["default"]["SEARCH_CONFIG"] = "hub_vi"
WAGTAIL_I18N_ENABLED = True
WAGTAIL_DATE_FORMAT = "%d/%m/%Y"
WAGTAIL_DATETIME_FORMAT = "%d/%m/%Y %H:%M"
WAGTAIL_TIME_FORMAT = "%H:%M"
WAGTAIL_WORKFLOW_REQUIRE_APPROVAL_TO_PUBLISH = True
# The last approval publishes through the sign-off gate (hub/workflows.py).
WAGTAIL_FINISH_WORKFLOW_ACTION = "hub.gate.publish_signed_off"
WAGTAIL_ALLOW_UNICODE_SLUGS = False
WAGTAILEMBEDS_RESPONSIVE_HTML = True

# E-mail: console in development, SMTP configured by environment in production.
EMAIL_BACKEND = env_str("EMAIL_BACKEND", "django.core.mail.backends.console.EmailBackend")
DEFAULT_FROM_EMAIL = env_str("DEFAULT_FROM_EMAIL", "hub@localhost")
WAGTAILADMIN_NOTIFICATION_FROM_EMAIL = DEFAULT_FROM_EMAIL
EMAIL_HOST = env_str("EMAIL_HOST", "localhost")
EMAIL_PORT = env_int("EMAIL_PORT", 25, minimum=1)
EMAIL_HOST_USER = env_str("EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = env_str("EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", False)
EMAIL_USE_SSL = env_bool("EMAIL_USE_SSL", False)
EMAIL_TIMEOUT = env_int("EMAIL_TIMEOUT", 30, minimum=1)

# Channels: each alias names an adapter class and its parameters (see channels/registry.py).
HUB_CHANNELS = {
    "portal": {"BACKEND": "channels.portal.PortalAdapter"},
    "facebook": {"BACKEND": "channels.social.facebook.FacebookAdapter"},
    "x": {"BACKEND": "channels.social.x.XAdapter"},
    "sms": {"BACKEND": "channels.sms.adapter.SmsFeedAdapter"},
    "led": {"BACKEND": "channels.led.adapter.LedFeedAdapter"},
    "loudspeaker": {"BACKEND": "channels.loudspeaker.adapter.LoudspeakerFeedAdapter"},
    "cap": {"BACKEND": "channels.cap.adapter.CapFeedAdapter"},
    "zalo": {"BACKEND": "channels.zalo.adapter.ZaloAdapter"},
    "email": {"BACKEND": "channels.email.adapter.EmailAdapter"},
}
HUB_HTTP_TIMEOUT = env_int("HUB_HTTP_TIMEOUT", 10, minimum=1)
SMS_MAX_SEGMENTS = env_int("SMS_MAX_SEGMENTS", 3, minimum=1)

# --- Portal (hub/, templates/) ---
# Full-page cache of anonymous portal pages and feeds (hub/cache.py); purged on publish/unpublish.
PORTAL_CACHE_ENABLED = env_bool("PORTAL_CACHE", True)
PORTAL_CACHE_SECONDS = env_int("PORTAL_CACHE_SECONDS", 900, minimum=1)
# How long a process trusts the cache generation it read: another process's purge reaches it within this.
PORTAL_GENERATION_CHECK_SECONDS = env_int("PORTAL_GENERATION_CHECK_SECONDS", 1, minimum=0)
# The admin's page search lists at most this many of the newest matching pages (hub/admin_search.py).
ADMIN_SEARCH_CANDIDATES = env_int("ADMIN_SEARCH_CANDIDATES", 200, minimum=1)
# It first searches the pages among this many newest ids, and the older ones only when those hold too few.
ADMIN_SEARCH_WINDOW = env_int("ADMIN_SEARCH_WINDOW", 4000, minimum=1)
# What the portal's cached responses tell browsers and a CDN: keep for a minute, then serve stale
# for a while as they ask again (a purge reaches the CDN through Wagtail's frontend cache).
PORTAL_CDN_MAX_AGE = env_int("PORTAL_CDN_MAX_AGE", 60, minimum=0)
PORTAL_CDN_STALE_SECONDS = env_int("PORTAL_CDN_STALE_SECONDS", 300, minimum=0)

# A CDN in front of the portal is purged through Wagtail's frontend cache when a story changes
# (hub/cdn.py): an HTTP purger such as Varnish or nginx, Cloudflare, or CloudFront. Off by default.
WAGTAILFRONTENDCACHE = {}
if env_str("CDN_PURGE_URL"):
    WAGTAILFRONTENDCACHE["http"] = {
        "BACKEND": "wagtail.contrib.frontend_cache.backends.HTTPBackend",
        "LOCATION": env_str("CDN_PURGE_URL"),
    }
if env_str("CDN_CLOUDFLARE_ZONE_ID"):
    WAGTAILFRONTENDCACHE["cloudflare"] = {
        "BACKEND": "wagtail.contrib.frontend_cache.backends.CloudflareBackend",
        "ZONEID": env_str("CDN_CLOUDFLARE_ZONE_ID"),
        "BEARER_TOKEN": env_str("CDN_CLOUDFLARE_TOKEN", required=True),
    }
if env_str("CDN_CLOUDFRONT_DISTRIBUTION_ID"):
    WAGTAILFRONTENDCACHE["cloudfront"] = {
        "BACKEND": "wagtail.contrib.frontend_cache.backends.CloudfrontBackend",
        "DISTRIBUTION_ID": env_str("CDN_CLOUDFRONT_DISTRIBUTION_ID"),
    }
if WAGTAILFRONTENDCACHE:
    INSTALLED_APPS.append("wagtail.contrib.frontend_cache")

# --- Editorial workflows (hub/) ---
# Hours a review step may wait before it is overdue; shorter in the outbreak phase.
REVIEW_DEADLINE_HOURS = env_int("REVIEW_DEADLINE_HOURS", 24, minimum=1)
REVIEW_DEADLINE_HOURS_OUTBREAK = env_int("REVIEW_DEADLINE_HOURS_OUTBREAK", 4, minimum=1)
# Wagtail's workflow e-mails (submit, approve, reject) go to reviewers and submitters.
WAGTAILADMIN_NOTIFICATION_USE_HTML = True
WAGTAILADMIN_NOTIFICATION_INCLUDE_SUPERUSERS = env_bool("NOTIFY_SUPERUSERS", True)

# --- Publishing pipeline (publishing/) ---
# A worker holds a delivery for this long; after that another worker may take it over.
PUBLISHING_LEASE_SECONDS = env_int("PUBLISHING_LEASE_SECONDS", 120, minimum=1)
# A request to a channel starts only with more than twice this left of the lease, and its
# timeout ends this long before the lease does.
PUBLISHING_FENCE_MARGIN_MS = env_int("PUBLISHING_FENCE_MARGIN_MS", 500, minimum=1)
PUBLISHING_MAX_ATTEMPTS = env_int("PUBLISHING_MAX_ATTEMPTS", 12, minimum=1)
# Retry waits: base × 2^(attempt-1), capped, jittered; never shorter than the server's own wait.
PUBLISHING_BACKOFF_BASE_MS = env_int("PUBLISHING_BACKOFF_BASE_MS", 5_000, minimum=1)
PUBLISHING_BACKOFF_MAX_MS = env_int("PUBLISHING_BACKOFF_MAX_MS", 900_000, minimum=1)
# Look for the post an uncertain attempt may have made before sending again (turn off only to test).
PUBLISHING_RECONCILE = env_bool("PUBLISHING_RECONCILE", True)
# A delivery still sending after this many minutes counts as stuck on the dashboard.
PUBLISHING_STUCK_MINUTES = env_int("PUBLISHING_STUCK_MINUTES", 15, minimum=1)

# --- Social channels (channels/social, channels/facebook.py, channels/x.py) ---

# --- SMS partner feed (channels/sms) ---
SMS_RATE_LIMIT = env_int("SMS_RATE_LIMIT", 120, minimum=1)  # requests per minute per key
# Failed authentications on the feed APIs (SMS, LED, devices), per client address: after this many
# in the window the address is refused (429) for the lock-out; the audit log sums them up.
API_AUTH_FAILURE_LIMIT = env_int("API_AUTH_FAILURE_LIMIT", 20, minimum=1)
API_AUTH_FAILURE_WINDOW_SECONDS = env_int("API_AUTH_FAILURE_WINDOW_SECONDS", 300, minimum=1)
API_AUTH_LOCKOUT_SECONDS = env_int("API_AUTH_LOCKOUT_SECONDS", 300, minimum=1)
# Writes (proof of play, reports) one polling device may make per minute (channels/devices).
DEVICE_WRITE_RATE_LIMIT = env_int("DEVICE_WRITE_RATE_LIMIT", 30, minimum=1)
SMS_QUIET_HOURS = env_str("SMS_QUIET_HOURS", "21:00-07:00")  # local time; empty = none
SMS_PARTNER_STALE_MINUTES = env_int("SMS_PARTNER_STALE_MINUTES", 60, minimum=1)
SMS_RETRACTION_RETENTION_HOURS = env_int("SMS_RETRACTION_RETENTION_HOURS", 72, minimum=1)
SMS_AUTH_CACHE_SECONDS = env_int("SMS_AUTH_CACHE_SECONDS", 30, minimum=0)

# --- LED screens (channels/led) ---
# A screen not seen for this long is listed as offline in the admin and on the dashboard.
LED_OFFLINE_MINUTES = env_int("LED_OFFLINE_MINUTES", 15, minimum=1)
LED_SEEN_INTERVAL = env_int("LED_SEEN_INTERVAL", 60, minimum=1)  # seconds between last-seen writes
LED_TOKEN_CACHE_SECONDS = env_int("LED_TOKEN_CACHE_SECONDS", 60, minimum=0)
# Cache each screen's playlist between changes (turn off only to measure the rebuild).
LED_PLAYLIST_CACHE = env_bool("LED_PLAYLIST_CACHE", True)

# --- Loudspeaker stations (channels/loudspeaker) ---
LOUDSPEAKER_OFFLINE_MINUTES = env_int("LOUDSPEAKER_OFFLINE_MINUTES", 24 * 60, minimum=1)
LOUDSPEAKER_SEEN_INTERVAL = env_int("LOUDSPEAKER_SEEN_INTERVAL", 60, minimum=1)
LOUDSPEAKER_TOKEN_CACHE_SECONDS = env_int("LOUDSPEAKER_TOKEN_CACHE_SECONDS", 60, minimum=0)
LOUDSPEAKER_SCHEDULE_CACHE = env_bool("LOUDSPEAKER_SCHEDULE_CACHE", True)
LOUDSPEAKER_MAX_SECONDS = env_int("LOUDSPEAKER_MAX_SECONDS", 300, minimum=10)  # longest script read aloud

# --- CAP alerts (channels/cap) ---
# Sign every CAP document (XML-DSig, enveloped) with this PEM key and certificate (chain); both or neither.
CAP_SIGNING_KEY_FILE = env_str("CAP_SIGNING_KEY_FILE", "")
CAP_SIGNING_CERT_FILE = env_str("CAP_SIGNING_CERT_FILE", "")
CAP_SIGNING_KEY_PASSPHRASE = env_str("CAP_SIGNING_KEY_PASSPHRASE", "")

# --- Monthly reports (publishing/reports) ---
# Built for every organisation on this day of the month (1-28) at this local time, covering the
# month before it; the document template is a .docx an office may replace (empty: the bundled one).
REPORTS_DAY = min(env_int("REPORTS_DAY", 23, minimum=1), 28)
REPORTS_HOUR = min(env_int("REPORTS_HOUR", 7, minimum=0), 23)
REPORTS_MINUTE = min(env_int("REPORTS_MINUTE", 0, minimum=0), 59)
REPORTS_DOCX_TEMPLATE = env_str("REPORTS_DOCX_TEMPLATE", "")
REPORTS_PLACE = env_str("REPORTS_PLACE", "Điện Biên")  # the place in the date line of the document
REPORTS_PDF = env_bool("REPORTS_PDF", False)  # also a PDF, when LibreOffice is installed
# --- Zalo OA and official e-mail (channels/zalo, channels/email) ---
# Fernet keys (newest first) that encrypt stored channel tokens such as Zalo's rotating refresh token.
CHANNEL_SECRET_KEYS = env_list("CHANNEL_SECRET_KEYS", [])
ZALO_TOKEN_CAS_ONLY = env_bool("ZALO_TOKEN_CAS_ONLY", False)  # skip SELECT … FOR UPDATE (tests)
# E-mail deliveries: the backend (default: EMAIL_BACKEND), messages per SMTP connection, and a
# per-worker ceiling in messages per second (0: as fast as the server takes them).
EMAIL_CHANNEL_BACKEND = env_str("EMAIL_CHANNEL_BACKEND", "")
EMAIL_CHANNEL_FROM = env_str("EMAIL_CHANNEL_FROM", DEFAULT_FROM_EMAIL)
EMAIL_CHANNEL_BATCH = env_int("EMAIL_CHANNEL_BATCH", 200, minimum=1)
EMAIL_CHANNEL_RATE = env_int("EMAIL_CHANNEL_RATE", 0, minimum=0)
EMAIL_CHANNEL_CONNECTIONS = env_int("EMAIL_CHANNEL_CONNECTIONS", 4, minimum=1)  # SMTP connections per worker
# Portal subscriptions: sign-ups per address (IP) per hour; how long a confirmation link works.
EMAIL_SUBSCRIBE_RATE = env_int("EMAIL_SUBSCRIBE_RATE", 10, minimum=1)
EMAIL_CONFIRM_DAYS = env_int("EMAIL_CONFIRM_DAYS", 7, minimum=1)

# --- Rumour and question intake (hub/intake) ---
INTAKE_CONTACT_RETENTION_DAYS = env_int("INTAKE_CONTACT_RETENTION_DAYS", 90, minimum=1)
INTAKE_RATE_PER_ADDRESS = env_int("INTAKE_RATE_PER_ADDRESS", 10, minimum=1)  # reports per hour per IP
INTAKE_RATE_PER_CONTACT = env_int("INTAKE_RATE_PER_CONTACT", 5, minimum=1)  # reports per day per contact
INTAKE_GROUPING_DAYS = env_int("INTAKE_GROUPING_DAYS", 90, minimum=1)  # how far back a report finds its claim
INTAKE_PRIORITY_PER_REGION = env_int("INTAKE_PRIORITY_PER_REGION", 3, minimum=0)
# First word of a forwarded SMS: a rumour report or a question (any other text counts as a rumour).
INTAKE_SMS_RUMOUR_KEYWORDS = env_list("INTAKE_SMS_RUMOUR_KEYWORDS", ["TINDON", "BAOTIN"])
INTAKE_SMS_QUESTION_KEYWORDS = env_list("INTAKE_SMS_QUESTION_KEYWORDS", ["HOI"])

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s: %(message)s"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "plain"}},
    "root": {"handlers": ["console"], "level": env_str("LOG_LEVEL", "INFO")},
    "loggers": {
        "django.db.backends": {"level": "WARNING"},
        # The consumer gives the "huey" logger a handler of its own; don't print its lines twice.
        "huey": {"level": env_str("HUEY_LOG_LEVEL", "INFO"), "propagate": False},
        "django_tasks": {"level": "WARNING"},
    },
}
