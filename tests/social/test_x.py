"""X adapter against recorded API v2 responses. The weighted-length property test (10,000 examples
against twitter-text-parser) is tests/channels/test_textlimits.py; here only its use in render."""

import json
import logging
import time

import pytest
import requests
from django.conf import settings
from twitter_text import parse_tweet

from channels.base import PermanentError, TransientError
from channels.social.models import ChannelAccount, SandboxPost
from tests.factories.social import ChannelAccountFactory, SocialPublicationFactory
from tests.social.conftest import X_SECRETS
from tests.social.recorded import X_API, replay

MARKER = "hub-7"
TWEETS = f"{X_API}/tweets"
TWEET_ID = "1862001234567890123"
TIMELINE = f"{X_API}/users/1700000000000000011/tweets"


def assert_no_secret_leaks(http, *texts):
    """Secrets appear in no URL, no body and none of `texts` (logs, errors); only in auth headers."""
    seen = [f"{call.request.url} {call.request.body or ''}" for call in http.calls] + list(texts)
    for secret in X_SECRETS.values():
        assert not [text for text in seen if secret in text]


def test_render_measures_the_post_as_x_counts_it(x, publication):
    payload = x.render(publication, None)

    assert payload["weighted_length"] == parse_tweet(f"{payload['text']} {payload['url']}").weightedLength


def test_render_refuses_a_post_over_280(x, db):
    publication = SocialPublicationFactory(social_text="Tiêm vắc-xin đầy đủ. " * 12)  # ắ, ầ, ủ weigh 2

    with pytest.raises(PermanentError) as caught:
        x.render(publication, None)

    assert "280" in str(caught.value)


def test_create_posts_text_and_tagged_link_with_oauth1(http, x, x_account, publication):
    replay(http, "POST", TWEETS, "x", "created")

    payload = x.render(publication, None)
    receipt = x.send(payload, target=x_account.target_key, marker=MARKER)

    assert receipt.external_id == TWEET_ID
    assert receipt.url == f"https://x.com/dienbien_gov/status/{TWEET_ID}"
    request = http.calls[0].request
    # The post frozen at render is sent byte for byte: text, space, link tagged with the post's marker.
    assert json.loads(request.body) == {"text": payload["post"]}
    assert payload["post"] == (
        f"{publication.social_text} {publication.url}"
        f"?utm_source=x&utm_medium=social&utm_campaign={payload['marker']}"
    )
    assert request.headers["Authorization"].startswith("OAuth ")
    assert 'oauth_consumer_key="xapikeySECRET111"' in request.headers["Authorization"]  # a key id, signed
    assert request.req_kwargs["timeout"] == settings.HUB_HTTP_TIMEOUT
    assert_no_secret_leaks(http)


def test_oauth2_user_token_goes_as_bearer(http, x, db, secrets, publication):
    account = ChannelAccountFactory(network="x", handle="@dienbien_gov", token_env="X_TEST_ACCESS_TOKEN")
    replay(http, "POST", TWEETS, "x", "created")

    x.send(x.render(publication, None), target=account.target_key, marker=MARKER)

    assert http.calls[0].request.headers["Authorization"] == f"Bearer {X_SECRETS['X_TEST_ACCESS_TOKEN']}"


def test_rate_limit_waits_for_the_reset_through_the_pipeline(http, x, x_account, publication, monkeypatch):
    sleeps = []
    monkeypatch.setattr(time, "sleep", sleeps.append)
    reset = int(time.time()) + 600
    replay(http, "POST", TWEETS, "x", "rate_limited", reset=reset)

    with pytest.raises(TransientError) as caught:
        x.send(x.render(publication, None), target=x_account.target_key, marker=MARKER)

    assert 590 <= caught.value.retry_after <= 600
    assert caught.value.uncertain is False
    assert sleeps == []  # the worker never sleeps
    assert len(http.calls) == 1


def test_unauthorized_disables_the_account(http, x, x_account, publication):
    replay(http, "POST", TWEETS, "x", "unauthorized")

    with pytest.raises(PermanentError) as caught:
        x.send(x.render(publication, None), target=x_account.target_key, marker=MARKER)

    assert caught.value.disable_target is True
    x_account.refresh_from_db()
    assert x_account.disabled_at is not None and "401" in x_account.disabled_reason
    assert x.targets(publication) == []


def test_duplicate_reconciles_from_the_timeline(http, x, x_account, publication):
    replay(http, "POST", TWEETS, "x", "duplicate")
    replay(http, "GET", TIMELINE, "x", "users_tweets")

    receipt = x.send(x.render(publication, None), target=x_account.target_key, marker=MARKER)

    assert receipt.external_id == TWEET_ID
    assert "tweet.fields=created_at%2Centities" in http.calls[1].request.url
    assert_no_secret_leaks(http)


def test_duplicate_not_found_is_uncertain(http, x, x_account, publication):
    replay(http, "POST", TWEETS, "x", "duplicate")
    replay(http, "GET", TIMELINE, "x", "users_tweets_empty")

    with pytest.raises(TransientError) as caught:
        x.send(x.render(publication, None), target=x_account.target_key, marker=MARKER)

    assert caught.value.uncertain is True


def test_other_forbidden_fails_without_disabling(http, x, x_account, publication):
    replay(http, "POST", TWEETS, "x", "forbidden")

    with pytest.raises(PermanentError) as caught:
        x.send(x.render(publication, None), target=x_account.target_key, marker=MARKER)

    assert caught.value.disable_target is False
    assert ChannelAccount.objects.get(pk=x_account.pk).disabled_at is None


@pytest.mark.parametrize(
    ("failure", "uncertain"),
    [
        ("service_unavailable", True),
        (requests.ReadTimeout("read timed out"), True),
        (requests.ConnectionError("connection reset"), True),
        (requests.ConnectTimeout("connect timed out"), False),
    ],
)
def test_server_errors_and_timeouts_retry(http, x, x_account, publication, failure, uncertain):
    if isinstance(failure, str):
        replay(http, "POST", TWEETS, "x", failure)
    else:
        http.add("POST", TWEETS, body=failure)

    with pytest.raises(TransientError) as caught:
        x.send(x.render(publication, None), target=x_account.target_key, marker=MARKER)

    assert caught.value.uncertain is uncertain


@pytest.mark.parametrize(("marker", "found"), [("hub-7", TWEET_ID), ("hub-8", None)])
def test_reconcile_finds_the_marker_in_expanded_urls(http, x, x_account, marker, found):
    replay(http, "GET", TIMELINE, "x", "users_tweets")

    receipt = x.reconcile({}, target=x_account.target_key, marker=marker)

    assert (receipt.external_id if receipt else None) == found


def test_reconcile_finds_the_user_id_when_unknown(http, x, x_account):
    ChannelAccount.objects.filter(pk=x_account.pk).update(account_id="")
    replay(http, "GET", f"{X_API}/users/me", "x", "me")
    replay(http, "GET", TIMELINE, "x", "users_tweets")

    assert x.reconcile({}, target=x_account.target_key, marker=MARKER).external_id == TWEET_ID
    assert ChannelAccount.objects.get(pk=x_account.pk).account_id == "1700000000000000011"


@pytest.mark.parametrize("recording", ["deleted", "not_found"])
def test_retract_deletes_and_a_missing_post_is_gone_already(http, x, x_account, recording):
    replay(http, "DELETE", f"{TWEETS}/{TWEET_ID}", "x", recording)

    x.retract(target=x_account.target_key, external_id=TWEET_ID, reason="unpublished")

    assert http.calls[0].request.method == "DELETE"


def test_update_is_not_supported_and_says_why(x, x_account):
    assert x.supports_update is False
    with pytest.raises(PermanentError):
        x.update({}, target=x_account.target_key, external_id=TWEET_ID, marker=MARKER)


def test_sandbox_records_the_exact_text(http, x, db, publication):
    account = ChannelAccountFactory(network="x", handle="@dienbien_gov")
    payload = x.render(publication, None)

    receipt = x.send(payload, target=account.target_key, marker=MARKER)
    x.retract(target=account.target_key, external_id=receipt.external_id)

    assert len(http.calls) == 0
    post = SandboxPost.objects.get(action="send")
    assert receipt.external_id == f"sandbox-{post.pk}"
    assert post.payload["sent_text"] == payload["post"]
    assert post.payload["sent_text"].endswith(f"utm_campaign={payload['marker']}")
    assert SandboxPost.objects.filter(action="retract", external_id=receipt.external_id).exists()


def test_secrets_never_reach_logs(http, x, x_account, publication, caplog):
    caplog.set_level(logging.DEBUG)
    replay(http, "POST", TWEETS, "x", "unauthorized")
    bearer = ChannelAccountFactory(network="x", token_env="X_TEST_ACCESS_TOKEN")
    replay(http, "POST", TWEETS, "x", "created")

    with pytest.raises(PermanentError) as caught:
        x.send(x.render(publication, None), target=x_account.target_key, marker=MARKER)
    x.send(x.render(publication, None), target=bearer.target_key, marker="hub-8")

    assert_no_secret_leaks(http, caplog.text, str(caught.value))
