"""The SMS door: partners forward keyword messages and pull the replies owed (docs/sms.md, inbound)."""

import pytest

from hub.intake.models import Contact, Notification, NotificationStatus, Tip, TipKind, TipSource
from hub.intake.notifications import claim_mark_answered
from tests.factories.sms import PartnerFactory, partner_key

MESSAGES = "/api/sms/v1/inbound/messages"
REPLIES = "/api/sms/v1/inbound/replies"


@pytest.fixture
def partner(organisation, regions):
    return PartnerFactory(name="Viettel thử", coverage=[regions["city"]])


@pytest.fixture
def auth(partner):
    return {"HTTP_AUTHORIZATION": f"Bearer {partner_key(partner)}"}


def _post(client, auth, messages):
    return client.post(MESSAGES, {"messages": messages}, content_type="application/json", **auth)


def test_a_partner_forwards_keyword_messages(client, auth, partner, organisation):
    response = _post(
        client,
        auth,
        [
            {"id": "vt-1", "from": "0912345678", "text": "TINDON uong nuoc chanh nong chua khoi covid"},
            {
                "id": "vt-2",
                "from": "+84 98 765 4321",
                "text": "hoi Tiem mui 3 o dau?",
                "received_at": "2026-12-01T08:00:00+07:00",
            },
        ],
    )

    assert response.status_code == 200
    assert response.json() == {"accepted": 2, "duplicates": [], "rejected": []}
    rumour, question = Tip.objects.order_by("external_id")
    assert (rumour.kind, rumour.source, rumour.text, rumour.partner) == (
        TipKind.RUMOUR,
        TipSource.SMS,
        "uong nuoc chanh nong chua khoi covid",
        partner,
    )
    assert rumour.organisation == organisation
    assert (question.kind, question.text) == (TipKind.QUESTION, "Tiem mui 3 o dau?")
    assert question.received_at.isoformat() == "2026-12-01T01:00:00+00:00"
    assert set(Contact.objects.values_list("value", flat=True)) == {"+84912345678", "+84987654321"}


def test_the_same_message_forwarded_twice_is_one_report(client, auth):
    message = {"id": "vt-9", "from": "0912345678", "text": "TINDON phong toa thanh pho toi nay"}
    _post(client, auth, [message])

    response = _post(client, auth, [message])

    assert response.json() == {"accepted": 0, "duplicates": ["vt-9"], "rejected": []}
    assert Tip.objects.count() == 1


def test_one_number_sending_too_much_is_rejected(client, auth, settings):
    settings.INTAKE_RATE_PER_CONTACT = 2
    messages = [
        {"id": f"m{n}", "from": "0912000111", "text": f"TINDON tin don so {n} ve cho"} for n in range(3)
    ]

    response = _post(client, auth, messages)

    assert response.json() == {"accepted": 2, "duplicates": [], "rejected": ["m2"]}


@pytest.mark.parametrize(
    ("body", "parameter"),
    [
        ({"messages": []}, "messages"),
        ({"messages": [{"id": "x", "from": "0912", "text": ""}]}, "messages[0].text"),
        ({"messages": [{"id": "x", "text": "TINDON abc"}]}, "messages[0].from"),
    ],
)
def test_bad_bodies_get_the_contract_error_shape(client, auth, body, parameter):
    response = client.post(MESSAGES, body, content_type="application/json", **auth)

    assert response.status_code == 400
    assert response.json()["error"]["code"] == "invalid_body"
    assert response.json()["error"]["parameter"] == parameter


def test_without_a_key_the_answer_is_401_json(client, organisation):
    response = client.post(MESSAGES, {"messages": []}, content_type="application/json")

    assert response.status_code == 401
    assert response.json()["error"]["code"] == "unauthorized"
    assert response["WWW-Authenticate"] == 'Bearer realm="sms"'


def test_the_partner_rate_limit_applies(client, auth, settings):
    settings.SMS_RATE_LIMIT = 1
    client.get(REPLIES, **auth)

    response = client.get(REPLIES, **auth)

    assert response.status_code == 429
    assert response.json()["error"]["code"] == "rate_limited"


def test_a_partner_outside_every_organisation_gets_409(client, regions):
    from hub.models import Region, RegionLevel
    from tests.factories import OrganisationFactory

    OrganisationFactory(region=regions["province"])
    OrganisationFactory(region=regions["province"], slug="second")
    elsewhere = Region.objects.create(code="12", name="Lai Châu", level=RegionLevel.PROVINCE)
    partner = PartnerFactory(coverage=[elsewhere])
    auth = {"HTTP_AUTHORIZATION": f"Bearer {partner_key(partner)}"}

    response = _post(client, auth, [{"id": "1", "from": "0912345678", "text": "TINDON abc def"}])

    assert response.status_code == 409
    assert response.json()["error"]["code"] == "no_organisation"


def test_replies_are_handed_over_once(client, auth, partner):
    _post(
        client, auth, [{"id": "vt-1", "from": "0912345678", "text": "TINDON uong nuoc chanh nong chua covid"}]
    )
    claim = Tip.objects.get().claim
    claim_mark_answered(claim=claim)

    first = client.get(REPLIES, **auth).json()["replies"]
    second = client.get(REPLIES, **auth).json()["replies"]

    assert len(first) == 1
    assert first[0]["to"] == "+84912345678"
    assert first[0]["text"].isascii()
    assert second == []
    notification = Notification.objects.get()
    assert (notification.status, notification.partner) == (NotificationStatus.HANDED_OVER, partner)
    assert notification.sent_at is not None


def test_the_inbound_addition_describes_itself(client, organisation):
    description = client.get("/api/sms/v1/inbound/openapi.json").json()

    assert {path: sorted(ops) for path, ops in description["paths"].items()} == {
        "/api/sms/v1/inbound/messages": ["post"],
        "/api/sms/v1/inbound/replies": ["get"],
    }
