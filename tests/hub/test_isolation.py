"""The isolation matrix: whatever organisation B's people, keys and portal are shown, nothing of A's.

Surfaces are generated from the world (every owned row of A gives its listing, search, chooser,
edit/inspect URLs), for every role of B; the same surfaces shown to a superuser must contain A's
rows, so a check that sees nothing proves nothing. The test of the test removes one scoping and
expects the matrix to notice.
"""

import csv
import io
import json

import pytest
from django.urls import reverse
from wagtail.models import Page

from hub import tenancy
from hub.models import Region, Subscription, SyndicatedCopy
from hub.permissions import GROUP_NAMES
from hub.sitemaps import child_number
from publishing.models import Delivery
from tests.factories.tenancy import build_world, superuser

pytestmark = pytest.mark.django_db


@pytest.fixture
def world(settings):
    settings.ALLOWED_HOSTS = ["*"]
    return build_world()


def admin_surfaces(a) -> list[tuple[str, str]]:
    """(label, URL) of every admin surface that could show one of A's rows."""
    subscription = Subscription.objects.get(subscriber=a.organisation)
    copy = SyndicatedCopy.objects.get(organisation=a.organisation)
    item = a.publication.led_items.get()
    surfaces = [("dashboard", reverse("wagtailadmin_home"))]
    listings = {
        "sms partners": "sms_partners",
        "led screens": "led_screens",
        "led playlist items": "led_items",
        "social accounts": "social_accounts",
        "social sandbox posts": "social_sandbox",
        "regions": "wagtailsnippets_hub_region",
        "subscriptions": "hub_subscriptions",
        "syndicated stories": "hub_syndicated",
    }
    for label, namespace in listings.items():
        index = reverse(
            f"{namespace}:list" if namespace.startswith("wagtailsnippets") else f"{namespace}:index"
        )
        surfaces += [(label, index), (f"{label} search", f"{index}?q={a.word}")]
    objects = {
        "sms partner": ("sms_partners", a.partner.pk, ["edit", "delete"]),
        "led screen": ("led_screens", a.screen.pk, ["edit", "delete", "inspect"]),
        "led playlist item": ("led_items", item.pk, ["inspect"]),
        "social account": ("social_accounts", a.account.pk, ["edit", "delete", "inspect"]),
        "region": ("wagtailsnippets_hub_region", a.region.pk, ["edit", "delete"]),
        "subscription": ("hub_subscriptions", subscription.pk, ["edit", "delete"]),
        "syndicated story": ("hub_syndicated", copy.pk, ["inspect"]),
    }
    for label, (namespace, pk, actions) in objects.items():
        surfaces += [(f"{label} {action}", reverse(f"{namespace}:{action}", args=[pk])) for action in actions]
    surfaces += [
        ("sms partner keys", reverse("sms_partner_keys", args=[a.partner.pk])),
        ("led screen tokens", reverse("led_screen_tokens", args=[a.screen.pk])),
        ("region chooser", reverse("wagtailsnippetchoosers_hub_region:choose")),
        (
            "region chooser search",
            reverse("wagtailsnippetchoosers_hub_region:choose_results") + f"?q={a.word}",
        ),
        ("region chosen", reverse("wagtailsnippetchoosers_hub_region:chosen", args=[a.region.pk])),
        ("page chooser", reverse("wagtailadmin_choose_page")),
        ("page chooser of A's home", reverse("wagtailadmin_choose_page_child", args=[a.home.pk])),
        ("page chooser search", reverse("wagtailadmin_choose_page_search") + f"?q={a.word}"),
        ("page search", reverse("wagtailadmin_pages:search") + f"?q={a.word}"),
        ("explorer of A's section", reverse("wagtailadmin_explore", args=[a.index.pk])),
        ("edit A's story", reverse("wagtailadmin_pages:edit", args=[a.story.pk])),
        ("edit A's draft", reverse("wagtailadmin_pages:edit", args=[a.draft.pk])),
        ("deliveries report", reverse("publishing_deliveries")),
        ("deliveries report search", reverse("publishing_deliveries") + f"?story={a.word}"),
        ("deliveries of A's story", reverse("publishing_deliveries") + f"?page={a.story.pk}"),
        ("deliveries export", reverse("publishing_deliveries") + "?export=csv"),
        ("pending reviews", reverse("hub_pending_reviews")),
        ("children's stories", reverse("hub_children_stories")),
        ("workflow tasks", reverse("wagtailadmin_home") + "workflows/tasks/index/"),
    ]
    return surfaces


def portal_surfaces(a, b) -> list[tuple[str, str, str]]:
    """(label, host, path) of B's public portal and feeds."""
    copy = SyndicatedCopy.objects.get(organisation=a.organisation)
    return [
        ("home", b.hostname, "/"),
        ("section", b.hostname, "/tin-tuc/"),
        ("search", b.hostname, f"/tim-kiem/?q={a.word}"),
        ("rss", b.hostname, "/feeds/rss/"),
        ("atom", b.hostname, "/feeds/atom/"),
        ("json feed", b.hostname, "/feeds/json/"),
        ("situation atom", b.hostname, "/feeds/situation/atom/"),
        ("syndicated list", b.hostname, "/lien-thong/"),
        ("A's syndicated copy", b.hostname, f"/lien-thong/{copy.pk}/"),
        ("A's story path on B's host", b.hostname, "/tin-tuc/" + a.story.slug + "/"),
        ("B's organisation feed", b.hostname, f"/feeds/to-chuc/{b.organisation.slug}/atom/"),
        ("sitemap", b.hostname, "/sitemap.xml"),
    ] + [  # every child sitemap any page could be listed in
        ("child sitemap", b.hostname, f"/sitemap-vi-{number}.xml")
        for number in sorted({child_number(pk) for pk in Page.objects.values_list("pk", flat=True)})
    ]


def text(response) -> str:
    content = b"".join(response.streaming_content) if response.streaming else response.content
    return content.decode("utf-8-sig", "replace")


def leaks(client, user, a, b) -> list[str]:
    """Where `user` (working for B) is shown something of A's; empty when B is sealed off."""
    found = []
    client.force_login(user)
    for label, url in admin_surfaces(a):
        response = client.get(url, HTTP_HOST=b.hostname)
        if a.marker in text(response):
            found.append(f"admin {label}: {url} ({response.status_code})")
    client.logout()
    for label, host, path in portal_surfaces(a, b):
        if a.marker in text(client.get(path, HTTP_HOST=host)):
            found.append(f"portal {label}: {host}{path}")
    found += pull_api_leaks(client, a, b)
    return found


def pull_api_leaks(client, a, b) -> list[str]:
    found = []
    feed = client.get("/api/sms/v1/messages", HTTP_AUTHORIZATION=f"Bearer {b.partner_key}")
    messages = feed.json()["messages"]
    if a.marker in feed.content.decode() or len(messages) != 1:
        found.append(f"sms feed with B's key: {len(messages)} messages")
    acks = client.post(
        "/api/sms/v1/acks",
        data=json.dumps(
            {
                "acks": [
                    {"id": m["id"], "status": "sent", "recipients": 1, "at": "2026-12-01T08:00:00+07:00"}
                    for m in client.get(
                        "/api/sms/v1/messages", HTTP_AUTHORIZATION=f"Bearer {a.partner_key}"
                    ).json()["messages"]
                ]
            }
        ),
        content_type="application/json",
        HTTP_AUTHORIZATION=f"Bearer {b.partner_key}",
    )
    if acks.json().get("accepted"):
        found.append("sms acks: B's key acknowledged A's message")
    playlist = client.get(
        f"/api/led/v1/screens/{b.screen.code}/playlist.json", HTTP_AUTHORIZATION=f"Bearer {b.screen_token}"
    )
    items = playlist.json()["items"]
    if a.marker in playlist.content.decode() or len(items) != 1:
        found.append(f"led playlist of B's screen: {len(items)} items")
    a_item = a.publication.led_items.get()
    frame = client.get(
        f"/api/led/v1/screens/{b.screen.code}/frames/{a_item.feed_id}.png",
        HTTP_AUTHORIZATION=f"Bearer {b.screen_token}",
    )
    if frame.status_code == 200:
        found.append("led frame of A's item on B's screen")
    other = client.get(
        f"/api/led/v1/screens/{a.screen.code}/playlist.json", HTTP_AUTHORIZATION=f"Bearer {b.screen_token}"
    )
    if other.status_code == 200:
        found.append("led playlist of A's screen with B's token")
    return found


@pytest.mark.parametrize("role", GROUP_NAMES)
def test_nothing_of_a_reaches_any_role_of_b(client, world, role):
    assert leaks(client, world.b.people[role], world.a, world.b) == []


def test_the_matrix_sees_what_it_looks_for(client, world):
    """A superuser is shown A's rows on the admin surfaces: the matrix is looking in the right places."""
    client.force_login(superuser())
    missing = []
    for label, url in admin_surfaces(world.a):
        if label in {"dashboard", "pending reviews", "children's stories", "workflow tasks"}:
            continue  # these show A's rows only when there is something to warn about
        if label.endswith(("delete", "search")) or label.startswith(("edit A's", "page chooser", "explorer")):
            continue
        if world.a.marker not in text(client.get(url, HTTP_HOST=world.b.hostname)):
            missing.append(label)
    assert missing == []


def test_b_sees_its_own_rows_and_counts(client, world):
    """The same surfaces show B its own rows, in the numbers it owns (not an empty admin)."""
    manager = world.b.people["Channel managers"]
    client.force_login(manager)

    partners = client.get(reverse("sms_partners:index")).content.decode()
    export = text(client.get(reverse("publishing_deliveries") + "?export=csv"))
    rows = list(csv.reader(io.StringIO(export)))[1:]

    assert world.b.marker in partners and world.a.marker not in partners
    own = Delivery.objects.filter(publication__organisation=world.b.organisation).count()
    assert own > 0 and len(rows) == own
    assert {row[0] for row in rows} == {world.b.story.title}
    assert Region.objects.count() > tenancy.regions_for(manager).count() > 0


def test_a_superuser_and_a_member_of_both_see_both(client, world):
    both = world.b.people["Channel managers"]
    both.groups.add(world.a.people["Channel managers"].groups.get())
    client.force_login(both)

    partners = client.get(reverse("sms_partners:index")).content.decode()

    assert world.a.marker in partners and world.b.marker in partners


# --- the test of the test ---------------------------------------------------------------


def test_the_matrix_fails_when_the_viewsets_lose_their_scoping(client, world, monkeypatch):
    monkeypatch.setattr(tenancy, "scope", lambda queryset, user, **kwargs: queryset)

    found = leaks(client, world.b.people["Channel managers"], world.a, world.b)

    assert any(leak.startswith("admin sms partners:") for leak in found)
    assert any(leak.startswith("admin led screens search:") for leak in found)
    # Edit URLs check each object on its own (user_may_see): they stay closed.
    assert not any(" edit:" in leak for leak in found)


def test_the_matrix_fails_when_the_deliveries_report_loses_its_scoping(client, world, monkeypatch):
    import publishing.views
    from publishing.models import Delivery as AllDeliveries

    monkeypatch.setattr(publishing.views, "deliveries_for", lambda user: AllDeliveries.objects.all())

    found = leaks(client, world.b.people["Approvers"], world.a, world.b)

    assert any(leak.startswith("admin deliveries export") for leak in found)


def test_the_matrix_fails_when_the_portal_search_loses_its_site(client, world, monkeypatch):
    import hub.views
    from hub.selectors import search_stories

    monkeypatch.setattr(
        hub.views, "search_stories", lambda query, root=None, **cursors: search_stories(query, **cursors)
    )

    found = leaks(client, world.b.people["Editors"], world.a, world.b)

    assert found == [f"portal search: {world.b.hostname}/tim-kiem/?q={world.a.word}"]


def test_the_campaign_phase_of_a_is_closed_to_the_approvers_of_b(client, world):
    approver = world.b.people["Approvers"]
    client.force_login(approver)
    a_site, b_site = world.a.organisation.site, world.b.organisation.site

    other = client.get(f"/admin/settings/hub/campaignsettings/{a_site.pk}/", HTTP_HOST=world.b.hostname)
    own = client.get(f"/admin/settings/hub/campaignsettings/{b_site.pk}/", HTTP_HOST=world.b.hostname)

    assert other.status_code in (302, 403) and own.status_code == 200
    assert world.a.organisation.name not in own.content.decode()  # no site switcher offering A's portal
