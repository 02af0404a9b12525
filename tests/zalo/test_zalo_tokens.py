"""Refresh-token rotation across workers: one refresh, both succeed, the single-use token burned once."""

import threading
import time
from urllib.parse import parse_qsl

import pytest
from django.db import connection, connections

from channels.zalo import tokens
from channels.zalo.models import ZaloAccount
from tests.factories.zalo import ZaloAccountFactory, with_tokens
from tests.social.recorded import strict_http
from tests.zalo.recorded import TOKEN


class ZaloTokenServer:
    """Zalo's token endpoint as documented: each refresh token works once and is replaced."""

    def __init__(self, first: str):
        self.valid = first
        self.lock = threading.Lock()
        self.calls = 0
        self.burned: list[str] = []

    def __call__(self, request):
        sent = dict(parse_qsl(request.body))["refresh_token"]
        time.sleep(0.3)  # a slow answer: the other worker arrives meanwhile
        with self.lock:
            self.calls += 1
            if sent != self.valid:
                self.burned.append(sent)
                return 200, {}, '{"error": -14014, "error_name": "Invalid refresh token"}'
            self.valid = f"ZALOrefresh{self.calls:04d}"
            body = f'{{"access_token": "ZALOaccess{self.calls:04d}", "refresh_token": "{self.valid}", "expires_in": "90000"}}'
            return 200, {}, body


@pytest.mark.skipif(
    connection.vendor == "sqlite",
    reason="SQLite's in-memory test database answers a second writer 'table is locked' at once instead of "
    "waiting; the PostgreSQL run races both paths (row lock, and compare-and-swap as on SQLite)",
)
@pytest.mark.parametrize("compare_and_swap_only", [False, True], ids=["row-lock", "compare-and-swap"])
@pytest.mark.django_db(transaction=True)
def test_two_workers_with_an_expired_token_refresh_once_and_both_succeed(
    settings, monkeypatch, compare_and_swap_only
):
    settings.ZALO_TOKEN_CAS_ONLY = compare_and_swap_only
    monkeypatch.setenv("ZALO_TEST_APP_SECRET", "secret")
    account = with_tokens(ZaloAccountFactory(app_secret_env="ZALO_TEST_APP_SECRET"), expires_in=-10)
    server = ZaloTokenServer("ZALOrefreshOLD0001")
    results, errors = {}, []
    start = threading.Barrier(2)

    def worker(name):
        try:
            start.wait()
            results[name] = tokens.access_token(ZaloAccount.objects.get(pk=account.pk), timeout=5)[0]
        except Exception as error:  # noqa: BLE001 - reported to the main thread, which fails the test
            errors.append(error)
        finally:
            connections.close_all()

    with strict_http() as http:
        http.add_callback("POST", TOKEN, callback=server)
        threads = [threading.Thread(target=worker, args=(name,)) for name in ("a", "b")]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(timeout=30)

    assert errors == []
    assert results == {"a": "ZALOaccess0001", "b": "ZALOaccess0001"}
    assert server.calls == 1 and server.burned == []
    account.refresh_from_db()
    assert tokens.decrypt(account.refresh_token_encrypted) == server.valid
    assert account.refresh_lock_owner == "" and account.refresh_lock_until is None


@pytest.mark.django_db
def test_a_fresh_token_is_used_without_refreshing(settings):
    account = with_tokens(ZaloAccountFactory(app_secret_env="X"), access="ZALOfresh", expires_in=3600)

    with strict_http():
        token, version = tokens.access_token(account, timeout=1)

    assert token == "ZALOfresh" and version == account.token_version


@pytest.mark.django_db
def test_a_lease_left_by_a_dead_worker_expires(settings, monkeypatch):
    """A worker killed while refreshing leaves its lease; after it expires another may refresh."""
    import datetime

    from django.utils import timezone

    settings.ZALO_TOKEN_CAS_ONLY = True
    monkeypatch.setenv("ZALO_TEST_APP_SECRET", "secret")
    account = with_tokens(ZaloAccountFactory(app_secret_env="ZALO_TEST_APP_SECRET"), expires_in=-10)
    ZaloAccount.objects.filter(pk=account.pk).update(
        refresh_lock_owner="dead", refresh_lock_until=timezone.now() - datetime.timedelta(seconds=1)
    )
    server = ZaloTokenServer("ZALOrefreshOLD0001")

    with strict_http() as http:
        http.add_callback("POST", TOKEN, callback=server)
        token, _version = tokens.access_token(account, timeout=1)

    assert token == "ZALOaccess0001"
