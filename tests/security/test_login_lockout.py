"""Admin sign-in: lock-out per account and per client address, the message, the audit, lifting it."""

import pytest
from axes.models import AccessAttempt
from wagtail.models import ModelLogEntry

from hub.security.lockouts import ACTION_LIFTED, ACTION_LOCKED_OUT
from tests.factories.accounts import UserFactory

LOGIN = "/admin/login/"
PASSWORD = "correct horse battery staple"


@pytest.fixture
def limit(settings):
    settings.AXES_FAILURE_LIMIT = 5
    return 5


def sign_in(client, username, password, ip="192.0.2.10"):
    return client.post(LOGIN, {"username": username, "password": password}, REMOTE_ADDR=ip)


def test_wrong_passwords_lock_the_account_with_a_vietnamese_message_even_for_the_right_one(client, db, limit):
    user = UserFactory(username="lan", is_superuser=True)

    answers = [sign_in(client, "lan", f"sai-{n}", ip=f"192.0.2.{n}").status_code for n in range(limit)]
    locked = sign_in(client, "lan", PASSWORD, ip="192.0.2.200")

    assert answers[: limit - 1] == [200] * (limit - 1)  # the form again, with its error
    assert answers[-1] == 429
    assert locked.status_code == 429
    page = locked.content.decode()
    assert "Đăng nhập tạm thời bị khóa" in page
    assert "_auth_user_id" not in client.session
    entry = ModelLogEntry.objects.filter(action=ACTION_LOCKED_OUT).first()
    assert entry.object_id == str(user.pk)
    assert PASSWORD not in str(entry.data)


def test_many_accounts_tried_from_one_address_lock_that_address(client, db, limit):
    UserFactory(username="hoa")
    for n in range(limit):
        sign_in(client, f"khong-ai-{n}", "sai", ip="198.51.100.66")

    assert sign_in(client, "hoa", PASSWORD, ip="198.51.100.66").status_code == 429
    response = sign_in(client, "hoa", PASSWORD, ip="198.51.100.67")
    assert response.status_code == 302
    assert ModelLogEntry.objects.filter(action=ACTION_LOCKED_OUT).exists()


def test_a_successful_sign_in_resets_the_count(client, db, limit):
    UserFactory(username="minh")
    for _n in range(limit - 1):
        sign_in(client, "minh", "sai")
    assert sign_in(client, "minh", PASSWORD).status_code == 302
    client.logout()
    for _n in range(limit - 1):
        sign_in(client, "minh", "sai")
    assert sign_in(client, "minh", PASSWORD).status_code == 302


def test_an_administrator_sees_and_lifts_a_lockout_and_it_is_audited(client, admin_client, db, limit):
    UserFactory(username="lan")
    for _n in range(limit):
        sign_in(client, "lan", "sai")

    screen = admin_client.get("/admin/security/lockouts/")
    assert screen.status_code == 200
    assert "lan" in screen.content.decode()
    attempt = AccessAttempt.objects.get(username="lan")

    lifted = admin_client.post(f"/admin/security/lockouts/{attempt.pk}/lift/")

    assert lifted.status_code == 302
    assert not AccessAttempt.objects.filter(username="lan").exists()
    assert sign_in(client, "lan", PASSWORD).status_code == 302
    entry = ModelLogEntry.objects.get(action=ACTION_LIFTED)
    assert entry.user.is_superuser


def test_only_administrators_reach_the_lockouts_screen(client, db):
    editor = UserFactory(groups=["Editors"])
    client.force_login(editor)

    assert client.get("/admin/security/lockouts/").status_code in (302, 403)


def test_sign_in_without_a_request_still_works(db):
    from django.contrib.auth import authenticate

    user = UserFactory(username="khong-yeu-cau")

    assert authenticate(username="khong-yeu-cau", password=PASSWORD) == user
