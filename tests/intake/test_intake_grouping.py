"""Reports grouped into claims: wording, diacritics, links and pictures; merge, split, priority, audit."""

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image, ImageDraw
from wagtail.models import ModelLogEntry

from hub import permissions
from hub.intake import matching, services
from hub.intake.models import Claim, ClaimTopic, TipKind
from tests.factories import OrganisationFactory

LEMON = [
    "Nghe nói uống nước chanh nóng chữa khỏi Covid-19, có đúng không?",
    "nuoc chanh nong co the chua khoi benh covid",
    "Mọi người ơi, chữa Covid bằng cách uống nước chanh pha nước nóng!!!",
    "CANH BAO: uong nuoc chanh nongg chua khoi Covid 19",
]
VACCINE_FEE = "Nhà nước thu phí tiêm vắc-xin 500 nghìn đồng mỗi mũi"
LOCKDOWN = "Tỉnh Điện Biên phong tỏa toàn bộ thành phố từ tối nay"


def test_the_same_claim_in_other_words_and_without_diacritics_is_one_claim(report):
    tips = [report(text) for text in LEMON]

    assert len({tip.claim_id for tip in tips}) == 1
    claim = Claim.objects.get()
    assert claim.tip_count == 4
    assert claim.title == LEMON[0]


def test_different_claims_stay_apart(report):
    lemon = report(LEMON[0])
    fee = report(VACCINE_FEE)
    lockdown = report(LOCKDOWN)
    salt = report("Súc miệng nước muối diệt hết virus trong họng")
    five_g = report("Sóng 5G làm lây lan virus corona")

    assert len({tip.claim_id for tip in (lemon, fee, lockdown, salt, five_g)}) == 5


def test_the_same_link_joins_the_claim_whatever_the_words(report):
    first = report("Xem bài này", link="https://www.facebook.com/groups/db/posts/1?fbclid=abc")
    second = report("Có ai kiểm tra tin này chưa? https://m.facebook.com/groups/db/posts/1/")

    assert first.claim_id == second.claim_id
    assert first.link_key == "facebook.com/groups/db/posts/1"


def _screenshot(shade: int, name="chup.png", size=(320, 640), layout=0) -> SimpleUploadedFile:
    """A phone screenshot of two coloured blocks, drawn at any size (a re-shared, resized copy)."""
    width, height = size
    image = Image.new("RGB", (320, 640), (250, 250, 250))
    draw = ImageDraw.Draw(image)
    if layout == 0:
        draw.rectangle([20, 40, 300, 200], fill=(shade, 30, 30))
        draw.rectangle([20, 300, 150, 600], fill=(30, 30, shade))
    else:
        draw.rectangle([160, 20, 310, 620], fill=(30, shade, 30))
    image = image.resize((width, height))
    buffer = io.BytesIO()
    image.save(buffer, format="PNG")
    return SimpleUploadedFile(name, buffer.getvalue(), content_type="image/png")


def test_the_same_screenshot_joins_the_claim(report):
    first = report("Ảnh chụp tin nhắn lạ", screenshot=_screenshot(200))
    second = report("Tin này có thật không", screenshot=_screenshot(205, name="anh.png", size=(360, 720)))

    assert first.image_hash and second.image_hash
    assert matching.hash_distance(first.image_hash, second.image_hash) <= matching.IMAGE_DISTANCE
    assert first.claim_id == second.claim_id
    other = report("Một ảnh khác hẳn", screenshot=_screenshot(200, layout=1))
    assert other.claim_id != first.claim_id


def test_the_screenshot_is_stored_as_a_plain_jpeg(report):
    tip = report("Ảnh chụp", screenshot=_screenshot(120))

    with tip.screenshot.open("rb") as stored:
        assert stored.read(3) == b"\xff\xd8\xff"
    assert tip.screenshot.name.endswith(".jpg")


def test_questions_and_other_organisations_are_grouped_apart(report, organisation):
    other = OrganisationFactory()
    rumour = report(LEMON[0])
    question = report(LEMON[1], kind=TipKind.QUESTION)
    elsewhere = report(LEMON[1], organisation=other)

    assert len({rumour.claim_id, question.claim_id, elsewhere.claim_id}) == 3
    assert Claim.objects.get(pk=question.claim_id).kind == TipKind.QUESTION
    assert Claim.objects.get(pk=elsewhere.claim_id).organisation == other


def test_medical_claims_go_to_health_reviewers_and_others_to_police(report):
    lemon = report(LEMON[0]).claim
    lockdown = report(LOCKDOWN).claim

    assert lemon.topic == ClaimTopic.MEDICAL
    assert lemon.assigned_group.name == permissions.HEALTH_REVIEWERS
    assert lockdown.topic == ClaimTopic.FAKE_NEWS
    assert lockdown.assigned_group.name == permissions.POLICE_REVIEWERS


def test_priority_rises_with_reports_and_regions(report, regions, settings):
    settings.INTAKE_PRIORITY_PER_REGION = 3
    claim = report(LEMON[0], region_id=regions["city"].pk).claim
    assert claim.priority == 1 + 3

    report(LEMON[1], region_id=regions["city"].pk)
    claim.refresh_from_db()
    assert (claim.tip_count, claim.region_count, claim.priority) == (2, 1, 2 + 3)

    report(LEMON[2], region_id=regions["town"].pk)
    claim.refresh_from_db()
    assert (claim.tip_count, claim.region_count, claim.priority) == (3, 2, 3 + 6)


def test_merge_and_split_by_hand_are_logged(report):
    lemon = report(LEMON[0]).claim
    fee = report(VACCINE_FEE).claim

    services.claims_merge(target=lemon, others=[fee])
    assert list(Claim.objects.all()) == [lemon]
    lemon.refresh_from_db()
    assert lemon.tip_count == 2

    fee_tip = lemon.tips.get(text=VACCINE_FEE)
    new = services.claim_split(claim=lemon, tips=[fee_tip])
    lemon.refresh_from_db()
    assert (lemon.tip_count, new.tip_count) == (1, 1)
    assert new.tips.get() == fee_tip
    actions = set(ModelLogEntry.objects.filter(object_id=str(lemon.pk)).values_list("action", flat=True))
    assert {services.ACTION_CREATED, services.ACTION_MERGED, services.ACTION_SPLIT} <= actions


def test_a_split_claim_does_not_take_back_the_next_report_of_the_other(report):
    lemon = report(LEMON[0]).claim
    fee_tip = report(VACCINE_FEE)
    services.claims_merge(target=lemon, others=[fee_tip.claim])
    new = services.claim_split(claim=lemon, tips=[lemon.tips.get(pk=fee_tip.pk)])
    services.grouping_changed()  # on commit, which a test transaction never reaches

    assert report("Thu phí tiêm vắc xin 500 nghìn một mũi").claim_id == new.pk


def test_a_split_must_leave_reports_on_both_sides(report):
    claim = report(LEMON[0]).claim

    with pytest.raises(ValueError):
        services.claim_split(claim=claim, tips=list(claim.tips.all()))


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Tiêm VẮC-XIN gây vô sinh!!!", "tiem vacxin gay vo sinh"),
        ("Nghe nói virus corona lây qua 5G https://x.vn/a", "covid lay 5g"),
    ],
)
def test_normalize_folds_diacritics_links_and_filler(text, expected):
    assert matching.normalize(text) == expected
