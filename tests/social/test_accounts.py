"""Channel accounts: coverage by region, sandbox mode, the admin for Channel managers, the dashboard alert."""

import io

import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from channels.permissions import CHANNEL_MANAGERS
from channels.social.demo import populate
from channels.social.models import ChannelAccount, Network, SandboxPost
from tests.factories import UserFactory
from tests.factories.social import ChannelAccountFactory, SocialPublicationFactory
from tests.social.conftest import FB_TOKEN


@pytest.fixture
def manager(db):
    return UserFactory(groups=[CHANNEL_MANAGERS])


@pytest.fixture
def manager_client(client, manager):
    client.force_login(manager)
    return client


def test_targets_are_active_accounts_whose_regions_overlap(facebook, regions):
    everywhere = ChannelAccountFactory(name="Toàn tỉnh")
    province = ChannelAccountFactory(name="Tỉnh", regions=[regions["province"]])
    city = ChannelAccountFactory(name="Thành phố", regions=[regions["city"]])
    ChannelAccountFactory(name="Mường Lay", regions=[regions["other"]])
    ChannelAccountFactory(name="Tạm dừng", active=False)
    ChannelAccountFactory(name="Hết hạn", disabled_at=timezone.now())
    ChannelAccountFactory(network=Network.X, name="X toàn tỉnh")
    ward_story = SocialPublicationFactory(regions=[regions["ward"]])
    province_story = SocialPublicationFactory(regions=[regions["province"]])

    ward_targets = facebook.targets(ward_story)
    province_targets = facebook.targets(province_story)

    assert [t.label for t in ward_targets] == ["Toàn tỉnh", "Tỉnh", "Thành phố"]
    assert [t.key for t in ward_targets] == [f"account:{a.pk}" for a in (everywhere, province, city)]
    assert [t.label for t in province_targets] == ["Toàn tỉnh", "Tỉnh", "Thành phố", "Mường Lay"]


@pytest.mark.parametrize("value", ["EAAGtoken123", "fb-token", "MY TOKEN"])
def test_account_takes_variable_names_not_secrets(db, value):
    account = ChannelAccountFactory.build(network=Network.FACEBOOK, token_env=value)

    with pytest.raises(ValidationError) as caught:
        account.full_clean()

    assert "token_env" in caught.value.message_dict


def test_x_oauth1_needs_all_four_names(db):
    account = ChannelAccountFactory.build(network=Network.X, consumer_key_env="X_KEY", token_env="X_TOKEN")

    with pytest.raises(ValidationError):
        account.full_clean()
    assert account.is_sandbox


def test_sandbox_mode_follows_the_environment(db, monkeypatch):
    account = ChannelAccountFactory(token_env="FB_TOKEN_FOR_MODE_TEST")
    assert account.is_sandbox and account.status == "sandbox"

    monkeypatch.setenv("FB_TOKEN_FOR_MODE_TEST", "value")
    assert not account.is_sandbox and account.status == "live"

    account.disabled_at = timezone.now()
    assert account.status == "disabled"


def test_check_reports_disabled_and_unset_accounts(facebook, db):
    assert facebook.check() == ["No active account is set up for facebook."] or facebook.check()
    ChannelAccountFactory(name="Hết hạn", disabled_at=timezone.now(), disabled_reason="token 190")
    ChannelAccountFactory(name="Thiếu biến", token_env="FB_UNSET_VARIABLE")

    problems = facebook.check()

    assert any("Hết hạn" in problem and "token 190" in problem for problem in problems)
    assert any("Thiếu biến" in problem and "FB_UNSET_VARIABLE" in problem for problem in problems)


def test_channel_managers_list_accounts_with_a_sandbox_badge(manager_client, fb_account):
    sandbox = ChannelAccountFactory(name="UBND tỉnh Điện Biên")

    response = manager_client.get(reverse("social_accounts:index"))

    assert response.status_code == 200
    html = response.content.decode()
    assert sandbox.name in html and fb_account.name in html
    assert html.count("w-status") >= 2
    assert "Sandbox" in html or "Thử nghiệm" in html


def test_channel_manager_adds_an_account_by_variable_names(manager_client, regions):
    response = manager_client.post(
        reverse("social_accounts:add"),
        {
            "network": "facebook",
            "name": "Trung tâm Y tế huyện",
            "handle": "ttyt",
            "account_id": "100000000000099",
            "regions": [regions["city"].pk],
            "active": "on",
            "token_env": "FB_PAGE_TOKEN_TTYT",
        },
    )

    assert response.status_code == 302
    account = ChannelAccount.objects.get(name="Trung tâm Y tế huyện")
    assert account.token_env == "FB_PAGE_TOKEN_TTYT"
    assert list(account.regions.all()) == [regions["city"]]


def test_a_pasted_token_is_refused_with_a_form_error(manager_client, db):
    response = manager_client.post(
        reverse("social_accounts:add"),
        {"network": "facebook", "name": "Sai", "active": "on", "token_env": "EAAGabc123secret"},
    )

    assert response.status_code == 200
    assert not ChannelAccount.objects.filter(name="Sai").exists()
    assert "EAAGabc123secret" not in response.content.decode().split("<form")[0]


def test_secret_values_are_never_shown_back(manager_client, fb_account):
    response = manager_client.get(reverse("social_accounts:edit", args=[fb_account.pk]))

    assert response.status_code == 200
    assert "FB_PAGE_TOKEN_TEST" in response.content.decode()
    assert FB_TOKEN not in response.content.decode()


def test_disabled_account_is_an_alert_and_can_be_enabled_again(manager_client, fb_account):
    fb_account.disable("Facebook rejected the Page token (190/463)")

    dashboard = manager_client.get(reverse("wagtailadmin_home")).content.decode()
    assert fb_account.name in dashboard and "190/463" in dashboard

    form = manager_client.get(reverse("social_accounts:edit", args=[fb_account.pk])).content.decode()
    assert 'name="enable_again"' in form
    response = manager_client.post(
        reverse("social_accounts:edit", args=[fb_account.pk]),
        {
            "network": "facebook",
            "name": fb_account.name,
            "account_id": fb_account.account_id,
            "active": "on",
            "token_env": "FB_PAGE_TOKEN_TEST",
            "enable_again": "on",
        },
    )
    assert response.status_code == 302
    fb_account.refresh_from_db()
    assert fb_account.disabled_at is None and fb_account.disabled_reason == ""


def test_people_outside_channel_managers_cannot_manage_accounts(client, db):
    client.force_login(UserFactory(groups=["Editors"]))
    editors = __import__("django.contrib.auth.models", fromlist=["Group"]).Group.objects.get(name="Editors")
    from django.contrib.auth.models import Permission

    editors.permissions.add(Permission.objects.get(codename="access_admin"))
    ChannelAccountFactory(disabled_at=timezone.now(), disabled_reason="revoked")

    assert client.get(reverse("social_accounts:index")).status_code in (302, 403)
    assert "revoked" not in client.get(reverse("wagtailadmin_home")).content.decode()


def test_sandbox_posts_can_be_inspected_not_forged(manager_client, db):
    account = ChannelAccountFactory()
    post = SandboxPost.objects.create(
        account=account, action="send", payload={"message": "Xin chào"}, marker="hub-1"
    )

    assert manager_client.get(reverse("social_sandbox:index")).status_code == 200
    assert (
        "Xin chào" in manager_client.get(reverse("social_sandbox:inspect", args=[post.pk])).content.decode()
    )
    assert manager_client.get(reverse("social_sandbox:add")).status_code in (302, 403)


def test_sandbox_post_listing_queries_do_not_grow_with_rows(
    manager_client, db, django_assert_max_num_queries
):
    def add_posts(count):
        for number in range(count):
            SandboxPost.objects.create(
                account=ChannelAccountFactory(), action="send", external_id=str(number)
            )

    add_posts(2)
    with CaptureQueriesContext(connection) as two_rows:
        assert manager_client.get(reverse("social_sandbox:index")).status_code == 200
    add_posts(18)

    with django_assert_max_num_queries(len(two_rows)):
        response = manager_client.get(reverse("social_sandbox:index"))

    assert response.status_code == 200


def test_demo_accounts_are_sandboxed_province_wide_and_idempotent(regions):
    out = io.StringIO()

    populate(stdout=out)
    populate(stdout=out)

    accounts = ChannelAccount.objects.order_by("network", "name")
    assert [(a.network, a.name) for a in accounts] == [
        ("facebook", "Sở Y tế Điện Biên"),
        ("facebook", "UBND tỉnh Điện Biên"),
        ("x", "Điện Biên (X)"),
    ]
    assert all(a.is_sandbox and list(a.regions.values_list("code", flat=True)) == ["11"] for a in accounts)
    assert ChannelAccount.objects.get(network="x").handle == "@dienbien_gov"


@pytest.mark.parametrize("adapter", ["facebook", "x"])
def test_sandbox_reconcile_finds_the_recorded_post_by_marker(request, db, adapter):
    adapter = request.getfixturevalue(adapter)
    account = ChannelAccountFactory(network=adapter.network)
    payload = {"text": "Tiêm vắc-xin đủ liều.", "url": "https://dienbien.example.gov.vn/tin/1/", "link": ""}
    adapter.send(payload, target=account.target_key, marker="hub-7")

    found = adapter.reconcile({}, target=account.target_key, marker="hub-7")
    missing = adapter.reconcile({}, target=account.target_key, marker="hub-8")

    assert found.external_id == SandboxPost.objects.get(marker="hub-7").external_id
    assert found.detail == {"sandbox": True}
    assert missing is None
