from hub.models.organisations import Organisation, OrganisationKind
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
from hub.models.workflows import ReviewReminder, StoryReviewTask

__all__ = [
    "STORY_MODELS",
    "AlertCategory",
    "AlertCertainty",
    "AlertSeverity",
    "AlertUrgency",
    "CampaignSettings",
    "DirectivePage",
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
    "SituationPage",
    "StoryIndexPage",
    "StoryPage",
    "StoryReviewTask",
    "VaccinationPage",
    "Verdict",
]
