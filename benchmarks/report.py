"""Monthly report benchmark: 10,000 stories, 100,000 deliveries, 1,000,000 SMS acks on PostgreSQL.

    .venv/bin/python benchmarks/report.py [--stories 10000] [--keep]

Bulk-loads one organisation's month (publications, deliveries with attempts, SMS feed entries
acknowledged by 100 partners, LED screens and playlist items, workflow and task states, phase
changes) into its own database, then builds the report (figures, charts, XLSX, DOCX) and prints
the seconds and the number of queries, per provider and in all. Fails above 10 s.
Needs PostgreSQL: BENCH_DATABASE_URL names the database to create and use (default
postgres://postgres@127.0.0.1:5432/bench_reports); it is dropped at the end unless --keep.
"""

import argparse
import datetime
import os
import sys
import time
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

PARTNERS = 100
DELIVERIES_PER_STORY = 10
REGIONS = 20
SCREENS = 500
WORKFLOWS = 5_000
LIMIT_SECONDS = 10.0
QUERY_LIMIT = 60


def admin_url(url: str) -> tuple[str, str]:
    parts = urlsplit(url)
    return urlunsplit(parts._replace(path="/postgres")), parts.path.lstrip("/")


def create_database(url: str) -> None:
    import psycopg

    maintenance, name = admin_url(url)
    with psycopg.connect(maintenance.replace("postgres://", "postgresql://"), autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}"')
        conn.execute(f'CREATE DATABASE "{name}"')


def drop_database(url: str) -> None:
    import psycopg

    maintenance, name = admin_url(url)
    with psycopg.connect(maintenance.replace("postgres://", "postgresql://"), autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def populate(stories: int):
    """Bulk-inserts the month; returns the organisation and the period."""
    from django.contrib.contenttypes.models import ContentType
    from wagtail.models import GroupApprovalTask, Page, Revision, Site, TaskState, Workflow, WorkflowState

    from channels.led.models import PlaylistItem, Screen
    from channels.sms.models import FeedEntry, Partner, SmsAck
    from hub.models import HomePage, Organisation, PhaseChange, Region, StoryIndexPage
    from publishing.models import Delivery, DeliveryAttempt, Publication
    from publishing.reports.periods import monthly_period

    period = monthly_period(today=datetime.date(2026, 11, 23))
    seconds = (period.end - period.start).total_seconds()

    def moment(n: int, spread: int) -> datetime.datetime:
        # 5 % of the rows fall just outside the period, on either side.
        offset = (n * 7919 % spread) / spread * seconds * 1.1 - seconds * 0.05
        return period.start + datetime.timedelta(seconds=offset)

    root = Page.get_first_root_node()
    home = root.add_child(instance=HomePage(title="Trang chủ", slug="trang-chu-bench"))
    index = home.add_child(instance=StoryIndexPage(title="Tin tức", slug="tin-tuc"))
    site = Site.objects.create(
        hostname="bench.example", root_page=home, is_default_site=True, site_name="Bench"
    )
    province = Region.objects.create(code="11", name="Tỉnh Điện Biên", level="province")
    districts = [
        Region.objects.create(code=f"{100 + n}", name=f"Huyện {n}", level="district", parent=province)
        for n in range(REGIONS)
    ]
    organisation = Organisation.objects.create(
        name="Sở Thông tin và Truyền thông", slug="stttt", kind="department", site=site, region=province
    )

    kinds = ["situation", "vaccination", "rebuttal", "directive", "goodexample"]
    publications = Publication.objects.bulk_create(
        [
            Publication(
                page=index,
                kind=kinds[n % len(kinds)],
                title=f"Tin số {n}",
                url=f"https://bench.example/tin/{n}/",
                phase="new_normal",
                valid_from=moment(n, stories),
                valid_until=moment(n, stories) + datetime.timedelta(days=7),
                published_at=moment(n, stories),
                retracted_at=moment(n, stories) + datetime.timedelta(days=1) if n % 50 == 0 else None,
            )
            for n in range(stories)
        ],
        batch_size=5_000,
    )
    Publication.regions.through.objects.bulk_create(
        [
            Publication.regions.through(publication_id=p.pk, region_id=districts[n % REGIONS].pk)
            for n, p in enumerate(publications)
        ],
        batch_size=10_000,
    )

    # Deliveries and acks are generated inside PostgreSQL (INSERT … SELECT): a million rows in seconds.
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute(
            f"""
            INSERT INTO {Delivery._meta.db_table}
                (publication_id, channel, target, target_label, status, priority, payload, attempts,
                 lease_owner, last_error, external_id, external_url, sandbox, created_at, updated_at, sent_at)
            SELECT p.id, (ARRAY['facebook','x','sms','led','portal'])[1 + k %% 5], 't' || k, '',
                   CASE (p.id + k) %% 10 WHEN 8 THEN 'failed' WHEN 9 THEN 'retracted' ELSE 'sent' END,
                   0, '{{}}'::jsonb, 1, '',
                   CASE (p.id + k) %% 10 WHEN 8 THEN 'HTTP ' || (500 + k %% 4) || ' from the network' ELSE '' END,
                   '', '', false, p.published_at, p.published_at,
                   CASE (p.id + k) %% 10 WHEN 8 THEN NULL ELSE p.published_at END
            FROM {Publication._meta.db_table} p CROSS JOIN generate_series(0, %s) AS k
            """,
            [DELIVERIES_PER_STORY - 1],
        )
        cursor.execute(
            f"""
            INSERT INTO {DeliveryAttempt._meta.db_table} (delivery_id, action, started_at, finished_at, outcome, error, worker)
            SELECT id, 'send', created_at, created_at, CASE status WHEN 'failed' THEN 'error' ELSE 'ok' END, last_error, ''
            FROM {Delivery._meta.db_table} WHERE id % 5 = 0
            """
        )
    partners = Partner.objects.bulk_create([Partner(name=f"Nhà mạng {n}") for n in range(PARTNERS)])
    FeedEntry.objects.bulk_create(
        [
            FeedEntry(
                seq=n + 1,
                kind="message",
                publication=p,
                region_paths="|",
                body="{}",
                visible_until=p.valid_until,
                created_at=p.published_at,
            )
            for n, p in enumerate(publications)
        ],
        batch_size=10_000,
    )
    with connection.cursor() as cursor:
        cursor.execute(
            f"""
            INSERT INTO {SmsAck._meta.db_table} (partner_id, entry_id, status, recipients, at, reason, received_at)
            SELECT a.id, e.seq, CASE WHEN (e.seq + a.id) % 20 = 0 THEN 'failed' ELSE 'sent' END,
                   (e.seq * 31 + a.id * 17) % 5000, e.created_at + ((e.seq + a.id) % 600) * interval '1 minute',
                   '', now()
            FROM {FeedEntry._meta.db_table} e CROSS JOIN {Partner._meta.db_table} a
            """
        )
    assert len(partners) == PARTNERS

    Screen.objects.bulk_create(
        [
            Screen(
                code=f"man-hinh-{n}",
                name=f"Màn hình {n}",
                region=districts[n % REGIONS],
                last_seen_at=period.end - datetime.timedelta(days=n % 40),
            )
            for n in range(SCREENS)
        ]
    )
    PlaylistItem.objects.bulk_create(
        [
            PlaylistItem(
                publication=p,
                marker=f"led-{p.pk}",
                text=p.title,
                valid_from=p.valid_from,
                valid_until=p.valid_until,
                digest="0" * 16,
            )
            for p in publications
        ],
        batch_size=10_000,
    )

    page_type = ContentType.objects.get_for_model(Page)
    revision = index.save_revision()
    workflow = Workflow.objects.create(name="Quy trình")
    steps = [
        GroupApprovalTask.objects.create(name="Kiểm tra nội dung"),
        GroupApprovalTask.objects.create(name="Duyệt"),
    ]
    states = WorkflowState.objects.bulk_create(
        [
            WorkflowState(
                content_type=ContentType.objects.get_for_model(StoryIndexPage),
                base_content_type=page_type,
                object_id=str(index.pk),
                workflow=workflow,
                status="approved",
            )
            for _n in range(WORKFLOWS)
        ],
        batch_size=5_000,
    )
    task_type = ContentType.objects.get_for_model(TaskState)
    task_states = []
    for n, state in enumerate(states):
        begun = moment(n, WORKFLOWS)
        first = begun + datetime.timedelta(minutes=30 + n % 300)
        second = first + datetime.timedelta(minutes=10 + n % 900)
        task_states += [
            TaskState(
                workflow_state=state,
                revision=revision,
                task=steps[0],
                status="approved",
                finished_at=first,
                content_type=task_type,
            ),
            TaskState(
                workflow_state=state,
                revision=revision,
                task=steps[1],
                status="approved",
                finished_at=second,
                content_type=task_type,
            ),
        ]
    TaskState.objects.bulk_create(task_states, batch_size=10_000)
    WorkflowState.objects.filter(pk__in=[s.pk for s in states]).update(created_at=period.start)
    TaskState.objects.filter(workflow_state__in=states).update(started_at=period.start)
    assert Revision.objects.exists()

    for when, old, new in [(1, "new_normal", "outbreak"), (12, "outbreak", "new_normal")]:
        change = PhaseChange.objects.create(site=site, from_phase=old, to_phase=new)
        PhaseChange.objects.filter(pk=change.pk).update(
            changed_at=period.start + datetime.timedelta(days=when)
        )
    return organisation, period


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--stories", type=int, default=10_000)
    parser.add_argument("--keep", action="store_true", help="keep the database afterwards")
    args = parser.parse_args()

    url = os.environ.get("BENCH_DATABASE_URL", "postgres://postgres@127.0.0.1:5432/bench_reports")
    create_database(url)
    os.environ.update(
        DATABASE_URL=url,
        DJANGO_SETTINGS_MODULE="hub.settings.test",
        CACHE_PREFIX="bench-reports",
        HUEY_NAME="bench-reports",
    )
    os.environ.pop("REDIS_URL", None)
    try:
        import django

        django.setup()
        from django.core.management import call_command
        from django.db import connection
        from django.test.utils import CaptureQueriesContext

        from channels.sms.models import SmsAck
        from publishing.models import Delivery, Publication
        from publishing.reports.services import report_build

        began = time.monotonic()
        call_command("migrate", verbosity=0)
        print(f"migrated in {time.monotonic() - began:.1f} s")
        began = time.monotonic()
        organisation, period = populate(args.stories)
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")
        print(
            f"loaded {Publication.objects.count():,} stories, {Delivery.objects.count():,} deliveries, "
            f"{SmsAck.objects.count():,} SMS acks in {time.monotonic() - began:.1f} s"
        )

        timings = []

        def progress(number, total, name, seconds):
            timings.append((name, seconds, len(queries.captured_queries)))

        for attempt in ("cold", "warm"):
            timings.clear()
            with CaptureQueriesContext(connection) as queries:
                began = time.monotonic()
                report = report_build(organisation=organisation, period=period, force=True, progress=progress)
                elapsed = time.monotonic() - began
            print(f"\nreport build ({attempt}): {elapsed:.2f} s, {len(queries.captured_queries)} queries")
            previous = 0
            for name, seconds, count in timings:
                print(f"  {name:<12} {seconds:6.2f} s  {count - previous:3d} queries")
                previous = count
            print(f"  files (DOCX, XLSX) {elapsed - sum(s for _n, s, _c in timings):.2f} s")
        sms = next(s for s in report.figures["sections"] if s["key"] == "sms")
        print(f"\nSMS recipients in the period: {sms['notes'][0][1]['recipients']:,}")
        ok = elapsed < LIMIT_SECONDS and len(queries.captured_queries) <= QUERY_LIMIT
        print(f"{'PASS' if ok else 'FAIL'}: under {LIMIT_SECONDS:.0f} s and {QUERY_LIMIT} queries")
        return 0 if ok else 1
    finally:
        from django.db import connections

        connections.close_all()
        if not args.keep:
            drop_database(url)


if __name__ == "__main__":
    sys.exit(main())
