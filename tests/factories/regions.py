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
        skip_postgeneration_save = True

    @factory.post_generation
    def for_the_default_organisation(self, create, extracted, **kwargs):
        """The first top region becomes the region tree of the tests' one organisation."""
        if create and self.parent_id is None:
            from tests.factories.organisations import default_organisation

            default_organisation()
