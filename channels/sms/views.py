"""Admin views for a partner's keys and monitoring: the new key is rendered once, never stored."""

from django import forms
from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST
from wagtail.admin import messages
from wagtail.admin.widgets import AdminDateTimeInput

from channels.sms.keys import key_create, key_revoke
from channels.sms.models import Partner, PartnerKey
from channels.sms.partners import partner_health, recent_failures
from hub.tenancy import scope

MANAGE_PERMISSION = "sms.change_partner"


class KeyForm(forms.Form):
    label = forms.CharField(label=gettext_lazy("Label"), max_length=120, required=False)
    expires_at = forms.DateTimeField(
        label=gettext_lazy("Expires"),
        required=False,
        widget=AdminDateTimeInput,
        help_text=gettext_lazy("Leave empty for a key that does not expire."),
    )

    def clean_expires_at(self):
        value = self.cleaned_data["expires_at"]
        if value is not None and value <= timezone.now():
            raise forms.ValidationError(_("The expiry must be in the future."))
        return value


def _check(request):
    if not request.user.has_perm(MANAGE_PERMISSION):
        raise PermissionDenied


def partner_keys(request, partner_id: int):
    """The partner's keys and delivery figures; POST issues a key and shows it this once."""
    _check(request)
    partner = get_object_or_404(scope(Partner.objects.all(), request.user), pk=partner_id)
    new_key = None
    form = KeyForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        _key, new_key = key_create(
            partner=partner,
            user=request.user,
            label=form.cleaned_data["label"],
            expires_at=form.cleaned_data["expires_at"],
        )
        form = KeyForm()
    response = TemplateResponse(
        request,
        "sms/partner_keys.html",
        {
            "partner": partner,
            "keys": partner.keys.all(),
            "form": form,
            "new_key": new_key,
            "health": partner_health(partner=partner),
            "failures": recent_failures(partner=partner),
            "now": timezone.now(),
        },
    )
    response["Cache-Control"] = "no-store"
    return response


@require_POST
def revoke_key(request, partner_id: int, key_id: int):
    _check(request)
    key = get_object_or_404(
        scope(PartnerKey.objects.all(), request.user, field="partner__organisation"),
        pk=key_id,
        partner_id=partner_id,
    )
    key_revoke(key=key, user=request.user)
    messages.success(request, _("Key %(prefix)s… revoked.") % {"prefix": key.prefix})
    return redirect("sms_partner_keys", partner_id=partner_id)
