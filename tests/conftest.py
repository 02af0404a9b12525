"""A few composed fixtures; build everything else with the factories."""

import pytest
from wagtail.models import Page, Site

from tests.factories import HomePageFactory, StoryIndexPageFactory
from tests.factories.organisations import default_organisation


@pytest.fixture(autouse=True)
def _one_organisation(request):
    """Tests that use the database run in an installation with one organisation (see
    tests.factories.organisations.default_organisation); tenancy tests add more."""
    for name in ("transactional_db", "db"):
        if name in request.fixturenames or (name == "db" and request.node.get_closest_marker("django_db")):
            request.getfixturevalue(name)
            default_organisation()
            return


@pytest.fixture
def home(db):
    """A site whose root is a fresh home page, served at 127.0.0.1/testserver."""
    root = Page.get_first_root_node()
    home = HomePageFactory(parent=root, slug="trang-chu")
    Site.objects.all().delete()
    Site.objects.create(
        hostname="testserver",
        port=80,
        root_page=home,
        is_default_site=True,
        site_name="Cổng thông tin thử nghiệm",
    )
    default_organisation()
    return home


@pytest.fixture
def story_index(home):
    return StoryIndexPageFactory(parent=home, title="Tin tức", slug="tin-tuc")


@pytest.fixture
def locales(story_index):
    """The site in every content language: the home page and the section exist in each (aliases)."""
    from hub.translations import ensure_locales, sync_site_structure

    sync_site_structure(story_index.get_parent())
    return ensure_locales()
