import pytest

from tests.factories import RebuttalPageFactory


@pytest.mark.django_db
@pytest.mark.parametrize("accept_language", ["", "en-US,en;q=0.9", "fr"])
def test_the_portal_speaks_vietnamese_whatever_the_browser_asks(client, story_index, accept_language):
    story = RebuttalPageFactory(parent=story_index)
    story.save_revision().publish()

    response = client.get(story.url, HTTP_ACCEPT_LANGUAGE=accept_language)

    assert response.status_code == 200
    assert 'lang="vi"' in response.text
    assert "Đăng lúc" in response.text
    assert "Published <time" not in response.text
