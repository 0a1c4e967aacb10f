"""Fetch a policy page named in an APK -- opt-in only (``--fetch-policy``).

Talking to a lender's server is the one thing apkscan does not do by default: it tells the lender someone is looking
and it trusts a URL the lender chose. So this module is narrow on purpose: http/https only, at most three redirects
and never to another scheme (no file://, ftp:// or data:), a short timeout, and a size cap enforced while reading.

And because the same code will run on a server that scans strangers' uploads, every hop is checked against
:mod:`.netguard` before anything is sent: the host is resolved here, any loopback, private, link-local, metadata,
multicast or reserved address is refused, and the connection goes to the checked address itself (the Host header
and the TLS server name still carry the host name, and the certificate is verified against it). No proxy is used:
through a proxy the address we checked would not be the one contacted.
"""

from __future__ import annotations

import http.client
import ipaddress
import socket
import ssl
import threading
import time
from collections.abc import Iterable
from dataclasses import dataclass
from urllib.parse import quote, urljoin, urlsplit

from apkscan.read.errors import printable
from apkscan.read.policy.file import MIB, PolicyDocument, PolicyInputError, read_policy_bytes
from apkscan.read.policy.netguard import IPNetwork, parse_networks, refusal

ALLOWED_SCHEMES = ("http", "https")
MAX_REDIRECTS = 3
REDIRECT_CODES = (301, 302, 303, 307, 308)
USER_AGENT = "apkscan-policy-fetch/0.1 (+privacy audit of a loan app; one request)"
_CHUNK = 64 * 1024
_PATH_SAFE = "/%:@!$&'()*+,;=-._~"  # RFC 3986 pchar and "/": kept as is, anything else percent-encoded


@dataclass(frozen=True)
class _Target:
    url: str
    scheme: str
    host: str
    port: int
    target: str  # request target: path and query
    addresses: tuple[tuple[int, tuple], ...]  # (family, socket address) of every address checked, in resolver order


def _where(url: str, original: str) -> str:
    return "" if url == original else f" (redirected to {url})"


def _check_scheme(url: str, original: str) -> None:
    scheme = urlsplit(url).scheme.lower()
    if scheme not in ALLOWED_SCHEMES:
        raise PolicyInputError(
            f"{original}: refusing to fetch a {scheme or 'scheme-less'}: URL{_where(url, original)}; "
            "only http and https are allowed"
        )


def _resolve(host: str, port: int, timeout: float) -> list[tuple]:
    """getaddrinfo with a time limit (the system resolver has none we can set); OSError/ValueError on failure."""
    result: list = []
    failure: list[BaseException] = []

    def lookup() -> None:
        try:
            result.extend(socket.getaddrinfo(host, port, type=socket.SOCK_STREAM, proto=socket.IPPROTO_TCP))
        except (OSError, UnicodeError, ValueError) as err:
            failure.append(err)

    worker = threading.Thread(target=lookup, name="apkscan-resolve", daemon=True)
    worker.start()
    worker.join(timeout)
    if worker.is_alive():
        raise OSError(f"looking up {host} took longer than {timeout:g} s")
    if failure:
        raise failure[0]
    return result


def _target(url: str, original: str, allowed: tuple[IPNetwork, ...], timeout: float) -> _Target:
    """Parse, resolve and check one hop; PolicyInputError names the refused address and why."""
    _check_scheme(url, original)
    parts = urlsplit(url)
    try:
        host, port = parts.hostname, parts.port
    except ValueError as err:
        raise PolicyInputError(f"{original}: not a valid URL{_where(url, original)} ({err})") from None
    if not host:
        raise PolicyInputError(f"{original}: not a valid URL{_where(url, original)} (no host)")
    scheme = parts.scheme.lower()
    port = port or (443 if scheme == "https" else 80)
    try:
        infos = _resolve(host, port, timeout)
    except (OSError, UnicodeError, ValueError) as err:
        raise PolicyInputError(
            f"{original}: cannot fetch{_where(url, original)} (host {host} not found: {err})"
        ) from None
    if not infos:
        raise PolicyInputError(f"{original}: cannot fetch{_where(url, original)} (host {host} has no address)")
    for _family, _type, _proto, _name, sockaddr in infos:
        address = ipaddress.ip_address(str(sockaddr[0]).split("%", 1)[0])
        why = refusal(address, allowed)
        if why is not None:
            named = f"{host} is" if _same_address(host, address) else f"{host} resolves to {address},"
            raise PolicyInputError(
                f"{original}: refusing to fetch{_where(url, original)}: {named} {why}; "
                "apkscan only contacts public internet addresses"
            )
    addresses = tuple(dict.fromkeys((family, sockaddr) for family, _type, _proto, _name, sockaddr in infos))
    target = quote(parts.path or "/", safe=_PATH_SAFE) + (
        f"?{quote(parts.query, safe=_PATH_SAFE + '?')}" if parts.query else ""
    )
    return _Target(url, scheme, host, port, target, addresses)


def _same_address(host: str, address: ipaddress.IPv4Address | ipaddress.IPv6Address) -> bool:
    try:
        return ipaddress.ip_address(host) == address
    except ValueError:
        return False


def _connect(target: _Target, timeout: float) -> socket.socket:
    """Connect to the checked addresses in turn (IPv6 may be unreachable where IPv4 works); never look up again."""
    failure: OSError | None = None
    for family, address in target.addresses:
        sock = socket.socket(family, socket.SOCK_STREAM)
        try:
            sock.settimeout(timeout)
            sock.connect(address)
            return sock
        except OSError as err:
            sock.close()
            failure = err
        except BaseException:
            sock.close()
            raise
    raise failure or OSError(f"no address to connect to for {target.host}")


class _PinnedHTTP(http.client.HTTPConnection):
    """An HTTP connection to an address checked in advance; the Host header still names the host."""

    def __init__(self, target: _Target, timeout: float) -> None:
        super().__init__(target.host, target.port, timeout=timeout)
        self._target = target
        self._timeout = timeout

    def connect(self) -> None:
        self.sock = _connect(self._target, self._timeout)


class _PinnedHTTPS(http.client.HTTPSConnection):
    """As :class:`_PinnedHTTP`, with TLS: SNI and certificate verification use the host name."""

    def __init__(self, target: _Target, timeout: float) -> None:
        self._tls = ssl.create_default_context()  # certificate and host name checks on
        super().__init__(target.host, target.port, timeout=timeout, context=self._tls)
        self._target = target
        self._timeout = timeout

    def connect(self) -> None:
        sock = _connect(self._target, self._timeout)
        try:
            self.sock = self._tls.wrap_socket(sock, server_hostname=self._target.host)
        except BaseException:
            sock.close()
            raise


def _read_capped(resp: http.client.HTTPResponse, url: str, max_bytes: int, deadline: float) -> bytes:
    length = resp.headers.get("Content-Length")
    if length and length.isdigit() and int(length) > max_bytes:
        raise PolicyInputError(f"{url}: page is {int(length) / MIB:.1f} MiB, over the {max_bytes / MIB:.1f} MiB cap")
    chunks: list[bytes] = []
    total = 0
    while chunk := resp.read1(_CHUNK):  # returns after one receive, so the deadline is checked often
        total += len(chunk)
        if total > max_bytes:
            raise PolicyInputError(f"{url}: page is over the {max_bytes / MIB:.1f} MiB cap")
        if time.monotonic() > deadline:
            raise PolicyInputError(f"{url}: download too slow, gave up")
        chunks.append(chunk)
    return b"".join(chunks)


@dataclass(frozen=True)
class _Reply:
    status: str  # "302 Found"
    location: str | None  # where a redirect points, else None
    body: bytes = b""
    content_type: str = ""
    charset: str | None = None


def _get(target: _Target, url: str, timeout: float, max_bytes: int, deadline: float) -> _Reply:
    """One GET to the checked address; a redirect is returned, not followed."""
    conn = (_PinnedHTTPS if target.scheme == "https" else _PinnedHTTP)(target, timeout)
    try:
        conn.request("GET", target.target, headers={"User-Agent": USER_AGENT, "Accept": "text/html,text/plain,*/*"})
        resp = conn.getresponse()
        status = f"{resp.status} {resp.reason}"
        location = resp.headers.get("Location")
        if resp.status in REDIRECT_CODES and location:
            return _Reply(status, location.strip())
        if not 200 <= resp.status < 300:
            raise PolicyInputError(f"{url}: HTTP {status}{_where(target.url, url)}")
        data = _read_capped(resp, url, max_bytes, deadline)
        content_type = resp.headers.get_content_type() if resp.headers.get("Content-Type") else ""
        return _Reply(status, None, data, content_type, resp.headers.get_content_charset())
    except (OSError, http.client.HTTPException, ValueError) as err:
        if isinstance(err, PolicyInputError):
            raise
        reason = f"{type(err).__name__}: {err}" if str(err) else type(err).__name__
        raise PolicyInputError(f"{url}: cannot fetch{_where(target.url, url)} ({reason})") from None
    finally:
        conn.close()


def fetch_policy(
    url: str, timeout: float = 10, max_bytes: int = 5 * MIB, allow_networks: Iterable[str | IPNetwork] = ()
) -> PolicyDocument:
    """Download and read one policy page; every failure and every refusal is a one-line PolicyInputError.

    ``allow_networks`` exempts networks from the address check -- an operator's explicit choice (e.g. a test
    server on ``127.0.0.1/32``); by default only public addresses are contacted.
    """
    try:
        return _fetch(url, timeout, max_bytes, parse_networks(allow_networks))
    except PolicyInputError as err:
        raise PolicyInputError(printable(str(err))) from None  # URLs come from the APK: no control characters


_KINDS = {"text/html": "html", "application/xhtml+xml": "html", "text/markdown": "markdown", "text/plain": "text"}


def _fetch(url: str, timeout: float, max_bytes: int, allowed: tuple[IPNetwork, ...]) -> PolicyDocument:
    deadline = time.monotonic() + 3 * timeout
    current = url
    for _hop in range(MAX_REDIRECTS + 1):
        reply = _get(_target(current, url, allowed, timeout), url, timeout, max_bytes, deadline)
        if reply.location is None:
            return read_policy_bytes(reply.body, url, kind=_KINDS.get(reply.content_type), encoding=reply.charset)
        if time.monotonic() > deadline:
            raise PolicyInputError(f"{url}: download too slow, gave up")
        current = urljoin(current, reply.location)
    raise PolicyInputError(f"{url}: HTTP {reply.status}: more than {MAX_REDIRECTS} redirects (the last to {current})")
