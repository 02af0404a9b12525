"""LED benchmark: frame render times, and playlist requests/s through gunicorn against baselines.

Run: python benchmarks/led.py [--seconds 4] [--rounds 3]  (starts its own gunicorn on 127.0.0.1 with
production settings, DEBUG off, 2 workers, a throwaway SQLite database and file cache; REDIS_URL is honoured).
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from benchmarks import _harness as harness

RESOLUTIONS = ((192, 96), (256, 128), (384, 192))
RENDER_TARGET_MS = 50.0
UNCHANGED_TARGET = 0.85  # × the static file
CHANGED_TARGET = 0.25  # × the minimal Django view

SEED = r"""
import datetime, json
from django.utils import timezone
from hub.models import Region
from channels.led.models import PlaylistItem, Screen
from channels.led import feed
province = Region.objects.create(code="11", name="Tỉnh Điện Biên", level="province")
city = Region.objects.create(code="094", name="Thành phố Điện Biên Phủ", level="district", parent=province)
ward = Region.objects.create(code="03127", name="Phường Him Lam", level="commune", parent=city)
screen = Screen.objects.create(code="cho-him-lam", name="Chợ Him Lam", region=ward, width=384, height=192)
_, secret = screen.issue_token()
now = timezone.now()
texts = ["Tiêm mũi nhắc lại miễn phí tại trạm y tế phường", "Thực hiện 5K: khẩu trang, khử khuẩn, khoảng cách",
         "Cảnh báo: tin giả về thuốc chữa bệnh trên Zalo", "Lịch tiêm vắc-xin cho trẻ từ 5 đến 11 tuổi",
         "Chợ Him Lam mở cửa từ 6 giờ đến 18 giờ", "Khai báo y tế khi đến từ vùng có dịch"]
for index, text in enumerate(texts):
    item = PlaylistItem.objects.create(marker=f"bench-{index}", text=text, priority="urgent" if index == 2 else "normal",
        valid_from=now - datetime.timedelta(hours=index + 1), valid_until=now + datetime.timedelta(days=2),
        everywhere=index % 2 == 0)
    if index % 2:
        item.regions.set([city])
ref = feed.ScreenRef.of(Screen.objects.select_related("region").get(pk=screen.pk), "x")
state = feed.build_state(ref=ref, generation="x", now=now)
print(json.dumps({"token": secret, "code": screen.code, "ids": [row["id"] for row in state.items],
                  "sample": feed.playlist_json(code=screen.code, state=state, now=now).decode()}))
"""


def render_times() -> dict[tuple[int, int], float]:
    """Median cold render per resolution, in-process: distinct texts, so nothing is cached."""
    from benchmarks.led_frames import _texts
    from media.led import render_frame

    render_frame("Khởi động", width=384, height=192)  # font loading is not a frame
    texts = _texts()
    medians = {}
    for index, (width, height) in enumerate(RESOLUTIONS):
        chunk = texts[index * 50 : (index + 1) * 50]
        times = []
        for text in chunk:
            start = time.perf_counter()
            render_frame(text, width=width, height=height)
            times.append((time.perf_counter() - start) * 1000)
        medians[(width, height)] = statistics.median(times)
    return medians


def cached_frame_ms(base: str, path: str, token: str, *, count: int = 200) -> float:
    """Median wall time of one cached frame request, sequential, from a Python client."""
    import urllib.request

    request = urllib.request.Request(base + path, headers={"Authorization": f"Bearer {token}"})
    urllib.request.urlopen(request).read()  # renders and caches it
    times = []
    for _ in range(count):
        start = time.perf_counter()
        urllib.request.urlopen(request).read()
        times.append((time.perf_counter() - start) * 1000)
    return statistics.median(times)


def median_load(loads: list[harness.Load]) -> harness.Load:
    return sorted(loads, key=lambda load: load.rps)[len(loads) // 2]


def line(name: str, load: harness.Load) -> None:
    errors = f", {load.errors} errors" if load.errors else ""
    print(
        f"  {name:<44} {load.rps:>8.0f} req/s   p50 {load.p50_ms:6.2f} ms   p99 {load.p99_ms:6.2f} ms{errors}"
    )


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=int, default=4, help="wrk duration of each measurement")
    parser.add_argument("--rounds", type=int, default=3, help="interleaved rounds of the changed playlist")
    args = parser.parse_args()
    ok = True
    print("Frame render, cold (median of 50 distinct Vietnamese texts):")
    for (width, height), median in render_times().items():
        print(f"  {width}x{height}: {median:.2f} ms")
        if (width, height) == (384, 192):
            ok &= median < RENDER_TARGET_MS

    with harness.var_dir("bench-led") as var:
        env = harness.bench_env(var, "bench_led", REDIS_URL=os.environ.get("REDIS_URL", ""))
        harness.manage(env, "migrate", "--noinput")
        seeded = json.loads(harness.manage(env, "shell", "-c", SEED).strip().splitlines()[-1])
        static = var / "static" / "bench"
        static.mkdir(parents=True)
        (static / "playlist.json").write_text(seeded["sample"], encoding="utf-8")
        token, code = seeded["token"], seeded["code"]
        auth = {"Authorization": f"Bearer {token}"}
        playlist = f"/api/led/v1/screens/{code}/playlist.json"
        frame = f"/api/led/v1/screens/{code}/frames/{seeded['ids'][0]}.png"
        print(
            f"\nThrough gunicorn (2 workers, DEBUG off), wrk 2 threads × 16 connections, {args.seconds} s each "
            f"(baselines, 304 and changed: median of {args.rounds} interleaved rounds):"
        )

        with harness.gunicorn(env) as base:
            import urllib.request

            etag = urllib.request.urlopen(urllib.request.Request(base + playlist, headers=auth)).headers[
                "ETag"
            ]
            for url, headers in ((base + "/static/bench/playlist.json", {}), (base + playlist, auth)):
                harness.measure(url, headers=headers, seconds=1)  # warm up
            static_load = harness.measure(base + "/static/bench/playlist.json", seconds=args.seconds)
            minimal = harness.measure(base + harness.MINIMAL_PATH, seconds=args.seconds)
            not_modified = harness.measure(
                base + playlist, headers={**auth, "If-None-Match": etag}, seconds=args.seconds
            )
            from_cache = harness.measure(base + playlist, headers=auth, seconds=args.seconds)
            query_token = harness.measure(
                base + playlist + f"?token={token}", headers={"If-None-Match": etag}, seconds=args.seconds
            )
            frames = harness.measure(base + frame, headers=auth, seconds=args.seconds)
            frame_ms = cached_frame_ms(base, frame, token)

        with harness.gunicorn({**env, "LED_PLAYLIST_CACHE": "0"}) as base:
            harness.measure(base + playlist, headers=auth, seconds=1)
            rounds = [
                (
                    harness.measure(base + harness.MINIMAL_PATH, seconds=args.seconds),
                    harness.measure(base + playlist, headers=auth, seconds=args.seconds),
                )
                for _ in range(args.rounds)
            ]
            minimal_again, changed = (median_load([r[i] for r in rounds]) for i in range(2))

    line("static file (WhiteNoise)", static_load)
    line("minimal Django JSON view", minimal)
    line("playlist unchanged: 304 (If-None-Match)", not_modified)
    line("playlist unchanged: 304, ?token= in query", query_token)
    line("playlist unchanged: 200 from cache", from_cache)
    line("frame PNG 384x192 from cache", frames)
    line("minimal Django JSON view (2nd server)", minimal_again)
    line("playlist changed: rebuilt on every request", changed)
    print(f"\nCached frame served in {frame_ms:.2f} ms (median, sequential Python client)")
    ratio_304 = not_modified.rps / static_load.rps
    ratio_cached = from_cache.rps / static_load.rps
    ratio_changed = changed.rps / minimal_again.rps
    print(f"unchanged (304) / static file: {ratio_304:.2f} (target ≥ {UNCHANGED_TARGET})")
    print(f"unchanged (200 from cache) / static file: {ratio_cached:.2f}")
    print(f"changed / minimal view: {ratio_changed:.2f} (target ≥ {CHANGED_TARGET})")
    ok &= ratio_304 >= UNCHANGED_TARGET and ratio_changed >= CHANGED_TARGET
    print("targets:", "met" if ok else "MISSED")
    return 0 if ok else 1


if __name__ == "__main__":
    raise SystemExit(main())
