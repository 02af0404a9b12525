"""The e-mail channel against a real SMTP server on 127.0.0.1: delivery, refusal, retry, kill mid-batch."""

import datetime
from email import message_from_bytes, policy

import pytest
from django.utils import timezone

from channels.email import sending
from channels.email.models import EmailSend, Recipient, SendStatus
from publishing.delivery import delivery_process
from publishing.models import Delivery, DeliveryStatus
from tests.factories.email import RecipientFactory


def make_delivery(adapter, publication, recipient_list) -> Delivery:
    target = next(
        target for target in adapter.targets(publication) if target.key == recipient_list.target_key
    )
    return Delivery.objects.create(
        publication=publication,
        channel="email",
        target=target.key,
        payload=adapter.render(publication, target),
    )


def due_now(delivery: Delivery) -> None:
    Delivery.objects.filter(pk=delivery.pk).update(
        next_attempt_at=timezone.now() - datetime.timedelta(seconds=1)
    )


def parsed(record):
    return message_from_bytes(record["content"], policy=policy.default)


def test_each_recipient_of_the_region_gets_one_message_in_their_language(
    smtp, adapter, publication, departments
):
    delivery = make_delivery(adapter, publication, departments)

    assert delivery_process(delivery_id=delivery.pk) == "sent"

    assert sorted(smtp.recipients()) == [
        "office@who-liaison.example.org",
        "vanthu@sotttt.dienbien.gov.vn",
        "vanthu@soyte.dienbien.gov.vn",
    ]  # the Mường Chà office is not in the story's region
    ids = [message["message_id"] for message in smtp.messages]
    assert len(set(ids)) == 3 and all(i.endswith("@dienbien.gov.vn>") for i in ids)
    by_address = {message["to"][0]: parsed(message) for message in smtp.messages}
    vietnamese = by_address["vanthu@soyte.dienbien.gov.vn"]
    assert vietnamese["Subject"].strip() == publication.title
    assert vietnamese.get_content_type() == "multipart/alternative"
    text = vietnamese.get_body(("plain",)).get_content()
    html = vietnamese.get_body(("html",)).get_content()
    assert publication.url in text and publication.summary in text
    assert '<html lang="vi">' in html and "<img" not in html
    assert "List-Unsubscribe" not in vietnamese  # an office list, not a public subscription
    english = by_address["office@who-liaison.example.org"].get_body(("plain",)).get_content()
    assert "Read the full story on the portal" in english
    delivery.refresh_from_db()
    assert delivery.external_id == delivery.marker and not delivery.sandbox
    assert EmailSend.objects.filter(status=SendStatus.SENT).count() == 3


def test_public_subscribers_get_list_unsubscribe_and_only_when_confirmed(
    smtp, adapter, publication, citizens, client
):
    delivery = make_delivery(adapter, publication, citizens)

    delivery_process(delivery_id=delivery.pk)

    assert smtp.recipients() == ["nguoidan@example.com"]  # the unconfirmed address gets nothing
    message = parsed(smtp.messages[0])
    unsubscribe = message["List-Unsubscribe"].strip().strip("<>")
    assert message["List-Unsubscribe-Post"].strip() == "List-Unsubscribe=One-Click"
    assert unsubscribe in message.get_body(("plain",)).get_content()
    path = unsubscribe.split("dienbien.example.gov.vn", 1)[1]
    response = client.post(path, {"List-Unsubscribe": "One-Click"})  # RFC 8058, no CSRF token
    assert response.status_code == 200
    assert Recipient.objects.get(email="nguoidan@example.com").unsubscribed_at is not None


def test_a_refused_recipient_is_recorded_as_a_bounce_and_the_others_still_get_it(
    smtp, adapter, publication, departments
):
    smtp.refuse.add("vanthu@sotttt.dienbien.gov.vn")
    delivery = make_delivery(adapter, publication, departments)

    assert delivery_process(delivery_id=delivery.pk) == "sent"

    assert sorted(smtp.recipients()) == ["office@who-liaison.example.org", "vanthu@soyte.dienbien.gov.vn"]
    bounced = Recipient.objects.get(email="vanthu@sotttt.dienbien.gov.vn")
    assert bounced.bounced_at is not None and bounced.bounce_reason.startswith("550")
    send = EmailSend.objects.get(recipient=bounced)
    assert send.status == SendStatus.REFUSED
    delivery.refresh_from_db()
    assert delivery.status == DeliveryStatus.SENT
    assert sending.tally(send.message, "story").refused == 1


def test_a_temporary_refusal_is_retried_later_for_that_recipient_only(
    smtp, adapter, publication, departments
):
    smtp.defer["vanthu@soyte.dienbien.gov.vn"] = 1
    delivery = make_delivery(adapter, publication, departments)

    assert delivery_process(delivery_id=delivery.pk) == "retry"
    delivery.refresh_from_db()
    assert delivery.status == DeliveryStatus.RETRYING and "1" in delivery.last_error
    assert len(smtp.messages) == 2

    due_now(delivery)
    assert delivery_process(delivery_id=delivery.pk) == "sent"

    assert sorted(smtp.recipients()) == [
        "office@who-liaison.example.org",
        "vanthu@sotttt.dienbien.gov.vn",
        "vanthu@soyte.dienbien.gov.vn",
    ]


def test_a_server_that_is_down_is_a_transient_failure(settings, adapter, publication, departments):
    settings.EMAIL_CHANNEL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT, settings.EMAIL_TIMEOUT = "127.0.0.1", 9, 2
    delivery = make_delivery(adapter, publication, departments)

    assert delivery_process(delivery_id=delivery.pk) == "retry"

    assert not EmailSend.objects.exclude(status=SendStatus.QUEUED).exists()


class WorkerKilled(BaseException):
    """Stands for SIGKILL: nothing after it runs, not even the pipeline's bookkeeping."""


def test_a_worker_killed_mid_batch_resumes_without_sending_anyone_twice(
    smtp, adapter, publication, departments, settings, monkeypatch
):
    settings.EMAIL_CHANNEL_BATCH = 2
    for n in range(7):
        RecipientFactory(recipient_list=departments, email=f"phong{n}@dienbien.gov.vn")
    delivery = make_delivery(adapter, publication, departments)
    original = sending._deliver
    calls = {"n": 0}

    def dies_after_the_fifth_message_is_accepted(*args):
        result = original(*args)
        calls["n"] += 1
        if calls["n"] == 5:
            # The worst moment: the server has the message; the row still says "sending".
            raise WorkerKilled
        return result

    monkeypatch.setattr(sending, "_deliver", dies_after_the_fifth_message_is_accepted)
    with pytest.raises(WorkerKilled):
        delivery_process(delivery_id=delivery.pk)
    monkeypatch.setattr(sending, "_deliver", original)
    assert len(smtp.messages) == 5

    # The lease runs out; another worker claims the abandoned row and resumes.
    Delivery.objects.filter(pk=delivery.pk).update(
        lease_expires_at=timezone.now() - datetime.timedelta(seconds=1)
    )
    assert delivery_process(delivery_id=delivery.pk) == "sent"

    received = smtp.recipients()
    assert len(received) == len(set(received)) == 10  # everyone once, nobody twice
    assert EmailSend.objects.filter(status=SendStatus.UNCERTAIN).count() == 1
    delivery.refresh_from_db()
    assert delivery.status == DeliveryStatus.SENT


def test_a_retracted_story_sends_a_correction_to_those_who_got_it(smtp, adapter, publication, departments):
    smtp.refuse.add("vanthu@sotttt.dienbien.gov.vn")
    delivery = make_delivery(adapter, publication, departments)
    delivery_process(delivery_id=delivery.pk)
    smtp.messages.clear()

    Delivery.objects.filter(pk=delivery.pk).update(status=DeliveryStatus.RETRACTING)
    assert delivery_process(delivery_id=delivery.pk) == "retracted"

    assert sorted(smtp.recipients()) == ["office@who-liaison.example.org", "vanthu@soyte.dienbien.gov.vn"]
    correction = parsed(next(m for m in smtp.messages if m["to"] == ["vanthu@soyte.dienbien.gov.vn"]))
    assert correction["Subject"].strip().startswith("Đính chính")  # the recipient reads Vietnamese
    assert publication.title in correction.get_body(("plain",)).get_content()
