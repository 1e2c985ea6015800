"""``/events.atom``: the events of a filter as an Atom 1.0 feed (feedgen), one entry per event
with an id that never changes (a UUID derived from the event id)."""
from __future__ import annotations

import re
import uuid
from datetime import datetime, timezone

from feedgen.feed import FeedGenerator
from starlette.requests import Request
from starlette.responses import Response

from . import lookups
from .params import event_query
from .security import http_url

NAMESPACE = uuid.UUID("5b0d8c1e-3f4a-4d7e-9a59-6a1d2c0e7f11")  # aidewatch's own; never change it
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")


def entry_id(event_id: str) -> str:
    return f"urn:uuid:{uuid.uuid5(NAMESPACE, 'event:' + event_id)}"


def _clean(v) -> str:
    """Text that XML can carry (feed and page text may hold control characters)."""
    return _NOT_XML.sub("", str(v or ""))


def _aware(v: datetime | None) -> datetime:
    return (v or datetime(1970, 1, 1)).replace(tzinfo=timezone.utc)


def _title(ev: dict) -> str:
    what = "joins" if ev["type"] == "appointment" else "leaves"
    post = " ".join(x for x in (ev["role"], ("at " + ev["organisation"]) if ev["organisation"] else None) if x)
    return f"{ev['person']} {what} {post or 'a post'}" + (" (background)" if ev["historical"] else "")


def _summary(ev: dict) -> str:
    lines = []
    if ev["counterpart"]:
        lines.append(("Replaced by " if ev["type"] == "departure" else "Replacing ") + ev["counterpart"])
    for s in ev["sources"]:
        lines.append(f"{s['published'] or '?'} {s['outlet'] or '?'}: \u201c{' '.join((s['evidence'] or '').split())}\u201d")
    return "\n".join(lines)


def events_atom(request: Request):
    q = event_query(request.query_params)
    found, _ = lookups.events(request.app.state.store, q)
    base = str(request.base_url).rstrip("/")
    fg = FeedGenerator()
    what = ", ".join(f"{k} {v}" for k, v in sorted(q.args.items()) if k not in ("limit",))
    fg.id(f"urn:uuid:{uuid.uuid5(NAMESPACE, 'feed:' + '&'.join(f'{k}={v}' for k, v in sorted(q.args.items())))}")
    fg.title(_clean("aidewatch: staffing moves" + (f" ({what})" if what else "")))
    fg.author({"name": "aidewatch"})
    fg.link(href=base + "/events.atom" + (("?" + request.url.query) if request.url.query else ""), rel="self")
    fg.link(href=base + "/events", rel="alternate")
    fg.updated(max((_aware(e["created_at"]) for e in found), default=_aware(None)))
    for ev in found:
        fe = fg.add_entry(order="append")
        fe.id(entry_id(ev["id"]))
        fe.title(_clean(_title(ev)))
        fe.updated(_aware(ev["created_at"]))
        fe.published(_aware(datetime.fromisoformat(ev["reported"]) if ev["reported"] else ev["created_at"]))
        fe.link(href=f"{base}/events/{ev['id']}", rel="alternate", type="text/html")
        for s in ev["sources"][:20]:
            url = http_url(s["url"])
            if url:
                fe.link(href=_clean(url), rel="related", title=_clean(s["outlet"] or "source"))
        fe.summary(_clean(_summary(ev)), type="text")
    return Response(fg.atom_str(pretty=True), media_type="application/atom+xml; charset=utf-8")
