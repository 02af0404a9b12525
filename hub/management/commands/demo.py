"""Builds (or completes) a demo site from the seeds' world: Điện Biên's regions, stories, users."""

import importlib
import os
from urllib.parse import urlsplit

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django.utils.text import slugify
from django.utils.translation import gettext as _
from wagtail.models import Page, Site

from hub import models as hub_models
from hub.demo import languages as demo_languages
from hub.demo import organisations as demo_organisations
from hub.demo import regions as demo_regions
from hub.demo import stories as demo_stories

# One user per role: (username, full name, group or None for the site administrator).
DEMO_USERS = [
    ("admin", ("Quản trị", "Hệ thống"), None),
    ("bientap", ("Lan", "Nguyễn Thị"), "Editors"),
    ("yte", ("Hùng", "Trần Văn"), "Health reviewers"),
    ("congan", ("Dũng", "Lê Văn"), "Police reviewers"),
    ("pheduyet", ("Hà", "Phạm Thu"), "Approvers"),
    ("kenh", ("Minh", "Vũ Đức"), "Channel managers"),
    ("dichthai", ("Thanh", "Lò Văn"), "Translators/reviewers (blt)"),
    ("dichhmong", ("Chứ", "Giàng A"), "Translators/reviewers (hmn)"),
]

# Channel apps that add their own demo data (accounts, partners, screens), run before the stories
# are published so that every story fans out to them.
CHANNEL_DEMOS = [
    "channels.social.demo",
    "channels.sms.demo",
    "channels.led.demo",
    "channels.loudspeaker.demo",
    "hub.intake.demo",
    "channels.zalo.demo",
    "channels.email.demo",
]


class Command(BaseCommand):
    help = _("Builds the demo site; safe to run again (it only adds what is missing).")

    def add_arguments(self, parser):
        parser.add_argument(
            "--password",
            default=os.environ.get("DEMO_PASSWORD", "hub-demo-2026"),
            help=_("Development password given to every demo user."),
        )
        parser.add_argument(
            "--force",
            action="store_true",
            help=_("Run even with DEBUG off (never on a real site)."),
        )

    def handle(self, *args, password: str, force: bool, **options):
        if not settings.DEBUG and not force:
            raise CommandError(_("The demo creates users with a known password: it runs only with DEBUG on."))
        self.step(_("Regions"))
        regions = self.build_regions()
        self.step(_("Groups and users"))
        users = self.build_users(password)
        self.step(_("Site and sections"))
        home = self.build_site()
        self.step(_("Organisations"))
        organisations = demo_organisations.build(home=home, password=password, say=self.stdout.write)
        organisation_users = demo_organisations.build_users(organisations, password)
        for module_name in CHANNEL_DEMOS:
            module = importlib.import_module(module_name)
            self.step(_("Channel demo: %(module)s") % {"module": module_name})
            module.populate(stdout=self.stdout)
        self.step(_("Stories"))
        created = self.build_stories(home, regions, users)
        bao_loc = demo_organisations.BAO_LOC
        created += demo_organisations.build_stories(organisations[bao_loc], organisation_users[bao_loc])
        self.stdout.write(_("  %(count)d new stories published.") % {"count": created})
        self.step(_("Languages: sample translations"))
        demo_languages.populate(home=home, regions=regions, users=users, stdout=self.stdout)
        self.print_logins(password)

    def step(self, label: str) -> None:
        self.stdout.write(self.style.MIGRATE_HEADING(f"→ {label}"))

    @transaction.atomic
    def build_regions(self) -> dict[str, hub_models.Region]:
        code, name, level = demo_regions.PROVINCE
        province, _created = hub_models.Region.objects.get_or_create(
            code=code, defaults={"name": name, "level": level}
        )
        regions = {code: province}
        for code, name in demo_regions.DISTRICTS:
            regions[code], _created = hub_models.Region.objects.get_or_create(
                code=code,
                defaults={"name": name, "level": hub_models.RegionLevel.DISTRICT, "parent": province},
            )
        for code, name, parent_code in demo_regions.COMMUNES:
            regions[code], _created = hub_models.Region.objects.get_or_create(
                code=code,
                defaults={
                    "name": name,
                    "level": hub_models.RegionLevel.COMMUNE,
                    "parent": regions[parent_code],
                },
            )
        return regions

    @transaction.atomic
    def build_users(self, password: str) -> dict[str, object]:
        from hub.workflows import ensure_workflow

        ensure_workflow()
        user_model = get_user_model()
        users = {}
        for username, (first_name, last_name), group_name in DEMO_USERS:
            user, _created = user_model.objects.get_or_create(
                username=username,
                defaults={
                    "first_name": first_name,
                    "last_name": last_name,
                    "email": f"{username}@example.org",
                },
            )
            user.set_password(password)
            user.is_staff = group_name is None
            user.is_superuser = group_name is None
            user.save()
            if group_name:
                user.groups.add(Group.objects.get(name=group_name))
            users[group_name or "admin"] = user
        return users

    @transaction.atomic
    def build_site(self) -> hub_models.HomePage:
        home = hub_models.HomePage.objects.first()
        root = Page.get_first_root_node()
        if home is None:
            home = root.add_child(
                instance=hub_models.HomePage(
                    title="Trang chủ",
                    slug="trang-chu",
                    intro="Thông tin chính thống, kịp thời về phòng, chống dịch COVID-19 tại tỉnh Điện Biên.",
                )
            )
            # Wagtail's placeholder welcome page is replaced by the portal.
            Page.objects.filter(depth=2).exclude(pk=home.pk).filter(content_type__model="page").delete()
        base = urlsplit(settings.WAGTAILADMIN_BASE_URL)
        Site.objects.update_or_create(
            is_default_site=True,
            defaults={
                "hostname": base.hostname or "localhost",
                "port": base.port or (443 if base.scheme == "https" else 80),
                "root_page": home,
                "site_name": settings.WAGTAIL_SITE_NAME,
            },
        )
        return home

    def build_stories(self, home, regions, users) -> int:
        created = 0
        editor = users["Editors"]
        for section_data in demo_stories.sections():
            section = (
                hub_models.StoryIndexPage.objects.child_of(home).filter(slug=section_data["slug"]).first()
            )
            if section is None:
                section = home.add_child(
                    instance=hub_models.StoryIndexPage(
                        title=section_data["title"], slug=section_data["slug"], intro=section_data["intro"]
                    )
                )
            model = getattr(hub_models, section_data["model"])
            for story_data in section_data["stories"]:
                fields = dict(story_data)
                slug = fields.pop("slug", None) or slugify(fields["title"])
                if Page.objects.child_of(section).filter(slug=slug).exists():
                    continue
                region_codes = fields.pop("regions")
                with transaction.atomic():
                    story = section.add_child(instance=model(slug=slug, owner=editor, **fields))
                    story.regions.set([regions[code] for code in region_codes])
                    revision = story.save_revision(user=editor, log_action=True)
                    revision.publish()  # the system seeds demo content; the gate logs it
                created += 1
        return created

    def print_logins(self, password: str) -> None:
        self.stdout.write("")
        self.stdout.write(
            self.style.SUCCESS(_("Demo users (development password: %(password)s)") % {"password": password})
        )
        administrator = _("Site administrator")
        for username, _names, group_name in DEMO_USERS:
            self.stdout.write(f"  {username:<10} {group_name or administrator}")
        for username, group_name in demo_organisations.users_to_print():
            self.stdout.write(f"  {username:<14} {group_name}")
