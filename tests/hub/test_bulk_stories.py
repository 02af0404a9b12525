"""Stories in bulk: a sound page tree, live pages that render and are found by search."""

import pytest
from django.core.management import call_command
from wagtail.models import Page

from hub.demo.bulk import generate
from hub.models import STORY_MODELS, StoryPage
from tests.factories import GoodExamplePageFactory, StoryIndexPageFactory


def test_bulk_stories_keep_the_tree_sound_and_are_served_and_searchable(client, home, story_index):
    second = StoryIndexPageFactory(parent=home, slug="chi-dao")
    existing = GoodExamplePageFactory(parent=story_index)
    seen = []

    made = generate(sections=[story_index, second], count=30, batch=7, progress=seen.append)

    assert made == 30 and seen == [7, 14, 21, 28, 30]
    assert Page.find_problems() == ([], [], [], [], [])
    stories = [page.specific for page in Page.objects.type(StoryPage).exclude(pk=existing.pk)]
    assert len(stories) == 30 and all(story.live for story in stories)
    assert {type(story) for story in stories} == set(STORY_MODELS)  # a small archive is mixed too
    for section in (story_index, second):  # and so is each section, kinds interleaved
        kinds = [type(story) for story in stories if story.path.startswith(section.path)]
        assert len(set(kinds)) >= 4 and kinds != sorted(kinds, key=lambda kind: kind.__name__)
    story = stories[-1]
    assert client.get(story.url).status_code == 200
    assert story.pk in [result.pk for result in type(story).objects.live().search(story.title)]
    # The tree takes ordinary pages after a bulk write.
    after = GoodExamplePageFactory(parent=story_index)
    assert after.path > max(page.path for page in stories if page.path.startswith(story_index.path))


def test_the_command_shows_progress_and_refuses_bad_numbers(home, story_index, capsys):
    call_command("generate_stories", count=5, batch=2)
    assert "5/5" in capsys.readouterr().out

    with pytest.raises(Exception, match="--count"):
        call_command("generate_stories", count=0)
