"""Services of the editorial domain."""

from wagtail.log_actions import log
from wagtail.models import Site

from hub.models import CampaignSettings, Phase, PhaseChange


def phase_change_record(*, site: Site, user) -> PhaseChange | None:
    """Record a switch of the site's campaign phase (a PhaseChange row and an audit-log entry).

    Compares with the last recorded change (or the default phase); does nothing if unchanged.
    """
    current = CampaignSettings.for_site(site).phase
    last = PhaseChange.objects.filter(site=site).order_by("-changed_at", "-pk").first()
    previous = last.to_phase if last else Phase.NEW_NORMAL
    if current == previous:
        return None
    change = PhaseChange.objects.create(
        site=site, from_phase=previous, to_phase=current, changed_by=user if user and user.pk else None
    )
    settings_row = CampaignSettings.for_site(site)
    log(
        instance=settings_row,
        action="hub.phase_change",
        user=change.changed_by,
        data={"site": site.pk, "from": previous, "to": current},
    )
    return change
