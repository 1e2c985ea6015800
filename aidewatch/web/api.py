"""The JSON API: events in the export schema (cursor paging), one event, a person, a story,
feeds, status."""
from __future__ import annotations

from starlette.requests import Request
from starlette.responses import JSONResponse

from ..common import feed_json, iso_utc
from . import lookups
from .params import encode_cursor, event_query

PAGE_ONLY = ("title", "story_id")  # what the pages add to a source of the export
EVENT_FIELDS = ("id", "type", "person", "role", "organisation", "counterpart", "historical", "reported",
                "confidence")


def export_event(ev: dict) -> dict:
    """An event in the export schema of staffing-events.md (a source also gives its own wording)."""
    out = {k: ev[k] for k in EVENT_FIELDS}
    out["sources"] = [{k: v for k, v in s.items() if k not in PAGE_ONLY} for s in ev["sources"]]
    return out


def _json(data, status: int = 200) -> JSONResponse:
    return JSONResponse(data, status_code=status)


def not_found(what: str) -> JSONResponse:
    return _json({"error": f"no such {what}"}, 404)


def events(request: Request):
    q = event_query(request.query_params)
    found, nxt = lookups.events(request.app.state.store, q)
    cursor = encode_cursor(nxt)
    next_url = "/api/events?" + request.url.include_query_params(cursor=cursor).query if cursor else None
    return _json({"events": [export_event(e) for e in found], "next_cursor": cursor, "next": next_url})


def event(request: Request):
    ev = request.app.state.store.event_detail(request.path_params["event_id"])
    return _json(export_event(ev)) if ev else not_found("event")


def person(request: Request):
    name = request.path_params["name"]
    moves = lookups.person_timeline(request.app.state.store, name)
    if not moves:
        return not_found("person")
    return _json({"name": name, "events": [export_event(e) for e in moves]})


def story(request: Request):
    st = request.app.state.store.story(request.path_params["story_id"])
    if st is None:
        return not_found("story")
    return _json({"story_id": st["story_id"], "articles": st["articles"],
                  "events": [export_event(e) for e in st["events"]]})


def feeds(request: Request):
    return _json({"feeds": [feed_json(f) for f in request.app.state.store.feed_overview()]})


def status(request: Request):
    store = request.app.state.store
    return _json({"articles": store.article_counts(), **store.event_counts(),
                  "alerts": store.alert_counts(), "feeds": store.feed_states(),
                  "pending": store.pending_work(),
                  "last_errors": [{"at": iso_utc(e["at"]), "scope": e["scope"], "ref": e["ref"], "reason": e["reason"],
                                   "detail": e["detail"]} for e in store.last_errors_page(limit=10)]})
