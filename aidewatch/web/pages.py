"""The HTML pages: home, events (filtered, paged), one event, a person, a story, feeds, watchlist."""
from __future__ import annotations

from starlette.exceptions import HTTPException
from starlette.requests import Request

from . import lookups
from storage.views import EventFilter

from .params import encode_cursor, event_query
from .render import page


def _store(request: Request):
    return request.app.state.store


def home(request: Request):
    store = _store(request)
    latest, _ = store.events_page(EventFilter(current=True), limit=15)
    feeds = store.feed_overview()
    states = {}
    for f in feeds:
        states[f.health] = states.get(f.health, 0) + 1
    return page("index.html", events=latest, alerts=store.alerts_needing_attention(limit=10),
                alert_counts=store.alert_counts(), feeds=[f for f in feeds if f.health != "ok"],
                feed_states=states, feed_total=len(feeds))


def events(request: Request):
    q = event_query(request.query_params)
    found, nxt = lookups.events(_store(request), q)
    return page("events.html", events=found, args=q.args, next_cursor=encode_cursor(nxt),
                first=q.after is None)


def event(request: Request):
    ev = _store(request).event_detail(request.path_params["event_id"])
    if ev is None:
        raise HTTPException(404, "no such event")
    return page("event.html", ev=ev)


def person(request: Request):
    name = request.path_params["name"]
    moves = lookups.person_timeline(_store(request), name)
    if not moves:
        raise HTTPException(404, f"no moves found for {name}")
    return page("person.html", name=name, events=moves, names=sorted({e["person"] for e in moves}))


def story(request: Request):
    st = _store(request).story(request.path_params["story_id"])
    if st is None:
        raise HTTPException(404, "no such story")
    return page("story.html", story=st)


def feeds(request: Request):
    return page("feeds.html", feeds=_store(request).feed_overview())


def watchlist(request: Request):
    return page("watchlist.html", people=_store(request).watchlist())
