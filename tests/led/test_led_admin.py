"""Admin for Channel managers: screens by region, tokens shown once, offline list and dashboard."""

import datetime
import io

import pytest
from django.contrib.auth.models import Permission
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from channels.led import demo
from channels.led.models import Screen, ScreenToken
from tests.factories import UserFactory
from tests.factories.led import ScreenFactory


@pytest.fixture
def manager(db):
    user = UserFactory(groups=["Channel managers"])
    codenames = [
        "access_admin",
        "add_screen",
        "change_screen",
        "view_screen",
        "delete_screen",
        "view_playlistitem",
    ]
    user.user_permissions.add(*Permission.objects.filter(codename__in=codenames))
    return user


def test_screen_list_groups_by_region_subtree(client, manager, screen, regions):
    ScreenFactory(name="Màn hình Mường Lay", region=regions["other"])
    client.force_login(manager)

    in_city = client.get("/admin/led/screens/", {"region": regions["city"].pk})
    everywhere = client.get("/admin/led/screens/")

    assert in_city.status_code == 200
    assert "Chợ Him Lam" in in_city.text and "Màn hình Mường Lay" not in in_city.text
    assert "Màn hình Mường Lay" in everywhere.text


def test_screen_listing_queries_do_not_grow_with_rows(
    client, manager, regions, django_assert_max_num_queries
):
    def add_screens(count):
        for _number in range(count):
            ScreenFactory(region=regions["ward"])

    client.force_login(manager)
    add_screens(2)
    with CaptureQueriesContext(connection) as two_rows:
        assert client.get("/admin/led/screens/").status_code == 200
    add_screens(18)

    with django_assert_max_num_queries(len(two_rows)):
        response = client.get("/admin/led/screens/")

    assert response.status_code == 200


def test_offline_filter_lists_screens_not_seen_recently(client, manager, screen, regions, settings):
    settings.LED_OFFLINE_MINUTES = 15
    fresh = ScreenFactory(name="Màn hình vừa gửi", region=regions["city"], last_seen_at=timezone.now())
    Screen.objects.filter(pk=screen.pk).update(last_seen_at=timezone.now() - datetime.timedelta(minutes=40))
    client.force_login(manager)

    response = client.get("/admin/led/screens/", {"status": "offline"})

    assert "Chợ Him Lam" in response.text and fresh.name not in response.text
    assert set(Screen.objects.offline(minutes=15)) == {screen}


def test_creating_a_screen_leads_to_its_tokens(client, manager, regions):
    client.force_login(manager)

    response = client.post(
        "/admin/led/screens/new/",
        {
            "name": "Chợ Mường Thanh",
            "code": "cho-muong-thanh",
            "location": "",
            "region": regions["ward"].pk,
            "width": 256,
            "height": 128,
            "active": "on",
        },
    )

    screen = Screen.objects.get(code="cho-muong-thanh")
    assert response.status_code == 302 and response["Location"] == f"/admin/led/screens/{screen.pk}/tokens/"


@pytest.mark.parametrize(("field", "value"), [("width", 8), ("height", 5000), ("code", "Chợ Lớn")])
def test_bad_screen_input_is_a_form_error(client, manager, regions, field, value):
    client.force_login(manager)
    data = {
        "name": "Chợ",
        "code": "cho",
        "region": regions["ward"].pk,
        "width": 192,
        "height": 96,
        field: value,
    }

    response = client.post("/admin/led/screens/new/", data)

    assert response.status_code == 200 and not Screen.objects.exists()


def test_new_token_is_shown_once_and_stored_hashed(client, manager, screen):
    client.force_login(manager)

    created = client.post(f"/admin/led/screens/{screen.pk}/tokens/", {"action": "create"})
    page_again = client.get(f"/admin/led/screens/{screen.pk}/tokens/")

    newest = ScreenToken.objects.filter(screen=screen).order_by("-pk").first()
    secret = created.text.split('id="led-new-token"')[1].split(">", 1)[1].split("<", 1)[0]
    assert screen.check_token(secret) and newest.hash != secret
    assert secret not in page_again.text and newest.prefix in page_again.text
    assert "no-store" in created["Cache-Control"]


def test_revoking_a_token_stops_it(client, manager, screen):
    client.force_login(manager)
    token = screen.tokens.get()

    client.post(f"/admin/led/screens/{screen.pk}/tokens/", {"action": "revoke", "token": token.pk})

    assert not screen.check_token(screen.secret)
    url = f"/api/led/v1/screens/{screen.code}/playlist.json?token={screen.secret}"
    assert client.get(url).status_code == 401


@pytest.mark.parametrize("value", ["abc", "", "²", "99999999999999999999", None])
def test_revoking_a_missing_or_malformed_token_is_404(client, manager, screen, value):
    client.force_login(manager)
    data = {"action": "revoke"} | ({} if value is None else {"token": value})

    response = client.post(f"/admin/led/screens/{screen.pk}/tokens/", data)

    assert response.status_code == 404
    assert screen.check_token(screen.secret)


def test_tokens_need_the_change_permission(client, screen, db):
    viewer = UserFactory()
    viewer.user_permissions.add(*Permission.objects.filter(codename__in=["access_admin", "view_screen"]))
    client.force_login(viewer)

    response = client.post(f"/admin/led/screens/{screen.pk}/tokens/", {"action": "create"})

    assert response.status_code in (302, 403) and screen.tokens.count() == 1


def test_dashboard_warns_about_offline_screens(client, manager, screen, home):
    client.force_login(manager)

    response = client.get("/admin/")

    assert response.status_code == 200
    assert "Chợ Him Lam" in response.text and "?status=offline" in response.text


def test_dashboard_is_quiet_when_every_screen_polls(client, manager, screen, home):
    Screen.objects.update(last_seen_at=timezone.now())
    client.force_login(manager)

    assert "/admin/led/screens/?status=offline" not in client.get("/admin/").text


def test_playlist_items_are_read_only_in_the_admin(client, manager, screen):
    client.force_login(manager)

    assert client.get("/admin/led/items/").status_code == 200
    assert client.get("/admin/led/items/new/").status_code in (302, 403)


def test_demo_is_idempotent_and_prints_tokens_only_in_debug(regions, settings):
    settings.DEBUG = False
    out = io.StringIO()
    demo.populate(stdout=out)
    demo.populate(stdout=out)

    assert Screen.objects.filter(code__in=[s[0] for s in demo.SCREENS]).count() == 4
    assert "token" not in out.getvalue()
    assert {(s.width, s.height) for s in Screen.objects.all()} >= {(192, 96), (256, 128), (384, 192)}

    settings.DEBUG = True
    Screen.objects.filter(code="ubnd-tinh").delete()
    out = io.StringIO()
    demo.populate(stdout=out)
    assert "ubnd-tinh" in out.getvalue() and "token" in out.getvalue()
