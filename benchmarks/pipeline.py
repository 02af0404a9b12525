"""Pipeline speed: deliveries per second through one real consumer, and approve-to-delivered latency.

    .venv/bin/python benchmarks/pipeline.py                       # SQLite, then PostgreSQL + Redis
    .venv/bin/python benchmarks/pipeline.py --stack sqlite --idle-seconds 10   # quick look

Targets: ≥ 200 deliveries/s per consumer; latency p95 ≤ 1 s and max ≤ 2 s, in a burst and after
the consumer sat idle for two minutes (huey's polling backoff is tuned in settings.HUEY["consumer"]).
"""

import argparse
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from benchmarks import _pipeline_harness as harness


def make_site():
    from wagtail.models import Page, Site

    from hub.models import HomePage, StoryIndexPage

    root = Page.get_first_root_node()
    home = root.add_child(instance=HomePage(title="Trang chủ", slug="trang-chu-bench"))
    Site.objects.all().delete()
    Site.objects.create(
        hostname="127.0.0.1", port=80, root_page=home, is_default_site=True, site_name="Bench"
    )
    return home.add_child(instance=StoryIndexPage(title="Tin tức", slug="tin-tuc"))


def draft_stories(index, count: int, prefix: str) -> list:
    from hub.models import GoodExamplePage

    stories = []
    for n in range(count):
        page = GoodExamplePage(
            title=f"{prefix} {n + 1}: xã vận động người dân tiêm vắc-xin",
            slug=f"{prefix.lower()}-{n + 1}-{time.time_ns()}",
            summary="Người dân trong xã tích cực tham gia tiêm chủng.",
            honoree="Ủy ban nhân dân xã",
            achievement="Vận động 300 hộ gia đình đi tiêm đủ liều.",
            channels=["fast"],
            live=False,
        )
        index.add_child(instance=page)
        stories.append(page)
    return stories


def publish_and_time(stories, server, *, spacing: float = 0.0, timeout: float = 10) -> list[float]:
    """Publishes each story (the approval) and returns seconds until the channel had the post."""
    from publishing.models import Delivery

    started = {}
    for page in stories:
        revision = page.save_revision()
        started[page.pk] = time.time()
        revision.publish()
        if spacing:
            time.sleep(spacing)
    markers = {
        page_id: f"hub-{pk}"
        for pk, page_id in Delivery.objects.filter(
            channel="fast", publication__page_id__in=list(started)
        ).values_list("pk", "publication__page_id")
    }
    harness.wait_until(
        lambda: all(m in server.arrived_at for m in markers.values()), timeout=timeout, interval=0.1
    )
    return [server.arrived_at.get(markers.get(pid, ""), float("inf")) - t0 for pid, t0 in started.items()]


def summary(label: str, latencies: list[float]) -> str:
    p50, p95 = harness.percentile(latencies, 0.5), harness.percentile(latencies, 0.95)
    return f"{label}: n={len(latencies)} p50={p50 * 1000:.0f} ms p95={p95 * 1000:.0f} ms max={max(latencies) * 1000:.0f} ms"


def run_stack(args) -> int:
    from channels.testhttp import TestChannelServer

    server = TestChannelServer().start()
    channels = {"fast": {"BACKEND": "channels.testhttp.TestHttpAdapter", "URL": server.url, "TIMEOUT": 5}}
    name = f"bench_pipeline_{args.stack}"
    env = harness.stack_env(args.stack, name, channels, {"HUEY_WORKERS": str(args.workers)})
    if args.stack == "postgres":
        harness.recreate_postgres_database(name)
    print(
        f"stack={args.stack} deliveries={args.deliveries} consumer=1x{args.workers} threads "
        f"idle={args.idle_seconds}s burst={args.burst}",
        flush=True,
    )
    harness.setup_django(env)
    from publishing.models import Delivery, DeliveryStatus

    consumers = harness.Consumers(env, 1, args.workers, tempfile.mkdtemp(prefix="pipeline-logs-"))
    try:
        # Throughput: a backlog of deliveries, then one consumer drains it.
        harness.bulk_publications(args.deliveries, title="Tin tốc độ")
        pushed = Delivery.objects.filter(channel="fast")
        consumers.start_all()
        harness.wait_until(
            lambda: not pushed.exclude(status=DeliveryStatus.SENT).exists(),
            timeout=args.deliveries / 20,
            interval=0.5,
        )
        sent = pushed.filter(status=DeliveryStatus.SENT)
        first, last = sorted(server.arrived_at.values())[0], sorted(server.arrived_at.values())[-1]
        rate = sent.count() / max(last - first, 1e-6)
        print(
            f"throughput: {sent.count()}/{args.deliveries} sent, {rate:.0f} deliveries/s through one consumer"
        )

        index = make_site()
        burst = draft_stories(index, args.burst, "Burst")
        idle = draft_stories(index, args.after_idle, "Idle")
        time.sleep(3)  # let the consumer's polling settle
        print(summary("latency, burst", publish_and_time(burst, server)), flush=True)
        time.sleep(args.idle_seconds)
        print(
            summary(f"latency after {args.idle_seconds}s idle", publish_and_time(idle, server, spacing=3.0)),
            flush=True,
        )
    finally:
        consumers.stop_all()
        server.stop()
    if args.stack == "postgres":
        from django.db import connections

        connections.close_all()
        harness.drop_postgres_database(name)
    harness.remove_var_dir(env)
    return 0


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--stack", choices=["sqlite", "postgres", "both"], default="both")
    parser.add_argument("--deliveries", type=int, default=2000)
    parser.add_argument("--workers", type=int, default=4)
    parser.add_argument("--burst", type=int, default=40)
    parser.add_argument("--after-idle", type=int, default=6)
    parser.add_argument("--idle-seconds", type=int, default=120)
    args = parser.parse_args()
    if args.stack != "both":
        return run_stack(args)
    status = 0
    for stack in ("sqlite", "postgres"):
        status |= subprocess.call([sys.executable, __file__, *sys.argv[1:], "--stack", stack])
    return status


if __name__ == "__main__":
    sys.exit(main())
