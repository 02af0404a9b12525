"""The admin screen of sign-in lock-outs: see them, lift one."""

import math

from axes.helpers import get_cool_off
from django.conf import settings
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from hub.security.lockouts import active_lockouts, lockout_lift


def can_manage_lockouts(user) -> bool:
    return user.is_active and (user.is_superuser or user.has_perm("axes.delete_accessattempt"))


def lockouts_view(request):
    if not can_manage_lockouts(request.user):
        raise PermissionDenied
    return render(
        request,
        "security/lockouts.html",
        {"lockouts": active_lockouts(), "page_title": _("Sign-in lock-outs")},
    )


@require_POST
def lockout_lift_view(request, pk: int):
    if not can_manage_lockouts(request.user):
        raise PermissionDenied
    if lockout_lift(pk=pk, user=request.user):
        messages.success(request, _("The lock-out is lifted."))
    else:
        messages.warning(request, _("This lock-out had already ended."))
    return redirect("security_lockouts")


def lockout_response(request, original_response=None, credentials=None):
    """django-axes' answer to a locked-out sign-in: a page in the user's language, status 429."""
    cool_off = get_cool_off(request)
    minutes = math.ceil(cool_off.total_seconds() / 60) if cool_off else None
    return render(
        request, "security/lockout_page.html", {"minutes": minutes}, status=settings.AXES_HTTP_RESPONSE_CODE
    )
