import datetime

import factory
from django.utils import timezone

from channels.zalo import tokens
from channels.zalo.models import ZaloAccount
from tests.factories.organisations import OrganisationFactory


class ZaloAccountFactory(factory.django.DjangoModelFactory):
    """A sandbox account unless `app_secret_env` names a set variable and tokens are stored (`with_tokens`)."""

    organisation = factory.SubFactory(OrganisationFactory)
    name = factory.Sequence(lambda n: f"Zalo OA thử nghiệm {n}")
    oa_id = factory.Sequence(lambda n: f"{4318000000000000000 + n}")
    app_id = "1234567890123456789"

    class Meta:
        model = ZaloAccount
        skip_postgeneration_save = True

    @factory.post_generation
    def regions(self, create, extracted, **kwargs):
        if create and extracted:
            self.regions.set(extracted)


def with_tokens(account, *, access="ZALOaccessOLD0001", refresh="ZALOrefreshOLD0001", expires_in=90000):
    """Stores an encrypted token pair; a negative `expires_in` gives an access token already expired."""
    tokens.store_tokens(account, access_token=access, refresh_token=refresh, expires_in=max(expires_in, 0))
    if expires_in <= 0:
        ZaloAccount.objects.filter(pk=account.pk).update(
            access_token_expires_at=timezone.now() + datetime.timedelta(seconds=expires_in)
        )
        account.refresh_from_db()
    return account
