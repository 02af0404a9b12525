"""The story sign-off workflow: one Wagtail workflow on the tree root whose steps are kind-scoped.

Vaccination, situation and rebuttal stories pass the health review; rebuttals routed to the
police pass the police review; every story ends with the approvers, whose approval publishes.
"""

from django.contrib.contenttypes.models import ContentType
from django.db import transaction
from wagtail.models import Workflow, WorkflowPage, WorkflowTask

from hub import permissions
from hub.models import RebuttalPage, SituationPage, StoryReviewTask, VaccinationPage

WORKFLOW_NAME = "Duyệt tin bài"
WAGTAIL_DEFAULT_WORKFLOW = "Moderators approval"
HEALTH_REVIEW = "health-review"
POLICE_REVIEW = "police-review"
APPROVAL = "approval"

# key -> (task name, group, story kinds it applies to (empty: all), only when routed to police)
STEPS = {
    HEALTH_REVIEW: (
        "Thẩm định của Sở Y tế",
        permissions.HEALTH_REVIEWERS,
        (VaccinationPage, SituationPage, RebuttalPage),
        False,
    ),
    POLICE_REVIEW: ("Thẩm định của Công an", permissions.POLICE_REVIEWERS, (RebuttalPage,), True),
    APPROVAL: ("Lãnh đạo phê duyệt", permissions.APPROVERS, (), False),
}


def _ensure_task(key: str, groups) -> StoryReviewTask:
    task = StoryReviewTask.objects.filter(key=key).first()
    if task is not None:
        return task
    name, group_name, kinds, police_only = STEPS[key]
    task = StoryReviewTask.objects.create(key=key, name=name, only_if_routed_to_police=police_only)
    task.groups.set([groups[group_name]])
    task.page_types.set([ContentType.objects.get_for_model(model) for model in kinds])
    return task


@transaction.atomic
def ensure_workflow() -> Workflow:
    """Create the groups, the three steps and the workflow, and assign it to the root page."""
    groups = permissions.ensure_groups()
    tasks = [_ensure_task(key, groups) for key in STEPS]
    workflow = Workflow.objects.filter(workflow_tasks__task=tasks[-1]).first()
    if workflow is None:
        workflow = Workflow.objects.create(name=WORKFLOW_NAME)
        for order, task in enumerate(tasks):
            WorkflowTask.objects.create(workflow=workflow, task=task, sort_order=order)
    from hub.organisations import permission_root_page

    root = permission_root_page()
    if root is not None:
        assigned = WorkflowPage.objects.filter(page=root).select_related("workflow").first()
        if assigned is None:
            WorkflowPage.objects.create(page=root, workflow=workflow)
        elif assigned.workflow.name == WAGTAIL_DEFAULT_WORKFLOW:
            # Wagtail's initial data assigns its "Moderators approval"; ours replaces it once.
            assigned.workflow = workflow
            assigned.save()
    from hub.translations import ensure_language_reviews

    ensure_language_reviews(workflow)  # translations: a review by readers of their language
    return workflow


def discard_unapproved(*, workflow_state) -> int:
    """A story rejected or withdrawn from moderation leaves nothing behind to go out: no scheduled
    go-live of its revisions under review, no delivery of them waiting, no cached portal page.
    Returns how many deliveries were cancelled."""
    from django.utils.translation import gettext

    from hub.cache import purge_portal_cache
    from hub.models import StoryPage
    from publishing.models import Delivery, DeliveryStatus

    page = workflow_state.content_object
    if not isinstance(getattr(page, "specific", page), StoryPage):
        return 0
    revisions = workflow_state.revisions().exclude(pk=page.live_revision_id)
    revisions.exclude(approved_go_live_at=None).update(approved_go_live_at=None)
    cancelled = Delivery.objects.filter(
        publication__revision__in=revisions,
        status__in=[DeliveryStatus.PENDING, DeliveryStatus.RETRYING],
    ).update(
        status=DeliveryStatus.CANCELLED,
        next_attempt_at=None,
        last_error=gettext("The story was rejected or withdrawn from moderation."),
    )
    purge_portal_cache()
    return cancelled
