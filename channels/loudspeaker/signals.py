"""Cache invalidation: anything a schedule depends on changes the generation."""

from django.db.models.signals import m2m_changed, post_delete, post_save

from channels.loudspeaker.feed import devices


def _bump(**kwargs) -> None:
    devices.bump_generation()


def _station_changed(sender, instance, **kwargs) -> None:
    devices.forget_token_hashes(list(instance.tokens.values_list("hash", flat=True)) if instance.pk else [])
    devices.bump_generation()


def _token_changed(sender, instance, **kwargs) -> None:
    devices.forget_token_hashes([instance.hash])
    devices.bump_generation()  # processes drop the token from memory too


def connect() -> None:
    from channels.loudspeaker.models import Bulletin, Station, StationToken
    from hub.models import CampaignSettings, Region

    for model in (Bulletin, Region, CampaignSettings):
        post_save.connect(_bump, sender=model, dispatch_uid=f"ls-bump-save-{model.__name__}")
        post_delete.connect(_bump, sender=model, dispatch_uid=f"ls-bump-delete-{model.__name__}")
    m2m_changed.connect(_bump, sender=Bulletin.regions.through, dispatch_uid="ls-bump-regions")
    post_save.connect(_station_changed, sender=Station, dispatch_uid="ls-station-save")
    post_delete.connect(_bump, sender=Station, dispatch_uid="ls-station-delete")
    post_save.connect(_token_changed, sender=StationToken, dispatch_uid="ls-token-save")
    post_delete.connect(_token_changed, sender=StationToken, dispatch_uid="ls-token-delete")
