"""CAP 1.2 documents and their Atom index, built with lxml from a frozen payload.

The payload (see `adapter.CapFeedAdapter.render`) holds everything a document says except
what depends on the messages before it: the identifier's sequence, the type and references.
"""

import datetime
from typing import Any

from django.utils import timezone
from lxml import etree

CAP_NS = "urn:oasis:names:tc:emergency:cap:1.2"
ATOM_NS = "http://www.w3.org/2005/Atom"
GEOCODE_NAME = "VN-ADMIN"  # the region's administrative code (mã đơn vị hành chính)
HEADLINE_MAX = 160


def cap_datetime(moment: datetime.datetime) -> str:
    """CAP's date form: local time (+07:00), to the second, with the offset, never "Z"."""
    local = timezone.localtime(moment).replace(microsecond=0)
    text = local.isoformat()
    return text if not text.endswith("+00:00") else text[:-6] + "-00:00"


def _add(parent, name: str, text: str | None = None):
    element = etree.SubElement(parent, f"{{{CAP_NS}}}{name}")
    if text is not None:
        element.text = text
    return element


def build_alert(
    payload: dict[str, Any],
    *,
    identifier: str,
    msg_type: str,
    sent: datetime.datetime,
    references: list[str],
    note: str = "",
) -> bytes:
    """One `<alert>`: the message header, then one `<info>` per language (none for a cancel)."""
    alert = etree.Element(f"{{{CAP_NS}}}alert", nsmap={None: CAP_NS})
    _add(alert, "identifier", identifier)
    _add(alert, "sender", payload["sender"])
    _add(alert, "sent", cap_datetime(sent))
    _add(alert, "status", payload.get("status") or "Actual")
    _add(alert, "msgType", msg_type)
    _add(alert, "scope", "Public")
    if note:
        _add(alert, "note", note)
    if references:
        _add(alert, "references", " ".join(references))
    if msg_type != "Cancel":
        for info in payload["infos"]:
            _info(alert, info, payload)
    return etree.tostring(alert, xml_declaration=True, encoding="UTF-8")


def _info(alert, info: dict[str, Any], payload: dict[str, Any]) -> None:
    block = _add(alert, "info")
    _add(block, "language", info["language"])
    _add(block, "category", info["category"])
    _add(block, "event", info["event"])
    _add(block, "urgency", info["urgency"])
    _add(block, "severity", info["severity"])
    _add(block, "certainty", info["certainty"])
    _add(block, "expires", cap_datetime(datetime.datetime.fromisoformat(payload["expires"])))
    _add(block, "senderName", payload["sender_name"])
    _add(block, "headline", info["headline"][:HEADLINE_MAX])
    if info.get("description"):
        _add(block, "description", info["description"])
    if info.get("instruction"):
        _add(block, "instruction", info["instruction"])
    if info.get("web"):
        _add(block, "web", info["web"])
    for area in payload["areas"]:
        area_element = _add(block, "area")
        _add(area_element, "areaDesc", area["desc"])
        for code in area.get("geocodes", []):
            geocode = _add(area_element, "geocode")
            _add(geocode, "valueName", GEOCODE_NAME)
            _add(geocode, "value", code)


def build_index(*, title: str, feed_url: str, site_url: str, messages, alert_url) -> bytes:
    """An Atom feed of the current messages, each entry carrying its CAP document inline."""
    feed = etree.Element(f"{{{ATOM_NS}}}feed", nsmap={None: ATOM_NS})
    etree.SubElement(feed, f"{{{ATOM_NS}}}id").text = feed_url
    etree.SubElement(feed, f"{{{ATOM_NS}}}title").text = title
    newest = max((message.sent_at for message in messages), default=None)
    etree.SubElement(feed, f"{{{ATOM_NS}}}updated").text = cap_datetime(newest or timezone.now())
    author = etree.SubElement(feed, f"{{{ATOM_NS}}}author")
    etree.SubElement(author, f"{{{ATOM_NS}}}name").text = title
    etree.SubElement(feed, f"{{{ATOM_NS}}}link", rel="self", href=feed_url)
    etree.SubElement(feed, f"{{{ATOM_NS}}}link", rel="alternate", href=site_url)
    for message in messages:
        entry = etree.SubElement(feed, f"{{{ATOM_NS}}}entry")
        etree.SubElement(entry, f"{{{ATOM_NS}}}id").text = alert_url(message)
        etree.SubElement(entry, f"{{{ATOM_NS}}}title").text = message.headline
        etree.SubElement(entry, f"{{{ATOM_NS}}}updated").text = message.sent
        etree.SubElement(
            entry, f"{{{ATOM_NS}}}link", rel="alternate", type="application/cap+xml", href=alert_url(message)
        )
        content = etree.SubElement(entry, f"{{{ATOM_NS}}}content", type="application/cap+xml")
        content.append(etree.fromstring(bytes(message.xml)))
    return etree.tostring(feed, xml_declaration=True, encoding="UTF-8")
