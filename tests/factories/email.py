import factory
from django.utils import timezone

from channels.email.models import ListKind, Recipient, RecipientList
from tests.factories.organisations import OrganisationFactory


class RecipientListFactory(factory.django.DjangoModelFactory):
    organisation = factory.SubFactory(OrganisationFactory)
    name = factory.Sequence(lambda n: f"Các sở, ngành {n}")
    kind = ListKind.DEPARTMENT

    class Meta:
        model = RecipientList
        skip_postgeneration_save = True

    @factory.post_generation
    def regions(self, create, extracted, **kwargs):
        if create and extracted:
            self.regions.set(extracted)


class RecipientFactory(factory.django.DjangoModelFactory):
    recipient_list = factory.SubFactory(RecipientListFactory)
    organisation = factory.LazyAttribute(lambda o: o.recipient_list.organisation)
    email = factory.Sequence(lambda n: f"vanthu{n}@dienbien.example.gov.vn")
    name = factory.Sequence(lambda n: f"Văn thư {n}")
    language = "vi"
    confirmed_at = factory.LazyFunction(timezone.now)

    class Meta:
        model = Recipient
