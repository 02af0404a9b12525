"""Roles × actions, through the admin views as Wagtail's own tests drive them; every cell asserted."""

import pytest
from django.urls import reverse
from wagtail.models import TaskState
from wagtail.test.utils import WagtailTestUtils
from wagtail.test.utils.form_data import inline_formset, nested_form_data, rich_text, streamfield

from hub import permissions
from hub.models import CampaignSettings, GoodExamplePage, Phase, VaccinationPage
from tests.factories import GoodExamplePageFactory, RebuttalPageFactory, UserFactory, VaccinationPageFactory
from tests.factories.pages import ALERT_FORM_DEFAULTS

ROLES = ("editor", "health", "police", "approver", "channel_manager", "admin")
_ = False
Y = True
# action: editor, health, police, approver, channel manager, site administrator
MATRIX = {
    "create": (Y, _, _, Y, _, Y),
    "edit": (Y, _, _, Y, _, Y),
    "submit": (Y, _, _, Y, _, Y),
    "approve_health_step": (_, Y, _, _, _, Y),
    "approve_police_step": (_, _, Y, _, _, Y),
    "approve_final_step": (_, _, _, Y, _, Y),
    "publish_directly": (_, _, _, _, _, Y),
    "unpublish": (_, _, _, Y, _, Y),
    "change_campaign_phase": (_, _, _, Y, _, Y),
}
CELLS = [
    (action, role, allowed)
    for action, row in MATRIX.items()
    for role, allowed in zip(ROLES, row, strict=True)
]


def story_form(page=None, **changes) -> dict:
    """POST data of the vaccination story form (the edit view) or a new one (the add view)."""
    values = {
        "title": page.title if page else "Tiêm vắc-xin mũi 3 tại xã Thanh Minh",
        "slug": page.slug if page else "tiem-vac-xin-mui-3",
        "summary": page.summary if page else "Lịch tiêm mũi 3 cho người từ 18 tuổi.",
        "campaign": getattr(page, "campaign", "Chiến dịch mùa thu"),
        "eligible_groups": "",
        "channels": ["sms", "led"],
        "sms_text": "",
        "social_text": "",
        "led_text": "",
        **ALERT_FORM_DEFAULTS,
        **changes,
    }
    return nested_form_data(
        {
            **values,
            "body": streamfield([]),
            "sites": streamfield([]),
            "how_to_donate": rich_text(""),
            "comments": inline_formset([]),
        }
    )


def post_edit(client, page, **extra):
    return client.post(reverse("wagtailadmin_pages:edit", args=[page.pk]), {**story_form(page), **extra})


def run_to_step(page, step_key, users):
    """Submit as the writer, then let the site administrator approve the steps before `step_key`."""
    page.save_revision(user=users["writer"])
    page.get_workflow().start(page, users["writer"])
    page.refresh_from_db()
    while page.current_workflow_task.specific.key != step_key:
        page.current_workflow_task.on_action(page.current_workflow_task_state, users["admin"], "approve")
        page.refresh_from_db()
    return page.current_workflow_task_state


def approve_step(client, page, step_key, users) -> bool:
    state = run_to_step(page, step_key, users)
    client.post(
        reverse("wagtailadmin_pages:workflow_action", args=[page.pk, "approve", state.pk]), {"comment": ""}
    )
    state.refresh_from_db()
    return state.status == TaskState.STATUS_APPROVED


def do_create(client, story_index, users) -> bool:
    url = reverse("wagtailadmin_pages:add", args=["hub", "vaccinationpage", story_index.pk])
    client.post(url, story_form())
    return VaccinationPage.objects.filter(slug="tiem-vac-xin-mui-3").exists()


def do_edit(client, story_index, users) -> bool:
    page = VaccinationPageFactory(parent=story_index, live=False, owner=users["writer"])
    post_edit(client, page, title="Tiêu đề đã sửa")
    page.refresh_from_db()
    return page.get_latest_revision_as_object().title == "Tiêu đề đã sửa"


def do_submit(client, story_index, users) -> bool:
    page = VaccinationPageFactory(parent=story_index, live=False, owner=users["writer"])
    post_edit(client, page, **{"action-submit": "Submit"})
    return page.workflow_in_progress


def do_approve_health_step(client, story_index, users) -> bool:
    return approve_step(
        client, VaccinationPageFactory(parent=story_index, live=False), "health-review", users
    )


def do_approve_police_step(client, story_index, users) -> bool:
    page = RebuttalPageFactory(parent=story_index, live=False, route_to_police=True)
    return approve_step(client, page, "police-review", users)


def do_approve_final_step(client, story_index, users) -> bool:
    page = VaccinationPageFactory(parent=story_index, live=False)
    approved = approve_step(client, page, "approval", users)
    page.refresh_from_db()
    assert page.live == approved  # the last approval is what publishes
    return approved


def do_publish_directly(client, story_index, users) -> bool:
    page = GoodExamplePageFactory(parent=story_index, live=False)
    data = nested_form_data(
        {
            "title": page.title,
            "slug": page.slug,
            "summary": page.summary,
            "honoree": page.honoree,
            "locality": page.locality,
            "achievement": page.achievement,
            "channels": ["led"],
            **ALERT_FORM_DEFAULTS,
            "body": streamfield([]),
            "comments": inline_formset([]),
            "action-publish": "Publish",
        }
    )
    client.post(reverse("wagtailadmin_pages:edit", args=[page.pk]), data)
    return GoodExamplePage.objects.get(pk=page.pk).live


def do_unpublish(client, story_index, users) -> bool:
    page = VaccinationPageFactory(parent=story_index, live=True)
    client.post(reverse("wagtailadmin_pages:unpublish", args=[page.pk]))
    page.refresh_from_db()
    return not page.live


def do_change_campaign_phase(client, story_index, users) -> bool:
    site = story_index.get_site()
    settings_row = CampaignSettings.for_site(site)
    url = reverse("wagtailsettings:edit", args=["hub", "campaignsettings", site.pk])
    client.post(url, {"phase": Phase.OUTBREAK, "outbreak_banner": "Dịch bùng phát"})
    settings_row.refresh_from_db()
    return settings_row.phase == Phase.OUTBREAK


ACTIONS = {name.removeprefix("do_"): func for name, func in globals().items() if name.startswith("do_")}


@pytest.fixture
def matrix_users(users):
    return {**users, "writer": UserFactory(username="writer", groups=[permissions.EDITORS])}


@pytest.mark.parametrize(("action", "role", "allowed"), CELLS, ids=[f"{a}-{r}" for a, r, _a in CELLS])
def test_permission_matrix(client, story_index, matrix_users, action, role, allowed):
    client.force_login(matrix_users[role])
    assert ACTIONS[action](client, story_index, matrix_users) is allowed


def test_matrix_covers_every_action():
    assert set(ACTIONS) == set(MATRIX)
    assert WagtailTestUtils  # the login helpers are Wagtail's; force_login suffices here
