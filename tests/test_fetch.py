"""workers.fetch against a real scripted server on 127.0.0.1."""
from __future__ import annotations

import socket
import time
from datetime import datetime, timedelta, timezone
from email.utils import format_datetime

import pytest

from workers.fetch import FetchPolicy, fetch, make_client, parse_retry_after
from workers.model import FetchError

try:
    from httpserver import Route, gzip_bytes
except ImportError:  # tests/ became a package
    from tests.httpserver import Route, gzip_bytes

LOCAL = FetchPolicy(connect_timeout=1, read_timeout=1, total_timeout=3,
                    max_bytes=256 * 1024, allow_private=True)
HTML = {"Content-Type": "text/html; charset=utf-8"}
PAGE = b"<html><body><p>" + b"Hello world. " * 50 + b"</p></body></html>"


def fake_resolver(table: dict[str, str]):
    """getaddrinfo look-alike answering from ``table``; IP literals answer themselves."""
    calls: list[str] = []

    def resolve(host, port, family=0, type=0, proto=0, flags=0):
        calls.append(host)
        ip = table.get(host, host)
        try:
            socket.inet_pton(socket.AF_INET6 if ":" in ip else socket.AF_INET, ip)
        except OSError:
            raise socket.gaierror(socket.EAI_NONAME, "Name or service not known")
        fam = socket.AF_INET6 if ":" in ip else socket.AF_INET
        return [(fam, socket.SOCK_STREAM, 6, "", (ip, port))]

    resolve.calls = calls
    return resolve


@pytest.fixture
def connections(monkeypatch):
    """Records every outgoing TCP connection address (and still makes it)."""
    seen: list[tuple] = []
    real = socket.create_connection

    def spy(address, *args, **kwargs):
        seen.append(address)
        return real(address, *args, **kwargs)

    monkeypatch.setattr(socket, "create_connection", spy)
    return seen


def test_plain_get_returns_body_and_headers(http_server):
    url = http_server.route("/a", Route(body=PAGE, headers=HTML))
    res = fetch(url, policy=LOCAL)
    assert res.status == 200 and res.body == PAGE and res.url == url
    assert res.headers["content-type"].startswith("text/html")
    sent = http_server.requests_to("/a")[0].headers
    assert sent["user-agent"].startswith("aidewatch/")
    assert "text/html" in sent["accept"]


def test_conditional_get_round_trip(http_server):
    lm = "Wed, 21 Oct 2015 07:28:00 GMT"
    url = http_server.route("/feed", Route(body=b"<rss/>", etag='W/"v1"', last_modified=lm,
                                           headers={"Content-Type": "application/rss+xml"}))
    first = fetch(url, policy=LOCAL)
    assert first.status == 200 and first.etag == 'W/"v1"' and first.last_modified == lm
    second = fetch(url, etag=first.etag, last_modified=first.last_modified, policy=LOCAL)
    assert second.status == 304 and second.not_modified and second.body == b""
    assert second.etag == 'W/"v1"' and second.last_modified == lm
    sent = http_server.requests_to("/feed")[1].headers
    assert sent["if-none-match"] == 'W/"v1"'  # exactly as received
    assert sent["if-modified-since"] == lm
    assert "if-none-match" not in http_server.requests_to("/feed")[0].headers


def test_gzip_body_is_decoded(http_server):
    url = http_server.route("/gz", Route(body=gzip_bytes(PAGE),
                                         headers={**HTML, "Content-Encoding": "gzip"}))
    assert fetch(url, policy=LOCAL).body == PAGE


def test_500_is_transient_http_error(http_server):
    url = http_server.route("/500", Route(status=500, body=b"oops"))
    with pytest.raises(FetchError) as err:
        fetch(url, policy=LOCAL)
    assert err.value.reason == "http_error" and err.value.status == 500
    assert err.value.transient


def test_404_is_permanent(http_server):
    with pytest.raises(FetchError) as err:
        fetch(http_server.url("/missing"), policy=LOCAL)
    assert err.value.reason == "http_error" and err.value.status == 404
    assert not err.value.transient


def test_429_with_retry_after_seconds(http_server):
    url = http_server.route("/429", Route(status=429, headers={"Retry-After": "120"}))
    with pytest.raises(FetchError) as err:
        fetch(url, policy=LOCAL)
    assert err.value.status == 429 and err.value.transient and err.value.retry_after == 120.0


def test_503_with_retry_after_date(http_server):
    when = format_datetime(datetime.now(timezone.utc) + timedelta(seconds=90), usegmt=True)
    url = http_server.route("/503", Route(status=503, headers={"Retry-After": when}))
    with pytest.raises(FetchError) as err:
        fetch(url, policy=LOCAL)
    assert err.value.transient and 80 <= err.value.retry_after <= 91


def test_parse_retry_after_forms():
    now = datetime(2024, 1, 1, 12, 0, 0, tzinfo=timezone.utc)
    assert parse_retry_after("30") == 30.0
    assert parse_retry_after("Mon, 01 Jan 2024 12:01:00 GMT", now=now) == 60.0
    assert parse_retry_after("Mon, 01 Jan 2024 11:00:00 GMT", now=now) == 0.0
    assert parse_retry_after("soon") is None
    assert parse_retry_after("") is None and parse_retry_after(None) is None
    assert parse_retry_after("-5") is None


def test_slow_drip_times_out(http_server):
    body = b"x" * 4000
    url = http_server.route("/drip", Route(body=body, headers=HTML, drip=(10, 0.05)))
    policy = FetchPolicy(read_timeout=1, total_timeout=0.5, allow_private=True)
    start = time.monotonic()
    with pytest.raises(FetchError) as err:
        fetch(url, policy=policy)
    assert err.value.reason == "timeout" and err.value.transient
    assert time.monotonic() - start < 2


def test_silent_server_read_timeout(http_server):
    url = http_server.route("/slow", Route(body=PAGE, headers=HTML, delay=1.5))
    policy = FetchPolicy(read_timeout=0.3, total_timeout=5, allow_private=True)
    with pytest.raises(FetchError) as err:
        fetch(url, policy=policy)
    assert err.value.reason == "timeout"


def test_endless_chunked_body_is_cut(http_server):
    url = http_server.route("/endless", Route(endless=True, headers=HTML))
    with pytest.raises(FetchError) as err:
        fetch(url, policy=LOCAL)
    assert err.value.reason == "too_large"


def test_endless_slow_chunked_body_times_out(http_server):
    url = http_server.route("/endless-slow", Route(endless=True, drip=(100, 0.02),
                                                   headers=HTML))
    policy = FetchPolicy(read_timeout=1, total_timeout=0.5, allow_private=True)
    with pytest.raises(FetchError) as err:
        fetch(url, policy=policy)
    assert err.value.reason == "timeout"


def test_gzip_bomb_counted_after_decompression(http_server):
    url = http_server.route("/bomb", Route(gzip_bomb=50 * 1024 * 1024, headers=HTML))
    with pytest.raises(FetchError) as err:
        fetch(url, policy=LOCAL)  # compressed ~50 KiB < cap, decompressed 50 MiB > cap
    assert err.value.reason == "too_large"


def test_oversize_page(http_server):
    url = http_server.route("/big", Route(body=b"a" * (LOCAL.max_bytes + 1), headers=HTML))
    with pytest.raises(FetchError) as err:
        fetch(url, policy=LOCAL)
    assert err.value.reason == "too_large"


def test_oversize_page_without_content_length(http_server):
    url = http_server.route("/big-chunked", Route(body=b"a" * (LOCAL.max_bytes + 1),
                                                  chunked=True, headers=HTML))
    with pytest.raises(FetchError) as err:
        fetch(url, policy=LOCAL)
    assert err.value.reason == "too_large"


def test_false_content_length_too_long_for_body(http_server):
    url = http_server.route("/short", Route(body=b"<p>short</p>", content_length=5000,
                                            headers=HTML))
    with pytest.raises(FetchError) as err:
        fetch(url, policy=LOCAL)
    assert err.value.reason == "protocol_error" and err.value.transient


def test_false_content_length_over_cap_refused_before_reading(http_server):
    url = http_server.route("/liar", Route(body=b"<p>x</p>", content_length=10 ** 9,
                                           headers=HTML))
    with pytest.raises(FetchError) as err:
        fetch(url, policy=LOCAL)
    assert err.value.reason == "too_large"


def test_redirects_followed_and_final_url_reported(http_server):
    http_server.route("/r1", Route(redirect="/r2", status=301))
    http_server.route("/r2", Route(redirect=http_server.url("/final")))
    http_server.route("/final", Route(body=PAGE, headers=HTML))
    res = fetch(http_server.url("/r1"), policy=LOCAL)
    assert res.url == http_server.url("/final") and res.body == PAGE


def test_redirect_loop(http_server):
    http_server.route("/loop-a", Route(redirect="/loop-b"))
    http_server.route("/loop-b", Route(redirect="/loop-a"))
    with pytest.raises(FetchError) as err:
        fetch(http_server.url("/loop-a"), policy=LOCAL)
    assert err.value.reason == "too_many_redirects"
    assert len(http_server.requests) == LOCAL.max_redirects + 1


def test_redirect_to_private_address_refused_before_connecting(http_server, connections):
    """The guard is on (allow_private=False); only the test server's own IP is let through."""
    resolver = fake_resolver({"metadata.test": "169.254.169.254", "intranet.test": "10.0.0.7"})
    policy = FetchPolicy(connect_timeout=1, read_timeout=1, total_timeout=3,
                         allow_networks=("127.0.0.1/32",))
    for host in ("metadata.test", "intranet.test"):
        path = f"/to-{host}"
        http_server.route(path, Route(redirect=f"http://{host}/latest/meta-data/"))
        with pytest.raises(FetchError) as err:
            fetch(http_server.url(path), policy=policy, resolver=resolver)
        assert err.value.reason == "private_address" and not err.value.transient
        assert host in resolver.calls
    assert connections and all(addr[0] == "127.0.0.1" for addr in connections)


def test_redirect_to_loopback_numeric_form_refused(http_server, connections):
    policy = FetchPolicy(allow_networks=("127.0.0.1/32",))
    http_server.route("/to-127-2", Route(redirect="http://0x7f000002/"))
    with pytest.raises(FetchError) as err:
        fetch(http_server.url("/to-127-2"), policy=policy)
    assert err.value.reason == "private_address"
    assert all(addr[0] == "127.0.0.1" for addr in connections)


def test_guard_on_by_default_refuses_loopback_without_connecting(http_server, connections):
    url = http_server.route("/a", Route(body=PAGE, headers=HTML))
    with pytest.raises(FetchError) as err:
        fetch(url)
    assert err.value.reason == "private_address"
    assert connections == [] and http_server.requests == []


def test_transport_checks_again_at_connect_time(http_server, connections):
    """A reused client's transport refuses a host even if the pre-check were skipped."""
    resolver = fake_resolver({"rebind.test": "10.9.9.9"})
    client = make_client(FetchPolicy(), resolver=resolver)
    with client, pytest.raises(FetchError) as err:
        client.get("http://rebind.test/")
    assert err.value.reason == "private_address" and connections == []


def test_host_name_resolved_to_checked_ip_and_host_header_kept(http_server):
    url = http_server.route("/named", Route(body=PAGE, headers=HTML))
    resolver = fake_resolver({"news.test": "127.0.0.1"})
    res = fetch(url.replace("127.0.0.1", "news.test"), policy=LOCAL, resolver=resolver)
    assert res.body == PAGE
    assert http_server.requests_to("/named")[0].headers["host"].startswith("news.test")


def test_dns_failure_is_transient(http_server):
    with pytest.raises(FetchError) as err:
        fetch("http://no-such-host.test/", policy=LOCAL, resolver=fake_resolver({}))
    assert err.value.reason == "dns_error" and err.value.transient


def test_connection_refused(http_server):
    sock = socket.socket()
    sock.bind(("127.0.0.1", 0))
    port = sock.getsockname()[1]
    sock.close()  # nothing listens there now
    with pytest.raises(FetchError) as err:
        fetch(f"http://127.0.0.1:{port}/", policy=LOCAL)
    assert err.value.reason == "connect_error" and err.value.transient


@pytest.mark.parametrize("url", ["file:///etc/passwd", "ftp://127.0.0.1/x",
                                 "gopher://127.0.0.1/", "javascript:alert(1)"])
def test_bad_scheme(url, connections):
    with pytest.raises(FetchError) as err:
        fetch(url, policy=LOCAL)
    assert err.value.reason == "bad_scheme" and connections == []


def test_redirect_to_file_scheme_refused(http_server):
    http_server.route("/to-file", Route(redirect="file:///etc/passwd"))
    with pytest.raises(FetchError) as err:
        fetch(http_server.url("/to-file"), policy=LOCAL)
    assert err.value.reason == "bad_scheme"


def test_bad_url():
    with pytest.raises(FetchError) as err:
        fetch("http://", policy=LOCAL)
    assert err.value.reason == "bad_url"


def test_binary_content_refused_and_caller_can_widen(http_server):
    png = b"\x89PNG\r\n\x1a\n" + b"\0" * 100
    url = http_server.route("/img", Route(body=png, headers={"Content-Type": "image/png"}))
    with pytest.raises(FetchError) as err:
        fetch(url, policy=LOCAL)
    assert err.value.reason == "binary_content"
    assert fetch(url, policy=LOCAL, accept_types=("image/",)).body == png


def test_feed_and_json_types_accepted(http_server):
    for path, ctype in (("/atom", "application/atom+xml"), ("/json", "application/json"),
                        ("/x", "application/vnd.custom+xml"), ("/none", "")):
        headers = {"Content-Type": ctype} if ctype else {}
        url = http_server.route(path, Route(body=b"<feed/>", headers=headers))
        assert fetch(url, policy=LOCAL).body == b"<feed/>"


def test_unknown_content_encoding(http_server):
    url = http_server.route("/br", Route(body=b"xx", headers={**HTML,
                                                              "Content-Encoding": "br"}))
    with pytest.raises(FetchError) as err:
        fetch(url, policy=LOCAL)
    assert err.value.reason == "decode_error"


def test_shared_client_reused(http_server):
    url = http_server.route("/a", Route(body=PAGE, headers=HTML))
    with make_client(LOCAL) as client:
        for _ in range(3):
            assert fetch(url, policy=LOCAL, client=client).body == PAGE
