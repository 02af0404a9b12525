"""Admin of the SMS partners: audit-log actions, the partner viewset, keys and the stale-pull warning."""

from django.urls import path, reverse
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.ui.components import Component
from wagtail.admin.ui.tables import Column

from channels.sms import views
from channels.sms.keys import ACTION_AUTH_FAILED, ACTION_CREATED, ACTION_REVOKED
from channels.sms.models import Partner
from channels.sms.partners import stale_partners
from hub.tenancy import OrganisationScopedViewSet, scope


@hooks.register("register_log_actions")
def register_sms_log_actions(actions):
    actions.register_action(ACTION_CREATED, _("Create SMS API key"), _("SMS API key created"))
    actions.register_action(ACTION_REVOKED, _("Revoke SMS API key"), _("SMS API key revoked"))
    actions.register_action(
        ACTION_AUTH_FAILED, _("SMS API authentication failure"), _("SMS API request refused")
    )


class KeysColumn(Column):
    cell_template_name = "sms/keys_cell.html"

    def get_value(self, instance):
        return reverse("sms_partner_keys", args=[instance.pk])


class PartnerViewSet(OrganisationScopedViewSet):
    model = Partner
    icon = "mail"
    menu_label = _("SMS partners")
    menu_order = 320
    add_to_admin_menu = True
    list_display = ["name", "active", "contact_name", KeysColumn("keys", label=_("Keys and monitoring"))]
    list_filter = ["active"]
    search_fields = ["name", "contact_name"]
    form_fields = [
        "organisation",
        "name",
        "active",
        "coverage",
        "exercise_entries",
        "contact_name",
        "contact_email",
        "contact_phone",
        "notes",
    ]
    inspect_view_enabled = False


partner_viewset = PartnerViewSet("sms_partners")


@hooks.register("register_admin_viewset")
def register_partner_viewset():
    return partner_viewset


@hooks.register("register_admin_urls")
def register_sms_admin_urls():
    return [
        path("sms/partners/<int:partner_id>/keys/", views.partner_keys, name="sms_partner_keys"),
        path(
            "sms/partners/<int:partner_id>/keys/<int:key_id>/revoke/",
            views.revoke_key,
            name="sms_partner_key_revoke",
        ),
    ]


class StalePartnersPanel(Component):
    template_name = "sms/dashboard_panel.html"
    order = 170

    def __init__(self, partners):
        self.partners = partners

    def get_context_data(self, parent_context=None):
        from django.conf import settings

        return {"partners": self.partners, "minutes": settings.SMS_PARTNER_STALE_MINUTES}


@hooks.register("construct_homepage_panels")
def add_stale_partners_panel(request, panels):
    if not request.user.has_perm("sms.view_partner"):
        return
    stale = stale_partners(partners=scope(Partner.objects.all(), request.user))
    if stale:
        panels.append(StalePartnersPanel(stale))
