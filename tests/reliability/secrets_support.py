"""Finding a secret in files and output, and a local HTTPS server with a self-signed certificate."""

from __future__ import annotations

import datetime as dt
import ipaddress
import ssl
import threading
import zipfile
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from http.server import BaseHTTPRequestHandler, HTTPServer
from pathlib import Path

#: A token nobody could mistake for anything else, made only of characters a token may hold.
TOKEN = "tok-RELIABILITY-7f3a9c1e5b2d4086-SECRET"
WRONG_TOKEN = "tok-WRONG-0d9e8f7a6b5c4d3e-SECRET"


def _spellings(secret: str) -> list[bytes]:
    """The token as UTF-8 and as UTF-16 (Windows text, QSettings on some platforms)."""
    return [secret.encode(), secret.encode("utf-16-le"), secret.encode("utf-16-be")]


def _blobs(path: Path) -> Iterator[tuple[str, bytes]]:
    data = path.read_bytes()
    yield str(path), data
    # Workbooks (error logs) are zip files: their text is compressed, so look inside too.
    if zipfile.is_zipfile(path):
        with zipfile.ZipFile(path) as archive:
            for name in archive.namelist():
                yield f"{path}!{name}", archive.read(name)


def files_under(root: Path) -> list[Path]:
    return sorted(path for path in root.rglob("*") if path.is_file())


def secret_hits(root: Path, secrets: Iterable[str]) -> list[str]:
    """Where under ``root`` any of ``secrets`` appears (files and workbook members)."""
    needles = [needle for secret in secrets for needle in _spellings(secret)]
    hits = []
    for path in files_under(root):
        for where, blob in _blobs(path):
            if any(needle in blob for needle in needles):
                hits.append(where)
    return hits


def text_hits(texts: dict[str, str], secrets: Iterable[str]) -> list[str]:
    secrets = list(secrets)
    return [name for name, text in texts.items() if any(secret in text for secret in secrets)]


def self_signed_certificate(folder: Path) -> tuple[Path, Path]:
    """A certificate for 127.0.0.1 and localhost that no trust store knows; (cert, key)."""
    from cryptography import x509
    from cryptography.hazmat.primitives import hashes, serialization
    from cryptography.hazmat.primitives.asymmetric import ec
    from cryptography.x509.oid import NameOID

    key = ec.generate_private_key(ec.SECP256R1())
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "127.0.0.1")])
    now = dt.datetime.now(dt.UTC)
    certificate = (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(name)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - dt.timedelta(days=1))
        .not_valid_after(now + dt.timedelta(days=30))
        .add_extension(x509.SubjectAlternativeName([
            x509.DNSName("localhost"), x509.IPAddress(ipaddress.ip_address("127.0.0.1")),
        ]), critical=False)
        .add_extension(x509.BasicConstraints(ca=True, path_length=None), critical=True)
        .sign(key, hashes.SHA256())
    )
    cert_path, key_path = folder / "cert.pem", folder / "key.pem"
    cert_path.write_bytes(certificate.public_bytes(serialization.Encoding.PEM))
    key_path.write_bytes(key.private_bytes(
        serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
        serialization.NoEncryption(),
    ))
    return cert_path, key_path


class _StreamHandler(BaseHTTPRequestHandler):
    """Answers every GET with an empty JSON object (enough to tell "reached" from "refused")."""

    requests_seen: list[str]

    def do_GET(self) -> None:
        type(self).requests_seen.append(self.path)
        body = b"{}"
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, format: str, *args: object) -> None:
        return  # keep test output clean


@contextmanager
def https_server(cert: Path, key: Path) -> Iterator[tuple[str, list[str]]]:
    """An HTTPS server on loopback; yields (base URL, paths of the requests that got through)."""
    seen: list[str] = []
    handler = type("Handler", (_StreamHandler,), {"requests_seen": seen})
    server = HTTPServer(("127.0.0.1", 0), handler)
    context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    context.load_cert_chain(cert, key)
    server.socket = context.wrap_socket(server.socket, server_side=True)
    thread = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.05},
                              name="https-test-server", daemon=True)
    thread.start()
    try:
        yield f"https://127.0.0.1:{server.server_address[1]}/v1", seen
    finally:
        server.shutdown()
        server.server_close()
        thread.join(timeout=10)
