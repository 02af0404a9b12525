"""Demo social accounts, all in sandbox mode (no credentials), so the hub runs offline."""

from channels.social.models import ChannelAccount, Network
from hub.models import Organisation, Region

PROVINCE_CODE = "11"
DEMO_ACCOUNTS = [
    {
        "network": Network.FACEBOOK,
        "name": "Sở Y tế Điện Biên",
        "handle": "soytedienbien",
        "account_id": "100000000000011",
    },
    {
        "network": Network.FACEBOOK,
        "name": "UBND tỉnh Điện Biên",
        "handle": "ubnddienbien",
        "account_id": "100000000000012",
    },
    {
        "network": Network.X,
        "name": "Điện Biên (X)",
        "handle": "@dienbien_gov",
        "account_id": "1700000000000000011",
    },
]


OTHER_ACCOUNTS = [
    (
        "bao-loc",
        "672",
        {
            "network": Network.FACEBOOK,
            "name": "Thành phố Bảo Lộc",
            "handle": "tpbaoloc",
            "account_id": "100000000000672",
        },
    ),
]


def populate(*, stdout) -> None:
    """Creates or refreshes the demo accounts, tied to their organisation and region; safe to run again."""
    province = Region.objects.filter(code=PROVINCE_CODE).first()
    owner = Organisation.objects.filter(region=province, parent__isnull=True).first() if province else None
    for slug, code, fields in OTHER_ACCOUNTS:
        organisation = Organisation.objects.filter(slug=slug).first()
        region = Region.objects.filter(code=code).first()
        if organisation is None or region is None:
            continue
        account, created = ChannelAccount.objects.update_or_create(
            network=fields["network"], name=fields["name"], defaults={**fields, "organisation": organisation}
        )
        account.regions.set([region])
        stdout.write(f"{'Created' if created else 'Kept'} sandbox account {account}\n")
    for fields in DEMO_ACCOUNTS:
        account, created = ChannelAccount.objects.update_or_create(
            network=fields["network"],
            name=fields["name"],
            defaults={
                "organisation": owner,
                **fields,
                "active": True,
                "token_env": "",
                "token_secret_env": "",
                "consumer_key_env": "",
                "consumer_secret_env": "",
            },
        )
        if province is not None:
            account.regions.set([province])
        stdout.write(f"{'Created' if created else 'Kept'} sandbox account {account}\n")
    if province is None:
        stdout.write(f"Region {PROVINCE_CODE} not found: demo social accounts cover the whole province.\n")
