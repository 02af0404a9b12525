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
    "publishing",
    "channels",
    "channels.social",
    "channels.sms",
    "channels.led",
    "media",
    "wagtail.contrib.forms",
    "wagtail.contrib.redirects",
    "wagtail.contrib.settings",
    "wagtail.contrib.sitemaps",
    "wagtail.contrib.routable_page",
    "wagtail.contrib.simple_translation",
    "wagtail.locales",
    "wagtail.embeds",
    "wagtail.sites",
    "wagtail.users",
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
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    # The token-authenticated LED feed answers here: no sessions, CSRF or page cache needed.
    "channels.led.middleware.LedFeedMiddleware",
    # Likewise well-formed SMS feed reads (bearer keys, no cookies); the rest goes on to the API.
    "channels.sms.middleware.SmsFeedMiddleware",
    # The portal's language comes from the URL prefix alone (/hmn/…), never from the browser.
    "hub.languages.ContentLanguageMiddleware",
    "hub.cache.PortalCacheMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "wagtail.contrib.redirects.middleware.RedirectMiddleware",
]

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

# Uploads
DATA_UPLOAD_MAX_NUMBER_FIELDS = 10_000
FILE_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
WAGTAILIMAGES_IMAGE_MODEL = "media.HubImage"
WAGTAILIMAGES_MAX_UPLOAD_SIZE = env_int("IMAGE_MAX_UPLOAD_MB", 20, minimum=1) * 1024 * 1024
WAGTAILIMAGES_MAX_IMAGE_PIXELS = 89_478_485  # Pillow's own decompression-bomb limit
WAGTAILIMAGES_EXTENSIONS = ["gif", "jpg", "jpeg", "png", "webp"]
WAGTAILDOCS_EXTENSIONS = ["pdf", "doc", "docx", "odt", "xls", "xlsx", "ods", "txt", "zip"]
WAGTAILDOCS_MAX_UPLOAD_SIZE = 20 * 1024 * 1024

# Wagtail
WAGTAIL_SITE_NAME = env_str("SITE_NAME", "Cổng thông tin tuyên truyền phòng, chống dịch")
WAGTAILADMIN_BASE_URL = env_str("BASE_URL", "http://127.0.0.1:8000")
WAGTAILSEARCH_BACKENDS = {"default": {"BACKEND": "wagtail.search.backends.database"}}
WAGTAIL_I18N_ENABLED = True
WAGTAIL_DATE_FORMAT = "%d/%m/%Y"
WAGTAIL_DATETIME_FORMAT = "%d/%m/%Y %H:%M"
WAGTAIL_TIME_FORMAT = "%H:%M"
WAGTAIL_WORKFLOW_REQUIRE_APPROVAL_TO_PUBLISH = True
WAGTAIL_ALLOW_UNICODE_SLUGS = False
WAGTAILEMBEDS_RESPONSIVE_HTML = True

# E-mail: console in development, SMTP configured by environment in production.
EMAIL_BACKEND = env_str("EMAIL_BACKEND", "django.core.mail.backends.console.EmailBackend")
DEFAULT_FROM_EMAIL = env_str("DEFAULT_FROM_EMAIL", "hub@localhost")
WAGTAILADMIN_NOTIFICATION_FROM_EMAIL = DEFAULT_FROM_EMAIL

# Channels: each alias names an adapter class and its parameters (see channels/registry.py).
HUB_CHANNELS = {
    "portal": {"BACKEND": "channels.portal.PortalAdapter"},
    "facebook": {"BACKEND": "channels.social.facebook.FacebookAdapter"},
    "x": {"BACKEND": "channels.social.x.XAdapter"},
    "sms": {"BACKEND": "channels.sms.adapter.SmsFeedAdapter"},
    "led": {"BACKEND": "channels.led.adapter.LedFeedAdapter"},
}
HUB_HTTP_TIMEOUT = env_int("HUB_HTTP_TIMEOUT", 10, minimum=1)
SMS_MAX_SEGMENTS = env_int("SMS_MAX_SEGMENTS", 3, minimum=1)

# --- Portal (hub/, templates/) ---
# Full-page cache of anonymous portal pages and feeds (hub/cache.py); purged on publish/unpublish.
PORTAL_CACHE_ENABLED = env_bool("PORTAL_CACHE", True)
PORTAL_CACHE_SECONDS = env_int("PORTAL_CACHE_SECONDS", 900, minimum=1)

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
