"""Certificates of the proxy's local CA and of the leaves it signs, made with `cryptography`.

Pure functions of their inputs (the current time is an argument): nothing here reads or writes
files. What clients require, and where:

- CA: `BasicConstraints(ca, path_length=0)` and `KeyUsage(keyCertSign, cRLSign)`, both critical,
  a subject key identifier (Python 3.13's `VERIFY_X509_STRICT`), and critical `NameConstraints`
  permitting only the emulated hosts and excluding every IP address, so that the CA, in a trust
  store or leaked, vouches for nothing else. Its `ExtendedKeyUsage` is `serverAuth` only.
- Leaf: a SAN `dNSName` (rustls, macOS and Chromium ignore the CN), `ExtendedKeyUsage`
  `serverAuth` (Windows and macOS require it), both key identifiers (3.13's strict mode wants
  the authority one), and at most 397 days of validity (macOS refuses longer TLS leaves).
"""

import ipaddress
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta

from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import ExtendedKeyUsageOID, NameOID

from uipath_emulator.mock_server.tls.hosts import EMULATED_HOSTS

CA_LIFETIME = timedelta(days=3650)
LEAF_LIFETIME = timedelta(days=397)
BACKDATE = timedelta(hours=1)
"""Certificates start this long before `now`, for clocks slightly behind this one."""

CA_NAME = "uipath-cloud-emulator local CA"
_ORGANIZATION = "uipath-cloud-emulator (a test double; not UiPath)"
_ALL_IPV4 = ipaddress.ip_network("0.0.0.0/0")
_ALL_IPV6 = ipaddress.ip_network("::/0")


@dataclass(frozen=True)
class Issued:
    """A certificate and its private key."""

    certificate: x509.Certificate
    private_key: ec.EllipticCurvePrivateKey

    def certificate_pem(self) -> bytes:
        """The certificate, PEM."""
        return self.certificate.public_bytes(serialization.Encoding.PEM)

    def private_key_pem(self) -> bytes:
        """The private key, unencrypted PKCS#8 PEM."""
        return self.private_key.private_bytes(
            serialization.Encoding.PEM,
            serialization.PrivateFormat.PKCS8,
            serialization.NoEncryption(),
        )


def _new_key() -> ec.EllipticCurvePrivateKey:
    """An ECDSA P-256 key: accepted by every TLS stack, and made in well under a millisecond."""
    return ec.generate_private_key(ec.SECP256R1())


def new_ca(now: datetime, *, hosts: Sequence[str] = EMULATED_HOSTS, owner: str = "") -> Issued:
    """A self-signed CA that can only vouch for `hosts` (and names under them)."""
    key = _new_key()
    attributes = [
        x509.NameAttribute(NameOID.COMMON_NAME, CA_NAME),
        x509.NameAttribute(NameOID.ORGANIZATION_NAME, _ORGANIZATION),
    ]
    if owner:
        attributes.append(x509.NameAttribute(NameOID.ORGANIZATIONAL_UNIT_NAME, owner[:64]))
    name = x509.Name(attributes)
    public = key.public_key()
    constraints = x509.NameConstraints(
        permitted_subtrees=[x509.DNSName(host) for host in hosts],
        excluded_subtrees=[x509.IPAddress(_ALL_IPV4), x509.IPAddress(_ALL_IPV6)],
    )
    usage = x509.KeyUsage(
        digital_signature=False,
        content_commitment=False,
        key_encipherment=False,
        data_encipherment=False,
        key_agreement=False,
        key_cert_sign=True,
        crl_sign=True,
        encipher_only=False,
        decipher_only=False,
    )
    certificate = (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(name)
        .public_key(public)
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - BACKDATE)
        .not_valid_after(now - BACKDATE + CA_LIFETIME)
        .add_extension(x509.BasicConstraints(ca=True, path_length=0), critical=True)
        .add_extension(usage, critical=True)
        .add_extension(constraints, critical=True)
        .add_extension(x509.ExtendedKeyUsage([ExtendedKeyUsageOID.SERVER_AUTH]), critical=False)
        .add_extension(x509.SubjectKeyIdentifier.from_public_key(public), critical=False)
        .add_extension(x509.AuthorityKeyIdentifier.from_issuer_public_key(public), critical=False)
        .sign(key, hashes.SHA256())
    )
    return Issued(certificate, key)


def _subject_alternative_name(host: str) -> x509.GeneralName:
    try:
        return x509.IPAddress(ipaddress.ip_address(host))
    except ValueError:
        return x509.DNSName(host)


def new_leaf(ca: Issued, host: str, now: datetime) -> Issued:
    """A TLS server certificate for `host` (a DNS name or an IP address) signed by `ca`.

    It is made for any host asked: the CA's name constraints, not this function, decide which
    ones a client accepts.
    """
    key = _new_key()
    public = key.public_key()
    ca_public = ca.private_key.public_key()
    usage = x509.KeyUsage(
        digital_signature=True,
        content_commitment=False,
        key_encipherment=False,
        data_encipherment=False,
        key_agreement=False,
        key_cert_sign=False,
        crl_sign=False,
        encipher_only=False,
        decipher_only=False,
    )
    not_before = now - BACKDATE
    not_after = min(not_before + LEAF_LIFETIME, ca.certificate.not_valid_after_utc)
    certificate = (
        x509.CertificateBuilder()
        .subject_name(x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, host)]))
        .issuer_name(ca.certificate.subject)
        .public_key(public)
        .serial_number(x509.random_serial_number())
        .not_valid_before(not_before)
        .not_valid_after(not_after)
        .add_extension(x509.SubjectAlternativeName([_subject_alternative_name(host)]), False)
        .add_extension(x509.BasicConstraints(ca=False, path_length=None), critical=True)
        .add_extension(usage, critical=True)
        .add_extension(x509.ExtendedKeyUsage([ExtendedKeyUsageOID.SERVER_AUTH]), critical=False)
        .add_extension(x509.SubjectKeyIdentifier.from_public_key(public), critical=False)
        .add_extension(
            x509.AuthorityKeyIdentifier.from_issuer_public_key(ca_public), critical=False
        )
        .sign(ca.private_key, hashes.SHA256())
    )
    return Issued(certificate, key)
