"""The proxy's local CA: its files, its name constraints, and leaves that strict clients accept."""

import os
import ssl
import sys
import threading
from datetime import UTC, datetime, timedelta
from pathlib import Path

import certifi
import pytest
from cryptography import x509
from cryptography.x509.oid import ExtendedKeyUsageOID
from cryptography.x509.verification import PolicyBuilder, Store, VerificationError

from tests.proxy.helpers import client_context
from uipath_emulator.mock_server.tls import EMULATED_HOSTS, CAError, CertificateAuthority
from uipath_emulator.mock_server.tls.contexts import server_context
from uipath_emulator.mock_server.tls.locations import default_ca_dir
from uipath_emulator.mock_server.tls.minting import Issued

POSIX_ONLY = pytest.mark.skipif(sys.platform == "win32", reason="POSIX file modes")


@pytest.fixture(scope="module")
def authority(tmp_path_factory: pytest.TempPathFactory) -> CertificateAuthority:
    """One CA for the module's read-only checks."""
    return CertificateAuthority.load_or_create(tmp_path_factory.mktemp("ca"))


def handshake(server: ssl.SSLContext, client: ssl.SSLContext, host: str) -> str | None:
    """Run a TLS handshake in memory (no socket); the ALPN protocol the two agreed on."""
    server_in, server_out, client_in, client_out = (ssl.MemoryBIO() for _ in range(4))
    server_side = server.wrap_bio(server_in, server_out, server_side=True)
    client_side = client.wrap_bio(client_in, client_out, server_hostname=host)
    for _ in range(10):
        finished = 0
        for side, outgoing, peer_incoming in (
            (client_side, client_out, server_in),
            (server_side, server_out, client_in),
        ):
            try:
                side.do_handshake()
                finished += 1
            except ssl.SSLWantReadError:
                pass
            peer_incoming.write(outgoing.read())
        if finished == 2:
            return client_side.selected_alpn_protocol()
    raise AssertionError("the handshake did not finish")


def verify_with_cryptography(authority: CertificateAuthority, leaf: Issued, host: str) -> None:
    """Verify `leaf` for `host` with cryptography's RFC 5280 verifier (raises if refused)."""
    verifier = (
        PolicyBuilder()
        .store(Store([authority.certificate]))
        .build_server_verifier(x509.DNSName(host))
    )
    verifier.verify(leaf.certificate, [])


@POSIX_ONLY
def test_ca_key_file_is_created_readable_by_the_user_only(tmp_path: Path) -> None:
    """The CA's private key file is created with mode 0600 in a new 0700 folder."""
    folder = tmp_path / "new" / "ca"
    authority = CertificateAuthority.load_or_create(folder)
    assert authority.key_path.stat().st_mode & 0o777 == 0o600
    assert folder.stat().st_mode & 0o777 == 0o700
    assert b"PRIVATE KEY" not in authority.cert_path.read_bytes()


def test_bundle_holds_certifis_roots_then_the_ca(authority: CertificateAuthority) -> None:
    """`ca-bundle.pem` is certifi's roots followed by the CA, `ca.pem` the CA alone."""
    bundle = authority.bundle_path.read_bytes()
    ca = authority.cert_path.read_bytes()
    assert bundle.startswith(Path(certifi.where()).read_bytes().rstrip(b"\n"))
    assert bundle.endswith(ca)
    assert x509.load_pem_x509_certificate(ca) == authority.certificate


def test_second_start_reuses_the_ca(tmp_path: Path) -> None:
    """A CA folder made once is reused as it is by every later start."""
    first = CertificateAuthority.load_or_create(tmp_path)
    key = first.key_path.read_bytes()
    second = CertificateAuthority.load_or_create(tmp_path)
    assert second.certificate == first.certificate
    assert second.key_path.read_bytes() == key


def test_simultaneous_first_starts_agree_on_one_ca(tmp_path: Path) -> None:
    """Eight loaders racing on an empty folder all end with the same CA."""
    barrier = threading.Barrier(8)
    found: list[x509.Certificate] = []

    def load() -> None:
        barrier.wait(timeout=10)
        found.append(CertificateAuthority.load_or_create(tmp_path).certificate)

    threads = [threading.Thread(target=load) for _ in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    assert len(found) == 8
    assert all(certificate == found[0] for certificate in found)
    assert sorted(path.name for path in tmp_path.iterdir()) == [
        "ca-bundle.pem",
        "ca-key.pem",
        "ca.pem",
    ]


def test_ca_is_a_critical_name_constrained_ca(authority: CertificateAuthority) -> None:
    """The CA may sign only for the three cloud hosts, never for an IP address, one level deep."""
    certificate = authority.certificate
    basic = certificate.extensions.get_extension_for_class(x509.BasicConstraints)
    assert basic.critical
    assert (basic.value.ca, basic.value.path_length) == (True, 0)
    usage = certificate.extensions.get_extension_for_class(x509.KeyUsage)
    assert usage.critical
    assert (usage.value.key_cert_sign, usage.value.crl_sign) == (True, True)
    names = certificate.extensions.get_extension_for_class(x509.NameConstraints)
    assert names.critical
    permitted = names.value.permitted_subtrees or []
    assert sorted(name.value for name in permitted) == sorted(EMULATED_HOSTS)
    excluded = names.value.excluded_subtrees or []
    assert {str(name.value) for name in excluded} == {"0.0.0.0/0", "::/0"}
    assert certificate.extensions.get_extension_for_class(x509.SubjectKeyIdentifier)


@pytest.mark.parametrize("host", EMULATED_HOSTS)
def test_leaf_has_what_strict_clients_require(authority: CertificateAuthority, host: str) -> None:
    """Leaf: SAN for the host, serverAuth, both key ids matching the CA, at most 397 days."""
    leaf = authority.leaf(host).certificate
    san = leaf.extensions.get_extension_for_class(x509.SubjectAlternativeName)
    assert san.value.get_values_for_type(x509.DNSName) == [host]
    usage = leaf.extensions.get_extension_for_class(x509.ExtendedKeyUsage)
    assert list(usage.value) == [ExtendedKeyUsageOID.SERVER_AUTH]
    authority_key = leaf.extensions.get_extension_for_class(x509.AuthorityKeyIdentifier)
    ca_key = authority.certificate.extensions.get_extension_for_class(x509.SubjectKeyIdentifier)
    assert authority_key.value.key_identifier == ca_key.value.digest
    assert leaf.extensions.get_extension_for_class(x509.SubjectKeyIdentifier)
    basic = leaf.extensions.get_extension_for_class(x509.BasicConstraints)
    assert basic.critical
    assert not basic.value.ca
    assert leaf.not_valid_after_utc - leaf.not_valid_before_utc <= timedelta(days=397)
    assert leaf.not_valid_before_utc <= datetime.now(UTC) < leaf.not_valid_after_utc


@pytest.mark.parametrize("host", EMULATED_HOSTS)
def test_strict_handshake_accepts_the_leaf_and_settles_on_http_1_1(
    authority: CertificateAuthority, host: str
) -> None:
    """Under Python 3.13's strict flags the leaf verifies; a client offering h2 gets http/1.1."""
    client = client_context(authority, strict=True)
    client.set_alpn_protocols(["h2", "http/1.1"])
    assert handshake(authority.server_context(host), client, host) == "http/1.1"
    verify_with_cryptography(authority, authority.leaf(host), host)


@pytest.mark.parametrize("host", ["example.com", "uipath.com", "cloud.uipath.com.evil.example"])
def test_leaf_for_another_host_from_the_same_ca_fails_verification(
    authority: CertificateAuthority, host: str
) -> None:
    """A leaf the CA signed for a host outside its constraints fails OpenSSL's and cryptography's
    verification."""
    leaf = authority.leaf(host)
    with pytest.raises(ssl.SSLCertVerificationError, match="subtree violation"):
        handshake(server_context(leaf), client_context(authority, strict=False), host)
    with pytest.raises(VerificationError):
        verify_with_cryptography(authority, leaf, host)


def test_leaf_for_an_ip_address_fails_verification(authority: CertificateAuthority) -> None:
    """IP addresses are excluded: a leaf for 127.0.0.1 signed by the CA is refused."""
    leaf = authority.leaf("127.0.0.1")
    with pytest.raises(ssl.SSLCertVerificationError, match="excluded subtree violation"):
        handshake(server_context(leaf), client_context(authority, strict=False), "127.0.0.1")


@POSIX_ONLY
def test_key_readable_by_others_is_refused_naming_the_fix(tmp_path: Path) -> None:
    """A CA key file others can read stops the load with the chmod to run."""
    authority = CertificateAuthority.load_or_create(tmp_path)
    os.chmod(authority.key_path, 0o644)
    with pytest.raises(CAError, match=r"can be read by other users: run `chmod 600 "):
        CertificateAuthority.load_or_create(tmp_path)


def test_damaged_key_file_is_refused_naming_the_folder(tmp_path: Path) -> None:
    """A key file holding no PEM key and certificate stops the load, naming the folder to delete."""
    authority = CertificateAuthority.load_or_create(tmp_path)
    authority.key_path.write_bytes(b"not a pem file")
    if sys.platform != "win32":
        os.chmod(authority.key_path, 0o600)
    with pytest.raises(CAError, match="does not hold a PEM private key and certificate"):
        CertificateAuthority.load_or_create(tmp_path)


@pytest.mark.parametrize(
    ("platform", "variables", "expected"),
    [
        ("linux", {"XDG_DATA_HOME": ""}, ".local/share/uipath-cloud-emulator/ca"),
        ("linux", {"XDG_DATA_HOME": "{home}/data"}, "data/uipath-cloud-emulator/ca"),
        ("linux", {"XDG_DATA_HOME": "relative/data"}, ".local/share/uipath-cloud-emulator/ca"),
        ("darwin", {}, "Library/Application Support/uipath-cloud-emulator/ca"),
        (
            "win32",
            {"LOCALAPPDATA": "{home}/AppData/Local"},
            "AppData/Local/uipath-cloud-emulator/ca",
        ),
    ],
)
def test_default_ca_dir_follows_each_os_convention(
    monkeypatch: pytest.MonkeyPatch,
    tmp_path: Path,
    platform: str,
    variables: dict[str, str],
    expected: str,
) -> None:
    """The default CA folder is the per-user data folder of the OS's own convention."""
    monkeypatch.setattr(sys, "platform", platform)
    monkeypatch.setattr(Path, "home", classmethod(lambda cls: tmp_path))
    for name, value in variables.items():
        monkeypatch.setenv(name, value.format(home=tmp_path))
    assert default_ca_dir() == tmp_path / expected
