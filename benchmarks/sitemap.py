"""The sitemap at archive scale: the index and a full child sitemap served from the page cache
against a static file, on PostgreSQL + Redis with production settings.

    .venv/bin/python benchmarks/sitemap.py [--size 100000] [--seconds 5] [--connections 8]

Uses (and fills when missing or short) the PostgreSQL database `bench_scale_<size>` that
benchmarks/scale.py keeps; runs gunicorn (2 workers) with the portal cache in Redis; prints the
uncached time and the bytes of each, then requests/s of the cached, compressed index and first
child sitemap (at 100,000 stories a child holds SITEMAP_URLS_PER_FILE = 10,000 addresses) against
the compressed static CSS file and against a static copy of the child sitemap's own bytes.
"""

from __future__ import annotations

import argparse
import gzip
import shutil
import sys
import time
import urllib.request
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

import brotli
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
            with urllib.request.urlopen(base + PATHS["sitemap child 1"]) as response:
                child = response.read()
        # The same bytes as a static file, compressed beside it as collectstatic does, so that the
        # child sitemap is also compared with a file of its own size.
        copy = var / "static" / "bench" / "sitemap-copy.xml"
        copy.parent.mkdir(parents=True, exist_ok=True)
        copy.write_bytes(child)
        Path(f"{copy}.gz").write_bytes(gzip.compress(child, 6, mtime=0))
        Path(f"{copy}.br").write_bytes(brotli.compress(child, quality=5))
        files = {"static file (CSS)": css, "static sitemap copy": "/static/bench/sitemap-copy.xml"}
        with gunicorn(env) as base:  # WhiteNoise finds its files when it starts
            for path in [*files.values(), *PATHS.values()]:  # warm every worker's copy of the cache
                for _ in range(6):
                    get(base + path, COMPRESSED)
            loads = {
                label: measure(
                    base + path, seconds=args.seconds, connections=args.connections, headers=COMPRESSED
                )
                for label, path in {**files, **PATHS}.items()
            }

    static, copy = loads["static file (CSS)"], loads["static sitemap copy"]
    client = "wrk" if shutil.which("wrk") else "Python client"
    print(
        f"\nCached and compressed, gunicorn 2 workers, {args.connections} connections, {args.seconds:.0f} s ({client}):"
    )
    print(f"{'what':<22}{'req/s':>9}{'p50 ms':>9}{'p99 ms':>9}{'×CSS':>7}{'×copy':>7}")
    for label, load in loads.items():
        print(
            f"{label:<22}{load.rps:>9.0f}{load.p50_ms:>9.2f}{load.p99_ms:>9.2f}"
            f"{load.rps / static.rps:>7.2f}{load.rps / copy.rps:>7.2f}"
        )
    index_ratio = loads["sitemap index"].rps / static.rps
    child_ratio = loads["sitemap child 1"].rps / copy.rps
    print(f"\nsitemap index against the CSS file: {index_ratio:.2f}× (target ≥ 0.85×)")
    print(f"child sitemap against the same bytes as a static file: {child_ratio:.2f}× (target ≥ 0.85×)")
    errors = sum(load.errors for load in loads.values())
    sys.exit(1 if errors or min(index_ratio, child_ratio) < 0.85 else 0)


if __name__ == "__main__":
    main()
