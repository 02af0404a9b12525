"""Portal pages: home, story indexes and the five story kinds on one abstract base."""

from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.db import models
from django.http import Http404
from django.utils.functional import cached_property
from django.utils.text import capfirst
from django.utils.translation import gettext_lazy as _
from modelcluster.fields import ParentalManyToManyField
from wagtail.admin.panels import FieldPanel, MultiFieldPanel, ObjectList, TabbedInterface
from wagtail.fields import RichTextField, StreamField
from wagtail.models import Page
from wagtail.search import index

from hub.blocks import RICH_TEXT_FEATURES, FigureBlock, StoryBodyBlock, VaccinationSiteBlock
from hub.fields import ChannelsField, default_channels
from hub.forms import StoryCopyForm, StoryPageForm

STORIES_PER_PAGE = 12


class HomePage(Page):
    intro = models.TextField(_("introduction"), blank=True)

    content_panels = [*Page.content_panels, FieldPanel("intro")]
    subpage_types = ["hub.StoryIndexPage"]
    parent_page_types = ["wagtailcore.Page"]

    class Meta:
        verbose_name = _("home page")

    def route(self, request, path_components):
        from hub import routing

        if not path_components:
            return super().route(request, path_components)
        try:
            return routing.route(self, request, path_components)
        except Http404:
            # Not translated into this language: the Vietnamese page, shown with a notice.
            source = routing.source_home(self)
            if source is None:
                raise
            return routing.route(source, request, path_components)

    def get_context(self, request, *args, **kwargs):
        from hub.selectors import latest_stories_by_index

        context = super().get_context(request, *args, **kwargs)
        context["sections"] = latest_stories_by_index(home=self)
        return context


class StoryIndexPage(Page):
    """A section of the portal listing its stories, newest first."""

    intro = models.TextField(_("introduction"), blank=True)

    content_panels = [*Page.content_panels, FieldPanel("intro")]
    parent_page_types = ["hub.HomePage"]
    subpage_types = [
        "hub.GoodExamplePage",
        "hub.VaccinationPage",
        "hub.RebuttalPage",
        "hub.DirectivePage",
        "hub.SituationPage",
    ]

    class Meta:
        verbose_name = _("story index")
        verbose_name_plural = _("story indexes")

    def permissions_for_user(self, user):
        from hub.permissions import StoryParentPermissionTester

        return StoryParentPermissionTester(user, self)

    def get_context(self, request, *args, **kwargs):
        from hub.selectors import stories_under

        context = super().get_context(request, *args, **kwargs)
        context["stories"] = Paginator(stories_under(self), STORIES_PER_PAGE).get_page(
            request.GET.get("page")
        )
        return context


class AlertCategory(models.TextChoices):
    """CAP 1.2 categories an office's alerts fall in."""

    HEALTH = "Health", _("Health")
    SAFETY = "Safety", _("Public safety")
    SECURITY = "Security", _("Security")
    ENV = "Env", _("Environment")
    INFRA = "Infra", _("Infrastructure")
    OTHER = "Other", _("Other")


class AlertUrgency(models.TextChoices):
    IMMEDIATE = "Immediate", _("Immediate: act now")
    EXPECTED = "Expected", _("Expected: act within the hour")
    FUTURE = "Future", _("Future: act in the near future")
    PAST = "Past", _("Past: no longer needed")


class AlertSeverity(models.TextChoices):
    EXTREME = "Extreme", _("Extreme threat to life or property")
    SEVERE = "Severe", _("Severe threat to life or property")
    MODERATE = "Moderate", _("Moderate threat")
    MINOR = "Minor", _("Minor threat")


class AlertCertainty(models.TextChoices):
    OBSERVED = "Observed", _("Observed: it is happening")
    LIKELY = "Likely", _("Likely (more than 50%)")
    POSSIBLE = "Possible", _("Possible (50% or less)")
    UNLIKELY = "Unlikely", _("Unlikely")


class StoryPage(Page):
    """What every story shares: content, regions, target channels and the channel variants."""

    summary = models.TextField(
        _("summary"), max_length=500, help_text=_("One or two sentences; used in lists, feeds and previews.")
    )
    body = StreamField(StoryBodyBlock(), verbose_name=_("body"), blank=True)
    hero_image = models.ForeignKey(
        "media.HubImage",
        verbose_name=_("main image"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    regions = ParentalManyToManyField(
        "hub.Region",
        verbose_name=_("regions"),
        blank=True,
        help_text=_("Who the story is for. Empty means the whole province."),
    )
    channels = ChannelsField(
        _("channels"),
        default=default_channels,
        blank=True,
        help_text=_("The portal always carries the story; choose where else it goes."),
    )
    alert = models.BooleanField(
        _("urgent alert"),
        default=False,
        help_text=_("In the outbreak phase an alert goes out first and interrupts LED screens."),
    )
    # How an urgent alert is described to alerting systems (CAP 1.2), chosen at sign-off.
    alert_category = models.CharField(
        _("alert category"), max_length=16, choices=AlertCategory.choices, default=AlertCategory.HEALTH
    )
    alert_event = models.CharField(
        _("alert event"),
        max_length=120,
        blank=True,
        help_text=_('What happened, in a few words, e.g. "Dịch COVID-19". Empty: the story kind.'),
    )
    alert_urgency = models.CharField(
        _("urgency"), max_length=16, choices=AlertUrgency.choices, default=AlertUrgency.EXPECTED
    )
    alert_severity = models.CharField(
        _("severity"), max_length=16, choices=AlertSeverity.choices, default=AlertSeverity.MODERATE
    )
    alert_certainty = models.CharField(
        _("certainty"), max_length=16, choices=AlertCertainty.choices, default=AlertCertainty.LIKELY
    )
    alert_instruction = models.TextField(
        _("what people should do"),
        blank=True,
        help_text=_("Carried by alerting systems with the alert. Empty: the summary says it."),
    )
    message_valid_until = models.DateTimeField(
        _("messages valid until"),
        null=True,
        blank=True,
        help_text=_("When SMS and LED messages stop being shown. Empty: three days after publishing."),
    )
    sms_text = models.TextField(
        _("SMS text"), blank=True, help_text=_("Empty: made from the title and summary.")
    )
    social_text = models.TextField(
        _("social post text"), blank=True, help_text=_("Empty: made from the title and summary.")
    )
    led_text = models.CharField(
        _("LED text"),
        max_length=120,
        blank=True,
        help_text=_("A few words for LED boards. Empty: the title."),
    )
    loudspeaker_text = models.TextField(
        _("loudspeaker script"),
        blank=True,
        help_text=_(
            "Written to be read aloud: short sentences, numbers in words, no web addresses. "
            "Empty: made from the title and summary."
        ),
    )
    loudspeaker_recording = models.ForeignKey(
        "wagtaildocs.Document",
        verbose_name=_("loudspeaker recording"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text=_(
            "A recording of the script (MP3, WAV, M4A, OGG). Empty: the script is read by speech synthesis."
        ),
    )
    zalo_text = models.TextField(
        _("Zalo text"), blank=True, help_text=_("Empty: made from the title and summary.")
    )
    sample_translation = models.BooleanField(
        _("sample translation"),
        default=False,
        help_text=_("A translation made for demonstration, not an official one; the portal says so."),
    )

    search_fields = [
        *Page.search_fields,
        index.SearchField("summary"),
        index.SearchField("body"),
        index.FilterField("alert"),
    ]
    content_panels = [
        *Page.content_panels,
        FieldPanel("summary"),
        FieldPanel("hero_image"),
        FieldPanel("body"),
    ]
    kind_panels: list = []
    distribution_panels = [
        FieldPanel("regions"),
        FieldPanel("channels"),
        FieldPanel("alert"),
        MultiFieldPanel(
            [
                FieldPanel("alert_category"),
                FieldPanel("alert_event"),
                FieldPanel("alert_urgency"),
                FieldPanel("alert_severity"),
                FieldPanel("alert_certainty"),
                FieldPanel("alert_instruction"),
            ],
            heading=_("Urgent alert for alerting systems (CAP)"),
            classname="collapsed",
        ),
        FieldPanel("message_valid_until"),
        FieldPanel("sample_translation"),
    ]
    variant_panels = [
        FieldPanel("sms_text", classname="channel-variant", attrs={"data-channel-counter": "sms"}),
        FieldPanel("social_text", classname="channel-variant", attrs={"data-channel-counter": "x"}),
        FieldPanel("led_text", classname="channel-variant", attrs={"data-channel-counter": "led"}),
        FieldPanel(
            "loudspeaker_text", classname="channel-variant", attrs={"data-channel-counter": "loudspeaker"}
        ),
        FieldPanel("loudspeaker_recording"),
        FieldPanel("zalo_text", classname="channel-variant", attrs={"data-channel-counter": "zalo"}),
    ]
    parent_page_types = ["hub.StoryIndexPage"]
    subpage_types: list = []
    base_form_class = StoryPageForm
    copy_form_class = StoryCopyForm

    class Meta:
        abstract = True

    def clean(self) -> None:
        """Refuses channel variants over their limits (skipped for admin drafts, see StoryPageForm)."""
        super().clean()
        if getattr(self, "_defer_variant_limits", False):
            return
        from hub.limits import variant_limit_errors

        errors = variant_limit_errors(self)
        if errors:
            raise ValidationError(errors)

    # One gate to live (hub/workflows.py): the workflow's last approval, or a logged bypass.
    def permissions_for_user(self, user):
        from hub.permissions import StoryPermissionTester

        return StoryPermissionTester(user, self)

    def publish(self, revision, user=None, **kwargs):
        from hub.gate import check_publish

        check_publish(self, revision, user)
        return super().publish(revision, user=user, **kwargs)

    def copy(self, *args, keep_live=True, user=None, **kwargs):
        from hub.gate import check_live_copy

        check_live_copy(self, user=user, live=keep_live and self.live)
        return super().copy(*args, keep_live=keep_live, user=user, **kwargs)

    def create_alias(self, *args, user=None, **kwargs):
        from hub.gate import check_live_copy

        check_live_copy(self, user=user, live=self.live)
        return super().create_alias(*args, user=user, **kwargs)

    # Previews: the portal page and exactly what each channel will carry (hub/previews.py).
    @property
    def preview_modes(self):
        from hub.previews import PREVIEW_MODES

        return PREVIEW_MODES

    def get_preview_template(self, request, mode_name):
        from hub.previews import preview_template

        return preview_template(mode_name) or super().get_preview_template(request, mode_name)

    def get_preview_context(self, request, mode_name):
        from hub.previews import preview_context, preview_template

        if preview_template(mode_name):
            return preview_context(story=self, mode=mode_name, request=request)
        return super().get_preview_context(request, mode_name)

    @classmethod
    def build_edit_handler(cls):
        # The delivery status is the one thing the pipeline reports back to the story.
        from publishing.panels import DeliveriesPanel

        tabs = [ObjectList(cls.content_panels, heading=_("Content"))]
        if cls.kind_panels:
            tabs.append(ObjectList(cls.kind_panels, heading=capfirst(cls._meta.verbose_name)))
        tabs += [
            ObjectList(cls.distribution_panels, heading=_("Distribution")),
            ObjectList(cls.variant_panels, heading=_("Channel texts")),
            ObjectList(cls.promote_panels, heading=_("Promote")),
            ObjectList(cls.settings_panels, heading=_("Settings")),
            ObjectList([DeliveriesPanel()], heading=_("Deliveries")),
        ]
        return TabbedInterface(tabs, base_form_class=cls.base_form_class).bind_to_model(cls)

    @classmethod
    def get_edit_handler(cls):
        """Wagtail builds page edit handlers from three panel lists; stories use the tabs above."""
        handler = cls.__dict__.get("_story_edit_handler")
        if handler is None:
            handler = cls.build_edit_handler()
            cls._story_edit_handler = handler
        return handler

    # The channel variants the approver signs off: explicit text, or derived and shown.
    @cached_property
    def sms_variant(self) -> str:
        from hub import variants

        return variants.sms_text(self)

    @cached_property
    def sms_variant_ascii(self) -> str:
        from hub import variants

        return variants.ascii_text(self.sms_variant)

    @cached_property
    def social_variant(self) -> str:
        from hub import variants

        return variants.social_text(self)

    @cached_property
    def led_variant(self) -> str:
        from hub import variants

        return variants.led_text(self)

    @cached_property
    def loudspeaker_variant(self) -> str:
        from hub import variants

        return variants.loudspeaker_text(self)

    @cached_property
    def zalo_variant(self) -> str:
        from hub import variants

        return variants.zalo_text(self)

    @property
    def kind(self) -> str:
        return self._meta.model_name.removesuffix("page")

    @property
    def kind_label(self) -> str:
        return self._meta.verbose_name


class GoodExamplePage(StoryPage):
    """ "Gương người tốt, việc tốt": a person, unit or locality to praise."""

    honoree = models.CharField(_("person or unit"), max_length=255)
    locality = models.CharField(_("locality"), max_length=255, blank=True)
    achievement = models.TextField(_("what they did"))

    kind_panels = [FieldPanel("honoree"), FieldPanel("locality"), FieldPanel("achievement")]
    search_fields = [*StoryPage.search_fields, index.SearchField("honoree"), index.SearchField("locality")]
    template = "hub/good_example_page.html"

    class Meta:
        verbose_name = _("good example")
        verbose_name_plural = _("good examples")


class VaccinationPage(StoryPage):
    campaign = models.CharField(_("campaign"), max_length=255)
    starts_on = models.DateField(_("from"), null=True, blank=True)
    ends_on = models.DateField(_("until"), null=True, blank=True)
    eligible_groups = models.TextField(_("who is eligible"), blank=True)
    sites = StreamField([("site", VaccinationSiteBlock())], verbose_name=_("vaccination sites"), blank=True)
    how_to_donate = RichTextField(_("vaccine fund: how to donate"), features=RICH_TEXT_FEATURES, blank=True)

    kind_panels = [
        FieldPanel("campaign"),
        MultiFieldPanel([FieldPanel("starts_on"), FieldPanel("ends_on")], heading=_("Dates")),
        FieldPanel("eligible_groups"),
        FieldPanel("sites"),
        FieldPanel("how_to_donate"),
    ]
    search_fields = [*StoryPage.search_fields, index.SearchField("campaign")]
    template = "hub/vaccination_page.html"

    class Meta:
        verbose_name = _("vaccination")
        verbose_name_plural = _("vaccination")


class Verdict(models.TextChoices):
    FALSE = "false", _("False")
    MISLEADING = "misleading", _("Misleading")
    UNVERIFIED = "unverified", _("Unverified")


class RebuttalPage(StoryPage):
    """A rebuttal of false or unverified information; the page carries schema.org ClaimReview."""

    claim = models.TextField(_("the claim"))
    claim_appeared_in = models.CharField(
        _("where it circulated"), max_length=255, help_text=_("e.g. a Facebook group, Zalo, a website.")
    )
    claim_appeared_on = models.DateField(_("when it circulated"), null=True, blank=True)
    claim_url = models.URLField(
        _("address where it appeared"),
        max_length=500,
        blank=True,
        help_text=_("A link to the post or page that spread the claim (an archived copy is best)."),
    )
    claim_author = models.CharField(
        _("who spread it"),
        max_length=255,
        blank=True,
        help_text=_("The person or account that made the claim, if known."),
    )
    verdict = models.CharField(_("verdict"), max_length=16, choices=Verdict.choices, default=Verdict.FALSE)
    evidence = RichTextField(_("evidence"), features=RICH_TEXT_FEATURES)
    route_to_police = models.BooleanField(
        _("route to police review"),
        default=True,
        help_text=_("Fake news is handled with the police: their review follows the health review."),
    )

    kind_panels = [
        FieldPanel("claim"),
        FieldPanel("claim_appeared_in"),
        FieldPanel("claim_appeared_on"),
        FieldPanel("claim_url"),
        FieldPanel("claim_author"),
        FieldPanel("verdict"),
        FieldPanel("evidence"),
        FieldPanel("route_to_police"),
    ]
    search_fields = [*StoryPage.search_fields, index.SearchField("claim")]
    template = "hub/rebuttal_page.html"

    class Meta:
        verbose_name = _("rebuttal")
        verbose_name_plural = _("rebuttals")

    def claim_review(self, request=None) -> dict:
        """schema.org ClaimReview for search engines and fact-check aggregators."""
        from hub.structured_data import claim_review

        return claim_review(self, request)


class DirectivePage(StoryPage):
    """An official directive or guidance document."""

    document_number = models.CharField(_("document number"), max_length=80)
    issued_on = models.DateField(_("date issued"))
    issuing_body = models.CharField(_("issuing body"), max_length=255)
    attachment = models.ForeignKey(
        "wagtaildocs.Document",
        verbose_name=_("attached document"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    kind_panels = [
        FieldPanel("document_number"),
        FieldPanel("issued_on"),
        FieldPanel("issuing_body"),
        FieldPanel("attachment"),
    ]
    search_fields = [
        *StoryPage.search_fields,
        index.SearchField("document_number"),
        index.SearchField("issuing_body"),
    ]
    template = "hub/directive_page.html"

    class Meta:
        verbose_name = _("directive or guidance")
        verbose_name_plural = _("directives and guidance")


class SituationPage(StoryPage):
    """The situation and results of prevention work, as of a moment."""

    as_of = models.DateTimeField(_("situation as of"))
    figures = StreamField([("figure", FigureBlock())], verbose_name=_("key figures"), blank=True)

    kind_panels = [FieldPanel("as_of"), FieldPanel("figures")]
    template = "hub/situation_page.html"

    class Meta:
        verbose_name = _("situation update")
        verbose_name_plural = _("situation updates")


STORY_MODELS = (GoodExamplePage, VaccinationPage, RebuttalPage, DirectivePage, SituationPage)
