"""Demo Zalo Official Accounts, in sandbox mode (no app secret, no tokens), so the hub runs offline."""

from channels.tenancy_demo import PROVINCE_CODE, demo_organisation
from channels.zalo.models import ZaloAccount
from hub.models import Region

DEMO_ACCOUNTS = [
    {
        "name": "Sở Y tế Điện Biên (Zalo OA)",
        "oa_id": "4318000000000000011",
        "group_ids": "nhom-so-nganh\nnhom-huyen",
    },
    {
        "name": "Trung tâm Kiểm soát bệnh tật Điện Biên (Zalo OA)",
        "oa_id": "4318000000000000012",
        "group_ids": "",
    },
]


def populate(*, stdout) -> None:
    organisation = demo_organisation()
    province = Region.objects.filter(code=PROVINCE_CODE).first()
    for fields in DEMO_ACCOUNTS:
        account, created = ZaloAccount.objects.update_or_create(
            organisation=organisation,
            name=fields["name"],
            defaults={**fields, "app_secret_env": "", "broadcast_cities": "", "active": True},
        )
        if province is not None:
            account.regions.set([province])
        stdout.write(f"{'Created' if created else 'Kept'} sandbox Zalo account {account}\n")
