"""Development: the embedded run on one machine."""

from hub.settings.base import *  # noqa: F403

DEBUG = True
