"""A story rejected or withdrawn from moderation leaves no delivery, preview or cached page behind."""

import datetime

import pytest
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from hub import permissions
from hub.cache import current_generation
from hub.workflows import ensure_workflow
from publishing.models import Delivery, Publication
from tests.factories import UserFactory, VaccinationPageFactory


@pytest.fixture
def in_review(db, story_index):
    ensure_workflow()
    writer = UserFactory(username="writer", groups=[permissions.EDITORS])
    health = UserFactory(username="health", groups=[permissions.HEALTH_REVIEWERS])
    story = VaccinationPageFactory(parent=story_index, live=False)
    revision = story.save_revision(user=writer)
    story.get_workflow().start(story, writer)
    story.refresh_from_db()
    # A go-live set on the revision under review (as a schedule would): it must not survive.
    revision.approved_go_live_at = timezone.now() + datetime.timedelta(hours=1)
    revision.save(update_fields=["approved_go_live_at"])
    return {"story": story, "writer": writer, "health": health, "revision": revision}


def go_live_time_passes(story):
    story.revisions.exclude(approved_go_live_at=None).update(
        approved_go_live_at=timezone.now() - datetime.timedelta(minutes=1)
    )
    call_command("publish_scheduled", verbosity=0)
    story.refresh_from_db()


@pytest.mark.parametrize("how", ["rejected", "withdrawn"])
def test_nothing_is_left_to_go_out(client, in_review, how):
    story = in_review["story"]
    generation = current_generation()
    task = story.current_workflow_task_state
    preview_url = reverse("wagtailadmin_pages:workflow_preview", args=[story.pk, task.task_id])

    if how == "rejected":
        client.force_login(in_review["health"])
        client.post(
            reverse("wagtailadmin_pages:workflow_action", args=[story.pk, "reject", task.pk]),
            {"comment": "Số liệu chưa đúng"},
        )
    else:
        story.current_workflow_state.cancel(user=in_review["writer"])

    in_review["revision"].refresh_from_db()
    assert in_review["revision"].approved_go_live_at is None
    assert current_generation() != generation  # cached portal pages are rebuilt
    go_live_time_passes(story)
    assert not story.live
    assert (Publication.objects.count(), Delivery.objects.count()) == (0, 0)
    client.force_login(in_review["health"])
    response = client.get(preview_url)
    assert response.status_code == 302  # the reviewer's preview link no longer shows the story
