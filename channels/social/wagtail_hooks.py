"""Admin for Channel managers: social accounts (with a Sandbox badge), sandbox posts, a dashboard alert."""

from django import forms
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.forms import WagtailAdminModelForm
from wagtail.admin.ui.components import Component
from wagtail.admin.ui.tables import Column, StatusTagColumn, TitleColumn
from wagtail.admin.viewsets.base import ViewSetGroup
from wagtail.permission_policies import ModelPermissionPolicy
from wagtail.permissions import register_permission_policy

from channels.social.models import ChannelAccount, SandboxPost
from hub.tenancy import OrganisationScopedViewSet, scope

ACCOUNT_FIELDS = [
    "organisation",
    "network",
    "name",
    "handle",
    "account_id",
    "regions",
    "active",
    "token_env",
    "token_secret_env",
    "consumer_key_env",
    "consumer_secret_env",
]


class ChannelAccountForm(WagtailAdminModelForm):
    """Names of environment variables only; a disabled account can be switched back on here."""

    enable_again = forms.BooleanField(
        label=_("Enable again"),
        required=False,
        help_text=_("Tick once a new token is in place, to clear the disabled state."),
    )

    class Meta:
        model = ChannelAccount
        fields = ACCOUNT_FIELDS

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if not self.instance.is_disabled:
            del self.fields["enable_again"]

    def save(self, commit=True):
        if self.cleaned_data.get("enable_again"):
            self.instance.enable()
        return super().save(commit=commit)


class ChannelAccountViewSet(OrganisationScopedViewSet):
    model = ChannelAccount
    icon = "globe"
    menu_label = _("Accounts")
    url_prefix = "social/accounts"
    list_filter = ["network", "active"]
    search_fields = ["name", "handle"]
    inspect_view_enabled = True
    inspect_view_fields = [
        "network",
        "name",
        "handle",
        "account_id",
        "regions",
        "active",
        "disabled_at",
        "disabled_reason",
    ]
    copy_view_enabled = False
    list_display = [
        TitleColumn("name", label=_("Name"), url_name="social_accounts:edit"),
        Column("network", label=_("Network"), accessor="get_network_display"),
        Column("handle", label=_("Handle")),
        StatusTagColumn("status_label", label=_("Status"), primary=lambda account: account.status == "live"),
        Column("disabled_reason", label=_("Why disabled")),
    ]

    def get_form_class(self, for_update=False):
        return ChannelAccountForm


class ReadOnlyPolicy(ModelPermissionPolicy):
    """Sandbox posts are made by the adapters; people may only look at them and clear them."""

    def user_has_permission(self, user, action):
        return action not in {"add", "change"} and super().user_has_permission(user, action)


register_permission_policy(SandboxPost, ReadOnlyPolicy(SandboxPost))


class SandboxPostViewSet(OrganisationScopedViewSet):
    model = SandboxPost
    icon = "clipboard-list"
    menu_label = _("Sandbox posts")
    url_prefix = "social/sandbox"
    organisation_field = "account__organisation"
    list_filter = ["action"]
    list_display = ["account", "action", "external_id", "created"]
    inspect_view_enabled = True
    inspect_view_fields = ["account", "action", "external_id", "marker", "payload", "created"]
    form_fields = ["account", "action", "payload"]
    copy_view_enabled = False

    def get_index_view_kwargs(self, **kwargs):
        return super().get_index_view_kwargs(queryset=SandboxPost.objects.select_related("account"), **kwargs)


class SocialViewSetGroup(ViewSetGroup):
    items = (ChannelAccountViewSet("social_accounts"), SandboxPostViewSet("social_sandbox"))
    menu_icon = "globe"
    menu_label = _("Social pages")
    menu_order = 310


@hooks.register("register_admin_viewset")
def register_social_viewsets():
    return SocialViewSetGroup()


class SocialAccountsPanel(Component):
    """Dashboard alert: disabled accounts (expired or revoked tokens) and accounts in sandbox mode."""

    name = "social_accounts"
    order = 60
    template_name = "social/dashboard_panel.html"

    def __init__(self, disabled, sandbox):
        self.disabled = disabled
        self.sandbox = sandbox

    def get_context_data(self, parent_context=None):
        return {"disabled": self.disabled, "sandbox": self.sandbox}


@hooks.register("construct_homepage_panels")
def add_social_accounts_panel(request, panels):
    if not request.user.has_perm("social.change_channelaccount"):
        return
    accounts = list(
        scope(ChannelAccount.objects.filter(Q(active=True) | Q(disabled_at__isnull=False)), request.user)
    )
    disabled = [account for account in accounts if account.is_disabled]
    sandbox = [
        account for account in accounts if account.active and not account.is_disabled and account.is_sandbox
    ]
    if disabled or sandbox:
        panels.append(SocialAccountsPanel(disabled, sandbox))
