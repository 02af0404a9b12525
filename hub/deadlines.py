"""Review deadlines: how long each pending review step has waited, and which are overdue."""

from dataclasses import dataclass
from datetime import timedelta

from django.conf import settings
from django.utils import timezone
from wagtail.models import Site, TaskState

from hub.models import CampaignSettings


@dataclass(frozen=True)
class PendingReview:
    task_state: TaskState
    page: object
    waited: timedelta
    deadline: timedelta

    @property
    def overdue(self) -> bool:
        return self.waited > self.deadline

    @property
    def waited_hours(self) -> float:
        return self.waited.total_seconds() / 3600

    @property
    def deadline_hours(self) -> int:
        return int(self.deadline.total_seconds() // 3600)


def deadline_for(site: Site | None) -> timedelta:
    """The review deadline of a site: shorter while its campaign is in the outbreak phase."""
    outbreak = site is not None and CampaignSettings.for_site(site).is_outbreak
    hours = settings.REVIEW_DEADLINE_HOURS_OUTBREAK if outbreak else settings.REVIEW_DEADLINE_HOURS
    return timedelta(hours=hours)


def pending_reviews(*, task_states=None, now=None) -> list[PendingReview]:
    """Every in-progress review step (or those given), longest waiting first."""
    now = now or timezone.now()
    if task_states is None:
        task_states = TaskState.objects.filter(status=TaskState.STATUS_IN_PROGRESS)
    task_states = (
        task_states.select_related("task", "workflow_state")
        .prefetch_related("workflow_state__content_object")
        .order_by("started_at")
    )
    deadlines: dict[int | None, timedelta] = {}
    reviews = []
    for state in task_states:
        page = state.workflow_state.content_object
        if page is None:
            continue
        page = page.specific_deferred if hasattr(page, "specific_deferred") else page
        parts = page.get_url_parts() if hasattr(page, "get_url_parts") else None
        key = parts[0] if parts else None  # the site id, from Wagtail's cached root paths
        if key not in deadlines:
            deadlines[key] = deadline_for(Site.objects.filter(pk=key).first() if key else None)
        reviews.append(PendingReview(state, page, now - state.started_at, deadlines[key]))
    return reviews


def overdue_reviews(*, now=None) -> list[PendingReview]:
    return [review for review in pending_reviews(now=now) if review.overdue]
