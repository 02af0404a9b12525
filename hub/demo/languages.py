"""Demo content languages: region language lists, translators/reviewers, and two stories with
SAMPLE translations into Thái (Latin script, one LED text in the Tai Viet script) and H'Mông.

The sample texts are for demonstrating the workflow only: they are marked as such on the story
(`sample_translation`) and in their text, and are not official translations.
"""

from django.db import transaction
from wagtail.models import Page
from wagtail.rich_text import RichText

from hub.translations import ensure_language_groups, ensure_locales, sync_site_structure

# Điện Biên's districts where Thái and H'Mông are widely spoken (demo values).
REGION_LANGUAGES = {
    "11": "vi, blt, hmn",
    "096": "vi, hmn",  # Mường Nhé
    "098": "vi, hmn",  # Tủa Chùa
    "100": "vi, blt, hmn",  # Điện Biên
}

SAMPLE_NOTE = {
    "blt": "Bản dịch mẫu tiếng Thái để trình diễn, không phải bản dịch chính thức.",
    "hmn": "Bản dịch mẫu tiếng H'Mông để trình diễn, không phải bản dịch chính thức.",
}

# slug → language → texts. Samples for demonstration, marked as such everywhere they appear.
SAMPLES = {
    "vac-xin-an-toan-hieu-qua": {
        "blt": {
            "title": "[Bản dịch mẫu] Vắc-xin pọng kăn COVID-19 mị khoăm pọt phây",
            "summary": "Bản dịch mẫu để trình diễn. Vắc-xin pọng kăn COVID-19 dạ dụng mị khoăm pọt phây.",
            "sms_text": "[Ban dich mau] Pay sak vac-xin pong kan COVID-19 hu du.",
            "led_text": "Vắc-xin COVID-19 · ꪼꪕꪒꪾ",
        },
        "hmn": {
            "title": "[Bản dịch mẫu] Vắc-xin tiv thaiv COVID-19 muaj kev nyab xeeb",
            "summary": "Bản dịch mẫu để trình diễn. Vắc-xin tiv thaiv COVID-19 muaj kev nyab xeeb.",
            "sms_text": "[Ban dich mau] Mus txhaj vac-xin tiv thaiv COVID-19 kom tag nrho.",
            "led_text": "Txhaj vắc-xin COVID-19",
        },
    },
    "nuoc-chanh-nong-khong-chua-duoc-covid": {
        "blt": {
            "title": "[Bản dịch mẫu] Nặm chanh hon bấu pua đảy COVID-19",
            "summary": "Bản dịch mẫu để trình diễn. Nặm chanh hon bấu pua đảy COVID-19.",
            "sms_text": "[Ban dich mau] Nam chanh hon bau pua day COVID-19.",
            "led_text": "Nặm chanh hon bấu pua đảy COVID-19",
        },
        "hmn": {
            "title": "[Bản dịch mẫu] Dej txiv qaub kub tsis kho tau COVID-19",
            "summary": "Bản dịch mẫu để trình diễn. Dej txiv qaub kub tsis kho tau COVID-19.",
            "sms_text": "[Ban dich mau] Dej txiv qaub kub tsis kho tau COVID-19.",
            "led_text": "Dej txiv qaub tsis kho tau COVID-19",
        },
    },
}


def _note(language: str) -> tuple:
    return ("paragraph", RichText(f"<p><strong>{SAMPLE_NOTE[language]}</strong></p>"))


def populate(*, home, regions, users, stdout) -> int:
    """Idempotent: region languages (where unset), the language trees, the sample translations."""
    from hub.models import Region

    for code, languages in REGION_LANGUAGES.items():
        Region.objects.filter(code=code, languages="").update(languages=languages)
    ensure_language_groups()
    locales = ensure_locales()
    sync_site_structure(home)
    approver = users.get("Approvers")
    created = 0
    for slug, translations in SAMPLES.items():
        source = Page.objects.descendant_of(home).filter(slug=slug, locale=locales["vi"]).first()
        if source is None:
            continue
        source = source.specific
        for language, texts in translations.items():
            if source.get_translations().filter(locale=locales[language]).exists():
                continue
            with transaction.atomic():
                translation = source.copy_for_translation(locales[language]).specific
                for name, value in texts.items():
                    setattr(translation, name, value)
                translation.sample_translation = True
                translation.body = [
                    _note(language),
                    *[(block.block_type, block.value) for block in source.body],
                ]
                revision = translation.save_revision(user=approver, log_action=True)
                revision.publish()  # the system seeds demo content; the gate logs it
            created += 1
    stdout.write(f"  {created} sample translations published.")
    return created
