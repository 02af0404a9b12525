"""Zalo OA adapter against recorded OA API v2/v3 and OAuth v4 responses."""

import json
from urllib.parse import parse_qsl

import pytest
import requests
from django.core import mail

from channels.base import PermanentError, TransientError
from channels.zalo import tokens
from channels.zalo.models import ZaloAccount, ZaloPost
from tests.factories import UserFactory
from tests.factories.zalo import with_tokens
from tests.zalo.conftest import APP_SECRET
from tests.zalo.recorded import BROADCAST, CREATE, DETAIL, GROUP, REMOVE, SLICE, TOKEN, UPDATE, VERIFY, replay

MARKER = "hub-7"


def body(call) -> dict:
    return json.loads(call.request.body)


def test_render_is_the_zalo_text_title_and_link(adapter, account, publication):
    target = adapter.targets(publication)[0]

    payload = adapter.render(publication, target)

    assert target.key == f"oa:{account.pk}"
    assert payload["text"].startswith("Điện Biên: 95%")
    assert payload["title"] == publication.title
    assert payload["url"] == publication.url


def test_render_refuses_a_text_too_long_for_a_message(adapter, account, publication):
    publication.zalo_text = "x" * 2001

    with pytest.raises(PermanentError, match="2001"):
        adapter.render(publication, adapter.targets(publication)[0])


def test_send_creates_verifies_and_broadcasts_an_article_with_the_token_in_a_header(
    adapter, account, publication, http
):
    payload = adapter.render(publication, adapter.targets(publication)[0])
    replay(http, "POST", CREATE, "article_created")
    replay(http, "POST", VERIFY, "article_verified")
    replay(http, "POST", BROADCAST, "broadcast_sent")

    receipt = adapter.send(payload, target=account.target_key, marker=MARKER)

    assert receipt.external_id == "3c1b9c2a7e8f4d1b"
    article = body(http.calls[0])
    assert "utm_campaign=hub-7" in article["tracking_link"]
    assert article["title"] == publication.title
    assert body(http.calls[1]) == {"token": "aT_5f1c0b9e2d7a48c0"}
    broadcast = body(http.calls[2])
    assert broadcast["recipient"] == {"target": {"cities": "11"}}
    element = broadcast["message"]["attachment"]["payload"]["elements"][0]
    assert element == {"media_type": "article", "attachment_id": "3c1b9c2a7e8f4d1b"}
    for call in http.calls:
        assert call.request.headers["access_token"] == "ZALOaccessOLD0001"
        assert "ZALOaccessOLD0001" not in call.request.url
    post = ZaloPost.objects.get(account=account, marker=MARKER)
    assert post.completed_at and post.broadcast_id == "bc8f0d3a1e6b4c27a9f1"


def test_group_messages_carry_the_text_and_marked_link(adapter, account, publication, http):
    account.group_ids = "g-phong-y-te\ng-huyen-muong-cha"
    account.broadcast = False
    account.save()
    payload = adapter.render(publication, adapter.targets(publication)[0])
    replay(http, "POST", CREATE, "article_created")
    replay(http, "POST", VERIFY, "article_verified")
    replay(http, "POST", GROUP, "group_message_sent")
    replay(http, "POST", GROUP, "group_message_sent")

    adapter.send(payload, target=account.target_key, marker=MARKER)

    groups = [body(call) for call in http.calls if call.request.url == GROUP]
    assert [group["recipient"]["group_id"] for group in groups] == ["g-phong-y-te", "g-huyen-muong-cha"]
    assert "utm_campaign=hub-7" in groups[0]["message"]["text"]
    assert set(ZaloPost.objects.get(marker=MARKER).group_messages) == {"g-phong-y-te", "g-huyen-muong-cha"}


def test_a_retry_resumes_after_the_article_and_never_repeats_it(adapter, account, publication, http):
    payload = adapter.render(publication, adapter.targets(publication)[0])
    replay(http, "POST", CREATE, "article_created")
    replay(http, "POST", VERIFY, "article_verified")
    replay(http, "POST", BROADCAST, "rate_limited")

    with pytest.raises(TransientError) as first:
        adapter.send(payload, target=account.target_key, marker=MARKER)
    assert first.value.retry_after == 60 and not first.value.uncertain

    http.reset()
    replay(http, "POST", BROADCAST, "broadcast_sent")
    receipt = adapter.send(payload, target=account.target_key, marker=MARKER)

    assert receipt.external_id == "3c1b9c2a7e8f4d1b"
    assert [call.request.url for call in http.calls] == [BROADCAST]


def test_an_unanswered_broadcast_is_not_sent_again(adapter, account, publication, http):
    payload = adapter.render(publication, adapter.targets(publication)[0])
    replay(http, "POST", CREATE, "article_created")
    replay(http, "POST", VERIFY, "article_verified")
    http.add("POST", BROADCAST, body=requests.ReadTimeout("read timed out"))

    with pytest.raises(TransientError) as first:
        adapter.send(payload, target=account.target_key, marker=MARKER)
    assert first.value.uncertain

    http.reset()
    receipt = adapter.send(payload, target=account.target_key, marker=MARKER)

    assert len(http.calls) == 0  # Zalo cannot say whether it went out: at most once
    assert receipt.detail["broadcast"] == "pending"


def test_quota_used_up_waits_until_tomorrow(adapter, account, publication, http):
    payload = adapter.render(publication, adapter.targets(publication)[0])
    replay(http, "POST", CREATE, "quota_exceeded")

    with pytest.raises(TransientError) as error:
        adapter.send(payload, target=account.target_key, marker=MARKER)

    assert 0 < error.value.retry_after <= 24 * 3600 + 600


def test_an_article_still_processing_is_verified_again_later(adapter, account, publication, http):
    payload = adapter.render(publication, adapter.targets(publication)[0])
    replay(http, "POST", CREATE, "article_created")
    replay(http, "POST", VERIFY, "article_processing")

    with pytest.raises(TransientError):
        adapter.send(payload, target=account.target_key, marker=MARKER)

    http.reset()
    replay(http, "POST", VERIFY, "article_verified")
    replay(http, "POST", BROADCAST, "broadcast_sent")
    adapter.send(payload, target=account.target_key, marker=MARKER)
    assert [call.request.url for call in http.calls] == [VERIFY, BROADCAST]


def test_reconcile_finds_an_article_by_the_marker_in_its_tracking_link(adapter, account, publication, http):
    payload = adapter.render(publication, adapter.targets(publication)[0])
    http.add("POST", CREATE, body=requests.ReadTimeout("read timed out"))
    with pytest.raises(TransientError):
        adapter.send(payload, target=account.target_key, marker=MARKER)
    http.reset()
    replay(http, "GET", SLICE, "recent_articles")
    replay(http, "GET", DETAIL, "article_detail")

    assert adapter.reconcile(payload, target=account.target_key, marker=MARKER) is None
    assert ZaloPost.objects.get(marker=MARKER).article_id == "3c1b9c2a7e8f4d1b"

    http.reset()
    replay(http, "POST", BROADCAST, "broadcast_sent")
    adapter.send(payload, target=account.target_key, marker=MARKER)
    assert [call.request.url for call in http.calls] == [BROADCAST]  # no second article


def test_update_edits_the_article_and_retract_removes_it(adapter, account, publication, http):
    payload = adapter.render(publication, adapter.targets(publication)[0])
    replay(http, "POST", UPDATE, "article_updated")
    replay(http, "POST", REMOVE, "article_removed")
    replay(http, "POST", REMOVE, "article_not_found")

    receipt = adapter.update(
        payload, target=account.target_key, external_id="3c1b9c2a7e8f4d1b", marker="hub-8"
    )
    adapter.retract(target=account.target_key, external_id="3c1b9c2a7e8f4d1b")
    adapter.retract(target=account.target_key, external_id="3c1b9c2a7e8f4d1b")  # already gone: fine

    assert receipt.external_id == "3c1b9c2a7e8f4d1b"
    assert body(http.calls[0])["id"] == "3c1b9c2a7e8f4d1b"
    assert body(http.calls[1]) == {"id": "3c1b9c2a7e8f4d1b"}


def test_an_expired_access_token_is_refreshed_and_the_new_refresh_token_stored(
    adapter, account, publication, http
):
    with_tokens(account, expires_in=-10)
    payload = adapter.render(publication, adapter.targets(publication)[0])
    replay(http, "POST", TOKEN, "token_refreshed")
    replay(http, "POST", CREATE, "article_created")
    replay(http, "POST", VERIFY, "article_verified")
    replay(http, "POST", BROADCAST, "broadcast_sent")

    adapter.send(payload, target=account.target_key, marker=MARKER)

    refresh = http.calls[0].request
    assert refresh.headers["secret_key"] == APP_SECRET
    assert dict(parse_qsl(refresh.body)) == {
        "refresh_token": "ZALOrefreshOLD0001",
        "app_id": account.app_id,
        "grant_type": "refresh_token",
    }
    assert http.calls[1].request.headers["access_token"] == "ZALOaccessNEW0001"
    account.refresh_from_db()
    assert tokens.decrypt(account.refresh_token_encrypted) == "ZALOrefreshNEW0001"
    assert "ZALOrefreshNEW0001" not in account.refresh_token_encrypted  # encrypted at rest
    assert account.access_token_expires_at > account.refreshed_at


def test_a_rejected_access_token_is_refreshed_once_and_the_call_repeated(adapter, account, publication, http):
    payload = adapter.render(publication, adapter.targets(publication)[0])
    replay(http, "POST", CREATE, "access_token_invalid")
    replay(http, "POST", TOKEN, "token_refreshed")
    replay(http, "POST", CREATE, "article_created")
    replay(http, "POST", VERIFY, "article_verified")
    replay(http, "POST", BROADCAST, "broadcast_sent")

    adapter.send(payload, target=account.target_key, marker=MARKER)

    assert http.calls[2].request.headers["access_token"] == "ZALOaccessNEW0001"


def test_an_expired_refresh_token_disables_the_account_and_alerts_its_managers(
    adapter, account, publication, http
):
    from django.contrib.auth.models import Group

    managers = Group.objects.get_or_create(name="Channel managers")[0]
    account.organisation.groups.add(managers)
    manager = UserFactory(email="kenh@dienbien.example.gov.vn")
    manager.groups.add(managers)
    UserFactory(email="other@dienbien.example.gov.vn")  # not a channel manager: not told
    with_tokens(account, expires_in=-10)
    payload = adapter.render(publication, adapter.targets(publication)[0])
    replay(http, "POST", TOKEN, "token_refresh_invalid")

    with pytest.raises(PermanentError) as error:
        adapter.send(payload, target=account.target_key, marker=MARKER)
    with pytest.raises(PermanentError):  # disabled: no further calls, no second alert
        adapter.send(payload, target=account.target_key, marker="hub-8")

    assert error.value.disable_target
    account.refresh_from_db()
    assert account.is_disabled and "-14014" in account.disabled_reason
    assert [message.to for message in mail.outbox] == [["kenh@dienbien.example.gov.vn"]]
    assert account.name in mail.outbox[0].subject
    assert f"/admin/zalo/accounts/edit/{account.pk}/" in mail.outbox[0].body
    assert adapter.targets(publication) == []  # a disabled account gets no new deliveries


def test_a_sandbox_account_records_instead_of_sending(adapter, sandbox_account, publication, http):
    payload = adapter.render(publication, adapter.targets(publication)[0])

    receipt = adapter.send(payload, target=sandbox_account.target_key, marker=MARKER)
    again = adapter.reconcile(payload, target=sandbox_account.target_key, marker=MARKER)

    assert len(http.calls) == 0
    assert receipt.detail["sandbox"] and again.external_id == receipt.external_id
    assert ZaloPost.objects.get(marker=MARKER).sandbox
    assert adapter.sandbox


def test_tokens_need_the_encryption_key(settings, account):
    settings.CHANNEL_SECRET_KEYS = []

    with pytest.raises(Exception, match="CHANNEL_SECRET_KEYS"):
        tokens.decrypt(ZaloAccount.objects.get(pk=account.pk).access_token_encrypted)
