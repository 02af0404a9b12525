"""Administrative regions: a tree of any depth (province → district → commune → …)."""

from django.core.exceptions import ValidationError
from django.db import models, transaction
from django.db.models.functions import Concat, Substr
from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import FieldPanel
from wagtail.search import index

PATH_SEPARATOR = "/"


def validate_languages(value: str) -> None:
    """Every code in a region's language list is a content language."""
    from hub.languages import CONTENT_LANGUAGE_CODES

    unknown = [
        code.strip()
        for code in value.replace(";", ",").split(",")
        if code.strip() and code.strip().lower() not in CONTENT_LANGUAGE_CODES
    ]
    if unknown:
        raise ValidationError(
            _("Unknown language code: %(codes)s. Use: %(known)s.")
            % {"codes": ", ".join(unknown), "known": ", ".join(CONTENT_LANGUAGE_CODES)}
        )


class RegionLevel(models.TextChoices):
    PROVINCE = "province", _("Province / city")
    DISTRICT = "district", _("District / town")
    COMMUNE = "commune", _("Commune / ward")
    OTHER = "other", _("Other area")


class RegionQuerySet(models.QuerySet):
    def covering(self, region: "Region") -> "RegionQuerySet":
        """The region itself and every region above it."""
        return self.filter(code__in=region.lineage_codes)

    def within(self, region: "Region") -> "RegionQuerySet":
        """The region itself and every region below it."""
        return self.filter(path__startswith=region.path)

    def overlapping(self, regions) -> "RegionQuerySet":
        """Regions that contain, or lie within, any of `regions` (e.g. a story's target regions)."""
        condition = models.Q(pk__in=[])
        for region in regions:
            condition |= models.Q(path__startswith=region.path) | models.Q(code__in=region.lineage_codes)
        return self.filter(condition)


def paths_overlap(first: str, second: str) -> bool:
    """Whether two regions, given by their paths, contain one another."""
    return first.startswith(second) or second.startswith(first)


class Region(index.Indexed, models.Model):
    """One administrative unit; `path` holds the codes from the root, e.g. `/11/094/03127/`."""

    code = models.SlugField(
        _("administrative code"),
        max_length=20,
        unique=True,
        allow_unicode=False,
        help_text=_("The official code, e.g. 11 for Điện Biên province."),
    )
    name = models.CharField(_("name"), max_length=120)
    level = models.CharField(_("level"), max_length=16, choices=RegionLevel.choices)
    parent = models.ForeignKey(
        "self",
        verbose_name=_("part of"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="children",
    )
    path = models.CharField(max_length=255, editable=False, db_index=True)
    languages = models.CharField(
        _("languages"),
        max_length=100,
        blank=True,
        validators=[validate_languages],
        help_text=_(
            "Content languages its people receive, in order, e.g. “vi, hmn”. "
            "Empty: those of the region it is part of (Vietnamese at the top)."
        ),
    )

    objects = RegionQuerySet.as_manager()

    panels = [
        FieldPanel("name"),
        FieldPanel("code"),
        FieldPanel("level"),
        FieldPanel("parent"),
        FieldPanel("languages"),
    ]
    search_fields = [
        index.SearchField("name"),
        index.AutocompleteField("name"),
        index.FilterField("code"),
        index.FilterField("id"),
    ]

    class Meta:
        ordering = ["path"]
        verbose_name = _("region")
        verbose_name_plural = _("regions")

    def __str__(self) -> str:
        return self.name

    def save(self, *args, **kwargs) -> None:
        """Keeps the materialised path (and the paths below it) in step with parent and code."""
        parent_path = self.parent.path if self.parent_id else PATH_SEPARATOR
        new_path = f"{parent_path}{self.code}{PATH_SEPARATOR}"
        old_path = self.path
        self.path = new_path
        with transaction.atomic():
            super().save(*args, **kwargs)
            if old_path and old_path != new_path:
                Region.objects.filter(path__startswith=old_path).exclude(pk=self.pk).update(
                    path=Concat(models.Value(new_path), Substr("path", len(old_path) + 1))
                )

    @property
    def depth(self) -> int:
        return self.path.count(PATH_SEPARATOR) - 1

    @property
    def lineage_codes(self) -> list[str]:
        """Codes from the root down to this region."""
        return [code for code in self.path.split(PATH_SEPARATOR) if code]

    def clean(self) -> None:
        ancestor = self.parent
        while ancestor is not None:
            if ancestor.pk == self.pk and self.pk is not None:
                raise ValidationError({"parent": _("A region cannot be part of itself.")})
            ancestor = ancestor.parent


def effective_languages(regions) -> dict[int, list[str]]:
    """Each region's languages (its own list, else the nearest listing ancestor's, else Vietnamese).

    One query for the ancestors, whatever the number of regions.
    """
    from hub.languages import DEFAULT_LANGUAGE, parse_languages

    regions = list(regions)
    codes = {code for region in regions for code in region.lineage_codes}
    listed = {
        code: parse_languages(languages)
        for code, languages in Region.objects.filter(code__in=codes).values_list("code", "languages")
    }
    result = {}
    for region in regions:
        languages = [DEFAULT_LANGUAGE]
        for code in reversed(region.lineage_codes):
            if listed.get(code):
                languages = listed[code]
                break
        result[region.pk] = languages
    return result


def regions_for_language(regions, language: str) -> list["Region"]:
    """The regions, among these, whose people receive `language`."""
    regions = list(regions)
    languages = effective_languages(regions)
    return [region for region in regions if language in languages[region.pk]]
