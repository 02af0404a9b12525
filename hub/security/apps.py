from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SecurityConfig(AppConfig):
    """Sign-in lock-outs (django-axes), their audit entries and the admin screen that lifts them."""

    name = "hub.security"
    label = "hub_security"
    verbose_name = _("Security")

    def ready(self) -> None:
        from hub.security import signals  # noqa: F401
