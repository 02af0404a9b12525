import pytest
from django.contrib.auth import get_user_model
from django.core.management import CommandError, call_command

from hub.models import STORY_MODELS, Region
from publishing.models import Delivery, Publication


@pytest.mark.django_db
def test_demo_builds_a_site_with_every_story_kind_and_every_role(client):
    call_command("demo", force=True, stdout=_Sink())

    assert Region.objects.filter(code="11").exists()
    for model in STORY_MODELS:
        assert model.objects.live().count() >= 3, model
    usernames = set(get_user_model().objects.values_list("username", flat=True))
    assert {"admin", "bientap", "yte", "congan", "pheduyet", "kenh"} <= usernames
    assert Publication.objects.filter(language="vi").count() == 18  # 15 in Điện Biên, 3 in Bảo Lộc
    assert set(Delivery.objects.values_list("channel", flat=True)) >= {
        "portal",
        "facebook",
        "x",
        "sms",
        "led",
    }
    assert client.get("/").status_code == 200


@pytest.mark.django_db
def test_demo_runs_again_without_duplicating_anything():
    call_command("demo", force=True, stdout=_Sink())
    counts = (Publication.objects.count(), Delivery.objects.count(), Region.objects.count())

    call_command("demo", force=True, stdout=_Sink())

    assert (Publication.objects.count(), Delivery.objects.count(), Region.objects.count()) == counts


@pytest.mark.django_db
def test_demo_refuses_to_run_without_debug(settings):
    settings.DEBUG = False

    with pytest.raises(CommandError, match="DEBUG"):
        call_command("demo", stdout=_Sink())


class _Sink:
    """Swallows the command's progress output."""

    def write(self, *args, **kwargs) -> None:
        pass

    def flush(self) -> None:
        pass


@pytest.mark.django_db
def test_demo_ships_sample_translations_into_thai_and_hmong(client):
    from hub.models import StoryPage  # noqa: F401 - the abstract base; its kinds are queried below

    call_command("demo", force=True, stdout=_Sink())

    samples = [
        story
        for model in STORY_MODELS
        for story in model.objects.live().filter(sample_translation=True).select_related("locale")
    ]
    languages = sorted(story.locale.language_code for story in samples)
    assert languages == ["blt", "blt", "hmn", "hmn"]
    assert all(story.title.startswith("[Bản dịch mẫu]") for story in samples)
    assert set(Publication.objects.exclude(language="vi").values_list("language", flat=True)) == {
        "blt",
        "hmn",
    }
    hmong = next(story for story in samples if story.locale.language_code == "hmn")
    page = client.get(hmong.url).content.decode()
    assert "notice--sample" in page and "Bản dịch mẫu tiếng H" in page
    assert Region.objects.get(code="11").languages == "vi, blt, hmn"
