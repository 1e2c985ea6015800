"""A scripted HTTP server on 127.0.0.1 (port 0) in a thread, for tests.

    with ScriptedServer() as srv:
        srv.route("/feed", Route(body=b"<rss/>", headers={"Content-Type": "application/rss+xml"}))
        fetch(srv.url("/feed"), ...)
        assert srv.requests[0].headers["if-none-match"] == '"v1"'

Each Route says what to send: status, headers, body, and optional misbehaviour
(delay, drip, endless chunked body, gzip bomb, false Content-Length, redirect).
"""
from __future__ import annotations

import gzip
import threading
import time
import zlib
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Callable

MAX_MISBEHAVE_SECONDS = 10.0  # endless and drip bodies stop after this, whatever happens


@dataclass
class Route:
    """What the server answers on one path."""

    status: int = 200
    headers: dict[str, str] = field(default_factory=dict)
    body: bytes = b""
    delay: float = 0.0  # seconds before the status line
    drip: tuple[int, float] | None = None  # (bytes per write, seconds between writes)
    endless: bool = False  # chunked body that never ends
    gzip_bomb: int = 0  # > 0: body = gzip of this many zero bytes, Content-Encoding: gzip
    content_length: int | None = None  # declared Content-Length, true or not
    redirect: str | None = None  # Location (status 302 unless status is a 3xx)
    etag: str | None = None  # answers 304 when If-None-Match matches
    last_modified: str | None = None  # answers 304 when If-Modified-Since matches
    chunked: bool = False  # send body with Transfer-Encoding: chunked


@dataclass
class Recorded:
    method: str
    path: str
    headers: dict[str, str]  # lower-case names


_BOMBS: dict[int, bytes] = {}


def gzip_bomb(size: int) -> bytes:
    """Gzip of ``size`` zero bytes (cached; made in 1 MiB steps)."""
    if size not in _BOMBS:
        comp = zlib.compressobj(9, zlib.DEFLATED, zlib.MAX_WBITS | 16)
        block, out, left = b"\0" * (1 << 20), [], size
        while left > 0:
            out.append(comp.compress(block[:min(left, len(block))]))
            left -= len(block)
        out.append(comp.flush())
        _BOMBS[size] = b"".join(out)
    return _BOMBS[size]


class ScriptedServer:
    """Threaded stdlib HTTP server on 127.0.0.1 with scripted routes."""

    def __init__(self) -> None:
        self.routes: dict[str, Route | Callable[[Recorded], Route]] = {}
        self.requests: list[Recorded] = []
        self.stopping = threading.Event()
        self._httpd = ThreadingHTTPServer(("127.0.0.1", 0), _make_handler(self))
        self._httpd.daemon_threads = True
        self._httpd.block_on_close = False
        self._thread = threading.Thread(target=self._httpd.serve_forever,
                                        kwargs={"poll_interval": 0.05}, daemon=True)

    @property
    def port(self) -> int:
        return self._httpd.server_address[1]

    def url(self, path: str = "/") -> str:
        return f"http://127.0.0.1:{self.port}{path}"

    def route(self, path: str, spec: Route | Callable[[Recorded], Route]) -> str:
        """Script ``path`` (a Route, or a function of the request giving one); returns its URL."""
        if isinstance(spec, Route) and spec.gzip_bomb:
            gzip_bomb(spec.gzip_bomb)  # made now, not while the client's timeout runs
        self.routes[path] = spec
        return self.url(path)

    def requests_to(self, path: str) -> list[Recorded]:
        return [r for r in self.requests if r.path == path]

    def start(self) -> "ScriptedServer":
        self._thread.start()
        return self

    def stop(self) -> None:
        self.stopping.set()
        self._httpd.shutdown()
        self._httpd.server_close()
        self._thread.join(timeout=2)

    def __enter__(self) -> "ScriptedServer":
        return self.start()

    def __exit__(self, *exc) -> None:
        self.stop()


def _make_handler(server: ScriptedServer):
    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"

        def log_message(self, *args) -> None:  # keep test output quiet
            pass

        def do_GET(self) -> None:
            rec = Recorded("GET", self.path, {k.lower(): v for k, v in self.headers.items()})
            server.requests.append(rec)
            spec = server.routes.get(self.path.split("?", 1)[0])
            if spec is None:
                spec = Route(status=404, body=b"not found")
            elif callable(spec):
                spec = spec(rec)
            try:
                self._answer(spec, rec)
            except (BrokenPipeError, ConnectionResetError, ConnectionAbortedError):
                pass
            self.close_connection = True

        do_HEAD = do_GET

        def _answer(self, spec: Route, rec: Recorded) -> None:
            if spec.delay:
                time.sleep(spec.delay)
            status, body = spec.status, spec.body
            headers = dict(spec.headers)
            if spec.etag:
                headers["ETag"] = spec.etag
            if spec.last_modified:
                headers["Last-Modified"] = spec.last_modified
            if (spec.etag and rec.headers.get("if-none-match") == spec.etag) or (
                    spec.last_modified
                    and rec.headers.get("if-modified-since") == spec.last_modified):
                status, body = 304, b""
            if spec.redirect is not None:
                headers["Location"] = spec.redirect
                status = status if 300 <= status < 400 else 302
            if spec.gzip_bomb:
                body = gzip_bomb(spec.gzip_bomb)
                headers["Content-Encoding"] = "gzip"
            chunked = spec.endless or spec.chunked
            self.send_response(status)
            for name, value in headers.items():
                self.send_header(name, value)
            if chunked:
                self.send_header("Transfer-Encoding", "chunked")
            elif status != 304:
                length = spec.content_length if spec.content_length is not None else len(body)
                self.send_header("Content-Length", str(length))
            self.send_header("Connection", "close")
            self.end_headers()
            if status == 304 or self.command == "HEAD":
                return
            if spec.endless:
                self._endless(spec)
            elif spec.drip:
                self._drip(body, *spec.drip, chunked=chunked)
            elif chunked:
                self._chunk(body)
                self.wfile.write(b"0\r\n\r\n")
            else:
                self.wfile.write(body)
            self.wfile.flush()

        def _chunk(self, data: bytes) -> None:
            if data:
                self.wfile.write(b"%x\r\n%s\r\n" % (len(data), data))
                self.wfile.flush()

        def _endless(self, spec: Route) -> None:
            block = spec.body or b"<p>" + b"x" * 8192 + b"</p>\n"
            step, pause = spec.drip or (len(block), 0.0)
            stop = time.monotonic() + MAX_MISBEHAVE_SECONDS
            while not server.stopping.is_set() and time.monotonic() < stop:
                self._chunk(block[:step])
                if pause:
                    time.sleep(pause)

        def _drip(self, body: bytes, step: int, pause: float, chunked: bool) -> None:
            stop = time.monotonic() + MAX_MISBEHAVE_SECONDS
            for i in range(0, len(body), step):
                if server.stopping.is_set() or time.monotonic() > stop:
                    return
                piece = body[i:i + step]
                self._chunk(piece) if chunked else (self.wfile.write(piece), self.wfile.flush())
                time.sleep(pause)
            if chunked:
                self.wfile.write(b"0\r\n\r\n")

    return Handler


def gzip_bytes(data: bytes) -> bytes:
    """Plain gzip, for routes that send a correct compressed body."""
    return gzip.compress(data)
