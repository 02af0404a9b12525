"""The loudspeaker channel in several languages: a translated story is a bulletin of its own
language with its own script; the stations' languages decide who gets it; a language without a
synthesis voice (Thái, H'Mông) and without a recording is served as a script, never spoken with
another language's voice."""

import subprocess

import pytest
from django.core.files.base import ContentFile
from wagtail.documents.models import Document

from channels.loudspeaker.models import AudioSource, AudioStatus, Bulletin
from media import audio
from publishing.models import Publication
from tests.factories import GoodExamplePageFactory
from tests.factories.loudspeaker import StationFactory

SCHEDULE = "/api/loudspeaker/v1/stations/{code}/schedule.json"
needs_tools = pytest.mark.skipif(audio.tools_missing(), reason="ffmpeg, lame or espeak-ng not installed")
SCRIPT_VI = "Trạm y tế xã tiêm vắc-xin mũi nhắc lại cho người từ mười tám tuổi."
SCRIPT_HMN = "Tsev kho mob hauv zos txhaj tshuaj tiv thaiv rau cov neeg muaj kaum yim xyoo."  # sample
SCRIPT_EN = "The commune health station gives booster shots to everyone aged eighteen and over."


@pytest.fixture
def channels(settings):
    settings.HUB_CHANNELS = {
        "portal": {"BACKEND": "channels.portal.PortalAdapter"},
        "loudspeaker": {"BACKEND": "channels.loudspeaker.adapter.LoudspeakerFeedAdapter"},
    }


@pytest.fixture
def stations(regions, organisation):
    """Three stations in Thanh Xương commune: Vietnamese only, Vietnamese then H'Mông, H'Mông then
    Vietnamese. The commune's region lists no language (Vietnamese): the stations decide."""
    made = {}
    for code, languages in (("chi-viet", "vi"), ("viet-hmong", "vi, hmn"), ("hmong-viet", "hmn, vi")):
        station = StationFactory(
            code=code, region=regions["commune"], organisation=organisation, languages=languages
        )
        station.secret = station.issue_token()[1]
        made[code] = station
    return made


def schedule(client, station) -> list[dict]:
    response = client.get(SCHEDULE.format(code=station.code), HTTP_AUTHORIZATION=f"Bearer {station.secret}")
    assert response.status_code == 200
    return response.json()["items"]


def publish(page, capture):
    with capture(execute=True):
        revision = page.save_revision()
        revision.publish()
    return Publication.objects.get(revision=revision)


def story_and_translation(
    story_index, locales, regions, capture, *, language="hmn", script=SCRIPT_HMN, **fields
):
    source = GoodExamplePageFactory(
        parent=story_index,
        title="Tiêm mũi nhắc lại",
        summary="Từ 6h30 ngày 23/11 tại 3 điểm tiêm.",
        channels=["loudspeaker"],
        loudspeaker_text=SCRIPT_VI,
        regions=[regions["district"]],
    )
    publish(source, capture)
    translation = source.copy_for_translation(locales[language]).specific
    translation.title = fields.pop("title", "Txhaj tshuaj zaum peb")
    translation.loudspeaker_text = script
    for name, value in fields.items():
        setattr(translation, name, value)
    return source, translation, publish(translation, capture)


@needs_tools
def test_a_translation_is_a_bulletin_in_its_language_for_the_stations_that_take_it(
    client, channels, locales, story_index, regions, stations, django_capture_on_commit_callbacks
):
    _source, translation, publication = story_and_translation(
        story_index, locales, regions, django_capture_on_commit_callbacks
    )

    assert publication.language == "hmn" and publication.loudspeaker_text == SCRIPT_HMN
    assert publication.deliveries.get(channel="loudspeaker").status == "sent"
    hmong = Bulletin.objects.get(language="hmn")
    assert hmong.script == SCRIPT_HMN and hmong.title == translation.title
    assert [item["language"] for item in schedule(client, stations["chi-viet"])] == ["vi"]
    assert [item["language"] for item in schedule(client, stations["viet-hmong"])] == ["vi", "hmn"]
    assert [item["language"] for item in schedule(client, stations["hmong-viet"])] == ["hmn", "vi"]


@needs_tools
def test_hmong_without_a_recording_is_served_as_its_script_without_synthesised_audio(
    client, channels, locales, story_index, regions, stations, django_capture_on_commit_callbacks, monkeypatch
):
    spoken = []
    synthesise = audio.synthesise_mp3
    monkeypatch.setattr(
        audio, "synthesise_mp3", lambda text, **kw: spoken.append(kw) or synthesise(text, **kw)
    )

    story_and_translation(story_index, locales, regions, django_capture_on_commit_callbacks)

    hmong = Bulletin.objects.get(language="hmn")
    assert hmong.audio_status == AudioStatus.SCRIPT_ONLY and not hmong.audio and hmong.audio_sha256 == ""
    assert spoken == [{"speed_wpm": spoken[0]["speed_wpm"], "voice": "vi"}]  # the Vietnamese one only
    station = stations["hmong-viet"]
    item = schedule(client, station)[0]
    assert item["language"] == "hmn" and item["audio"] is None
    auth = {"HTTP_AUTHORIZATION": f"Bearer {station.secret}"}
    script = client.get(item["script"], **auth)
    assert script.status_code == 200 and script.content.decode() == SCRIPT_HMN + "\n"
    missing = client.get(f"/api/loudspeaker/v1/stations/{station.code}/audio/{item['id']}.mp3", **auth)
    assert missing.status_code == 404 and missing.json()["error"]["code"] == "not_found"
    played = client.post(
        f"/api/loudspeaker/v1/stations/{station.code}/plays",
        {"plays": [{"item": item["id"], "played_at": "2026-12-02T06:00:00+07:00", "status": "played"}]},
        content_type="application/json",
        **auth,
    )
    assert played.json() == {"accepted": 1, "duplicates": 0, "unknown": 0}  # an announcer read it


@needs_tools
def test_english_is_synthesised_with_the_english_voice(
    client, channels, locales, story_index, regions, organisation, django_capture_on_commit_callbacks
):
    station = StationFactory(region=regions["commune"], organisation=organisation, languages="en")
    station.secret = station.issue_token()[1]

    story_and_translation(
        story_index, locales, regions, django_capture_on_commit_callbacks, language="en", script=SCRIPT_EN
    )

    english = Bulletin.objects.get(language="en")
    assert english.audio_status == AudioStatus.READY and english.audio_source == AudioSource.SYNTHESIS
    [item] = schedule(client, station)
    assert item["language"] == "en" and item["audio"]["sha256"] == english.audio_sha256


@needs_tools
def test_a_recording_uploaded_for_the_hmong_translation_is_its_audio(
    client, channels, locales, story_index, regions, stations, tmp_path, django_capture_on_commit_callbacks
):
    wav = tmp_path / "hmong.wav"
    subprocess.run(
        ["ffmpeg", "-v", "error", "-f", "lavfi", "-i", "sine=frequency=300:duration=2", "-y", str(wav)],
        check=True,
    )
    recording = Document.objects.create(
        title="Suab H'Mông", file=ContentFile(wav.read_bytes(), name="hmong.wav")
    )

    story_and_translation(
        story_index, locales, regions, django_capture_on_commit_callbacks, loudspeaker_recording=recording
    )

    hmong = Bulletin.objects.get(language="hmn")
    assert hmong.audio_status == AudioStatus.READY and hmong.audio_source == AudioSource.RECORDING
    assert schedule(client, stations["hmong-viet"])[0]["audio"]["duration_s"] == 2


@needs_tools
def test_a_new_translation_does_not_inherit_the_vietnamese_recording(locales, story_index, tmp_path):
    wav = tmp_path / "tieng-viet.wav"
    subprocess.run(
        ["ffmpeg", "-v", "error", "-f", "lavfi", "-i", "sine=frequency=300:duration=2", "-y", str(wav)],
        check=True,
    )
    recording = Document.objects.create(
        title="Ghi âm tiếng Việt", file=ContentFile(wav.read_bytes(), name="vi.wav")
    )
    source = GoodExamplePageFactory(parent=story_index, loudspeaker_recording=recording)
    source.save_revision()

    translation = source.copy_for_translation(locales["blt"]).specific

    assert translation.loudspeaker_recording is None
    assert type(translation).objects.get(pk=translation.pk).loudspeaker_recording is None
    assert translation.get_latest_revision_as_object().loudspeaker_recording is None
    source.refresh_from_db()
    assert source.loudspeaker_recording == recording


def test_a_derived_script_keeps_figures_outside_vietnamese(locales, story_index):
    source = GoodExamplePageFactory(
        parent=story_index,
        title="Tiêm mũi 3",
        summary="Từ 6h30 ngày 23/11, xem https://soyte.dienbien.gov.vn/lich",
    )
    translation = source.copy_for_translation(locales["hmn"]).specific
    translation.title, translation.summary = (
        "Txhaj koob 3",
        "Pib 6h30 hnub 23/11, saib https://soyte.dienbien.gov.vn/lich",
    )
    translation.loudspeaker_text = ""

    assert "sáu giờ" in source.loudspeaker_variant  # Vietnamese numbers in words
    assert translation.loudspeaker_variant == "Txhaj koob 3. Pib 6h30 hnub 23/11, saib"


def test_the_preview_of_a_hmong_translation_says_its_script_is_read_by_an_announcer(rf, locales, story_index):
    from tests.factories import UserFactory

    source = GoodExamplePageFactory(parent=story_index)
    translation = source.copy_for_translation(locales["hmn"]).specific
    translation.loudspeaker_text = SCRIPT_HMN
    request = rf.get("/")
    request.user = UserFactory(is_superuser=True)

    hmong = translation.make_preview_request(request, "loudspeaker")
    vietnamese = source.make_preview_request(request, "loudspeaker")

    hmong_text = hmong.rendered_content if hasattr(hmong, "rendered_content") else hmong.content.decode()
    assert SCRIPT_HMN in hmong_text and 'data-loudspeaker="script-only"' in hmong_text
    assert 'data-loudspeaker="script-only"' not in (
        vietnamese.rendered_content
        if hasattr(vietnamese, "rendered_content")
        else vietnamese.content.decode()
    )
