"""The portal: the Wagtail site itself. The page is live once published, so sending records that."""

from typing import Any

from django.utils.translation import gettext_lazy as _

from channels.base import ChannelAdapter, Receipt, Target


class PortalAdapter(ChannelAdapter):
    push = False
    automatic = True
    supports_update = True
    supports_retract = True

    def targets(self, publication) -> list[Target]:
        return [Target("site", str(_("Portal")))]

    def render(self, publication, target: Target) -> dict[str, Any]:
        return {"page_id": publication.page_id, "url": publication.url, "title": publication.title}

    def send(self, payload: dict[str, Any], *, target: str, marker: str) -> Receipt:
        return Receipt(external_id=str(payload.get("page_id") or ""), url=payload.get("url", ""))

    def update(self, payload: dict[str, Any], *, target: str, external_id: str, marker: str) -> Receipt:
        return self.send(payload, target=target, marker=marker)

    def retract(self, *, target: str, external_id: str, reason: str = "") -> None:
        """Unpublishing already took the page off the site."""

    def reconcile(self, payload: dict[str, Any], *, target: str, marker: str) -> Receipt | None:
        return self.send(payload, target=target, marker=marker)
