"""Loudspeaker benchmark: synthesis + encoding of a 150-word bulletin on one core, and the station
feed through gunicorn against static files of the same bytes (schedule 304, audio download).

Run: python benchmarks/loudspeaker.py [--seconds 4] [--rounds 3]  (starts its own gunicorn on
127.0.0.1 with production settings, DEBUG off, 2 workers, a throwaway SQLite database, file cache
and media folder; REDIS_URL is honoured). Needs espeak-ng, lame and ffmpeg.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import resource
import shutil
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from benchmarks import _harness as harness

SYNTH_TARGET_S = 3.0
UNCHANGED_TARGET = 0.85  # × the static schedule file
AUDIO_TARGET = 0.8  # × the static MP3

TEXT = (
    "Ban chỉ đạo phòng chống dịch xã Thanh Xương thông báo tới toàn thể bà con nhân dân. Từ sáu giờ "
    "sáng thứ Bảy, trạm y tế xã tổ chức tiêm vắc-xin mũi nhắc lại cho người từ mười tám tuổi trở lên. "
    "Bà con mang theo căn cước công dân và sổ tiêm chủng, đeo khẩu trang khi đến điểm tiêm. Người có "
    "bệnh nền cần báo với cán bộ y tế trước khi tiêm. Thực hiện tốt năm K: khẩu trang, khử khuẩn, khoảng "
    "cách, không tập trung đông người, khai báo y tế. Mọi thắc mắc xin liên hệ trạm y tế xã hoặc trưởng "
    "bản để được hướng dẫn."
)
WORDS = TEXT.split()
BULLETIN = " ".join((WORDS * 3)[:150]) + "."

SEED = r"""
import datetime, json
from django.utils import timezone
from hub.models import Organisation, Region
from channels.loudspeaker.models import Bulletin, Station
from channels.loudspeaker.services import bulletin_make_audio
script = SCRIPT
province = Region.objects.create(code="11", name="Tỉnh Điện Biên", level="province")
district = Region.objects.create(code="099", name="Huyện Điện Biên", level="district", parent=province)
commune = Region.objects.create(code="03193", name="Xã Thanh Xương", level="commune", parent=district)
organisation = Organisation.objects.create(name="Sở Thông tin và Truyền thông", slug="stttt", kind="province")
station = Station.objects.create(code="xa-thanh-xuong", name="Truyền thanh xã Thanh Xương", region=commune,
                                 organisation=organisation, slots="06:00, 11:00, 17:30")
_, secret = station.issue_token()
now = timezone.now()
for index in range(4):
    bulletin = Bulletin.objects.create(marker=f"bench-{index}:vi", title=f"Bản tin số {index + 1}",
        script=script if index == 0 else f"Bản tin số {index + 1}. " + script[:300],
        priority="urgent" if index == 2 else "normal", everywhere=index % 2 == 0,
        valid_from=now - datetime.timedelta(hours=index + 1), valid_until=now + datetime.timedelta(days=2),
        published_at=now - datetime.timedelta(hours=index + 1))
    if index % 2:
        bulletin.regions.set([district])
    bulletin_make_audio(bulletin_id=bulletin.pk)
first = Bulletin.objects.get(marker="bench-0:vi")
from channels.loudspeaker import feed
ref = feed.station_ref(Station.objects.select_related("region").get(pk=station.pk), "x")
state = feed.build_state(ref=ref, generation="x", now=now)
print(json.dumps({"token": secret, "code": station.code, "audio_path": first.audio.path,
                  "audio_id": first.feed_id, "sample": feed.schedule_json(code=station.code, state=state, now=now).decode()}))
"""


def synthesis_times(rounds: int = 5) -> tuple[float, float]:
    """Median wall and CPU seconds (this process and its children) to synthesise and encode, on one core."""
    from channels.textlimits.speech import SYNTH_SPEED_WPM
    from media import audio

    if hasattr(os, "sched_setaffinity"):
        os.sched_setaffinity(0, {sorted(os.sched_getaffinity(0))[0]})  # children inherit it
    walls, cpus = [], []
    for _ in range(rounds):
        before = resource.getrusage(resource.RUSAGE_CHILDREN), resource.getrusage(resource.RUSAGE_SELF)
        start = time.perf_counter()
        encoded = audio.synthesise_mp3(BULLETIN, speed_wpm=SYNTH_SPEED_WPM)
        walls.append(time.perf_counter() - start)
        after = resource.getrusage(resource.RUSAGE_CHILDREN), resource.getrusage(resource.RUSAGE_SELF)
        cpus.append(
            sum(a.ru_utime + a.ru_stime - b.ru_utime - b.ru_stime for a, b in zip(after, before, strict=True))
        )
    print(f"  150 words → {encoded.duration_s:.1f} s of audio, {encoded.size / 1024:.0f} KiB MP3")
    return statistics.median(walls), statistics.median(cpus)


def median_load(loads: list[harness.Load]) -> harness.Load:
    return sorted(loads, key=lambda load: load.rps)[len(loads) // 2]


def line(name: str, load: harness.Load, *, size: int | None = None) -> None:
    errors = f", {load.errors} errors" if load.errors else ""
    rate = f"   {load.rps * size / 1_048_576:6.1f} MiB/s" if size else ""
    print(
        f"  {name:<44} {load.rps:>8.0f} req/s   p50 {load.p50_ms:6.2f} ms   p99 {load.p99_ms:6.2f} ms{rate}{errors}"
    )


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=int, default=4, help="duration of each measurement")
    parser.add_argument("--rounds", type=int, default=3, help="interleaved rounds of each comparison")
    args = parser.parse_args()
    ok = True

    print("Synthesis + encoding (espeak-ng Vietnamese voice, lame), one core, median of 5:")
    wall, cpu = synthesis_times()
    print(f"  wall {wall:.2f} s, CPU {cpu:.2f} s (target < {SYNTH_TARGET_S} s)")
    ok &= wall < SYNTH_TARGET_S

    with harness.var_dir("bench-loudspeaker") as var:
        env = harness.bench_env(
            var, "bench_loudspeaker", REDIS_URL=os.environ.get("REDIS_URL", ""), MEDIA_ROOT=str(var / "media")
        )
        harness.manage(env, "migrate", "--noinput")
        seeded = json.loads(
            harness.manage(env, "shell", "-c", f"SCRIPT = {BULLETIN!r}\n" + SEED).strip().splitlines()[-1]
        )
        token, code = seeded["token"], seeded["code"]
        auth = {"Authorization": f"Bearer {token}"}
        schedule = f"/api/loudspeaker/v1/stations/{code}/schedule.json"
        audio_path = f"/api/loudspeaker/v1/stations/{code}/audio/{seeded['audio_id']}.mp3"
        static = var / "static" / "bench"
        static.mkdir(parents=True)
        mp3 = Path(seeded["audio_path"]).read_bytes()
        (static / "bulletin.mp3").write_bytes(mp3)  # WhiteNoise finds files present when it starts
        (static / "schedule.json").write_text(seeded["sample"], encoding="utf-8")

        with harness.gunicorn(env) as base:
            import urllib.request

            first = urllib.request.urlopen(urllib.request.Request(base + schedule, headers=auth))
            body, etag = first.read(), first.headers["ETag"]
            item = json.loads(body)["items"][
                [i["id"] for i in json.loads(body)["items"]].index(seeded["audio_id"])
            ]
            served = urllib.request.urlopen(urllib.request.Request(base + audio_path, headers=auth)).read()
            assert hashlib.sha256(served).hexdigest() == item["audio"]["sha256"] and served == mp3
            print(
                f"\nThrough gunicorn (2 workers, DEBUG off), {'wrk' if shutil.which('wrk') else 'Python client'},"
                f" 16 connections, {args.seconds} s each, median of {args.rounds} interleaved rounds;"
                f" schedule {len(body)} bytes, MP3 {len(mp3)} bytes:"
            )
            for url, headers in (
                (base + "/static/bench/schedule.json", {}),
                (base + schedule, {**auth, "If-None-Match": etag}),
                (base + "/static/bench/bulletin.mp3", {}),
                (base + audio_path, auth),
            ):
                harness.measure(url, headers=headers, seconds=1)  # warm up
            rounds = []
            for _ in range(args.rounds):
                rounds.append(
                    (
                        harness.measure(base + "/static/bench/schedule.json", seconds=args.seconds),
                        harness.measure(
                            base + schedule, headers={**auth, "If-None-Match": etag}, seconds=args.seconds
                        ),
                        harness.measure(
                            base + schedule + f"?token={token}",
                            headers={"If-None-Match": etag},
                            seconds=args.seconds,
                        ),
                        harness.measure(base + schedule, headers=auth, seconds=args.seconds),
                        harness.measure(base + "/static/bench/bulletin.mp3", seconds=args.seconds),
                        harness.measure(base + audio_path, headers=auth, seconds=args.seconds),
                    )
                )
            static_json, not_modified, query_token, cached, static_mp3, audio = (
                median_load([r[i] for r in rounds]) for i in range(6)
            )

    line("static schedule file (WhiteNoise)", static_json)
    line("schedule unchanged: 304 (If-None-Match)", not_modified)
    line("schedule unchanged: 304, ?token= in query", query_token)
    line("schedule unchanged: 200 from cache", cached)
    line("static MP3 (WhiteNoise)", static_mp3, size=len(mp3))
    line("audio from storage (token, FileResponse)", audio, size=len(mp3))
    ratio_304 = not_modified.rps / static_json.rps
    ratio_audio = audio.rps / static_mp3.rps
    print(f"\nunchanged (304) / static file: {ratio_304:.2f} (target ≥ {UNCHANGED_TARGET})")
    print(f"unchanged (304, ?token=) / static file: {query_token.rps / static_json.rps:.2f}")
    print(f"audio / static MP3: {ratio_audio:.2f} (target ≥ {AUDIO_TARGET})")
    ok &= ratio_304 >= UNCHANGED_TARGET and ratio_audio >= AUDIO_TARGET
    print("targets:", "met" if ok else "MISSED")
    return 0 if ok else 1


if __name__ == "__main__":
    raise SystemExit(main())
