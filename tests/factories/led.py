import datetime

import factory
from django.utils import timezone

from channels.led.models import PlaylistItem, Screen
from tests.factories.organisations import default_organisation
from tests.factories.regions import RegionFactory


class ScreenFactory(factory.django.DjangoModelFactory):
    organisation = factory.LazyFunction(default_organisation)
    code = factory.Sequence(lambda n: f"man-hinh-{n}")
    name = factory.Sequence(lambda n: f"Màn hình chợ số {n}")
    location = "Cổng chợ trung tâm"
    region = factory.SubFactory(RegionFactory)
    width = 192
    height = 96

    class Meta:
        model = Screen


class PlaylistItemFactory(factory.django.DjangoModelFactory):
    """An item for the whole province unless `regions=[...]` is given."""

    organisation = factory.LazyFunction(default_organisation)
    marker = factory.Sequence(lambda n: f"test-marker-{n}")
    text = factory.Sequence(lambda n: f"Tiêm vắc-xin đủ liều, thực hiện 5K – tin {n}")
    priority = "normal"
    duration_s = 10
    everywhere = True
    valid_from = factory.LazyFunction(lambda: timezone.now() - datetime.timedelta(hours=1))
    valid_until = factory.LazyFunction(lambda: timezone.now() + datetime.timedelta(days=2))

    class Meta:
        model = PlaylistItem
        skip_postgeneration_save = True

    @factory.post_generation
    def regions(self, create, extracted, **kwargs):
        if create and extracted:
            self.everywhere = False
            self.save()
            self.regions.set(extracted)
