"""The playlist endpoints, clause by clause of contracts/led-feed.md."""

import datetime
import json
import logging

import pytest
from django.utils import timezone
from wagtail.models import Site

from channels.devices.logfilter import RedactTokenFilter
from channels.led.models import Screen
from hub.models import CampaignSettings
from tests.factories.led import PlaylistItemFactory, ScreenFactory

URL = "/api/led/v1/screens/{code}/playlist.json"
TXT = "/api/led/v1/screens/{code}/playlist.txt"


def poll(client, screen, *, url=URL, etag=None, **extra):
    headers = {"HTTP_AUTHORIZATION": f"Bearer {screen.secret}"}
    if etag:
        headers["HTTP_IF_NONE_MATCH"] = etag
    return client.get(url.format(code=screen.code), **headers, **extra)


def ids(response) -> list[str]:
    return [item["id"] for item in response.json()["items"]]


def set_phase(phase: str) -> None:
    settings = CampaignSettings.for_site(Site.objects.get(is_default_site=True))
    settings.phase = phase
    settings.save()


# --- authentication ---------------------------------------------------------


def test_missing_token_is_401_with_json_body(client, screen):
    response = client.get(URL.format(code=screen.code))

    assert response.status_code == 401
    assert response["Content-Type"].startswith("application/json")
    assert response.json()["error"] == "unauthorized"
    assert response["WWW-Authenticate"].startswith("Bearer")


def test_wrong_token_is_401(client, screen):
    response = client.get(URL.format(code=screen.code), HTTP_AUTHORIZATION="Bearer not-the-token")

    assert response.status_code == 401


def test_token_of_another_screen_is_401(client, screen, regions):
    other = ScreenFactory(region=regions["city"])
    _token, other_secret = other.issue_token()

    response = client.get(URL.format(code=screen.code), HTTP_AUTHORIZATION=f"Bearer {other_secret}")

    assert response.status_code == 401


@pytest.mark.parametrize("with_token", [True, False])
def test_an_unknown_screen_answers_exactly_like_a_wrong_token(client, screen, with_token):
    headers = {"HTTP_AUTHORIZATION": f"Bearer {screen.secret if with_token else 'wrong'}"}

    unknown = client.get(URL.format(code="khong-co"), **headers)
    wrong = client.get(URL.format(code=screen.code), HTTP_AUTHORIZATION="Bearer wrong")

    assert unknown.status_code == wrong.status_code == 401
    assert unknown.content == wrong.content
    assert unknown["WWW-Authenticate"] == wrong["WWW-Authenticate"]


def test_inactive_screen_is_refused_even_with_a_cached_token(client, screen):
    assert poll(client, screen).status_code == 200

    screen.active = False
    screen.save()

    assert poll(client, screen).status_code == 401


def test_bearer_header_and_query_string_token_both_work(client, screen):
    PlaylistItemFactory()

    by_header = poll(client, screen)
    by_query = client.get(URL.format(code=screen.code) + f"?token={screen.secret}")

    assert by_header.status_code == by_query.status_code == 200
    assert by_header.json()["items"] == by_query.json()["items"]


def test_rotation_keeps_both_tokens_until_the_old_one_is_revoked(client, screen):
    old = screen.tokens.get()
    _new, new_secret = screen.issue_token()
    url = URL.format(code=screen.code)
    assert client.get(url, HTTP_AUTHORIZATION=f"Bearer {screen.secret}").status_code == 200
    assert client.get(url, HTTP_AUTHORIZATION=f"Bearer {new_secret}").status_code == 200

    old.revoked_at = timezone.now()
    old.save()

    assert client.get(url, HTTP_AUTHORIZATION=f"Bearer {screen.secret}").status_code == 401
    assert client.get(url, HTTP_AUTHORIZATION=f"Bearer {new_secret}").status_code == 200


def test_token_is_stored_hashed(screen):
    stored = screen.tokens.get()

    assert screen.secret not in (stored.hash, stored.prefix)
    assert stored.hash != screen.secret and len(stored.hash) == 64
    assert screen.secret.startswith(stored.prefix)


@pytest.mark.parametrize("code", ["cho-him-lam", "khong-co"])
def test_query_string_token_never_reaches_the_logs(client, screen, caplog, code):
    secret = "s3cr3t-" + "x" * 30
    caplog.set_level(logging.DEBUG)

    response = client.get(URL.format(code=code) + f"?token={secret}&v=1")

    assert response.status_code in (401, 404)
    assert any(r.name == "django.request" for r in caplog.records)  # Django did log the warning
    assert secret not in caplog.text


def test_filter_redacts_request_lines_of_runserver_and_gunicorn():
    secret = "abcdefghijklmnop"
    server = logging.LogRecord(
        "django.server",
        logging.INFO,
        __file__,
        1,
        '"%s" %s %s',
        (f"GET /api/led/v1/screens/a/playlist.json?token={secret} HTTP/1.1", "401", "90"),
        None,
    )
    access = logging.LogRecord("gunicorn.access", logging.INFO, __file__, 1, "%(r)s %(q)s", None, None)
    access.args = {"r": f"GET /x?a=1&token={secret} HTTP/1.1", "q": f"token={secret}&a=1", "s": 200}

    RedactTokenFilter().filter(server)
    RedactTokenFilter().filter(access)

    assert secret not in server.getMessage() and "token=[redacted]" in server.getMessage()
    assert secret not in access.getMessage() and "a=1" in access.getMessage()
    assert logging.getLogger("django.server").filters  # installed at start-up


# --- the playlist -------------------------------------------------------------


def test_playlist_has_the_contract_shape(client, screen, home):
    item = PlaylistItemFactory(text="Tiêm mũi nhắc lại miễn phí tại trạm y tế")

    response = poll(client, screen)

    assert response.status_code == 200
    assert response["Content-Type"] == "application/json; charset=utf-8"
    body = response.json()
    assert set(body) == {"screen", "phase", "generated_at", "items"}
    assert body["screen"] == "cho-him-lam" and body["phase"] == "new_normal"
    assert body["generated_at"].endswith("+07:00")
    datetime.datetime.fromisoformat(body["generated_at"])
    [row] = body["items"]
    assert set(row) == {"id", "text", "priority", "duration_s", "frame", "valid_from", "valid_until"}
    assert row["id"] == item.feed_id and row["text"] == item.text
    assert row["priority"] == "normal" and row["duration_s"] == 10
    assert row["frame"] == f"/api/led/v1/screens/cho-him-lam/frames/{item.feed_id}.png"
    assert datetime.datetime.fromisoformat(row["valid_until"]) == item.valid_until.replace(microsecond=0)
    assert row["valid_from"].endswith("+07:00")
    assert "Tiêm mũi nhắc lại" in response.content.decode("utf-8")  # UTF-8, not \\u escapes


def test_items_are_those_of_the_screen_region_and_above(client, screen, regions):
    for_ward = PlaylistItemFactory(regions=[regions["ward"]])
    for_city = PlaylistItemFactory(regions=[regions["city"]])
    for_province = PlaylistItemFactory(regions=[regions["province"]])
    everywhere = PlaylistItemFactory()
    PlaylistItemFactory(regions=[regions["other"]])
    city_screen = ScreenFactory(region=regions["city"])
    city_screen.secret = city_screen.issue_token()[1]

    assert set(ids(poll(client, screen))) == {
        i.feed_id for i in (for_ward, for_city, for_province, everywhere)
    }
    assert set(ids(poll(client, city_screen))) == {i.feed_id for i in (for_city, for_province, everywhere)}


def test_only_items_valid_now_are_listed(client, screen):
    now = timezone.now()
    current = PlaylistItemFactory()
    PlaylistItemFactory(valid_from=now + datetime.timedelta(hours=1))
    PlaylistItemFactory(
        valid_from=now - datetime.timedelta(days=3), valid_until=now - datetime.timedelta(days=1)
    )
    PlaylistItemFactory(retracted_at=now)

    assert ids(poll(client, screen)) == [current.feed_id]


def test_cached_playlist_follows_validity_boundaries(client, screen, monkeypatch):
    now = timezone.now()
    ends_soon = PlaylistItemFactory(valid_until=now + datetime.timedelta(minutes=5))
    starts_soon = PlaylistItemFactory(valid_from=now + datetime.timedelta(minutes=10))
    first = poll(client, screen)
    assert ids(first) == [ends_soon.feed_id]

    monkeypatch.setattr(timezone, "now", lambda: now + datetime.timedelta(minutes=6))
    assert ids(poll(client, screen, etag=first["ETag"])) == []

    monkeypatch.setattr(timezone, "now", lambda: now + datetime.timedelta(minutes=11))
    assert ids(poll(client, screen)) == [starts_soon.feed_id]


def test_urgent_items_come_first_then_newest(client, screen):
    now = timezone.now()
    older = PlaylistItemFactory(valid_from=now - datetime.timedelta(hours=3))
    urgent = PlaylistItemFactory(
        priority="urgent", duration_s=15, valid_from=now - datetime.timedelta(hours=5)
    )
    newer = PlaylistItemFactory(valid_from=now - datetime.timedelta(hours=1))

    assert ids(poll(client, screen)) == [urgent.feed_id, newer.feed_id, older.feed_id]


def test_outbreak_phase_interrupts_with_urgent_items_and_shortens_the_others(client, screen, home):
    now = timezone.now()
    first = PlaylistItemFactory(valid_from=now - datetime.timedelta(hours=1))
    second = PlaylistItemFactory(valid_from=now - datetime.timedelta(hours=2))
    urgent = PlaylistItemFactory(
        priority="urgent", duration_s=15, valid_from=now - datetime.timedelta(hours=3)
    )
    calm = poll(client, screen)
    assert ids(calm) == [urgent.feed_id, first.feed_id, second.feed_id]

    set_phase("outbreak")
    response = poll(client, screen, etag=calm["ETag"])

    assert response.status_code == 200 and response["ETag"] != calm["ETag"]
    body = response.json()
    assert body["phase"] == "outbreak"
    assert ids(response) == [urgent.feed_id, first.feed_id, urgent.feed_id, second.feed_id]
    durations = {row["id"]: row["duration_s"] for row in body["items"]}
    assert durations == {urgent.feed_id: 15, first.feed_id: 5, second.feed_id: 5}


# --- ETag and 304 -------------------------------------------------------------


def test_etag_on_200_and_304_when_unchanged(client, screen):
    PlaylistItemFactory()
    first = poll(client, screen)
    assert first.status_code == 200 and first["ETag"]

    again = poll(client, screen, etag=first["ETag"])
    stale = poll(client, screen, etag='"something-else"')

    assert again.status_code == 304 and again.content == b"" and again["ETag"] == first["ETag"]
    assert stale.status_code == 200 and stale["ETag"] == first["ETag"]


def test_plain_text_has_its_own_etag_and_304(client, screen):
    PlaylistItemFactory()
    as_json = poll(client, screen)
    first = poll(client, screen, url=TXT)

    again = poll(client, screen, url=TXT, etag=first["ETag"])
    with_json_tag = poll(client, screen, url=TXT, etag=as_json["ETag"])

    assert first.status_code == 200 and first["ETag"] and first["ETag"] != as_json["ETag"]
    assert again.status_code == 304 and again.content == b"" and again["ETag"] == first["ETag"]
    assert with_json_tag.status_code == 200


def test_etag_changes_with_items_and_screen_but_not_with_time(client, screen, monkeypatch):
    item = PlaylistItemFactory()
    first = poll(client, screen)["ETag"]
    monkeypatch.setattr(timezone, "now", lambda: item.created_at + datetime.timedelta(minutes=3))
    assert poll(client, screen)["ETag"] == first

    item.text = "Nội dung đã sửa"
    item.save()
    after_edit = poll(client, screen, etag=first)
    assert after_edit.status_code == 200 and after_edit["ETag"] != first

    screen.width, screen.height = 384, 192
    screen.save()
    assert poll(client, screen)["ETag"] not in (first, after_edit["ETag"])


def test_unchanged_poll_touches_no_database(client, screen, django_assert_num_queries):
    PlaylistItemFactory.create_batch(3)
    etag = poll(client, screen)["ETag"]

    with django_assert_num_queries(0):
        response = poll(client, screen, etag=etag)

    assert response.status_code == 304


def test_rebuilding_the_playlist_takes_a_fixed_number_of_queries(
    client, screen, regions, django_assert_max_num_queries
):
    PlaylistItemFactory(regions=[regions["city"]])
    with django_assert_max_num_queries(8) as few:
        poll(client, screen)
    PlaylistItemFactory.create_batch(6, regions=[regions["ward"], regions["city"]])
    from django.core.cache import cache

    cache.clear()

    with django_assert_max_num_queries(len(few.captured_queries)):
        response = poll(client, screen)
    assert len(response.json()["items"]) == 7


# --- heartbeat ----------------------------------------------------------------


def test_every_successful_poll_records_the_screen_as_seen(client, screen, settings):
    assert screen.last_seen_at is None
    client.get(URL.format(code=screen.code))  # 401: not a successful poll
    screen.refresh_from_db()
    assert screen.last_seen_at is None

    poll(client, screen)
    screen.refresh_from_db()

    assert screen.last_seen_at is not None
    assert timezone.now() - screen.last_seen_at < datetime.timedelta(seconds=5)


def test_seen_is_written_at_most_once_per_interval(client, screen, monkeypatch):
    now = timezone.now()
    poll(client, screen)
    first = Screen.objects.get(pk=screen.pk).last_seen_at
    monkeypatch.setattr(timezone, "now", lambda: now + datetime.timedelta(seconds=5))
    poll(client, screen)

    assert Screen.objects.get(pk=screen.pk).last_seen_at == first


# --- plain text -----------------------------------------------------------------


def test_plain_text_variant_lists_the_same_items_one_a_line(client, screen):
    now = timezone.now()
    PlaylistItemFactory(
        text="Phòng, chống dịch:\nđeo khẩu trang", valid_from=now - datetime.timedelta(hours=2)
    )
    PlaylistItemFactory(
        text="Cảnh báo: mưa lũ", priority="urgent", valid_from=now - datetime.timedelta(hours=3)
    )
    as_json = poll(client, screen).json()

    response = poll(client, screen, url=TXT)

    assert response.status_code == 200
    assert response["Content-Type"] == "text/plain; charset=utf-8"
    lines = response.content.decode("utf-8").splitlines()
    assert lines == ["Cảnh báo: mưa lũ", "Phòng, chống dịch: đeo khẩu trang"]
    assert len(lines) == len(as_json["items"])
    assert poll(client, screen, url=TXT, etag=response["ETag"]).status_code == 304


def test_plain_text_follows_the_same_token_rules(client, screen):
    assert client.get(TXT.format(code=screen.code)).status_code == 401
    assert client.get(TXT.format(code="khong-co")).status_code == 401
    assert client.get(TXT.format(code=screen.code) + f"?token={screen.secret}").status_code == 200


def test_only_get_is_allowed(client, screen):
    response = client.post(URL.format(code=screen.code), HTTP_AUTHORIZATION=f"Bearer {screen.secret}")

    assert response.status_code == 405


def test_json_is_valid_utf8(client, screen):
    PlaylistItemFactory(text="Ễ Ặ Ữ Ỗ Ẫ Ế Ệ Ỵ ỹ ỵ")

    assert (
        json.loads(poll(client, screen).content.decode("utf-8"))["items"][0]["text"] == "Ễ Ặ Ữ Ỗ Ẫ Ế Ệ Ỵ ỹ ỵ"
    )
