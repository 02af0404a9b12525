"""Demo recipient lists: departments, districts and citizens, sent through the console e-mail backend."""

from django.utils import timezone

from channels.email.models import ListKind, Recipient, RecipientList
from channels.tenancy_demo import demo_organisation
from hub.models import Region

DEMO_LISTS = [
    (
        "Các sở, ban, ngành tỉnh",
        ListKind.DEPARTMENT,
        [
            ("vanthu@soyte.dienbien.gov.vn", "Văn thư Sở Y tế", None, "vi"),
            ("vanthu@sotttt.dienbien.gov.vn", "Văn thư Sở Thông tin và Truyền thông", None, "vi"),
            ("vanthu@congan.dienbien.gov.vn", "Văn thư Công an tỉnh", None, "vi"),
        ],
    ),
    (
        "UBND các huyện, thị xã, thành phố",
        ListKind.DISTRICT,
        [
            ("vanthu@tpdienbienphu.dienbien.gov.vn", "UBND TP. Điện Biên Phủ", "094", "vi"),
            ("vanthu@muongcha.dienbien.gov.vn", "UBND huyện Mường Chà", "096", "vi"),
        ],
    ),
    ("Người dân đăng ký nhận tin", ListKind.PUBLIC, [("nguoidan@example.com", "", None, "vi")]),
]


def populate(*, stdout) -> None:
    organisation = demo_organisation()
    for name, kind, recipients in DEMO_LISTS:
        recipient_list, created = RecipientList.objects.get_or_create(
            organisation=organisation, name=name, defaults={"kind": kind}
        )
        for email, label, region_code, language in recipients:
            Recipient.objects.get_or_create(
                recipient_list=recipient_list,
                email=email,
                defaults={
                    "organisation": organisation,
                    "name": label,
                    "region": Region.objects.filter(code=region_code).first() if region_code else None,
                    "language": language,
                    "confirmed_at": timezone.now(),
                },
            )
        stdout.write(f"{'Created' if created else 'Kept'} recipient list {recipient_list}\n")
