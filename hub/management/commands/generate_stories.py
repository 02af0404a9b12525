"""Adds many realistic stories in bulk (for benchmarks): `manage.py generate_stories --count 100000`."""

import time

from django.core.management.base import BaseCommand, CommandError
from django.db import connection
from django.utils.translation import gettext as _
from wagtail.models import Site

from hub.demo.bulk import generate
from hub.models import StoryIndexPage

BAR_WIDTH = 30


class Command(BaseCommand):
    help = _("Adds many generated stories in bulk, for benchmarks and load tests (not for a real site).")

    def add_arguments(self, parser):
        parser.add_argument("--count", type=int, default=10_000, help=_("How many stories to add."))
        parser.add_argument("--batch", type=int, default=2_000, help=_("Stories written per transaction."))
        parser.add_argument("--seed", type=int, default=2026, help=_("Seed of the random texts."))

    def handle(self, *args, count: int, batch: int, seed: int, **options):
        if count < 1 or batch < 1:
            raise CommandError(_("--count and --batch must be positive whole numbers."))
        site = Site.objects.filter(is_default_site=True).select_related("root_page").first()
        sections = list(StoryIndexPage.objects.child_of(site.root_page)) if site else []
        if not sections:
            raise CommandError(_("The default site has no story sections: run manage.py demo first."))
        started = time.monotonic()

        def progress(done: int) -> None:
            filled = BAR_WIDTH * done // count
            rate = done / max(time.monotonic() - started, 1e-6)
            self.stdout.write(
                f"\r[{'#' * filled}{'.' * (BAR_WIDTH - filled)}] {done:,}/{count:,} ({rate:,.0f}/s)",
                ending="",
            )
            self.stdout.flush()

        made = generate(sections=sections, count=count, batch=batch, seed=seed, progress=progress)
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")  # the planner's statistics: without them it guesses on the new rows
        self.stdout.write("")
        self.stdout.write(
            self.style.SUCCESS(
                _("%(count)s stories added in %(seconds).1f s.")
                % {"count": f"{made:,}", "seconds": time.monotonic() - started}
            )
        )
