"""The X adapter (settings: `channels.x.XAdapter`); code in channels/social/x.py."""

from channels.social.x import XAdapter

__all__ = ["XAdapter"]
