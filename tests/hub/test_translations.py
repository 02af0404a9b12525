"""Translations: created, synced with the source, reviewed by readers of the language, approved,
and published on every channel in their language."""

import json

import pytest
from wagtail.models import Page, TaskState

from channels.sms.models import FeedEntry
from channels.social.models import Network
from hub.models import RegionLevel
from hub.translations import (
    side_by_side,
    source_of,
    sync_translations,
    translator_group_name,
)
from publishing.models import Delivery, DeliveryStatus, Publication
from tests.factories import GoodExamplePageFactory, RegionFactory, UserFactory
from tests.factories.sms import PartnerFactory
from tests.factories.social import ChannelAccountFactory

HMONG_TITLE = "Pojniam Lò Thị Hoa coj 120 tsev neeg mus txhaj tshuaj"  # sample text for the test
HMONG_SMS = "Mus txhaj tshuaj tiv thaiv kab mob COVID-19 kom tag nrho. Nug tus kws kho mob hauv koj lub zos."


@pytest.fixture
def province(db):
    return RegionFactory(code="11", name="Tỉnh Điện Biên", level=RegionLevel.PROVINCE, languages="vi, hmn")


@pytest.fixture
def people(db):
    return {
        "editor": UserFactory(groups=["Editors"]),
        "reader": UserFactory(groups=[translator_group_name("hmn")]),
        "thai_reader": UserFactory(groups=[translator_group_name("blt")]),
        "approver": UserFactory(groups=["Approvers"]),
    }


@pytest.fixture
def everywhere(province):
    """A sandbox account on each social network, an SMS partner, for the province."""
    for network in (Network.FACEBOOK, Network.X):
        ChannelAccountFactory(network=network, regions=[province])
    return PartnerFactory(coverage=[province])


def _publish(page, capture):
    with capture(execute=True):
        page.save_revision().publish()


def _act(page, user, action="approve"):
    page = Page.objects.get(pk=page.pk).specific
    task = page.current_workflow_task
    state = page.current_workflow_task_state
    assert task is not None, "no workflow step is waiting"
    task.on_action(state, user, action)
    return task


@pytest.mark.django_db(transaction=False)
def test_a_translation_is_created_reviewed_approved_and_delivered_in_its_language(
    client, locales, story_index, province, people, everywhere, django_capture_on_commit_callbacks
):
    # given a published Vietnamese story for the province (which lists "vi, hmn")
    source = GoodExamplePageFactory(parent=story_index, slug="guong-sang", regions=[province])
    _publish(source, django_capture_on_commit_callbacks)

    # when an editor asks for the H'Mông translation in the admin
    client.force_login(people["editor"])
    response = client.post(f"/admin/translation/submit/page/{source.pk}/", {"locales": [locales["hmn"].pk]})
    translation = source.get_translation(locales["hmn"]).specific
    assert response.status_code == 302 and response["Location"] == f"/admin/pages/{translation.pk}/edit/"
    assert translation.live is False
    assert [region.pk for region in translation.regions.all()] == [province.pk]

    # and writes it, with its own channel texts, and submits it
    translation.title = HMONG_TITLE
    translation.sms_text = HMONG_SMS
    translation.sample_translation = True
    translation.save_revision(user=people["editor"])
    with django_capture_on_commit_callbacks(execute=True):
        translation.get_workflow().start(translation, people["editor"])

    # then the H'Mông reviewers review it (the other language's reviewers are skipped) ...
    review = _act(translation, people["reader"])
    assert review.specific.key == "language-review-hmn"
    skipped = TaskState.objects.filter(
        workflow_state__base_content_type__isnull=False,
        revision__object_id=str(translation.pk),
        status=TaskState.STATUS_SKIPPED,
    ).values_list("task__storyreviewtask__key", flat=True)
    assert "language-review-blt" in set(skipped)
    assert Publication.objects.filter(language="hmn").count() == 0

    # ... and the approver's approval publishes it
    with django_capture_on_commit_callbacks(execute=True):
        _act(translation, people["approver"])
    translation.refresh_from_db()
    assert translation.live

    publication = Publication.objects.get(page=translation)
    assert publication.language == "hmn"
    assert publication.title == HMONG_TITLE
    assert publication.url.endswith(f"/hmn/{story_index.slug}/guong-sang/")
    channels = set(publication.deliveries.values_list("channel", flat=True))
    assert channels == {"portal", "facebook", "x", "sms", "led"}
    assert not publication.deliveries.exclude(status=DeliveryStatus.SENT).exclude(
        channel__in=["facebook", "x"]
    )
    assert Delivery.objects.filter(publication__language="vi").count() == 5  # the source's own

    # and the SMS feed carries both languages, each marked
    bodies = [json.loads(entry.body) for entry in FeedEntry.objects.order_by("seq")]
    assert [(body["language"], body["text"]) for body in bodies][-1] == ("hmn", HMONG_SMS)
    assert {body["language"] for body in bodies} == {"vi", "hmn"}


@pytest.mark.django_db
def test_a_language_the_target_regions_do_not_list_goes_to_the_portal_only(
    locales, story_index, province, django_capture_on_commit_callbacks
):
    source = GoodExamplePageFactory(parent=story_index, slug="chi-tieng-viet", regions=[province])
    _publish(source, django_capture_on_commit_callbacks)
    thai = source.copy_for_translation(locales["blt"]).specific  # the province lists vi, hmn only

    _publish(thai, django_capture_on_commit_callbacks)

    publication = Publication.objects.get(page=thai)
    assert publication.language == "blt"
    assert publication.channels == []
    assert list(publication.deliveries.values_list("channel", flat=True)) == ["portal"]


@pytest.mark.django_db
def test_publishing_the_source_syncs_where_and_when_into_a_draft_of_each_translation(
    locales, story_index, province, django_capture_on_commit_callbacks
):
    source = GoodExamplePageFactory(parent=story_index, slug="dong-bo", alert=False)
    _publish(source, django_capture_on_commit_callbacks)
    translation = source.copy_for_translation(locales["hmn"]).specific
    translation.title = HMONG_TITLE
    _publish(translation, django_capture_on_commit_callbacks)

    source.regions = [province]
    source.alert = True
    source.title = "Tiêu đề mới"
    _publish(source, django_capture_on_commit_callbacks)

    translation.refresh_from_db()
    draft = translation.get_latest_revision_as_object()
    assert translation.has_unpublished_changes
    assert draft.alert is True and [region.pk for region in draft.regions.all()] == [province.pk]
    assert draft.title == HMONG_TITLE  # what it says stays the translator's
    assert translation.alert is False  # the live translation waits for its own sign-off
    assert sync_translations(source) == []  # nothing left to sync


@pytest.mark.django_db
def test_the_approver_sees_source_and_translation_side_by_side(rf, admin_user, locales, story_index):
    source = GoodExamplePageFactory(parent=story_index, slug="song-song", sms_text="Đi tiêm vắc-xin.")
    source.save_revision().publish()
    translation = source.copy_for_translation(locales["hmn"]).specific
    translation.title = HMONG_TITLE
    translation.sms_text = HMONG_SMS
    translation.save_revision()

    compared = side_by_side(translation)
    assert source_of(translation).pk == source.pk
    rows = {row["field"]: row for row in compared["rows"]}
    assert rows["title"]["source"] == source.title and rows["title"]["translation"] == HMONG_TITLE
    assert rows["sms_variant"]["translation"] == HMONG_SMS
    assert compared["sms"].encoding == "GSM-7"  # H'Mông in the Latin script: pure GSM-7

    assert "translation" in dict(translation.preview_modes)
    request = rf.get("/")
    request.user = admin_user
    response = translation.make_preview_request(request, "translation")
    text = response.render().content.decode() if hasattr(response, "render") else response.content.decode()
    assert response.status_code == 200
    assert source.title in text and HMONG_TITLE in text
    assert "data-side-by-side" in text


@pytest.mark.django_db
def test_each_language_group_may_edit_only_its_own_tree(locales, story_index, people):
    hmn_home = story_index.get_parent().get_translation(locales["hmn"])
    vi_home = story_index.get_parent()

    assert hmn_home.permissions_for_user(people["reader"]).can_edit()
    assert not vi_home.permissions_for_user(people["reader"]).can_edit()
    assert not hmn_home.permissions_for_user(people["reader"]).can_publish()
    assert people["editor"].has_perm("simple_translation.submit_translation")
