import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from tests.factories import GoodExamplePageFactory, StoryIndexPageFactory


@pytest.fixture
def story(story_index):
    page = GoodExamplePageFactory(parent=story_index, slug="guong-sang")
    page.save_revision().publish()
    return page


@pytest.mark.django_db
def test_a_story_is_served_at_its_url(client, story):
    response = client.get("/tin-tuc/guong-sang/")

    assert response.status_code == 200
    assert story.title in response.text


@pytest.mark.django_db
@pytest.mark.parametrize(
    "path", ["/tin-tuc/khong-co/", "/khong-co/guong-sang/", "/guong-sang/", "/tin-tuc/guong-sang/them/"]
)
def test_unknown_paths_are_404(client, story, path):
    assert client.get(path).status_code == 404


@pytest.mark.django_db
def test_a_same_slug_in_another_section_is_not_confused(client, home, story):
    other_index = StoryIndexPageFactory(parent=home, slug="chuyen-muc-khac")
    other = GoodExamplePageFactory(parent=other_index, slug="guong-sang", title="Một gương khác")
    other.save_revision().publish()

    assert "Một gương khác" in client.get("/chuyen-muc-khac/guong-sang/").text
    assert "Một gương khác" not in client.get("/tin-tuc/guong-sang/").text


@pytest.mark.django_db
def test_a_draft_story_is_404(client, story):
    story.unpublish()

    assert client.get("/tin-tuc/guong-sang/").status_code == 404


@pytest.mark.django_db
def test_routing_costs_two_queries_whatever_the_depth(rf, home, story):
    request = rf.get("/tin-tuc/guong-sang/")

    with CaptureQueriesContext(connection) as queries:
        page, _args, _kwargs = home.route(request, ["tin-tuc", "guong-sang"])

    assert page.pk == story.pk
    assert type(page) is type(story)
    assert len(queries) == 2
