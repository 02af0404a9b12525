"""The demo populates two partners once; keys are printed only with DEBUG on."""

import io

from channels.sms import demo
from channels.sms.models import Partner, PartnerKey


def test_demo_is_idempotent_and_prints_keys_only_in_debug(regions, settings, client):
    settings.DEBUG = False
    quiet = io.StringIO()
    demo.populate(stdout=quiet)
    demo.populate(stdout=quiet)

    assert Partner.objects.count() == 2 and PartnerKey.objects.count() == 2
    assert "sms_" not in quiet.getvalue()
    assert all(partner.coverage_paths == ["/11/"] for partner in Partner.objects.all())


def test_demo_key_works_in_debug(regions, settings, client):
    settings.DEBUG = True
    out = io.StringIO()
    demo.populate(stdout=out)
    key = out.getvalue().split("development key ")[1].split()[0]

    assert client.get("/api/sms/v1/messages", HTTP_AUTHORIZATION=f"Bearer {key}").status_code == 200
