"""CAP documents signed with XML-DSig when a key and certificate are configured."""

import datetime

import pytest
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import rsa
from cryptography.x509.oid import NameOID
from django.core.management import call_command
from django.core.management.base import SystemCheckError
from lxml import etree
from signxml import InvalidDigest, InvalidSignature, XMLVerifier

from channels.cap.models import CapMessage
from channels.cap.signing import check_signing
from publishing.models import Delivery, DeliveryStatus
from tests.cap import test_cap
from tests.cap.test_cap import NS, SCHEMA, alert_story, publish

# The CAP tests' fixtures, shared.
channels, regions, organisation = test_cap.channels, test_cap.regions, test_cap.organisation

DSIG = "{http://www.w3.org/2000/09/xmldsig#}Signature"


def key_and_certificate(common_name="UBND tỉnh Điện Biên"):
    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, common_name)])
    now = datetime.datetime.now(datetime.UTC)
    certificate = (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(name)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - datetime.timedelta(days=1))
        .not_valid_after(now + datetime.timedelta(days=365))
        .sign(key, hashes.SHA256())
    )
    key_pem = key.private_bytes(
        serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
    )
    return key_pem, certificate.public_bytes(serialization.Encoding.PEM)


@pytest.fixture
def signing(settings, tmp_path):
    key_pem, cert_pem = key_and_certificate()
    (tmp_path / "cap.key").write_bytes(key_pem)
    (tmp_path / "cap.crt").write_bytes(cert_pem)
    settings.CAP_SIGNING_KEY_FILE = str(tmp_path / "cap.key")
    settings.CAP_SIGNING_CERT_FILE = str(tmp_path / "cap.crt")
    return cert_pem


def verified(document: bytes, cert_pem: bytes):
    return XMLVerifier().verify(document, x509_cert=cert_pem.decode()).signed_xml


def test_a_signed_alert_verifies_and_stays_valid_cap(
    story_index, regions, organisation, channels, signing, django_capture_on_commit_callbacks
):
    publish(alert_story(story_index, regions), django_capture_on_commit_callbacks)

    document = bytes(CapMessage.objects.get().xml)
    root = etree.fromstring(document)

    SCHEMA.assertValid(root)
    assert root[-1].tag == DSIG  # the signature closes the alert, where CAP's schema allows it
    signed = verified(document, signing)
    assert signed.findtext("cap:identifier", namespaces=NS) == root.findtext("cap:identifier", namespaces=NS)


def test_a_tampered_alert_fails_verification(
    story_index, regions, organisation, channels, signing, django_capture_on_commit_callbacks
):
    publish(alert_story(story_index, regions), django_capture_on_commit_callbacks)
    document = bytes(CapMessage.objects.get().xml)

    tampered = document.replace(b"Him Lam", "Mường Thanh".encode())

    assert tampered != document
    with pytest.raises((InvalidDigest, InvalidSignature)):
        verified(tampered, signing)


def test_updates_and_cancels_are_signed_and_the_feed_carries_them_verifiable(
    client, story_index, regions, organisation, channels, signing, django_capture_on_commit_callbacks
):
    page = alert_story(story_index, regions)
    publish(page, django_capture_on_commit_callbacks)
    page.title = "Khẩn: cập nhật phạm vi phong tỏa"
    publish(page, django_capture_on_commit_callbacks)

    feed = etree.fromstring(client.get("/cap/").content)
    (embedded,) = feed.xpath("//cap:alert", namespaces=NS)
    with django_capture_on_commit_callbacks(execute=True):
        page.unpublish()

    assert [message.msg_type for message in CapMessage.objects.order_by("sequence")] == [
        "Alert",
        "Update",
        "Cancel",
    ]
    for message in CapMessage.objects.all():
        SCHEMA.assertValid(etree.fromstring(bytes(message.xml)))
        verified(bytes(message.xml), signing)
    verified(etree.tostring(embedded), signing)


def test_without_a_key_documents_are_not_signed(
    story_index, regions, organisation, channels, django_capture_on_commit_callbacks
):
    publish(alert_story(story_index, regions), django_capture_on_commit_callbacks)

    root = etree.fromstring(bytes(CapMessage.objects.get().xml))

    assert root.find(DSIG) is None


def test_a_key_without_its_certificate_fails_the_system_check_and_the_delivery_visibly(
    settings, tmp_path, story_index, regions, organisation, channels, django_capture_on_commit_callbacks
):
    key_pem, _cert = key_and_certificate()
    (tmp_path / "cap.key").write_bytes(key_pem)
    settings.CAP_SIGNING_KEY_FILE = str(tmp_path / "cap.key")

    errors = check_signing()
    publish(alert_story(story_index, regions), django_capture_on_commit_callbacks)

    assert [error.id for error in errors] == ["cap.E001"]
    assert "CAP_SIGNING_CERT_FILE" in errors[0].msg
    with pytest.raises(SystemCheckError):
        call_command("check")
    delivery = Delivery.objects.get(channel="cap")
    assert delivery.status == DeliveryStatus.FAILED
    assert "CAP signing" in delivery.last_error
    assert not CapMessage.objects.exists()


@pytest.mark.parametrize("problem", ["missing file", "another key's certificate", "not PEM"])
def test_unusable_signing_files_are_named_by_the_system_check(settings, tmp_path, problem):
    key_pem, cert_pem = key_and_certificate()
    (tmp_path / "cap.key").write_bytes(key_pem)
    (tmp_path / "cap.crt").write_bytes(
        {
            "missing file": cert_pem,
            "another key's certificate": key_and_certificate()[1],
            "not PEM": b"hello",
        }[problem]
    )
    settings.CAP_SIGNING_KEY_FILE = str(tmp_path / "cap.key")
    settings.CAP_SIGNING_CERT_FILE = str(
        tmp_path / ("absent.crt" if problem == "missing file" else "cap.crt")
    )

    errors = check_signing()

    assert [error.id for error in errors] == ["cap.E001"]
    expected = {"missing file": "absent.crt", "another key's certificate": "not the key's", "not PEM": "PEM"}
    assert expected[problem] in errors[0].msg
