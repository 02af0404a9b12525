"""One contract, every adapter: shape, targets, a pure render, and transport failures mapped to the
error the pipeline acts on (retry later, reconcile first, fail, switch the target off).

Adapters are imported if present, so the contract grows as channels land; facebook and x must be here.
"""

import datetime
import json
import re

import pytest
import requests
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from channels.base import ChannelAdapter, PermanentError, Receipt, Target, TransientError
from channels.social.models import Network, SandboxPost
from hub.models import RegionLevel
from tests.factories import RegionFactory
from tests.factories.social import ChannelAccountFactory, SocialPublicationFactory
from tests.social.recorded import GRAPH, X_API, replay, strict_http

ADAPTERS = {
    "facebook": ("channels.social.facebook", "FacebookAdapter", {}),
    "x": ("channels.social.x", "XAdapter", {}),
    "sms": ("channels.sms.adapter", "SmsFeedAdapter", {}),
    "led": ("channels.led.adapter", "LedFeedAdapter", {}),
    "loudspeaker": ("channels.loudspeaker.adapter", "LoudspeakerFeedAdapter", {}),
    "portal": ("channels.portal", "PortalAdapter", {}),
    "testhttp": ("channels.testhttp", "TestHttpAdapter", {"URL": "http://127.0.0.1:9"}),
    "zalo": ("channels.zalo.adapter", "ZaloAdapter", {}),
    "email": ("channels.email.adapter", "EmailAdapter", {}),
}
REQUIRED = {"facebook", "x"}
WRITES = re.compile(r"^\s*(INSERT|UPDATE|DELETE|REPLACE)\b", re.IGNORECASE)
MARKER = "hub-7"


def make_adapter(alias: str) -> ChannelAdapter:
    module_name, class_name, params = ADAPTERS[alias]
    if alias in REQUIRED:
        module = __import__(module_name, fromlist=[class_name])
    else:
        module = pytest.importorskip(module_name, reason=f"{alias} adapter not written yet")
    if not hasattr(module, class_name):
        pytest.skip(f"{module_name}.{class_name} not written yet")
    return getattr(module, class_name)(alias, dict(params))


@pytest.fixture
def world(db, monkeypatch):
    """Regions, one credentialled account per social network, and a publication with every variant."""
    monkeypatch.setenv("FB_CONTRACT_TOKEN", "EAAGcontractSECRET")
    monkeypatch.setenv("X_CONTRACT_TOKEN", "x-oauth2-user-token-SECRET")
    province = RegionFactory(code="11", name="Tỉnh Điện Biên", level=RegionLevel.PROVINCE)
    city = RegionFactory(
        code="094", name="Thành phố Điện Biên Phủ", level=RegionLevel.DISTRICT, parent=province
    )
    facebook = ChannelAccountFactory(
        network=Network.FACEBOOK,
        account_id="100000000000011",
        token_env="FB_CONTRACT_TOKEN",
        regions=[province],
    )
    x = ChannelAccountFactory(
        network=Network.X,
        handle="@dienbien_gov",
        account_id="1700000000000000011",
        token_env="X_CONTRACT_TOKEN",
        regions=[province],
    )
    now = timezone.now()
    publication = SocialPublicationFactory(
        url="https://dienbien.example.gov.vn/tin-tuc/ket-qua-tiem-chung/",
        sms_text="So Y te Dien Bien: 95% nguoi tu 18 tuoi da tiem du lieu vac-xin.",
        sms_text_ascii="So Y te Dien Bien: 95% nguoi tu 18 tuoi da tiem du lieu vac-xin.",
        led_text="95% người từ 18 tuổi đã tiêm đủ liều",
        valid_from=now,
        valid_until=now + datetime.timedelta(days=3),
        regions=[city],
    )
    zalo = _zalo_account(monkeypatch, province)
    _email_list(province)
    return {"publication": publication, "facebook": facebook, "x": x, "zalo": zalo}


def _zalo_account(monkeypatch, province):
    """A credentialled Zalo Official Account whose access token is still valid."""
    from tests.factories.zalo import ZaloAccountFactory, with_tokens

    monkeypatch.setenv("ZALO_CONTRACT_SECRET", "zalo-app-secret-SECRET")
    account = ZaloAccountFactory(app_secret_env="ZALO_CONTRACT_SECRET", regions=[province])
    return with_tokens(account)


def _email_list(province):
    from tests.factories.email import RecipientFactory, RecipientListFactory

    recipients = RecipientListFactory(regions=[province])
    RecipientFactory(recipient_list=recipients)
    return recipients


@pytest.mark.parametrize("alias", ADAPTERS)
def test_adapter_has_the_shape_the_pipeline_relies_on(alias, world):
    adapter = make_adapter(alias)

    assert isinstance(adapter, ChannelAdapter)
    assert isinstance(adapter.push, bool)
    assert isinstance(adapter.sandbox, bool)
    assert all(isinstance(problem, str) for problem in adapter.check())
    own = type(adapter).__dict__.keys() | {
        name for cls in type(adapter).__mro__[:-2] for name in cls.__dict__
    }
    assert "render" in own and "targets" in own
    if adapter.push:
        assert "send" in own and "reconcile" in own
    if adapter.supports_update:
        assert "update" in own
    if adapter.supports_retract:
        assert "retract" in own


@pytest.mark.parametrize("alias", ADAPTERS)
def test_targets_are_distinct_and_labelled(alias, world):
    adapter = make_adapter(alias)

    targets = adapter.targets(world["publication"])

    assert targets, "the contract world should reach every channel"
    assert all(isinstance(target, Target) and target.key and target.label for target in targets)
    assert len({target.key for target in targets}) == len(targets)


@pytest.mark.parametrize("alias", ADAPTERS)
def test_render_is_pure_deterministic_and_json(alias, world):
    adapter = make_adapter(alias)
    publication = world["publication"]
    targets = adapter.targets(publication)
    sandbox_rows = SandboxPost.objects.count()

    with strict_http() as http, CaptureQueriesContext(connection) as queries:
        payloads = [adapter.render(publication, target) for target in targets]
        again = [adapter.render(publication, target) for target in targets]

    assert payloads == again
    assert all(isinstance(payload, dict) for payload in payloads)
    assert json.loads(json.dumps(payloads)) == payloads  # frozen as-is in Delivery.payload
    assert not [query["sql"] for query in queries.captured_queries if WRITES.match(query["sql"])]
    assert len(http.calls) == 0
    assert SandboxPost.objects.count() == sandbox_rows
    if alias in REQUIRED:
        assert len(queries.captured_queries) == 0  # social payloads come from the publication alone


@pytest.mark.parametrize("alias", ADAPTERS)
def test_render_refuses_with_a_permanent_error_or_renders(alias, world):
    """Given an empty story, an adapter either still has something to send or says no permanently."""
    adapter = make_adapter(alias)
    publication = SocialPublicationFactory(
        title="", social_text="", sms_text="", sms_text_ascii="", led_text=""
    )
    target = adapter.targets(world["publication"])[0]

    try:
        payload = adapter.render(publication, target)
    except PermanentError:
        return
    assert alias not in REQUIRED, "social adapters must refuse an empty post"
    assert isinstance(payload, dict)


# --- transport failures → error classes (push adapters that talk HTTP) ----------------------

FEED, TWEETS = f"{GRAPH}/100000000000011/feed", f"{X_API}/tweets"
TESTHTTP = "http://127.0.0.1:9/posts"
ZALO_API, ZALO_TOKEN = "https://openapi.zalo.me", "https://oauth.zaloapp.com/v4/oa/access_token"
ZALO_CREATE = f"{ZALO_API}/v2.0/article/create"


def _zalo(*names):
    """Recorded Zalo answers, in order: article create, then whatever follows (verify, broadcast, token)."""
    from tests.zalo.recorded import BROADCAST, CREATE, TOKEN, VERIFY
    from tests.zalo.recorded import replay as zalo_replay

    urls = {"article": CREATE, "verify": VERIFY, "broadcast": BROADCAST, "token": TOKEN}

    def register(http):
        for step in names:
            where, _sep, name = step.partition("=")
            zalo_replay(http, "POST", urls[where], name)

    return register


def _testhttp(status, body=None, headers=None):
    return lambda http: http.add("POST", TESTHTTP, json=body or {}, status=status, headers=headers or {})


SCENARIOS = {
    "facebook": {
        "ok": lambda http: replay(http, "POST", FEED, "facebook", "feed_created"),
        "timeout": lambda http: http.add("POST", FEED, body=requests.ReadTimeout("read timed out")),
        "unreachable": lambda http: http.add("POST", FEED, body=requests.ConnectTimeout("connect timed out")),
        "server_error": lambda http: replay(http, "POST", FEED, "facebook", "service_unavailable"),
        "rate_limited": lambda http: replay(http, "POST", FEED, "facebook", "rate_limited_page"),
        "rejected": lambda http: replay(http, "POST", FEED, "facebook", "policy_block"),
        "credentials": lambda http: replay(http, "POST", FEED, "facebook", "token_expired"),
        "duplicate": lambda http: (
            replay(http, "POST", FEED, "facebook", "duplicate"),
            replay(http, "GET", f"{GRAPH}/100000000000011/posts", "facebook", "recent_posts"),
        ),
    },
    "x": {
        "ok": lambda http: replay(http, "POST", TWEETS, "x", "created"),
        "timeout": lambda http: http.add("POST", TWEETS, body=requests.ReadTimeout("read timed out")),
        "unreachable": lambda http: http.add(
            "POST", TWEETS, body=requests.ConnectTimeout("connect timed out")
        ),
        "server_error": lambda http: replay(http, "POST", TWEETS, "x", "service_unavailable"),
        "rate_limited": lambda http: replay(
            http, "POST", TWEETS, "x", "rate_limited", reset=int(timezone.now().timestamp()) + 900
        ),
        "rejected": lambda http: replay(http, "POST", TWEETS, "x", "forbidden"),
        "credentials": lambda http: replay(http, "POST", TWEETS, "x", "unauthorized"),
        "duplicate": lambda http: (
            replay(http, "POST", TWEETS, "x", "duplicate"),
            replay(http, "GET", f"{X_API}/users/1700000000000000011/tweets", "x", "users_tweets"),
        ),
    },
    "zalo": {
        "ok": _zalo("article=article_created", "verify=article_verified", "broadcast=broadcast_sent"),
        "timeout": lambda http: http.add("POST", ZALO_CREATE, body=requests.ReadTimeout("read timed out")),
        "unreachable": lambda http: http.add(
            "POST", ZALO_CREATE, body=requests.ConnectTimeout("connect timed out")
        ),
        "server_error": _zalo("article=service_unavailable"),
        "rate_limited": _zalo("article=rate_limited"),
        "rejected": _zalo("article=rejected"),
        # The access token is refused, and so is the refresh token: the account must be authorised again.
        "credentials": _zalo("article=access_token_invalid", "token=token_refresh_invalid"),
    },
    "testhttp": {
        "ok": _testhttp(201, {"id": "p1"}),
        "timeout": lambda http: http.add("POST", TESTHTTP, body=requests.ReadTimeout("read timed out")),
        "unreachable": lambda http: http.add(
            "POST", TESTHTTP, body=requests.ConnectTimeout("connect timed out")
        ),
        "server_error": _testhttp(500, {"error": "injected"}),
        "rate_limited": _testhttp(429, {"error": "slow down"}, {"Retry-After": "30"}),
        "rejected": _testhttp(400, {"error": "rejected"}),
    },
}
# What the pipeline must be told in each case: (error class or Receipt, uncertain, disable_target).
EXPECTED = {
    "ok": (Receipt, None, None),
    "duplicate": (Receipt, None, None),  # reconciled to the post already made
    "timeout": (TransientError, True, None),  # may have landed: reconcile before resending
    "server_error": (TransientError, True, None),
    "unreachable": (TransientError, False, None),  # never left: just retry
    "rate_limited": (TransientError, False, None),  # retry after the server's reset time
    "rejected": (PermanentError, None, False),  # fail now, visibly
    "credentials": (PermanentError, None, True),  # fail and switch the account off
}
CASES = [(alias, scenario) for alias, scenarios in SCENARIOS.items() for scenario in scenarios]


@pytest.mark.parametrize(("alias", "scenario"), CASES)
def test_transport_outcomes_map_to_the_right_action(alias, scenario, world):
    adapter = make_adapter(alias)
    target = adapter.targets(world["publication"])[0]
    payload = adapter.render(world["publication"], target)
    expected, uncertain, disable = EXPECTED[scenario]

    with strict_http() as http:
        SCENARIOS[alias][scenario](http)
        try:
            outcome = adapter.send(payload, target=target.key, marker=MARKER)
        except (TransientError, PermanentError) as error:
            outcome = error

    assert isinstance(outcome, expected), outcome
    if expected is Receipt:
        assert isinstance(outcome.external_id, str) and outcome.external_id
    if expected is TransientError:
        assert outcome.uncertain is uncertain
        if scenario == "rate_limited":
            assert outcome.retry_after and outcome.retry_after > 0
    if expected is PermanentError:
        assert outcome.disable_target is disable
