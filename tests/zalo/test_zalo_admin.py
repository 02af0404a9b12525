"""The Zalo admin: accounts scoped by organisation, a write-only refresh token, the dashboard alert."""

import pytest
from django.contrib.auth.models import Group
from django.urls import reverse

from channels.permissions import CHANNEL_MANAGERS
from channels.zalo import tokens
from channels.zalo.models import ZaloAccount
from tests.factories import OrganisationFactory, UserFactory
from tests.factories.zalo import ZaloAccountFactory


@pytest.fixture
def ours(db):
    staff = Group.objects.create(name="Cán bộ tỉnh Điện Biên")
    return OrganisationFactory(groups=[staff]), staff


@pytest.fixture
def manager_client(client, ours):
    _organisation, staff = ours
    manager = UserFactory(groups=[CHANNEL_MANAGERS])
    manager.groups.add(staff)
    client.force_login(manager)
    return client


def test_a_manager_sees_and_opens_only_the_accounts_of_their_organisation(manager_client, ours):
    mine = ZaloAccountFactory(organisation=ours[0], name="OA của tỉnh")
    theirs = ZaloAccountFactory(organisation=OrganisationFactory(), name="OA của nơi khác")

    listing = manager_client.get(reverse("zalo_accounts:index")).content.decode()

    assert "OA của tỉnh" in listing and "OA của nơi khác" not in listing
    assert manager_client.get(reverse("zalo_accounts:edit", args=[mine.pk])).status_code == 200
    assert manager_client.get(reverse("zalo_accounts:edit", args=[theirs.pk])).status_code == 404


def test_a_pasted_refresh_token_is_stored_encrypted_and_switches_the_account_on(manager_client, ours):
    account = ZaloAccountFactory(organisation=ours[0], name="OA của tỉnh")
    account.disable("Zalo refused the refresh token (-14014)")

    response = manager_client.post(
        reverse("zalo_accounts:edit", args=[account.pk]),
        {
            "organisation": ours[0].pk,
            "name": "OA của tỉnh",
            "oa_id": "4318000000000000011",
            "app_id": "1234567890123456789",
            "app_secret_env": "ZALO_APP_SECRET_TINH",
            "broadcast": "on",
            "broadcast_cities": "11",
            "group_ids": "",
            "active": "on",
            "refresh_token": "ZALOrefreshPASTED01",
        },
    )

    assert response.status_code == 302, response.content.decode()[:2000]
    account = ZaloAccount.objects.get(pk=account.pk)
    assert not account.is_disabled
    assert tokens.decrypt(account.refresh_token_encrypted) == "ZALOrefreshPASTED01"
    assert "ZALOrefreshPASTED01" not in account.refresh_token_encrypted
    form = manager_client.get(reverse("zalo_accounts:edit", args=[account.pk])).content.decode()
    assert "ZALOrefreshPASTED01" not in form and account.refresh_token_encrypted not in form


def test_the_dashboard_tells_managers_which_accounts_need_authorising_again(manager_client, ours):
    account = ZaloAccountFactory(organisation=ours[0], name="OA của tỉnh")
    account.disable("Zalo refused the refresh token (-14014)")

    dashboard = manager_client.get(reverse("wagtailadmin_home")).content.decode()

    assert "OA của tỉnh" in dashboard and "-14014" in dashboard
