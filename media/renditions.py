"""Renditions each channel needs, made on demand in the worker (never in a public request)."""

SOCIAL_CARD_FILTER = "fill-1200x630|format-jpeg|jpegquality-85"


def social_card(image):
    """The 1200×630 JPEG that Facebook and X show for a story."""
    return image.get_rendition(SOCIAL_CARD_FILTER)
