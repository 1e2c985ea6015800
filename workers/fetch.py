"""Safe HTTP GET: SSRF guard at connect time, manual redirects, size and time caps.

Every hop's URL is checked (http/https only) and its host resolved and checked
before connecting; the socket then connects to exactly the checked address
(a custom httpcore network backend), so DNS rebinding cannot slip past the guard.
TLS SNI and the Host header keep the original name.
"""
from __future__ import annotations

import socket
import time
import zlib
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import datetime, timezone
from email.utils import parsedate_to_datetime
from urllib.parse import urljoin

import httpcore
import httpx

from workers.model import FetchError, FetchResult
from workers.netguard import Resolver, resolve_public

DEFAULT_ACCEPT = ("text/html,application/xhtml+xml,application/rss+xml,application/atom+xml,"
                  "application/xml;q=0.9,text/xml;q=0.9,application/json;q=0.8,*/*;q=0.5")
# Content types fetch() lets through by default: "x/" = prefix, "+x" = suffix, else exact.
TEXT_TYPES = ("text/", "application/xhtml+xml", "application/xml", "application/rss+xml",
              "application/atom+xml", "application/rdf+xml", "application/json",
              "application/feed+json", "+xml", "+json")
REDIRECT_STATUSES = frozenset({301, 302, 303, 307, 308})
TRANSIENT_STATUSES = frozenset({408, 425, 429, 500, 502, 503, 504, 507, 509, 520, 521,
                                522, 523, 524})
_CHUNK = 64 * 1024


@dataclass(frozen=True)
class FetchPolicy:
    """Caps and settings for one fetch (timeouts in seconds, sizes in bytes)."""

    connect_timeout: float = 5.0
    read_timeout: float = 15.0
    total_timeout: float = 30.0  # wall clock for all hops and the whole body
    max_bytes: int = 5 * 1024 * 1024  # counted after decompression
    max_redirects: int = 5
    allow_private: bool = False  # AIDEWATCH_ALLOW_PRIVATE_ADDRESSES=1
    user_agent: str = "aidewatch/0.1 (+https://github.com/aidewatch)"
    accept: str = DEFAULT_ACCEPT
    allow_networks: tuple[str, ...] = ()  # networks let through despite the guard


def parse_retry_after(value: str | None, now: datetime | None = None) -> float | None:
    """Seconds to wait from a Retry-After header (delta-seconds or HTTP date).

    Dates in the past give 0.0; missing or unreadable values give None.
    """
    if not value or not value.strip():
        return None
    value = value.strip()
    if value.isdigit():
        return float(value)
    try:
        when = parsedate_to_datetime(value)
    except (TypeError, ValueError, IndexError):
        return None
    if when is None:
        return None
    if when.tzinfo is None:
        when = when.replace(tzinfo=timezone.utc)
    now = now or datetime.now(timezone.utc)
    if now.tzinfo is None:
        now = now.replace(tzinfo=timezone.utc)
    return max(0.0, (when - now).total_seconds())


class _GuardedBackend(httpcore.SyncBackend):
    """Resolves through the SSRF guard and connects to the checked IP only."""

    def __init__(self, policy: FetchPolicy, resolver: Resolver):
        self.policy = policy
        self.resolver = resolver

    def connect_tcp(self, host, port, timeout=None, local_address=None, socket_options=None):
        ips = resolve_public(host, port, allow_private=self.policy.allow_private,
                             resolver=self.resolver,
                             allow_networks=self.policy.allow_networks)
        last: Exception | None = None
        for ip in ips:
            try:
                return super().connect_tcp(ip, port, timeout, local_address, socket_options)
            except (httpcore.ConnectError, httpcore.ConnectTimeout) as exc:
                last = exc
        assert last is not None
        raise last


class _GuardedTransport(httpx.HTTPTransport):
    def __init__(self, backend: _GuardedBackend):
        super().__init__(trust_env=False)
        # HTTPTransport does not expose network_backend; swap in an equivalent pool.
        self._pool = httpcore.ConnectionPool(
            ssl_context=httpx.create_ssl_context(trust_env=False),
            max_connections=10, network_backend=backend)


def make_client(policy: FetchPolicy = FetchPolicy(), *,
                resolver: Resolver | None = None) -> httpx.Client:
    """An httpx client whose connections go only to guard-approved addresses.

    Reuse it across fetch() calls (pass it as ``client``) to keep connections alive.
    """
    backend = _GuardedBackend(policy, resolver or socket.getaddrinfo)
    return httpx.Client(transport=_GuardedTransport(backend), trust_env=False,
                        follow_redirects=False, headers={"User-Agent": policy.user_agent})


def _check_url(url: str) -> httpx.URL:
    try:
        parsed = httpx.URL(url)
    except (httpx.InvalidURL, TypeError, ValueError) as exc:
        raise FetchError("bad_url", f"{url!r}: {exc}") from exc
    if parsed.scheme not in ("http", "https"):
        raise FetchError("bad_scheme", f"only http and https are fetched: {url!r}")
    if not parsed.host:
        raise FetchError("bad_url", f"no host in {url!r}")
    return parsed


def _acceptable(content_type: str, accept_types: tuple[str, ...]) -> bool:
    mime = content_type.split(";", 1)[0].strip().lower()
    if not mime:
        return True
    for pat in accept_types:
        if (pat.endswith("/") and mime.startswith(pat)) or \
                (pat.startswith("+") and mime.endswith(pat)) or mime == pat:
            return True
    return False


def _map_httpx_error(exc: Exception, url: str) -> FetchError:
    if isinstance(exc, httpx.TimeoutException):
        return FetchError("timeout", f"{url}: {type(exc).__name__}", transient=True)
    if isinstance(exc, httpx.RemoteProtocolError):
        return FetchError("protocol_error", f"{url}: {exc}", transient=True)
    if isinstance(exc, httpx.UnsupportedProtocol):
        return FetchError("bad_scheme", f"{url}: {exc}")
    return FetchError("connect_error", f"{url}: {type(exc).__name__}: {exc}", transient=True)


class _Decoder:
    """Incremental Content-Encoding decoder with bounded output per step."""

    def __init__(self, encoding: str):
        enc = encoding.strip().lower()
        self.wbits = None
        if enc in ("", "identity"):
            return
        if enc in ("gzip", "x-gzip"):
            self.wbits = zlib.MAX_WBITS | 16
        elif enc == "deflate":
            self.wbits = zlib.MAX_WBITS
        else:
            raise FetchError("decode_error", f"unsupported Content-Encoding {encoding!r}")
        self.deflate = enc == "deflate"
        self.started = False
        self.obj = zlib.decompressobj(self.wbits)

    def decode(self, data: bytes) -> Iterator[bytes]:
        if self.wbits is None:
            if data:
                yield data
            return
        buf = data
        while True:
            if self.obj.eof:  # gzip with several members, or trailing junk
                buf = self.obj.unused_data + buf
                if not buf.strip(b"\0"):
                    return
                self.obj = zlib.decompressobj(self.wbits)
            try:
                out = self.obj.decompress(buf, _CHUNK)
            except zlib.error as exc:
                if self.deflate and not self.started:  # raw deflate without zlib header
                    self.wbits = -zlib.MAX_WBITS
                    self.obj = zlib.decompressobj(self.wbits)
                    self.started = True
                    continue
                raise FetchError("decode_error", f"bad compressed body: {exc}") from exc
            self.started = True
            if out:
                yield out
            buf = self.obj.unconsumed_tail
            if not buf and len(out) < _CHUNK:
                return


def _read_body(resp: httpx.Response, policy: FetchPolicy, deadline: float) -> bytes:
    url = str(resp.url)
    declared = resp.headers.get("content-length", "").strip()
    encoding = resp.headers.get("content-encoding", "")
    if declared.isdigit() and int(declared) > policy.max_bytes:
        raise FetchError("too_large", f"{url}: Content-Length {declared} > {policy.max_bytes}")
    decoder = _Decoder(encoding)
    parts: list[bytes] = []
    size = raw_size = 0
    try:
        for raw in resp.iter_raw():
            raw_size += len(raw)
            if raw_size > policy.max_bytes:
                raise FetchError("too_large", f"{url}: body over {policy.max_bytes} bytes")
            for out in decoder.decode(raw):
                size += len(out)
                if size > policy.max_bytes:
                    raise FetchError("too_large",
                                     f"{url}: decoded body over {policy.max_bytes} bytes")
                parts.append(out)
            if time.monotonic() > deadline:
                raise FetchError("timeout", f"{url}: body not complete within "
                                 f"{policy.total_timeout}s", transient=True)
    except httpx.HTTPError as exc:
        raise _map_httpx_error(exc, url) from exc
    return b"".join(parts)


def _error_for_status(resp: httpx.Response) -> FetchError:
    status = resp.status_code
    transient = status in TRANSIENT_STATUSES or status >= 500
    retry_after = parse_retry_after(resp.headers.get("retry-after"))
    return FetchError("http_error", f"{resp.url}: HTTP {status}", transient=transient,
                      retry_after=retry_after, status=status)


def fetch(url: str, *, etag: str | None = None, last_modified: str | None = None,
          policy: FetchPolicy = FetchPolicy(), resolver: Resolver | None = None,
          client: httpx.Client | None = None,
          accept_types: tuple[str, ...] = TEXT_TYPES) -> FetchResult:
    """GET ``url`` safely; conditional when ``etag``/``last_modified`` are given.

    Redirects are followed by hand (each hop checked). Returns a FetchResult (status
    200-299, or 304 when not modified). ``accept_types`` lists the content types
    taken ("text/" prefix, "+xml" suffix, or exact). Raises FetchError with reason
    bad_url, bad_scheme, private_address, dns_error, connect_error, timeout,
    protocol_error, too_large, decode_error, too_many_redirects, http_error or
    binary_content. ``client`` should come from make_client() with the same policy.
    """
    resolver = resolver or socket.getaddrinfo
    own_client = client is None
    if client is None:
        client = make_client(policy, resolver=resolver)
    try:
        return _fetch(client, url, etag, last_modified, policy, resolver, accept_types)
    finally:
        if own_client:
            client.close()


def _fetch(client, url, etag, last_modified, policy, resolver, accept_types) -> FetchResult:
    deadline = time.monotonic() + policy.total_timeout
    headers = {"User-Agent": policy.user_agent, "Accept": policy.accept,
               "Accept-Encoding": "gzip, deflate"}
    if etag:
        headers["If-None-Match"] = etag
    if last_modified:
        headers["If-Modified-Since"] = last_modified
    current = url
    for _hop in range(policy.max_redirects + 1):
        target = _check_url(current)
        # Refuse before any connection; the transport checks again at connect time.
        resolve_public(target.host, target.port or (443 if target.scheme == "https" else 80),
                       allow_private=policy.allow_private, resolver=resolver,
                       allow_networks=policy.allow_networks)
        remaining = deadline - time.monotonic()
        if remaining <= 0:
            raise FetchError("timeout", f"{current}: total time exceeded", transient=True)
        timeout = httpx.Timeout(connect=min(policy.connect_timeout, remaining),
                                read=min(policy.read_timeout, remaining),
                                write=min(policy.read_timeout, remaining),
                                pool=min(policy.connect_timeout, remaining))
        request = client.build_request("GET", target, headers=headers, timeout=timeout)
        try:
            resp = client.send(request, stream=True, follow_redirects=False)
        except httpx.HTTPError as exc:
            raise _map_httpx_error(exc, current) from exc
        try:
            status = resp.status_code
            if status in REDIRECT_STATUSES:
                location = resp.headers.get("location", "").strip()
                if not location:
                    raise FetchError("http_error", f"{current}: {status} without Location",
                                     status=status)
                current = urljoin(str(resp.url), location)
                continue
            if status >= 400:
                raise _error_for_status(resp)
            resp_headers = {k.lower(): v for k, v in resp.headers.items()}
            if status == 304:
                return FetchResult(url=str(resp.url), status=304, body=b"",
                                   headers=resp_headers,
                                   etag=resp.headers.get("etag") or etag,
                                   last_modified=resp.headers.get("last-modified")
                                   or last_modified)
            ctype = resp.headers.get("content-type", "")
            if not _acceptable(ctype, accept_types):
                raise FetchError("binary_content", f"{current}: content type {ctype!r}")
            body = _read_body(resp, policy, deadline)
            return FetchResult(url=str(resp.url), status=status, body=body,
                               headers=resp_headers, etag=resp.headers.get("etag"),
                               last_modified=resp.headers.get("last-modified"))
        finally:
            resp.close()
    raise FetchError("too_many_redirects", f"{url}: more than {policy.max_redirects} redirects")
