"""How channels mark an exercise (a drill, docs/exercise.md): read from `Publication.is_exercise`.

The marks are in Vietnamese whatever the admin's language: they are read by the public.
"""

EXERCISE_WORD = "DIỄN TẬP"
SMS_PREFIX = "DIỄN TẬP: "
SMS_PREFIX_ASCII = "DIEN TAP: "
LOUDSPEAKER_NOTICE = "Thông báo: đây là bản tin diễn tập, không phải tình huống thật."


def is_exercise(publication) -> bool:
    """The flag frozen on the publication (a draft shown to the approver carries it too)."""
    return bool(getattr(publication, "is_exercise", False))


def split_mark(text: str) -> tuple[str, str]:
    """(band, rest) of an LED text: a marked exercise text shows its mark as the frame's band."""
    if text.startswith(SMS_PREFIX):
        return EXERCISE_WORD, text[len(SMS_PREFIX) :]
    return "", text


def bulletin_script(text: str, *, exercise: bool) -> str:
    """A loudspeaker script as read out (and synthesised): a drill opens with the notice."""
    return f"{LOUDSPEAKER_NOTICE} {text}" if exercise and text else text
