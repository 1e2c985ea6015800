"""Alert formatting and delivery through apprise to a real JSON webhook on 127.0.0.1."""
from __future__ import annotations

import sys
import threading
import time

import pytest

from workers.alerts import AlertError, format_alert, send_alert

try:
    from webhook import WebhookReceiver  # tests/ on sys.path (rootdir conftest)
except ImportError:  # tests/ became a package
    from tests.webhook import WebhookReceiver

EVENT = {"id": "e1", "type": "departure", "person": "Simon Fletcher",
         "role": "Director of Campaigns and Planning", "organisation": "Labour",
         "counterpart": None, "historical": False, "reported": "2017-02-17", "confidence": 0.9}
SOURCES = [
    {"article_id": "001", "url": "https://herald.example/fletcher", "outlet": "The Herald",
     "published": "2017-02-18", "evidence": "Simon Fletcher was standing down."},
    {"article_id": "000", "url": None, "outlet": "HuffPost UK", "published": "2017-02-17",
     "evidence": "Simon Fletcher  will now\nresign as his Director of Campaigns and Planning."},
]


def test_format_departure():
    title, body = format_alert(EVENT, SOURCES)
    assert title == "Simon Fletcher leaves Director of Campaigns and Planning at Labour"
    assert "Role: Director of Campaigns and Planning" in body
    assert "Organisation: Labour" in body
    assert "Reported by: HuffPost UK (2017-02-17), The Herald (2017-02-18)" in body
    # the earliest source's evidence, on one line
    assert "“Simon Fletcher will now resign as his Director of Campaigns and Planning.” (HuffPost UK)" in body
    assert "- https://herald.example/fletcher" in body
    assert "background" not in body


def test_format_appointment_with_counterpart_and_fallback_sources():
    event = {**EVENT, "type": "appointment", "person": "Karie Murphy", "role": "chief of staff",
             "counterpart": "Simon Fletcher", "historical": True,
             "sources": [{"outlet": "HuffPost UK", "evidence": "replaced by Karie Murphy"}]}
    title, body = format_alert(event, [])
    assert title == "Karie Murphy appointed chief of staff at Labour"
    assert "Replaces: Simon Fletcher" in body
    assert "background" in body
    assert "Links:" not in body


@pytest.mark.parametrize("changes, title", [
    ({"role": None}, "Simon Fletcher leaves Labour"),
    ({"organisation": None}, "Simon Fletcher leaves Director of Campaigns and Planning"),
    ({"role": None, "organisation": None}, "Simon Fletcher leaves a post"),
    ({"type": "appointment", "role": None}, "Simon Fletcher takes a post at Labour"),
    ({"type": "appointment", "role": None, "organisation": None}, "Simon Fletcher appointed to a new post"),
])
def test_format_titles_with_missing_fields(changes, title):
    assert format_alert({**EVENT, **changes}, [])[0] == title


@pytest.mark.parametrize("event, sources", [
    ({**EVENT, "type": "promotion"}, []),
    ({**EVENT, "person": " "}, []),
    ("not a dict", []),
    (EVENT, ["not a dict"]),
])
def test_format_rejects_bad_input(event, sources):
    with pytest.raises(ValueError):
        format_alert(event, sources)


def test_deliver_to_json_webhook():
    title, body = format_alert(EVENT, SOURCES)
    with WebhookReceiver() as hook:
        send_alert(f"json://127.0.0.1:{hook.port}/alerts", title, body, timeout=5)
    assert len(hook.requests) == 1
    req = hook.requests[0]
    assert req["path"] == "/alerts"
    assert req["headers"]["Content-Type"] == "application/json"
    payload = req["json"]
    assert {"title", "message", "type"} <= set(payload)
    assert payload["title"] == title and payload["message"] == body and payload["type"] == "info"


def test_receiver_error_raises_alert_error():
    with WebhookReceiver(status=500) as hook:
        with pytest.raises(AlertError) as e:
            send_alert(f"json://user:s3cret@127.0.0.1:{hook.port}/alerts", "t", "b", timeout=5)
    assert e.value.reason == "delivery_failed"
    assert e.value.status == 500 and e.value.transient
    assert "s3cret" not in str(e.value)
    assert len(hook.requests) == 1  # no retries behind our back


def test_client_error_is_not_transient():
    with WebhookReceiver(status=404) as hook:
        with pytest.raises(AlertError) as e:
            send_alert(f"json://127.0.0.1:{hook.port}/nope", "t", "b", timeout=5)
    assert e.value.status == 404 and not e.value.transient


def test_slow_receiver_times_out():
    with WebhookReceiver(delay=1.5) as hook:
        started = time.monotonic()
        with pytest.raises(AlertError) as e:
            send_alert(f"json://127.0.0.1:{hook.port}/slow", "t", "b", timeout=0.5)
        assert time.monotonic() - started < 1.4
    assert e.value.reason == "timeout" and e.value.transient


def test_connection_refused():
    with WebhookReceiver() as hook:
        port = hook.port
    with pytest.raises(AlertError) as e:
        send_alert(f"json://127.0.0.1:{port}/gone", "t", "b", timeout=2)
    assert e.value.reason in ("delivery_failed", "timeout") and e.value.transient


@pytest.mark.parametrize("url", ["", "   ", "not a url", "nosuchscheme://x", "json://", None])
def test_invalid_url(url):
    with pytest.raises(AlertError) as e:
        send_alert(url, "t", "b")
    assert e.value.reason == "invalid_url" and not e.value.transient


def test_bad_timeout():
    with pytest.raises(ValueError):
        send_alert("json://127.0.0.1:9/x", "t", "b", timeout=0)


_CONNECTS: list = []
_RECORDING = threading.Event()


def _audit(event, args):
    if event == "socket.connect" and _RECORDING.is_set():
        _CONNECTS.append(args[1])


sys.addaudithook(_audit)  # observes real connects; cannot be removed, so it records only when asked


def test_only_the_given_url_is_contacted(tmp_path, monkeypatch):
    monkeypatch.setenv("HOME", str(tmp_path))  # no user config or plugins to find
    with WebhookReceiver() as hook:
        _CONNECTS.clear()
        _RECORDING.set()
        try:
            send_alert(f"json://127.0.0.1:{hook.port}/only", "t", "b", timeout=5)
        finally:
            _RECORDING.clear()
    assert _CONNECTS and set(_CONNECTS) == {("127.0.0.1", hook.port)}
    assert list(tmp_path.iterdir()) == []  # nothing written to the home directory


# ---------------------------------------------------------------- JSON webhooks (structured payload)

def _payload(channel: str) -> dict:
    from workers.alerts import alert_payload
    return alert_payload(dict(EVENT, id="ev1"), SOURCES, channel=channel, watched="Watched Name")


def test_webhook_payload_is_structured_and_keyed_per_event_and_channel():
    from workers.alerts import idempotency_key
    p = _payload("json://127.0.0.1:9/a")
    assert p["event_id"] == "ev1" and p["type"] == EVENT["type"] and p["person"] == EVENT["person"]
    assert p["role"] == EVENT.get("role") and p["organisation"] == EVENT.get("organisation")
    assert p["watched"] == "Watched Name" and p["version"] == 1
    assert len(p["sources"]) == len(SOURCES) and all("outlet" in s and "url" in s for s in p["sources"])
    assert p["links"] and p["outlets"] and p["evidence"]["text"]
    title, body = format_alert(dict(EVENT, id="ev1"), SOURCES)
    assert p["title"] == title and p["message"] == body
    # the same key on every attempt; another channel or event gets another one
    assert p["idempotency_key"] == _payload("json://127.0.0.1:9/a")["idempotency_key"]
    assert p["idempotency_key"] == idempotency_key("ev1", "json://127.0.0.1:9/a")
    assert p["idempotency_key"] != _payload("json://127.0.0.1:9/b")["idempotency_key"]
    assert p["idempotency_key"] != idempotency_key("ev2", "json://127.0.0.1:9/a")


def test_webhook_post_sends_the_key_in_body_and_header():
    from workers.alerts import post_webhook
    with WebhookReceiver() as hook:
        url = f"json://user:s3cret@127.0.0.1:{hook.port}/alerts?+X-Token=abc&method=POST"
        payload = _payload(url)
        assert post_webhook(url, payload, timeout=5) == 200
    req = hook.requests[0]
    assert req["path"] == "/alerts"
    assert req["json"] == payload
    assert req["headers"]["Idempotency-Key"] == payload["idempotency_key"]
    assert req["headers"]["Content-Type"].startswith("application/json")
    assert req["headers"]["X-Token"] == "abc"  # apprise's +Header=value form
    assert req["headers"]["Authorization"].startswith("Basic ")


@pytest.mark.parametrize("status,transient", [(503, True), (429, True), (404, False), (302, False)])
def test_webhook_refusals_raise_alert_error(status, transient):
    from workers.alerts import post_webhook
    with WebhookReceiver(status=status) as hook:
        url = f"json://user:s3cret@127.0.0.1:{hook.port}/alerts"
        with pytest.raises(AlertError) as e:
            post_webhook(url, _payload(url), timeout=5)
    assert e.value.status == status and e.value.transient is transient
    assert "s3cret" not in str(e.value) and len(hook.requests) == 1


def test_webhook_timeout_and_refused_connection_are_transient():
    from workers.alerts import post_webhook
    with WebhookReceiver(delay=2) as hook:
        url = f"json://127.0.0.1:{hook.port}/slow"
        with pytest.raises(AlertError) as e:
            post_webhook(url, _payload(url), timeout=0.5)
    assert e.value.reason == "timeout" and e.value.transient
    from conftest import free_port
    url = f"json://127.0.0.1:{free_port()}/gone"
    with pytest.raises(AlertError) as e:
        post_webhook(url, _payload(url), timeout=2)
    assert e.value.transient
