"""Demo LED screens in Điện Biên; idempotent. Development tokens are printed only when DEBUG."""

from django.conf import settings

from channels.led.models import Screen
from hub.models import Organisation, Region

SCREENS = [
    # code, name, location, region code, width, height
    (
        "cho-trung-tam-dbp",
        "Chợ trung tâm thành phố Điện Biên Phủ",
        "Cổng chính chợ, phường Mường Thanh",
        "03136",
        384,
        192,
    ),
    (
        "quang-truong-7-5",
        "Quảng trường 7/5",
        "Đường Võ Nguyên Giáp, thành phố Điện Biên Phủ",
        "094",
        384,
        192,
    ),
    ("chot-tay-trang", "Chốt kiểm soát cửa khẩu Tây Trang", "Quốc lộ 279, huyện Điện Biên", "100", 192, 96),
    ("ubnd-tinh", "Trụ sở UBND tỉnh Điện Biên", "Sảnh tiếp dân, phường Mường Thanh", "11", 256, 128),
    ("cho-bao-loc", "Chợ Bảo Lộc", "Đường Kim Đồng, phường 1, thành phố Bảo Lộc", "24820", 256, 128),
]


OWN_REGION_ONLY = {"24820"}  # Bảo Lộc's screen never falls back to Điện Biên's province


def _owner(region):
    """The top organisation whose region tree holds the screen's region."""
    for organisation in Organisation.objects.filter(parent__isnull=True, region__isnull=False).select_related(
        "region"
    ):
        if region.path.startswith(organisation.region.path):
            return organisation
    return None


def populate(*, stdout) -> None:
    """Creates the demo screens that are missing; prints a token for each new one in development."""
    created = 0
    for code, name, location, region_code, width, height in SCREENS:
        region = Region.objects.filter(code=region_code).first()
        if region is None and region_code in OWN_REGION_ONLY:
            continue  # that organisation's regions are not in this database
        region = region or Region.objects.filter(code="11").first()
        if region is None:
            stdout.write("LED demo: no regions yet, skipped (create the regions first).")
            return
        owner = _owner(region)
        screen, is_new = Screen.objects.get_or_create(
            code=code,
            defaults={
                "name": name,
                "location": location,
                "region": region,
                "width": width,
                "height": height,
                "organisation": owner,
            },
        )
        if not is_new:
            continue
        created += 1
        _token, secret = screen.issue_token()
        if settings.DEBUG:
            stdout.write(f"LED screen {code} ({width}×{height}) development token: {secret}")
    stdout.write(f"LED demo: {created} screen(s) created, {len(SCREENS) - created} already there.")
