"""Grouping quality and intake speed of hub/intake.

1. Quality: ≥200 labelled reports (20 claims × 12 variants: template paraphrase, diacritics
   stripped, typos, links) go through the real intake; pairwise precision and recall of the
   resulting claims against the labels.
2. Speed: with 10,000 existing reports (2,000 claims) in the grouping window, 1,000 more reports
   are taken in one by one; median and 95th percentile milliseconds per report.

    python benchmarks/tip_grouping.py                 # SQLite in a throwaway folder
    python benchmarks/tip_grouping.py --postgres postgres://postgres@127.0.0.1:5432/postgres
"""

import argparse
import os
import random
import statistics
import sys
import time
from itertools import combinations
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

EXISTING_TIPS = 10_000
EXISTING_CLAIMS = 2_000
TIMED_REPORTS = 1_000


def inner() -> None:
    import django

    django.setup()
    from django.db import transaction
    from django.utils import timezone

    from benchmarks.tip_grouping_data import CLAIMS, filler_text, labelled_reports, variant
    from hub.intake import matching
    from hub.intake.models import Claim, Tip, TipKind, TipSource
    from hub.intake.services import IncomingReport, tip_intake
    from hub.models import Organisation

    organisation = Organisation.objects.create(name="Bench", slug="bench", kind="province")

    def intake(text: str, link: str) -> Tip:
        return tip_intake(
            organisation=organisation,
            report=IncomingReport(kind=TipKind.RUMOUR, source=TipSource.PORTAL, text=text, link=link),
        )

    # 1. Quality on the labelled set.
    reports = labelled_reports()
    predicted = [intake(text, link).claim_id for _label, text, link in reports]
    labels = [label for label, _text, _link in reports]
    true_positive = false_positive = false_negative = 0
    for (label_a, claim_a), (label_b, claim_b) in combinations(zip(labels, predicted, strict=True), 2):
        same_label, same_claim = label_a == label_b, claim_a == claim_b
        true_positive += same_label and same_claim
        false_positive += same_claim and not same_label
        false_negative += same_label and not same_claim
    precision = true_positive / (true_positive + false_positive) if true_positive + false_positive else 0.0
    recall = true_positive / (true_positive + false_negative) if true_positive + false_negative else 0.0
    print(f"labelled reports: {len(reports)} of {len(CLAIMS)} claims -> {len(set(predicted))} claims formed")
    print(f"pairwise precision: {precision:.3f}")
    print(f"pairwise recall:    {recall:.3f}")

    # 2. Speed at 10,000 existing reports.
    rng = random.Random(7)
    now = timezone.now()
    with transaction.atomic():
        claims = Claim.objects.bulk_create(
            [
                Claim(
                    organisation=organisation, title=f"Filler {n}", text=f"Filler {n}", first_reported_at=now
                )
                for n in range(EXISTING_CLAIMS)
            ]
        )
        texts = [filler_text(rng) for _ in range(EXISTING_CLAIMS)]
        batch = []
        for n in range(EXISTING_TIPS - Tip.objects.count()):
            index = n % EXISTING_CLAIMS
            text = (
                texts[index]
                if n < EXISTING_CLAIMS
                else f"{texts[index]} {rng.choice(['!', 'a', 'nhe', '?'])}"
            )
            batch.append(
                Tip(
                    organisation=organisation,
                    claim=claims[index],
                    kind=TipKind.RUMOUR,
                    source=TipSource.PORTAL,
                    text=text,
                    normalized=matching.normalize(text),
                    received_at=now,
                )
            )
        Tip.objects.bulk_create(batch, batch_size=1000)
    print(f"existing reports: {Tip.objects.count()} in {Claim.objects.count()} claims")

    timings = []
    for n in range(TIMED_REPORTS):
        text, link = variant(n % len(CLAIMS), rng) if n % 2 else (filler_text(rng), "")
        started = time.perf_counter()
        intake(text, link)
        timings.append((time.perf_counter() - started) * 1000)
    timings.sort()
    print(
        f"intake of {TIMED_REPORTS} reports: median {statistics.median(timings):.1f} ms, "
        f"p95 {timings[int(len(timings) * 0.95)]:.1f} ms, max {timings[-1]:.1f} ms per report"
    )
    # The grouping decision alone (candidates kept in memory, one small query for newer reports).
    from hub.intake import services

    decisions = []
    for n in range(TIMED_REPORTS):
        text = matching.normalize(variant(n % len(CLAIMS), rng)[0] if n % 2 else filler_text(rng))
        started = time.perf_counter()
        services.claim_id_for_report(
            organisation=organisation, kind=TipKind.RUMOUR, normalized=text, link_key="", image_hash=""
        )
        decisions.append((time.perf_counter() - started) * 1000)
    distinct = len(services._candidates_for(organisation, TipKind.RUMOUR).texts)
    print(
        f"grouping decision alone: median {statistics.median(decisions):.2f} ms over {distinct} distinct texts "
        "(the rest of an intake is its 4–7 SQL statements)"
    )
    ok = precision >= 0.9 and recall >= 0.9 and statistics.median(timings) < 50
    print("targets (precision ≥ 0.9, recall ≥ 0.9, median < 50 ms):", "met" if ok else "NOT met")


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--inner", action="store_true", help=argparse.SUPPRESS)
    parser.add_argument(
        "--postgres", metavar="URL", help="a maintenance database URL; a throwaway database is made"
    )
    options = parser.parse_args()
    if options.inner:
        inner()
        return

    from benchmarks._harness import bench_env, manage, postgres_database, run_python, var_dir

    name = f"bench-tips-{os.getpid()}"
    with var_dir("tip-grouping") as var:
        if options.postgres:
            with postgres_database(options.postgres, name.replace("-", "_")) as url:
                env = bench_env(var, name, DATABASE_URL=url)
                manage(env, "migrate", "--no-input")
                print("database: PostgreSQL")
                print(run_python(env, "benchmarks/tip_grouping.py", "--inner"), end="")
        else:
            env = bench_env(var, name)
            manage(env, "migrate", "--no-input")
            print("database: SQLite")
            print(run_python(env, "benchmarks/tip_grouping.py", "--inner"), end="")


if __name__ == "__main__":
    main()
