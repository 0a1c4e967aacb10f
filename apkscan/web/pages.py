"""Rendering the server's own pages: the shared Jinja environment plus ``web/templates``, words chosen per request.

The language comes from ``?lang=`` (remembered in a cookie), else the cookie, else the browser's Accept-Language, so
a borrower whose phone is set to Chinese gets Chinese without touching anything, and one link switches. Every page
carries the CSRF cookie its forms need, and its one inline stylesheet is the shared report CSS plus ``web.css``
(hashed into the Content-Security-Policy by :mod:`.csp`).
"""

from __future__ import annotations

from functools import cache
from importlib.resources import files
from typing import Any
from urllib.parse import urlencode

from jinja2 import ChoiceLoader, Environment, PackageLoader
from starlette.requests import Request
from starlette.responses import HTMLResponse, Response

from apkscan.model.vocab import LANGUAGES
from apkscan.render.i18n import t
from apkscan.render.templating import environment, page_context, stylesheet
from apkscan.web.security import CSRF_FIELD, csrf, set_csrf

LANG_COOKIE = "apkscan_lang"


@cache
def web_css() -> str:
    return files("apkscan").joinpath("web/templates/web.css").read_text(encoding="utf-8")


def page_style() -> str:
    """The one inline stylesheet of every server page (its hash is in the CSP)."""
    return stylesheet() + web_css()


@cache
def web_environment() -> Environment:
    base = environment()
    assert base.loader is not None
    return base.overlay(loader=ChoiceLoader([PackageLoader("apkscan", "web/templates"), base.loader]))


def choose_lang(request: Request) -> str:
    asked = request.query_params.get("lang")
    if asked in LANGUAGES:
        return asked
    remembered = request.cookies.get(LANG_COOKIE)
    if remembered in LANGUAGES:
        return remembered
    return accept_language(request.headers.get("accept-language", ""))


def accept_language(header: str) -> str:
    """zh or en from an Accept-Language header, by the browser's own preference order."""
    ranked = []
    for n, item in enumerate(header.split(",")[:20]):
        tag, _, params = item.strip().partition(";")
        weight = 1.0
        if params.strip().startswith("q="):
            try:
                weight = float(params.strip()[2:])
            except ValueError:
                weight = 0.0
        ranked.append((-weight, n, tag.strip().lower()))
    for _, _, tag in sorted(ranked):
        for lang in LANGUAGES:
            if tag == lang or tag.startswith(lang + "-"):
                return lang
    return "en"


def lang_links(request: Request) -> dict[str, str]:
    """The current page's path in each language (path and query only: never a host the client named)."""
    rest = [(k, v) for k, v in request.query_params.multi_items() if k not in ("lang", "token")]
    return {lang: f"{own_path(request)}?{urlencode([*rest, ('lang', lang)])}" for lang in LANGUAGES}


def own_path(request: Request) -> str:
    """The request's path as a link on this server: ``//evil.example/x`` would otherwise leave it."""
    return "/" + request.url.path.lstrip("/\\")


def render(request: Request, template: str, status: int = 200, **values: Any) -> Response:
    """One server page in the request's language, with the CSRF cookie its forms need."""
    state = request.app.state.web
    lang = choose_lang(request)
    token, fresh = csrf(request)
    context = page_context(lang, state.rules)
    context["css"] = page_style()
    html = (
        web_environment()
        .get_template(template)
        .render(
            **values,
            **context,
            csrf_field=CSRF_FIELD,
            csrf_token=token,
            lang_links=lang_links(request),
            config=state.config,
            path=own_path(request),
        )
    )
    response = HTMLResponse(html, status_code=status)
    if fresh:
        set_csrf(response, token)
    if request.query_params.get("lang") in LANGUAGES:
        response.set_cookie(LANG_COOKIE, lang, httponly=True, samesite="strict", path="/")
    return response


def error_page(request: Request, status: int, message_key: str, detail: str = "", **values: Any) -> Response:
    """A page that says what went wrong in the borrower's language, and the technical line under it."""
    lang = choose_lang(request)
    return render(request, "error.html.j2", status=status, message=t(message_key, lang, **values), detail=detail)
