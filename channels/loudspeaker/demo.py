"""Demo loudspeaker stations in Điện Biên; idempotent. Development tokens are printed only when DEBUG."""

from django.conf import settings
from wagtail.models import Site

from channels.loudspeaker.models import Station, StationKind
from hub.models import Organisation, Region
from hub.tenancy import organisation_for_site

STATIONS = [
    # code, name, kind, location, region code, slots, languages
    (
        "phuong-muong-thanh",
        "Cụm loa thông minh phường Mường Thanh",
        StationKind.IP_CLUSTER,
        "12 cụm loa, điều khiển qua 4G",
        "03136",
        "06:00, 17:30",
        "vi",
    ),
    (
        "xa-muong-phang",
        "Đài truyền thanh xã Mường Phăng",
        StationKind.RADIO_STATION,
        "Trụ sở UBND xã",
        "03334",
        "06:30, 18:00",
        "vi, blt",
    ),
    (
        "xe-tuyen-truyen-muong-nhe",
        "Xe tuyên truyền lưu động huyện Mường Nhé",
        StationKind.VEHICLE,
        "Các bản vùng cao",
        "096",
        "08:00, 14:00",
        "vi, hmn",
    ),
]


def populate(*, stdout) -> None:
    """Creates the demo stations that are missing; prints a token for each new one in development."""
    site = Site.objects.filter(is_default_site=True).first()
    organisation = organisation_for_site(site) or Organisation.objects.order_by("pk").first()
    if organisation is None:
        stdout.write("Loudspeaker demo: no organisation yet, skipped.")
        return
    created = 0
    for code, name, kind, location, region_code, slots, languages in STATIONS:
        region = Region.objects.filter(code=region_code).first() or Region.objects.filter(code="11").first()
        if region is None:
            stdout.write("Loudspeaker demo: no regions yet, skipped (create the regions first).")
            return
        station, is_new = Station.objects.get_or_create(
            code=code,
            defaults={
                "name": name,
                "kind": kind,
                "location": location,
                "region": region,
                "slots": slots,
                "languages": languages,
                "organisation": organisation,
            },
        )
        if not is_new:
            continue
        created += 1
        _token, secret = station.issue_token()
        if settings.DEBUG:
            stdout.write(f"Loudspeaker station {code} development token: {secret}")
    stdout.write(f"Loudspeaker demo: {created} station(s) created, {len(STATIONS) - created} already there.")
