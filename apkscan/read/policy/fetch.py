"""Fetch a policy page named in an APK — opt-in only (``--fetch-policy``).

Talking to a lender's server is the one thing apkscan does not do by default: it tells the lender someone is looking
and it trusts a URL the lender chose. So this module is narrow on purpose: http/https only, at most three redirects
and never to another scheme (no file://, ftp:// or data:), a short timeout, and a size cap enforced while reading.
Only urllib is used; the opener is built by hand so that no file, FTP or data handler is even installed.
"""

from __future__ import annotations

import time
import urllib.error
import urllib.request
from email.message import Message
from urllib.parse import urljoin, urlsplit

from apkscan.read.policy.file import MIB, PolicyDocument, PolicyInputError, read_policy_bytes

ALLOWED_SCHEMES = ("http", "https")
MAX_REDIRECTS = 3
USER_AGENT = "apkscan-policy-fetch/0.1 (+privacy audit of a loan app; one request)"
_CHUNK = 64 * 1024


def _check_scheme(url: str, original: str) -> None:
    scheme = urlsplit(url).scheme.lower()
    if scheme not in ALLOWED_SCHEMES:
        where = "" if url == original else f" (redirected to {url})"
        raise PolicyInputError(
            f"{original}: refusing to fetch a {scheme or 'scheme-less'}: URL{where}; only http and https are allowed"
        )


class _RedirectGuard(urllib.request.HTTPRedirectHandler):
    """Follows at most MAX_REDIRECTS redirects, and only to http/https."""

    max_redirections = MAX_REDIRECTS
    max_repeats = 1

    def __init__(self, original: str) -> None:
        self.original = original

    def http_error_302(self, req: urllib.request.Request, fp, code: int, msg: str, headers: Message):
        location = headers.get("location") or headers.get("uri")
        if location:
            _check_scheme(urljoin(req.full_url, location), self.original)
        return super().http_error_302(req, fp, code, msg, headers)

    http_error_301 = http_error_303 = http_error_307 = http_error_308 = http_error_302


def _opener(url: str) -> urllib.request.OpenerDirector:
    opener = urllib.request.OpenerDirector()
    for handler in (
        urllib.request.ProxyHandler(),
        urllib.request.HTTPHandler(),
        urllib.request.HTTPSHandler(),
        urllib.request.HTTPDefaultErrorHandler(),
        urllib.request.HTTPErrorProcessor(),
        _RedirectGuard(url),
    ):
        opener.add_handler(handler)
    return opener


def _read_capped(resp, url: str, max_bytes: int, deadline: float) -> bytes:
    length = resp.headers.get("Content-Length")
    if length and length.isdigit() and int(length) > max_bytes:
        raise PolicyInputError(f"{url}: page is {int(length) / MIB:.1f} MiB, over the {max_bytes / MIB:.1f} MiB cap")
    chunks: list[bytes] = []
    total = 0
    while chunk := resp.read(_CHUNK):
        total += len(chunk)
        if total > max_bytes:
            raise PolicyInputError(f"{url}: page is over the {max_bytes / MIB:.1f} MiB cap")
        if time.monotonic() > deadline:
            raise PolicyInputError(f"{url}: download too slow, gave up")
        chunks.append(chunk)
    return b"".join(chunks)


def fetch_policy(url: str, timeout: float = 10, max_bytes: int = 5 * MIB) -> PolicyDocument:
    """Download and read one policy page; every failure is a one-line PolicyInputError."""
    _check_scheme(url, url)
    if not urlsplit(url).hostname:
        raise PolicyInputError(f"{url}: not a valid URL (no host)")
    request = urllib.request.Request(url, headers={"User-Agent": USER_AGENT, "Accept": "text/html,text/plain,*/*"})
    deadline = time.monotonic() + 3 * timeout
    try:
        with _opener(url).open(request, timeout=timeout) as resp:
            data = _read_capped(resp, url, max_bytes, deadline)
            declared = resp.headers.get("Content-Type")
            content_type = resp.headers.get_content_type() if declared else ""
            charset = resp.headers.get_content_charset()
    except urllib.error.HTTPError as err:
        raise PolicyInputError(f"{url}: HTTP {err.code} {err.reason}") from None
    except urllib.error.URLError as err:
        raise PolicyInputError(f"{url}: cannot fetch ({err.reason})") from None
    except (TimeoutError, OSError, ValueError) as err:
        if isinstance(err, PolicyInputError):
            raise
        raise PolicyInputError(f"{url}: cannot fetch ({err})") from None
    kind = {
        "text/html": "html",
        "application/xhtml+xml": "html",
        "text/markdown": "markdown",
        "text/plain": "text",
    }.get(content_type)
    return read_policy_bytes(data, url, kind=kind, encoding=charset)
