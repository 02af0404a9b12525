import factory

from hub.models import Organisation, OrganisationKind


class OrganisationFactory(factory.django.DjangoModelFactory):
    name = factory.Sequence(lambda n: f"Ủy ban nhân dân thử nghiệm {n}")
    slug = factory.Sequence(lambda n: f"to-chuc-{n}")
    kind = OrganisationKind.PROVINCE

    class Meta:
        model = Organisation
        skip_postgeneration_save = True

    @factory.post_generation
    def groups(self, create, extracted, **kwargs):
        """`OrganisationFactory(groups=[group, …])` makes the members of those groups its people."""
        if create and extracted:
            self.groups.add(*extracted)
