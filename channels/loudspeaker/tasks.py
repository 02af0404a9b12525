"""Thin huey tasks of the loudspeaker channel."""

from huey.contrib.djhuey import db_task

from channels.loudspeaker.services import bulletin_make_audio


@db_task()
def bulletin_audio_task(bulletin_id: int) -> None:
    """Makes a bulletin's MP3 (encoding or synthesis takes seconds: never inside a request)."""
    bulletin_make_audio(bulletin_id=bulletin_id)
