"""Fetching a policy page: only from a local server on 127.0.0.1, never the internet."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

from apkscan.read.policy.fetch import fetch_policy
from apkscan.read.policy.file import PolicyInputError

POLICY_HTML = "<html><body><h1>隐私政策</h1><p>我们会读取您的通讯录。</p></body></html>".encode()
PAGES: dict[str, tuple[int, dict[str, str], bytes]] = {
    "/privacy": (200, {"Content-Type": "text/html; charset=utf-8"}, POLICY_HTML),
    "/gbk": (200, {"Content-Type": "text/plain; charset=gbk"}, "我们不会读取您的短信。".encode("gbk")),
    "/big": (200, {"Content-Type": "text/html"}, b"<p>" + b"a" * (2 * 1024 * 1024) + b"</p>"),
    "/to-file": (302, {"Location": "file:///etc/passwd"}, b""),
    "/to-ftp": (301, {"Location": "ftp://127.0.0.1/policy.txt"}, b""),
    "/hop1": (302, {"Location": "/hop2"}, b""),
    "/hop2": (302, {"Location": "/privacy"}, b""),
    "/loop0": (302, {"Location": "/loop1"}, b""),
    "/loop1": (302, {"Location": "/loop2"}, b""),
    "/loop2": (302, {"Location": "/loop3"}, b""),
    "/loop3": (302, {"Location": "/loop4"}, b""),
    "/loop4": (302, {"Location": "/privacy"}, b""),
}


class _Handler(BaseHTTPRequestHandler):
    def do_GET(self) -> None:  # noqa: N802 - http.server's naming
        status, headers, body = PAGES.get(self.path, (404, {}, b"not found"))
        if self.path == "/big":
            self.send_response(200)
            self.send_header("Content-Type", "text/html")  # no Content-Length: the cap must hold while reading
            self.end_headers()
            self.wfile.write(body)
            return
        self.send_response(status)
        for key, value in headers.items():
            self.send_header(key, value)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args: object) -> None:
        pass


@pytest.fixture(scope="module")
def server() -> Iterator[str]:
    httpd = ThreadingHTTPServer(("127.0.0.1", 0), _Handler)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{httpd.server_address[1]}"
    httpd.shutdown()
    httpd.server_close()


def test_fetches_and_parses_an_html_policy(server: str):
    doc = fetch_policy(f"{server}/privacy", timeout=5)
    assert doc.kind == "html" and doc.source == f"{server}/privacy"
    assert [b.text for b in doc.blocks] == ["我们会读取您的通讯录。"]


def test_uses_the_declared_charset(server: str):
    doc = fetch_policy(f"{server}/gbk", timeout=5)
    assert doc.kind == "text" and doc.blocks[0].text == "我们不会读取您的短信。"


def test_follows_up_to_three_http_redirects(server: str):
    assert fetch_policy(f"{server}/hop1", timeout=5).blocks


def test_gives_up_after_too_many_redirects(server: str):
    with pytest.raises(PolicyInputError, match="HTTP 302"):
        fetch_policy(f"{server}/loop0", timeout=5)


@pytest.mark.parametrize("path", ["/to-file", "/to-ftp"])
def test_refuses_redirects_to_other_schemes(server: str, path: str):
    with pytest.raises(PolicyInputError, match="only http and https"):
        fetch_policy(f"{server}{path}", timeout=5)


@pytest.mark.parametrize("url", ["file:///etc/passwd", "ftp://127.0.0.1/p.txt", "data:text/html,hi", "javascript:x"])
def test_refuses_non_http_urls(url: str):
    with pytest.raises(PolicyInputError, match="only http and https"):
        fetch_policy(url)


def test_size_cap_is_enforced_while_reading(server: str):
    with pytest.raises(PolicyInputError, match="cap"):
        fetch_policy(f"{server}/big", timeout=5, max_bytes=1024 * 1024)


def test_http_errors_are_one_line(server: str):
    with pytest.raises(PolicyInputError, match="HTTP 404"):
        fetch_policy(f"{server}/missing", timeout=5)


def test_unreachable_host_is_a_policy_input_error():
    with pytest.raises(PolicyInputError, match="cannot fetch"):
        fetch_policy("http://127.0.0.1:9/privacy", timeout=2)
