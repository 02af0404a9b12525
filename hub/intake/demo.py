"""Demo data: a few citizens' reports (rumours and a question) for the demo portal's organisation."""

import datetime

from django.utils import timezone
from wagtail.models import Site

from hub.intake.models import Tip, TipKind, TipSource
from hub.intake.services import IncomingReport, tip_intake
from hub.models import Organisation, Region
from hub.permissions import ensure_groups

PROVINCE_CODE = "11"
# (hours ago, kind, source, district code, text, where seen, contact)
DEMO_TIPS = [
    (
        30,
        TipKind.RUMOUR,
        TipSource.PORTAL,
        "094",
        "Nghe nói uống nước chanh nóng chữa khỏi Covid-19, có đúng không?",
        "Nhóm Zalo tổ dân phố",
        "demo.nguoidan@example.org",
    ),
    (26, TipKind.RUMOUR, TipSource.SMS, "095", "nuoc chanh nong chua khoi benh covid", "", "0912000001"),
    (
        20,
        TipKind.RUMOUR,
        TipSource.STAFF,
        "094",
        "Uống nước chanh pha nước nóng chữa được Covid",
        "Chợ Mường Thanh",
        "",
    ),
    (
        12,
        TipKind.RUMOUR,
        TipSource.PORTAL,
        "094",
        "Thành phố Điện Biên Phủ bị phong tỏa toàn bộ từ tối nay, mọi người đi mua gạo ngay",
        "Facebook",
        "",
    ),
    (
        8,
        TipKind.RUMOUR,
        TipSource.PORTAL,
        "095",
        "Tin nhắn ngân hàng gửi link nhận tiền hỗ trợ mùa dịch, bấm vào để nhận",
        "Tin nhắn điện thoại",
        "0987000002",
    ),
    (
        3,
        TipKind.QUESTION,
        TipSource.PORTAL,
        "094",
        "Người trên 65 tuổi tiêm mũi 3 ở đâu, có cần mang giấy tờ gì không?",
        "",
        "ong.ba@example.org",
    ),
]


def _organisation() -> Organisation | None:
    site = Site.objects.filter(is_default_site=True).first()
    if site is None:
        return None
    organisation = Organisation.objects.filter(site=site).first()
    if organisation is None:
        organisation = Organisation.objects.create(
            name=site.site_name or "Điện Biên",
            slug="dien-bien",
            kind="province",
            site=site,
            region=Region.objects.filter(code=PROVINCE_CODE).first(),
        )
        organisation.groups.set(ensure_groups().values())
    return organisation


def populate(*, stdout) -> None:
    """Files the demo reports once (nothing is added when the organisation already has reports)."""
    organisation = _organisation()
    if organisation is None:
        stdout.write("  Intake: no default site yet, no demo reports.")
        return
    if Tip.objects.filter(organisation=organisation).exists():
        return
    now = timezone.now()
    regions = {region.code: region.pk for region in Region.objects.all()}
    for hours, kind, source, district, text, seen_where, contact in DEMO_TIPS:
        tip_intake(
            organisation=organisation,
            report=IncomingReport(
                kind=kind,
                source=source,
                text=text,
                seen_where=seen_where,
                region_id=regions.get(district),
                contact=contact,
                received_at=now - datetime.timedelta(hours=hours),
            ),
        )
    stdout.write(f"  Intake: {len(DEMO_TIPS)} demo reports filed.")
