"""One gate to live: a story goes live only through its workflow's last approval.

Wagtail calls WAGTAIL_FINISH_WORKFLOW_ACTION (`publish_signed_off`) when the last step approves;
that publish is the workflow's own. A site administrator or the system (a management command, a
go-live scheduled earlier through this gate) may publish too, and that bypass is written to the
audit log. Everyone else is refused with `SignOffRequired`. Imported by wagtail.models through
the setting, so this module imports Wagtail's models lazily.
"""

import contextlib
import contextvars

from django.core.exceptions import PermissionDenied
from django.utils.translation import gettext_lazy as _

BYPASS_ACTION = "hub.publish_without_signoff"
_signing_off: contextvars.ContextVar[frozenset[int]] = contextvars.ContextVar(
    "hub_signing_off", default=frozenset()
)


class SignOffRequired(PermissionDenied):
    """A non-administrator tried to make a story live, or change it live, outside its workflow."""

    def __init__(self, message=None):
        super().__init__(str(message or refusal_message()))


def refusal_message() -> str:
    return str(
        _(
            "Stories go live only when the approvers approve them through the workflow. "
            "Submit the story for review instead."
        )
    )


@contextlib.contextmanager
def signing_off(page_id: int):
    """Marks the publish of `page_id` in this block as the workflow's own."""
    token = _signing_off.set(_signing_off.get() | {page_id})
    try:
        yield
    finally:
        _signing_off.reset(token)


def is_signing_off(page_id) -> bool:
    return page_id in _signing_off.get()


def publish_signed_off(workflow_state, user=None):
    """WAGTAIL_FINISH_WORKFLOW_ACTION: the last approval publishes the latest revision."""
    revision = workflow_state.content_object.get_latest_revision()
    with signing_off(int(workflow_state.object_id)):
        revision.publish(user=user)


def is_story(page) -> bool:
    from wagtail.models import Page

    from hub.models import StoryPage

    return isinstance(page.specific_deferred if isinstance(page, Page) else page, StoryPage)


def subtree_has_stories(page, *, live_only: bool = False) -> bool:
    """Whether `page` or a page under it is a story (a live one, with `live_only`)."""
    from wagtail.models import Page

    from hub.models import StoryPage

    pages = Page.objects.descendant_of(page, inclusive=True).type(StoryPage)
    if live_only:
        pages = pages.live()
    return pages.exists()


def record_bypass(page, *, user, what: str, revision=None) -> None:
    """Writes a site administrator's (or the system's) publish outside the workflow to the audit log."""
    from wagtail.log_actions import log

    log(
        instance=page,
        action=BYPASS_ACTION,
        user=user,
        revision=revision,
        data={"what": what, "by": "administrator" if user is not None else "system"},
    )


def record_bypass_once(page, *, user, revision) -> None:
    """`record_bypass` unless this revision's publish is already logged (or was the workflow's)."""
    from wagtail.models import PageLogEntry

    if is_signing_off(page.pk):
        return
    if not PageLogEntry.objects.filter(page=page, action=BYPASS_ACTION, revision=revision).exists():
        record_bypass(page, user=user, what="publish", revision=revision)


def check_publish(page, revision, user) -> None:
    """The gate every publish of a story passes (see StoryPage.publish)."""
    if is_signing_off(page.pk):
        return
    if user is None:
        if revision is not None and revision.approved_go_live_at is not None:
            return  # a go-live scheduled earlier through this gate
        record_bypass(page, user=None, what="publish", revision=revision)
        return
    if user.is_superuser:
        record_bypass(page, user=user, what="publish", revision=revision)
        return
    raise SignOffRequired()


def check_live_copy(page, *, user, live: bool) -> None:
    """A live copy or alias of a story is a publish outside the workflow: administrators only."""
    if not live:
        return
    if user is not None and not user.is_superuser:
        raise SignOffRequired()
    record_bypass(page, user=user, what="copy")
