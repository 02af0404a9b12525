"""Pure helpers that decide whether two reports say the same thing: text, link and picture.

Text is folded to ASCII (so "vắc-xin" and "vac xin" agree), lower-cased, stripped of links and
filler words, and compared with rapidfuzz's token-set ratio, which ignores word order and extra
words. Links are compared after dropping tracking parameters; screenshots by a 64-bit dHash.
"""

import re
from urllib.parse import parse_qsl, urlencode, urlsplit

from anyascii import anyascii
from PIL import Image
from rapidfuzz import fuzz, process

URL_PATTERN = re.compile(
    r"(https?://\S+|www\.\S+|\b[\w-]+(?:\.[\w-]+)*\.(?:com|vn|net|org|info)(?:/\S*)?)", re.I
)
NON_WORD = re.compile(r"[^a-z0-9]+")
# Filler that carries no claim: "nghe nói", "có tin", "mọi người ơi", "chia sẻ", …(ASCII-folded).
STOPWORDS = frozenset(
    [
        "a",
        "ah",
        "anh",
        "ba",
        "ban",
        "bao",
        "biet",
        "bo",
        "cac",
        "cai",
        "cho",
        "chi",
        "chia",
        "chu",
        "co",
        "con",
        "cua",
        "da",
        "dang",
        "day",
        "de",
        "den",
        "di",
        "do",
        "duoc",
        "em",
        "gi",
        "giup",
        "hay",
        "he",
        "het",
        "hoi",
        "khi",
        "la",
        "lai",
        "lam",
        "len",
        "luc",
        "ma",
        "minh",
        "moi",
        "mot",
        "nay",
        "nghe",
        "ngay",
        "nguoi",
        "nha",
        "nhe",
        "nhieu",
        "nho",
        "noi",
        "nua",
        "o",
        "oi",
        "ong",
        "phai",
        "qua",
        "ra",
        "rang",
        "roi",
        "sao",
        "se",
        "share",
        "tai",
        "thay",
        "the",
        "thi",
        "thong",
        "tin",
        "toi",
        "tren",
        "trong",
        "tu",
        "va",
        "van",
        "vay",
        "vi",
        "voi",
        "xem",
        "xin",
        "zalo",
        "facebook",
        "fb",
        "nhom",
        "group",
        "dang_tin",
        "don",
    ]
)
# How people pass a rumour on, not what it says (ASCII-folded, whole words).
FILLER_PHRASES = (
    "nghe noi",
    "nghe bao",
    "nguoi ta bao",
    "co tin",
    "co dung khong",
    "dung khong",
    "co that la",
    "co that khong",
    "khong a",
    "moi nguoi oi",
    "chia se ngay",
    "chia se",
    "nguoi than",
    "dang lan truyen",
    "lan truyen",
    "canh bao",
    "hang xom",
    "thay tren",
    "tren mang",
    "tren zalo",
    "tren facebook",
)
FILLER_PATTERN = re.compile(r"(?<= )(?:" + "|".join(FILLER_PHRASES) + r")(?= )")
# One spelling for words said many ways, so that they weigh as one word.
SYNONYMS = {
    "virus corona": "covid",
    "corona virus": "covid",
    "covid 19": "covid",
    "corona": "covid",
    "ncov": "covid",
    "vac xin": "vacxin",
    "vaccine": "vacxin",
    "vaccin": "vacxin",
    "o xy": "oxy",
}
SYNONYM_PATTERN = re.compile(r"(?<= )(?:" + "|".join(SYNONYMS) + r")(?= )")
TEXT_THRESHOLD = 72  # token-set ratio (0–100) from which two texts are the same claim
SHORT_TEXT_THRESHOLD = 88  # for texts of three words or fewer
IMAGE_DISTANCE = 8  # differing bits (of 64) up to which two screenshots are the same picture
TRACKING_PARAMETERS = ("utm_", "fbclid", "gclid", "zarsrc", "mibextid", "ref", "__cft__", "__tn__")


def fold(text: str) -> str:
    """Diacritics removed, đ → d, lower case."""
    return anyascii(text or "").lower()


def normalize(text: str) -> str:
    """The words of a report that carry its claim, in order, folded to ASCII."""
    words = NON_WORD.sub(" ", URL_PATTERN.sub(" ", fold(text))).split()
    folded = FILLER_PATTERN.sub(" ", f" {' '.join(words)} ")
    words = SYNONYM_PATTERN.sub(lambda match: SYNONYMS[match.group(0)], folded).split()
    kept = [word for word in words if word not in STOPWORDS]
    return " ".join(kept or words)


def first_link(text: str) -> str:
    match = URL_PATTERN.search(text or "")
    return match.group(0).rstrip(".,;:!?)") if match else ""


def link_key(url: str) -> str:
    """A link without scheme, `www.`/`m.`, tracking parameters, fragment or trailing slash."""
    url = (url or "").strip()
    if not url:
        return ""
    if "://" not in url:
        url = "http://" + url
    parts = urlsplit(url)
    host = (parts.hostname or "").lower()
    for prefix in ("www.", "m.", "mobile."):
        host = host.removeprefix(prefix)
    query = [
        (name, value)
        for name, value in parse_qsl(parts.query, keep_blank_values=True)
        if not name.lower().startswith(TRACKING_PARAMETERS)
    ]
    path = parts.path.rstrip("/")
    key = host + path + ("?" + urlencode(sorted(query)) if query else "")
    return key[:500]


def dhash(image: Image.Image) -> str:
    """A 64-bit difference hash, as 16 hex digits: similar pictures differ in few bits."""
    small = image.convert("L").resize((9, 8), Image.Resampling.LANCZOS)
    pixels = small.tobytes()
    bits = 0
    for row in range(8):
        for column in range(8):
            left = pixels[row * 9 + column]
            right = pixels[row * 9 + column + 1]
            bits = (bits << 1) | (left > right)
    return f"{bits:016x}"


def hash_distance(first: str, second: str) -> int:
    return (int(first, 16) ^ int(second, 16)).bit_count()


def text_score(first: str, second: str) -> float:
    """0–100: how alike two normalised texts are."""
    return fuzz.token_set_ratio(first, second)


def threshold_for(normalized: str) -> int:
    return SHORT_TEXT_THRESHOLD if len(normalized.split()) <= 3 else TEXT_THRESHOLD


def best_text_match(normalized: str, candidates: list[str]) -> tuple[int, float] | None:
    """(index, score) of the most alike candidate at or above the threshold, or None."""
    if not normalized or not candidates:
        return None
    found = process.extractOne(
        normalized,
        candidates,
        scorer=fuzz.token_set_ratio,
        processor=None,
        score_cutoff=threshold_for(normalized),
    )
    if found is None:
        return None
    _choice, score, index = found
    return index, score
