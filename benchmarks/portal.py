"""Portal speed: cached and uncached home, index and story pages against a static file and a JSON view.

    .venv/bin/python benchmarks/portal.py [--seconds 5] [--connections 8] [--stories 200]

Builds a throwaway SQLite site (HUB_VAR_DIR in a temporary folder), collects static files, then:
- in process (django.test.Client, same settings): queries per request and median render time,
  uncached (a never-seen query string per request misses the page cache; the menu fragment stays
  warm as in production) and cached (the same URL again);
- over HTTP against gunicorn (production settings, DEBUG off, 2 workers): requests/s, p50, p99 of
  the static CSS file (WhiteNoise), /bench/minimal.json (a minimal Django view) and each page, cached and
  uncached (unique query strings), with ratios against the static file and the JSON view;
- bytes on the wire of the home and story pages and the CSS (none / gzip / Brotli), and the
  cached story page, sitemap index and first child sitemap, compressed, against the static file
  compressed.
"""

import argparse
import io
import json
import shutil
import statistics
import sys
import time
import urllib.request
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from benchmarks._harness import (
    MINIMAL_PATH,
    Load,
    bench_env,
    free_port,
    gunicorn,
    measure,
    run_python,
    var_dir,
)

SITEMAP_PATHS = {"sitemap index": "/sitemap.xml", "sitemap child": "/sitemap-vi-1.xml"}
KINDS = ["good_example", "vaccination", "rebuttal", "directive", "situation"]
PARAGRAPH = (
    "<p>Thực hiện Kế hoạch của Ủy ban nhân dân tỉnh, các huyện, thị xã, thành phố tiếp tục tuyên truyền "
    "thông điệp 5K + vắc-xin: khẩu trang, khử khuẩn, khoảng cách, không tập trung, khai báo y tế.</p>"
)


def build_site(*, stories: int) -> dict:
    """Creates a home, five sections and `stories` stories of every kind; returns the page URLs."""
    import datetime

    from django.core.files.images import ImageFile
    from django.utils import timezone
    from PIL import Image
    from wagtail.models import Page, Site

    from hub import models
    from media.models import HubImage

    buffer = io.BytesIO()
    Image.new("RGB", (1600, 900), (163, 23, 30)).save(buffer, format="JPEG")
    image = HubImage.objects.create(
        title="Tiêm chủng", alt_text="Tiêm vắc-xin tại trạm y tế", file=ImageFile(buffer, name="tiem.jpg")
    )
    root = Page.get_first_root_node()
    home = root.add_child(
        instance=models.HomePage(title="Trang chủ", slug="trang-chu", intro="Thông tin chính thống.")
    )
    Site.objects.all().delete()
    Site.objects.create(
        hostname="127.0.0.1", port=80, root_page=home, is_default_site=True, site_name="Cổng thông tin"
    )
    titles = ["Gương người tốt", "Tiêm chủng", "Phản bác tin sai", "Chỉ đạo điều hành", "Tình hình dịch"]
    sections = [
        home.add_child(instance=models.StoryIndexPage(title=title, slug=f"muc-{n}"))
        for n, title in enumerate(titles)
    ]
    now = timezone.now()
    body = [
        ("paragraph", PARAGRAPH * 2),
        ("fact_box", {"heading": "Thông điệp 5K", "items": ["Khẩu trang", "Khử khuẩn", "Khoảng cách"]}),
    ]
    story = None
    for number in range(stories):
        kind = number % 5
        common = {
            "title": f"Tin số {number}: người dân Điện Biên thực hiện tốt 5K",
            "slug": f"tin-{number}",
            "summary": "Người dân trong tỉnh tiếp tục thực hiện nghiêm thông điệp 5K và tiêm vắc-xin đầy đủ.",
            "body": body,
            "hero_image": image if number % 2 else None,
            "first_published_at": now - datetime.timedelta(hours=number),
        }
        extra = [
            {
                "honoree": "Bà Lò Thị Hoa",
                "locality": "Xã Thanh Minh",
                "achievement": "Vận động 120 hộ đi tiêm.",
            },
            {
                "campaign": "Tiêm mùa thu",
                "starts_on": now.date(),
                "eligible_groups": "Người từ 18 tuổi",
                "sites": [("site", {"name": "Trạm Y tế Him Lam", "address": "Tổ 5", "hours": "7:30–17:00"})],
            },
            {
                "claim": "Nước chanh nóng chữa khỏi bệnh.",
                "claim_appeared_in": "Một nhóm Zalo",
                "evidence": PARAGRAPH,
            },
            {
                "document_number": f"{number}/CT-UBND",
                "issued_on": now.date(),
                "issuing_body": "UBND tỉnh Điện Biên",
            },
            {"as_of": now, "figures": [("figure", {"label": "Ca mắc mới", "value": "12"})]},
        ][kind]
        model = [
            models.GoodExamplePage,
            models.VaccinationPage,
            models.RebuttalPage,
            models.DirectivePage,
            models.SituationPage,
        ][kind]
        page = sections[kind].add_child(instance=model(**common, **extra))
        if model is models.RebuttalPage and story is None:
            story = page
    return {"home": home.url, "index": sections[2].url, "story": story.url}


def in_process(*, stories: int) -> dict:
    """Runs inside the benchmark's Django settings: builds the site and times renders in process."""
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    call_command("migrate", verbosity=0)
    call_command("collectstatic", interactive=False, verbosity=0)
    urls = build_site(stories=stories)
    client = Client(HTTP_HOST="127.0.0.1")
    results = {"urls": urls, "pages": {}}
    counter = 0
    for name, url in urls.items():
        for _ in range(3):  # warm: content types, site paths, menu fragment, template loading
            counter += 1
            client.get(f"{url}?warm={counter}")
        timings, queries = [], []
        for _ in range(40):
            counter += 1
            with CaptureQueriesContext(connection) as captured:
                started = time.perf_counter()
                response = client.get(f"{url}?u={counter}")
                timings.append(time.perf_counter() - started)
            assert response.status_code == 200 and response["X-Cache"] == "MISS", (url, response.status_code)
            queries.append(len(captured))
        client.get(url)
        hit_timings, hit_queries = [], []
        for _ in range(200):
            with CaptureQueriesContext(connection) as captured:
                started = time.perf_counter()
                response = client.get(url)
                hit_timings.append(time.perf_counter() - started)
            assert response["X-Cache"] == "HIT"
            hit_queries.append(len(captured))
        results["pages"][name] = {
            "uncached_queries": max(queries),
            "uncached_ms": statistics.median(timings) * 1000,
            "cached_queries": max(hit_queries),
            "cached_ms": statistics.median(hit_timings) * 1000,
            "bytes": len(response.content),
        }
    return results


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=float, default=5)
    parser.add_argument("--connections", type=int, default=8)
    parser.add_argument("--stories", type=int, default=200)
    parser.add_argument("--in-process", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.in_process:
        print(json.dumps(in_process(stories=args.stories)))
        return

    with var_dir("bench-portal") as var:
        port = free_port()
        base_url = f"http://127.0.0.1:{port}"
        env = bench_env(var, "bench_portal", BASE_URL=base_url)
        print(f"Building a site with {args.stories} stories in a throwaway SQLite database…", flush=True)
        output = run_python(env, __file__, "--in-process", "--stories", str(args.stories))
        inproc = json.loads(output.strip().splitlines()[-1])
        urls = inproc["urls"]

        with gunicorn(env, port=port, workers=2) as base:
            with urllib.request.urlopen(base + urls["home"]) as response:
                html = response.read().decode()
            css = html.split('rel="stylesheet" href="', 1)[1].split('"', 1)[0]
            for url in urls.values():  # warm the page cache and the workers
                for _ in range(4):
                    urllib.request.urlopen(base + url).read()

            def wire_bytes(path: str, coding: str) -> int:
                request = urllib.request.Request(base + path, headers={"Accept-Encoding": coding})
                with urllib.request.urlopen(request) as response:
                    return len(response.read())

            wire = {
                name: {coding: wire_bytes(urls[name], coding) for coding in ("identity", "gzip", "br")}
                for name in ("home", "story")
            }
            wire["css"] = {coding: wire_bytes(css, coding) for coding in ("identity", "gzip", "br")}

            def run(path: str, unique: bool = False, headers: dict | None = None) -> Load:
                load = measure(
                    base + path,
                    seconds=args.seconds,
                    connections=args.connections,
                    unique=unique,
                    headers=headers,
                )
                if load.errors:
                    raise RuntimeError(f"{load.errors} errors or timeouts while measuring {path}")
                return load

            static = run(css)
            compressed = {"Accept-Encoding": "br, gzip"}
            static_compressed = run(css, headers=compressed)
            story_compressed = run(urls["story"], headers=compressed)
            minimal = run(MINIMAL_PATH)
            for path in SITEMAP_PATHS.values():  # warm their cache entries
                for _ in range(4):
                    urllib.request.urlopen(base + path).read()
            sitemaps = {name: run(path, headers=compressed) for name, path in SITEMAP_PATHS.items()}
            http = {}
            for name, url in urls.items():
                http[name] = {"cached": run(url), "uncached": run(url, unique=True)}

    print(
        f"\nHTTP: gunicorn, 2 workers, {args.connections} connections, {args.seconds:.0f}s each "
        f"({'wrk' if shutil.which('wrk') else 'Python client'}); {args.stories} stories."
    )
    print(
        f"{'what':<22}{'queries':>8}{'render ms':>10}{'req/s':>9}{'p50 ms':>8}{'p99 ms':>8}{'×static':>9}{'×json':>8}"
    )

    def row(label: str, queries: int | None, render_ms: float | None, load: Load) -> None:
        queries_text = "-" if queries is None else str(queries)
        render_text = "-" if render_ms is None else f"{render_ms:.2f}"
        print(
            f"{label:<22}{queries_text:>8}{render_text:>10}{load.rps:>9.0f}{load.p50_ms:>8.2f}{load.p99_ms:>8.2f}"
            f"{load.rps / static.rps:>9.2f}{load.rps / minimal.rps:>8.3f}"
        )

    row("static file (CSS)", None, None, static)
    row("minimal JSON view", None, None, minimal)
    for name in urls:
        page = inproc["pages"][name]
        row(f"{name} cached", page["cached_queries"], page["cached_ms"], http[name]["cached"])
        row(f"{name} uncached", page["uncached_queries"], page["uncached_ms"], http[name]["uncached"])

    print("\nBytes on the wire (Accept-Encoding: none / gzip / br):")
    for name, sizes in wire.items():
        print(f"  {name:<6}{sizes['identity']:>9,}{sizes['gzip']:>9,}{sizes['br']:>9,}")
    home_total = wire["home"]["br"] + wire["css"]["br"]
    print(
        f"  home HTML + CSS with Brotli: {home_total:,} bytes (target < 30 KB) -> {'met' if home_total < 30_000 else 'NOT met'}"
    )
    compressed_ratio = story_compressed.rps / static_compressed.rps
    print(
        f"  story cached, compressed: {story_compressed.rps:.0f} req/s vs static file compressed "
        f"{static_compressed.rps:.0f} req/s = {compressed_ratio:.2f}× (target ≥ 0.85×) "
        f"-> {'met' if compressed_ratio >= 0.85 else 'NOT met'}"
    )

    for name, load in sitemaps.items():
        ratio = load.rps / static_compressed.rps
        print(
            f"  {name} cached, compressed: {load.rps:.0f} req/s = {ratio:.2f}× the static file (target ≥ 0.85×) "
            f"-> {'met' if ratio >= 0.85 else 'NOT met'}"
        )

    story = inproc["pages"]["story"]
    cached_ratio = http["story"]["cached"].rps / static.rps
    uncached_ratio = http["story"]["uncached"].rps / minimal.rps
    print("\nTargets (story page):")
    print(
        f"  cached   ≥ 0.85× static file, 0 queries per hit: {cached_ratio:.2f}×, {story['cached_queries']} queries "
        f"-> {'met' if cached_ratio >= 0.85 and story['cached_queries'] == 0 else 'NOT met'}"
    )
    print(
        f"  uncached ≥ 4% of the JSON view, ≤ 12 queries:     {uncached_ratio:.1%}, {story['uncached_queries']} queries "
        f"-> {'met' if uncached_ratio >= 0.04 and story['uncached_queries'] <= 12 else 'NOT met'}"
    )


if __name__ == "__main__":
    main()
