"""Many realistic stories in bulk, for benchmarks and load tests: tens of thousands a minute.

Pages are written straight into the tree (paths computed as treebeard would), in batches, with
their search index entries; no revisions, workflows or deliveries are made for them.
"""

import datetime
import random
import uuid
from collections.abc import Callable, Iterator

from django.contrib.contenttypes.models import ContentType
from django.db import transaction
from django.db.models import F
from django.utils import timezone
from django.utils.text import slugify
from wagtail.models import Locale, Page
from wagtail.search.backends import get_search_backend

from hub import models as hub_models

PLACES = [
    "thành phố Điện Biên Phủ",
    "thị xã Mường Lay",
    "huyện Mường Nhé",
    "huyện Mường Chà",
    "huyện Tủa Chùa",
    "huyện Tuần Giáo",
    "huyện Điện Biên",
    "huyện Điện Biên Đông",
    "huyện Mường Ảng",
    "huyện Nậm Pồ",
    "xã Thanh Minh",
    "phường Him Lam",
    "xã Mường Phăng",
    "xã Pá Khoang",
    "xã Na Ư",
]
TOPICS = [
    ("tiêm vắc-xin mũi nhắc lại", "Trạm y tế tổ chức tiêm cho người từ 18 tuổi trở lên, mang theo căn cước."),
    ("thực hiện thông điệp 5K", "Người dân đeo khẩu trang, khử khuẩn và giữ khoảng cách nơi công cộng."),
    ("truy vết các ca tiếp xúc gần", "Ngành y tế đề nghị ai đã đến các địa điểm trên khai báo ngay."),
    ("hỗ trợ người dân khó khăn", "Các đoàn thể trao gạo, nhu yếu phẩm cho hộ nghèo trong khu cách ly."),
    ("khai báo y tế điện tử", "Người dân quét mã QR tại chợ, bến xe và cơ quan nhà nước."),
    ("thông tin sai sự thật về vắc-xin", "Sở Y tế khẳng định vắc-xin đang dùng đều được Bộ Y tế cấp phép."),
    ("chỉ thị phòng, chống dịch mới", "Ủy ban nhân dân tỉnh yêu cầu các sở, ngành triển khai ngay."),
    ("tình hình dịch trong ngày", "Số ca mắc mới giảm; không có ca chuyển nặng trong 24 giờ qua."),
]
OPENINGS = ["", "Khẩn: ", "Thông báo: ", "Cập nhật: ", "Gương sáng: "]


def story_fields(model, rng: random.Random, number: int) -> dict:
    """Vietnamese title, summary and the kind's own fields of one generated story."""
    topic, detail = rng.choice(TOPICS)
    place = rng.choice(PLACES)
    title = f"{rng.choice(OPENINGS)}{topic.capitalize()} tại {place} (số {number})"
    fields = {
        "title": title,
        "summary": f"{topic.capitalize()} tại {place}. {detail}",
        "body": "[]",
        "channels": ["facebook", "led"],
    }
    today = timezone.localdate()
    if model is hub_models.GoodExamplePage:
        fields.update(honoree=f"Tổ phòng, chống dịch {place}", locality=place, achievement=detail)
    elif model is hub_models.VaccinationPage:
        fields.update(campaign=f"Chiến dịch tiêm chủng {place}", eligible_groups="Người từ 18 tuổi trở lên")
    elif model is hub_models.RebuttalPage:
        fields.update(
            claim=f"Tin đồn về {topic} tại {place}",
            claim_appeared_in="Một nhóm Zalo",
            evidence=f"<p>{detail}</p>",
        )
    elif model is hub_models.DirectivePage:
        fields.update(
            document_number=f"{number}/UBND-VX",
            issued_on=today,
            issuing_body="Ủy ban nhân dân tỉnh Điện Biên",
        )
    elif model is hub_models.SituationPage:
        fields.update(as_of=timezone.now())
    return fields


def generate(
    *,
    sections: list,
    count: int,
    batch: int = 2000,
    seed: int = 2026,
    progress: Callable[[int], None] | None = None,
) -> int:
    """Adds `count` live stories spread over `sections` (story index pages); returns how many."""
    rng = random.Random(seed)
    locale = Locale.get_default()
    search = get_search_backend()
    made = 0
    try:
        for size in _batches(count, batch):
            # Every kind in every batch and in every section, shuffled: a small archive is as mixed as
            # a large one, and a section's first page of the explorer shows every kind.
            kinds = [
                model for model, share in _shares(hub_models.STORY_MODELS, size, rng) for _ in range(share)
            ]
            rng.shuffle(kinds)
            parts = len(sections)
            with transaction.atomic():
                for number, section in enumerate(rng.sample(sections, parts)):
                    part = kinds[number::parts]
                    if not part:
                        continue
                    section = Page.objects.select_for_update().get(pk=section.pk)
                    pages = _add_children(section, part, locale, rng, start=made)
                    for model in set(part):
                        written = [
                            page.pk for page in pages if page.content_type_id == _content_type(model).pk
                        ]
                        search.add_bulk(model, list(model.objects.filter(pk__in=written)))
                    made += len(part)
            if progress:
                progress(made)
    finally:
        from hub.sitemaps import forget_counts

        forget_counts()  # bulk inserts send no signals: the sitemap index counts the archive again
    return made


def _shares(models, size: int, rng: random.Random) -> Iterator[tuple]:
    """`size` stories split between the kinds as evenly as can be, the remainder to random kinds."""
    extra = set(rng.sample(range(len(models)), size % len(models)))
    for number, model in enumerate(models):
        share = size // len(models) + (number in extra)
        if share:
            yield model, share


def _batches(count: int, batch: int) -> Iterator[int]:
    while count > 0:
        yield min(batch, count)
        count -= batch


def _content_type(model) -> ContentType:
    return ContentType.objects.get_for_model(model)


def _add_children(section, kinds: list, locale, rng: random.Random, *, start: int) -> list[Page]:
    """Writes one page of each of `kinds` (story models) under `section`, in that order: base
    rows, then each kind's own rows."""
    last = section.get_last_child()
    step = int(last.path[-Page.steplen :], len(Page.alphabet)) if last else 0
    depth = section.depth + 1
    now = timezone.now()
    bases, specifics = [], []
    for offset, model in enumerate(kinds):
        number = start + offset + 1
        fields = story_fields(model, rng, number)
        title = fields.pop("title")
        slug = f"{slugify(title)[:200]}-{uuid.uuid4().hex[:6]}"
        published = now - datetime.timedelta(minutes=rng.randrange(3 * 365 * 24 * 60))
        bases.append(
            Page(
                path=Page._get_path(section.path, depth, step + offset + 1),
                depth=depth,
                numchild=0,
                translation_key=uuid.uuid4(),
                locale=locale,
                live=True,
                has_unpublished_changes=False,
                first_published_at=published,
                last_published_at=published,
                title=title,
                draft_title=title,
                slug=slug,
                content_type=_content_type(model),
                url_path=f"{section.url_path}{slug}/",
            )
        )
        specifics.append(fields)
    bases = Page.objects.bulk_create(bases)
    for model in set(kinds):
        rows = [
            model(page_ptr_id=base.pk, **fields)
            for base, fields, kind in zip(bases, specifics, kinds, strict=True)
            if kind is model
        ]
        own_fields = list(model._meta.local_concrete_fields)
        model._base_manager._insert(rows, fields=own_fields, using=model._base_manager.db)
    Page.objects.filter(pk=section.pk).update(numchild=F("numchild") + len(kinds))
    return bases
