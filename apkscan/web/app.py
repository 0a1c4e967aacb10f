"""Build the web application: routes of :mod:`.views`, the guard of :mod:`.security`, the back office of
:mod:`.service` started and stopped with the server.

Why Starlette: the small, well-kept ASGI toolkit FastAPI itself is built on (routing, requests, responses, file
downloads) without a model layer this app has no use for: the upload endpoints stream their bodies themselves and
the OpenAPI description is written by hand (:mod:`.openapi`). uvicorn serves it (:mod:`apkscan.cli.serve`).
"""

from __future__ import annotations

import contextlib
from collections.abc import AsyncIterator

from starlette.applications import Starlette
from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.responses import JSONResponse, Response

from apkscan.knowledge.rules import RuleTable, load_rules
from apkscan.web import csp
from apkscan.web.config import ServeConfig
from apkscan.web.pages import error_page, page_style
from apkscan.web.security import LOOPBACK_HOSTS, ASGIApp, Guard
from apkscan.web.service import Service
from apkscan.web.storage import DataDir
from apkscan.web.views import WebState, api, complaints, history, home, scans


async def _http_error(request: Request, exc: Exception) -> Response:
    status = exc.status_code if isinstance(exc, HTTPException) else 500
    if request.url.path.startswith("/api/"):
        message = exc.detail if isinstance(exc, HTTPException) else "internal error"
        return JSONResponse({"error": message}, status_code=status)
    key = {404: "web.error.not_found", 405: "web.error.not_found"}.get(status, "web.error.internal")
    return error_page(request, status, key)


def create_app(config: ServeConfig, rules: RuleTable | None = None) -> ASGIApp:
    """The ASGI application for ``config``; its lifespan starts and stops the scanning service."""
    rules = rules or load_rules(config.rules_path)
    service = Service(config, DataDir(config.data), rules)

    @contextlib.asynccontextmanager
    async def lifespan(app: Starlette) -> AsyncIterator[None]:
        service.start()
        try:
            yield
        finally:
            service.stop()

    app = Starlette(
        routes=[*home.routes, *scans.routes, *complaints.routes, *history.routes, *api.routes],
        exception_handlers={HTTPException: _http_error, Exception: _http_error},
        lifespan=lifespan,
    )
    app.state.web = WebState(config, rules, service)
    hosts = None if config.token is not None else tuple(dict.fromkeys((*LOOPBACK_HOSTS, config.host.lower())))
    return Guard(app, csp.policy(page_styles=(page_style(),)), config.token, hosts)
