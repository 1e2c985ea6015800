"""Alert text for a staffing event, and delivery through one apprise URL.

Apprise is confined: no plugin directories, in-memory persistent store, no redirects, socket
timeouts set on the service, and only the one URL given is added (no config files are read).
"""
from __future__ import annotations

import inspect
import re
import time
from datetime import date, datetime

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
