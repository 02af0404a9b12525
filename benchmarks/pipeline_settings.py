"""Settings for the pipeline benchmarks: the base settings plus test channels from BENCH_CHANNELS."""

import json
import os

from hub.settings.base import *  # noqa: F403
from hub.settings.base import LOGGING

HUB_CHANNELS = {
    "portal": {"BACKEND": "channels.portal.PortalAdapter"},
    **json.loads(os.environ.get("BENCH_CHANNELS", "{}")),
}
LOGGING = {**LOGGING, "root": {"handlers": ["console"], "level": "WARNING"}}
LOGGING["loggers"] = {**LOGGING["loggers"], "huey": {"level": "WARNING"}}
