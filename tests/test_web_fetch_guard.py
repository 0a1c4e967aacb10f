"""An uploaded APK must not make the server call itself: with --fetch-policy, a policy URL on loopback is refused.

The APK is contact-raider with the privacy-policy URL in its DEX rewritten to point at a local HTTP server (same
length, DEX checksum and signature fixed). The local server counts requests: it must receive none, and the scan's
errors must say why the URL was not fetched.
"""

from __future__ import annotations

import hashlib
import http.server
import threading
import zipfile
import zlib
from pathlib import Path

import pytest

from tests.conftest import sample
from tests.web_server import Server

ORIGINAL = b"https://www.quickcash-loan.example/privacy.html"
HOST = "127.0.0.2"


class Counting(http.server.BaseHTTPRequestHandler):
    hits = 0

    def do_GET(self) -> None:  # noqa: N802 - http.server's name
        Counting.hits += 1
        body = b"<html><body>We collect your contacts.</body></html>" * 10
        self.send_response(200)
        self.send_header("Content-Type", "text/html")
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args: object) -> None:
        pass


def apk_pointing_at(port: int, out: Path) -> Path:
    """contact-raider.apk whose policy URL names ``http://127.0.0.2:<port>/…`` (same string length).

    127.0.0.2 is loopback too (the whole 127/8 is this machine); 127.0.0.1 itself is not even listed as a policy URL
    by the code scan, which drops it with other non-endpoints."""
    url = f"http://{HOST}:{port}/privacy".encode()
    url += b"-" * (len(ORIGINAL) - len(url) - len(b".html")) + b".html"
    assert len(url) == len(ORIGINAL)
    with zipfile.ZipFile(sample("contact-raider.apk")) as src, zipfile.ZipFile(out, "w") as dst:
        for info in src.infolist():
            data = src.read(info)
            if info.filename == "classes.dex":
                assert data.count(ORIGINAL) >= 1
                dex = bytearray(data.replace(ORIGINAL, url))
                dex[12:32] = hashlib.sha1(dex[32:]).digest()
                dex[8:12] = zlib.adler32(bytes(dex[12:])).to_bytes(4, "little")
                data = bytes(dex)
            dst.writestr(info, data)
    return out


@pytest.fixture()
def loopback_site():
    server = http.server.ThreadingHTTPServer((HOST, 0), Counting)
    Counting.hits = 0
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield server.server_address[1]
    finally:
        server.shutdown()
        server.server_close()


def test_a_policy_url_on_loopback_is_refused_by_the_server(tmp_path: Path, loopback_site: int):
    apk = apk_pointing_at(loopback_site, tmp_path / "points-home.apk")
    with Server(tmp_path / "data", "--fetch-policy", "--jobs", "1") as srv:
        done = srv.finished(srv.upload(apk).json()["id"], timeout=120)
        assert done["status"] == "done", done
        report = done["report"]
        urls = report["policy"]["urls"] if report["policy"] else []
        assert any(f"{HOST}:{loopback_site}" in u for u in urls), urls
        refused = [e for e in report["errors"] if f"{HOST}:{loopback_site}" in e]
        assert refused and all("\n" not in e for e in refused), report["errors"]
    assert Counting.hits == 0, "the server fetched a URL on its own machine"
