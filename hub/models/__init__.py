from hub.models.organisations import (
    ExercisePeriod,
    Organisation,
    OrganisationKind,
    Subscription,
    SyndicatedCopy,
)
from hub.models.pages import (
    STORY_MODELS,
    AlertCategory,
    AlertCertainty,
    AlertSeverity,
    AlertUrgency,
    DirectivePage,
    GoodExamplePage,
    HomePage,
    RebuttalPage,
    SituationPage,
    StoryIndexPage,
    StoryPage,
    VaccinationPage,
    Verdict,
)
from hub.models.regions import Region, RegionLevel
from hub.models.settings import CampaignSettings, Phase, PhaseChange
from hub.models.sitemaps import SitemapChild
from hub.models.workflows import ReviewReminder, StoryReviewTask

__all__ = [
    "STORY_MODELS",
    "AlertCategory",
    "AlertCertainty",
    "AlertSeverity",
    "AlertUrgency",
    "CampaignSettings",
    "DirectivePage",
    "ExercisePeriod",
    "GoodExamplePage",
    "HomePage",
    "Organisation",
    "OrganisationKind",
    "Phase",
    "PhaseChange",
    "RebuttalPage",
    "Region",
    "RegionLevel",
    "ReviewReminder",
    "SitemapChild",
    "SituationPage",
    "StoryIndexPage",
    "StoryPage",
    "StoryReviewTask",
    "Subscription",
    "SyndicatedCopy",
    "VaccinationPage",
    "Verdict",
]
