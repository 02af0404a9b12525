"""The approver sees a channel over its limit and cannot approve; once the text is shortened the
approval goes through, and the X post (sandbox) equals the previewed post byte for byte.

Screenshots go to test-artifacts/signoff/ (gitignored).
"""

from pathlib import Path

import pytest
from django.conf import settings

from channels.social.models import Network, SandboxPost
from hub import permissions
from hub.models import GoodExamplePage
from publishing.models import Delivery
from tests.browser.test_workflow_browser import PASSWORD, Session, site_tree  # noqa: F401
from tests.factories import GoodExamplePageFactory, UserFactory
from tests.factories.social import ChannelAccountFactory

pytestmark = pytest.mark.browser

ARTIFACTS = Path(settings.BASE_DIR) / "test-artifacts" / "signoff"
TITLE = "Bà Lò Thị Hoa vận động cả bản đi tiêm"
TOO_LONG = "Bà con bản Na Sang đi tiêm đủ mũi. " + "Cảm ơn bà con! " * 20
SHORT = "Bà Lò Thị Hoa vận động 120 hộ ở bản Na Sang đi tiêm đủ mũi vắc-xin. Cảm ơn bà con! 💉"


def shot(session, name):
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    session.page.screenshot(path=str(ARTIFACTS / f"{name}.png"), full_page=True)


def x_preview(session):
    """The X post in the editor's preview panel, and the panel's error line (empty when it fits)."""
    frame = session.page.frame_locator("#w-preview-iframe")
    if not session.page.locator("#id_preview_mode").is_visible():
        session.page.click('[data-side-panel-toggle="preview"]')
        frame.locator("body").filter(has_text=TITLE).first.wait_for()  # the portal page first
    session.page.select_option("#id_preview_mode", "x")
    frame.locator("[data-x=post]").wait_for()
    errors = frame.locator(".preview-error")
    return frame.locator("[data-x=post]").inner_text(), (errors.inner_text() if errors.count() else "")


def test_the_approver_signs_off_exactly_what_x_posts(live_server, browser, site_tree):  # noqa: F811
    writer = UserFactory(username="bientap", groups=[permissions.EDITORS], password=PASSWORD)
    UserFactory(username="lanhdao", groups=[permissions.APPROVERS], password=PASSWORD)
    ChannelAccountFactory(network=Network.X, name="Điện Biên (X)", handle="@dienbien_gov")
    story = GoodExamplePageFactory(parent=site_tree, live=False, title=TITLE, channels=["x"])
    # Submitted before the limit was met (the texts are checked on submit; simulated unchecked here).
    story.social_text = TOO_LONG
    story.save_revision(user=writer, clean=False)
    story.get_workflow().start(story, writer)
    url = live_server.url

    approver = Session(browser, url, "lanhdao")
    approver.context.set_default_timeout(60_000)  # previews render under load on small machines
    approver.page.goto(f"{url}/admin/pages/{story.pk}/edit/")
    post, error = x_preview(approver)
    shot(approver, "01-x-over-its-limit")
    assert post.startswith(TOO_LONG.strip())
    assert "X:" in error and "280" in error

    # Approve opens the dialog that names the channel and the excess; nothing is approved.
    approver.menu_action('button[data-workflow-action-name="approve"]')
    dialog = approver.page.locator(".modal-content, [role=dialog]").filter(has_text="280").first
    dialog.wait_for()
    shot(approver, "02-approval-refused")
    assert "X:" in dialog.inner_text()
    dialog.locator("button[type=submit]").first.click()
    approver.page.locator(".modal-content, [role=dialog]").filter(has_text="280").first.wait_for()
    assert not GoodExamplePage.objects.get(pk=story.pk).live

    # The approver shortens the post, saves, and previews it again: it fits now.
    approver.page.goto(f"{url}/admin/pages/{story.pk}/edit/")
    approver.fill("social_text", SHORT)
    approver.page.locator("footer button.action-save").first.click()
    approver.page.wait_for_load_state("networkidle")
    shot(approver, "03-shortened-and-saved")
    approver.close()
    approver = Session(browser, url, "lanhdao")
    approver.context.set_default_timeout(60_000)
    approver.page.goto(f"{url}/admin/pages/{story.pk}/edit/")
    previewed, error = x_preview(approver)
    shot(approver, "04-x-fits")
    assert previewed.startswith(SHORT) and not error

    approver.menu_action('button[data-workflow-action-name="approve"]:not([data-workflow-action-modal-url])')
    approver.page.wait_for_url(lambda current: "/edit/" not in current)
    shot(approver, "05-approved")
    approver.close()

    assert GoodExamplePage.objects.get(pk=story.pk).live
    delivery = Delivery.objects.get(channel="x")
    sent = SandboxPost.objects.get(action=SandboxPost.Action.SEND).payload["sent_text"]
    assert sent.encode() == previewed.encode() == delivery.payload["post"].encode()
