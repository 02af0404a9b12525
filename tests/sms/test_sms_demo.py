"""The demo populates two partners once; keys are printed only with DEBUG on."""

import io

from channels.sms import demo
from channels.sms.coverage import organisation_path
from channels.sms.models import Partner, PartnerKey
from tests.factories.organisations import default_organisation


def test_demo_is_idempotent_and_prints_keys_only_in_debug(regions, settings, client):
    settings.DEBUG = False
    quiet = io.StringIO()
    demo.populate(stdout=quiet)
    demo.populate(stdout=quiet)

    assert Partner.objects.count() == 2 and PartnerKey.objects.count() == 2
    assert "sms_" not in quiet.getvalue()
    # Covered within the organisation whose region tree holds province 11 (the tests' one organisation).
    expected = [organisation_path(default_organisation().pk, "/11/")]
    assert all(partner.coverage_paths == expected for partner in Partner.objects.all())


def test_demo_key_works_in_debug(regions, settings, client):
    settings.DEBUG = True
    out = io.StringIO()
    demo.populate(stdout=out)
    key = out.getvalue().split("development key ")[1].split()[0]

    assert client.get("/api/sms/v1/messages", HTTP_AUTHORIZATION=f"Bearer {key}").status_code == 200
