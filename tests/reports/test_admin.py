"""The report pages in the admin: who may see what, the charts beside their tables, the downloads."""

import pytest
from django.contrib.auth.models import Group
from django.core.cache import cache
from django.urls import reverse

from hub.permissions import ensure_groups
from publishing.reports.models import Report
from publishing.reports.services import report_build
from tests.factories import OrganisationFactory, UserFactory
from tests.factories.sms import PublicationFactory
from tests.reports.conftest import PERIOD, at


@pytest.fixture(autouse=True)
def fresh_throttle():
    cache.clear()


@pytest.fixture
def approver(organisation):
    ensure_groups()
    group = Group.objects.get(name="Approvers")
    organisation.groups.add(group)
    user = UserFactory(username="pheduyet")
    user.groups.add(group)
    return user


@pytest.fixture
def report(organisation, story_page):
    when = at(2026, 11, 1)
    PublicationFactory(
        page=story_page, published_at=when, valid_from=when, valid_until=when, kind="vaccination"
    )
    return report_build(organisation=organisation, period=PERIOD)


def test_approver_sees_the_report_with_charts_and_tables(client, approver, report):
    client.force_login(approver)

    response = client.get(reverse("reports_report", args=[report.pk]))

    assert response.status_code == 200
    html = response.content.decode()
    assert html.count("<svg") >= 5 and 'role="img"' in html
    assert '<title id="chart-stories-1-title">' in html and "<desc id=" in html
    assert "Tin bài theo loại" in html
    assert reverse("reports_download", args=[report.pk, "docx"]) in html


def test_download_serves_the_stored_files(client, approver, report):
    client.force_login(approver)

    response = client.get(reverse("reports_download", args=[report.pk, "xlsx"]))

    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    assert b"".join(response.streaming_content)[:2] == b"PK"
    assert client.get(reverse("reports_download", args=[report.pk, "exe"])).status_code == 404


def test_other_organisations_reports_are_hidden(client, report):
    ensure_groups()
    group = Group.objects.create(name="Lai Châu: phê duyệt")
    group.permissions.add(*Group.objects.get(name="Approvers").permissions.all())
    OrganisationFactory(slug="lai-chau", groups=[group])
    outsider = UserFactory(username="laichau")
    outsider.groups.add(group)
    client.force_login(outsider)

    assert client.get(reverse("reports_report", args=[report.pk])).status_code == 404
    assert client.get(reverse("reports_download", args=[report.pk, "docx"])).status_code == 404
    assert str(report) not in client.get(reverse("reports_index")).content.decode()


def test_editor_may_not_see_reports(client, report):
    ensure_groups()
    editor = UserFactory(username="bientap")
    editor.groups.add(Group.objects.get(name="Editors"))
    client.force_login(editor)

    assert client.get(reverse("reports_index")).status_code in (302, 403)


def test_approver_builds_a_report_for_any_range(client, approver, organisation, report):
    client.force_login(approver)

    response = client.post(
        reverse("reports_index"),
        {"organisation": organisation.pk, "first_day": "2026-11-01", "last_day": "2026-11-07", "kind": ""},
    )

    built = Report.objects.exclude(pk=report.pk).get()
    assert response.status_code == 302 and response["Location"] == reverse("reports_report", args=[built.pk])
    assert built.requested_by == approver
    assert built.figures["period"]["first_day"] == "2026-11-01"


def test_build_form_rejects_a_backwards_range(client, approver, organisation):
    client.force_login(approver)

    response = client.post(
        reverse("reports_index"),
        {"organisation": organisation.pk, "first_day": "2026-11-07", "last_day": "2026-11-01"},
    )

    assert response.status_code == 200
    assert "Ngày kết thúc trước ngày bắt đầu." in response.content.decode()
    assert not Report.objects.exists()


def test_builds_are_throttled_per_user(client, approver, organisation):
    client.force_login(approver)
    data = {"organisation": organisation.pk, "first_day": "2026-11-01", "last_day": "2026-11-07", "kind": ""}

    statuses = [client.post(reverse("reports_index"), data).status_code for _n in range(7)]

    assert statuses == [302] * 6 + [200]
    assert Report.objects.count() == 1  # the same report each time, not six


def test_a_failing_build_says_so_instead_of_a_500(client, approver, organisation, monkeypatch):
    from publishing.reports import exports

    def broken(report, **kwargs):
        raise OSError("template unreadable")

    monkeypatch.setattr(exports, "render_docx", broken)
    client.force_login(approver)

    response = client.post(
        reverse("reports_index"),
        {"organisation": organisation.pk, "first_day": "2026-11-01", "last_day": "2026-11-07"},
    )

    assert response.status_code == 200
    assert "Chưa lập được báo cáo" in response.content.decode()
    assert Report.objects.get().status == "failed"
