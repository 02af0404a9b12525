"""media.audio: speech synthesis and encoding, and the checks on uploaded recordings.

Decoded with ffmpeg/ffprobe, which share no code with the encoder (lame) or espeak-ng.
"""

import json
import shutil
import subprocess

import pytest

from channels.textlimits import measure_reading, speakable
from channels.textlimits.speech import SYNTH_SPEED_WPM
from media import audio

pytestmark = pytest.mark.skipif(audio.tools_missing(), reason="ffmpeg, lame or espeak-ng not installed")

BULLETIN = (
    "Ban chỉ đạo phòng, chống dịch xã Thanh Xương thông báo. Từ 6h30 ngày 23/11, trạm y tế xã tiêm "
    "vắc-xin mũi nhắc lại cho người từ 18 tuổi trở lên. Bà con mang theo căn cước công dân và sổ tiêm "
    "chủng. Thực hiện tốt 5K: khẩu trang, khử khuẩn, khoảng cách, không tập trung, khai báo y tế. "
    "Mọi thắc mắc xin liên hệ trạm y tế xã hoặc trưởng bản để được hướng dẫn."
)


def decoded(data: bytes, tmp_path) -> dict:
    """What an independent decoder finds: stream facts from ffprobe and the sample count from ffmpeg."""
    path = tmp_path / "bulletin.mp3"
    path.write_bytes(data)
    probe = json.loads(
        subprocess.run(
            ["ffprobe", "-v", "error", "-print_format", "json", "-show_streams", str(path)],
            capture_output=True,
            check=True,
        ).stdout
    )
    [stream] = probe["streams"]
    pcm = subprocess.run(
        ["ffmpeg", "-v", "error", "-i", str(path), "-f", "s16le", "-acodec", "pcm_s16le", "-"],
        capture_output=True,
        check=True,
    ).stdout
    channels, rate = int(stream["channels"]), int(stream["sample_rate"])
    return {
        "codec": stream["codec_name"],
        "channels": channels,
        "sample_rate": rate,
        "bit_rate": int(stream["bit_rate"]),
        "seconds": len(pcm) / (2 * channels * rate),
    }


def test_synthesised_bulletin_decodes_mono_at_the_contract_rate_and_lasts_the_estimate(tmp_path):
    script = speakable(BULLETIN)
    estimate = measure_reading(script).seconds  # what the approver sees at sign-off

    encoded = audio.synthesise_mp3(script, speed_wpm=SYNTH_SPEED_WPM)
    found = decoded(encoded.data, tmp_path)

    assert found["codec"] == "mp3" and found["channels"] == 1
    assert found["sample_rate"] in (44100, 22050) and found["sample_rate"] == audio.SAMPLE_RATE
    assert found["bit_rate"] == audio.BITRATE_KBPS * 1000  # constant bit rate
    assert abs(found["seconds"] - estimate) <= 0.2 * estimate, (found["seconds"], estimate)
    assert abs(encoded.duration_s - found["seconds"]) < 0.5


@pytest.mark.parametrize("words", [40, 150, 300])
def test_estimate_holds_for_short_and_long_scripts(tmp_path, words):
    pool = speakable(BULLETIN).split()
    script = " ".join((pool * 10)[:words]) + "."

    found = decoded(audio.synthesise_mp3(script, speed_wpm=SYNTH_SPEED_WPM).data, tmp_path)

    estimate = measure_reading(script).seconds
    assert abs(found["seconds"] - estimate) <= 0.2 * estimate, (found["seconds"], estimate)


def make_tone(
    path, *, seconds: float, channels: int = 2, rate: int = 48000, codec: str = "pcm_s16le"
) -> None:
    subprocess.run(
        [
            "ffmpeg",
            "-v",
            "error",
            "-f",
            "lavfi",
            "-i",
            f"sine=frequency=440:duration={seconds}:sample_rate={rate}",
            "-ac",
            str(channels),
            "-c:a",
            codec,
            "-y",
            str(path),
        ],
        check=True,
    )


def test_recording_is_normalised_to_the_contract_mp3(tmp_path):
    source = tmp_path / "ghi-am.wav"
    make_tone(source, seconds=3, channels=2, rate=48000)

    encoded = audio.encode_recording(source)
    found = decoded(encoded.data, tmp_path)

    assert found["channels"] == 1 and found["sample_rate"] == 22050 and found["bit_rate"] == 48000
    assert abs(found["seconds"] - 3) < 0.3
    assert encoded.sha256 and encoded.size == len(encoded.data)


def test_not_audio_is_refused(tmp_path):
    fake = tmp_path / "ghi-am.mp3"
    fake.write_bytes(b"%PDF-1.4 this is not audio" * 100)

    with pytest.raises(audio.AudioError):
        audio.check_recording(fake)


def test_too_long_or_too_big_or_too_short_is_refused(tmp_path):
    source = tmp_path / "dai.wav"
    make_tone(source, seconds=5)

    with pytest.raises(audio.AudioError, match="at most 4 s"):
        audio.check_recording(source, max_seconds=4)
    with pytest.raises(audio.AudioError, match="MB"):
        audio.check_recording(source, max_bytes=1024)
    short = tmp_path / "ngan.wav"
    make_tone(short, seconds=0.3)
    with pytest.raises(audio.AudioError, match="one second"):
        audio.check_recording(short)


def test_empty_script_is_refused():
    with pytest.raises(audio.AudioError):
        audio.synthesise_mp3("   ", speed_wpm=SYNTH_SPEED_WPM)


def test_missing_tool_is_named(monkeypatch):
    monkeypatch.setattr(shutil, "which", lambda name: None)

    assert audio.tools_missing() == ["ffprobe", "ffmpeg", "espeak-ng", "lame"]
    with pytest.raises(audio.AudioError, match="espeak-ng is not installed"):
        audio.synthesise_wav("Xin chào", speed_wpm=120)
