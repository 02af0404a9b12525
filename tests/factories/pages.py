import datetime

import factory
import wagtail_factories
from django.utils import timezone

from hub import models

# What the story form posts for the alert (CAP) fields when nobody changes them.
ALERT_FORM_DEFAULTS = {
    "alert_category": "Health",
    "alert_urgency": "Expected",
    "alert_severity": "Moderate",
    "alert_certainty": "Likely",
}


class HomePageFactory(wagtail_factories.PageFactory):
    title = "Trang chủ"
    intro = "Thông tin chính thống về phòng, chống dịch."

    class Meta:
        model = models.HomePage


class StoryIndexPageFactory(wagtail_factories.PageFactory):
    title = factory.Sequence(lambda n: f"Chuyên mục {n}")

    class Meta:
        model = models.StoryIndexPage


class StoryPageFactory(wagtail_factories.PageFactory):
    title = factory.Sequence(lambda n: f"Tin số {n}: người dân thực hiện tốt thông điệp 5K")
    summary = "Người dân trong tỉnh tiếp tục thực hiện nghiêm thông điệp 5K và tiêm vắc-xin đầy đủ."
    channels = factory.LazyFunction(lambda: ["facebook", "x", "sms", "led"])

    class Meta:
        abstract = True


class GoodExamplePageFactory(StoryPageFactory):
    honoree = "Bà Lò Thị Hoa"
    locality = "Xã Thanh Minh, thành phố Điện Biên Phủ"
    achievement = "Vận động 120 hộ gia đình đi tiêm vắc-xin đủ liều."

    class Meta:
        model = models.GoodExamplePage


class VaccinationPageFactory(StoryPageFactory):
    campaign = "Chiến dịch tiêm vắc-xin mùa thu"
    starts_on = factory.LazyFunction(lambda: timezone.localdate())
    ends_on = factory.LazyFunction(lambda: timezone.localdate() + datetime.timedelta(days=14))
    eligible_groups = "Người từ 18 tuổi trở lên"

    class Meta:
        model = models.VaccinationPage


class RebuttalPageFactory(StoryPageFactory):
    claim = "Uống nước chanh nóng chữa khỏi bệnh."
    claim_appeared_in = "Một nhóm Zalo"
    claim_appeared_on = factory.LazyFunction(lambda: timezone.localdate())
    verdict = models.Verdict.FALSE
    evidence = "<p>Sở Y tế khẳng định không có cơ sở khoa học.</p>"

    class Meta:
        model = models.RebuttalPage


class DirectivePageFactory(StoryPageFactory):
    document_number = factory.Sequence(lambda n: f"{n + 1}/CT-UBND")
    issued_on = factory.LazyFunction(lambda: timezone.localdate())
    issuing_body = "Ủy ban nhân dân tỉnh Điện Biên"

    class Meta:
        model = models.DirectivePage


class SituationPageFactory(StoryPageFactory):
    as_of = factory.LazyFunction(timezone.now)

    class Meta:
        model = models.SituationPage
