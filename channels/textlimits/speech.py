"""Text read aloud: numbers in Vietnamese words, no addresses, and the reading time at broadcast pace.

Pure Python, like the SMS and X measures: the editor's live counter, the loudspeaker channel and
the speech synthesiser share one rule.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass

from channels.textlimits.urls import _url_spans

# A commune announcer reads about 150 Vietnamese syllables (written words) a minute, with a short
# pause at each sentence end; the synthesiser is driven at the same pace (media.audio).
BROADCAST_WORDS_PER_MINUTE = 150
SENTENCE_PAUSE_S = 0.3
SYNTH_SPEED_WPM = 118  # espeak-ng's -s that reads Vietnamese at BROADCAST_WORDS_PER_MINUTE

_DIGITS = ("không", "một", "hai", "ba", "bốn", "năm", "sáu", "bảy", "tám", "chín")
_SCALES = ("", "nghìn", "triệu", "tỷ")


def _under_hundred(n: int, *, full: bool) -> list[str]:
    """0–99; `full` when a hundreds digit was spoken before (then 5 → linh năm, 0 → nothing)."""
    tens, units = divmod(n, 10)
    if tens == 0:
        if units == 0:
            return []
        return (["linh"] if full else []) + [_DIGITS[units]]
    words = ["mười"] if tens == 1 else [_DIGITS[tens], "mươi"]
    if units == 0:
        return words
    if units == 5:
        return [*words, "lăm"]
    if units == 1 and tens > 1:
        return [*words, "mốt"]
    if units == 4 and tens > 1:
        return [*words, "tư"]
    return [*words, _DIGITS[units]]


def _under_thousand(n: int, *, full: bool) -> list[str]:
    hundreds, rest = divmod(n, 100)
    if hundreds or full:
        return [_DIGITS[hundreds], "trăm", *_under_hundred(rest, full=True)]
    return _under_hundred(rest, full=False)


def number_words(n: int) -> str:
    """A whole number in Vietnamese words: 2021 → "hai nghìn không trăm hai mươi mốt"."""
    if n < 0:
        return "âm " + number_words(-n)
    if n == 0:
        return "không"
    if n >= 10**12:
        head, rest = divmod(n, 10**9)
        tail = number_words(rest) if rest else ""
        return f"{number_words(head)} tỷ {tail}".strip()
    groups = []
    while n:
        n, group = divmod(n, 1000)
        groups.append(group)
    words: list[str] = []
    for index in range(len(groups) - 1, -1, -1):
        group = groups[index]
        if group == 0:
            continue
        spoken = _under_thousand(group, full=bool(words))
        words += [*spoken, _SCALES[index]] if _SCALES[index] else spoken
    return " ".join(words)


def _digits_words(digits: str) -> str:
    return " ".join(_DIGITS[int(d)] for d in digits)


_NUMBER = re.compile(
    r"(?<![\w.,])"
    r"(?:(?P<time>(?P<hour>[01]?\d|2[0-3])(?:h|:|giờ\s?)(?P<minute>[0-5]\d)?)"
    r"|(?P<date>(?P<day>[0-3]?\d)/(?P<month>[01]?\d)(?:/(?P<year>\d{4}))?)"
    r"|(?P<number>\d{1,3}(?:\.\d{3})+|\d+)(?:,(?P<decimal>\d+))?(?P<percent>\s?%)?)"
    r"(?![\w/])"
)


def _spoken_number(match: re.Match) -> str:
    if match["time"]:
        words = f"{number_words(int(match['hour']))} giờ"
        if match["minute"] and int(match["minute"]):
            words += f" {number_words(int(match['minute']))} phút"
        return words
    if match["date"]:
        day, month = int(match["day"]), int(match["month"])
        if not (1 <= day <= 31 and 1 <= month <= 12):
            return match[0]
        said_day = match.string[: match.start()].rstrip().lower().endswith("ngày")
        words = ("" if said_day else "ngày ") + f"{number_words(day)} tháng {number_words(month)}"
        if match["year"]:
            words += f" năm {number_words(int(match['year']))}"
        return words
    whole = match["number"].replace(".", "")
    words = _digits_words(whole) if len(whole) > 1 and whole.startswith("0") else number_words(int(whole))
    if match["decimal"]:
        words += " phẩy " + (
            _digits_words(match["decimal"])
            if match["decimal"].startswith("0")
            else number_words(int(match["decimal"]))
        )
    if match["percent"]:
        words += " phần trăm"
    return words


def without_urls(text: str) -> str:
    """The text with web and e-mail addresses taken out (nobody can hear a link)."""
    spans = _url_spans(text)
    for start in sorted(spans, reverse=True):
        text = text[:start] + text[start + spans[start] :]
    text = re.sub(r"\S+@\S+\.\w+", "", text)
    text = re.sub(r"\(\s*\)|\[\s*\]", "", text)
    return " ".join(text.split()).replace(" .", ".").replace(" ,", ",")


def spoken_numbers(text: str) -> str:
    """Numbers, times (6h30, 17:30), dates (23/11, 23/11/2026) and percentages in words."""
    return _NUMBER.sub(_spoken_number, text)


def speakable(text: str) -> str:
    """What an announcer or the synthesiser can read as it stands: no addresses, numbers in words."""
    return spoken_numbers(without_urls(text))


def has_url(text: str) -> bool:
    return bool(_url_spans(text))


_SENTENCE_END = re.compile(r"[.!?…;:]+(?:\s|$)")


@dataclass(frozen=True)
class ReadingMeasure:
    """How long a script takes to read at broadcast pace."""

    words: int
    sentences: int
    seconds: int


def measure_reading(text: str, *, words_per_minute: int = BROADCAST_WORDS_PER_MINUTE) -> ReadingMeasure:
    """Words (Vietnamese syllables) at `words_per_minute`, plus a short pause at each sentence end."""
    words = len(text.split())
    if not words:
        return ReadingMeasure(0, 0, 0)
    sentences = max(1, len(_SENTENCE_END.findall(text.strip())))
    seconds = words * 60 / words_per_minute + sentences * SENTENCE_PAUSE_S
    return ReadingMeasure(words, sentences, math.ceil(seconds))
