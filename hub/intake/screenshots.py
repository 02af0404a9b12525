"""Screenshots: checked like every image upload, then re-encoded so that only pixels are stored."""

import io

from django.core.files.base import ContentFile
from PIL import Image, ImageOps

from hub.intake.matching import dhash

MAX_SIDE = 2000  # pixels; a phone screenshot stays readable


def screenshot_clean(upload) -> tuple[ContentFile, str]:
    """A JPEG of the picture (no metadata, no other bytes of the upload) and its dHash.

    The upload has already passed Wagtail's image field checks (type, size, pixel count).
    """
    upload.seek(0)
    with Image.open(upload) as image:
        image = ImageOps.exif_transpose(image)
        image.thumbnail((MAX_SIDE, MAX_SIDE))
        picture = image.convert("RGB")
    buffer = io.BytesIO()
    picture.save(buffer, format="JPEG", quality=85, optimize=True)
    return ContentFile(buffer.getvalue(), name="screenshot.jpg"), dhash(picture)
