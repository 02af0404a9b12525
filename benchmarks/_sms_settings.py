"""Production settings plus a minimal JSON view, for the SMS feed benchmark only."""

from hub.settings.production import *  # noqa: F403

ROOT_URLCONF = "benchmarks._sms_urls"
