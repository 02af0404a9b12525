"""No entry is skipped or repeated while writers publish during paging (PostgreSQL, real concurrency)."""

import random
import threading
import time

import pytest
from django.db import connection, connections, transaction
from django.test import Client

from channels.sms import feed
from tests.factories.sms import PartnerFactory, message_payload, partner_key

URL = "/api/sms/v1/messages"
WRITERS = 6
PER_WRITER = 15

pytestmark = pytest.mark.skipif(
    connection.vendor != "postgresql", reason="needs concurrent writers: run with DATABASE_URL=postgres://…"
)


def _writer(region, committed: list, errors: list, seed: int) -> None:
    rng = random.Random(seed)
    try:
        for _ in range(PER_WRITER):
            with transaction.atomic():
                entry = feed.append_message(payload=message_payload(regions=[region]))
                time.sleep(rng.uniform(0, 0.02))  # a slow publish transaction: commit comes later
            committed.append(entry.public_id)
            time.sleep(rng.uniform(0, 0.003))
    except Exception as error:  # noqa: BLE001 - reported to the main thread, which fails the test
        errors.append(error)
    finally:
        connections.close_all()


@pytest.mark.django_db(transaction=True)
def test_paging_while_publishing_never_skips_nor_repeats(settings, regions):
    settings.SMS_RATE_LIMIT = 1_000_000
    partner = PartnerFactory(coverage=[regions["city"]])
    auth = {"HTTP_AUTHORIZATION": f"Bearer {partner_key(partner)}"}
    committed, errors = [], []
    writers = [
        threading.Thread(target=_writer, args=(regions["city"], committed, errors, seed))
        for seed in range(WRITERS)
    ]
    client = Client()
    seen, after, pages = [], None, 0

    for thread in writers:
        thread.start()
    while any(thread.is_alive() for thread in writers) or pages == 0:
        body = client.get(URL, {"limit": 20, **({"after": after} if after else {})}, **auth).json()
        seen += [entry["id"] for entry in body["messages"]]
        after, pages = body["next_cursor"], pages + 1
    for thread in writers:
        thread.join()
    while True:  # drain what was committed after the last page
        body = client.get(URL, {"limit": 50, "after": after}, **auth).json()
        seen += [entry["id"] for entry in body["messages"]]
        after = body["next_cursor"]
        if not body["has_more"]:
            break

    assert errors == []
    assert pages > 10, "the reader should have paged while writers were publishing"
    assert len(seen) == len(set(seen)), "an entry was repeated"
    assert sorted(seen, key=int) == seen, "publication order changed"
    assert set(seen) == set(committed), f"skipped: {sorted(set(committed) - set(seen), key=int)}"
    assert len(seen) == WRITERS * PER_WRITER
