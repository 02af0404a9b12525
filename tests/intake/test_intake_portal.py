"""The public door: the report form on the portal, its honeypot and flood limits, and the Q&A page."""

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from PIL import Image

from hub.intake.models import Claim, Contact, Tip, TipKind, TipSource

FORM = "/bao-tin/"


def _png() -> SimpleUploadedFile:
    buffer = io.BytesIO()
    Image.new("RGB", (60, 120), (200, 30, 30)).save(buffer, format="PNG")
    return SimpleUploadedFile("chup-man-hinh.png", buffer.getvalue(), content_type="image/png")


def test_the_form_is_a_plain_html_form_that_needs_no_javascript(client, organisation):
    response = client.get(FORM)

    assert response.status_code == 200
    html = response.content.decode()
    assert 'enctype="multipart/form-data"' in html
    assert 'name="csrfmiddlewaretoken"' in html
    for name in (
        "kind",
        "text",
        "link",
        "screenshot",
        "seen_where",
        "seen_on",
        "region",
        "contact",
        "website",
    ):
        assert f'name="{name}"' in html
    assert "<script" not in html.split("<main", 1)[1]
    assert response["Cache-Control"].startswith("max-age=0")


def test_a_citizen_reports_a_rumour_with_a_screenshot_and_a_contact(client, organisation, regions):
    response = client.post(
        FORM,
        {
            "kind": TipKind.RUMOUR,
            "text": "Nghe nói uống nước chanh nóng chữa khỏi Covid",
            "link": "facebook.com/groups/abc/posts/9",
            "screenshot": _png(),
            "seen_where": "Nhóm Zalo của bản",
            "seen_on": "2026-11-30",
            "region": regions["city"].pk,
            "contact": "0912 345 678",
            "website": "",
        },
    )

    assert response.status_code == 302
    assert response["Location"] == reverse("intake_report_thanks")
    tip = Tip.objects.get()
    assert (tip.source, tip.organisation, tip.region) == (TipSource.PORTAL, organisation, regions["city"])
    assert tip.link == "https://facebook.com/groups/abc/posts/9"
    assert tip.seen_on.isoformat() == "2026-11-30"
    assert tip.screenshot and tip.image_hash
    assert tip.claim.tip_count == 1
    contact = Contact.objects.get()
    assert (contact.tip, contact.value, contact.kind) == (tip, "+84912345678", "phone")
    assert client.get(response["Location"]).status_code == 200


def test_the_honeypot_looks_successful_and_stores_nothing(client, organisation):
    response = client.post(
        FORM, {"kind": "rumour", "text": "Mua thuốc giá rẻ tại đây", "website": "http://spam"}
    )

    assert response.status_code == 302
    assert not Tip.objects.exists()


@pytest.mark.parametrize(
    ("fields", "error_field"),
    [
        ({"text": "a"}, "text"),
        ({"contact": "không phải số"}, "contact"),
        ({"contact": "abc@"}, "contact"),
        ({"seen_on": "hôm qua"}, "seen_on"),
        (
            {
                "screenshot": SimpleUploadedFile(
                    "virus.png", b"MZ\x90\x00 not an image", content_type="image/png"
                )
            },
            "screenshot",
        ),
        (
            {
                "screenshot": SimpleUploadedFile(
                    "script.html", b"<script>alert(1)</script>", content_type="text/html"
                )
            },
            "screenshot",
        ),
    ],
)
def test_bad_input_is_refused_with_the_form_again(client, organisation, fields, error_field):
    data = {"kind": "rumour", "text": "Tin đồn phong tỏa thành phố", **fields}

    response = client.post(FORM, data)

    assert response.status_code == 400
    assert error_field in response.context["form"].errors
    assert not Tip.objects.exists()


def test_too_many_reports_from_one_address_are_refused(client, organisation, settings):
    settings.INTAKE_RATE_PER_ADDRESS = 3
    statuses = [
        client.post(
            FORM, {"kind": "rumour", "text": f"Tin đồn số {n} về chợ"}, REMOTE_ADDR="203.0.113.7"
        ).status_code
        for n in range(5)
    ]

    assert statuses == [302, 302, 302, 429, 429]
    assert Tip.objects.count() == 3
    other = client.post(FORM, {"kind": "rumour", "text": "Tin đồn khác về chợ"}, REMOTE_ADDR="203.0.113.8")
    assert other.status_code == 302


def test_too_many_reports_from_one_contact_are_refused(client, organisation, settings):
    settings.INTAKE_RATE_PER_CONTACT = 2
    statuses = [
        client.post(
            FORM,
            {"kind": "rumour", "text": f"Tin đồn số {n} về chợ", "contact": "0912 000 111"},
            REMOTE_ADDR=f"203.0.113.{n}",
        ).status_code
        for n in range(3)
    ]

    assert statuses == [302, 302, 429]
    assert Tip.objects.count() == 2


def test_a_portal_without_organisation_has_no_form(client, home):
    from hub.models import Organisation

    Organisation.objects.update(site=None)

    assert client.get(FORM).status_code == 404


def test_the_qa_page_shows_answers_never_who_asked(client, organisation, report):
    from hub.intake.answers import question_answer_publish

    tip = report("Người trên 65 tuổi tiêm ở đâu?", kind=TipKind.QUESTION, contact="ba.lan@example.org")
    question_answer_publish(claim=tip.claim, answer="Tại trạm y tế xã, sáng thứ bảy.")
    report("Câu hỏi chưa trả lời về xe khách", kind=TipKind.QUESTION)

    response = client.get("/hoi-dap/")

    html = response.content.decode()
    assert response.status_code == 200
    assert "Tại trạm y tế xã, sáng thứ bảy." in html
    assert f'id="q{tip.claim_id}"' in html
    assert "xe khách" not in html
    assert "ba.lan" not in html
    assert Claim.objects.get(pk=tip.claim_id).status == "answered"
