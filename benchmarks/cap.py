"""Alert feeds when unchanged: the CAP index, one CAP alert, the portal's feeds and home page, against a static file.

    .venv/bin/python benchmarks/cap.py [--seconds 5] [--connections 8] [--alerts 20]

Builds a throwaway SQLite site (production settings, DEBUG off) whose organisation publishes
`--alerts` urgent stories through the real pipeline (portal and CAP deliveries processed in
process), then serves it with gunicorn (2 workers) and measures, for each URL, plain GETs (200,
from the page cache) and conditional GETs that a poller sends when nothing changed
(`If-None-Match` with the ETag it was given: 304). Each is compared with the same kind of request
for the static CSS file (WhiteNoise). Target (issue: CAP and portal): ≥ 0.85× the static file.
"""

import argparse
import json
import shutil
import sys
import urllib.request
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from benchmarks._harness import Load, bench_env, free_port, gunicorn, measure, run_python, var_dir

TARGET = 0.85


def build(*, alerts: int) -> dict:
    """Inside the benchmark's settings: an organisation, its portal and `alerts` published urgent stories."""
    import django

    django.setup()
    from django.core.management import call_command
    from django.utils import timezone

    from channels.cap.models import CapMessage
    from hub import models
    from hub.organisations import RegionSpec, organisation_create
    from publishing.delivery import delivery_process
    from publishing.models import Delivery

    call_command("migrate", verbosity=0)
    call_command("collectstatic", interactive=False, verbosity=0)
    organisation = organisation_create(
        name="UBND tỉnh Điện Biên",
        slug="dienbien",
        kind="province",
        hostname="127.0.0.1",
        region=RegionSpec("11", "Tỉnh Điện Biên"),
        default_site=True,
    )
    home = organisation.site.root_page
    section = home.add_child(instance=models.StoryIndexPage(title="Tình hình dịch", slug="tinh-hinh"))
    for number in range(alerts):
        story = section.add_child(
            instance=models.SituationPage(
                title=f"Khẩn: phong tỏa tạm thời khu dân cư số {number}",
                slug=f"khan-{number}",
                summary="Từ 18 giờ hôm nay, khu dân cư tạm phong tỏa để truy vết các ca mắc mới.",
                as_of=timezone.now(),
                alert=True,
                alert_event="Dịch COVID-19",
                alert_instruction="Người dân ở nhà, không tụ tập; gọi 1900 9095 khi có triệu chứng.",
                live=False,
            )
        )
        story.regions.set([organisation.region])
        story.save_revision().publish()
    for delivery_id in Delivery.objects.values_list("pk", flat=True):
        delivery_process(delivery_id=delivery_id)
    messages = CapMessage.objects.count()
    assert messages == alerts, f"{messages} CAP messages for {alerts} alerts"
    return {"alert": f"/cap/{CapMessage.objects.first().identifier}.xml"}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=float, default=5)
    parser.add_argument("--connections", type=int, default=8)
    parser.add_argument("--alerts", type=int, default=20)
    parser.add_argument("--build", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.build:
        print(json.dumps(build(alerts=args.alerts)))
        return

    with var_dir("bench-cap") as var:
        port = free_port()
        env = bench_env(var, "bench_cap", BASE_URL=f"http://127.0.0.1:{port}")
        print(f"Publishing {args.alerts} urgent stories in a throwaway SQLite database…", flush=True)
        built = json.loads(
            run_python(env, __file__, "--build", "--alerts", str(args.alerts)).splitlines()[-1]
        )
        with gunicorn(env, port=port, workers=2) as base:
            with urllib.request.urlopen(base + "/") as response:
                html = response.read().decode()
            css = html.split('rel="stylesheet" href="', 1)[1].split('"', 1)[0]
            paths = {
                "static file (CSS)": css,
                "CAP index /cap/": "/cap/",
                "one CAP alert": built["alert"],
                "portal Atom feed": "/feeds/atom/",
                "portal RSS feed": "/feeds/rss/",
                "portal home page": "/",
            }
            etags = {}
            for name, path in paths.items():  # warm the page cache and the workers; keep each ETag
                for _ in range(4):
                    with urllib.request.urlopen(base + path) as response:
                        response.read()
                etags[name] = response.headers["ETag"]
                if not etags[name]:
                    raise RuntimeError(f"{path} sends no ETag")

            def run(path: str, headers: dict | None = None) -> Load:
                load = measure(
                    base + path, seconds=args.seconds, connections=args.connections, headers=headers
                )
                if load.errors:
                    raise RuntimeError(f"{load.errors} errors or timeouts while measuring {path}")
                return load

            results = {
                name: (run(path), run(path, {"If-None-Match": etags[name]})) for name, path in paths.items()
            }

    client = "wrk" if shutil.which("wrk") else "Python client"
    print(f"\ngunicorn, 2 workers, {args.connections} connections, {args.seconds:.0f}s each ({client}).")
    print(f"{'what':<22}{'200 req/s':>10}{'×static':>9}{'304 req/s':>11}{'×static':>9}{'p50 ms 304':>12}")
    static_plain, static_304 = results["static file (CSS)"]
    worst = None
    for name, (plain, conditional) in results.items():
        ratio, ratio_304 = plain.rps / static_plain.rps, conditional.rps / static_304.rps
        print(
            f"{name:<22}{plain.rps:>10.0f}{ratio:>9.2f}{conditional.rps:>11.0f}{ratio_304:>9.2f}"
            f"{conditional.p50_ms:>12.2f}"
        )
        if name != "static file (CSS)":
            worst = min(ratio, ratio_304) if worst is None else min(worst, ratio, ratio_304)
    print(f"\nUnchanged feeds and pages ≥ {TARGET}× the static file: worst {worst:.2f}× -> ", end="")
    print("met" if worst >= TARGET else "NOT met")


if __name__ == "__main__":
    main()
