"""Admin for Channel managers: recipient lists and recipients (scoped by organisation), mail-outs."""

from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.forms import WagtailAdminModelForm
from wagtail.admin.ui.tables import Column, TitleColumn
from wagtail.admin.viewsets.base import ViewSetGroup
from wagtail.permission_policies import ModelPermissionPolicy
from wagtail.permissions import register_permission_policy

from channels.email.models import EmailMessage, EmailSend, Recipient, RecipientList
from hub.tenancy import OrganisationScopedViewSet, scope


class RecipientListViewSet(OrganisationScopedViewSet):
    model = RecipientList
    icon = "list-ul"
    menu_label = _("Recipient lists")
    url_prefix = "email/lists"
    form_fields = ["organisation", "name", "kind", "regions", "active"]
    list_filter = ["kind", "active", "organisation"]
    search_fields = ["name"]
    copy_view_enabled = False
    list_display = [
        TitleColumn("name", label=_("Name"), url_name="email_lists:edit"),
        Column("kind", label=_("Kind"), accessor="get_kind_display"),
        Column("organisation", label=_("Organisation")),
    ]


class RecipientForm(WagtailAdminModelForm):
    """Addresses a channel manager adds are confirmed by the office itself; citizens confirm by e-mail."""

    class Meta:
        model = Recipient
        fields = ["recipient_list", "email", "name", "region", "language"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["recipient_list"].queryset = scope(RecipientList.objects.all(), self.for_user)

    def save(self, commit=True):
        recipient = self.instance
        recipient.organisation_id = self.cleaned_data["recipient_list"].organisation_id
        if (
            recipient.pk is None
            and not recipient.confirmed_at
            and not self.cleaned_data["recipient_list"].is_public
        ):
            recipient.confirmed_at = timezone.now()
        return super().save(commit=commit)


class RecipientViewSet(OrganisationScopedViewSet):
    model = Recipient
    icon = "user"
    menu_label = _("Recipients")
    url_prefix = "email/recipients"
    list_filter = ["recipient_list", "language"]
    search_fields = ["email", "name"]
    copy_view_enabled = False
    inspect_view_enabled = True
    list_display = [
        TitleColumn("email", label=_("E-mail address"), url_name="email_recipients:edit"),
        Column("name", label=_("Name or unit")),
        Column("recipient_list", label=_("List")),
        Column("region", label=_("Region")),
        Column("language", label=_("Language")),
        Column("bounce_reason", label=_("Why it bounced")),
    ]

    def get_form_class(self, for_update=False):
        return RecipientForm


class ReadOnlyPolicy(ModelPermissionPolicy):
    def user_has_permission(self, user, action):
        return action not in {"add", "change", "delete"} and super().user_has_permission(user, action)


register_permission_policy(EmailMessage, ReadOnlyPolicy(EmailMessage))
register_permission_policy(EmailSend, ReadOnlyPolicy(EmailSend))


class EmailMessageViewSet(OrganisationScopedViewSet):
    model = EmailMessage
    icon = "mail"
    menu_label = _("Mail-outs")
    url_prefix = "email/mailouts"
    list_display = ["__str__", "recipient_list", "created", "completed_at", "retracted_at"]
    list_filter = ["recipient_list"]
    inspect_view_enabled = True
    inspect_view_fields = ["recipient_list", "marker", "created", "completed_at", "retracted_at"]
    form_fields = ["recipient_list"]
    copy_view_enabled = False


class EmailSendViewSet(OrganisationScopedViewSet):
    model = EmailSend
    icon = "doc-full"
    menu_label = _("Messages sent")
    url_prefix = "email/sends"
    list_display = ["recipient", "message", "kind", "status", "message_header", "error", "sent_at"]
    list_filter = ["status", "kind"]
    search_fields = ["recipient__email"]
    form_fields = ["status"]
    copy_view_enabled = False


class EmailViewSetGroup(ViewSetGroup):
    items = (
        RecipientListViewSet("email_lists"),
        RecipientViewSet("email_recipients"),
        EmailMessageViewSet("email_mailouts"),
        EmailSendViewSet("email_sends"),
    )
    menu_icon = "mail"
    menu_label = _("E-mail")
    menu_order = 330


@hooks.register("register_admin_viewset")
def register_email_viewsets():
    return EmailViewSetGroup()
