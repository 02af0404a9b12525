"""Portal list pages with one content language and with four: SQL queries and render time.

    .venv/bin/python benchmarks/languages.py [--stories 60]

Builds a throwaway SQLite site (benchmarks/portal.py's builder), measures the uncached home,
section and story pages (a never-seen query string per request misses the page cache), then
translates every story into Thái, H'Mông and English (the home and sections exist in every
language as aliases) and measures the same pages again, and their H'Mông versions.
"""

import argparse
import json
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from benchmarks._harness import bench_env, run_python, var_dir

ROUNDS = 30


def _measure(client, url: str, counter: list[int]) -> dict:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    for _ in range(3):  # warm: content types, site root paths, menu fragment, templates
        counter[0] += 1
        client.get(f"{url}?warm={counter[0]}")
    queries, timings = [], []
    for _ in range(ROUNDS):
        counter[0] += 1
        with CaptureQueriesContext(connection) as captured:
            started = time.perf_counter()
            response = client.get(f"{url}?u={counter[0]}")
            timings.append(time.perf_counter() - started)
        assert response.status_code == 200 and response["X-Cache"] == "MISS", (url, response.status_code)
        queries.append(len(captured))
    return {"queries": max(queries), "ms": round(statistics.median(timings) * 1000, 1)}


def in_process(*, stories: int) -> dict:
    import django

    django.setup()
    from django.core.management import call_command
    from django.test import Client
    from wagtail.models import Page

    from benchmarks.portal import build_site
    from hub.models import HomePage
    from hub.translations import ensure_locales, sync_site_structure

    call_command("migrate", verbosity=0)
    call_command("collectstatic", interactive=False, verbosity=0)
    urls = build_site(stories=stories)
    client = Client(HTTP_HOST="127.0.0.1")
    counter = [0]
    results = {
        "stories": stories,
        "one": {name: _measure(client, url, counter) for name, url in urls.items()},
    }

    locales = ensure_locales()
    home = HomePage.objects.get(locale=locales["vi"])
    sync_site_structure(home)
    started = time.perf_counter()
    sources = [page.specific for page in Page.objects.descendant_of(home).filter(depth=home.depth + 2)]
    for code in ("blt", "hmn", "en"):
        for source in sources:
            source.copy_for_translation(locales[code]).save_revision().publish()
    results["translate_s"] = round(time.perf_counter() - started, 1)
    results["translations"] = len(sources) * 3
    results["four"] = {name: _measure(client, url, counter) for name, url in urls.items()}
    results["four_hmn"] = {name: _measure(client, f"/hmn{url}", counter) for name, url in urls.items()}
    return results


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--stories", type=int, default=60)
    parser.add_argument("--in-process", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.in_process:
        print(json.dumps(in_process(stories=args.stories)))
        return
    with var_dir("bench-languages") as var:
        env = bench_env(var, "bench_languages")
        print(
            f"Building a site with {args.stories} stories, then translating each into 3 languages…",
            flush=True,
        )
        result = json.loads(
            run_python(env, __file__, "--in-process", "--stories", str(args.stories)).splitlines()[-1]
        )
    print(f"{result['translations']} translations published in {result['translate_s']} s")
    print(f"{'page':<8}{'1 language':>16}{'4 languages (vi)':>20}{'4 languages (hmn)':>20}")
    for name in result["one"]:
        cells = [result[key][name] for key in ("one", "four", "four_hmn")]
        print(f"{name:<8}" + "".join(f"{c['queries']:>8} q {c['ms']:>6} ms" for c in cells))
    flat = all(result["one"][name]["queries"] == result["four"][name]["queries"] for name in result["one"])
    print("queries flat from 1 to 4 languages (vi pages):", "yes" if flat else "NO")


if __name__ == "__main__":
    main()
