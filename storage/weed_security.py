"""weed's security.toml: what locks the embedded server's ports other than S3.

Measured on weed 4.48 (SECURITY.md has the table): without this file the filer's HTTP port lists
and serves every object and accepts writes and deletions from anyone on the machine, and its gRPC
port lets `weed shell` list and delete entries. With it:
- JWT keys: the filer and volume HTTP ports answer 401 to any request the S3 gateway or the master
  did not sign (reads included), and their UIs are off;
- mutual TLS on every gRPC port, with a certificate authority made at each start: a client without
  a certificate signed by it cannot connect.
The S3 port is guarded by its own identities (`-s3.config`), not by this file.

Everything is generated afresh at each start: nothing stored depends on these keys, and a copy
taken from an old run is worth nothing.
"""

from __future__ import annotations

import datetime as dt
import secrets
from pathlib import Path

from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import ExtendedKeyUsageOID, NameOID

from storage.private import write_private

JWT_SECTIONS = ("jwt.signing", "jwt.signing.read", "jwt.filer_signing", "jwt.filer_signing.read")
# Every component weed mini runs or dials, and the client side it uses to dial them.
GRPC_COMPONENTS = ("master", "volume", "filer", "s3", "admin", "worker", "msg_broker", "msg_agent", "mq", "client")
CERT_DAYS = 3650  # the CA and certificate are replaced at every start; expiry is not what protects them


def _name(common_name: str) -> x509.Name:
    return x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, common_name)])


def write_grpc_certificates(folder: Path) -> tuple[Path, Path, Path]:
    """A fresh CA and one certificate (server and client use) signed by it; keys 0600.

    One certificate serves every component: weed does not check host names, and all of them are
    the same process on loopback. Returns (ca, certificate, key) paths."""
    now = dt.datetime.now(dt.UTC) - dt.timedelta(minutes=5)  # a little slack for clock steps
    until = now + dt.timedelta(days=CERT_DAYS)
    ca_key = ec.generate_private_key(ec.SECP256R1())
    ca_name = _name("intake embedded storage CA")
    ca_cert = (
        x509.CertificateBuilder()
        .subject_name(ca_name)
        .issuer_name(ca_name)
        .public_key(ca_key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now)
        .not_valid_after(until)
        .add_extension(x509.BasicConstraints(ca=True, path_length=0), critical=True)
        .add_extension(
            x509.KeyUsage(
                digital_signature=False,
                content_commitment=False,
                key_encipherment=False,
                data_encipherment=False,
                key_agreement=False,
                key_cert_sign=True,
                crl_sign=True,
                encipher_only=False,
                decipher_only=False,
            ),
            critical=True,
        )
        .sign(ca_key, hashes.SHA256())
    )
    key = ec.generate_private_key(ec.SECP256R1())
    cert = (
        x509.CertificateBuilder()
        .subject_name(_name("intake-weed"))
        .issuer_name(ca_name)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now)
        .not_valid_after(until)
        .add_extension(x509.BasicConstraints(ca=False, path_length=None), critical=True)
        .add_extension(
            x509.ExtendedKeyUsage([ExtendedKeyUsageOID.SERVER_AUTH, ExtendedKeyUsageOID.CLIENT_AUTH]), critical=False
        )
        .add_extension(
            x509.SubjectAlternativeName([x509.DNSName("localhost"), x509.DNSName("intake-weed")]), critical=False
        )
        .sign(ca_key, hashes.SHA256())
    )
    ca_path, cert_path, key_path = folder / "grpc-ca.crt", folder / "grpc.crt", folder / "grpc.key"
    write_private(ca_path, ca_cert.public_bytes(serialization.Encoding.PEM))
    write_private(cert_path, cert.public_bytes(serialization.Encoding.PEM))
    write_private(
        key_path,
        key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()),
    )
    return ca_path, cert_path, key_path


def write_security_toml(folder: Path) -> Path:
    """Write `folder/security.toml` (0600) and the gRPC certificates it names; weed reads the file
    from its working directory, so `folder` must be the server's cwd."""
    ca, cert, key = write_grpc_certificates(folder)
    lines: list[str] = []
    for section in JWT_SECTIONS:
        lines += [f"[{section}]", f'key = "{secrets.token_hex(32)}"', "expires_after_seconds = 10", ""]
    lines += ["[access]", "ui = false", "", "[filer.expose_directory_metadata]", "enabled = false", ""]
    lines += ["[grpc]", f'ca = "{ca}"', ""]
    for component in GRPC_COMPONENTS:
        lines += [f"[grpc.{component}]", f'cert = "{cert}"', f'key = "{key}"', ""]
    path = folder / "security.toml"
    write_private(path, "\n".join(lines).encode())
    return path
