"""Reporters' contacts: kept apart, shown to the assigned group only, erased on schedule or request."""

import datetime

from django.utils import timezone

from hub import permissions
from hub.intake.models import Contact, Notification, NotificationStatus
from hub.intake.notifications import claim_mark_answered
from hub.intake.services import contact_erase_by_value, contacts_erase_expired
from hub.intake.tasks import erase_expired_contacts_task
from tests.factories import UserFactory

LEMON = "Uống nước chanh nóng chữa khỏi Covid"


def test_contacts_older_than_the_retention_period_are_erased(report, settings):
    settings.INTAKE_CONTACT_RETENTION_DAYS = 90
    old = report(LEMON, contact="0912345678")
    recent = report("Phong tỏa thành phố từ tối nay", contact="recent@example.org")
    Contact.objects.filter(tip=old).update(created_at=timezone.now() - datetime.timedelta(days=91))

    erased = contacts_erase_expired()

    assert erased == 1
    assert list(Contact.objects.values_list("tip_id", flat=True)) == [recent.pk]
    old.refresh_from_db()
    assert old.text == LEMON  # the report itself stays, without its reporter


def test_the_periodic_task_erases_with_the_configured_period(report, settings):
    settings.INTAKE_CONTACT_RETENTION_DAYS = 7
    tip = report(LEMON, contact="0912345678")
    Contact.objects.filter(tip=tip).update(created_at=timezone.now() - datetime.timedelta(days=8))

    erase_expired_contacts_task.call_local()

    assert not Contact.objects.exists()


def test_a_reporter_may_have_every_contact_of_theirs_erased(report, organisation):
    first = report(LEMON, contact="0912 345 678")
    report("Phong tỏa thành phố từ tối nay", contact="+84912345678")
    other = report("Xe khách ngừng chạy", contact="0987000111")
    claim_mark_answered(claim=first.claim)

    erased = contact_erase_by_value(organisation=organisation, value="0912345678")

    assert erased == 2
    assert list(Contact.objects.values_list("tip_id", flat=True)) == [other.pk]
    assert Notification.objects.get(tip=first).status == NotificationStatus.CANCELLED


def test_contacts_show_only_to_the_assigned_group(client, report):
    tip = report(LEMON, contact="0912345678")  # medical: health reviewers
    assert tip.claim.assigned_group.name == permissions.HEALTH_REVIEWERS
    url = f"/admin/intake/triage/{tip.claim_id}/"

    client.force_login(UserFactory(groups=[permissions.HEALTH_REVIEWERS]))
    assert "+84912345678" in client.get(url).content.decode()

    client.force_login(UserFactory(groups=[permissions.POLICE_REVIEWERS]))
    response = client.get(url)
    assert response.status_code == 200
    assert "+84912345678" not in response.content.decode()
    erase = client.post(f"/admin/intake/triage/{tip.claim_id}/erase/{tip.pk}/")
    assert (erase.status_code, erase["Location"]) == (302, "/admin/")  # Wagtail's "no permission"
    assert Contact.objects.exists()


def test_the_assigned_group_erases_a_contact_from_the_triage_page(client, report):
    tip = report(LEMON, contact="0912345678")
    client.force_login(UserFactory(groups=[permissions.HEALTH_REVIEWERS]))

    response = client.post(f"/admin/intake/triage/{tip.claim_id}/erase/{tip.pk}/")

    assert response.status_code == 302
    assert not Contact.objects.exists()
