import datetime

import factory
from django.utils import timezone

from channels.social.models import ChannelAccount, Network
from publishing.models import Publication
from tests.factories.organisations import default_organisation


class ChannelAccountFactory(factory.django.DjangoModelFactory):
    """A sandbox account unless `token_env` (and for X OAuth 1.0a the other names) are given."""

    organisation = factory.LazyFunction(default_organisation)

    network = Network.FACEBOOK
    name = factory.Sequence(lambda n: f"Trang thử nghiệm {n}")
    handle = factory.Sequence(lambda n: f"trangthu{n}")
    account_id = factory.Sequence(lambda n: f"{100000000000100 + n}")

    class Meta:
        model = ChannelAccount
        skip_postgeneration_save = True

    @factory.post_generation
    def regions(self, create, extracted, **kwargs):
        if create and extracted:
            self.regions.set(extracted)


class SocialPublicationFactory(factory.django.DjangoModelFactory):
    """A frozen publication, without the page machinery, for adapter tests."""

    organisation = factory.LazyFunction(default_organisation)

    kind = "situation"
    title = "Điện Biên: 95% người từ 18 tuổi đã tiêm đủ liều vắc-xin"
    summary = "Sở Y tế thông tin kết quả chiến dịch tiêm chủng mùa thu."
    url = factory.Sequence(lambda n: f"https://dienbien.example.gov.vn/tin-tuc/ket-qua-tiem-chung-{n}/")
    social_text = "Điện Biên: 95% người từ 18 tuổi đã tiêm đủ liều vắc-xin. Cảm ơn bà con đã chung tay! 💉"
    phase = "new_normal"
    valid_from = factory.LazyFunction(timezone.now)
    valid_until = factory.LazyFunction(lambda: timezone.now() + datetime.timedelta(days=3))
    published_at = factory.LazyFunction(timezone.now)
    channels = factory.LazyFunction(lambda: ["facebook", "x"])

    class Meta:
        model = Publication
        skip_postgeneration_save = True

    @factory.post_generation
    def regions(self, create, extracted, **kwargs):
        if create and extracted:
            self.regions.set(extracted)
