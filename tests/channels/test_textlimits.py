"""Channel text limits: SMS segments, the diacritic-free variant and X weighted length.

No database: the property tests check our port against the reference packages
(twitter-text-parser, gsm0338, smsutil), which are test-only dependencies.
"""

from __future__ import annotations

import string
import time
import unicodedata
import warnings

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from channels import textlimits
from channels.textlimits import (
    GSM7_BASIC,
    GSM7_EXTENSION,
    X_MAX_WEIGHTED,
    SmsMeasure,
    XMeasure,
    measure_sms,
    measure_x,
    normalize,
    to_ascii,
    x_weighted_length,
)

VIETNAMESE = "Tiêm vắc-xin phòng COVID-19 đầy đủ"
EMOJI = "\U0001f600"  # one astral code point: a UTF-16 surrogate pair
PROPERTY_SETTINGS = settings(
    max_examples=10_000,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)


def _twitter_text():
    """The reference implementation, imported quietly (it imports the deprecated pkg_resources)."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        return pytest.importorskip("twitter_text")


# --------------------------------------------------------------------------------------
# normalize / to_ascii
# --------------------------------------------------------------------------------------


def test_normalize_composes_and_unifies_line_endings():
    assert normalize("e\u0301\r\nb\rc\n") == "é\nb\nc\n"


def test_to_ascii_vietnamese():
    assert to_ascii(VIETNAMESE) == "Tiem vac-xin phong COVID-19 day du"


@pytest.mark.parametrize(("text", "expected"), [("đ", "d"), ("Đ", "D"), ("Đà Nẵng", "Da Nang")])
def test_to_ascii_d_with_stroke(text, expected):
    assert to_ascii(text) == expected


def test_to_ascii_is_gsm7_and_keeps_line_breaks():
    result = to_ascii("`quote`\tTab\x00 “smart” — Ngày mới\n中文 😀")
    assert result.isascii()
    assert measure_sms(result).encoding == "GSM-7"
    assert result.startswith("'quote' Tab \"smart\" - Ngay moi\n")


# --------------------------------------------------------------------------------------
# SMS
# --------------------------------------------------------------------------------------


def test_gsm7_alphabet_is_complete():
    assert len(GSM7_BASIC) == len(set(GSM7_BASIC)) == 128
    assert set(GSM7_EXTENSION) == set("\x0c^{}\\[~]|€")


@pytest.mark.parametrize(
    ("text", "encoding", "units", "segments"),
    [
        ("a" * 160, "GSM-7", 160, 1),
        ("a" * 161, "GSM-7", 161, 2),
        ("a" * 306, "GSM-7", 306, 2),
        ("a" * 307, "GSM-7", 307, 3),
        ("ệ" * 70, "UCS-2", 70, 1),
        ("ệ" * 71, "UCS-2", 71, 2),
        ("ệ" * 134, "UCS-2", 134, 2),
        ("ệ" * 135, "UCS-2", 135, 3),
        ("€" * 80, "GSM-7", 160, 1),
        ("€" * 81, "GSM-7", 162, 2),
        (EMOJI, "UCS-2", 2, 1),
        (EMOJI * 35, "UCS-2", 70, 1),
        (EMOJI * 36, "UCS-2", 72, 2),
    ],
)
def test_sms_boundaries(text, encoding, units, segments):
    measure = measure_sms(text)
    assert (measure.encoding, measure.units, measure.segments) == (encoding, units, segments)


def test_sms_extension_char_moves_to_next_segment():
    # 152 + 2 + 152 = 306 septets, but "€" cannot straddle parts: 152 | 153 | 1.
    measure = measure_sms("a" * 152 + "€" + "a" * 152)
    assert (measure.units, measure.segments, measure.remaining) == (306, 3, 152)


def test_sms_surrogate_pair_moves_to_next_segment():
    # 66 + 2 + 66 = 134 code units, but the pair cannot straddle parts: 66 | 67 | 1.
    measure = measure_sms("ệ" * 66 + EMOJI + "ệ" * 66)
    assert (measure.units, measure.segments, measure.remaining) == (134, 3, 66)


def test_sms_measure_fields():
    assert measure_sms("Xin chao") == SmsMeasure(
        chars=8, encoding="GSM-7", units=8, segments=1, per_segment=160, remaining=152
    )
    assert measure_sms("a" * 161) == SmsMeasure(
        chars=161, encoding="GSM-7", units=161, segments=2, per_segment=153, remaining=145
    )


def test_sms_empty_is_zero_segments():
    assert measure_sms("") == SmsMeasure(0, "GSM-7", 0, 0, 160, 160)


def test_sms_vietnamese_is_ucs2_and_its_ascii_variant_gsm7():
    assert measure_sms(VIETNAMESE).encoding == "UCS-2"
    assert measure_sms(to_ascii(VIETNAMESE)).encoding == "GSM-7"


def test_sms_measures_normalized_text():
    # Decomposed "é" would be UCS-2; NFC makes it the GSM-7 "é". CRLF counts as one LF.
    assert measure_sms("Cafe\u0301\r\n") == measure_sms("Café\n")
    assert measure_sms("Cafe\u0301\r\n").encoding == "GSM-7"


# --- SMS against references ------------------------------------------------------------


def _reference_sms(text: str) -> tuple[str, int, int, int]:
    """(encoding, units, segments, units in last segment) from gsm0338 and smsutil.

    gsm0338 decides the alphabet and counts septets; smsutil packs the segments, keeping
    escape sequences and surrogate pairs whole as phones and SMSCs do. Both agree with us
    except on empty text, where smsutil reports one empty UCS-2 part (gsm0338 says GSM-7)
    and we report 0 GSM-7 segments: empty text is therefore checked separately.
    """
    gsm0338 = pytest.importorskip("gsm0338")
    smsutil = pytest.importorskip("smsutil")
    assert gsm0338  # imported for its "gsm03.38" codec registration
    try:
        encoding, units = "GSM-7", len(text.encode("gsm03.38"))
    except UnicodeEncodeError:
        encoding, units = "UCS-2", len(text.encode("utf-16-le")) // 2
    split = smsutil.split(text)
    assert split.encoding == ("gsm0338" if encoding == "GSM-7" else "utf_16_be")
    bytes_per_unit = 1 if encoding == "GSM-7" else 2
    assert split.total_bytes == units * bytes_per_unit
    return encoding, units, len(split.parts), split.parts[-1].bytes // bytes_per_unit


def _assert_sms_matches_references(text: str) -> None:
    text = normalize(text)
    measure = measure_sms(text)
    encoding, units, segments, last_units = _reference_sms(text)
    assert (measure.encoding, measure.units, measure.segments) == (encoding, units, segments)
    assert measure.remaining == measure.per_segment - last_units


_SMS_BOUNDARY_TEXTS = [
    *("a" * n for n in (1, 152, 153, 154, 159, 160, 161, 305, 306, 307, 459, 460)),
    *("ệ" * n for n in (1, 66, 67, 68, 69, 70, 71, 133, 134, 135, 201, 202)),
    *("€" * n for n in (76, 77, 79, 80, 81, 153, 154)),
    *("a" * n + "€" + "a" * 160 for n in (150, 151, 152, 153)),
    *("ệ" * n + EMOJI + "ệ" * 70 for n in (64, 65, 66, 67)),
    "a" * 159 + "€",
    "ệ" * 69 + EMOJI,
    "\x1b" * 161,
]


@pytest.mark.parametrize("text", _SMS_BOUNDARY_TEXTS, ids=lambda text: f"{text[0]!r}x{len(text)}")
def test_sms_boundaries_match_references(text):
    _assert_sms_matches_references(text)


_VIETNAMESE_LETTERS = "ăâđêôơưĂÂĐÊÔƠƯáàảãạấầẩẫậắằẳẵặéèẻẽẹếềểễệíìỉĩịóòỏõọốồổỗộớờởỡợúùủũụứừửữựýỳỷỹỵ"
_SMS_ALPHABETS = [
    GSM7_BASIC,
    GSM7_BASIC + GSM7_EXTENSION,
    GSM7_EXTENSION + "ab ",
    GSM7_BASIC + GSM7_EXTENSION + _VIETNAMESE_LETTERS,
    _VIETNAMESE_LETTERS + " \n",
    _VIETNAMESE_LETTERS + "€😀👍🏽🇻🇳\U0001f9d1\u200d\U0001f4bb",
    GSM7_BASIC + "😀",
    "a€😀ệ",
]
_sms_texts = st.sampled_from(_SMS_ALPHABETS).flatmap(
    lambda alphabet: st.text(alphabet=alphabet, max_size=480)
) | st.builds(
    # Long GSM-7 runs with a sprinkle of other characters, to land near part boundaries.
    lambda n, tail: "a" * n + tail,
    st.integers(min_value=140, max_value=470),
    st.text(alphabet="a€ệ😀\r\n", max_size=12),
)


@pytest.mark.slow
@PROPERTY_SETTINGS
@given(text=_sms_texts)
def test_sms_matches_gsm0338_and_smsutil(text):
    if not normalize(text):
        assert measure_sms(text).segments == 0
        return
    _assert_sms_matches_references(text)


# --------------------------------------------------------------------------------------
# X
# --------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "weighted", "valid"),
    [
        ("ệ" * 140, 280, True),
        ("ệ" * 141, 282, False),
        ("a" * 280, 280, True),
        ("a" * 281, 281, False),
        ("", 0, False),
        ("https://example.com/" + "very-long-path/" * 20, 23, True),
        ("Xem example.com/tin-tuc", 27, True),
        (EMOJI, 2, True),
        ("\U0001f468\u200d\U0001f469\u200d\U0001f467", 2, True),  # ZWJ family: one emoji
        ("\U0001f1fb\U0001f1f3", 2, True),  # flag of Viet Nam
        ("1\ufe0f\u20e3", 2, True),  # keycap
        ("\U0001f44d\U0001f3fd", 2, True),  # skin tone
        ("©", 2, True),  # © and ® are emoji in twitter-text
        ("“—”", 3, True),
        ("a\ufeffb", 4, False),  # U+FEFF weighs 2 and makes the post invalid
    ],
)
def test_x_weighted_length(text, weighted, valid):
    assert x_weighted_length(text) == weighted
    measure = measure_x(text)
    assert measure == XMeasure(weighted=weighted, max=X_MAX_WEIGHTED, remaining=280 - weighted, valid=valid)


def test_x_url_counts_23_whatever_its_length():
    short, long = "http://a.co", "https://example.com/" + "x" * 300
    expected = 5 + 23 + 4  # "Đọc " weighs 5: "ọ" is above U+10FF
    assert x_weighted_length(f"Đọc {short} nhé") == x_weighted_length(f"Đọc {long} nhé") == expected


def test_x_emoji_table_matches_reference():
    _twitter_text()
    from twitter_text.regexp.emoji import emoji_list

    sequences = {"".join(chr(int(code, 16)) for code in e.codepoint.split()) for e in emoji_list}
    assert {seq for seq in sequences if len(seq) > 1} == textlimits.emoji._emoji_sequences()
    singles_in_light_ranges = {s for s in sequences if len(s) == 1 and textlimits._x_char_weight(s) == 100}
    assert singles_in_light_ranges == textlimits.emoji._LIGHT_EMOJI


def test_x_url_patterns_match_reference():
    _twitter_text()
    from twitter_text.regexp.extract_url import extract_url
    from twitter_text.regexp.valid_ascii_domain import valid_ascii_domain
    from twitter_text.regexp.valid_tco_url import valid_tco_url

    grammar = textlimits.urls._url_grammar()
    ours = (grammar.extractor, grammar.ascii_domain, grammar.tco)
    for pattern, reference in zip(ours, (extract_url, valid_ascii_domain, valid_tco_url), strict=True):
        assert (pattern.pattern, pattern.flags) == (reference.pattern, reference.flags)


# --- X against the reference -------------------------------------------------------------

_VIETNAMESE_WORDS = [
    "Tiêm", "vắc-xin", "phòng", "đầy", "đủ", "Việt", "Nam", "Hà", "Nội", "Đà", "Nẵng", "thông",
    "báo", "khẩn", "cấp", "người", "dân", "được", "hướng", "dẫn", "ệ", "ữ", "Ặ",
]  # fmt: skip
_NEWER_EMOJI = [  # Unicode 12.1+: not in the reference's table, counted per code point
    "\u2764\ufe0f\u200d\U0001f525", "\U0001f9d1\u200d\U0001f4bb", "\U0001f9d4\u200d\u2642\ufe0f",
    "\U0001faf1\U0001f3fb\u200d\U0001faf2\U0001f3ff", "\U0001f3f3\ufe0f\u200d\u26a7\ufe0f", "\U0001fae0",
]  # fmt: skip
_EMOJI_PARTS = [
    *(chr(code) for code in range(0x1F3FB, 0x1F400)), "\u200d", "\ufe0f", "\u20e3", "\U000e007f",
    *(chr(code) for code in range(0x1F1E6, 0x1F200)), "\U0001f3f4", "\u2640", "\u2642", "\u2764",
    "\U0001f600", "\U0001f44d", "\u263a", "\u00a9", "\u00ae", "\u203c", "#", "1",
]  # fmt: skip
_PUNCTUATION = [
    *"-_./@#$%&()[]{}?!,;:'\"~|^*+=<>\\`", "＠", "＃", "…", "“", "”", "—", "–", "‘", "’", "′",
    "\u200b", "\u200d", "\ufeff", "\ufffe", "\u202e", "\u200e", "\u0301",
]  # fmt: skip
_WHITESPACE = [" ", " ", " ", "  ", "\n", "\r\n", "\r", "\t", "\u00a0", "\u3000", "\u2003", "\u2028"]


_URL_SCHEMES = ["", "", "http://", "https://", "HTTPS://", "httpſ://", "ftp://", "https:/", "www."]
_URL_HOSTS = [
    "example", "news.example", "bộ-y-tế", "sub_domain.site", "a", "x--y", "日本", "münchen", "a.a.a",
    "xn--80ak6aa92e", "1.2.3", "-bad", "bad-", "a..b", "a_b", "t", "tin.tức", "a" * 64, "\u212a",
]  # fmt: skip
_URL_TLDS = [
    "com", "vn", "org", "io", "co", "gov.vn", "COM", "zzz", "onion", "中国", "рф", "xn--p1ai",
    "co.uk", "comx", "com1", "com_", "com-", "嘉里大酒店", "嘉里",
]  # fmt: skip
_URL_PATH_PIECES = [
    "/", "/", "path", "a-b", "(x)", "((y))", "(z", "é", "%20", "?", "q=1", "&", "#frag", ".", ",",
    "!", "@user/", "~", "_", "-", "'", "–", ")", "ж", "ệ", "+", "=", ".com", "/a.b.c",
]  # fmt: skip


def _url_strategy() -> st.SearchStrategy[str]:
    """URL-ish tokens, valid or nearly: hosts, TLDs, ports, paths and t.co links."""
    url = st.builds(
        lambda scheme, host, tld, port, path: f"{scheme}{host}.{tld}{port}{path}",
        st.sampled_from(_URL_SCHEMES),
        st.sampled_from(_URL_HOSTS),
        st.sampled_from(_URL_TLDS),
        st.sampled_from(["", "", "", ":8080", ":"]),
        st.lists(st.sampled_from(_URL_PATH_PIECES), max_size=8).map("".join),
    )
    tco = st.builds(
        lambda scheme, slug, query: f"{scheme}t.co/{slug}{query}",
        st.sampled_from(["http://", "https://", ""]),
        st.text(alphabet=string.ascii_letters + string.digits, min_size=1, max_size=45),
        st.sampled_from(["", "?amp=1", "/more", "?"]),
    )
    dotted = st.lists(st.sampled_from(["a", "b1", ".", ".", "-", "_", "com", "vn", "日"]), max_size=12)
    return url | tco | dotted.map("".join)


def _x_text_strategy() -> st.SearchStrategy[str]:
    """Mixed posts: Vietnamese, ASCII, URLs, emoji (RGI 12.0, newer, loose parts), CJK, punctuation."""
    emoji = st.one_of(
        st.sampled_from(sorted(textlimits.emoji._emoji_sequences())),
        st.sampled_from(_NEWER_EMOJI),
        st.sampled_from(_EMOJI_PARTS),
    )
    token = st.one_of(
        st.sampled_from(_VIETNAMESE_WORDS),
        st.sampled_from(_VIETNAMESE_WORDS).map(lambda word: unicodedata.normalize("NFD", word)),
        st.text(alphabet=string.ascii_letters + string.digits, min_size=1, max_size=12),
        _url_strategy(),
        emoji,
        st.text(alphabet=st.characters(min_codepoint=0x4E00, max_codepoint=0x9FFF), min_size=1, max_size=4),
        st.sampled_from(["한국어", "ひらがな", "カタカナ", "Ελλάδα", "Россия", "ไทย"]),
        st.sampled_from(_PUNCTUATION),
        st.sampled_from(_WHITESPACE),
    )
    return st.lists(token, max_size=20).map("".join)


@pytest.mark.slow
@PROPERTY_SETTINGS
@given(text=_x_text_strategy())
def test_x_weighted_length_matches_twitter_text(text):
    reference = _twitter_text().parse_tweet(text)
    assert x_weighted_length(text) == reference.weightedLength
    assert measure_x(text).valid == reference.valid


@pytest.mark.parametrize(
    "text",
    [
        "a." * 5_000,  # no TLD anywhere: quadratic backtracking without the start-position guard
        "a.com" + ".a" * 5_000,  # a TLD, then a long dotted run it cannot reach
        "x " + "a_b." * 2_500 + "com",  # the last label before a TLD may not hold "_"
        "ệ" * 10_000,
    ],
    ids=["dotted", "tld-then-dotted", "underscores", "vietnamese"],
)
def test_x_long_inputs_stay_fast(text):
    started = time.process_time()
    x_weighted_length(text)
    assert time.process_time() - started < 2
