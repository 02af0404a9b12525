"""Admin views for screen tokens: create (shown once), revoke."""

import re

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.views.generic import View
from wagtail.admin import messages
from wagtail.admin.views.generic.base import WagtailAdminTemplateMixin

from channels.led.models import Screen
from hub.tenancy import scope


class ScreenTokensView(WagtailAdminTemplateMixin, View):
    """Lists a screen's tokens; POST `create` shows a new secret once, POST `revoke` ends one."""

    template_name = "led/screen_tokens.html"
    header_icon = "key"

    def dispatch(self, request, pk):
        if not request.user.has_perm("led.change_screen"):
            raise PermissionDenied
        self.screen = get_object_or_404(scope(Screen.objects.all(), request.user), pk=pk)
        return super().dispatch(request, pk)

    def get_page_title(self):
        return _("Tokens of %(screen)s") % {"screen": self.screen}

    def get_breadcrumbs_items(self):
        return [
            {"url": reverse("led_screens:index"), "label": _("LED screens")},
            {"url": reverse("led_screens:edit", args=[self.screen.pk]), "label": str(self.screen)},
            {"url": "", "label": _("Tokens")},
        ]

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        base = settings.WAGTAILADMIN_BASE_URL.rstrip("/")
        context.update(
            screen=self.screen,
            tokens=self.screen.tokens.all(),
            playlist_url=f"{base}/api/led/v1/screens/{self.screen.code}/playlist.json",
        )
        return context

    def get(self, request, pk):
        return self.render_to_response(self.get_context_data())

    def post(self, request, pk):
        action = request.POST.get("action")
        if action == "create":
            _token, secret = self.screen.issue_token()
            messages.success(request, _("New token created. Copy it now: it will not be shown again."))
            response = self.render_to_response(self.get_context_data(new_secret=secret))
            response["Cache-Control"] = "no-store"
            return response
        if action == "revoke":
            token_pk = request.POST.get("token", "")
            if not re.fullmatch(r"[0-9]{1,18}", token_pk):
                raise Http404
            with transaction.atomic():
                token = get_object_or_404(self.screen.tokens.select_for_update(), pk=int(token_pk))
                if token.revoked_at is None:
                    token.revoked_at = timezone.now()
                    token.save(update_fields=["revoked_at"])
            messages.success(request, _("Token %(prefix)s… revoked.") % {"prefix": token.prefix})
            return redirect("led_screen_tokens", pk=self.screen.pk)
        messages.error(request, _("Unknown action."))
        return redirect("led_screen_tokens", pk=self.screen.pk)
