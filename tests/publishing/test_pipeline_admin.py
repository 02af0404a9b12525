"""Admin: the deliveries report and its export, retries, the dashboard panel and the story button."""

import pytest
from django.contrib.auth.models import Group, Permission
from django.urls import reverse

from publishing.models import Delivery
from publishing.models import DeliveryStatus as Status
from publishing.panels import DeliveriesPanel
from tests.factories import GoodExamplePageFactory, UserFactory
from tests.publishing.test_pipeline_claims import make_delivery


@pytest.fixture
def admin_user(db):
    return UserFactory(is_superuser=True, is_staff=True)


def admin_member(group_name):
    group, _ = Group.objects.get_or_create(name=group_name)
    group.permissions.add(Permission.objects.get(codename="access_admin"))
    return UserFactory(groups=[group_name])


@pytest.fixture
def failed(db, settings):
    settings.HUB_CHANNELS = {"portal": {"BACKEND": "channels.portal.PortalAdapter"}}
    delivery = make_delivery(channel="portal", title="Bác bỏ tin giả về vắc-xin")
    Delivery.objects.filter(pk=delivery.pk).update(status=Status.FAILED, last_error="Máy chủ từ chối")
    return delivery


def test_the_report_lists_and_filters_deliveries(client, admin_user, failed):
    make_delivery(channel="testhttp", title="Tin khác")
    client.force_login(admin_user)

    response = client.get(reverse("publishing_deliveries"), {"status": "failed"})

    assert response.status_code == 200
    content = response.content.decode()
    assert "Bác bỏ tin giả về vắc-xin" in content
    assert "Máy chủ từ chối" in content
    assert "Tin khác" not in content


@pytest.mark.parametrize(("export", "content_type"), [("csv", "text/csv"), ("xlsx", "spreadsheetml")])
def test_the_report_exports_a_spreadsheet(client, admin_user, failed, export, content_type):
    client.force_login(admin_user)

    response = client.get(reverse("publishing_deliveries"), {"export": export})

    assert response.status_code == 200
    assert content_type in response["Content-Type"]
    body = b"".join(response.streaming_content) if response.streaming else response.content
    if export == "csv":
        assert "Bác bỏ tin giả về vắc-xin" in body.decode()
        assert "failed" in body.decode()


def test_an_editor_cannot_see_the_report_or_retry(client, failed):
    editor = admin_member("Editors")
    client.force_login(editor)

    assert client.get(reverse("publishing_deliveries")).status_code in (302, 403)
    response = client.post(reverse("publishing_delivery_retry", args=[failed.pk]))

    assert response.status_code in (302, 403)
    failed.refresh_from_db()
    assert failed.status == Status.FAILED


def test_a_channel_manager_retries_one_failed_delivery(client, failed, django_capture_on_commit_callbacks):
    client.force_login(admin_member("Channel managers"))

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("publishing_delivery_retry", args=[failed.pk]))

    assert response.status_code == 302
    failed.refresh_from_db()
    assert failed.status == Status.SENT
    assert failed.attempts == 1


def test_retry_needs_post(client, admin_user, failed):
    client.force_login(admin_user)

    assert client.get(reverse("publishing_delivery_retry", args=[failed.pk])).status_code == 405


def test_retry_all_failed_deliveries_of_a_channel(
    client, admin_user, failed, django_capture_on_commit_callbacks
):
    other = make_delivery(channel="portal", title="Tin thứ hai")
    Delivery.objects.filter(pk=other.pk).update(status=Status.FAILED)
    elsewhere = make_delivery(channel="facebook", title="Tin Facebook")
    Delivery.objects.filter(pk=elsewhere.pk).update(status=Status.FAILED)
    client.force_login(admin_user)

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("publishing_deliveries_retry_channel"), {"channel": "portal"})

    assert response.status_code == 302
    statuses = dict(Delivery.objects.values_list("pk", "status"))
    assert statuses == {failed.pk: Status.SENT, other.pk: Status.SENT, elsewhere.pk: Status.FAILED}


def test_the_dashboard_counts_failed_deliveries(client, admin_user, failed):
    client.force_login(admin_user)

    response = client.get(reverse("wagtailadmin_home"))

    assert response.status_code == 200
    assert reverse("publishing_deliveries") + "?status=failed" in response.content.decode()


def test_a_story_edit_page_links_to_its_deliveries_and_the_panel_lists_them(
    client, admin_user, story_index, rf
):
    page = GoodExamplePageFactory(parent=story_index, channels=[])
    delivery = make_delivery(channel="portal")
    delivery.publication.page = page
    delivery.publication.save()
    client.force_login(admin_user)

    response = client.get(reverse("wagtailadmin_pages:edit", args=[page.pk]))

    assert response.status_code == 200
    assert f"{reverse('publishing_deliveries')}?page={page.pk}" in response.content.decode()
    assert 'class="publishing-deliveries"' in response.content.decode()
    request = rf.get("/")
    request.user = admin_user
    panel = DeliveriesPanel().bind_to_model(type(page)).get_bound_panel(instance=page, request=request)
    html = panel.render_html()
    assert "portal" in html
