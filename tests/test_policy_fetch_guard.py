"""The fetcher must not let an APK make the scanner call itself or its network (server-side request forgery).

By default only public addresses are contacted: every hop is resolved by the fetcher, checked, and connected to as
checked. All servers here listen on loopback; the ``loopback_only`` tripwire fails any test whose code would send a
packet or a DNS query off this machine, so a regression of the guard cannot reach 10.x or the metadata address.
"""

from __future__ import annotations

import datetime
import socket
import ssl
import threading
from collections.abc import Callable, Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest

from apkscan.extract.policy.sources import fetched_policies
from apkscan.read.policy.fetch import fetch_policy
from apkscan.read.policy.file import PolicyInputError
from tests.netsafety import loopback_only  # noqa: F401 (autouse fixture)

POLICY = "<html><body><h1>隐私政策</h1><p>我们会读取您的通讯录。</p></body></html>".encode()


class Server:
    """A local HTTP server that records every request it receives (path, Host header, TLS server name)."""

    def __init__(self, host: str, routes: Callable[[str], tuple[int, dict[str, str], bytes]]) -> None:
        self.requests: list[tuple[str, str]] = []
        self.server_names: list[str | None] = []
        outer = self

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self) -> None:  # noqa: N802
                outer.requests.append((self.path, self.headers.get("Host", "")))
                status, headers, body = routes(self.path)
                self.send_response(status)
                for key, value in {**headers, "Content-Length": str(len(body))}.items():
                    self.send_header(key, value)
                self.end_headers()
                self.wfile.write(body)

            def log_message(self, *args: object) -> None:
                pass

        self.httpd = ThreadingHTTPServer((host, 0), Handler)
        self.port = self.httpd.server_address[1]
        self.url = f"http://{host}:{self.port}"

    def start(self) -> Server:
        threading.Thread(target=self.httpd.serve_forever, daemon=True).start()
        return self

    def stop(self) -> None:
        self.httpd.shutdown()
        self.httpd.server_close()


def _policy_routes(path: str) -> tuple[int, dict[str, str], bytes]:
    return (200, {"Content-Type": "text/html; charset=utf-8"}, POLICY) if path == "/privacy" else (404, {}, b"")


@pytest.fixture(scope="module")
def local_server() -> Iterator[Server]:
    server = Server("127.0.0.1", _policy_routes).start()
    yield server
    server.stop()


@pytest.fixture()
def local(local_server: Server) -> Server:
    """The server a hostile URL would like to reach: on 127.0.0.1 (its request log cleared for each test)."""
    local_server.requests.clear()
    return local_server


@pytest.fixture()
def relay(relay_server: Server) -> Server:
    relay_server.requests.clear()
    return relay_server


@pytest.fixture(scope="module")
def relay_server(local_server: Server) -> Iterator[Server]:
    """A server standing in for a public one (127.0.0.2, explicitly allowed) that redirects to forbidden places."""
    targets = {
        "/to-loopback": f"http://127.0.0.1:{local_server.port}/privacy",
        "/to-localhost": f"http://localhost:{local_server.port}/privacy",
        "/to-metadata": "http://169.254.169.254/latest/meta-data/iam/security-credentials/",
        "/to-private": "http://10.0.0.1/privacy",
        "/to-mapped": f"http://[::ffff:127.0.0.1]:{local_server.port}/privacy",
        "/relative": "/policy-here",
    }

    def routes(path: str) -> tuple[int, dict[str, str], bytes]:
        if path == "/policy-here":
            return 200, {"Content-Type": "text/html"}, POLICY
        return (302, {"Location": targets[path]}, b"") if path in targets else (404, {}, b"")

    try:
        server = Server("127.0.0.2", routes).start()
    except OSError:  # 127.0.0.0/8 beyond .1 is routed to loopback on Linux, not everywhere
        pytest.skip("cannot listen on 127.0.0.2 here")
    yield server
    server.stop()


def test_default_refuses_the_scanners_own_loopback(local: Server) -> None:
    with pytest.raises(PolicyInputError, match=r"127\.0\.0\.1 is a loopback address") as err:
        fetch_policy(f"{local.url}/privacy", timeout=2)
    assert "\n" not in str(err.value)
    assert local.requests == []


@pytest.mark.parametrize(
    ("url", "reason"),
    [
        ("http://10.0.0.1/privacy", r"10\.0\.0\.1 is a private address \(RFC 1918\)"),
        ("http://172.16.5.4/privacy", r"private address \(RFC 1918\)"),
        ("http://192.168.1.1/privacy", r"private address \(RFC 1918\)"),
        ("http://100.64.0.1/privacy", r"carrier-grade NAT"),
        ("http://169.254.169.254/latest/meta-data/", r"169\.254\.169\.254 is the cloud metadata service"),
        ("http://169.254.10.10/", r"link-local"),
        ("http://[::1]/privacy", r"::1 is a loopback address"),
        ("https://[fd00:ec2::254]/latest/meta-data/", r"IPv6 unique local"),
        ("http://[fe80::1]/", r"link-local"),
        ("http://[::ffff:127.0.0.1]/privacy", r"IPv4-mapped form of 127\.0\.0\.1, a loopback address"),
        ("http://[::ffff:169.254.169.254]/", r"IPv4-mapped form of 169\.254\.169\.254, the cloud metadata"),
        ("http://[::ffff:a00:1]/", r"IPv4-mapped form of 10\.0\.0\.1"),
        ("http://2130706433/privacy", r"2130706433 resolves to 127\.0\.0\.1, a loopback address"),
        ("http://0x7f.1/privacy", r"resolves to 127\.0\.0\.1, a loopback address"),
        ("http://0.0.0.0/privacy", r"unspecified"),
        ("http://[::]/privacy", r"unspecified"),
        ("http://224.0.0.251/", r"multicast"),
        ("http://255.255.255.255/", r"reserved"),
        ("http://localhost/privacy", r"localhost resolves to (127\.0\.0\.1|::1), a loopback address"),
    ],
)
def test_default_refuses_non_public_addresses(url: str, reason: str) -> None:
    with pytest.raises(PolicyInputError, match=reason) as err:
        fetch_policy(url, timeout=2)
    message = str(err.value)
    assert message.startswith(url) and "refusing to fetch" in message and "\n" not in message


@pytest.mark.parametrize(
    ("path", "reason"),
    [
        ("/to-loopback", r"\(redirected to http://127\.0\.0\.1:\d+/privacy\): 127\.0\.0\.1 is a loopback address"),
        ("/to-localhost", r"\(redirected to http://localhost:\d+/privacy\): localhost resolves to .*loopback"),
        ("/to-metadata", r"169\.254\.169\.254 is the cloud metadata service"),
        ("/to-private", r"10\.0\.0\.1 is a private address"),
        ("/to-mapped", r"IPv4-mapped form of 127\.0\.0\.1"),
    ],
)
def test_every_redirect_hop_is_checked(relay: Server, local: Server, path: str, reason: str) -> None:
    with pytest.raises(PolicyInputError, match=reason):
        fetch_policy(f"{relay.url}{path}", timeout=2, allow_networks=["127.0.0.2/32"])
    assert [p for p, _ in relay.requests] == [path]
    assert local.requests == []  # the forbidden server never saw a request


def test_an_allowed_relay_still_serves_its_own_redirects(relay: Server) -> None:
    doc = fetch_policy(f"{relay.url}/relative", timeout=2, allow_networks=["127.0.0.2/32"])
    assert [b.text for b in doc.blocks] == ["我们会读取您的通讯录。"]


def test_one_lookup_and_the_checked_address_is_the_one_contacted(local: Server, monkeypatch) -> None:
    """No second DNS lookup (a rebinding name could answer differently); the Host header keeps the name."""
    lookups: list[object] = []
    real = socket.getaddrinfo

    def counting(host: object, *args: object, **kwargs: object) -> list:
        lookups.append(host)
        return real(host, *args, **kwargs)

    monkeypatch.setattr(socket, "getaddrinfo", counting)
    doc = fetch_policy(f"http://localhost:{local.port}/privacy", timeout=2, allow_networks=["127.0.0.0/8", "::1"])
    assert doc.blocks and lookups == ["localhost"]
    assert local.requests == [("/privacy", f"localhost:{local.port}")]


def test_the_allowance_covers_only_the_networks_named(local: Server) -> None:
    with pytest.raises(PolicyInputError, match="loopback"):
        fetch_policy(f"{local.url}/privacy", timeout=2, allow_networks=["127.0.0.2/32", "10.0.0.0/8"])
    assert local.requests == []


def test_scan_errors_get_one_line_per_refused_url() -> None:
    errors: list[str] = []
    urls = ["http://169.254.169.254/latest/meta-data/", "http://[::1]:8080/admin", "http://10.1.2.3/p\nolicy"]
    assert fetched_policies(urls, errors) == []
    assert len(errors) == 3 and all(e.startswith("policy: ") and "\n" not in e for e in errors)
    assert "metadata" in errors[0] and "loopback" in errors[1] and "private" in errors[2]


def _self_signed(tmp: Path) -> tuple[Path, Path]:
    x509 = pytest.importorskip("cryptography.x509")
    from cryptography.hazmat.primitives import hashes, serialization
    from cryptography.hazmat.primitives.asymmetric import ec
    from cryptography.x509.oid import NameOID

    key = ec.generate_private_key(ec.SECP256R1())
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "localhost")])
    now = datetime.datetime.now(datetime.UTC)
    cert = (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(name)
        .public_key(key.public_key())
        .serial_number(1)
        .not_valid_before(now - datetime.timedelta(days=1))
        .not_valid_after(now + datetime.timedelta(days=1))
        .add_extension(x509.SubjectAlternativeName([x509.DNSName("localhost")]), critical=False)
        .sign(key, hashes.SHA256())
    )
    cert_path, key_path = tmp / "cert.pem", tmp / "key.pem"
    cert_path.write_bytes(cert.public_bytes(serialization.Encoding.PEM))
    key_path.write_bytes(
        key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption())
    )
    return cert_path, key_path


def test_tls_sends_the_host_name_and_verifies_the_certificate(tmp_path: Path) -> None:
    """Connecting to a pinned address must not lose SNI or certificate checks (a self-signed one must fail)."""
    cert, key = _self_signed(tmp_path)
    server = Server("127.0.0.1", _policy_routes)
    names: list[str | None] = []
    context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    context.load_cert_chain(cert, key)
    context.sni_callback = lambda sock, name, ctx: names.append(name)
    server.httpd.socket = context.wrap_socket(server.httpd.socket, server_side=True, do_handshake_on_connect=False)
    server.start()
    try:
        with pytest.raises(PolicyInputError, match="CERTIFICATE_VERIFY_FAILED"):
            fetch_policy(f"https://localhost:{server.port}/privacy", timeout=2, allow_networks=["127.0.0.0/8", "::1"])
    finally:
        server.stop()
    assert names == ["localhost"] and server.requests == []
