"""The demo's organisation: the one whose portal is the default site (made here if the demo has none)."""

from django.contrib.auth.models import Group
from wagtail.models import Site

from hub.models import Organisation, OrganisationKind, Region

PROVINCE_CODE = "11"


def demo_organisation() -> Organisation:
    site = Site.objects.filter(is_default_site=True).first()
    organisation = Organisation.objects.filter(site=site).first() if site else None
    if organisation is None:
        organisation, _created = Organisation.objects.get_or_create(
            slug="dien-bien",
            defaults={
                "name": "UBND tỉnh Điện Biên",
                "kind": OrganisationKind.PROVINCE,
                "site": site,
                "region": Region.objects.filter(code=PROVINCE_CODE).first(),
            },
        )
        organisation.groups.add(*Group.objects.all())
    return organisation
