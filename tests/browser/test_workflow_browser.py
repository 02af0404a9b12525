"""Editor → health reviewer → approver in headless Chromium; the story ends live on the portal.

Screenshots of every step go to test-artifacts/ (gitignored).
"""

import os
from pathlib import Path

import pytest
from django.conf import settings
from wagtail.models import Locale, Page, Site

from hub import permissions
from hub.models import VaccinationPage
from hub.workflows import ensure_workflow
from tests.factories import HomePageFactory, StoryIndexPageFactory, UserFactory

# Playwright's sync API runs an event loop in this thread; the ORM calls here are synchronous.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

pytestmark = pytest.mark.browser

ARTIFACTS = Path(settings.BASE_DIR) / "test-artifacts" / "workflow"
PASSWORD = "correct horse battery staple"
STORY_TITLE = "Tiêm vắc-xin mũi 3 tại xã Thanh Minh"
SMS_TEXT = "So Y te: tiem vac-xin mui 3 tai Tram Y te xa Thanh Minh tu 7h ngay 20/9. Mang CCCD."


@pytest.fixture
def site_tree(transactional_db):
    """A root, home page and story index, whatever an earlier flush left behind."""
    Locale.objects.get_or_create(
        language_code=Locale.get_default().language_code if Locale.objects.exists() else "vi"
    )
    root = Page.get_first_root_node() or Page.add_root(
        title="Root", slug="root", locale=Locale.objects.get(language_code="vi")
    )
    home = HomePageFactory(parent=root, slug="trang-chu-browser")
    Site.objects.all().delete()
    Site.objects.create(
        hostname="localhost", port=80, root_page=home, is_default_site=True, site_name="Cổng thử"
    )
    ensure_workflow()
    return StoryIndexPageFactory(parent=home, title="Tiêm chủng", slug="tiem-chung")


# Reports every Content-Security-Policy violation of every frame on the console, where we collect it.
REPORT_CSP_VIOLATIONS = """
document.addEventListener("securitypolicyviolation", (event) => {
    console.error(`CSP violation: ${event.violatedDirective} blocked ${event.blockedURI || "inline"}`
        + ` at ${event.documentURI} (${event.sourceFile}:${event.lineNumber}) ${event.sample}`);
});
"""


class Session:
    """One signed-in user in their own browser context; CSP violations are collected as failures."""

    def __init__(self, browser, base_url, username):
        self.context = browser.new_context(viewport={"width": 1400, "height": 1000}, locale="vi-VN")
        self.context.set_default_timeout(20_000)
        self.context.add_init_script(REPORT_CSP_VIOLATIONS)
        self.violations: list[str] = []
        self.page = self.context.new_page()
        self.page.on("console", self._console)
        self.base_url = base_url
        self.page.goto(f"{base_url}/admin/login/")
        self.page.fill("#id_username", username)
        self.page.fill("#id_password", PASSWORD)
        self.page.click("form button[type=submit]")
        self.page.wait_for_url(f"{base_url}/admin/")

    def _console(self, message) -> None:
        text = message.text
        if "CSP violation" in text or "Content Security Policy" in text:
            self.violations.append(text)

    def shot(self, name):
        ARTIFACTS.mkdir(parents=True, exist_ok=True)
        self.page.screenshot(path=str(ARTIFACTS / f"{name}.png"), full_page=True)

    def fill(self, name, value):
        """Fill a field, first opening the editor tab that holds it."""
        panel = self.page.eval_on_selector(f'[name="{name}"]', 'el => el.closest("[role=tabpanel]")?.id')
        if panel:
            self.page.click(f'[role=tab][aria-controls="{panel}"]')
        self.page.fill(f'[name="{name}"]', value)

    def menu_action(self, selector):
        """Click an item of the editor's action menu, opening the dropdown if needed."""
        button = self.page.locator(selector).first
        if not button.is_visible():
            self.page.locator("footer [data-w-dropdown-target='toggle']").first.click()
        button.click()

    def preview(self, mode, ready_selector, shot):
        """Open the preview panel in the given mode and wait for the channel rendering."""
        frame = self.page.frame_locator("#w-preview-iframe")
        if not self.page.locator("#id_preview_mode").is_visible():
            self.page.click('[data-side-panel-toggle="preview"]')
            frame.locator("body").filter(has_text=STORY_TITLE).first.wait_for()  # the portal page first
        self.page.select_option("#id_preview_mode", mode)
        frame.locator(ready_selector).first.wait_for()
        self.shot(shot)
        return frame

    def close(self):
        self.context.close()
        assert not self.violations, "\n".join(self.violations)


def test_story_goes_from_editor_through_reviewers_to_the_portal(live_server, browser, site_tree):
    UserFactory(username="bientap", groups=[permissions.EDITORS], password=PASSWORD)
    UserFactory(username="syte", groups=[permissions.HEALTH_REVIEWERS], password=PASSWORD)
    UserFactory(username="lanhdao", groups=[permissions.APPROVERS], password=PASSWORD)
    url = live_server.url

    # The editor writes a vaccination story with its SMS, and submits it; no publish button anywhere.
    editor = Session(browser, url, "bientap")
    editor.page.goto(f"{url}/admin/pages/add/hub/vaccinationpage/{site_tree.pk}/")
    editor.fill("title", STORY_TITLE)
    editor.fill("summary", "Trạm Y tế xã tiêm mũi 3 cho người từ 18 tuổi từ ngày 20/9.")
    editor.fill("campaign", "Chiến dịch tiêm chủng mùa thu")
    editor.fill("sms_text", SMS_TEXT)
    counter = editor.page.locator('[data-hub-counter="sms_text"] .hub-counter__figures')
    counter.filter(has_text=f"{len(SMS_TEXT)} ").filter(has_text="GSM-7").wait_for()
    assert "1/3" in counter.inner_text()
    editor.shot("01-editor-writes-story-with-sms-counter")
    assert editor.page.locator('[name="action-publish"]').count() == 0
    editor.menu_action('button[name="action-submit"]')
    editor.page.wait_for_url(f"{url}/admin/pages/{site_tree.pk}/")
    editor.shot("02-editor-submitted")
    story = VaccinationPage.objects.get(title=STORY_TITLE)
    editor.page.goto(f"{url}/admin/pages/{story.pk}/edit/")
    editor.shot("03-editor-sees-story-in-review")
    assert editor.page.locator('[name="action-publish"]').count() == 0
    assert story.current_workflow_task.specific.key == "health-review"
    editor.close()

    # The health reviewer approves it.
    health = Session(browser, url, "syte")
    health.page.goto(f"{url}/admin/pages/{story.pk}/edit/")
    health.shot("04-health-reviewer-opens-story")
    health.menu_action('button[data-workflow-action-name="approve"]:not([data-workflow-action-modal-url])')
    health.page.wait_for_url(lambda current: "/edit/" not in current)
    health.shot("05-health-reviewer-approved")
    story.refresh_from_db()
    assert story.current_workflow_task.specific.key == "approval"
    health.close()

    # The approver checks the SMS and LED previews, then approves: the story is published.
    approver = Session(browser, url, "lanhdao")
    approver.shot("06-approver-dashboard")
    approver.page.goto(f"{url}/admin/pages/{story.pk}/edit/")
    sms = approver.preview("sms", "[data-sms=ascii]", "07-approver-sms-preview")
    assert SMS_TEXT in sms.locator("[data-sms=unicode]").inner_text()
    led = approver.preview("led", "img[data-led-size]", "08-approver-led-preview")
    assert led.locator("img[data-led-size]").count() == 3
    approver.menu_action('button[data-workflow-action-name="approve"]:not([data-workflow-action-modal-url])')
    approver.page.wait_for_url(lambda current: "/edit/" not in current)
    approver.shot("09-approver-approved")
    story.refresh_from_db()
    assert story.live

    # The story is on the portal.
    home = site_tree.get_parent()
    response = approver.page.goto(f"{url}/{story.url_path.removeprefix(home.url_path)}")
    approver.shot("10-portal-story")
    assert response.status == 200
    assert STORY_TITLE in approver.page.content()
    approver.close()


ADMIN_SCREENS = [
    "/admin/",
    "/admin/pages/",
    "/admin/pages/{index}/",
    "/admin/pages/add/hub/vaccinationpage/{index}/",
    "/admin/pages/add/hub/rebuttalpage/{index}/",
    "/admin/pages/add/hub/directivepage/{index}/",
    "/admin/hub/reviews/",
    "/admin/publishing/deliveries/",
    "/admin/sms_partners/",
    "/admin/sms_partners/new/",
    "/admin/led/screens/",
    "/admin/led/screens/new/",
    "/admin/led/items/",
    "/admin/social/accounts/",
    "/admin/social/sandbox/",
    "/admin/images/",
    "/admin/documents/",
    "/admin/reports/site-history/",
    "/admin/security/lockouts/",
    "/admin/users/",
]


def test_admin_screens_and_the_portal_run_without_csp_violations(live_server, browser, site_tree):
    UserFactory(username="quantri", is_superuser=True, password=PASSWORD)
    url = live_server.url
    admin = Session(browser, url, "quantri")
    for screen in ADMIN_SCREENS:
        response = admin.page.goto(url + screen.format(index=site_tree.pk))
        assert response.status == 200, screen
        admin.page.wait_for_load_state("networkidle")
    # The page editor's tabs, the channel-variant counters and the preview panel.
    admin.page.goto(f"{url}/admin/pages/add/hub/vaccinationpage/{site_tree.pk}/")
    admin.fill("title", STORY_TITLE)
    admin.fill("sms_text", SMS_TEXT)
    admin.page.locator('[data-hub-counter="sms_text"] .hub-counter__figures').filter(
        has_text="GSM-7"
    ).wait_for()
    admin.page.click('[data-side-panel-toggle="preview"]')
    admin.page.frame_locator("#w-preview-iframe").locator("body").filter(
        has_text=STORY_TITLE
    ).first.wait_for()
    admin.page.goto(f"{url}/")
    admin.page.wait_for_load_state("networkidle")
    admin.close()
