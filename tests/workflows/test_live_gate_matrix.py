"""Every way Wagtail offers to make a story live, by every role, for every story kind.

Each cell drives the real admin view (or the Python API) and asserts on rows: whether the page
is live (or moved), how many Publications and Deliveries it has. Only the workflow's last
approval (approvers) and site administrators get a story live; administrators' bypasses are in
the audit log.
"""

import contextlib
import datetime

import pytest
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone
from wagtail.models import Page, PageLogEntry
from wagtail.test.utils.form_data import inline_formset, nested_form_data, rich_text, streamfield

from hub import gate, permissions
from hub.models import StoryPage
from hub.workflows import ensure_workflow
from publishing.models import Delivery, Publication
from tests.factories import (
    DirectivePageFactory,
    GoodExamplePageFactory,
    RebuttalPageFactory,
    SituationPageFactory,
    StoryIndexPageFactory,
    UserFactory,
    VaccinationPageFactory,
)
from tests.factories.pages import ALERT_FORM_DEFAULTS

ROLES = {
    "editor": [permissions.EDITORS],
    "health": [permissions.HEALTH_REVIEWERS],
    "police": [permissions.POLICE_REVIEWERS],
    "approver": [permissions.APPROVERS],
    "channel_manager": [permissions.CHANNEL_MANAGERS],
    "no_group": [],
    "admin": None,
}
KINDS = {
    "goodexample": GoodExamplePageFactory,
    "vaccination": VaccinationPageFactory,
    "rebuttal": RebuttalPageFactory,
    "directive": DirectivePageFactory,
    "situation": SituationPageFactory,
}
DATE = "%d/%m/%Y"
DATETIME = "%d/%m/%Y %H:%M"


def kind_fields(page) -> dict:
    today = timezone.localdate().strftime(DATE)
    return {
        "goodexample": lambda: {
            "honoree": page.honoree,
            "locality": page.locality,
            "achievement": page.achievement,
        },
        "vaccination": lambda: {
            "campaign": page.campaign,
            "eligible_groups": page.eligible_groups,
            "sites": streamfield([]),
            "how_to_donate": rich_text(""),
        },
        "rebuttal": lambda: {
            "claim": page.claim,
            "claim_appeared_in": page.claim_appeared_in,
            "verdict": page.verdict,
            "evidence": rich_text(page.evidence),
        },
        "directive": lambda: {
            "document_number": page.document_number,
            "issued_on": today,
            "issuing_body": page.issuing_body,
        },
        "situation": lambda: {
            "as_of": timezone.localtime().strftime(DATETIME),
            "figures": streamfield([]),
        },
    }[page.kind]()


def story_form(page, **changes) -> dict:
    """POST data of a story's edit (or add) form, valid for its kind."""
    return nested_form_data(
        {
            "title": page.title,
            "slug": page.slug,
            "summary": page.summary,
            "channels": list(page.channels),
            "sms_text": "",
            "social_text": "",
            "led_text": "",
            **ALERT_FORM_DEFAULTS,
            "body": streamfield([]),
            "comments": inline_formset([]),
            **kind_fields(page),
            **changes,
        }
    )


# --- actions: each returns the page whose rows tell whether the story went live ---------


def do_publish(client, index, kind, users):
    page = KINDS[kind](parent=index, live=False)
    client.post(
        reverse("wagtailadmin_pages:edit", args=[page.pk]), story_form(page, **{"action-publish": "1"})
    )
    return page


def do_publish_new(client, index, kind, users):
    model = KINDS[kind]._meta.model
    draft = KINDS[kind].build(slug=f"moi-{kind}")
    url = reverse("wagtailadmin_pages:add", args=["hub", model._meta.model_name, index.pk])
    client.post(url, story_form(draft, **{"action-publish": "1"}))
    return Page.objects.filter(slug=f"moi-{kind}").first()


def _copy(client, page, destination, **extra):
    data = {"new_title": "Bản sao", "new_slug": "ban-sao", "new_parent_page": destination.pk, **extra}
    client.post(reverse("wagtailadmin_pages:copy", args=[page.pk]), data)
    return Page.objects.filter(slug="ban-sao").type(StoryPage).first()


def do_copy_with_publish(client, index, kind, users):
    page = KINDS[kind](parent=index, live=True)
    return _copy(client, page, index, publish_copies="on")


def do_alias(client, index, kind, users):
    page = KINDS[kind](parent=index, live=True)
    return _copy(client, page, index, alias="on")


def do_copy_section_with_publish(client, index, kind, users):
    section = StoryIndexPageFactory(parent=index.get_parent(), slug="chuyen-muc-cu")
    KINDS[kind](parent=section, live=True, slug="ban-sao")
    data = {
        "new_title": "Chuyên mục mới",
        "new_slug": "chuyen-muc-moi",
        "new_parent_page": index.get_parent().pk,
        "copy_subpages": "on",
        "publish_copies": "on",
    }
    client.post(reverse("wagtailadmin_pages:copy", args=[section.pk]), data)
    copied = Page.objects.filter(slug="chuyen-muc-moi").first()
    return Page.objects.child_of(copied).first() if copied else None


def do_bulk_publish(client, index, kind, users):
    page = KINDS[kind](parent=index, live=False)
    page.save_revision(user=users["writer"])
    url = reverse("wagtail_bulk_action", args=["wagtailcore", "page", "publish"]) + f"?id={page.pk}"
    client.post(url, {"include_descendants": ""})
    return page


def do_bulk_publish_section(client, index, kind, users):
    page = KINDS[kind](parent=index, live=False)
    page.save_revision(user=users["writer"])
    url = reverse("wagtail_bulk_action", args=["wagtailcore", "page", "publish"]) + f"?id={index.pk}"
    client.post(url, {"include_descendants": "on"})
    return page


def do_schedule(client, index, kind, users):
    page = KINDS[kind](parent=index, live=False)
    go_live = timezone.localtime() + datetime.timedelta(hours=1)
    data = story_form(page, go_live_at=go_live.strftime(DATETIME), **{"action-publish": "1"})
    client.post(reverse("wagtailadmin_pages:edit", args=[page.pk]), data)
    # An hour later the scheduler runs.
    page.revisions.exclude(approved_go_live_at=None).update(
        approved_go_live_at=timezone.now() - datetime.timedelta(minutes=1)
    )
    Page.objects.filter(pk=page.pk).update(go_live_at=timezone.now() - datetime.timedelta(minutes=1))
    call_command("publish_scheduled", verbosity=0)
    return page


def do_revert_and_publish(client, index, kind, users):
    """Restore an earlier (never approved) revision from the history and publish it."""
    page = KINDS[kind](parent=index, live=False, title="Bản nháp đầu")
    old = page.save_revision(user=users["writer"])
    page.title = "Bản nháp sau"
    page.save_revision(user=users["writer"])
    data = story_form(page, title="Bản nháp đầu", revision=old.pk, **{"action-publish": "1"})
    client.post(reverse("wagtailadmin_pages:edit", args=[page.pk]), data)
    return page


def do_move_live(client, index, kind, users):
    """Move a live story to another section: its link, carried by every channel, would change."""
    page = KINDS[kind](parent=index, live=True)
    destination = StoryIndexPageFactory(parent=index.get_parent(), slug="noi-khac")
    client.post(reverse("wagtailadmin_pages:move_confirm", args=[page.pk, destination.pk]))
    return Page.objects.child_of(destination).filter(pk=page.pk).first()


def do_python_api(client, index, kind, users):
    """What a script or an integration calls: save a revision and publish it as the role."""
    page = KINDS[kind](parent=index, live=False)
    user = users["actor"]
    with contextlib.suppress(gate.SignOffRequired):
        page.save_revision(user=user).publish(user=user)
    return page


def do_python_copy(client, index, kind, users):
    page = KINDS[kind](parent=index, live=True)
    with contextlib.suppress(gate.SignOffRequired):
        page.copy(to=index, update_attrs={"slug": "ban-sao", "title": "Bản sao"}, user=users["actor"])
    return Page.objects.filter(slug="ban-sao").first()


def _api(client, page, action, **data):
    url = f"/admin/api/main/pages/{page.pk}/action/{action}/"
    return client.post(url, data, content_type="application/json")


def do_api_publish(client, index, kind, users):
    """The admin API the page explorer calls."""
    page = KINDS[kind](parent=index, live=False)
    page.save_revision(user=users["writer"])
    _api(client, page, "publish")
    return page


def do_api_copy(client, index, kind, users):
    page = KINDS[kind](parent=index, live=True)
    _api(client, page, "copy", destination_page_id=index.pk, slug="ban-sao", keep_live=True)
    return Page.objects.filter(slug="ban-sao").first()


def do_api_copy_section(client, index, kind, users):
    section = StoryIndexPageFactory(parent=index.get_parent(), slug="chuyen-muc-cu")
    KINDS[kind](parent=section, live=True, slug="ban-sao")
    _api(
        client,
        section,
        "copy",
        destination_page_id=index.get_parent().pk,
        slug="chuyen-muc-moi",
        recursive=True,
    )
    copied = Page.objects.filter(slug="chuyen-muc-moi").first()
    return Page.objects.child_of(copied).first() if copied else None


def do_api_alias(client, index, kind, users):
    page = KINDS[kind](parent=index, live=True)
    _api(client, page, "create_alias", destination_page_id=index.pk, update_slug="ban-sao")
    return Page.objects.filter(slug="ban-sao").first()


def do_api_revert(client, index, kind, users):
    page = KINDS[kind](parent=index, live=False, title="Bản nháp đầu")
    old = page.save_revision(user=users["writer"])
    page.title = "Bản nháp sau"
    page.save_revision(user=users["writer"])
    _api(client, page, "revert_to_page_revision", revision_id=old.pk)
    page.refresh_from_db()
    revision = page.get_latest_revision()
    if not page.live and revision.pk != old.pk:
        # a restored revision is a draft: publishing it is the gate's question
        _api(client, page, "publish")
    return page


def do_api_move_live(client, index, kind, users):
    page = KINDS[kind](parent=index, live=True)
    destination = StoryIndexPageFactory(parent=index.get_parent(), slug="noi-khac")
    _api(client, page, "move", destination_page_id=destination.pk, position="last-child")
    return Page.objects.child_of(destination).filter(pk=page.pk).first()


def do_approve_last_step(client, index, kind, users):
    """The one way in: the workflow's last approval (the positive control)."""
    page = KINDS[kind](parent=index, live=False)
    page.save_revision(user=users["writer"])
    page.get_workflow().start(page, users["writer"])
    page.refresh_from_db()
    while page.current_workflow_task.specific.key != "approval":
        page.current_workflow_task.on_action(page.current_workflow_task_state, users["root"], "approve")
        page.refresh_from_db()
    state = page.current_workflow_task_state
    client.post(
        reverse("wagtailadmin_pages:workflow_action", args=[page.pk, "approve", state.pk]), {"comment": ""}
    )
    return page


ACTIONS = {name.removeprefix("do_"): func for name, func in globals().items() if name.startswith("do_")}
# Actions that may take effect for whom; everything else must leave no row behind.
ALLOWED = {action: {"admin"} for action in ACTIONS}
ALLOWED["approve_last_step"] = {"approver", "admin"}
MOVES = {"move_live", "api_move_live"}
# An alias shows the original's published content on the portal: live, but nothing new to send.
ALIASES = {"alias", "api_alias"}

CELLS = [(action, role, kind) for action in ACTIONS for role in ROLES for kind in KINDS]


@pytest.fixture
def gate_users(db):
    ensure_workflow()
    people = {}
    for role, groups in ROLES.items():
        if groups is None:
            people[role] = UserFactory(username=role, is_superuser=True)
        else:
            people[role] = UserFactory(username=role, groups=groups)
    people["writer"] = UserFactory(username="writer", groups=[permissions.EDITORS])
    people["root"] = UserFactory(username="root", is_superuser=True)
    return people


@pytest.mark.parametrize(("action", "role", "kind"), CELLS, ids=[f"{a}-{r}-{k}" for a, r, k in CELLS])
def test_only_the_workflow_or_an_administrator_makes_a_story_live(
    client, story_index, gate_users, action, role, kind
):
    client.force_login(gate_users[role])
    allowed = role in ALLOWED[action]

    page = ACTIONS[action](client, story_index, kind, {**gate_users, "actor": gate_users[role]})

    if action in MOVES:
        assert (page is not None) is allowed
        return
    if page is None:
        assert not allowed, "the action should have made a page"
        return
    page.refresh_from_db()
    publications = Publication.objects.filter(page=page).count()
    deliveries = Delivery.objects.filter(publication__page=page).count()
    if allowed and action in ALIASES:
        assert page.live
        assert (publications, deliveries) == (0, 0)
    elif allowed:
        assert page.live
        assert publications == 1
        assert deliveries >= 1  # the portal at least
    else:
        assert (page.live, publications, deliveries) == (False, 0, 0)


@pytest.mark.parametrize("action", ["publish", "copy_with_publish", "alias", "bulk_publish", "move_live"])
def test_an_administrators_bypass_is_in_the_audit_log(client, story_index, gate_users, action):
    client.force_login(gate_users["admin"])
    page = ACTIONS[action](client, story_index, "vaccination", {**gate_users, "actor": gate_users["admin"]})
    entry = PageLogEntry.objects.filter(page=page, action=gate.BYPASS_ACTION).get()
    assert entry.user == gate_users["admin"]


def test_the_refusal_is_explained_in_vietnamese(client, story_index, gate_users):
    client.force_login(gate_users["approver"])
    page = VaccinationPageFactory(parent=story_index, live=True)
    response = client.post(
        reverse("wagtailadmin_pages:copy", args=[page.pk]),
        {"new_title": "Bản sao", "new_slug": "ban-sao", "new_parent_page": story_index.pk, "alias": "on"},
        follow=True,
        HTTP_ACCEPT_LANGUAGE="vi",
    )
    messages = [str(message) for message in response.context["messages"]]
    assert any("qua quy trình duyệt" in message for message in messages), messages
    assert not Page.objects.filter(slug="ban-sao").exists()


def test_the_approvers_copy_form_offers_no_publish_and_no_alias(client, story_index, gate_users):
    client.force_login(gate_users["approver"])
    page = VaccinationPageFactory(parent=story_index, live=True)
    response = client.get(reverse("wagtailadmin_pages:copy", args=[page.pk]))
    assert response.status_code == 200
    assert "publish_copies" not in response.context["form"].fields
    assert "alias" not in response.context["form"].fields
