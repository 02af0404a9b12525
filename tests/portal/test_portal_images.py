"""Images on the portal: signed serve-view URLs only (no rendition in a page request); bad uploads refused."""

import io
import re

import pytest
from django.core.files.images import ImageFile
from django.urls import reverse
from PIL import Image as PILImage

from media.models import HubImage, HubRendition
from tests.factories import GoodExamplePageFactory, UserFactory

pytestmark = pytest.mark.django_db


def _png(width: int = 64, height: int = 48) -> bytes:
    buffer = io.BytesIO()
    PILImage.new("RGB", (width, height), (200, 30, 30)).save(buffer, format="PNG")
    return buffer.getvalue()


@pytest.fixture
def image():
    return HubImage.objects.create(
        title="Tiêm chủng ở Mường Lay",
        alt_text="Nhân viên y tế tiêm vắc-xin cho người dân",
        file=ImageFile(io.BytesIO(_png()), name="tiem-chung.png"),
    )


def test_story_page_with_a_hero_image_makes_no_rendition(client, story_index, image):
    page = GoodExamplePageFactory(parent=story_index, hero_image=image)

    response = client.get(page.url)

    html = response.content.decode()
    assert response.status_code == 200
    assert HubRendition.objects.count() == 0
    assert 'alt="Nhân viên y tế tiêm vắc-xin cho người dân"' in html
    og_image = re.search(r'<meta property="og:image" content="([^"]+)">', html).group(1)
    assert og_image.startswith("http://testserver/images/") and "/fill-1200x630/" in og_image


def test_the_signed_image_url_serves_the_rendition(client, story_index, image, portal_cache):
    # portal_cache gives this process its own cache prefix: Wagtail caches rendition rows there.
    page = GoodExamplePageFactory(parent=story_index, hero_image=image)
    html = client.get(page.url).content.decode()
    og_image = re.search(r'<meta property="og:image" content="([^"]+)">', html).group(1)

    response = client.get(og_image.removeprefix("http://testserver"))

    assert response.status_code == 200
    assert response["Content-Type"] == "image/png"
    assert HubRendition.objects.filter(image=image, filter_spec="fill-1200x630").exists()


@pytest.mark.parametrize(("mime", "magic"), [("image/avif", b"ftypavif"), ("image/webp", b"WEBP")])
def test_stories_offer_avif_and_webp_sources_with_widths_for_phones(
    client, story_index, image, portal_cache, mime, magic
):
    page = GoodExamplePageFactory(parent=story_index, hero_image=image)
    html = client.get(page.url).content.decode()

    srcset = re.search(rf'<source type="{mime}" srcset="([^"]+)"', html).group(1)
    candidates = dict(reversed(candidate.rsplit(" ", 1)) for candidate in srcset.split(", "))
    response = client.get(candidates["400w"])

    assert set(candidates) == {"400w", "800w", "1200w"}
    assert response.status_code == 200 and response["Content-Type"] == mime
    assert magic in b"".join(response.streaming_content)[:16]
    assert re.search(r'<img src="/images/[^"]+/fill-1200x630/[^"]*" srcset="[^"]+ 400w, ', html)
    assert 'width="1200" height="630"' in html


def test_home_and_index_cards_make_no_rendition(client, home, story_index, image):
    GoodExamplePageFactory(parent=story_index, hero_image=image)

    assert client.get(home.url).status_code == 200
    assert client.get(story_index.url).status_code == 200
    assert HubRendition.objects.count() == 0


@pytest.fixture
def admin_client(client):
    client.force_login(UserFactory(is_superuser=True, is_staff=True))
    return client


def _upload(admin_client, name: str, content: bytes, content_type: str):
    from django.core.files.uploadedfile import SimpleUploadedFile

    upload = SimpleUploadedFile(name, content, content_type=content_type)
    return admin_client.post(reverse("wagtailimages:add"), {"title": "Ảnh thử", "file": upload})


@pytest.mark.parametrize(
    ("name", "content", "content_type"),
    [
        (
            "bieu-do.svg",
            b'<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>',
            "image/svg+xml",
        ),
        ("khong-phai-anh.png", "Đây là một tệp văn bản.".encode(), "image/png"),
    ],
)
def test_bad_image_uploads_are_refused_with_a_form_message(admin_client, name, content, content_type):
    response = _upload(admin_client, name, content, content_type)

    assert response.status_code == 200
    assert response.context["form"].errors["file"]
    assert HubImage.objects.count() == 0


def test_images_with_too_many_pixels_are_refused_with_a_form_message(admin_client, settings):
    settings.WAGTAILIMAGES_MAX_IMAGE_PIXELS = 100 * 100

    response = _upload(admin_client, "qua-lon.png", _png(200, 200), "image/png")

    assert response.status_code == 200
    assert response.context["form"].errors["file"]
    assert HubImage.objects.count() == 0


def test_a_good_image_upload_is_accepted(admin_client):
    response = _upload(admin_client, "anh-tot.png", _png(), "image/png")

    assert response.status_code == 302
    assert HubImage.objects.count() == 1
