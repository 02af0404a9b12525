"""Syndication: a subscriber's copy follows the source's updates and retraction, on its portal and
feed; re-publishing on the subscriber's channels goes through the subscriber's own sign-off."""

import pytest
from django.contrib.auth import get_user_model
from django.urls import reverse
from wagtail.models import TaskState

from hub.exercise import exercise_start
from hub.models import RegionLevel, SituationPage, StoryIndexPage, Subscription, SyndicatedCopy
from hub.organisations import RegionSpec, organisation_create, role_group
from tests.factories.tenancy import publish_story, superuser

pytestmark = pytest.mark.django_db


def organisation(letter, hostname):
    created = organisation_create(
        name=f"Tổ chức {letter}",
        slug=f"nguon-{letter.lower()}",
        kind="province",
        hostname=hostname,
        region=RegionSpec(f"s{letter.lower()}", f"Tỉnh {letter}", RegionLevel.PROVINCE),
    )
    created.section = created.site.root_page.add_child(
        instance=StoryIndexPage(title="Tin tức", slug="tin-tuc")
    )
    return created


@pytest.fixture
def source_and_subscriber(settings):
    settings.ALLOWED_HOSTS = ["*"]
    source, subscriber = organisation("A", "nguon.example"), organisation("B", "nhan.example")
    Subscription.objects.create(subscriber=subscriber, source=source)
    return source, subscriber


def feed(client, organisation) -> str:
    return client.get(f"/feeds/to-chuc/{organisation.slug}/atom/").content.decode()


def test_a_published_story_appears_on_the_subscribers_portal_with_its_provenance(
    client, source_and_subscriber
):
    source, subscriber = source_and_subscriber

    story = publish_story(source.section, "Tiêm vắc-xin lưu động tại các bản", user=superuser())

    copy = SyndicatedCopy.objects.get(organisation=subscriber)
    page = client.get(f"/lien-thong/{copy.pk}/", HTTP_HOST="nhan.example").content.decode()
    assert copy.source_page_id == story.pk and copy.canonical_url == story.get_full_url()
    assert story.title in page and source.name in page
    assert f'<link rel="canonical" href="{story.get_full_url()}">' in page
    assert copy.approved_by_name in page  # the source's approval, shown, not repeated
    atom = feed(client, subscriber)
    assert story.title in atom and "<hub:organisation>Tổ chức A</hub:organisation>" in atom
    assert "<hub:expires>" in atom and f'href="{story.get_full_url()}"' in atom
    # The source's own portal is not the subscriber's: nothing is copied the other way.
    assert client.get("/lien-thong/", HTTP_HOST="nguon.example").content.decode().count(story.title) == 0


def test_an_update_at_the_source_updates_the_copy_and_the_feed(client, source_and_subscriber):
    source, subscriber = source_and_subscriber
    story = publish_story(source.section, "Lịch tiêm chủng tuần này")

    story.title = "Lịch tiêm chủng tuần này (đã cập nhật giờ tiêm)"
    story.save_revision(user=superuser()).publish(user=superuser())

    copy = SyndicatedCopy.objects.get(organisation=subscriber)
    assert SyndicatedCopy.objects.count() == 1 and copy.title == story.title
    listing = client.get("/lien-thong/", HTTP_HOST="nhan.example").content.decode()
    assert "đã cập nhật giờ tiêm" in listing
    atom = feed(client, subscriber)
    assert "đã cập nhật giờ tiêm" in atom and atom.count("<entry>") == 1


def test_a_retraction_at_the_source_withdraws_the_copy_everywhere(client, source_and_subscriber):
    source, subscriber = source_and_subscriber
    story = publish_story(source.section, "Thông báo tạm dừng chợ phiên")
    copy = SyndicatedCopy.objects.get(organisation=subscriber)

    SituationPage.objects.get(pk=story.pk).unpublish(user=superuser())

    copy.refresh_from_db()
    assert copy.withdrawn_at is not None
    response = client.get(f"/lien-thong/{copy.pk}/", HTTP_HOST="nhan.example")
    assert response.status_code == 410 and story.title not in response.content.decode()
    assert story.title not in client.get("/lien-thong/", HTTP_HOST="nhan.example").content.decode()
    assert story.title not in feed(client, subscriber)
    assert story.title not in feed(client, source)


@pytest.mark.parametrize(
    ("kinds", "tags", "taken"),
    [
        ([], "", True),
        (["situation"], "", True),
        (["rebuttal"], "", False),
        ([], "vắc-xin", True),
        ([], "bão lũ", False),
    ],
)
def test_a_subscription_takes_the_kinds_and_keywords_it_names(source_and_subscriber, kinds, tags, taken):
    source, subscriber = source_and_subscriber
    Subscription.objects.filter(subscriber=subscriber).update(kinds=kinds, tags=tags)

    publish_story(source.section, "Tiêm vắc-xin cho người cao tuổi")

    assert SyndicatedCopy.objects.filter(organisation=subscriber).exists() is taken


def test_republishing_starts_the_subscribers_own_story_through_its_own_workflow(
    client, source_and_subscriber
):
    source, subscriber = source_and_subscriber
    story = publish_story(source.section, "Khuyến cáo phòng dịch mùa lễ hội")
    copy = SyndicatedCopy.objects.get(organisation=subscriber)
    editor = get_user_model().objects.create_user("bientap-b", password="x")
    editor.groups.add(role_group(subscriber, "Editors"))
    client.force_login(editor)

    response = client.post(reverse("hub_syndicated_republish", args=[copy.pk]))

    own = SituationPage.objects.child_of(subscriber.section).get()
    assert response.status_code == 302 and response["Location"] == reverse(
        "wagtailadmin_pages:edit", args=[own.pk]
    )
    assert not own.live and own.title == story.title and list(own.body.raw_data) == list(story.body.raw_data)
    assert list(own.regions.all()) == []  # the source's regions are not the subscriber's
    workflow = own.get_workflow()
    assert workflow.name.endswith(subscriber.name)
    workflow.start(own, editor)
    state = TaskState.objects.get(workflow_state__object_id=str(own.pk), status=TaskState.STATUS_IN_PROGRESS)
    approvers = role_group(subscriber, "Approvers")
    steps = {group.pk for task in workflow.tasks.all() for group in task.specific.groups.all()}
    assert approvers.pk in steps and role_group(source, "Approvers").pk not in steps
    assert state.task.specific.groups.filter(organisations=subscriber).exists()
    # Nothing of the subscriber's draft reaches the source's channels or feed.
    assert own.title not in feed(client, source).replace(story.title, "")
    copy.refresh_from_db()
    assert copy.republished_as_id == own.pk


def test_the_source_cannot_republish_into_anyone_else(client, source_and_subscriber):
    source, subscriber = source_and_subscriber
    publish_story(source.section, "Tin chỉ dành cho bên nhận")
    copy = SyndicatedCopy.objects.get(organisation=subscriber)
    outsider = get_user_model().objects.create_user("bientap-a", password="x")
    outsider.groups.add(role_group(source, "Editors"))
    client.force_login(outsider)

    response = client.post(reverse("hub_syndicated_republish", args=[copy.pk]))

    assert response.status_code == 404
    assert not SituationPage.objects.child_of(subscriber.section).exists()


def test_a_drill_is_not_syndicated_nor_in_the_organisation_feed(client, source_and_subscriber):
    source, subscriber = source_and_subscriber
    real = publish_story(source.section, "Lịch tiêm vắc-xin tuần này", user=superuser())
    exercise_start(organisation=source, user=superuser())

    drill = publish_story(source.section, "Diễn tập: phong tỏa bản Huổi Só", user=superuser())

    copies = SyndicatedCopy.objects.filter(organisation=subscriber)
    assert list(copies.values_list("source_page_id", flat=True)) == [real.pk]
    atom = feed(client, source)
    assert real.title in atom and drill.title not in atom
