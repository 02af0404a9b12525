"""Admin for Channel managers: stations scoped by organisation, tokens, offline warning, run sheet;
and the loudspeaker variant of a story: live counter, preview, refusal over the limits."""

import datetime
import subprocess

import pytest
from django.contrib.auth.models import Group
from django.core.files.base import ContentFile
from django.urls import reverse
from django.utils import timezone
from wagtail.documents.models import Document

from channels.loudspeaker.models import Station
from hub import permissions
from media import audio
from tests.factories import OrganisationFactory, UserFactory, VaccinationPageFactory
from tests.factories.loudspeaker import BulletinFactory, StationFactory


@pytest.fixture
def manager(organisation):
    """A Channel manager who works for the station's organisation."""
    group = Group.objects.create(name="Phòng kỹ thuật Sở")
    organisation.groups.add(group)
    return UserFactory(groups=[permissions.CHANNEL_MANAGERS, "Phòng kỹ thuật Sở"])


def test_channel_managers_list_only_their_organisations_stations(client, manager, station, regions):
    StationFactory(name="Đài của tỉnh khác", region=regions["other"], organisation=OrganisationFactory())
    client.force_login(manager)

    response = client.get("/admin/loudspeaker/stations/")

    assert response.status_code == 200
    assert "Truyền thanh xã Thanh Xương" in response.text and "Đài của tỉnh khác" not in response.text


def test_another_organisations_station_does_not_open(client, manager, regions):
    other = StationFactory(region=regions["other"], organisation=OrganisationFactory())
    client.force_login(manager)

    assert client.get(f"/admin/loudspeaker/stations/edit/{other.pk}/").status_code == 404
    assert client.get(reverse("loudspeaker_station_tokens", args=[other.pk])).status_code == 404
    assert client.get(reverse("loudspeaker_run_sheet", args=[other.pk])).status_code == 404


def test_adding_a_station_leads_to_its_tokens(client, manager, regions, organisation):
    client.force_login(manager)

    response = client.post(
        "/admin/loudspeaker/stations/new/",
        {
            "organisation": organisation.pk,
            "name": "Xe tuyên truyền lưu động huyện",
            "code": "xe-luu-dong-huyen",
            "kind": "vehicle",
            "region": regions["district"].pk,
            "slots": "07:00, 16:30",
            "languages": "vi, blt",
            "active": "on",
        },
    )

    station = Station.objects.get(code="xe-luu-dong-huyen")
    assert response.status_code == 302 and response["Location"] == reverse(
        "loudspeaker_station_tokens", args=[station.pk]
    )
    assert station.language_list == ["vi", "blt"] and [t.hour for t in station.slot_times] == [7, 16]


@pytest.mark.parametrize(("field", "value"), [("slots", "6 giờ"), ("languages", "tiếng Việt")])
def test_bad_slots_or_languages_are_refused(client, manager, regions, organisation, field, value):
    client.force_login(manager)
    data = {
        "organisation": organisation.pk,
        "name": "Đài xã",
        "code": "dai-xa",
        "kind": "radio_station",
        "region": regions["commune"].pk,
        "slots": "06:00",
        "languages": "vi",
        "active": "on",
    }
    data[field] = value

    response = client.post("/admin/loudspeaker/stations/new/", data)

    assert response.status_code == 200 and not Station.objects.filter(code="dai-xa").exists()


def test_a_new_token_is_shown_once_and_works(client, manager, station):
    client.force_login(manager)

    response = client.post(reverse("loudspeaker_station_tokens", args=[station.pk]), {"action": "create"})

    secret = response.context["new_secret"]
    assert "no-store" in response["Cache-Control"] and secret in response.text
    assert secret not in client.get(reverse("loudspeaker_station_tokens", args=[station.pk])).text
    client.logout()
    schedule = f"/api/loudspeaker/v1/stations/{station.code}/schedule.json"
    assert client.get(schedule, HTTP_AUTHORIZATION=f"Bearer {secret}").status_code == 200


def test_revoking_a_token_locks_it_out(client, manager, station):
    client.force_login(manager)
    token = station.tokens.get()

    client.post(
        reverse("loudspeaker_station_tokens", args=[station.pk]), {"action": "revoke", "token": token.pk}
    )

    token.refresh_from_db()
    assert token.revoked_at is not None
    schedule = f"/api/loudspeaker/v1/stations/{station.code}/schedule.json"
    assert client.get(schedule, HTTP_AUTHORIZATION=f"Bearer {station.secret}").status_code == 401


def test_offline_stations_are_listed_and_warned_on_the_dashboard(
    client, manager, station, regions, organisation
):
    seen = StationFactory(name="Đài vừa nghe", region=regions["commune"], organisation=organisation)
    Station.objects.filter(pk=seen.pk).update(last_seen_at=timezone.now())
    Station.objects.filter(pk=station.pk).update(last_seen_at=timezone.now() - datetime.timedelta(days=2))
    client.force_login(manager)

    offline = client.get("/admin/loudspeaker/stations/", {"status": "offline"})
    dashboard = client.get("/admin/")

    assert "Truyền thanh xã Thanh Xương" in offline.text and "Đài vừa nghe" not in offline.text
    assert "Truyền thanh xã Thanh Xương" in dashboard.text and "Đài vừa nghe" not in dashboard.text


def test_run_sheet_lists_the_days_bulletins_with_times_and_scripts(client, manager, station):
    today = timezone.localdate()
    BulletinFactory(
        title="Lịch tiêm mũi nhắc lại",
        script="Trạm y tế xã tiêm mũi nhắc lại vào sáng thứ Bảy.",
        valid_from=timezone.now() - datetime.timedelta(days=1),
    )
    BulletinFactory(title="Tin đã rút", retracted_at=timezone.now())
    client.force_login(manager)

    response = client.get(reverse("loudspeaker_run_sheet", args=[station.pk]), {"date": today.isoformat()})

    assert response.status_code == 200
    text = response.text
    assert "@media print" in text and "Lịch tiêm mũi nhắc lại" in text and "vào sáng thứ Bảy" in text
    assert text.index("06:00") < text.index("17:30") and "Tin đã rút" not in text


def test_counter_measures_the_reading_time(client, manager):
    client.force_login(manager)

    data = client.post(
        reverse("hub_counters"),
        {"field": "loudspeaker_text", "text": "", "title": "Lịch tiêm", "summary": "Từ 6h30 ngày 23/11."},
    ).json()

    assert (
        data["derived"]
        and data["text"] == "Lịch tiêm. Từ sáu giờ ba mươi phút ngày hai mươi ba tháng mười một."
    )
    assert data["loudspeaker"]["words"] == 15 and data["loudspeaker"]["seconds"] == 7 and not data["error"]


def test_counter_refuses_an_address(client, manager):
    client.force_login(manager)

    data = client.post(
        reverse("hub_counters"), {"field": "loudspeaker_text", "text": "Xem tại https://dienbien.gov.vn"}
    ).json()

    assert data["error"]


def test_story_with_an_address_in_its_script_cannot_be_submitted(story_index):
    from django.core.exceptions import ValidationError

    story = VaccinationPageFactory(parent=story_index)
    story.loudspeaker_text = "Chi tiết tại dienbien.gov.vn/tiem"

    with pytest.raises(ValidationError) as refused:
        story.full_clean()

    assert "loudspeaker_text" in refused.value.message_dict


def test_a_recording_that_is_not_audio_is_refused(story_index):
    from django.core.exceptions import ValidationError

    document = Document.objects.create(
        title="Không phải âm thanh", file=ContentFile(b"%PDF" * 400, name="ban-tin.mp3")
    )
    story = VaccinationPageFactory(parent=story_index)
    story.loudspeaker_recording = document

    with pytest.raises(ValidationError) as refused:
        story.full_clean()

    assert "loudspeaker_recording" in refused.value.message_dict


@pytest.mark.skipif(audio.tools_missing(), reason="ffmpeg not installed")
def test_preview_shows_script_reading_time_and_the_recording_player(rf, story_index, users_admin, tmp_path):
    wav = tmp_path / "ban-tin.wav"
    subprocess.run(
        ["ffmpeg", "-v", "error", "-f", "lavfi", "-i", "sine=frequency=300:duration=2", "-y", str(wav)],
        check=True,
    )
    document = Document.objects.create(
        title="Bản ghi âm", file=ContentFile(wav.read_bytes(), name="ban-tin.wav")
    )
    story = VaccinationPageFactory(
        parent=story_index, title="Tiêm mũi nhắc lại", summary="Từ 23/11.", loudspeaker_recording=document
    )
    request = rf.get("/")
    request.user = users_admin

    response = story.make_preview_request(request, "loudspeaker")

    text = response.rendered_content if hasattr(response, "rendered_content") else response.content.decode()
    assert "Tiêm mũi nhắc lại. Từ ngày hai mươi ba tháng mười một." in text
    assert 'data-loudspeaker="recording"' in text and document.url in text


@pytest.fixture
def users_admin(db):
    return UserFactory(username="quan-tri", is_superuser=True)


def test_preview_reads_naturally_in_vietnamese(rf, story_index, users_admin):
    from django.utils import translation

    story = VaccinationPageFactory(parent=story_index, title="Tiêm mũi nhắc lại", summary="Từ 23/11.")
    request = rf.get("/")
    request.user = users_admin

    with translation.override("vi"):
        response = story.make_preview_request(request, "loudspeaker")
        text = (
            response.rendered_content if hasattr(response, "rendered_content") else response.content.decode()
        )

    assert "chữ, đọc khoảng" in text and "giọng tổng hợp" in text
