"""Audio for loudspeakers: check an uploaded recording, synthesise speech offline, encode the MP3.

The output is what controllers are promised: MP3, mono, 22.05 kHz, constant bit rate. Tools are
Debian's `ffprobe`/`ffmpeg` (probe, decode, loudness normalisation) and `espeak-ng` (Vietnamese
voice) with `lame` (encoder). Everything here is slow by request standards: call it from the
worker. Media stays a leaf: it takes text or a file and returns bytes.
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import subprocess
import tempfile
from dataclasses import dataclass
from pathlib import Path

SAMPLE_RATE = 22050
BITRATE_KBPS = 48
MIME = "audio/mpeg"
MAX_RECORDING_SECONDS = 600
MAX_RECORDING_BYTES = 20 * 1024 * 1024  # as WAGTAILDOCS_MAX_UPLOAD_SIZE
MIN_RECORDING_SECONDS = 1.0
LOUDNESS_LUFS = -16  # EBU R128 target for speech over loudspeakers
TIMEOUT_S = 120
VOICE = "vi"
# espeak-ng voices of the content languages. It has none for Thái (blt) or H'Mông (hmn): their
# bulletins are never spoken with another language's voice (see docs/loudspeaker.md).
VOICES = {"vi": "vi", "en": "en"}


def voice_for(language: str) -> str | None:
    """The synthesis voice of a language, or None when there is none."""
    return VOICES.get(language)


class AudioError(Exception):
    """A recording that is not usable audio, or a tool that failed; the message says which."""


@dataclass(frozen=True)
class AudioInfo:
    codec: str
    duration_s: float
    channels: int
    sample_rate: int
    bit_rate: int


@dataclass(frozen=True)
class EncodedAudio:
    """MP3 bytes with what the feed promises about them."""

    data: bytes
    duration_s: float
    sha256: str

    @property
    def size(self) -> int:
        return len(self.data)


def _tool(name: str) -> str:
    path = shutil.which(name)
    if path is None:
        raise AudioError(f"{name} is not installed (Debian package: {_PACKAGES.get(name, name)}).")
    return path


_PACKAGES = {"ffprobe": "ffmpeg", "ffmpeg": "ffmpeg", "espeak-ng": "espeak-ng", "lame": "lame"}


def tools_missing() -> list[str]:
    """The audio tools not installed here (empty when audio can be made)."""
    return [name for name in ("ffprobe", "ffmpeg", "espeak-ng", "lame") if shutil.which(name) is None]


def _run(args: list[str], *, data: bytes | None = None) -> bytes:
    try:
        result = subprocess.run(args, input=data, capture_output=True, timeout=TIMEOUT_S, check=False)
    except subprocess.TimeoutExpired:
        raise AudioError(f"{Path(args[0]).name} took longer than {TIMEOUT_S} s.") from None
    if result.returncode:
        message = result.stderr.decode("utf-8", "replace").strip().splitlines()[-1:] or ["failed"]
        raise AudioError(f"{Path(args[0]).name}: {message[0]}")
    return result.stdout


def probe(path: str | os.PathLike) -> AudioInfo:
    """What ffprobe finds in a file; AudioError when it holds no audio stream."""
    output = _run(
        [
            _tool("ffprobe"),
            *("-v", "error", "-print_format", "json", "-show_format", "-show_streams"),
            "-select_streams",
            "a:0",
            str(path),
        ]
    )
    try:
        found = json.loads(output or b"{}")
    except ValueError:
        raise AudioError("ffprobe gave no readable answer.") from None
    streams = found.get("streams") or []
    if not streams:
        raise AudioError("The file holds no audio.")
    stream, container = streams[0], found.get("format") or {}
    duration = stream.get("duration") or container.get("duration") or 0
    return AudioInfo(
        codec=stream.get("codec_name", ""),
        duration_s=float(duration),
        channels=int(stream.get("channels") or 0),
        sample_rate=int(stream.get("sample_rate") or 0),
        bit_rate=int(stream.get("bit_rate") or container.get("bit_rate") or 0),
    )


def check_recording(
    path: str | os.PathLike,
    *,
    max_seconds: float = MAX_RECORDING_SECONDS,
    max_bytes: int = MAX_RECORDING_BYTES,
) -> AudioInfo:
    """Validates an uploaded recording: real audio, not too long, not too big, not empty."""
    size = os.path.getsize(path)
    if size > max_bytes:
        raise AudioError(
            f"The recording is {size // (1024 * 1024)} MB; at most {max_bytes // (1024 * 1024)} MB."
        )
    info = probe(path)
    if info.duration_s < MIN_RECORDING_SECONDS:
        raise AudioError("The recording is shorter than one second.")
    if info.duration_s > max_seconds:
        raise AudioError(f"The recording lasts {info.duration_s:.0f} s; at most {max_seconds:.0f} s.")
    return info


def _finish(data: bytes) -> EncodedAudio:
    with tempfile.NamedTemporaryFile(suffix=".mp3") as handle:
        handle.write(data)
        handle.flush()
        info = probe(handle.name)
    return EncodedAudio(data=data, duration_s=info.duration_s, sha256=hashlib.sha256(data).hexdigest())


def encode_recording(path: str | os.PathLike) -> EncodedAudio:
    """Any audio ffmpeg reads → loudness-normalised mono MP3 at the feed's rate, constant bit rate."""
    check_recording(path)
    data = _run(
        [
            _tool("ffmpeg"),
            *("-nostdin", "-v", "error", "-i", str(path), "-map", "a:0", "-vn"),
            *("-af", f"loudnorm=I={LOUDNESS_LUFS}:TP=-1.5:LRA=11", "-ac", "1", "-ar", str(SAMPLE_RATE)),
            *("-c:a", "libmp3lame", "-b:a", f"{BITRATE_KBPS}k", "-write_xing", "0", "-f", "mp3", "-"),
        ]
    )
    if not data:
        raise AudioError("ffmpeg produced no audio.")
    return _finish(data)


def synthesise_wav(text: str, *, speed_wpm: int, voice: str = VOICE) -> bytes:
    """Speech for `text` as WAV, offline, with espeak-ng's voice (Vietnamese by default)."""
    text = " ".join(text.split())
    if not text:
        raise AudioError("There is no text to read.")
    return _run(
        [_tool("espeak-ng"), "-v", voice, "-s", str(speed_wpm), "--stdin", "--stdout"], data=text.encode()
    )


def synthesise_mp3(text: str, *, speed_wpm: int, voice: str = VOICE) -> EncodedAudio:
    """Speech for `text`, encoded by lame: mono, 22.05 kHz, constant bit rate."""
    wav = synthesise_wav(text, speed_wpm=speed_wpm, voice=voice)
    data = _run(
        [
            _tool("lame"),
            *("--quiet", "-m", "m", "--cbr", "-b", str(BITRATE_KBPS), "--resample", str(SAMPLE_RATE / 1000)),
            "-t",
            "-",
            "-",
        ],
        data=wav,
    )
    return _finish(data)
