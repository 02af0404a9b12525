"""Review deadlines, overdue reminders (once per task state), workflow e-mails and the phase audit."""

from datetime import timedelta

import pytest
from django.core import mail
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from wagtail.models import ModelLogEntry, TaskState

from hub.deadlines import overdue_reviews, pending_reviews
from hub.models import CampaignSettings, Phase, PhaseChange, ReviewReminder
from hub.tasks import notify_overdue_reviews_task
from tests.factories import VaccinationPageFactory


def submitted_story(story_index, users, *, hours_ago):
    page = VaccinationPageFactory(parent=story_index, live=False)
    page.save_revision(user=users["editor"])
    page.get_workflow().start(page, users["editor"])
    TaskState.objects.filter(status=TaskState.STATUS_IN_PROGRESS).update(
        started_at=timezone.now() - timedelta(hours=hours_ago)
    )
    return page


@pytest.mark.parametrize(
    ("phase", "hours_ago", "overdue"),
    [
        (Phase.NEW_NORMAL, 23, False),
        (Phase.NEW_NORMAL, 25, True),
        (Phase.OUTBREAK, 3, False),
        (Phase.OUTBREAK, 5, True),
    ],
)
def test_deadline_is_shorter_in_the_outbreak_phase(story_index, users, phase, hours_ago, overdue):
    CampaignSettings.objects.update_or_create(site=story_index.get_site(), defaults={"phase": phase})
    submitted_story(story_index, users, hours_ago=hours_ago)

    [review] = pending_reviews()
    assert review.overdue is overdue
    assert round(review.waited_hours) == hours_ago


def test_overdue_reviewers_and_approvers_are_emailed_once(story_index, users):
    submitted_story(story_index, users, hours_ago=30)
    mail.outbox.clear()

    notify_overdue_reviews_task.call_local()
    notify_overdue_reviews_task.call_local()

    recipients = sorted(address for message in mail.outbox for address in message.to)
    assert recipients == ["approver2@example.org", "approver@example.org", "health@example.org"]
    assert ReviewReminder.objects.count() == 1
    assert "quá hạn" in mail.outbox[0].subject.lower()


def test_dashboard_and_listing_mark_overdue_reviews(client, story_index, users):
    page = submitted_story(story_index, users, hours_ago=30)
    client.force_login(users["approver"])

    dashboard = client.get(reverse("wagtailadmin_home"))
    listing = client.get(reverse("hub_pending_reviews"))

    for response in (dashboard, listing):
        assert response.status_code == 200
        assert b'data-overdue="true"' in response.content
        assert page.title.encode() in response.content
    assert len(overdue_reviews()) == 1


def test_review_listing_queries_do_not_grow_with_rows(
    client, story_index, users, django_assert_max_num_queries
):
    client.force_login(users["approver"])
    for _number in range(2):
        submitted_story(story_index, users, hours_ago=1)
    with CaptureQueriesContext(connection) as two_rows:
        assert client.get(reverse("hub_pending_reviews")).status_code == 200
    for _number in range(18):
        submitted_story(story_index, users, hours_ago=1)

    with django_assert_max_num_queries(len(two_rows)):
        response = client.get(reverse("hub_pending_reviews"))

    assert response.content.count(b'<td class="title">') == len(pending_reviews()) >= 20


def test_submit_approve_and_reject_send_wagtail_emails(story_index, users):
    page = VaccinationPageFactory(parent=story_index, live=False)
    mail.outbox.clear()
    page.save_revision(user=users["editor"])
    page.get_workflow().start(page, users["editor"])
    assert "health@example.org" in [address for message in mail.outbox for address in message.to]

    page.refresh_from_db()
    mail.outbox.clear()
    page.current_workflow_task.on_action(
        page.current_workflow_task_state, users["health"], "reject", comment="Sửa số liệu"
    )
    assert [message.to for message in mail.outbox] == [["editor@example.org"]]
    assert "Sửa số liệu" in mail.outbox[0].body


def test_phase_change_is_recorded_and_logged(client, story_index, users):
    site = story_index.get_site()
    client.force_login(users["approver"])
    url = reverse("wagtailsettings:edit", args=["hub", "campaignsettings", site.pk])

    client.post(url, {"phase": Phase.OUTBREAK, "outbreak_banner": "Dịch bùng phát"})
    client.post(url, {"phase": Phase.OUTBREAK, "outbreak_banner": "Dịch bùng phát tại xã A"})

    [change] = PhaseChange.objects.all()
    assert (change.from_phase, change.to_phase, change.changed_by) == (
        Phase.NEW_NORMAL,
        Phase.OUTBREAK,
        users["approver"],
    )
    assert ModelLogEntry.objects.filter(action="hub.phase_change", user=users["approver"]).count() == 1
