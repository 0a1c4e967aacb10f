"""The front page: drop an APK (and, if you have it, the app's privacy policy) and send it to be checked."""

from __future__ import annotations

from starlette.requests import ClientDisconnect, Request
from starlette.responses import RedirectResponse, Response
from starlette.routing import Route

from apkscan.render.i18n import t
from apkscan.web.intake import accept_upload
from apkscan.web.pages import choose_lang, render
from apkscan.web.upload import FormError
from apkscan.web.views import state


async def home(request: Request) -> Response:
    return render(request, "upload.html.j2", error=None, detail="")


async def upload(request: Request) -> Response:
    web = state(request)
    try:
        accepted = await accept_upload(request, web.service, check_csrf=True)
    except FormError as err:
        message = t(err.key, choose_lang(request), mb=web.config.max_upload_mb)
        return render(request, "upload.html.j2", status=err.status, error=message, detail=str(err))
    except ClientDisconnect:
        return Response(status_code=400)
    return RedirectResponse(f"/scans/{accepted.id}", status_code=303)


routes = [
    Route("/", home, methods=["GET"]),
    Route("/scans", upload, methods=["POST"]),
]
