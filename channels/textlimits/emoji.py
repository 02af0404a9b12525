"""Emoji sequences as twitter-text 3.0 counts them (one emoji = one weighted unit of 200)."""

from __future__ import annotations

import functools

# --- Emoji -----------------------------------------------------------------------------
# twitter-text 3.0 (Python) counts as one emoji each multi-code-point sequence listed in
# Unicode's emoji-test.txt 12.0 (fully-, minimally- and un-qualified), matched leftmost-
# longest. The tables below regenerate exactly that list; newer emoji (12.1+) are counted
# per code point, as the reference does. Single code points need no table: they weigh 200
# anyway, except the two that sit inside a light range.

_VS16, _ZWJ = "\ufe0f", "\u200d"
_TONES = [chr(code) for code in range(0x1F3FB, 0x1F400)]  # light .. dark skin tone
_LIGHT_EMOJI = frozenset("©®")
_KEYCAP_BASES = "#*0123456789"
_TAG_FLAGS = ("gbeng", "gbsct", "gbwls")  # England, Scotland, Wales
_FLAG_REGIONS = """
AC AD AE AF AG AI AL AM AO AQ AR AS AT AU AW AX AZ BA BB BD BE BF BG BH BI BJ BL BM BN BO
BQ BR BS BT BV BW BY BZ CA CC CD CF CG CH CI CK CL CM CN CO CP CR CU CV CW CX CY CZ DE DG
DJ DK DM DO DZ EA EC EE EG EH ER ES ET EU FI FJ FK FM FO FR GA GB GD GE GF GG GH GI GL GM
GN GP GQ GR GS GT GU GW GY HK HM HN HR HT HU IC ID IE IL IM IN IO IQ IR IS IT JE JM JO JP
KE KG KH KI KM KN KP KR KW KY KZ LA LB LC LI LK LR LS LT LU LV LY MA MC MD ME MF MG MH MK
ML MM MN MO MP MQ MR MS MT MU MV MW MX MY MZ NA NC NE NF NG NI NL NO NP NR NU NZ OM PA PE
PF PG PH PK PL PM PN PR PS PT PW PY QA RE RO RS RU RW SA SB SC SD SE SG SH SI SJ SK SL SM
SN SO SR SS ST SV SX SY SZ TA TC TD TF TG TH TJ TK TL TM TN TO TR TT TV TW TZ UA UG UM UN
US UY UZ VA VC VE VG VI VN VU WF WS XK YE YT ZA ZM ZW
"""
# Code points that take VS16 for emoji presentation (emoji-test lists "X FE0F").
_TEXT_STYLE = """
A9 AE 203C 2049 2122 2139 2194-2199 21A9-21AA 2328 23CF 23ED-23EF 23F1-23F2 23F8-23FA
24C2 25AA-25AB 25B6 25C0 25FB-25FC 2600-2604 260E 2611 2618 261D 2620 2622-2623 2626
262A 262E-262F 2638-263A 2640 2642 265F-2660 2663 2665-2666 2668 267B 267E 2692
2694-2697 2699 269B-269C 26A0 26B0-26B1 26C8 26CF 26D1 26D3 26E9 26F0-26F1 26F4
26F7-26F9 2702 2708-2709 270C-270D 270F 2712 2714 2716 271D 2721 2733-2734 2744 2747
2763-2764 27A1 2934-2935 2B05-2B07 3030 303D 3297 3299 1F170-1F171 1F17E-1F17F 1F202
1F237 1F321 1F324-1F32C 1F336 1F37D 1F396-1F397 1F399-1F39B 1F39E-1F39F 1F3CB-1F3CE
1F3D4-1F3DF 1F3F3 1F3F5 1F3F7 1F43F 1F441 1F4FD 1F549-1F54A 1F56F-1F570 1F573-1F579
1F587 1F58A-1F58D 1F590 1F5A5 1F5A8 1F5B1-1F5B2 1F5BC 1F5C2-1F5C4 1F5D1-1F5D3
1F5DC-1F5DE 1F5E1 1F5E3 1F5E8 1F5EF 1F5F3 1F5FA 1F6CB 1F6CD-1F6CF 1F6E0-1F6E5 1F6E9
1F6F0 1F6F3
"""
# Code points that take a skin-tone modifier.
_MODIFIER_BASES = """
261D 26F9 270A-270D 1F385 1F3C2-1F3C4 1F3C7 1F3CA-1F3CC 1F442-1F443 1F446-1F450
1F466-1F469 1F46B-1F46E 1F470-1F478 1F47C 1F481-1F483 1F485-1F487 1F4AA 1F574-1F575
1F57A 1F590 1F595-1F596 1F645-1F647 1F64B-1F64F 1F6A3 1F6B4-1F6B6 1F6C0 1F6CC 1F90F
1F918-1F91C 1F91E-1F91F 1F926 1F930-1F939 1F93D-1F93E 1F9B5-1F9B6 1F9B8-1F9B9 1F9BB
1F9CD-1F9CF 1F9D1-1F9DD
"""
# Code points with "woman/man ..." variants (ZWJ + female/male sign).
_GENDERED = """
26F9 1F3C3-1F3C4 1F3CA-1F3CC 1F46E-1F46F 1F471 1F473 1F477 1F481-1F482 1F486-1F487 1F575
1F645-1F647 1F64B 1F64D-1F64E 1F6A3 1F6B4-1F6B6 1F926 1F937-1F939 1F93C-1F93E
1F9B8-1F9B9 1F9CD-1F9CF 1F9D6-1F9DF
"""
# Objects in "man/woman + ZWJ + object" roles, hair styles included (Unicode 12.0).
_ROLE_OBJECTS = """
2695-2696 2708 1F33E 1F373 1F393 1F3A4 1F3A8 1F3EB 1F3ED 1F4BB-1F4BC 1F527
1F52C 1F680 1F692 1F9AF-1F9B3 1F9BC-1F9BD
"""


def _code_points(spec: str) -> list[str]:
    """Expand a whitespace-separated list of hex code points and ranges ("A-B")."""
    chars = []
    for item in spec.split():
        start, _, end = item.partition("-")
        chars += [chr(code) for code in range(int(start, 16), int(end or start, 16) + 1)]
    return chars


def _zwj(*parts: str) -> str:
    return _ZWJ.join(parts)


def _zwj_sequences(text_style: frozenset[str], modifier_bases: frozenset[str]) -> set[str]:
    """The ZWJ sequences of emoji-test.txt 12.0, with their less-qualified spellings."""
    man, woman, person, boy, girl = "\U0001f468", "\U0001f469", "\U0001f9d1", "\U0001f466", "\U0001f467"
    seqs: set[str] = set()
    for base in _code_points(_GENDERED):
        starts = [base]
        starts += [base + _VS16] if base in text_style else []
        starts += [base + tone for tone in _TONES] if base in modifier_bases else []
        for start in starts:
            for sign in "\u2640\u2642":
                seqs |= {_zwj(start, sign), _zwj(start, sign + _VS16)}
    for adult in (man, woman):
        for start in [adult, *(adult + tone for tone in _TONES)]:
            for obj in _code_points(_ROLE_OBJECTS):
                seqs.add(_zwj(start, obj))
                seqs |= {_zwj(start, obj + _VS16)} if obj in text_style else set()
    for parents in ((man,), (woman,), (man, man), (man, woman), (woman, woman)):
        for kids in ((boy,), (boy, boy), (girl,), (girl, boy), (girl, girl)):
            seqs.add(_zwj(*parents, *kids))
    for first, second in ((man, man), (woman, man), (woman, woman)):
        for heart in ("\u2764", "\u2764" + _VS16):
            seqs |= {_zwj(first, heart, second), _zwj(first, heart, "\U0001f48b", second)}
    # People holding hands: which skin-tone pairs 12.0 lists differs per pair of people.
    handshake = "\U0001f91d"
    seqs.add(_zwj(person, handshake, person))
    for i, tone_1 in enumerate(_TONES):
        for j, tone_2 in enumerate(_TONES):
            pairs = [(person, person)] if i >= j else []
            pairs += [(man, man), (woman, woman)] if i > j else []
            pairs += [(woman, man)] if i != j else []
            seqs |= {_zwj(a + tone_1, handshake, b + tone_2) for a, b in pairs}
    seqs |= {
        _zwj("\U0001f3f3", "\U0001f308"),  # rainbow flag
        _zwj("\U0001f3f3" + _VS16, "\U0001f308"),
        _zwj("\U0001f3f4", "\u2620"),  # pirate flag
        _zwj("\U0001f3f4", "\u2620" + _VS16),
        _zwj("\U0001f415", "\U0001f9ba"),  # service dog
    }
    for eye in ("\U0001f441", "\U0001f441" + _VS16):  # eye in speech bubble
        seqs |= {_zwj(eye, "\U0001f5e8"), _zwj(eye, "\U0001f5e8" + _VS16)}
    return seqs


@functools.cache
def _emoji_sequences() -> frozenset[str]:
    """Every multi-code-point emoji that twitter-text 3.0 counts as a single emoji."""
    text_style = frozenset(_code_points(_TEXT_STYLE))
    modifier_bases = frozenset(_code_points(_MODIFIER_BASES))
    seqs = {char + _VS16 for char in text_style}
    seqs |= {base + tone for base in modifier_bases for tone in _TONES}
    seqs |= {key + tail for key in _KEYCAP_BASES for tail in ("\u20e3", _VS16 + "\u20e3")}
    seqs |= {"".join(chr(0x1F1A5 + ord(c)) for c in region) for region in _FLAG_REGIONS.split()}
    seqs |= {"\U0001f3f4" + "".join(chr(0xE0000 + ord(c)) for c in tag) + "\U000e007f" for tag in _TAG_FLAGS}
    seqs |= _zwj_sequences(text_style, modifier_bases)
    return frozenset(seqs)


@functools.cache
def _emoji_lengths() -> tuple[int, ...]:
    return tuple(sorted({len(seq) for seq in _emoji_sequences()}, reverse=True))


def _emoji_spans(text: str) -> dict[int, int]:
    """Start index -> length of each emoji counted as one unit, scanned leftmost-longest."""
    sequences, lengths = _emoji_sequences(), _emoji_lengths()
    spans: dict[int, int] = {}
    index = 0
    while index < len(text):
        length = next((n for n in lengths if text[index : index + n] in sequences), 0)
        if not length and text[index] in _LIGHT_EMOJI:
            length = 1
        if length:
            spans[index] = length
        index += length or 1
    return spans
