"""Cache invalidation: anything a playlist depends on changes the generation."""

from django.db.models.signals import m2m_changed, post_delete, post_save

from channels.led import feed


def _bump(**kwargs) -> None:
    feed.bump_generation()


def _screen_changed(sender, instance, **kwargs) -> None:
    feed.forget_token_hashes(list(instance.tokens.values_list("hash", flat=True)) if instance.pk else [])
    feed.bump_generation()


def _token_changed(sender, instance, **kwargs) -> None:
    feed.forget_token_hashes([instance.hash])
    feed.bump_generation()  # processes drop the token from memory too


def connect() -> None:
    from channels.led.models import PlaylistItem, Screen, ScreenToken
    from hub.models import CampaignSettings, Region

    for model in (PlaylistItem, Region, CampaignSettings):
        post_save.connect(_bump, sender=model, dispatch_uid=f"led-bump-save-{model.__name__}")
        post_delete.connect(_bump, sender=model, dispatch_uid=f"led-bump-delete-{model.__name__}")
    m2m_changed.connect(_bump, sender=PlaylistItem.regions.through, dispatch_uid="led-bump-regions")
    post_save.connect(_screen_changed, sender=Screen, dispatch_uid="led-screen-save")
    post_delete.connect(_bump, sender=Screen, dispatch_uid="led-screen-delete")
    post_save.connect(_token_changed, sender=ScreenToken, dispatch_uid="led-token-save")
    post_delete.connect(_token_changed, sender=ScreenToken, dispatch_uid="led-token-delete")
