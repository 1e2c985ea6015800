"""What the pages and the API ask the store, with the name matching of the pipeline on top
(watchlist matching, same-person rule), so that every route gives the same answers."""
from __future__ import annotations

import time
from dataclasses import replace
from types import SimpleNamespace

from workers import watchlist as wl
from workers.event_merge import name_tokens, same_person

from .params import EventQuery


def _by_last_token(people) -> dict[str, list]:
    """Watched people by the last word of each of their names and aliases."""
    out: dict[str, list] = {}
    for p in people:
        for form in (p.name, *p.aliases):
            toks = wl.name_tokens(form)
            if toks and p not in out.setdefault(toks[-1], []):
                out[toks[-1]].append(p)
    return out


NAMES_TTL = 10.0  # seconds a list of distinct names is reused (a new name shows up this late at most)
MAX_IN = 1000  # most exact names a filter hands to the database; more: it matches by substring there
_memo: dict = {}  # (store, "person" | "organisation") -> (time, distinct names)
_chosen: dict = {}  # (store, what was asked) -> (the distinct names it was chosen from, names)


def _distinct(store, what: str) -> list[tuple[str, str]]:
    """(name, folded name) of every distinct person (or organisation) of the events, reused for
    ``NAMES_TTL`` seconds: filters then look names up in memory and ask the database by index."""
    now = time.monotonic()
    hit = _memo.get((id(store), what))
    if hit and now - hit[0] < NAMES_TTL:
        return hit[1]
    names = store.person_names() if what == "person" else store.organisation_names()
    got = [(n, n.lower() if n.isascii() else " ".join(wl.tokens(n))) for n in names]
    if len(_memo) > 64:
        _memo.clear()
    _memo[(id(store), what)] = (now, got)
    return got


def _containing(store, what: str, part: str) -> list[str] | None:
    """The names containing ``part`` (case-insensitive), or None when there are too many."""
    p = part.lower() if part.isascii() else " ".join(wl.tokens(part))
    out = [n for n, folded in _distinct(store, what) if p in folded or part.lower() in n.lower()]
    return out if len(out) <= MAX_IN else None


def _by_index(store, f):
    """``f`` with its person and organisation parts turned into exact names where that is cheaper."""
    if f.person:
        names = _containing(store, "person", f.person)
        if names is not None:
            f = replace(f, person=None, names=tuple(names) if f.names is None else
                        tuple(n for n in f.names if n in set(names)))
    if f.organisation:
        orgs = _containing(store, "organisation", f.organisation)
        if orgs is not None:
            f = replace(f, organisation=None, organisations=tuple(orgs))
    return f


def _names_of(store, last_words: set[str], accept, *, key) -> list[str]:
    """The person names in the store that contain one of ``last_words`` (a cheap prefilter) and
    that ``accept`` takes (the matchers of the pipeline decide); kept with the list of names they
    were chosen from (``key`` says what ``accept`` decides)."""
    every = _distinct(store, "person")
    hit = _chosen.get((id(store), key))
    if hit and hit[0] is every:
        return hit[1]
    got = [n for n, folded in every if any(w in folded for w in last_words) and accept(n)]
    if len(_chosen) > 512:
        _chosen.clear()
    _chosen[(id(store), key)] = (every, got)
    return got


def events(store, q: EventQuery):
    """A page of events for ``q``: (events, next cursor key). ``watchlist`` keeps the events the
    watchlist matcher of the alerts gives to a tracked person."""
    if not q.watchlist:
        return store.events_page(_by_index(store, q.filter), limit=q.limit, after=q.after)
    people = store.watchlist()
    by_token = _by_last_token(people)
    if not by_token:
        return [], None

    def tracked_name(name: str) -> bool:
        toks = wl.name_tokens(name)
        return bool(toks) and bool(wl.match_watchlist(SimpleNamespace(person=name, organisation=None),
                                                      by_token.get(toks[-1], [])))
    names = _names_of(store, set(by_token), tracked_name, key=("watchlist", tuple(people)))
    found, nxt = store.events_page(_by_index(store, replace(q.filter, names=tuple(names))), limit=q.limit,
                                   after=q.after)
    # a person watched only at some organisations: drop their moves elsewhere
    return [ev for ev in found if wl.match_watchlist(SimpleNamespace(**ev), people)], nxt


def person_timeline(store, name: str) -> list[dict]:
    """One person's moves, oldest first (the same rule as ``aidewatch timeline``)."""
    toks = name_tokens(name)
    if not toks:
        return []
    names = _names_of(store, {toks[-1]}, lambda n: same_person(n, name), key=("person", name))
    found = store.events_of(names)
    found.sort(key=lambda ev: (ev["reported"] or "", ev["historical"], ev["id"]))
    return found
