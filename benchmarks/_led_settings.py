"""Production settings plus a minimal JSON view, for the LED benchmark only."""

from hub.settings.production import *  # noqa: F403

ROOT_URLCONF = "benchmarks._led_urls"
