"""Organisations: the unit of tenancy. Each has its Wagtail Site, its regions and its groups.

Membership goes through Wagtail's groups: a user belongs to an organisation when they are in one
of its groups. Every model an office owns points at its organisation; `hub.tenancy` scopes them.
"""

from django.conf import settings
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
    logo = models.ForeignKey(
        "media.HubImage",
        verbose_name=_("logo"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text=_(
            "Shown to search engines as the publisher of the portal's stories. Empty: the portal's emblem."
        ),
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
        FieldPanel("logo"),
        FieldPanel("groups"),
    ]

    class Meta:
        ordering = ["name"]
        verbose_name = _("organisation")
        verbose_name_plural = _("organisations")

    def __str__(self) -> str:
        return self.name

    @property
    def exercise_period(self) -> "ExercisePeriod | None":
        """The drill in progress, if any (docs/exercise.md)."""
        return self.exercise_periods.open().first()

    @property
    def in_exercise(self) -> bool:
        return self.exercise_periods.open().exists()


class Subscription(models.Model):
    """One organisation takes another's published stories onto its portal (all, or some kinds or regions)."""

    subscriber = models.ForeignKey(
        Organisation,
        verbose_name=_("subscriber"),
        on_delete=models.CASCADE,
        related_name="subscriptions",
    )
    source = models.ForeignKey(
        Organisation,
        verbose_name=_("source"),
        on_delete=models.CASCADE,
        related_name="subscribers",
    )
    kinds = models.JSONField(
        _("story kinds"),
        default=list,
        blank=True,
        help_text=_("Empty: every kind. Otherwise the kinds to take, e.g. vaccination, rebuttal."),
    )
    regions = models.ManyToManyField(
        "hub.Region",
        verbose_name=_("regions"),
        blank=True,
        related_name="+",
        help_text=_("Empty: every region. Otherwise stories for these regions, within or above them."),
    )
    tags = models.CharField(
        _("keywords"),
        max_length=255,
        blank=True,
        help_text=_(
            "Empty: every story. Otherwise, comma-separated words of which the title or summary has one."
        ),
    )
    active = models.BooleanField(_("active"), default=True)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    panels = [
        FieldPanel("source"),
        FieldPanel("kinds"),
        FieldPanel("regions"),
        FieldPanel("tags"),
        FieldPanel("active"),
    ]

    class Meta:
        ordering = ["subscriber__name", "source__name"]
        verbose_name = _("syndication subscription")
        verbose_name_plural = _("syndication subscriptions")
        constraints = [
            models.UniqueConstraint(fields=["subscriber", "source"], name="subscription_once_per_source"),
            models.CheckConstraint(
                condition=~models.Q(subscriber=models.F("source")), name="subscription_not_to_itself"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.subscriber} ← {self.source}"

    @property
    def organisation_id(self):
        """The subscriber owns the subscription (for hub.tenancy)."""
        return self.subscriber_id

    @property
    def keywords(self) -> list[str]:
        return [word.strip().casefold() for word in self.tags.split(",") if word.strip()]


class SyndicatedCopy(models.Model):
    """A source organisation's published story as it appears on a subscriber's portal, never re-approved.

    Kept in step with the source: a new publication updates it, a retraction withdraws it.
    """

    organisation = models.ForeignKey(
        Organisation,
        verbose_name=_("organisation"),
        on_delete=models.CASCADE,
        related_name="syndicated_copies",
    )
    source_organisation = models.ForeignKey(
        Organisation,
        verbose_name=_("source organisation"),
        on_delete=models.CASCADE,
        related_name="+",
    )
    source_page = models.ForeignKey(
        "wagtailcore.Page", null=True, on_delete=models.SET_NULL, related_name="syndicated_copies"
    )
    publication = models.ForeignKey(
        "publishing.Publication",
        verbose_name=_("source publication"),
        null=True,
        on_delete=models.SET_NULL,
        related_name="syndicated_copies",
    )
    kind = models.CharField(_("kind"), max_length=40)
    title = models.CharField(_("title"), max_length=255)
    summary = models.TextField(_("summary"), blank=True)
    body = models.TextField(_("text"), blank=True)
    canonical_url = models.URLField(_("address at the source"), max_length=500)
    approved_by_name = models.CharField(_("approved by"), max_length=255, blank=True)
    published_at = models.DateTimeField(_("published at the source"))
    valid_until = models.DateTimeField(_("valid until"), null=True, blank=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)
    withdrawn_at = models.DateTimeField(_("withdrawn"), null=True, blank=True)
    republished_as = models.ForeignKey(
        "wagtailcore.Page",
        verbose_name=_("own story"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text=_("The subscriber's own story started from this text, to send on its own channels."),
    )

    class Meta:
        ordering = ["-published_at", "-pk"]
        verbose_name = _("syndicated story")
        verbose_name_plural = _("syndicated stories")
        constraints = [
            models.UniqueConstraint(
                fields=["organisation", "source_page"], name="syndicated_copy_once_per_story"
            ),
        ]

    def __str__(self) -> str:
        return self.title


class ExercisePeriodQuerySet(models.QuerySet):
    def open(self) -> "ExercisePeriodQuerySet":
        return self.filter(ended_at__isnull=True)


class ExercisePeriod(models.Model):
    """A drill: while an organisation has an open period, everything it publishes is an exercise.

    Started and ended in the admin (docs/exercise.md); each switch is also in Wagtail's audit log.
    """

    organisation = models.ForeignKey(
        Organisation,
        verbose_name=_("organisation"),
        on_delete=models.CASCADE,
        related_name="exercise_periods",
    )
    started_at = models.DateTimeField(_("started"))
    started_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("started by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    ended_at = models.DateTimeField(_("ended"), null=True, blank=True)
    ended_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("ended by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    note = models.CharField(_("purpose"), max_length=255, blank=True)
    retracted = models.PositiveIntegerField(_("stories withdrawn at the end"), default=0)

    objects = ExercisePeriodQuerySet.as_manager()

    class Meta:
        ordering = ["-started_at", "-pk"]
        verbose_name = _("exercise period")
        verbose_name_plural = _("exercise periods")
        permissions = [("run_exercise", _("Can start and end exercise mode"))]
        constraints = [
            models.UniqueConstraint(
                fields=["organisation"],
                condition=models.Q(ended_at__isnull=True),
                name="exercise_period_one_open",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.organisation} · {self.started_at:%Y-%m-%d %H:%M}"

    @property
    def is_open(self) -> bool:
        return self.ended_at is None
