import datetime
import hashlib

import factory
from django.core.files.base import ContentFile
from django.utils import timezone

from channels.loudspeaker.models import AudioSource, AudioStatus, Bulletin, Station, StationKind
from tests.factories.organisations import OrganisationFactory
from tests.factories.regions import RegionFactory


def fake_mp3(seed: str, size: int = 40_000) -> bytes:
    """Bytes standing in for an MP3 where only the bytes matter (the feed never decodes them)."""
    block = hashlib.sha256(seed.encode()).digest()
    return (b"ID3\x04\x00\x00\x00\x00\x00\x00" + block * (size // len(block) + 1))[:size]


class StationFactory(factory.django.DjangoModelFactory):
    code = factory.Sequence(lambda n: f"tram-{n}")
    name = factory.Sequence(lambda n: f"Đài truyền thanh xã số {n}")
    kind = StationKind.IP_CLUSTER
    organisation = factory.SubFactory(OrganisationFactory)
    region = factory.SubFactory(RegionFactory)
    slots = "06:00, 17:30"
    languages = "vi"

    class Meta:
        model = Station


class BulletinFactory(factory.django.DjangoModelFactory):
    """A bulletin for the whole province with its audio ready, unless `regions=[...]` or `audio=False`."""

    marker = factory.Sequence(lambda n: f"hub-test-{n}:vi")
    language = "vi"
    title = factory.Sequence(lambda n: f"Thông báo lịch tiêm vắc-xin số {n}")
    script = "Trạm y tế xã thông báo lịch tiêm vắc-xin mũi nhắc lại cho người dân từ mười tám tuổi trở lên."
    priority = "normal"
    everywhere = True
    valid_from = factory.LazyFunction(lambda: timezone.now() - datetime.timedelta(hours=1))
    valid_until = factory.LazyFunction(lambda: timezone.now() + datetime.timedelta(days=2))
    published_at = factory.LazyAttribute(lambda o: o.valid_from)

    class Meta:
        model = Bulletin
        skip_postgeneration_save = True

    @factory.post_generation
    def audio(self, create, extracted, **kwargs):
        if not create or extracted is False:
            return
        data = extracted if isinstance(extracted, bytes) else fake_mp3(self.marker)
        self.audio.save(f"test-{self.pk}.mp3", ContentFile(data), save=False)
        self.audio_bytes = len(data)
        self.audio_sha256 = hashlib.sha256(data).hexdigest()
        self.audio_duration_s = 12
        self.audio_status = AudioStatus.READY
        self.audio_source = AudioSource.SYNTHESIS
        self.save()

    @factory.post_generation
    def regions(self, create, extracted, **kwargs):
        if create and extracted:
            self.everywhere = False
            self.save()
            self.regions.set(extracted)
