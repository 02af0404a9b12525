"""Factories for the hub's models; compose them in tests instead of loading fixtures."""

from tests.factories.accounts import UserFactory
from tests.factories.organisations import OrganisationFactory
from tests.factories.pages import (
    DirectivePageFactory,
    GoodExamplePageFactory,
    HomePageFactory,
    RebuttalPageFactory,
    SituationPageFactory,
    StoryIndexPageFactory,
    VaccinationPageFactory,
)
from tests.factories.regions import RegionFactory

__all__ = [
    "DirectivePageFactory",
    "GoodExamplePageFactory",
    "HomePageFactory",
    "OrganisationFactory",
    "RebuttalPageFactory",
    "RegionFactory",
    "SituationPageFactory",
    "StoryIndexPageFactory",
    "UserFactory",
    "VaccinationPageFactory",
]
