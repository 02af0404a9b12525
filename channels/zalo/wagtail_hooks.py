"""Admin for Channel managers: Zalo Official Accounts (scoped by organisation), their posts, an alert."""

from django import forms
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.forms import WagtailAdminModelForm
from wagtail.admin.ui.components import Component
from wagtail.admin.ui.tables import Column, StatusTagColumn, TitleColumn
from wagtail.admin.viewsets.base import ViewSetGroup
from wagtail.permission_policies import ModelPermissionPolicy
from wagtail.permissions import register_permission_policy

from channels.zalo import tokens
from channels.zalo.models import ZaloAccount, ZaloPost
from hub.tenancy import OrganisationScopedViewSet, scope

ACCOUNT_FIELDS = [
    "organisation",
    "name",
    "oa_id",
    "app_id",
    "app_secret_env",
    "regions",
    "broadcast",
    "broadcast_cities",
    "group_ids",
    "active",
]


class ZaloAccountForm(WagtailAdminModelForm):
    """The refresh token is written here once (encrypted at once) and never shown again."""

    refresh_token = forms.CharField(
        label=_("New refresh token"),
        required=False,
        widget=forms.PasswordInput(render_value=False),
        help_text=_(
            "Paste the refresh token from the Official Account's authorisation (OAuth v4). "
            "It is stored encrypted and replaced by Zalo at every refresh; saving one also "
            "switches a disabled account back on."
        ),
    )

    class Meta:
        model = ZaloAccount
        fields = ACCOUNT_FIELDS

    def clean_refresh_token(self):
        value = self.cleaned_data.get("refresh_token", "").strip()
        if value:
            try:
                tokens.encrypt("check")
            except ImproperlyConfigured as error:
                raise forms.ValidationError(str(error)) from None
        return value

    def save(self, commit=True):
        account = super().save(commit=commit)
        value = self.cleaned_data.get("refresh_token")
        if value and commit:
            tokens.store_refresh_token(account, value)
        return account


class ZaloAccountViewSet(OrganisationScopedViewSet):
    model = ZaloAccount
    icon = "mail"
    menu_label = _("Official Accounts")
    url_prefix = "zalo/accounts"
    list_filter = ["active", "organisation"]
    search_fields = ["name", "oa_id"]
    inspect_view_enabled = True
    inspect_view_fields = [
        "organisation",
        "name",
        "oa_id",
        "app_id",
        "regions",
        "broadcast_cities",
        "group_ids",
        "active",
        "refreshed_at",
        "disabled_at",
        "disabled_reason",
    ]
    copy_view_enabled = False
    list_display = [
        TitleColumn("name", label=_("Name"), url_name="zalo_accounts:edit"),
        Column("organisation", label=_("Organisation")),
        StatusTagColumn("status_label", label=_("Status"), primary=lambda account: account.status == "live"),
        Column("disabled_reason", label=_("Why disabled")),
    ]

    def get_form_class(self, for_update=False):
        return ZaloAccountForm


class ReadOnlyPolicy(ModelPermissionPolicy):
    def user_has_permission(self, user, action):
        return action not in {"add", "change", "delete"} and super().user_has_permission(user, action)


register_permission_policy(ZaloPost, ReadOnlyPolicy(ZaloPost))


class ZaloPostViewSet(OrganisationScopedViewSet):
    model = ZaloPost
    icon = "clipboard-list"
    menu_label = _("Posts")
    url_prefix = "zalo/posts"
    list_filter = ["sandbox", "account"]
    list_display = ["account", "marker", "article_id", "broadcast_id", "sandbox", "completed_at"]
    inspect_view_enabled = True
    inspect_view_fields = [
        "account",
        "marker",
        "sandbox",
        "article_id",
        "broadcast_id",
        "group_messages",
        "payload",
        "completed_at",
        "removed_at",
    ]
    form_fields = ["account"]
    copy_view_enabled = False


class ZaloViewSetGroup(ViewSetGroup):
    items = (ZaloAccountViewSet("zalo_accounts"), ZaloPostViewSet("zalo_posts"))
    menu_icon = "mail"
    menu_label = _("Zalo")
    menu_order = 320


@hooks.register("register_admin_viewset")
def register_zalo_viewsets():
    return ZaloViewSetGroup()


class ZaloAccountsPanel(Component):
    """Dashboard alert: Official Accounts that must be authorised again."""

    name = "zalo_accounts"
    order = 61
    template_name = "zalo/dashboard_panel.html"

    def __init__(self, disabled):
        self.disabled = disabled

    def get_context_data(self, parent_context=None):
        return {"disabled": self.disabled}


@hooks.register("construct_homepage_panels")
def add_zalo_accounts_panel(request, panels):
    if not request.user.has_perm("zalo.change_zaloaccount"):
        return
    disabled = list(scope(ZaloAccount.objects.filter(disabled_at__isnull=False), request.user))
    if disabled:
        panels.append(ZaloAccountsPanel(disabled))
