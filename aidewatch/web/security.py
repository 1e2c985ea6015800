"""Access and hardening: the optional token (bearer header or login cookie), strict response
headers, and which URLs may become links."""
from __future__ import annotations

import hashlib
import hmac
import ipaddress
from urllib.parse import urlsplit

from starlette.middleware.base import BaseHTTPMiddleware
from starlette.requests import Request
from starlette.responses import JSONResponse, PlainTextResponse, RedirectResponse

COOKIE = "aidewatch_session"
OPEN_PATHS = ("/healthz", "/login", "/static/")  # reachable without the token (they show no data)

# No script at all, styles only from our own stylesheet, nothing framed or posted elsewhere.
CSP = ("default-src 'none'; style-src 'self'; img-src 'self'; form-action 'self'; base-uri 'none'; "
       "frame-ancestors 'none'")
HEADERS = {
    "Content-Security-Policy": CSP,
    "X-Content-Type-Options": "nosniff",
    "X-Frame-Options": "DENY",
    "Referrer-Policy": "no-referrer",
    "Cross-Origin-Opener-Policy": "same-origin",
    "Cache-Control": "no-store",
}


def http_url(value) -> str | None:
    """``value`` if it is an absolute http(s) URL safe to put in ``href``, else None
    (``javascript:``, ``data:``, relative or malformed URLs never become links)."""
    if not isinstance(value, str) or not value or len(value) > 4000:
        return None
    if any(ord(c) <= 32 or ord(c) == 127 for c in value):
        return None  # browsers strip such characters, which can turn "java\tscript:" into a scheme
    try:
        parts = urlsplit(value)
    except ValueError:
        return None
    if parts.scheme.lower() not in ("http", "https") or not parts.hostname:
        return None
    return value


def is_loopback(host: str) -> bool:
    """Whether binding to ``host`` keeps the server reachable from this machine only."""
    if host.lower() == "localhost":
        return True
    try:
        return ipaddress.ip_address(host.strip("[]")).is_loopback
    except ValueError:
        return False  # a host name may resolve anywhere


def session_value(token: str) -> str:
    """What the login cookie holds: derived from the token, never the token itself."""
    return hmac.new(token.encode(), b"aidewatch-web-session", hashlib.sha256).hexdigest()


def token_ok(request: Request, token: str) -> bool:
    auth = request.headers.get("authorization", "")
    if auth[:7].lower() == "bearer " and hmac.compare_digest(auth[7:].strip().encode(), token.encode()):
        return True
    cookie = request.cookies.get(COOKIE, "")
    return bool(cookie) and hmac.compare_digest(cookie.encode(), session_value(token).encode())


def safe_next(value: str | None) -> str:
    """A local path to go back to after logging in (never another site)."""
    if not value or not value.startswith("/") or value.startswith("//") or "\\" in value:
        return "/"
    return value


class Hardening(BaseHTTPMiddleware):
    """Adds the strict headers to every response and, with a token, turns away requests without it."""

    def __init__(self, app, token: str = ""):
        super().__init__(app)
        self.token = token

    async def dispatch(self, request: Request, call_next):
        path = request.url.path
        if self.token and not path.startswith(OPEN_PATHS) and not token_ok(request, self.token):
            response = self._refuse(request)
        else:
            response = await call_next(request)
        for k, v in HEADERS.items():
            response.headers.setdefault(k, v)
        return response

    @staticmethod
    def _refuse(request: Request):
        path = request.url.path
        if path.startswith("/api/"):
            return JSONResponse({"error": "unauthorized"}, status_code=401,
                                headers={"WWW-Authenticate": "Bearer"})
        if path in ("/metrics", "/events.atom") or request.method != "GET":
            return PlainTextResponse("unauthorized\n", status_code=401, headers={"WWW-Authenticate": "Bearer"})
        target = path + (("?" + request.url.query) if request.url.query else "")
        return RedirectResponse("/login?" + _query(next=target), status_code=303)


def _query(**params) -> str:
    from urllib.parse import urlencode
    return urlencode(params)
