"""Portal subscription: double opt-in with a signed link, throttled, unsubscribe never on a bare GET."""

import re

import pytest
from django.core import mail, signing
from django.urls import reverse

from channels.email.models import Recipient
from channels.email.sending import unsubscribe_token
from tests.factories.email import RecipientFactory

SUBSCRIBE = reverse("email_subscribe")


@pytest.fixture
def form(regions):
    return {"email": "Nguoi.Dan@Example.com", "region": regions["city"].pk, "language": "vi", "website": ""}


def confirm_link(message) -> str:
    return re.search(r"https?://\S+/nhan-tin-email/xac-nhan/\S+/", message.body).group(0)


def test_subscribing_sends_a_confirmation_and_nothing_counts_until_confirmed(client, home, citizens, form):
    response = client.post(SUBSCRIBE, form)

    assert response.status_code == 302 and response["Location"] == reverse("email_subscribe_sent")
    recipient = Recipient.objects.get(email="nguoi.dan@example.com")
    assert recipient.confirmed_at is None and recipient.region_id == form["region"]
    assert [message.to for message in mail.outbox] == [["nguoi.dan@example.com"]]
    link = confirm_link(mail.outbox[0])

    page = client.get(link)  # opening the link (or a mail scanner fetching it) confirms nothing yet
    assert page.status_code == 200 and Recipient.objects.get(pk=recipient.pk).confirmed_at is None
    done = client.post(link)
    assert done.status_code == 200
    assert Recipient.objects.get(pk=recipient.pk).confirmed_at is not None


def test_an_address_already_subscribed_gets_no_second_email_and_the_page_says_the_same(
    client, home, citizens, form
):
    RecipientFactory(recipient_list=citizens, email="nguoi.dan@example.com")

    response = client.post(SUBSCRIBE, form)

    assert response.status_code == 302 and mail.outbox == []


def test_a_tampered_or_expired_link_is_refused(client, home, citizens, settings):
    recipient = RecipientFactory(recipient_list=citizens, confirmed_at=None)
    token = signing.dumps({"r": recipient.pk, "e": recipient.email}, salt="channels.email.confirm")

    tampered = client.post(reverse("email_confirm", args=[token[:-2] + "xx"]))
    settings.EMAIL_CONFIRM_DAYS = 0
    expired = client.post(reverse("email_confirm", args=[token]))

    assert tampered.status_code == expired.status_code == 400
    assert Recipient.objects.get(pk=recipient.pk).confirmed_at is None


def test_sign_ups_are_throttled_per_address(client, home, citizens, form, settings):
    settings.EMAIL_SUBSCRIBE_RATE = 2
    from django.core.cache import cache

    cache.delete("email:subscribe:127.0.0.1")
    statuses = [client.post(SUBSCRIBE, {**form, "email": f"a{n}@example.com"}).status_code for n in range(3)]

    assert statuses == [302, 302, 429]
    assert len(mail.outbox) == 2


def test_bots_filling_the_hidden_field_are_ignored(client, home, citizens, form):
    client.post(SUBSCRIBE, {**form, "website": "http://spam.example"})

    assert not Recipient.objects.filter(email="nguoi.dan@example.com").exists() and mail.outbox == []


def test_unsubscribing_asks_first_then_stops(client, home, citizens):
    recipient = RecipientFactory(recipient_list=citizens)
    url = reverse("email_unsubscribe", args=[unsubscribe_token(recipient)])

    assert client.get(url).status_code == 200
    assert Recipient.objects.get(pk=recipient.pk).unsubscribed_at is None
    assert client.post(url).status_code == 200
    assert Recipient.objects.get(pk=recipient.pk).unsubscribed_at is not None
    assert client.post(reverse("email_unsubscribe", args=["nonsense"])).status_code == 400


def test_no_public_list_means_no_subscription_page(client, home, db):
    assert client.get(SUBSCRIBE).status_code == 404
