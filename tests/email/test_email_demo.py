import pytest
from django.core.management import call_command

from channels.email.models import RecipientList
from channels.zalo.models import ZaloAccount
from publishing.models import Delivery


class _Sink:
    def write(self, *args, **kwargs):
        pass


@pytest.mark.django_db
def test_the_demo_sends_stories_to_sandbox_zalo_accounts_and_recipient_lists(settings):
    settings.EMAIL_CHANNEL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"

    call_command("demo", force=True, stdout=_Sink())

    assert ZaloAccount.objects.count() == 2 and RecipientList.objects.count() == 3
    assert all(account.is_sandbox for account in ZaloAccount.objects.all())
    zalo = Delivery.objects.filter(channel="zalo")
    assert all(delivery.sandbox for delivery in zalo)
    assert zalo.filter(publication__language="vi").count() == 4  # 2 stories × 2 accounts
    for delivery in zalo.exclude(publication__language="vi"):  # the sample translations, in their words
        assert delivery.payload["text"] == delivery.publication.zalo_text != ""
    email_targets = set(Delivery.objects.filter(channel="email").values_list("target", flat=True))
    assert {recipients.target_key for recipients in RecipientList.objects.all()} == email_targets
    assert RecipientList.objects.values("organisation").distinct().count() == 1
