"""Organisations: the unit of tenancy. Each has its Wagtail Site, its regions and its groups.

Membership goes through Wagtail's groups: a user belongs to an organisation when they are in one
of its groups. Every model an office owns points at its organisation; `hub.tenancy` scopes them.
"""

from django.db import models
from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import FieldPanel


class OrganisationKind(models.TextChoices):
    PROVINCE = "province", _("Province")
    CITY = "city", _("City")
    DEPARTMENT = "department", _("Department")
    DISTRICT = "district", _("District")
    OTHER = "other", _("Other body")


class OrganisationQuerySet(models.QuerySet):
    def for_user(self, user) -> "OrganisationQuerySet":
        """The organisations whose groups the user is in; all of them for a superuser."""
        if user is None or not user.is_authenticated or not user.is_active:
            return self.none()
        if user.is_superuser:
            return self.all()
        return self.filter(groups__user=user).distinct()


class Organisation(models.Model):
    """A province, a city, or one of their departments or districts."""

    name = models.CharField(_("name"), max_length=255)
    slug = models.SlugField(_("short name"), max_length=60, unique=True)
    kind = models.CharField(_("kind"), max_length=16, choices=OrganisationKind.choices)
    parent = models.ForeignKey(
        "self",
        verbose_name=_("part of"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="children",
    )
    site = models.OneToOneField(
        "wagtailcore.Site",
        verbose_name=_("portal"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="organisation",
    )
    region = models.ForeignKey(
        "hub.Region",
        verbose_name=_("region"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        help_text=_("The top of the organisation's own region tree."),
    )
    groups = models.ManyToManyField(
        "auth.Group",
        verbose_name=_("groups"),
        blank=True,
        related_name="organisations",
        help_text=_("Members of these groups work for the organisation."),
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    objects = OrganisationQuerySet.as_manager()

    panels = [
        FieldPanel("name"),
        FieldPanel("slug"),
        FieldPanel("kind"),
        FieldPanel("parent"),
        FieldPanel("site"),
        FieldPanel("region"),
        FieldPanel("groups"),
    ]

    class Meta:
        ordering = ["name"]
        verbose_name = _("organisation")
        verbose_name_plural = _("organisations")

    def __str__(self) -> str:
        return self.name
