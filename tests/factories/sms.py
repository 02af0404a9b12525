"""Factories for the SMS partner feed: partners, keys, publications and feed entries."""

import datetime

import factory
from django.utils import timezone

from channels.sms import feed
from channels.sms.adapter import FEED_TARGET, SmsFeedAdapter
from channels.sms.coverage import organisation_path
from channels.sms.keys import key_create
from channels.sms.models import Partner
from channels.sms.partners import partner_refresh_coverage
from publishing.models import Publication
from tests.factories.organisations import default_organisation


class PartnerFactory(factory.django.DjangoModelFactory):
    organisation = factory.LazyFunction(default_organisation)
    name = factory.Sequence(lambda n: f"Nhà mạng {n}")
    contact_name = "Nguyễn Văn An"
    contact_email = factory.Sequence(lambda n: f"noc{n}@partner.example")

    class Meta:
        model = Partner
        skip_postgeneration_save = True

    @factory.post_generation
    def coverage(self, create, extracted, **kwargs):
        """`PartnerFactory(coverage=[region, ...])`."""
        if create and extracted:
            self.coverage.set(extracted)
            partner_refresh_coverage(partner=self)


def partner_key(partner: Partner, **kwargs) -> str:
    """A new clear key for `partner`."""
    return key_create(partner=partner, **kwargs)[1]


class PublicationFactory(factory.django.DjangoModelFactory):
    organisation = factory.LazyFunction(default_organisation)
    kind = "situation"
    title = factory.Sequence(lambda n: f"Thông báo số {n}")
    url = factory.Sequence(lambda n: f"https://portal.example/tin/{n}/")
    sms_text = "Sở Y tế Điện Biên: người dân thực hiện 5K, đi tiêm vắc-xin đủ liều."
    phase = "new_normal"
    priority = "urgent"
    valid_from = factory.LazyFunction(timezone.now)
    valid_until = factory.LazyFunction(lambda: timezone.now() + datetime.timedelta(days=3))
    published_at = factory.LazyFunction(timezone.now)

    class Meta:
        model = Publication
        skip_postgeneration_save = True

    @factory.post_generation
    def regions(self, create, extracted, **kwargs):
        if create and extracted:
            self.regions.set(extracted)


def publish_sms(publication: Publication, *, marker: str | None = None):
    """Renders and appends a publication as the pipeline does; returns the feed entry's id."""
    adapter = SmsFeedAdapter("sms", {})
    payload = adapter.render(publication, FEED_TARGET)
    return adapter.send(
        payload, target=FEED_TARGET.key, marker=marker or f"test-{publication.pk}"
    ).external_id


def message_payload(
    *, regions=(), text="Tiêm vắc-xin đủ liều.", valid_until=None, priority="normal", organisation=None
) -> dict:
    """A rendered payload for `feed.append_message`, without a Publication (of the default organisation)."""
    until = valid_until or timezone.now() + datetime.timedelta(days=2)
    owner = (organisation or default_organisation()).pk
    return {
        "text": text,
        "text_ascii": text,
        "encoding": "UCS-2",
        "segments": 1,
        "encoding_ascii": "GSM-7",
        "segments_ascii": 1,
        "priority": priority,
        "regions": [region.code for region in regions],
        "region_paths": [organisation_path(owner, region.path) for region in regions]
        or [organisation_path(owner)],
        "valid_from": timezone.now().isoformat(),
        "valid_until": until.isoformat(),
        "url": "https://portal.example/tin/1/",
    }


def append(**kwargs):
    return feed.append_message(payload=message_payload(**kwargs))
