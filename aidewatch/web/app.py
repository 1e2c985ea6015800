"""The Starlette application: routes, error pages, the login form and /healthz."""
from __future__ import annotations

import hmac
import logging
from pathlib import Path
from urllib.parse import parse_qs

from starlette.applications import Starlette
from starlette.exceptions import HTTPException
from starlette.middleware import Middleware
from starlette.requests import Request
from starlette.responses import JSONResponse, PlainTextResponse, RedirectResponse
from starlette.routing import Mount, Route
from starlette.staticfiles import StaticFiles

from storage import StoreError

from . import api, atom, metrics, pages
from .params import BadRequest
from .render import page
from .security import COOKIE, HEADERS, Hardening, safe_next, session_value

log = logging.getLogger(__name__)
STATIC = Path(__file__).resolve().parent / "static"
MAX_FORM = 4096  # bytes of the login form accepted


def _wants_json(request: Request) -> bool:
    return request.url.path.startswith("/api/")


def _error(request: Request, status: int, message: str):
    if _wants_json(request):
        response = JSONResponse({"error": message}, status_code=status)
    elif request.url.path in ("/metrics", "/events.atom"):
        response = PlainTextResponse(message + "\n", status_code=status)
    else:
        response = page("error.html", status=status, code=status, message=message)
    response.headers.update(HEADERS)  # a 500 is answered outside the middleware that adds them
    return response


async def _http_error(request: Request, exc: HTTPException):
    return _error(request, exc.status_code, exc.detail if exc.status_code < 500 else "server error")


async def _bad_request(request: Request, exc: BadRequest):
    return _error(request, 400, str(exc))


async def _store_down(request: Request, exc: Exception):
    log.warning("store unavailable: %s", exc.__class__.__name__)
    return _error(request, 503, "the store cannot be reached just now; try again shortly")


async def _crash(request: Request, exc: Exception):
    log.exception("error on %s", request.url.path)
    return _error(request, 500, "server error")


def healthz(request: Request):
    try:
        request.app.state.store.ping()
    except Exception as exc:  # noqa: BLE001 - any failure to answer is "unhealthy"
        return PlainTextResponse(f"store unreachable: {exc.__class__.__name__}\n", status_code=503)
    return PlainTextResponse("ok\n")


def login_form(request: Request):
    if not request.app.state.token:
        return RedirectResponse("/", status_code=303)
    return page("login.html", next=safe_next(request.query_params.get("next")), failed=False)


async def login(request: Request):
    """The only route that accepts a POST: checks the token and sets the session cookie."""
    token = request.app.state.token
    if not token:
        return RedirectResponse("/", status_code=303)
    body = b""
    async for chunk in request.stream():
        body += chunk
        if len(body) > MAX_FORM:
            return PlainTextResponse("form too large\n", status_code=413)
    form = {k: v[0] for k, v in parse_qs(body.decode("utf-8", "replace")).items()}
    target = safe_next(form.get("next"))
    if not hmac.compare_digest(form.get("token", "").encode(), token.encode()):
        return page("login.html", status=401, next=target, failed=True)
    response = RedirectResponse(target, status_code=303)
    response.set_cookie(COOKIE, session_value(token), httponly=True, samesite="strict",
                        secure=request.url.scheme == "https", path="/")
    return response


def create_app(store, *, token: str = "") -> Starlette:
    """The web app over ``store`` (a storage.Store); with ``token`` every data route needs it."""
    routes = [
        Route("/", pages.home),
        Route("/events", pages.events),
        Route("/events.atom", atom.events_atom),
        Route("/events/{event_id}", pages.event),
        Route("/people/{name}", pages.person),
        Route("/stories/{story_id}", pages.story),
        Route("/feeds", pages.feeds),
        Route("/watchlist", pages.watchlist),
        Route("/api/events", api.events),
        Route("/api/events/{event_id}", api.event),
        Route("/api/people/{name}", api.person),
        Route("/api/stories/{story_id}", api.story),
        Route("/api/feeds", api.feeds),
        Route("/api/status", api.status),
        Route("/metrics", metrics.endpoint),
        Route("/healthz", healthz),
        Route("/login", login_form, methods=["GET"]),
        Route("/login", login, methods=["POST"]),
        Mount("/static", StaticFiles(directory=str(STATIC)), name="static"),
    ]
    app = Starlette(routes=routes, middleware=[Middleware(Hardening, token=token)],
                    exception_handlers={HTTPException: _http_error, BadRequest: _bad_request,
                                        StoreError: _store_down, Exception: _crash})
    app.state.store = store
    app.state.token = token
    app.state.registry = metrics.registry_for(store)
    return app
