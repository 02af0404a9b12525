import factory

from publishing.reports.models import ReportRecipient


class ReportRecipientFactory(factory.django.DjangoModelFactory):
    name = "Văn phòng Sở"
    email = factory.Sequence(lambda n: f"vanphong{n}@dienbien.example")

    class Meta:
        model = ReportRecipient
