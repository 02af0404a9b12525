"""SMS partner feed benchmark: 100,000 messages, 50 partners, PostgreSQL, gunicorn (2 workers), wrk.

    .venv/bin/python benchmarks/sms_feed.py [--messages 100000] [--seconds 8]

Prints queries per page at the start, middle and end of the feed, then requests/s and p50/p99
for a 100-message page against a minimal Django JSON view served by the same gunicorn.
Needs PostgreSQL (BENCH_DATABASE_URL, default postgres://postgres@127.0.0.1:5432/test as the
maintenance database; a `bench_sms` database is created and dropped) and wrk; Redis when
BENCH_REDIS_URL is reachable (default redis://127.0.0.1:6379/5), else the file cache.
"""

import argparse
import json
import os
import random
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from benchmarks import _harness as harness

PARTNERS = 50
DISTRICTS = 10
COMMUNES_PER_DISTRICT = 10
PAGE = 100
CONNECTIONS = 16


def populate(messages: int) -> dict:
    """Runs inside Django (bench settings): bulk-loads the feed, returns keys, cursors and query counts."""
    import django

    django.setup()
    import datetime

    from django.core.cache import cache
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext
    from django.utils import timezone

    from channels.sms.coverage import entry_region_paths
    from channels.sms.feed import _dumps, encode_cursor, visible_entries
    from channels.sms.keys import key_create
    from channels.sms.models import FeedCounter, FeedEntry, Partner
    from channels.sms.partners import partner_refresh_coverage
    from hub.models import Region, RegionLevel

    rng = random.Random(2026)
    province = Region.objects.create(code="11", name="Điện Biên", level=RegionLevel.PROVINCE)
    districts = [
        Region.objects.create(
            code=f"{94 + i:03d}", name=f"Huyện {i}", level=RegionLevel.DISTRICT, parent=province
        )
        for i in range(DISTRICTS)
    ]
    communes = [
        Region.objects.create(
            code=f"{3100 + i * 100 + j:05d}", name=f"Xã {i}-{j}", level=RegionLevel.COMMUNE, parent=district
        )
        for i, district in enumerate(districts)
        for j in range(COMMUNES_PER_DISTRICT)
    ]
    keys = []
    for number in range(PARTNERS):
        partner = Partner.objects.create(name=f"Nhà mạng {number}")
        partner.coverage.set([districts[number % DISTRICTS]])
        partner_refresh_coverage(partner=partner)
        keys.append(key_create(partner=partner)[1])

    now = timezone.now()
    until = now + datetime.timedelta(days=30)
    text = "Sở Y tế Điện Biên: người dân thực hiện 5K, đi tiêm vắc-xin đủ liều tại trạm y tế xã."
    batch = []
    for seq in range(1, messages + 1):
        roll = rng.random()
        region = province if roll < 0.1 else rng.choice(districts) if roll < 0.4 else rng.choice(communes)
        body = {
            "id": str(seq),
            "type": "message",
            "text": text,
            "text_ascii": "So Y te Dien Bien: nguoi dan thuc hien 5K, di tiem vac-xin du lieu tai tram y te xa.",
            "encoding": "UCS-2",
            "segments": 2,
            "encoding_ascii": "GSM-7",
            "segments_ascii": 1,
            "priority": "normal",
            "regions": [region.code],
            "valid_from": now.isoformat(),
            "valid_until": until.isoformat(),
            "url": f"https://portal.example/tin/{seq}/",
        }
        batch.append(
            FeedEntry(
                seq=seq,
                kind="message",
                region_paths=entry_region_paths([region.path]),
                body=_dumps(body),
                text=text,
                priority="normal",
                visible_until=until,
            )
        )
        if len(batch) == 5000:
            FeedEntry.objects.bulk_create(batch)
            batch = []
    FeedCounter.objects.update_or_create(pk=1, defaults={"last": messages})
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")

    client = Client(HTTP_HOST="127.0.0.1")
    auth = {"HTTP_AUTHORIZATION": f"Bearer {keys[0]}"}
    visible = visible_entries(coverage_paths=Partner.objects.get(name="Nhà mạng 0").coverage_paths)
    last_seen = list(visible.order_by("-seq").values_list("seq", flat=True)[:5])
    cursors = {"start": None, "middle": encode_cursor(messages // 2), "end": encode_cursor(last_seen[-1])}
    queries = {}
    for label, after in cursors.items():
        params = {"limit": PAGE, **({"after": after} if after else {})}
        for state in ("cold", "warm"):
            if state == "cold":
                cache.clear()
            with CaptureQueriesContext(connection) as captured:
                response = client.get("/api/sms/v1/messages", params, **auth)
            assert response.status_code == 200, response.content[:300]
            queries[f"{label} ({state} key cache)"] = len(captured)
        queries[f"{label} messages on page"] = len(response.json()["messages"])
    return {"key": keys[0], "cursors": cursors, "queries": queries}


def main(messages: int, seconds: int) -> None:
    maintenance = os.environ.get("BENCH_DATABASE_URL", "postgres://postgres@127.0.0.1:5432/test")
    redis_url = os.environ.get("BENCH_REDIS_URL", "redis://127.0.0.1:6379/5")
    try:
        import redis

        redis.Redis.from_url(redis_url).ping()
    except (ImportError, OSError, redis.RedisError):
        redis_url = ""
    with harness.var_dir("bench-sms") as var, harness.postgres_database(maintenance, "bench_sms") as url:
        env = harness.bench_env(
            var, "bench_sms", DATABASE_URL=url, REDIS_URL=redis_url, SMS_RATE_LIMIT="100000000"
        )
        print(
            f"Loading {messages:,} messages and {PARTNERS} partners into PostgreSQL (bench_sms)…", flush=True
        )
        harness.manage(env, "migrate", "--noinput", "-v", "0")
        output = harness.run_python(env, __file__, "--populate", "--messages", str(messages))
        loaded = json.loads(output.strip().splitlines()[-1])
        print("\nQueries per feed request (auth included):")
        for label, count in loaded["queries"].items():
            print(f"  {label:38} {count}")
        with harness.gunicorn(env, workers=2) as base:
            headers = {"Authorization": f"Bearer {loaded['key']}"}
            harness.measure(base + harness.MINIMAL_PATH, connections=CONNECTIONS, seconds=2)  # warm-up
            minimal = harness.measure(base + harness.MINIMAL_PATH, connections=CONNECTIONS, seconds=seconds)
            pages = {}
            for label in ("start", "middle"):
                after = loaded["cursors"][label]
                page_url = f"{base}/api/sms/v1/messages?limit={PAGE}" + (f"&after={after}" if after else "")
                harness.measure(page_url, headers=headers, connections=CONNECTIONS, seconds=2)
                pages[label] = harness.measure(
                    page_url, headers=headers, connections=CONNECTIONS, seconds=seconds
                )
        print(
            f"\nThroughput, gunicorn 2 workers, {CONNECTIONS} connections, cache: {'Redis' if redis_url else 'files'}"
        )
        print(
            f"  {'minimal JSON view':28} {minimal.rps:9.0f} req/s  p50 {minimal.p50_ms:6.2f} ms  p99 {minimal.p99_ms:6.2f} ms"
        )
        for label, load in pages.items():
            share = load.rps / minimal.rps * 100
            print(
                f"  {'feed page of 100, ' + label:28} {load.rps:9.0f} req/s  p50 {load.p50_ms:6.2f} ms"
                f"  p99 {load.p99_ms:6.2f} ms  = {share:.0f}% of minimal"
                f"{'' if not load.errors else f'  ({load.errors} errors!)'}"
            )
        worst = min(pages.values(), key=lambda load: load.rps)
        worst_p99 = max(load.p99_ms for load in pages.values())
        counts = [count for label, count in loaded["queries"].items() if "messages" not in label]
        print("\nTargets:")
        print(f"  ≥ 25% of minimal req/s : {'met' if worst.rps >= 0.25 * minimal.rps else 'MISSED'}")
        print(f"  p99 ≤ 35 ms            : {'met' if worst_p99 <= 35 else 'MISSED'} ({worst_p99:.1f} ms)")
        print(f"  ≤ 3 queries per page   : {'met' if max(counts) <= 3 else 'MISSED'} (max {max(counts)})")


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--messages", type=int, default=100_000)
    parser.add_argument("--seconds", type=int, default=8, help="wrk duration of each measurement")
    parser.add_argument("--populate", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.populate:
        print(json.dumps(populate(args.messages)))
    else:
        main(args.messages, args.seconds)
