import factory

from hub.models import Region, RegionLevel


class RegionFactory(factory.django.DjangoModelFactory):
    code = factory.Sequence(lambda n: f"{n + 100:05d}")
    name = factory.Sequence(lambda n: f"Xã Thử Nghiệm {n}")
    level = RegionLevel.PROVINCE
    parent = None

    class Meta:
        model = Region
        django_get_or_create = ("code",)
