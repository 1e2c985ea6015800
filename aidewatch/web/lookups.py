"""What the pages and the API ask the store, with the name matching of the pipeline on top
(watchlist matching, same-person rule), so that every route gives the same answers."""
from __future__ import annotations

from types import SimpleNamespace

from workers import watchlist as wl
from workers.event_merge import name_tokens, same_person

from .params import EventQuery


def health(feed: dict) -> str:
    """A feed's state in a word: new, ok, retrying, failing."""
    if feed["error_count"] >= 3:
        return "failing"
    if feed["error_count"]:
        return "retrying"
    return "ok" if feed["last_polled_at"] else "new"


def watch_terms(people) -> tuple[str, ...]:
    """Name parts that every event about a watched person contains (surnames, one-word aliases)."""
    terms = set()
    for p in people:
        for form in (p.name, *p.aliases):
            toks = wl.name_tokens(form)
            if toks:
                terms.add(toks[-1])
    return tuple(sorted(terms))


def events(store, q: EventQuery):
    """A page of events for ``q``: (events, next cursor key)."""
    if not q.watchlist:
        return store.events_page(q.filter, limit=q.limit, after=q.after)
    people = store.watchlist()
    terms = watch_terms(people)
    if not terms:
        return [], None
    from dataclasses import replace
    f = replace(q.filter, person_terms=terms)

    def tracked(ev: dict) -> bool:
        return bool(wl.match_watchlist(SimpleNamespace(person=ev["person"], organisation=ev["organisation"]),
                                       people))
    return store.events_page(f, limit=q.limit, after=q.after, keep=tracked)


def person_timeline(store, name: str) -> list[dict]:
    """One person's moves, oldest first (the same rule as ``aidewatch timeline``)."""
    toks = name_tokens(name)
    if not toks:
        return []
    found = [ev for ev in store.events_naming(toks[-1]) if same_person(ev["person"], name)]
    found.sort(key=lambda ev: (ev["reported"] or "", ev["historical"], ev["id"]))
    return found
