"""Adapters by alias, loaded from `settings.HUB_CHANNELS` (a dict of {alias: {"BACKEND": path, ...}})."""

from functools import cache

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.utils.module_loading import import_string

from channels.base import ChannelAdapter


@cache
def get_adapters() -> dict[str, ChannelAdapter]:
    adapters = {}
    for alias, config in settings.HUB_CHANNELS.items():
        params = dict(config)
        try:
            backend = params.pop("BACKEND")
        except KeyError:
            raise ImproperlyConfigured(f"Channel {alias!r} in HUB_CHANNELS has no BACKEND.") from None
        adapters[alias] = import_string(backend)(alias, params)
    return adapters


def get_adapter(alias: str) -> ChannelAdapter:
    try:
        return get_adapters()[alias]
    except KeyError:
        raise ImproperlyConfigured(f"No channel {alias!r} in HUB_CHANNELS.") from None


def reset_on_setting_change(*, setting: str, **kwargs) -> None:
    if setting == "HUB_CHANNELS":
        get_adapters.cache_clear()
