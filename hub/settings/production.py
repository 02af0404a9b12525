"""Production: secure defaults; required variables are checked at start-up."""

import sys

from hub.settings.base import *  # noqa: F403
from hub.settings.env import ConfigError, env_bool, env_int, env_list, env_str

try:
    SECRET_KEY = env_str("SECRET_KEY", required=True)
    if SECRET_KEY.startswith("dev-only") or len(SECRET_KEY) < 50:
        raise ConfigError("Environment variable SECRET_KEY must be a random string of 50+ characters.")
    ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", [])
    if not ALLOWED_HOSTS:
        raise ConfigError("Environment variable ALLOWED_HOSTS is required (comma-separated host names).")
    WAGTAILADMIN_BASE_URL = env_str("BASE_URL", required=True)
except ConfigError as error:
    sys.exit(f"Configuration error: {error}")

DEBUG = False
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", True)
SECURE_HSTS_SECONDS = env_int("SECURE_HSTS_SECONDS", 31_536_000, minimum=0)
SECURE_HSTS_INCLUDE_SUBDOMAINS = True
SECURE_HSTS_PRELOAD = True
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "strict-origin-when-cross-origin"
SESSION_COOKIE_SECURE = True
CSRF_COOKIE_SECURE = True
SESSION_COOKIE_HTTPONLY = True
X_FRAME_OPTIONS = "DENY"  # Wagtail's preview views set SAMEORIGIN for themselves
STORAGES = {
    **STORAGES,  # noqa: F405
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
}

# One JSON object a line, for log collectors (development keeps readable text).
LOGGING = {
    **LOGGING,  # noqa: F405
    "formatters": {**LOGGING["formatters"], "json": {"()": "hub.logformat.JsonFormatter"}},  # noqa: F405
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "json"}},
}
