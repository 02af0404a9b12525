"""Zalo and e-mail in the outbox like every channel: a published story fans out to the accounts and
lists of its own organisation, with the approved Zalo text frozen in the publication."""

import pytest
from django.core import mail

from channels.email.models import EmailSend
from channels.zalo.models import ZaloPost
from publishing.delivery import delivery_process
from publishing.models import Delivery, DeliveryStatus, Publication
from tests.factories import GoodExamplePageFactory, OrganisationFactory
from tests.factories.email import RecipientFactory, RecipientListFactory
from tests.factories.organisations import default_organisation
from tests.factories.social import SocialPublicationFactory
from tests.factories.zalo import ZaloAccountFactory, with_tokens


@pytest.fixture
def channels(settings):
    settings.HUB_CHANNELS = {
        "portal": {"BACKEND": "channels.portal.PortalAdapter"},
        "zalo": {"BACKEND": "channels.zalo.adapter.ZaloAdapter"},
        "email": {"BACKEND": "channels.email.adapter.EmailAdapter"},
    }
    settings.EMAIL_CHANNEL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"


def test_a_published_story_reaches_its_organisations_zalo_accounts_and_lists_only(
    story_index, channels, django_capture_on_commit_callbacks
):
    ours = default_organisation()  # the test site's
    other = OrganisationFactory()
    account = ZaloAccountFactory(organisation=ours, name="OA của tỉnh")
    ZaloAccountFactory(organisation=other, name="OA của tổ chức khác")
    departments = RecipientListFactory(organisation=ours)
    RecipientFactory(recipient_list=departments, email="vanthu@soyte.dienbien.gov.vn")
    RecipientFactory(recipient_list=RecipientListFactory(organisation=other), email="khac@example.org")
    page = GoodExamplePageFactory(
        parent=story_index, channels=["zalo", "email"], zalo_text="Bà con đi tiêm nhé!"
    )

    with django_capture_on_commit_callbacks(execute=True):
        revision = page.save_revision()
        revision.publish()

    publication = Publication.objects.get(revision=revision)
    assert publication.zalo_text == "Bà con đi tiêm nhé!"
    deliveries = {
        d.channel: d for d in Delivery.objects.filter(publication=publication).exclude(channel="portal")
    }
    assert set(deliveries) == {"zalo", "email"}
    assert (
        deliveries["zalo"].target == account.target_key and deliveries["zalo"].status == DeliveryStatus.SENT
    )
    assert deliveries["zalo"].sandbox  # no app secret: recorded, not sent
    assert ZaloPost.objects.get(account=account).payload["text"] == "Bà con đi tiêm nhé!"
    assert (
        deliveries["email"].target == departments.target_key
        and deliveries["email"].status == DeliveryStatus.SENT
    )
    assert [message.to for message in mail.outbox] == [["vanthu@soyte.dienbien.gov.vn"]]
    assert EmailSend.objects.get().message.marker == deliveries["email"].marker


def test_a_disabled_account_fails_its_delivery_visibly(db, channels, monkeypatch):
    monkeypatch.setenv("ZALO_TEST_APP_SECRET", "secret")
    account = with_tokens(ZaloAccountFactory(app_secret_env="ZALO_TEST_APP_SECRET"))
    account.disable("Zalo refused the refresh token (-14014)")
    publication = SocialPublicationFactory(zalo_text="Tin khẩn")
    delivery = Delivery.objects.create(
        publication=publication, channel="zalo", target=account.target_key, payload={"text": "Tin khẩn"}
    )

    assert delivery_process(delivery_id=delivery.pk) == "failed"

    delivery.refresh_from_db()
    assert delivery.status == DeliveryStatus.FAILED and "-14014" in delivery.last_error
