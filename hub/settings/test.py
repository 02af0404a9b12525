"""Tests: fast hashing, in-memory e-mail and files, huey run inline unless a test opts out."""

from hub.settings.base import *  # noqa: F403
from hub.settings.base import HUEY, LOGGING, REDIS_URL

PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
HUEY = {**HUEY, "immediate": True}
if not REDIS_URL:
    # Each test process gets its own cache; the file cache would be shared between runs.
    CACHES = {
        "default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": "hub-tests"}
    }
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.InMemoryStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
WHITENOISE_AUTOREFRESH = True
LOGGING = {**LOGGING, "root": {"handlers": ["console"], "level": "WARNING"}}
# The portal page cache is shared across test runs: tests that exercise it opt in and purge first.
PORTAL_CACHE_ENABLED = False
# Tests clear and purge the cache between steps: every request reads the generation afresh.
PORTAL_GENERATION_CHECK_SECONDS = 0
# Tests share one cache per process: a lock-out after failed API logins applies only in the tests
# that ask for it (they set the limit and use an address of their own).
API_AUTH_FAILURE_LIMIT = 100_000
# A throwaway Fernet key for stored channel tokens in tests (never used outside them).
CHANNEL_SECRET_KEYS = ["uJ0nHq8m6ZyqE2S7n3b9oQf5nV2H0xPjS4Yk1cW8dTA="]
# One SMTP connection per worker in tests: side-by-side lanes run in threads that cannot see a test's transaction.
EMAIL_CHANNEL_CONNECTIONS = 1
