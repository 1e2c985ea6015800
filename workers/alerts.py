"""Alerts for a staffing event: text (title, body), the structured JSON of webhooks with its
idempotency key, and delivery — JSON webhooks (``json://`` / ``jsons://``) posted by us, every
other channel through one apprise URL.

Apprise is confined: no plugin directories, in-memory persistent store, no redirects, socket
timeouts set on the service, and only the one URL given is added (no config files are read).
Webhooks go through the guarded HTTP client of ``workers.fetch`` (checked address, no redirects,
timeouts); the operator chose the URL, so a private address is allowed there.
"""
from __future__ import annotations

import hashlib
import inspect
import json
import re
import time
from datetime import date, datetime
from urllib.parse import quote, unquote, urlsplit

from .model import EVENT_TYPES, StageError

MAX_EVIDENCE_CHARS = 500
MAX_TITLE_CHARS = 200


class AlertError(StageError):
    """An alert could not be delivered; ``reason``: invalid_url, delivery_failed or timeout."""


# ---------------------------------------------------------------- formatting

def _clean(v: object) -> str:
    """A one-line string ('' for missing)."""
    if v is None:
        return ""
    if isinstance(v, (date, datetime)):
        return v.isoformat()[:10]
    return re.sub(r"\s+", " ", str(v)).strip()


def _headline(ev: dict) -> str:
    person, role, org = _clean(ev.get("person")), _clean(ev.get("role")), _clean(ev.get("organisation"))
    if ev["type"] == "departure":
        if role and org:
            return f"{person} leaves {role} at {org}"
        if role or org:
            return f"{person} leaves {role or org}"
        return f"{person} leaves a post"
    if role and org:
        return f"{person} appointed {role} at {org}"
    if role:
        return f"{person} appointed {role}"
    if org:
        return f"{person} takes a post at {org}"
    return f"{person} appointed to a new post"


def format_alert(event: dict, sources: list[dict], *, evidence_from: str | None = None) -> tuple[str, str]:
    """(title, body) for an exported event dict and its sources (``sources`` falls back to the event's).

    ``evidence_from`` is the ``article_id`` of the source that raised the alert: its sentence is
    quoted (not an earlier source's, which may give the move as background or word another move).
    Without it, or when that source has no evidence, the earliest source with evidence is quoted.
    Raises ``ValueError`` when the event has no valid ``type`` or ``person``.
    """
    if not isinstance(event, dict):
        raise ValueError("event must be a dict")
    if event.get("type") not in EVENT_TYPES:
        raise ValueError(f"event type must be one of {EVENT_TYPES}, got {event.get('type')!r}")
    if not _clean(event.get("person")):
        raise ValueError("event has no person")
    sources = sources or event.get("sources") or []
    if not isinstance(sources, list) or not all(isinstance(s, dict) for s in sources):
        raise ValueError("sources must be a list of dicts")
    sources = sorted(sources, key=lambda s: _clean(s.get("published")) or "9999")

    title = _headline(event)
    if len(title) > MAX_TITLE_CHARS:
        title = title[:MAX_TITLE_CHARS - 1].rstrip() + "…"
    lines = [title + "."]
    if event.get("historical"):
        lines.append("(Reported as background: this move is not new.)")
    lines.append("")
    for label, key in (("Role", "role"), ("Organisation", "organisation")):
        if _clean(event.get(key)):
            lines.append(f"{label}: {_clean(event.get(key))}")
    if _clean(event.get("counterpart")):
        rel = "Replaced by" if event["type"] == "departure" else "Replaces"
        lines.append(f"{rel}: {_clean(event['counterpart'])}")
    if _clean(event.get("reported")):
        lines.append(f"Reported: {_clean(event['reported'])}")

    outlets = list(dict.fromkeys(
        _clean(s.get("outlet")) + (f" ({_clean(s.get('published'))})" if _clean(s.get("published")) else "")
        for s in sources if _clean(s.get("outlet"))))
    if outlets:
        lines.append("Reported by: " + ", ".join(outlets))

    evidence_src = next((s for s in sources if evidence_from is not None
                         and s.get("article_id") == evidence_from and _clean(s.get("evidence"))), None) \
        or next((s for s in sources if _clean(s.get("evidence"))), None)
    evidence = _clean(evidence_src.get("evidence")) if evidence_src else _clean(event.get("evidence"))
    if evidence:
        if len(evidence) > MAX_EVIDENCE_CHARS:
            evidence = evidence[:MAX_EVIDENCE_CHARS - 1].rstrip() + "…"
        who = _clean(evidence_src.get("outlet")) if evidence_src else ""
        lines += ["", f"“{evidence}”" + (f" ({who})" if who else "")]

    urls = list(dict.fromkeys(_clean(s.get("url")) for s in sources if _clean(s.get("url"))))
    if urls:
        lines += ["", "Links:"] + [f"- {u}" for u in urls]
    return title, "\n".join(lines)


# ---------------------------------------------------------------- webhook payload

WEBHOOK_SCHEMES = {"json": "http", "jsons": "https"}
IDEMPOTENCY_HEADER = "Idempotency-Key"
PAYLOAD_VERSION = 1


def is_webhook(url: str) -> bool:
    """Is ``url`` a JSON webhook channel (posted with the structured payload)?"""
    return isinstance(url, str) and url.strip().split("://", 1)[0].lower() in WEBHOOK_SCHEMES


def idempotency_key(event_id: str, channel: str) -> str:
    """The key of the alert of one event on one channel: the same on every attempt and every
    worker, different per channel (the channel URL itself, which may hold a secret, is hashed)."""
    digest = hashlib.sha256(f"{event_id}\n{channel.strip()}".encode()).hexdigest()
    return f"aidewatch-{digest[:40]}"


def alert_payload(event: dict, sources: list[dict], *, channel: str, watched: str | None = None,
                  evidence_from: str | None = None) -> dict:
    """The JSON document posted to a webhook for ``event`` (an exported event dict with its id).

    Fields: ``version``, ``idempotency_key``, ``event_id``, ``type``, ``person``, ``role``,
    ``organisation``, ``counterpart``, ``historical``, ``reported``, ``watched``, ``evidence``
    (``text``, ``outlet``, ``article_id``, ``url`` of the report quoted), ``sources`` (one per
    article: ``article_id``, ``outlet``, ``url``, ``published``, ``evidence``), ``outlets``, ``links``,
    and ``title`` / ``message`` (the same text as the other channels get).
    """
    title, message = format_alert(event, sources, evidence_from=evidence_from)
    sources = sources or event.get("sources") or []
    ordered = sorted(sources, key=lambda s: _clean(s.get("published")) or "9999")
    quoted = next((s for s in ordered if evidence_from is not None and s.get("article_id") == evidence_from
                   and _clean(s.get("evidence"))), None) or next((s for s in ordered if _clean(s.get("evidence"))), None)

    def opt(v):
        return _clean(v) or None
    return {
        "version": PAYLOAD_VERSION,
        "idempotency_key": idempotency_key(str(event["id"]), channel),
        "event_id": str(event["id"]),
        "type": event["type"],
        "person": _clean(event.get("person")),
        "role": opt(event.get("role")),
        "organisation": opt(event.get("organisation")),
        "counterpart": opt(event.get("counterpart")),
        "historical": bool(event.get("historical")),
        "reported": opt(event.get("reported")),
        "watched": watched,
        "evidence": {"text": _clean(quoted.get("evidence")), "outlet": opt(quoted.get("outlet")),
                     "article_id": quoted.get("article_id"), "url": opt(quoted.get("url"))} if quoted else None,
        "sources": [{"article_id": s.get("article_id"), "outlet": opt(s.get("outlet")), "url": opt(s.get("url")),
                     "published": opt(s.get("published")), "evidence": opt(s.get("evidence"))} for s in ordered],
        "outlets": list(dict.fromkeys(_clean(s.get("outlet")) for s in ordered if _clean(s.get("outlet")))),
        "links": list(dict.fromkeys(_clean(s.get("url")) for s in ordered if _clean(s.get("url")))),
        "title": title,
        "message": message,
    }


def _webhook_target(url: str) -> tuple[str, dict[str, str], tuple[str, str] | None]:
    """(http(s) URL, extra headers, basic auth) of a ``json://`` / ``jsons://`` channel URL. As in
    apprise, ``+Name=value`` query parameters are headers; its other options are dropped."""
    parts = urlsplit(url.strip())
    scheme = WEBHOOK_SCHEMES.get(parts.scheme.lower())
    if scheme is None or not parts.hostname:
        raise AlertError("invalid_url", "a webhook URL is json://host[:port]/path or jsons://...")
    headers: dict[str, str] = {}
    query = []
    pairs = (p.partition("=") for p in parts.query.split("&") if p)
    for k, v in ((unquote(k), unquote(v)) for k, _, v in pairs):  # "+" stays "+" (not a space)
        if k.startswith("+") and len(k) > 1:
            headers[k[1:]] = v
        elif not k.startswith((":", "-")) and k not in _APPRISE_OPTIONS:
            query.append(f"{quote(k)}={quote(v)}")
    host = parts.hostname if ":" not in parts.hostname else f"[{parts.hostname}]"
    netloc = host + (f":{parts.port}" if parts.port else "")
    target = f"{scheme}://{netloc}{parts.path or '/'}" + (f"?{'&'.join(query)}" if query else "")
    auth = (unquote(parts.username or ""), unquote(parts.password or "")) if parts.username else None
    return target, headers, auth


_APPRISE_OPTIONS = {"method", "format", "overflow", "rto", "cto", "verify", "emojis", "store", "tz"}


def post_webhook(url: str, payload: dict, *, timeout: float = 10, client=None) -> int:
    """POST ``payload`` as JSON to a webhook channel, with its idempotency key in the
    ``Idempotency-Key`` header too; returns the HTTP status (2xx). Raises ``AlertError``
    (``transient`` for timeouts, connection errors, 429 and 5xx; redirects are not followed)."""
    import httpx

    from .fetch import FetchPolicy, make_client

    if not (isinstance(timeout, (int, float)) and timeout > 0):
        raise ValueError(f"timeout must be a positive number, got {timeout!r}")
    target, extra, auth = _webhook_target(url)
    safe = target.split("?", 1)[0]
    body = json.dumps(payload, ensure_ascii=False, sort_keys=True).encode()
    headers = {**extra, "Content-Type": "application/json; charset=utf-8",
               IDEMPOTENCY_HEADER: payload["idempotency_key"]}
    own = client is None
    client = client or make_client(FetchPolicy(connect_timeout=timeout, read_timeout=timeout,
                                               total_timeout=2 * timeout, allow_private=True))
    try:
        resp = client.post(target, content=body, headers=headers, auth=auth,
                           timeout=httpx.Timeout(timeout), follow_redirects=False)
        resp.read()
    except httpx.TimeoutException as e:
        raise AlertError("timeout", f"{safe}: {type(e).__name__}", transient=True) from e
    except StageError as e:  # the guard refused the address
        raise AlertError("delivery_failed", f"{safe}: {e}") from e
    except httpx.HTTPError as e:
        raise AlertError("delivery_failed", f"{safe}: {type(e).__name__}: {e}", transient=True) from e
    finally:
        if own:
            client.close()
    if 200 <= resp.status_code < 300:
        return resp.status_code
    status = resp.status_code
    raise AlertError("delivery_failed", f"{safe}: HTTP {status}", status=status,
                     transient=status in (408, 425, 429) or status >= 500)


# ---------------------------------------------------------------- delivery

def _asset(timeout: float):
    import apprise

    kwargs = {"plugin_paths": [], "storage_mode": "memory", "http_redirects": False}
    if "service_timeout" in inspect.signature(apprise.AppriseAsset.__init__).parameters:
        kwargs["service_timeout"] = timeout  # apprise >= 2: caps retries and waits too
    return apprise.AppriseAsset(**kwargs)


def _failure_reason(result, captured: str) -> str:
    """Warnings from apprise's per-call result logs (apprise >= 2) or the captured log."""
    msgs: list[str] = []
    logs = getattr(result, "logs", None)
    if callable(logs):
        msgs = [e.message for e in logs() if getattr(e, "level", "") in ("WARNING", "ERROR")]
    if not msgs:
        msgs = [ln.split(" - ", 2)[-1] for ln in captured.splitlines() if ln.strip()]
    return "; ".join(dict.fromkeys(msgs)) or "the service reported a failure"


def send_alert(url: str, title: str, body: str, *, timeout: float = 10) -> None:
    """Deliver one notification to one apprise URL; raise ``AlertError`` on any failure.

    ``transient`` is set for timeouts, connection errors, 429 and 5xx answers.
    """
    import apprise

    if not isinstance(url, str) or not url.strip():
        raise AlertError("invalid_url", "empty notification URL")
    if not (isinstance(timeout, (int, float)) and timeout > 0):
        raise ValueError(f"timeout must be a positive number, got {timeout!r}")
    asset = _asset(timeout)
    service = apprise.Apprise.instantiate(url.strip(), asset=asset)
    if service is None:
        scheme = url.split("://", 1)[0] if "://" in url else "(none)"
        raise AlertError("invalid_url", f"apprise cannot use this URL (scheme {scheme!r})")
    service.socket_connect_timeout = float(timeout)
    service.socket_read_timeout = float(timeout)
    safe_url = service.url(privacy=True).split("?", 1)[0]

    a = apprise.Apprise(asset=asset)
    a.add(service)
    kwargs = {}
    if "timeout" in inspect.signature(a.notify).parameters:
        kwargs["timeout"] = timeout
    started = time.monotonic()
    with apprise.LogCapture(level=apprise.logging.WARNING) as captured:
        try:
            result = a.notify(body=body, title=title, body_format=apprise.NotifyFormat.TEXT, **kwargs)
        except Exception as e:  # apprise raises for bad arguments; never let it escape unlabelled
            raise AlertError("delivery_failed", f"{safe_url}: {type(e).__name__}: {e}") from e
    if result:
        return
    reason = _failure_reason(result, captured.getvalue())
    status_m = re.search(r"error=(\d{3})", reason)
    status = int(status_m.group(1)) if status_m else None
    timed_out = ("TIMEOUT" in str(getattr(result, "status", "")) or "timed out" in reason.lower()
                 or (status is None and time.monotonic() - started >= 0.95 * timeout))
    transient = timed_out or status is None or status == 429 or status >= 500
    raise AlertError("timeout" if timed_out else "delivery_failed", f"{safe_url}: {reason}",
                     transient=transient, status=status)
