"""Editor translates a story into H'Mông → the H'Mông reviewer compares and approves → the approver
approves → the portal shows the translation with the language switcher. Headless Chromium.

Screenshots go to test-artifacts/ (gitignored).
"""

import os
from pathlib import Path

import pytest
from django.conf import settings
from wagtail.models import Locale, Page, Site

from hub import permissions
from hub.models import GoodExamplePage
from hub.translations import ensure_locales, sync_site_structure, translator_group_name
from hub.workflows import ensure_workflow
from tests.browser.test_workflow_browser import PASSWORD, Session
from tests.factories import GoodExamplePageFactory, HomePageFactory, StoryIndexPageFactory, UserFactory

os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

pytestmark = pytest.mark.browser


ARTIFACTS = Path(settings.BASE_DIR) / "test-artifacts" / "translation"
SOURCE_TITLE = "Nữ trưởng bản vận động cả bản đi tiêm"
TITLE = "Sample Hmong title: poj niam coj tag nrho lub zos mus txhaj tshuaj"
SMS = "Sample: mus txhaj tshuaj tiv thaiv kab mob kom tag nrho."


@pytest.fixture
def tree(transactional_db):
    Locale.objects.get_or_create(language_code="vi")
    root = Page.get_first_root_node() or Page.add_root(
        title="Root", slug="root", locale=Locale.objects.get(language_code="vi")
    )
    home = HomePageFactory(parent=root, slug="trang-chu-dich")
    Site.objects.all().delete()
    Site.objects.create(hostname="localhost", port=80, root_page=home, is_default_site=True, site_name="Cổng")
    ensure_workflow()
    index = StoryIndexPageFactory(parent=home, title="Gương sáng", slug="guong-sang")
    sync_site_structure(home)
    story = GoodExamplePageFactory(parent=index, slug="nu-truong-ban", title=SOURCE_TITLE, channels=[])
    story.save_revision().publish()
    return story


def _shot(session, name):
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    session.page.screenshot(path=str(ARTIFACTS / f"{name}.png"), full_page=True)


def _approve(session):
    session.menu_action('button[data-workflow-action-name="approve"]:not([data-workflow-action-modal-url])')
    session.page.wait_for_url(lambda current: "/edit/" not in current)


def test_a_translation_is_made_reviewed_in_its_language_and_shown_with_the_switcher(
    live_server, browser, tree
):
    UserFactory(username="bientap", groups=[permissions.EDITORS], password=PASSWORD)
    UserFactory(username="dichhmong", groups=[translator_group_name("hmn")], password=PASSWORD)
    UserFactory(username="lanhdao", groups=[permissions.APPROVERS], password=PASSWORD)
    hmn = ensure_locales()["hmn"]
    url = live_server.url

    # The editor asks for a H'Mông translation and writes it, with its own SMS text.
    editor = Session(browser, url, "bientap")
    editor.page.goto(f"{url}/admin/translation/submit/page/{tree.pk}/")
    editor.page.check(f'input[name="locales"][value="{hmn.pk}"]')
    _shot(editor, "01-editor-chooses-hmong")
    editor.page.locator('input[name="locales"]').first.locator("xpath=ancestor::form").locator(
        '[type="submit"]'
    ).click()
    editor.page.wait_for_url(lambda current: current.endswith("/edit/"))
    translation = GoodExamplePage.objects.get(translation_key=tree.translation_key, locale=hmn)
    assert f"/admin/pages/{translation.pk}/edit/" in editor.page.url
    editor.fill("title", TITLE)
    editor.fill("sms_text", SMS)
    counter = editor.page.locator('[data-hub-counter="sms_text"] .hub-counter__figures')
    counter.filter(has_text="GSM-7").wait_for()  # Latin-script H'Mông: pure GSM-7
    _shot(editor, "02-editor-writes-translation")
    editor.menu_action('button[name="action-submit"]')
    editor.page.wait_for_url(lambda current: "/edit/" not in current)
    translation.refresh_from_db()
    assert translation.current_workflow_task.specific.key == "language-review-hmn"
    editor.close()

    # The H'Mông reviewer compares source and translation side by side, then approves.
    reader = Session(browser, url, "dichhmong")
    reader.page.goto(f"{url}/admin/pages/{translation.pk}/edit/")
    frame = reader.page.frame_locator("#w-preview-iframe")
    if not reader.page.locator("#id_preview_mode").is_visible():
        reader.page.click('[data-side-panel-toggle="preview"]')
        frame.locator("body").filter(has_text=TITLE).first.wait_for()  # the portal page first
    reader.page.select_option("#id_preview_mode", "translation")
    frame.locator("[data-side-by-side]").wait_for()
    assert SOURCE_TITLE in frame.locator("[data-side-by-side]").inner_text()
    assert SMS in frame.locator("[data-side-by-side]").inner_text()
    _shot(reader, "03-reviewer-side-by-side")
    _approve(reader)
    translation.refresh_from_db()
    assert translation.current_workflow_task.specific.key == "approval"
    reader.close()

    # The approver approves: the translation is live.
    approver = Session(browser, url, "lanhdao")
    approver.page.goto(f"{url}/admin/pages/{translation.pk}/edit/")
    _approve(approver)
    translation.refresh_from_db()
    assert translation.live
    _shot(approver, "04-approver-approved")

    # The portal serves it under /hmn/ with the language switcher.
    response = approver.page.goto(f"{url}{translation.url}")
    assert response.status == 200
    assert translation.url.startswith("/hmn/")
    switcher = approver.page.locator("nav.language-switcher")
    assert switcher.locator('a[aria-current="true"]').inner_text() == "Hmôngz"
    assert switcher.locator("a").count() == 4
    assert TITLE in approver.page.content()
    _shot(approver, "05-portal-hmong-with-switcher")
    approver.page.click('nav.language-switcher a[hreflang="vi"]')
    approver.page.wait_for_load_state()
    assert SOURCE_TITLE in approver.page.content()
    approver.close()
