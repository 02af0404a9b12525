"""The answer: a claim becomes a rebuttal draft; publishing it answers the reporters, once."""

import datetime

import pytest
from django.core import mail
from wagtail.models import ModelLogEntry

from hub.intake import services
from hub.intake.answers import AnswerError, claim_rebuttal_create, question_answer_publish
from hub.intake.models import ClaimStatus, Notification, NotificationStatus, TipKind
from hub.intake.notifications import send_email_notifications
from hub.models import RebuttalPage
from tests.factories import UserFactory

LEMON = "Nghe nói uống nước chanh nóng chữa khỏi Covid-19"


@pytest.fixture
def claim(report, regions, story_index):
    report(
        LEMON,
        link="https://facebook.com/groups/db/posts/1",
        seen_where="Nhóm Zalo Bản Mới",
        seen_on=datetime.date(2026, 11, 28),
        region_id=regions["city"].pk,
        contact="lan@example.org",
    )
    report("nuoc chanh nong co the chua khoi benh covid", seen_where="Facebook", contact="0912345678")
    report("uống nước chanh nóng chữa khỏi covid", seen_where="Facebook")  # no contact
    claim = services.claim_set_status(claim=report(LEMON).claim, status=ClaimStatus.FALSE)
    claim.notes = "Sở Y tế: không có cơ sở khoa học."
    claim.save()
    return claim


def test_one_action_makes_a_rebuttal_draft_from_the_claim(claim, story_index, regions):
    editor = UserFactory(groups=["Editors"])

    page = claim_rebuttal_create(claim=claim, user=editor)

    page = RebuttalPage.objects.get(pk=page.pk)
    draft = page.get_latest_revision_as_object()
    assert not page.live
    assert page.get_parent().specific == story_index
    assert draft.claim == claim.text
    assert draft.claim_appeared_in == "Nhóm Zalo Bản Mới, Facebook"
    assert draft.claim_appeared_on == datetime.date(2026, 11, 28)
    assert "không có cơ sở khoa học" in draft.evidence
    assert "https://facebook.com/groups/db/posts/1" in draft.evidence
    assert "lan@example.org" not in draft.evidence and "0912345678" not in draft.evidence
    assert draft.route_to_police is False  # a medical claim: the health review decides
    assert list(draft.regions.all()) == [regions["city"]]
    claim.refresh_from_db()
    assert claim.rebuttal_id == page.pk
    assert ModelLogEntry.objects.filter(object_id=str(claim.pk), action=services.ACTION_REBUTTAL).exists()
    with pytest.raises(AnswerError):
        claim_rebuttal_create(claim=claim, user=editor)


def test_publishing_the_rebuttal_answers_every_reporter_once(claim, django_capture_on_commit_callbacks):
    page = claim_rebuttal_create(claim=claim)
    revision = page.get_latest_revision()

    with django_capture_on_commit_callbacks(execute=True):
        revision.publish()
    with django_capture_on_commit_callbacks(execute=True):
        page.refresh_from_db()
        page.save_revision().publish()  # a correction later: nobody is told twice

    claim.refresh_from_db()
    assert claim.status == ClaimStatus.ANSWERED
    assert claim.answered_at is not None
    notifications = Notification.objects.filter(claim=claim)
    assert sorted(notifications.values_list("channel", "status")) == [
        ("email", NotificationStatus.SENT),
        ("phone", NotificationStatus.PENDING),
    ]
    assert len(mail.outbox) == 1
    assert mail.outbox[0].to == ["lan@example.org"]
    assert page.full_url in mail.outbox[0].body
    assert send_email_notifications(claim_id=claim.pk) == 0
    assert len(mail.outbox) == 1


def test_a_report_after_the_answer_is_told_at_once(claim, report, django_capture_on_commit_callbacks):
    page = claim_rebuttal_create(claim=claim)
    with django_capture_on_commit_callbacks(execute=True):
        page.get_latest_revision().publish()
    mail.outbox.clear()

    with django_capture_on_commit_callbacks(execute=True):
        late = report("Uống nước chanh nóng có chữa khỏi Covid không?", contact="late@example.org")

    assert late.claim_id == claim.pk
    assert Notification.objects.get(tip=late).status == NotificationStatus.SENT
    assert mail.outbox[0].to == ["late@example.org"]


def test_a_question_is_answered_on_the_qa_page(report, django_capture_on_commit_callbacks):
    tip = report("Người trên 65 tuổi tiêm ở đâu?", kind=TipKind.QUESTION, contact="ba@example.org")

    with django_capture_on_commit_callbacks(execute=True):
        question_answer_publish(claim=tip.claim, answer="Tại trạm y tế xã.")
        question_answer_publish(claim=tip.claim, answer="Tại trạm y tế xã, từ 7 giờ.")

    tip.claim.refresh_from_db()
    assert tip.claim.status == ClaimStatus.ANSWERED
    assert tip.claim.answer == "Tại trạm y tế xã, từ 7 giờ."
    assert len(mail.outbox) == 1
    assert "/hoi-dap/#q" in mail.outbox[0].body
    with pytest.raises(AnswerError):
        claim_rebuttal_create(claim=tip.claim)


def test_a_failing_mail_server_is_recorded(claim, settings, django_capture_on_commit_callbacks):
    settings.EMAIL_BACKEND = "tests.intake.failing_mail.Backend"
    page = claim_rebuttal_create(claim=claim)

    with django_capture_on_commit_callbacks(execute=True):
        page.get_latest_revision().publish()

    failed = Notification.objects.get(channel="email")
    assert failed.status == NotificationStatus.FAILED
    assert "refused" in failed.error
