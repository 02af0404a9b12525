"""Admin listings and portal pages run as many queries with 100 organisations as with 10."""

import sys

import pytest
from django.contrib.auth.models import Group, Permission
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from wagtail.models import Page, Site

from hub.models import HomePage, Organisation, Region, RegionLevel
from tests.factories.tenancy import build_organisation

pytestmark = pytest.mark.django_db

ADMIN_PAGES = {
    "dashboard": "wagtailadmin_home",
    "sms partners": "sms_partners:index",
    "led screens": "led_screens:index",
    "led playlist items": "led_items:index",
    "social accounts": "social_accounts:index",
    "regions": "wagtailsnippets_hub_region:list",
    "subscriptions": "hub_subscriptions:index",
    "syndicated stories": "hub_syndicated:index",
    "deliveries": "publishing_deliveries",
    "pending reviews": "hub_pending_reviews",
}


def add_organisations(count: int, start: int) -> None:
    """`count` more organisations, each with its portal, region and group."""
    root = Page.get_first_root_node()
    for number in range(start, start + count):
        home = root.add_child(instance=HomePage(title=f"Đơn vị {number}", slug=f"don-vi-{number}"))
        site = Site.objects.create(hostname=f"don-vi-{number}.example", port=80, root_page=home)
        region = Region.objects.create(code=f"dv{number}", name=f"Vùng {number}", level=RegionLevel.PROVINCE)
        organisation = Organisation.objects.create(
            name=f"Đơn vị {number}", slug=f"don-vi-{number}", kind="district", site=site, region=region
        )
        organisation.groups.add(Group.objects.create(name=f"Editors · don-vi-{number}"))


def counts(client, world) -> dict[str, int]:
    figures = {}
    user = world.people["Approvers"]
    user.groups.add(*world.people["Channel managers"].groups.all())  # every listing opens to them
    user.user_permissions.add(Permission.objects.get(codename="view_region"))
    client.force_login(user)
    for label, name in ADMIN_PAGES.items():
        with CaptureQueriesContext(connection) as queries:
            assert client.get(reverse(name), HTTP_HOST=world.hostname).status_code == 200, label
        figures[f"admin {label}"] = len(queries)
    client.logout()
    portal = {
        "home": "/",
        "section": "/tin-tuc/",
        "story": world.story.url,
        "search": f"/tim-kiem/?q={world.word}",
        "atom": "/feeds/atom/",
        "syndicated": "/lien-thong/",
        "organisation feed": f"/feeds/to-chuc/{world.organisation.slug}/atom/",
    }
    for label, path in portal.items():
        client.get(path, HTTP_HOST=world.hostname)  # warm the per-process caches (site roots)
        with CaptureQueriesContext(connection) as queries:
            assert client.get(path, HTTP_HOST=world.hostname).status_code == 200, label
        figures[f"portal {label}"] = len(queries)
    return figures


def test_query_counts_do_not_grow_with_the_number_of_organisations(client, settings):
    settings.ALLOWED_HOSTS = ["*"]
    world = build_organisation("B", hostname="b.example")
    add_organisations(10 - Organisation.objects.count(), 0)
    assert Organisation.objects.count() == 10
    counts(client, world)  # a first pass fills the caches a fresh process or stack fills once
    with_10 = counts(client, world)

    add_organisations(90, 100)
    assert Organisation.objects.count() == 100
    counts(client, world)
    with_100 = counts(client, world)

    lines = [f"{'queries per page':<30}{'10 organisations':>18}{'100 organisations':>19}"]
    lines += [f"{label:<30}{figure:>18}{with_100[label]:>19}" for label, figure in with_10.items()]
    sys.stdout.write("\n" + "\n".join(lines) + "\n")
    assert with_100 == with_10
