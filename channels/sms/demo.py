"""Demo data: two fictional telecom partners covering Điện Biên, with development keys (DEBUG only)."""

from django.conf import settings

from channels.sms.keys import key_create
from channels.sms.models import Partner
from channels.sms.partners import partner_refresh_coverage
from hub.models import Organisation, Region

PROVINCE_CODE = "11"
DEMO_PARTNERS = [
    {
        "name": "Viettel (demo)",
        "contact_name": "Trần Minh Khoa",
        "contact_email": "sms-demo@viettel.example",
        "contact_phone": "0200 000 001",
    },
    {
        "name": "VNPT (demo)",
        "contact_name": "Lò Thị Mai",
        "contact_email": "sms-demo@vnpt.example",
        "contact_phone": "0200 000 002",
    },
]


# Partners of other organisations: (organisation slug, region code, fields).
OTHER_PARTNERS = [
    (
        "bao-loc",
        "672",
        {
            "name": "Viettel Lâm Đồng (demo)",
            "contact_name": "K' Thị Nga",
            "contact_email": "sms-demo@lamdong.viettel.example",
            "contact_phone": "0263 000 001",
        },
    ),
]


def populate(*, stdout) -> None:
    """Creates the demo partners once; prints a development key for each only when DEBUG is on."""
    province = Region.objects.filter(code=PROVINCE_CODE).first()
    if province is None:
        stdout.write("  SMS: no region with code 11 yet, no demo partners.")
        return
    owner = Organisation.objects.filter(region=province, parent__isnull=True).first()
    wanted = [(owner, province, fields) for fields in DEMO_PARTNERS]
    for slug, code, fields in OTHER_PARTNERS:
        organisation = Organisation.objects.filter(slug=slug).first()
        region = Region.objects.filter(code=code).first()
        if organisation is not None and region is not None:
            wanted.append((organisation, region, fields))
    for organisation, region, fields in wanted:
        partner, created = Partner.objects.get_or_create(
            name=fields["name"], organisation=organisation, defaults=fields
        )
        if not created:
            continue
        partner.coverage.set([region])
        partner_refresh_coverage(partner=partner)
        _key, clear = key_create(partner=partner, label="demo")
        if settings.DEBUG:
            stdout.write(f"  SMS partner {partner.name}: development key {clear}")
        else:
            stdout.write(f"  SMS partner {partner.name} created; issue its key in the admin.")
