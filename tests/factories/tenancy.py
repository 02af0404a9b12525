"""Two organisations built the way an operator builds them, each with a row of every kind it owns.

Every name carries a marker (MARKER-A-…, MARKER-B-…) so a test can look for one organisation's
rows in what the other one's people and keys are shown.
"""

from types import SimpleNamespace

from django.contrib.auth import get_user_model
from modelsearch import index as search_index
from wagtail.models import Page, Workflow

from channels.led.models import Screen
from channels.sms.keys import key_create
from channels.sms.models import Partner
from channels.sms.partners import partner_refresh_coverage
from channels.social.models import ChannelAccount, Network, SandboxPost
from hub.models import Region, RegionLevel, SituationPage, StoryIndexPage, Subscription, SyndicatedCopy
from hub.organisations import RegionSpec, organisation_create, role_group
from hub.permissions import GROUP_NAMES
from publishing.models import Publication


def superuser():
    user, _created = get_user_model().objects.get_or_create(
        username="quantri", defaults={"is_superuser": True, "is_staff": True, "email": "quantri@example.org"}
    )
    return user


def publish_story(section, title: str, *, regions=(), user=None, channels=("facebook", "sms", "led")):
    """A situation story published as the last approval does (revision.publish), with its fan-out."""
    from django.utils import timezone

    user = user or superuser()
    story = section.add_child(
        instance=SituationPage(
            title=title,
            summary=f"{title}: tóm tắt.",
            as_of=timezone.now(),
            sms_text=f"{title} SMS",
            led_text=title[:60],
            channels=list(channels),
        )
    )
    story.regions.set(regions)
    story.save_revision(user=user).publish(user=user)
    story = SituationPage.objects.get(pk=story.pk)
    search_index.insert_or_update_object(story)  # the search index is updated by a task after commit
    return story


def draft_story(index, title: str, *, user=None):
    from django.utils import timezone

    story = index.add_child(
        instance=SituationPage(title=title, summary="Bản nháp.", as_of=timezone.now(), live=False)
    )
    story.save_revision(user=user or superuser())
    return story


def build_organisation(letter: str, *, hostname: str, parent=None) -> SimpleNamespace:
    """Organisation `letter` with its people (one per role) and one row of everything it owns."""
    marker = f"MARKER-{letter}"
    word = f"{letter.lower()}lphaword"  # searched for: a search page echoes its query, never the marker
    organisation = organisation_create(
        name=f"Tổ chức {letter}",
        slug=f"org-{letter.lower()}",
        kind="province",
        hostname=hostname,
        parent=parent,
        region=RegionSpec(f"r{letter.lower()}", f"Tỉnh {letter}", RegionLevel.PROVINCE)
        if parent is None
        else parent.region,
    )
    region = Region.objects.create(
        code=f"r{letter.lower()}1",
        name=f"{marker}-REGION {word}",
        level=RegionLevel.DISTRICT,
        parent=organisation.region,
    )
    home = organisation.site.root_page
    index = home.add_child(instance=StoryIndexPage(title=f"Tin tức {letter}", slug="tin-tuc"))
    people = {}
    for role in GROUP_NAMES:
        user = get_user_model().objects.create_user(
            username=f"{letter.lower()}-{role.split()[0].lower()}",
            password="x",
            email=f"{letter}@example.org",
        )
        user.groups.add(role_group(organisation, role))
        people[role] = user

    partner = Partner.objects.create(organisation=organisation, name=f"{marker}-PARTNER {word}")
    partner.coverage.set([organisation.region])
    partner_refresh_coverage(partner=partner)
    _key, partner_key = key_create(partner=partner, label=f"{marker}-KEY")
    screen = Screen.objects.create(
        organisation=organisation,
        code=f"{marker.lower()}-screen",
        name=f"{marker}-SCREEN {word}",
        region=region,
    )
    _token, screen_token = screen.issue_token()
    account = ChannelAccount.objects.create(
        organisation=organisation,
        network=Network.FACEBOOK,
        name=f"{marker}-ACCOUNT {word}",
        handle=marker.lower(),
    )

    SandboxPost.objects.create(
        account=account, action=SandboxPost.Action.SEND, external_id=f"{marker}-POST", payload={"text": word}
    )
    story = publish_story(index, f"{marker}-STORY tin đã duyệt {word}", regions=[region])
    draft = draft_story(index, f"{marker}-DRAFT bản nháp {word}")
    in_review = draft_story(index, f"{marker}-REVIEW chờ duyệt {word}")
    workflow = Workflow.objects.get(workflow_pages__page=home)
    workflow.start(in_review, people["Editors"])
    return SimpleNamespace(
        letter=letter,
        marker=marker,
        word=word,
        organisation=organisation,
        hostname=hostname,
        home=home,
        index=index,
        people=people,
        partner=partner,
        partner_key=partner_key,
        screen=screen,
        screen_token=screen_token,
        account=account,
        region=region,
        story=story,
        draft=draft,
        in_review=Page.objects.get(pk=in_review.pk),
        publication=Publication.objects.filter(page=story).latest("pk"),
    )


def build_world() -> SimpleNamespace:
    """Organisations A and B; each subscribes to the other, so each holds a syndicated copy."""
    a = build_organisation("A", hostname="a.example")
    b = build_organisation("B", hostname="b.example")
    for subscriber, source in ((a, b), (b, a)):
        Subscription.objects.create(
            subscriber=subscriber.organisation, source=source.organisation, tags=f"{subscriber.marker}-SUB"
        )
    # Copies made now, as if the subscription had been there before the stories.
    for subscriber, source in ((a, b), (b, a)):
        SyndicatedCopy.objects.create(
            organisation=subscriber.organisation,
            source_organisation=source.organisation,
            source_page=source.story,
            publication=source.publication,
            kind="situation",
            title=f"{subscriber.marker}-COPY {subscriber.word}",
            canonical_url=source.publication.url,
            published_at=source.publication.published_at,
        )
    return SimpleNamespace(a=a, b=b)
