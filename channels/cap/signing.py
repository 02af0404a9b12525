"""Optional XML signature of CAP documents: an enveloped XML-DSig as the alert's last element.

CAP 1.2 (§3.3.2.1) lets an alert carry an XML Signature; alerting systems that require one check
it against the sender's certificate. It is on when `CAP_SIGNING_KEY_FILE` and
`CAP_SIGNING_CERT_FILE` name a PEM private key and its PEM certificate (chain), off otherwise.
"""

from functools import cache

from cryptography import x509
from cryptography.hazmat.primitives.serialization import Encoding, PublicFormat, load_pem_private_key
from django.conf import settings
from django.core import checks
from django.core.signals import setting_changed
from django.dispatch import receiver
from lxml import etree
from signxml import CanonicalizationMethod, XMLSigner

SETTINGS = ("CAP_SIGNING_KEY_FILE", "CAP_SIGNING_CERT_FILE", "CAP_SIGNING_KEY_PASSPHRASE")


class SigningConfigError(Exception):
    """The configured key or certificate cannot be used; the message says why."""


@cache
def credentials():
    """(private key, [certificates]) when signing is configured, else None."""
    key_file = getattr(settings, "CAP_SIGNING_KEY_FILE", "")
    cert_file = getattr(settings, "CAP_SIGNING_CERT_FILE", "")
    if not key_file and not cert_file:
        return None
    if not (key_file and cert_file):
        raise SigningConfigError("CAP_SIGNING_KEY_FILE and CAP_SIGNING_CERT_FILE must be set together.")
    passphrase = getattr(settings, "CAP_SIGNING_KEY_PASSPHRASE", "") or None
    try:
        with open(key_file, "rb") as handle:
            key = load_pem_private_key(handle.read(), password=passphrase.encode() if passphrase else None)
        with open(cert_file, "rb") as handle:
            certificates = x509.load_pem_x509_certificates(handle.read())
    except OSError as exc:
        raise SigningConfigError(f"cannot read {exc.filename}: {exc.strerror}") from exc
    except (ValueError, TypeError) as exc:
        raise SigningConfigError(f"not a usable PEM key or certificate: {exc}") from exc
    if _public(certificates[0].public_key()) != _public(key.public_key()):
        raise SigningConfigError("the certificate in CAP_SIGNING_CERT_FILE is not the key's.")
    return key, certificates


def _public(public_key) -> bytes:
    return public_key.public_bytes(Encoding.DER, PublicFormat.SubjectPublicKeyInfo)


def sign_alert(document: bytes) -> bytes:
    """The document signed when signing is configured; unchanged otherwise."""
    configured = credentials()
    if configured is None:
        return document
    key, certificates = configured
    signer = XMLSigner(c14n_algorithm=CanonicalizationMethod.EXCLUSIVE_XML_CANONICALIZATION_1_0)
    signed = signer.sign(etree.fromstring(document), key=key, cert=certificates)
    return etree.tostring(signed, xml_declaration=True, encoding="UTF-8")


@checks.register(checks.Tags.security, deploy=False)
def check_signing(app_configs=None, **kwargs):
    try:
        credentials()
    except SigningConfigError as exc:
        return [checks.Error(f"CAP signing: {exc}", id="cap.E001")]
    return []


@receiver(setting_changed)
def _forget_credentials(*, setting, **kwargs):
    if setting in SETTINGS:
        credentials.cache_clear()
