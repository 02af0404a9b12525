"""Measure outgoing text the way each channel counts it: SMS segments and X weighted length.

Pure Python (no Django) so the editor's live counters and the channel senders share one rule.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

from anyascii import anyascii

from channels.textlimits.emoji import _emoji_spans
from channels.textlimits.speech import ReadingMeasure, measure_reading, speakable
from channels.textlimits.urls import _url_spans

__all__ = [
    "GSM7_BASIC",
    "GSM7_EXTENSION",
    "SMS_MULTI_GSM7",
    "SMS_MULTI_UCS2",
    "SMS_SINGLE_GSM7",
    "SMS_SINGLE_UCS2",
    "X_MAX_WEIGHTED",
    "ReadingMeasure",
    "SmsMeasure",
    "XMeasure",
    "measure_reading",
    "measure_sms",
    "measure_x",
    "normalize",
    "speakable",
    "to_ascii",
    "x_weighted_length",
]


# --------------------------------------------------------------------------------------
# Normalisation
# --------------------------------------------------------------------------------------

_LINE_BREAKS = re.compile(r"\r\n|\r")


def normalize(text: str) -> str:
    """NFC-normalise and turn CRLF/CR into LF, the form every channel is measured and sent in."""
    return _LINE_BREAKS.sub("\n", unicodedata.normalize("NFC", text))


# --------------------------------------------------------------------------------------
# SMS: GSM 03.38 septets or UCS-2 code units, packed into concatenated segments
# --------------------------------------------------------------------------------------

GSM7_BASIC = (
    "@£$¥èéùìòÇ\nØø\rÅåΔ_ΦΓΛΩΠΨΣΘΞ\x1bÆæßÉ !\"#¤%&'()*+,-./0123456789:;<=>?"
    "¡ABCDEFGHIJKLMNOPQRSTUVWXYZÄÖÑÜ§¿abcdefghijklmnopqrstuvwxyzäöñüà"
)
GSM7_EXTENSION = "\x0c^{}\\[~]|€"

SMS_SINGLE_GSM7, SMS_MULTI_GSM7 = 160, 153  # septets; a part loses 7 to the UDH
SMS_SINGLE_UCS2, SMS_MULTI_UCS2 = 70, 67  # UTF-16 code units

# Septets per GSM-7 character: extension characters are sent as ESC + char.
_GSM7_SEPTETS = dict.fromkeys(GSM7_BASIC, 1) | dict.fromkeys(GSM7_EXTENSION, 2)


@dataclass(frozen=True)
class SmsMeasure:
    """How an SMS will be sent: `units` are septets (GSM-7) or UTF-16 code units (UCS-2).

    `remaining` is what still fits in the last segment; empty text is 0 segments.
    """

    chars: int
    encoding: str
    units: int
    segments: int
    per_segment: int
    remaining: int


def measure_sms(text: str) -> SmsMeasure:
    """Measure `normalize(text)` as an SMS, packing segments the way phones and SMSCs do.

    An escape sequence or a surrogate pair is never split across segments, so a
    multipart message can hold fewer units than ceil-division suggests.
    """
    text = normalize(text)
    if all(char in _GSM7_SEPTETS for char in text):
        encoding, single, multi = "GSM-7", SMS_SINGLE_GSM7, SMS_MULTI_GSM7
        costs = [_GSM7_SEPTETS[char] for char in text]
    else:
        encoding, single, multi = "UCS-2", SMS_SINGLE_UCS2, SMS_MULTI_UCS2
        costs = [2 if ord(char) > 0xFFFF else 1 for char in text]

    units = sum(costs)
    if units <= single:
        segments = 1 if units else 0
        return SmsMeasure(len(text), encoding, units, segments, single, single - units)
    parts = _pack(costs, capacity=multi)
    return SmsMeasure(len(text), encoding, units, len(parts), multi, multi - parts[-1])


def _pack(costs: list[int], *, capacity: int) -> list[int]:
    """Fill segments greedily with indivisible characters; return each segment's units."""
    parts = [0]
    for cost in costs:
        if parts[-1] + cost > capacity:
            parts.append(0)
        parts[-1] += cost
    return parts


# --------------------------------------------------------------------------------------
# Diacritic-free (ASCII, GSM-7 safe) variant
# --------------------------------------------------------------------------------------

# anyascii already maps đ/Đ to d/D; spelt out because Vietnamese copy depends on it.
_PRE_ASCII = str.maketrans({"đ": "d", "Đ": "D"})
# ASCII that GSM-7 cannot carry: backtick and control characters other than LF/CR/FF/ESC.
_CONTROL_CHARS = [chr(code) for code in (*range(0x20), 0x7F)]
_GSM7_FIXUPS = str.maketrans(
    dict.fromkeys((char for char in _CONTROL_CHARS if char not in _GSM7_SEPTETS), "") | {"`": "'", "\t": " "}
)


def to_ascii(text: str) -> str:
    """Transliterate to plain ASCII that is also GSM-7, e.g. for a diacritic-free SMS."""
    return anyascii(normalize(text).translate(_PRE_ASCII)).translate(_GSM7_FIXUPS)


# --------------------------------------------------------------------------------------
# X (Twitter) weighted length: a port of twitter-text v3 (config "defaults"/version 3)
# --------------------------------------------------------------------------------------

X_MAX_WEIGHTED = 280
_X_SCALE = 100
_X_DEFAULT_WEIGHT = 200
_X_URL_WEIGHT = 23 * _X_SCALE  # transformedURLLength
_X_LIGHT_RANGES = ((0x0000, 0x10FF), (0x2000, 0x200D), (0x2010, 0x201F), (0x2032, 0x2037))
_X_INVALID_CHARS = frozenset("\ufffe\ufeff\uffff")


@dataclass(frozen=True)
class XMeasure:
    """Weighted length of a post against the X limit; `remaining` goes negative when over."""

    weighted: int
    max: int
    remaining: int
    valid: bool


def measure_x(text: str) -> XMeasure:
    """Measure a post; like twitter-text it is invalid when empty, too long or has U+FFFE/FEFF/FFFF."""
    text = normalize(text)
    weighted = _x_weighted(text)
    valid = 0 < weighted <= X_MAX_WEIGHTED and _X_INVALID_CHARS.isdisjoint(text)
    return XMeasure(weighted, X_MAX_WEIGHTED, X_MAX_WEIGHTED - weighted, valid)


def x_weighted_length(text: str) -> int:
    """Weighted length as twitter-text v3 counts it: URLs 23, emoji 2, CJK etc. 2, Latin 1."""
    return _x_weighted(normalize(text))


def _x_weighted(text: str) -> int:
    """Weighted length of already normalised text (see `x_weighted_length`)."""
    urls = _url_spans(text)
    emoji = _emoji_spans(text)
    weighted = 0
    index = 0
    while index < len(text):
        if index in urls:  # URLs win over emoji starting at the same index
            weighted += _X_URL_WEIGHT
            index += urls[index]
        elif index in emoji:
            weighted += _X_DEFAULT_WEIGHT
            index += emoji[index]
        else:
            weighted += _x_char_weight(text[index])
            index += 1
    return weighted // _X_SCALE


def _x_char_weight(char: str) -> int:
    """Weight of one code point outside URLs and emoji."""
    code = ord(char)
    if any(start <= code <= end for start, end in _X_LIGHT_RANGES):
        return _X_SCALE
    return _X_DEFAULT_WEIGHT
