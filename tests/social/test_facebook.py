"""Facebook Page adapter against recorded Graph API v23 responses."""

import io
import json
import logging
from urllib.parse import parse_qsl, urlsplit

import pytest
import requests
from django.conf import settings
from PIL import Image
from wagtail.images.tests.utils import get_test_image_file

from channels.base import PermanentError, TransientError
from channels.social.models import ChannelAccount, SandboxPost
from media.models import HubImage
from tests.factories.social import ChannelAccountFactory, SocialPublicationFactory
from tests.social.conftest import FB_TOKEN
from tests.social.recorded import GRAPH, replay

MARKER = "hub-7"
FEED = f"{GRAPH}/100000000000011/feed"
PHOTOS = f"{GRAPH}/100000000000011/photos"
POSTS = f"{GRAPH}/100000000000011/posts"
POST_ID = "100000000000011_122145678901234567"


def sent(http, index=-1) -> requests.PreparedRequest:
    return http.calls[index].request


def assert_token_only_in_header(http):
    for call in http.calls:
        assert FB_TOKEN not in call.request.url
        body = call.request.body or b""
        assert FB_TOKEN.encode() not in (body if isinstance(body, bytes) else body.encode())
        assert call.request.headers["Authorization"] == f"OAuth {FB_TOKEN}"


def test_render_is_the_approved_text_link_and_image(facebook, publication):
    target = facebook.targets(publication)  # no accounts yet
    assert target == []
    payload = facebook.render(publication, target=None)
    assert payload == {"message": publication.social_text, "link": publication.url, "image_id": None}


def test_link_post_goes_to_the_page_feed_with_the_marker_and_a_timeout(
    http, facebook, fb_account, publication
):
    replay(http, "POST", FEED, "facebook", "feed_created")
    payload = facebook.render(publication, target=None)

    receipt = facebook.send(payload, target=fb_account.target_key, marker=MARKER)

    assert receipt.external_id == POST_ID
    assert receipt.url == f"https://www.facebook.com/{POST_ID}"
    form = dict(parse_qsl(sent(http).body))
    assert form["message"] == publication.social_text
    assert form["link"] == (
        "https://dienbien.example.gov.vn/tin-tuc/ket-qua-tiem-chung/"
        "?utm_source=facebook&utm_medium=social&utm_campaign=hub-7"
    )
    assert sent(http).req_kwargs["timeout"] == settings.HUB_HTTP_TIMEOUT
    assert_token_only_in_header(http)


def test_photo_post_uploads_the_1200x630_social_card(http, facebook, fb_account):
    image = HubImage.objects.create(title="Tiêm chủng", file=get_test_image_file(size=(1600, 1000)))
    publication = SocialPublicationFactory(image=image)
    replay(http, "POST", PHOTOS, "facebook", "photo_created")

    receipt = facebook.send(facebook.render(publication, None), target=fb_account.target_key, marker=MARKER)

    assert receipt.external_id == "100000000000011_122145678901240000"
    body = sent(http).body
    assert b'name="source"; filename="card-' in body
    jpeg = body[body.index(b"\xff\xd8") : body.rindex(b"\xff\xd9") + 2]
    assert Image.open(io.BytesIO(jpeg)).size == (1200, 630)
    assert b"utm_campaign=hub-7" in body  # the link travels in the caption
    assert_token_only_in_header(http)


def test_expired_token_disables_the_account(http, facebook, fb_account, publication):
    replay(http, "POST", FEED, "facebook", "token_expired")

    with pytest.raises(PermanentError) as caught:
        facebook.send(facebook.render(publication, None), target=fb_account.target_key, marker=MARKER)

    assert caught.value.disable_target is True
    fb_account.refresh_from_db()
    assert fb_account.disabled_at is not None
    assert "190/463" in fb_account.disabled_reason
    assert fb_account.status == "disabled"
    assert facebook.targets(publication) == []  # no more deliveries to it
    with pytest.raises(PermanentError):  # and nothing is sent with the dead token
        facebook.send(
            {"message": "x", "link": "https://a.example/"}, target=fb_account.target_key, marker="m"
        )


@pytest.mark.parametrize(
    ("recording", "retry_after"),
    [("rate_limited_page", 7 * 60), ("rate_limited_app", None)],
)
def test_rate_limits_retry_after_the_usage_headers_say(
    http, facebook, fb_account, publication, recording, retry_after
):
    replay(http, "POST", FEED, "facebook", recording)

    with pytest.raises(TransientError) as caught:
        facebook.send(facebook.render(publication, None), target=fb_account.target_key, marker=MARKER)

    assert caught.value.retry_after == retry_after
    fb_account.refresh_from_db()
    assert fb_account.disabled_at is None


@pytest.mark.parametrize("recording", ["temporary", "service_unavailable"])
def test_temporary_errors_retry_and_a_post_may_have_landed(
    http, facebook, fb_account, publication, recording
):
    replay(http, "POST", FEED, "facebook", recording)

    with pytest.raises(TransientError) as caught:
        facebook.send(facebook.render(publication, None), target=fb_account.target_key, marker=MARKER)

    assert caught.value.uncertain is True


def test_bad_gateway_html_is_transient_and_uncertain(http, facebook, fb_account, publication):
    http.add(
        "POST", FEED, body="<html><body>502 Bad Gateway</body></html>", status=502, content_type="text/html"
    )

    with pytest.raises(TransientError) as caught:
        facebook.send(facebook.render(publication, None), target=fb_account.target_key, marker=MARKER)

    assert caught.value.uncertain is True
    assert "502" in str(caught.value)


@pytest.mark.parametrize(
    ("failure", "uncertain"),
    [(requests.ReadTimeout("read timed out"), True), (requests.ConnectTimeout("connect timed out"), False)],
)
def test_timeouts_are_transient(http, facebook, fb_account, publication, failure, uncertain):
    http.add("POST", FEED, body=failure)

    with pytest.raises(TransientError) as caught:
        facebook.send(facebook.render(publication, None), target=fb_account.target_key, marker=MARKER)

    assert caught.value.uncertain is uncertain


def test_duplicate_reconciles_to_the_post_already_made(http, facebook, fb_account, publication):
    replay(http, "POST", FEED, "facebook", "duplicate")
    replay(http, "GET", POSTS, "facebook", "recent_posts")

    receipt = facebook.send(facebook.render(publication, None), target=fb_account.target_key, marker=MARKER)

    assert receipt.external_id == POST_ID
    query = dict(parse_qsl(urlsplit(sent(http).url).query))
    assert query == {"fields": "id,message,link,created_time", "limit": "25"}
    assert_token_only_in_header(http)


def test_duplicate_not_found_yet_is_uncertain(http, facebook, fb_account, publication):
    replay(http, "POST", FEED, "facebook", "duplicate")
    replay(http, "GET", POSTS, "facebook", "recent_posts_empty")

    with pytest.raises(TransientError) as caught:
        facebook.send(facebook.render(publication, None), target=fb_account.target_key, marker=MARKER)

    assert caught.value.uncertain is True


@pytest.mark.parametrize(("recording", "code"), [("policy_block", "368"), ("invalid_parameter", "100")])
def test_refusals_fail_visibly_without_disabling(http, facebook, fb_account, publication, recording, code):
    replay(http, "POST", FEED, "facebook", recording)

    with pytest.raises(PermanentError) as caught:
        facebook.send(facebook.render(publication, None), target=fb_account.target_key, marker=MARKER)

    assert caught.value.disable_target is False
    assert f"({code}" in str(caught.value)
    assert ChannelAccount.objects.get(pk=fb_account.pk).disabled_at is None


@pytest.mark.parametrize(("marker", "found"), [("hub-7", POST_ID), ("hub-8", None)])
def test_reconcile_reads_recent_posts_for_the_marker(http, facebook, fb_account, marker, found):
    replay(http, "GET", POSTS, "facebook", "recent_posts")

    receipt = facebook.reconcile({}, target=fb_account.target_key, marker=marker)

    assert (receipt.external_id if receipt else None) == found
    assert_token_only_in_header(http)


def test_update_edits_the_message_in_place(http, facebook, fb_account, publication):
    replay(http, "POST", f"{GRAPH}/{POST_ID}", "facebook", "success")
    payload = {**facebook.render(publication, None), "message": "Cập nhật: 96% đã tiêm đủ liều."}

    receipt = facebook.update(payload, target=fb_account.target_key, external_id=POST_ID, marker="hub-9")

    assert receipt.external_id == POST_ID
    assert dict(parse_qsl(sent(http).body)) == {"message": "Cập nhật: 96% đã tiêm đủ liều."}
    assert_token_only_in_header(http)


@pytest.mark.parametrize("recording", ["success", "not_found"])
def test_retract_deletes_the_post_and_a_missing_post_is_gone_already(http, facebook, fb_account, recording):
    replay(http, "DELETE", f"{GRAPH}/{POST_ID}", "facebook", recording)

    facebook.retract(target=fb_account.target_key, external_id=POST_ID, reason="unpublished")

    assert sent(http).method == "DELETE"
    assert_token_only_in_header(http)


def test_retract_with_an_expired_token_disables(http, facebook, fb_account):
    replay(http, "DELETE", f"{GRAPH}/{POST_ID}", "facebook", "token_expired")

    with pytest.raises(PermanentError) as caught:
        facebook.retract(target=fb_account.target_key, external_id=POST_ID)

    assert caught.value.disable_target is True


@pytest.mark.parametrize("token_env", ["", "FB_TOKEN_NOT_SET_ANYWHERE"])
def test_account_without_credentials_records_in_the_sandbox(http, facebook, publication, token_env):
    account = ChannelAccountFactory(network="facebook", token_env=token_env)
    payload = facebook.render(publication, None)

    receipt = facebook.send(payload, target=account.target_key, marker=MARKER)
    facebook.update(payload, target=account.target_key, external_id=receipt.external_id, marker=MARKER)
    facebook.retract(target=account.target_key, external_id=receipt.external_id)

    assert len(http.calls) == 0
    post = SandboxPost.objects.get(action="send")
    assert receipt.external_id == f"sandbox-{post.pk}"
    assert receipt.detail["sandbox"] is True
    assert post.payload == payload and post.marker == MARKER
    assert list(SandboxPost.objects.order_by("pk").values_list("action", flat=True)) == [
        "send",
        "update",
        "retract",
    ]
    assert (
        facebook.reconcile(payload, target=account.target_key, marker=MARKER).external_id
        == receipt.external_id
    )
    assert facebook.sandbox is True
    assert account.status_label == "Sandbox" or account.status == "sandbox"


def test_secrets_never_reach_logs_urls_or_bodies(http, facebook, fb_account, publication, caplog):
    caplog.set_level(logging.DEBUG)
    replay(http, "POST", FEED, "facebook", "duplicate")
    replay(http, "GET", POSTS, "facebook", "recent_posts")
    replay(http, "DELETE", f"{GRAPH}/{POST_ID}", "facebook", "token_expired")

    facebook.send(facebook.render(publication, None), target=fb_account.target_key, marker=MARKER)
    with pytest.raises(PermanentError) as caught:
        facebook.retract(target=fb_account.target_key, external_id=POST_ID)

    assert FB_TOKEN not in caplog.text
    assert FB_TOKEN not in str(caught.value)
    assert FB_TOKEN not in json.dumps(list(ChannelAccount.objects.values()), default=str)
    assert_token_only_in_header(http)


def test_a_vanished_account_fails_permanently(facebook, db):
    with pytest.raises(PermanentError):
        facebook.send({"message": "x", "link": "https://a.example/"}, target="account:999999", marker="m")
