"""Two organisations on two host names of one hub (127.0.0.1 and localhost), in headless Chromium:
each portal shows its own stories, and each organisation's people see only its own rows."""

import os
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from django.conf import settings
from wagtail.models import Collection, Locale, Page, Site

from tests.factories.tenancy import build_organisation

os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

pytestmark = pytest.mark.browser

ARTIFACTS = Path(settings.BASE_DIR) / "test-artifacts" / "organisations"


def sign_in(browser, base_url, username):
    context = browser.new_context(viewport={"width": 1400, "height": 1000}, locale="vi-VN")
    context.set_default_timeout(20_000)
    page = context.new_page()
    page.goto(f"{base_url}/admin/login/")
    page.fill("#id_username", username)
    page.fill("#id_password", "x")
    page.click("form button[type=submit]")
    page.wait_for_url(f"{base_url}/admin/")
    return page


def test_two_organisations_on_two_host_names(live_server, browser, settings):
    settings.ALLOWED_HOSTS = ["*"]
    port = urlsplit(live_server.url).port
    Site.objects.filter(hostname__in=["127.0.0.1", "localhost"]).delete()  # left by Wagtail or a flush
    # An earlier transactional test flushed the roots that Wagtail's migrations made.
    if Page.get_first_root_node() is None:
        Page.add_root(title="Root", slug="root", locale=Locale.objects.get_or_create(language_code="vi")[0])
    if Collection.get_first_root_node() is None:
        Collection.add_root(name="Root")
    a = build_organisation("A", hostname="127.0.0.1")
    b = build_organisation("B", hostname="localhost")
    Site.objects.filter(hostname__in=["127.0.0.1", "localhost"]).update(port=port)
    Site.objects.exclude(hostname__in=["127.0.0.1", "localhost"]).update(is_default_site=False)
    Site.objects.filter(hostname="127.0.0.1").update(is_default_site=True)
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    urls = {"A": f"http://127.0.0.1:{port}", "B": f"http://localhost:{port}"}

    visitor = browser.new_context().new_page()
    for own, other in ((a, b), (b, a)):
        visitor.goto(urls[own.letter] + "/tin-tuc/")
        visitor.screenshot(path=str(ARTIFACTS / f"portal-{own.letter}.png"), full_page=True)
        content = visitor.content()
        assert own.story.title in content and other.marker not in content
        visitor.goto(urls[own.letter] + f"/tim-kiem/?q={other.word}")
        assert other.marker not in visitor.content()

    for own, other in ((a, b), (b, a)):
        page = sign_in(browser, urls[own.letter], own.people["Channel managers"].username)
        page.goto(urls[own.letter] + "/admin/sms_partners/")
        page.screenshot(path=str(ARTIFACTS / f"partners-{own.letter}.png"), full_page=True)
        assert f"{own.marker}-PARTNER" in page.content() and other.marker not in page.content()
        response = page.goto(urls[own.letter] + f"/admin/sms_partners/edit/{other.partner.pk}/")
        assert response.status == 404 and other.marker not in page.content()
        page.context.close()

    editor = sign_in(browser, urls["B"], b.people["Editors"].username)
    editor.goto(urls["B"] + f"/admin/pages/search/?q={a.word}")
    assert a.marker not in editor.content()
    editor.goto(urls["B"] + f"/admin/pages/{b.index.pk}/")
    editor.screenshot(path=str(ARTIFACTS / "explorer-B.png"), full_page=True)
    assert b.draft.title in editor.content() and a.marker not in editor.content()
