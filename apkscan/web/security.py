"""The guard in front of every request: who may talk to the server, from where, and what every answer carries.

- **Host check** (loopback mode): only ``Host: 127.0.0.1``, ``localhost`` or ``[::1]`` is served. A web page on the
  internet can point a name it controls at 127.0.0.1 (DNS rebinding) and then read this server as its own origin;
  the name in ``Host`` gives it away.
- **Token** (required on any other address): every request carries it, as ``Authorization: Bearer …`` (programs),
  or the cookie a browser gets when it first opens ``/?token=…`` (the token is then taken out of the address bar).
- **Cross-site writes**: a POST or DELETE whose ``Origin`` is another site, or that the browser marks
  ``Sec-Fetch-Site: cross-site``, is refused before its body is read; forms also carry a CSRF token (:func:`csrf`).
- **Headers**: a strict Content-Security-Policy (:mod:`.csp`), no sniffing, no framing, no referrer to other
  sites, no caching.
"""

from __future__ import annotations

import hmac
import secrets
from collections.abc import Awaitable, Callable, MutableMapping
from typing import Any
from urllib.parse import urlencode, urlsplit

from starlette.datastructures import URL, Headers, QueryParams
from starlette.requests import Request
from starlette.responses import JSONResponse, PlainTextResponse, RedirectResponse, Response

Scope = MutableMapping[str, Any]
Message = MutableMapping[str, Any]
Receive = Callable[[], Awaitable[Message]]
Send = Callable[[Message], Awaitable[None]]
ASGIApp = Callable[[Scope, Receive, Send], Awaitable[None]]

TOKEN_COOKIE = "apkscan_token"
CSRF_COOKIE = "apkscan_csrf"
CSRF_FIELD = "csrf"
UNSAFE = ("POST", "PUT", "PATCH", "DELETE")
LOOPBACK_HOSTS = ("127.0.0.1", "localhost", "[::1]", "::1")
NEED_TOKEN = (
    "This apkscan server needs its access token: open the address the person running it gave you (it ends in "
    "?token=…).\n本服务器需要访问令牌：请打开运营者提供的完整网址（以 ?token=… 结尾）。"
)


def headers_for(csp: str) -> list[tuple[bytes, bytes]]:
    return [
        (b"content-security-policy", csp.encode("ascii")),
        (b"x-content-type-options", b"nosniff"),
        (b"x-frame-options", b"DENY"),
        (b"referrer-policy", b"same-origin"),  # "no-referrer" would make browsers send "Origin: null" on forms
        (b"cross-origin-opener-policy", b"same-origin"),
        (b"cross-origin-resource-policy", b"same-origin"),
        (b"permissions-policy", b"camera=(), microphone=(), geolocation=(), interest-cohort=()"),
        (b"cache-control", b"no-store"),
    ]


class Guard:
    """Pure ASGI middleware (it must not buffer upload bodies, which stream through untouched)."""

    def __init__(self, app: ASGIApp, csp: str, token: str | None, allowed_hosts: tuple[str, ...] | None) -> None:
        self.app, self.token, self.allowed_hosts = app, token, allowed_hosts
        self.extra = headers_for(csp)

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return

        async def send_with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                names = {name.lower() for name, _ in message.get("headers", [])}
                message["headers"] = [*message.get("headers", []), *(h for h in self.extra if h[0] not in names)]
            await send(message)

        refusal = self._refusal(scope)
        if refusal is not None:
            await refusal(scope, receive, send_with_headers)
            return
        await self.app(scope, receive, send_with_headers)

    def _refusal(self, scope: Scope) -> Response | None:
        headers = Headers(scope=scope)
        api = scope["path"].startswith("/api/") or scope["path"] == "/openapi.json"
        host = headers.get("host", "")
        if self.allowed_hosts is not None and _host_name(host) not in self.allowed_hosts:
            return _error(api, 421, f"this server answers to {self.allowed_hosts[0]} only, not to {host[:80]!r}")
        if self.token is not None:
            given = _bearer(headers) or Request(scope).cookies.get(TOKEN_COOKIE, "")
            query = QueryParams(scope.get("query_string", b""))
            if query.get("token") and _same(query["token"], self.token) and scope["method"] == "GET":
                return _landing(scope, query, self.token)
            if not _same(given, self.token):
                return _error(api, 401, NEED_TOKEN)
        if scope["method"] in UNSAFE and not same_origin(headers):
            return _error(api, 403, "refused: this request comes from another web site")
        return None


def _host_name(host: str) -> str:
    if host.startswith("["):
        return host.split("]", 1)[0] + "]"
    return host.rsplit(":", 1)[0].lower() if host.count(":") == 1 else host.lower()


def _bearer(headers: Headers) -> str:
    value = headers.get("authorization", "")
    scheme, _, credentials = value.partition(" ")
    return credentials.strip() if scheme.lower() == "bearer" else ""


def _same(given: str, expected: str) -> bool:
    return bool(given) and hmac.compare_digest(given.encode("utf-8", "replace"), expected.encode("utf-8"))


def same_origin(headers: Headers) -> bool:
    """False for a write a browser says comes from another site; programs (curl) send neither header."""
    site = headers.get("sec-fetch-site", "")
    if site in ("cross-site", "same-site"):
        return False
    if site == "same-origin":
        return True
    origin = headers.get("origin")
    if origin is None:
        return True
    parts = urlsplit(origin)
    return origin != "null" and parts.netloc.lower() == headers.get("host", "").lower()


def _landing(scope: Scope, query: QueryParams, token: str) -> Response:
    """``/?token=…`` from the start-up banner: keep the token in a cookie and take it out of the address bar."""
    rest = [(k, v) for k, v in query.multi_items() if k != "token"]
    target = URL(scope=scope).replace(query=urlencode(rest)).path + (f"?{urlencode(rest)}" if rest else "")
    response = RedirectResponse(target, status_code=303)
    response.set_cookie(TOKEN_COOKIE, token, httponly=True, samesite="strict", path="/")
    return response


def _error(api: bool, status: int, message: str) -> Response:
    if api:
        return JSONResponse({"error": message}, status_code=status)
    return PlainTextResponse(message, status_code=status)


def csrf(request: Request) -> tuple[str, bool]:
    """The form token of this browser: (value, whether the cookie must be set on the response)."""
    value = request.cookies.get(CSRF_COOKIE, "")
    if len(value) >= 32:
        return value, False
    return secrets.token_urlsafe(32), True


def set_csrf(response: Response, value: str) -> None:
    response.set_cookie(CSRF_COOKIE, value, httponly=True, samesite="strict", path="/")


def csrf_ok(request: Request, submitted: str) -> bool:
    """The double-submit check: the form's hidden field equals this browser's cookie (another site reads neither)."""
    return _same(submitted, request.cookies.get(CSRF_COOKIE, ""))
