"""StreamField blocks for story bodies."""

from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy
from wagtail import blocks
from wagtail.documents.blocks import DocumentChooserBlock
from wagtail.images.blocks import ImageBlock

RICH_TEXT_FEATURES = ["bold", "italic", "h2", "h3", "ol", "ul", "link", "document-link"]


class QuoteBlock(blocks.StructBlock):
    text = blocks.TextBlock(label=_("quote"))
    attribution = blocks.CharBlock(label=_("attribution"), required=False, max_length=255)

    class Meta:
        icon = "openquote"
        label = _("Quote")
        template = "hub/blocks/quote_block.html"


class FactBoxBlock(blocks.StructBlock):
    """A highlighted box, e.g. the "5K + vaccine" message or how to get vaccinated."""

    heading = blocks.CharBlock(label=_("heading"), max_length=120)
    items = blocks.ListBlock(blocks.CharBlock(max_length=255), label=_("points"))

    class Meta:
        icon = "list-ul"
        label = _("Fact box")
        template = "hub/blocks/fact_box_block.html"


class FigureBlock(blocks.StructBlock):
    label = blocks.CharBlock(label=_("label"), max_length=120)
    value = blocks.CharBlock(label=_("value"), max_length=60)

    class Meta:
        icon = "table"
        label = _("Figure")


class StoryBodyBlock(blocks.StreamBlock):
    paragraph = blocks.RichTextBlock(features=RICH_TEXT_FEATURES, label=_("Paragraph"))
    image = ImageBlock(label=_("Image"))
    quote = QuoteBlock()
    fact_box = FactBoxBlock()
    document = DocumentChooserBlock(label=_("Document"), template="hub/blocks/document_block.html")

    class Meta:
        block_counts = {}


class VaccinationSiteBlock(blocks.StructBlock):
    name = blocks.CharBlock(label=pgettext_lazy("vaccination", "site"), max_length=160)
    address = blocks.CharBlock(label=_("address"), max_length=255)
    hours = blocks.CharBlock(label=_("opening hours"), max_length=120, required=False)

    class Meta:
        icon = "site"
        label = _("Vaccination site")
