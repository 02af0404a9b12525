"""Builds the monthly report (or one for any period) of one or every organisation, showing progress."""

import datetime

from django.core.management.base import BaseCommand, CommandError

from hub.models import Organisation, Region
from publishing.reports.periods import Period, monthly_period
from publishing.reports.services import report_admin_url, report_build, report_notify


def _date(value: str) -> datetime.date:
    try:
        return datetime.date.fromisoformat(value)
    except ValueError:
        raise CommandError(f"Not a date (YYYY-MM-DD): {value}") from None


class Command(BaseCommand):
    help = "Build the report of the last monthly period (or --from/--to) for each organisation."

    def add_arguments(self, parser):
        parser.add_argument(
            "--organisation", action="append", default=[], help="Short name; repeat; default all."
        )
        parser.add_argument("--from", dest="first", help="First day (YYYY-MM-DD), local time.")
        parser.add_argument("--to", dest="last", help="Last day (YYYY-MM-DD), included.")
        parser.add_argument("--region", help="Administrative code of a region to limit the report to.")
        parser.add_argument("--kind", default="", help="Story kind to limit the report to, e.g. vaccination.")
        parser.add_argument("--number", default="", help="Document number shown in the DOCX.")
        parser.add_argument(
            "--force", action="store_true", help="Count again and replace an existing report."
        )
        parser.add_argument("--notify", action="store_true", help="E-mail the recipients (once per report).")

    def handle(self, *args, **options):
        if bool(options["first"]) != bool(options["last"]):
            raise CommandError("Give both --from and --to, or neither.")
        if options["first"]:
            try:
                period = Period.from_dates(_date(options["first"]), _date(options["last"]))
            except ValueError as error:
                raise CommandError(str(error)) from None
        else:
            period = monthly_period()
        region = None
        if options["region"]:
            region = Region.objects.filter(code=options["region"]).first()
            if region is None:
                raise CommandError(f"No region with code {options['region']}.")
        organisations = Organisation.objects.select_related("site__root_page", "region", "parent")
        if options["organisation"]:
            organisations = organisations.filter(slug__in=options["organisation"])
            missing = set(options["organisation"]) - set(organisations.values_list("slug", flat=True))
            if missing:
                raise CommandError(f"No organisation with short name {', '.join(sorted(missing))}.")
        for organisation in organisations:
            self.stdout.write(
                f"{organisation.name}: {period.first_day:%d/%m/%Y} – {period.last_day:%d/%m/%Y} "
                f"({len(period.days)} days)"
            )
            report = report_build(
                organisation=organisation,
                period=period,
                region=region,
                kind=options["kind"],
                number=options["number"],
                force=options["force"],
                progress=self._progress,
            )
            seconds = f"{report.build_seconds:.2f} s" if report.build_seconds is not None else "—"
            self.stdout.write(self.style.SUCCESS(f"  ready ({seconds}): {report_admin_url(report)}"))
            if options["notify"]:
                self.stdout.write(f"  e-mailed to {report_notify(report=report)} recipient(s)")

    def _progress(self, number: int, total: int, name: str, seconds: float) -> None:
        self.stdout.write(f"  [{number}/{total}] {name} … {seconds:.2f} s")
        self.stdout.flush()
