"""The one way in from Wagtail: page published / unpublished → one service each."""

from publishing.services import publication_create, publication_retract


def on_page_published(sender, *, instance, revision=None, **kwargs) -> None:
    publication_create(page=instance, revision=revision, user=None)


def on_page_unpublished(sender, *, instance, **kwargs) -> None:
    from hub.models import StoryPage

    if isinstance(instance.specific, StoryPage):
        publication_retract(page=instance, user=None)
