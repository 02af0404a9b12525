"""Drills never count in a report's figures; they have a section of their own."""

import datetime

from channels.sms.models import FeedEntry
from hub.models import ExercisePeriod
from publishing.models import Delivery
from publishing.reports import providers
from publishing.reports.figures import DEFAULT_PROVIDERS
from tests.factories.sms import PartnerFactory
from tests.factories.tenancy import superuser
from tests.reports.conftest import at
from tests.reports.test_figures import context, publication, rows


def test_drills_are_left_out_of_the_figures_and_listed_apart(organisation, story_page, regions):
    PartnerFactory(coverage=[regions["province"]])
    real = publication(story_page, at(2026, 11, 2, 9), kind="situation", title="Tin thật")
    drill = publication(
        story_page, at(2026, 11, 3, 9), kind="situation", title="Tin diễn tập", is_exercise=True
    )
    for each in (real, drill):
        delivery = Delivery.objects.create(publication=each, channel="sms", target="feed", status="sent")
        Delivery.objects.filter(pk=delivery.pk).update(created_at=each.published_at)
        FeedEntry.objects.create(
            seq=each.pk,
            kind="message",
            publication=each,
            region_paths="|/|",
            body="{}",
            text=each.title,
            visible_until=at(2026, 11, 30),
            exercise=each.is_exercise,
            created_at=each.published_at,
        )
    user = superuser()
    ExercisePeriod.objects.create(
        organisation=organisation,
        started_at=at(2026, 11, 3, 8),
        started_by=user,
        ended_at=at(2026, 11, 3, 11),
        ended_by=user,
        retracted=1,
    )

    stories = providers.stories(context(organisation))
    deliveries = providers.deliveries(context(organisation))
    sms = providers.sms(context(organisation))
    exercises = providers.exercises(context(organisation))

    assert rows(stories, "stories_by_kind") == [["situation", 1, 0, 0]]
    assert deliveries["notes"][0][1] == {"total": 1, "failed": 0}
    assert sms["notes"][0][1]["messages"] == 1
    assert exercises["notes"][0][1] == {"periods": 1, "stories": 1}
    [(started, started_by, ended, ended_by, withdrawn)] = rows(exercises, "exercise_periods")
    assert datetime.datetime.fromisoformat(started) == at(2026, 11, 3, 8)
    assert datetime.datetime.fromisoformat(ended) == at(2026, 11, 3, 11)
    assert (started_by, ended_by, withdrawn) == (user.username, user.username, 1)
    assert [row[1:] for row in rows(exercises, "exercise_publications")] == [["situation", "Tin diễn tập", 1]]
    assert "publishing.reports.providers.exercises" in DEFAULT_PROVIDERS


def test_a_period_without_drills_has_no_exercise_section(organisation, story_page):
    publication(story_page, at(2026, 11, 2, 9))

    assert providers.exercises(context(organisation)) is None
