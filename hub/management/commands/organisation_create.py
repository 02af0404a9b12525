"""`manage.py organisation_create`: a new organisation with its portal, region, groups and workflow."""

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django.utils.translation import gettext as _

from hub.models import Organisation, OrganisationKind, Region, RegionLevel
from hub.organisations import RegionSpec, organisation_create


class Command(BaseCommand):
    help = _(
        "Creates an organisation: its portal (site and home page on a host name), its region, an image "
        "collection, one group per role with their permissions, and its own sign-off workflow."
    )

    def add_arguments(self, parser):
        parser.add_argument("name", help=_("Full name, e.g. “Ủy ban nhân dân thành phố Bảo Lộc”."))
        parser.add_argument("slug", help=_("Short name in addresses and group names, e.g. bao-loc."))
        parser.add_argument("--kind", choices=OrganisationKind.values, default=OrganisationKind.PROVINCE)
        parser.add_argument(
            "--hostname", required=True, help=_("Host name of its portal, e.g. baoloc.gov.vn.")
        )
        parser.add_argument("--port", type=int, default=80)
        parser.add_argument("--parent", help=_("Short name of the organisation it belongs to."))
        parser.add_argument(
            "--region",
            help=_("Code of its top region: an existing region, or a new one with --region-name."),
        )
        parser.add_argument("--region-name", help=_("Name of the new top region."))
        parser.add_argument("--region-level", choices=RegionLevel.values, default=RegionLevel.PROVINCE)
        parser.add_argument(
            "--region-parent", help=_("Code of the region the new top region is part of (e.g. its province).")
        )
        parser.add_argument(
            "--site-name", default="", help=_("Name of the portal (default: the organisation's).")
        )
        parser.add_argument("--default-site", action="store_true", help=_("Serve unknown host names too."))

    def handle(self, *args, **options):
        parent = None
        if options["parent"]:
            parent = Organisation.objects.filter(slug=options["parent"]).first()
            if parent is None:
                raise CommandError(
                    _("No organisation has the short name %(slug)s.") % {"slug": options["parent"]}
                )

        def progress(message: str) -> None:
            self.stdout.write(f"  {message}")

        self.stdout.write(self.style.MIGRATE_HEADING(_("→ Creating %(name)s") % {"name": options["name"]}))
        try:
            with transaction.atomic():  # a new region is kept only if the organisation is made
                organisation = organisation_create(
                    name=options["name"],
                    slug=options["slug"],
                    kind=options["kind"],
                    hostname=options["hostname"],
                    port=options["port"],
                    parent=parent,
                    region=self._region(options),
                    site_name=options["site_name"],
                    default_site=options["default_site"],
                    progress=progress,
                )
        except ValidationError as error:
            problems = [f"{field}: {' '.join(messages)}" for field, messages in error.message_dict.items()]
            raise CommandError(
                _("Nothing was created. %(problems)s") % {"problems": "; ".join(problems)}
            ) from None
        self.stdout.write(
            self.style.SUCCESS(
                _("Organisation %(name)s created. Put its people in its groups in Settings → Groups.")
                % {"name": organisation.name}
            )
        )

    def _region(self, options):
        code = options["region"]
        if not code:
            return None
        existing = Region.objects.filter(code=code).first()
        if existing is not None:
            return existing
        if not options["region_name"]:
            raise CommandError(
                _("There is no region %(code)s yet: name it with --region-name.") % {"code": code}
            )
        above = None
        if options["region_parent"]:
            above = Region.objects.filter(code=options["region_parent"]).first()
            if above is None:
                raise CommandError(_("There is no region %(code)s.") % {"code": options["region_parent"]})
            return Region.objects.create(
                code=code, name=options["region_name"], level=options["region_level"], parent=above
            )
        return RegionSpec(code, options["region_name"], options["region_level"])
