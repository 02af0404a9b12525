"""Shared device state: the models both device kinds build on, and the campaign phase of a device's
organisation (its site's, else the default site's)."""

from wagtail.models import Page, Site

from channels.devices.models import AbstractDevice, AbstractDeviceToken
from channels.devices.state import current_phase
from channels.led.models import Screen, ScreenToken
from channels.loudspeaker.models import Station, StationToken
from hub.models import CampaignSettings
from tests.factories import HomePageFactory
from tests.factories.organisations import OrganisationFactory, default_organisation


def test_screens_and_stations_are_devices_with_hashed_tokens():
    assert issubclass(Screen, AbstractDevice) and issubclass(Station, AbstractDevice)
    assert issubclass(ScreenToken, AbstractDeviceToken) and issubclass(StationToken, AbstractDeviceToken)
    assert Screen._meta.db_table == "led_screen" and ScreenToken._meta.db_table == "led_screentoken"


def phase_of(site, phase: str) -> None:
    settings = CampaignSettings.for_site(site)
    settings.phase = phase
    settings.save()


def test_the_phase_is_the_organisations_site_else_the_default_sites(db):
    default_site = Site.objects.get(is_default_site=True)
    own_home = HomePageFactory(parent=Page.get_first_root_node(), slug="huyen-thu-nghiem")
    own_site = Site.objects.create(hostname="huyen.example", port=80, root_page=own_home)
    with_site = OrganisationFactory(site=own_site)
    without_site = OrganisationFactory()
    phase_of(default_site, "outbreak")
    phase_of(own_site, "new_normal")

    assert current_phase() == "outbreak"
    assert current_phase(default_organisation().pk) == "outbreak"
    assert current_phase(with_site.pk) == "new_normal"
    assert current_phase(without_site.pk) == "outbreak"
