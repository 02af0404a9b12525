"""Which review steps each story kind passes, and that nobody approves their own submission."""

import pytest
from wagtail.models import TaskState

from hub import workflows
from tests.factories import (
    DirectivePageFactory,
    GoodExamplePageFactory,
    RebuttalPageFactory,
    SituationPageFactory,
    VaccinationPageFactory,
)


def submit(page, user):
    page.save_revision(user=user)
    return page.get_workflow().start(page, user)


def approve(page, user):
    page.refresh_from_db()
    page.current_workflow_task.on_action(page.current_workflow_task_state, user, "approve")


def steps_taken(page):
    states = TaskState.objects.for_instance(page).order_by("pk").select_related("task")
    return [(state.task.specific.key, state.status) for state in states]


@pytest.mark.parametrize(
    ("factory", "extra", "expected_keys"),
    [
        (VaccinationPageFactory, {}, ["health-review", "approval"]),
        (SituationPageFactory, {}, ["health-review", "approval"]),
        (RebuttalPageFactory, {"route_to_police": True}, ["health-review", "police-review", "approval"]),
        (RebuttalPageFactory, {"route_to_police": False}, ["health-review", "approval"]),
        (GoodExamplePageFactory, {}, ["approval"]),
        (DirectivePageFactory, {}, ["approval"]),
    ],
)
def test_each_kind_passes_its_review_steps_then_goes_live(story_index, users, factory, extra, expected_keys):
    reviewers = {
        "health-review": users["health"],
        "police-review": users["police"],
        "approval": users["approver"],
    }
    page = factory(parent=story_index, live=False, **extra)

    submit(page, users["editor"])
    taken = []
    for _step in expected_keys:
        page.refresh_from_db()
        key = page.current_workflow_task.specific.key
        taken.append(key)
        approve(page, reviewers[key])

    page.refresh_from_db()
    assert taken == expected_keys
    assert page.live
    skipped = [key for key, status in steps_taken(page) if status == TaskState.STATUS_SKIPPED]
    languages = {
        key for key in skipped if key.startswith("language-review-")
    }  # Vietnamese: no language review
    assert languages == {"language-review-blt", "language-review-hmn", "language-review-en"}
    assert sorted(set(skipped) - languages) == sorted(set(workflows.STEPS) - set(expected_keys))


def test_the_submitter_gets_no_approve_action_even_as_approver(story_index, users):
    page = GoodExamplePageFactory(parent=story_index, live=False)
    submit(page, users["approver"])
    page.refresh_from_db()
    task = page.current_workflow_task

    assert task.get_actions(page, users["approver"]) == []
    assert [name for name, *_ in task.get_actions(page, users["approver2"])] == [
        "reject",
        "approve",
        "approve",
    ]
    assert not task.get_task_states_user_can_moderate(users["approver"]).exists()
    assert task.get_task_states_user_can_moderate(users["approver2"]).count() == 1


def test_ensure_workflow_is_idempotent(db):
    first = workflows.ensure_workflow()
    second = workflows.ensure_workflow()
    assert first == second
    assert [task.specific.key for task in first.tasks] == [
        "health-review",
        "police-review",
        "language-review-blt",
        "language-review-hmn",
        "language-review-en",
        "approval",
    ]
