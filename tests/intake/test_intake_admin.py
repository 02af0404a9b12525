"""The staff door and triage in the admin: scoped by organisation, actions by permission."""

from django.core import mail

from hub import permissions
from hub.intake.models import Claim, ClaimStatus, Tip, TipKind, TipSource
from hub.models import RebuttalPage
from tests.factories import OrganisationFactory, UserFactory

LEMON = "Uống nước chanh nóng chữa khỏi Covid"


def test_an_official_files_a_report_in_the_admin(client, organisation, regions):
    police = UserFactory(groups=[permissions.POLICE_REVIEWERS])
    client.force_login(police)
    assert client.get("/admin/intake/file-report/").status_code == 200

    response = client.post(
        "/admin/intake/file-report/",
        {
            "organisation": organisation.pk,
            "kind": TipKind.RUMOUR,
            "text": "Tin nhắn giả danh ngân hàng phát tiền hỗ trợ dịch, bấm link để nhận",
            "seen_where": "Tổ công tác phường Him Lam",
            "region": regions["city"].pk,
        },
    )

    tip = Tip.objects.get()
    assert response.status_code == 302
    assert response["Location"] == f"/admin/intake/triage/{tip.claim_id}/"
    assert (tip.source, tip.reported_by, tip.organisation) == (TipSource.STAFF, police, organisation)


def test_people_without_the_permission_cannot_file_or_triage(client, organisation, report):
    claim = report(LEMON).claim
    client.force_login(UserFactory(groups=[permissions.CHANNEL_MANAGERS]))

    for url in ("/admin/intake/file-report/", f"/admin/intake/triage/{claim.pk}/"):
        response = client.get(url)
        assert (response.status_code, response["Location"]) == (302, "/admin/")  # Wagtail's "no permission"


def test_triage_is_scoped_by_organisation(client, organisation, report, groups):
    other = OrganisationFactory()
    foreign = report(LEMON, organisation=other).claim
    own = report("Phong tỏa thành phố từ tối nay").claim
    outsider_group = groups[permissions.POLICE_REVIEWERS].__class__.objects.create(name="Công an huyện khác")
    outsider_group.permissions.set(groups[permissions.POLICE_REVIEWERS].permissions.all())
    other.groups.add(outsider_group)
    client.force_login(UserFactory(groups=["Công an huyện khác"]))

    assert client.get(f"/admin/intake/triage/{own.pk}/").status_code == 404
    assert client.get(f"/admin/intake/triage/{foreign.pk}/").status_code == 200
    listing = client.get("/admin/intake/claims/").content.decode()
    assert LEMON in listing and "Phong tỏa" not in listing


def test_claims_and_questions_have_their_own_queues(client, organisation, report):
    report(LEMON)
    report("Người trên 65 tuổi tiêm ở đâu?", kind=TipKind.QUESTION)
    client.force_login(UserFactory(groups=[permissions.EDITORS]))

    claims = client.get("/admin/intake/claims/").content.decode()
    questions = client.get("/admin/intake/questions/").content.decode()

    assert LEMON in claims and "65 tuổi" not in claims
    assert "65 tuổi" in questions and LEMON not in questions


def test_the_reviewer_changes_the_status_and_it_is_logged(client, organisation, report):
    claim = report(LEMON).claim
    client.force_login(UserFactory(groups=[permissions.HEALTH_REVIEWERS]))

    response = client.post(
        f"/admin/intake/claims/edit/{claim.pk}/",
        {"title": claim.title, "text": claim.text, "status": ClaimStatus.VERIFYING, "topic": claim.topic},
    )

    assert response.status_code == 302
    claim.refresh_from_db()
    assert claim.status == ClaimStatus.VERIFYING
    history = client.get(f"/admin/intake/claims/history/{claim.pk}/")
    assert history.status_code == 200


def test_the_office_creates_the_rebuttal_from_the_triage_page(client, organisation, report, story_index):
    claim = report(LEMON).claim
    client.force_login(UserFactory(groups=[permissions.EDITORS]))

    response = client.post(f"/admin/intake/triage/{claim.pk}/rebuttal/")

    page = RebuttalPage.objects.get()
    assert response.status_code == 302
    assert response["Location"] == f"/admin/pages/{page.pk}/edit/"
    claim.refresh_from_db()
    assert claim.rebuttal_id == page.pk


def test_merge_and_split_from_the_triage_page(client, organisation, report):
    lemon = report(LEMON)
    fee = report("Thu phí tiêm vắc-xin 500 nghìn mỗi mũi")
    client.force_login(UserFactory(groups=[permissions.EDITORS]))

    client.post(f"/admin/intake/triage/{lemon.claim_id}/merge/", {"merge": [fee.claim_id]})
    assert Claim.objects.count() == 1
    response = client.post(f"/admin/intake/triage/{lemon.claim_id}/split/", {"tips": [fee.pk]})

    assert Claim.objects.count() == 2
    fee.refresh_from_db()
    assert response["Location"] == f"/admin/intake/triage/{fee.claim_id}/"


def test_a_question_answer_is_published_from_the_faq_queue(client, organisation, report):
    tip = report("Người trên 65 tuổi tiêm ở đâu?", kind=TipKind.QUESTION, contact="ba@example.org")
    client.force_login(UserFactory(groups=[permissions.EDITORS]))

    with_answer = client.post(f"/admin/intake/triage/{tip.claim_id}/answer/", {"answer": "Trạm y tế xã."})

    assert with_answer.status_code == 302
    assert "Trạm y tế xã." in client.get("/hoi-dap/").content.decode()
    assert len(mail.outbox) <= 1  # sent on commit by the queue
    assert tip.claim.notifications.count() == 1


def test_the_dashboard_shows_the_intake_figures(client, organisation, report):
    report(LEMON)
    client.force_login(UserFactory(groups=[permissions.EDITORS]))

    response = client.get("/admin/")

    assert 'id="intake-figures-section"' in response.content.decode()
