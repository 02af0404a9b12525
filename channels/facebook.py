"""The Facebook Page adapter (settings: `channels.facebook.FacebookAdapter`); code in channels/social/facebook.py."""

from channels.social.facebook import FacebookAdapter, Graph

__all__ = ["FacebookAdapter", "Graph"]
