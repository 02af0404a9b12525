"""Telling the channel managers that a Zalo Official Account must be authorised again."""

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.mail import send_mail
from django.db.models import Q
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation
from wagtail.users.models import UserProfile

from channels.permissions import CHANNEL_MANAGERS


def channel_managers(organisation_id: int):
    """Active channel managers of the organisation (and superusers), with an e-mail address."""
    users = get_user_model().objects.filter(is_active=True).exclude(email="")
    managers = users.filter(groups__name=CHANNEL_MANAGERS).filter(groups__organisations__pk=organisation_id)
    return users.filter(Q(pk__in=managers.values("pk")) | Q(is_superuser=True))


def notify_reauthorisation(*, account) -> int:
    """E-mails each manager once per disabling (the caller only calls when it disabled the account)."""
    edit_url = settings.WAGTAILADMIN_BASE_URL.rstrip("/") + reverse("zalo_accounts:edit", args=[account.pk])
    sent = 0
    for user in channel_managers(account.organisation_id):
        with translation.override(UserProfile.get_for_user(user).get_preferred_language()):
            context = {"account": account, "user": user, "edit_url": edit_url}
            subject = " ".join(render_to_string("zalo/reauthorise_subject.txt", context).split())
            body = render_to_string("zalo/reauthorise.txt", context)
        sent += send_mail(subject, body, settings.WAGTAILADMIN_NOTIFICATION_FROM_EMAIL, [user.email])
    return sent
