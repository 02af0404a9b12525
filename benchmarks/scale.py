"""Public paths and editor screens at two archive sizes: queries and time must not grow with the archive.

For each size a PostgreSQL database `bench_scale_<size>` is filled (the demo site, then
`generate_stories` up to the size; kept between runs with --keep) and every path is requested in
process, with Redis as the cache: the number of queries and the median time of a few requests.
Each request carries a query string never seen before, so it misses the page cache and is built
from the database, while the shared fragments (the menu) stay cached, as in production.

    .venv/bin/python benchmarks/scale.py --sizes 1000,100000 --keep
"""

from __future__ import annotations

import argparse
import itertools
import json
import statistics
import sys
import time
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

import psycopg

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from benchmarks._harness import _execute, bench_env, manage, run_python, var_dir

REPEAT = 11


def measure() -> dict:
    """In the database of this process's settings: queries and median ms of each path."""
    import django

    django.setup()
    from django.contrib.auth import get_user_model
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext
    from wagtail.models import Page

    from hub.models import StoryIndexPage, StoryPage

    section = StoryIndexPage.objects.live().order_by("-numchild").first()
    stories = Page.objects.type(StoryPage)
    story = stories.live().order_by("-first_published_at").first() or section
    admin = get_user_model().objects.filter(is_superuser=True).first()
    anonymous, editor = Client(HTTP_HOST="127.0.0.1"), Client(HTTP_HOST="127.0.0.1")
    editor.force_login(admin)
    paths = {
        "home": (anonymous, "/"),
        "section": (anonymous, section.url),
        "story": (anonymous, story.url),
        "search": (anonymous, "/tim-kiem/?q=ti%C3%AAm+ch%E1%BB%A7ng"),
        "search unaccented": (anonymous, "/tim-kiem/?q=tiem+chung"),
        "feed rss": (anonymous, "/feeds/rss/"),
        "feed atom": (anonymous, "/feeds/atom/"),
        "cap": (anonymous, "/cap/"),
        "sitemap": (anonymous, "/sitemap.xml"),
        "sitemap, 1 changed": (anonymous, "/sitemap.xml"),  # after a story changed: one child recounted
        "admin explorer": (editor, f"/admin/pages/{section.pk}/"),
        "admin search": (editor, "/admin/pages/search/?q=ti%C3%AAm"),
        # A word found nowhere: beyond ADMIN_SEARCH_WINDOW pages the older ones are searched too.
        "admin search, none": (editor, "/admin/pages/search/?q=zzzqx"),
        "admin edit": (editor, f"/admin/pages/{story.pk}/edit/"),
    }
    from hub.sitemaps import pages_changed

    before = {"sitemap, 1 changed": lambda: pages_changed([(story.pk, story.path)])}
    results = {"stories": stories.count()}
    unique = itertools.count()
    for name, (client, path) in paths.items():
        separator = "&" if "?" in path else "?"
        client.get(f"{path}{separator}u={next(unique)}")  # warm: content types, site root paths, menu
        times, queries, status = [], 0, 0
        for _ in range(REPEAT):
            fresh = f"{path}{separator}u={next(unique)}"  # a page-cache miss
            if name in before:
                before[name]()
            with CaptureQueriesContext(connection) as captured:
                started = time.perf_counter()
                response = client.get(fresh)
                times.append((time.perf_counter() - started) * 1000)
            queries, status = len(captured.captured_queries), response.status_code
        results[name] = {"queries": queries, "ms": statistics.median(times), "status": status}
    return results


def fill(env: dict[str, str], size: int) -> None:
    manage(env, "migrate", "--noinput", "-v0")
    manage(env, "collectstatic", "--noinput", "-v0")
    manage(env, "demo", "--force")
    have = int(
        run_python(
            env,
            "-c",
            "import django; django.setup(); from wagtail.models import Page; from hub.models import StoryPage;"
            " print(Page.objects.type(StoryPage).count())",
        ).strip()
    )
    if have < size:
        print(f"  generating {size - have:,} stories…", flush=True)
        manage(env, "generate_stories", "--count", str(size - have))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="1000,100000")
    parser.add_argument("--database-url", default="postgres://postgres@127.0.0.1:5432/postgres")
    parser.add_argument("--redis-url", default="redis://127.0.0.1:6379/3")
    parser.add_argument("--keep", action="store_true", help="keep (and reuse) the filled databases")
    parser.add_argument("--measure", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.measure:
        print(json.dumps(measure()))
        return

    sizes = [int(size) for size in args.sizes.split(",")]
    figures = {}
    for size in sizes:
        name = f"bench_scale_{size}"
        with psycopg.connect(args.database_url, autocommit=True) as conn:
            if not conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone():
                conn.execute(f'CREATE DATABASE "{name}"')
        url = urlunsplit(urlsplit(args.database_url)._replace(path=f"/{name}"))
        with var_dir(f"bench-scale-{size}") as var:
            env = bench_env(var, f"{name}-{time.time_ns()}", DATABASE_URL=url, REDIS_URL=args.redis_url)
            print(f"{size:,} stories: filling {name}…", flush=True)
            fill(env, size)
            figures[size] = json.loads(run_python(env, __file__, "--measure").strip().splitlines()[-1])
        if not args.keep:
            _execute(args.database_url, f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')

    small, large = sizes[0], sizes[-1]
    print(f"\nPostgreSQL + Redis, page-cache misses, median of {REPEAT} requests in process.")
    print(f"{'path':<20}{'queries':>9}{'':>3}{'queries':>9}{'ms':>9}{'ms':>9}{'×':>7}")
    print(f"{'':<20}{small:>9,}{'':>3}{large:>9,}{small:>9,}{large:>9,}")
    for path in figures[small]:
        if path == "stories":
            continue
        a, b = figures[small][path], figures[large][path]
        flag = "" if a["queries"] == b["queries"] and b["ms"] <= 2 * a["ms"] else "  <- grows"
        print(
            f"{path:<20}{a['queries']:>9}{'':>3}{b['queries']:>9}{a['ms']:>9.1f}{b['ms']:>9.1f}"
            f"{b['ms'] / a['ms']:>7.2f}{flag}"
        )
    print(f"\nSearch at {large:,} stories: {figures[large]['search']['ms']:.1f} ms (target ≤ 50 ms)")


if __name__ == "__main__":
    main()
