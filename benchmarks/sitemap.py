"""The sitemap at archive scale: the index and a full child sitemap served from the page cache
against a static file, on PostgreSQL + Redis with production settings.

    .venv/bin/python benchmarks/sitemap.py [--size 100000] [--seconds 5] [--connections 8]

Uses (and fills when missing or short) the PostgreSQL database `bench_scale_<size>` that
benchmarks/scale.py keeps; runs gunicorn (2 workers) with the portal cache in Redis; prints the
uncached time and the bytes of each, then requests/s of the compressed static CSS file and of the
cached, compressed index and first child sitemap (at 100,000 stories a child holds
SITEMAP_URLS_PER_FILE = 10,000 addresses).
"""

from __future__ import annotations

import argparse
import shutil
import sys
import time
import urllib.request
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

import psycopg

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from benchmarks._harness import bench_env, gunicorn, measure, var_dir
from benchmarks.scale import fill

PATHS = {"sitemap index": "/sitemap.xml", "sitemap child 1": "/sitemap-vi-1.xml"}
COMPRESSED = {"Accept-Encoding": "br, gzip"}


def get(url: str, headers: dict | None = None) -> tuple[float, int]:
    """Milliseconds and bytes of one request."""
    request = urllib.request.Request(url, headers=headers or {})
    started = time.perf_counter()
    with urllib.request.urlopen(request, timeout=120) as response:
        body = response.read()
    return (time.perf_counter() - started) * 1000, len(body)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--size", type=int, default=100_000)
    parser.add_argument("--seconds", type=float, default=5)
    parser.add_argument("--connections", type=int, default=8)
    parser.add_argument("--database-url", default="postgres://postgres@127.0.0.1:5432/postgres")
    parser.add_argument("--redis-url", default="redis://127.0.0.1:6379/3")
    args = parser.parse_args()

    name = f"bench_scale_{args.size}"
    with psycopg.connect(args.database_url, autocommit=True) as conn:
        if not conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone():
            conn.execute(f'CREATE DATABASE "{name}"')
    url = urlunsplit(urlsplit(args.database_url)._replace(path=f"/{name}"))
    with var_dir("bench-sitemap") as var:
        env = bench_env(var, f"bench-sitemap-{time.time_ns()}", DATABASE_URL=url, REDIS_URL=args.redis_url)
        print(f"{args.size:,} stories in {name}…", flush=True)
        fill(env, args.size)
        with gunicorn(env) as base:
            print("\nUncached (first request after start), then bytes compressed:")
            for label, path in PATHS.items():
                ms, plain = get(base + path)
                _ms, packed = get(base + path, COMPRESSED)
                print(f"  {label:<16}{ms:>9.1f} ms {plain:>11,} bytes, {packed:>9,} compressed")
            with urllib.request.urlopen(base + "/") as response:
                html = response.read().decode()
            css = html.split('rel="stylesheet" href="', 1)[1].split('"', 1)[0]
            for path in [css, *PATHS.values()]:  # warm every worker's view of the cache
                for _ in range(6):
                    get(base + path, COMPRESSED)
            loads = {
                "static file (CSS)": measure(
                    base + css, seconds=args.seconds, connections=args.connections, headers=COMPRESSED
                )
            }
            for label, path in PATHS.items():
                loads[label] = measure(
                    base + path, seconds=args.seconds, connections=args.connections, headers=COMPRESSED
                )

    static = loads["static file (CSS)"]
    client = "wrk" if shutil.which("wrk") else "Python client"
    print(
        f"\nCached and compressed, gunicorn 2 workers, {args.connections} connections, {args.seconds:.0f} s ({client}):"
    )
    print(f"{'what':<20}{'req/s':>9}{'p50 ms':>9}{'p99 ms':>9}{'×static':>9}")
    failed = False
    for label, load in loads.items():
        ratio = load.rps / static.rps
        flag = ""
        if label != "static file (CSS)":
            flag = "  met (≥ 0.85×)" if ratio >= 0.85 else "  NOT met (≥ 0.85×)"
            failed |= ratio < 0.85 or load.errors > 0
        print(f"{label:<20}{load.rps:>9.0f}{load.p50_ms:>9.2f}{load.p99_ms:>9.2f}{ratio:>9.2f}{flag}")
    sys.exit(1 if failed else 0)


if __name__ == "__main__":
    main()
