"""The content languages of the hub and the locale data Django and CLDR lack for some of them.

Vietnamese is the source and default. Thái is written here in the Latin script used in Điện
Biên (code `blt`, Tai Dam); a translator may also write it in the Tai Viet script, which the
portal and the LED frames render with a bundled font. H'Mông (`hmn`) uses the Vietnamese-Latin
orthography. Django's LANG_INFO knows neither code, so `register_languages()` adds them; it is
called from the settings, before anything asks Django about a language.
"""

from dataclasses import dataclass

from django.utils.translation import gettext_lazy as _
from django.utils.translation import gettext_noop


@dataclass(frozen=True)
class ContentLanguage:
    code: str
    name: str  # English name, translated through gettext (as Django's LANG_INFO names are)
    name_local: str  # the language's name for itself
    bidi: bool = False
    script: str = "Latn"


DEFAULT_LANGUAGE = "vi"

# Ordered as the portal's language switcher shows them.
CONTENT_LANGUAGES: tuple[ContentLanguage, ...] = (
    ContentLanguage("vi", gettext_noop("Vietnamese"), "Tiếng Việt"),
    ContentLanguage("blt", gettext_noop("Thai (Tai Dam)"), "Tay Đăm"),
    ContentLanguage("hmn", gettext_noop("Hmong"), "Hmôngz"),
    ContentLanguage("en", gettext_noop("English"), "English"),
)
BY_CODE = {language.code: language for language in CONTENT_LANGUAGES}
CONTENT_LANGUAGE_CODES = tuple(BY_CODE)

# The admin speaks Vietnamese or English; the other languages are content languages only.
ADMIN_LANGUAGES = [("vi", _("Vietnamese")), ("en", _("English"))]
# LANGUAGES for Django: every content language (the portal's URL prefixes come from it).
LANGUAGES = [
    ("vi", _("Vietnamese")),
    ("blt", _("Thai (Tai Dam)")),
    ("hmn", _("Hmong")),
    ("en", _("English")),
]
WAGTAIL_CONTENT_LANGUAGES = LANGUAGES

# Languages Django's own LANG_INFO lacks (it has vi and en).
EXTRA_LANG_INFO = {
    language.code: {
        "bidi": language.bidi,
        "code": language.code,
        "name": language.name,
        "name_local": language.name_local,
    }
    for language in CONTENT_LANGUAGES
    if language.code in ("blt", "hmn")
}


def register_languages() -> None:
    """Adds the missing codes to Django's LANG_INFO (idempotent; existing entries are kept)."""
    from django.conf.locale import LANG_INFO

    for code, info in EXTRA_LANG_INFO.items():
        LANG_INFO.setdefault(code, info)


def language_name_local(code: str) -> str:
    language = BY_CODE.get(code)
    return language.name_local if language else code


def parse_languages(value: str) -> list[str]:
    """ "vi, hmn" → ["vi", "hmn"]: known codes only, in order, without repeats."""
    codes: list[str] = []
    for part in (value or "").replace(";", ",").split(","):
        code = part.strip().lower()
        if code in BY_CODE and code not in codes:
            codes.append(code)
    return codes


def language_from_path(path: str) -> str:
    """The content language a portal path is in: its prefix (/hmn/…), else the default."""
    from django.utils import translation

    return translation.get_language_from_path(path) or DEFAULT_LANGUAGE


class ContentLanguageMiddleware:
    """Activates the language of the URL prefix; no prefix is Vietnamese, whatever the browser asks.

    Portal pages are cached for everyone, so the language never comes from a cookie or an
    Accept-Language header. The admin sets each user's own language itself.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        from django.utils import translation

        language = language_from_path(request.path_info)
        request.LANGUAGE_CODE = language
        with translation.override(language):  # the thread's language is left as it was found
            response = self.get_response(request)
        response.headers.setdefault("Content-Language", language)
        return response
