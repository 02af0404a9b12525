"""Property: the length shown at approval is the length the channel's adapter sends.

For generated variants (Vietnamese with and without diacritics, emoji, links, at and around
every limit), the figure the approver sees (hub.limits, the previews and counters) equals the
figure of the payload the adapter renders from the Publication's frozen values, measured on what
send() transmits: X's whole post, the SMS text, the Facebook message, the LED text.
"""

import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st
from wagtail.models import Site

from channels import textlimits
from channels.base import PermanentError, Target
from channels.registry import get_adapter
from hub import limits
from hub.models import GoodExamplePage
from publishing.services import PublicationDraft, _story_regions, publication_values
from tests.factories import GoodExamplePageFactory

WORDS = ["Tiêm", "vắc-xin", "đủ", "mũi", "người", "dân", "xã", "Điện", "Biên", "phòng", "chống", "dịch"]
WORDS += ["Tiem", "vac-xin", "du", "mui", "nguoi", "dan", "xa", "Dien", "Bien", "5K", "ngày", "20/9"]
EMOJI = ["💉", "😷", "👍🏽", "🇻🇳", "❤️", "👨‍👩‍👧"]
LINKS = ["https://dienbien.gov.vn/tin-tuc/", "http://example.com/a?b=c", "www.moh.gov.vn", "t.co/abc"]
PADDING = ["a", "ệ", "ă", "😷", "e ", "€"]  # a GSM-7 letter, Vietnamese letters, emoji, an escape

tokens = st.one_of(st.sampled_from(WORDS), st.sampled_from(EMOJI), st.sampled_from(LINKS))
texts = st.builds(
    lambda words, pad, count: (" ".join(words) + " " + pad * count).strip(),
    st.lists(tokens, max_size=25),
    st.sampled_from(PADDING),
    st.integers(min_value=0, max_value=480),
)
CHANNELS = {"x": "social_text", "facebook": "social_text", "sms": "sms_text", "led": "led_text"}


def sent_length(channel: str, payload: dict) -> tuple:
    """The figure of what send() transmits (see each adapter's send)."""
    if channel == "x":
        # On a host X links (the portal's), the whole post weighs what the adapter checked.
        assert textlimits.measure_x(payload["post"]).weighted == payload["weighted_length"]
        return (payload["weighted_length"],)
    if channel == "sms":
        measure = textlimits.measure_sms(payload["text"])
        return (measure.segments, measure.chars)
    if channel == "facebook":
        return (len(payload["message"]),)
    return (len(payload["text"]),)


def shown_length(fit) -> tuple:
    if fit.channel == "sms":
        return (fit.used, textlimits.measure_sms(fit.text).chars)
    return (fit.used,)


@pytest.fixture
def story_pk(story_index):
    Site.objects.update(hostname="tuyentruyen.dienbien.gov.vn")  # a host X counts as a link
    return GoodExamplePageFactory(parent=story_index, live=False, channels=list(CHANNELS)).pk


@pytest.mark.parametrize("channel", list(CHANNELS))
@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(text=texts)
@example(text="a" * 256)  # X: 256 + space + link 23 = 280
@example(text="a" * 257)
@example(text="ệ" * 128)
@example(text="a" * 459)  # SMS: 3 GSM-7 segments of 153
@example(text="a" * 460)
@example(text="ă" * 201)  # SMS: 3 UCS-2 segments of 67
@example(text="ă" * 202)
@example(text="a" * 120)  # LED: 120 characters fit a board
@example(text="a" * 121)
@example(text="Tiêm  vắc-xin\r\n\r\nđủ   mũi 💉")  # line breaks and runs of spaces
def test_the_length_shown_at_approval_is_the_length_sent(story_pk, channel, text):
    story = GoodExamplePage.objects.get(pk=story_pk)
    setattr(story, CHANNELS[channel], text)

    [fit] = limits.channel_fits(story, channels={channel})
    adapter = get_adapter(channel)
    values = publication_values(story)
    publication = PublicationDraft(values, _story_regions(story, values["organisation"]))
    target = (adapter.targets(publication) or [Target("", "")])[0]
    try:
        payload = adapter.render(publication, target)
    except PermanentError:
        # The adapter refuses only what the approver was shown as not fitting (or as empty).
        assert fit.over or not fit.text.strip()
        return

    assert shown_length(fit) == sent_length(channel, payload)
    sent_text = {"x": "post", "facebook": "message"}.get(channel, "text")
    assert fit.text == payload[sent_text]
