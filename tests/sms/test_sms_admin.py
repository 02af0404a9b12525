"""Admin: Channel managers issue keys (shown once, stored hashed), revoke them, see monitoring and warnings."""

import pytest
from django.contrib.auth.models import Permission
from django.urls import reverse
from wagtail.models import ModelLogEntry

from channels.sms.keys import ACTION_CREATED, ACTION_REVOKED, hash_key
from channels.sms.models import PartnerKey
from tests.factories import UserFactory

URL = "/api/sms/v1/messages"


@pytest.fixture
def manager(db):
    user = UserFactory(groups=["Channel managers"])
    for codename in ("access_admin", "add_partner", "change_partner", "view_partner", "delete_partner"):
        user.user_permissions.add(Permission.objects.get(codename=codename))
    return user


def test_key_is_shown_once_and_stored_hashed(client, manager, partner_a):
    client.force_login(manager)

    response = client.post(reverse("sms_partner_keys", args=[partner_a.pk]), {"label": "rotation 2026"})

    assert response.status_code == 200
    clear = response.context["new_key"]
    key = PartnerKey.objects.get(partner=partner_a)
    assert clear.startswith(key.prefix) and len(clear) > 40
    assert key.key_hash == hash_key(clear) and clear not in key.key_hash
    log = ModelLogEntry.objects.get(action=ACTION_CREATED)
    assert log.user == manager and clear not in str(log.data)
    assert clear not in client.get(reverse("sms_partner_keys", args=[partner_a.pk])).content.decode()
    assert client.get(URL, HTTP_AUTHORIZATION=f"Bearer {clear}").status_code == 200


def test_revoke_from_admin_stops_the_key(client, manager, partner_a, key_a, auth_a):
    client.force_login(manager)
    key = PartnerKey.objects.get(partner=partner_a)

    client.post(reverse("sms_partner_key_revoke", args=[partner_a.pk, key.pk]))

    assert PartnerKey.objects.get(pk=key.pk).revoked_at is not None
    assert ModelLogEntry.objects.filter(action=ACTION_REVOKED).count() == 1
    client.logout()
    assert client.get(URL, **auth_a).status_code == 401


def test_past_expiry_is_a_form_error(client, manager, partner_a):
    client.force_login(manager)

    response = client.post(
        reverse("sms_partner_keys", args=[partner_a.pk]), {"expires_at": "2001-01-01 10:00"}
    )

    assert response.status_code == 200 and response.context["form"].errors
    assert not PartnerKey.objects.exists()


def test_editors_cannot_manage_keys(client, partner_a):
    client.force_login(UserFactory(groups=["Editors"]))

    assert client.post(reverse("sms_partner_keys", args=[partner_a.pk])).status_code in (302, 403)
    assert not PartnerKey.objects.exists()


def test_dashboard_warns_about_partners_that_stopped_pulling(client, manager, partner_a, auth_a):
    client.force_login(manager)

    before = client.get(reverse("wagtailadmin_home")).content.decode()
    client.get(URL, **auth_a)
    after = client.get(reverse("wagtailadmin_home")).content.decode()

    assert partner_a.name in before
    assert partner_a.name not in after


def test_partner_index_and_monitoring_pages_render(client, manager, partner_a):
    client.force_login(manager)

    assert client.get(reverse("sms_partners:index")).status_code == 200
    assert client.get(reverse("sms_partners:add")).status_code == 200
    assert client.get(reverse("sms_partner_keys", args=[partner_a.pk])).status_code == 200
