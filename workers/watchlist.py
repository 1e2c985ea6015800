"""Match a staffing event's person against the user's watchlist.

Names compare as token sequences, ignoring case, accents, punctuation and honorifics, so
"John Smith" never matches "John Smithson". A full name matches the same first and last
tokens (middle names ignored). A partial form (a surname alone, or an alias like "Mr Fletcher")
matches only when ``text`` names the full person. Organisation scope filters by token overlap.
"""
from __future__ import annotations

import re
import unicodedata

from .model import StaffingEvent, WatchPerson

HONORIFICS = frozenset(
    "mr mrs ms miss mx dr sir dame lord lady baroness baron prof professor rt hon cllr".split())
POSTNOMINALS = frozenset("mp msp mep am mla qc kc obe mbe cbe".split())
_ORG_STOPWORDS = frozenset("the of and for a an s party office group ltd plc inc uk".split())
_TOKEN = re.compile(r"[^\W_]+")


def tokens(s: str | None) -> list[str]:
    """Lower-cased, accent-free word tokens."""
    if not s:
        return []
    s = unicodedata.normalize("NFKD", s.casefold())
    s = "".join(c for c in s if not unicodedata.combining(c))
    return _TOKEN.findall(s)


def name_tokens(name: str | None) -> list[str]:
    """Tokens of a person's name without leading honorifics or trailing post-nominals."""
    t = tokens(name)
    while t and t[0] in HONORIFICS:
        t.pop(0)
    while len(t) > 1 and t[-1] in POSTNOMINALS:
        t.pop()
    return t


def _forms(person: WatchPerson) -> tuple[list[list[str]], set[str]]:
    """(full names as token lists, partial single-token forms) of a watched person."""
    full: list[list[str]] = []
    partial: set[str] = set()
    main = name_tokens(person.name)
    if main:
        full.append(main)
        if len(main) >= 2:
            partial.add(main[-1])
    for alias in person.aliases:
        t = name_tokens(alias)
        with_honorific = len(tokens(alias)) > len(t)  # "Mr Fletcher" is partial
        if len(t) >= 2 or (len(t) == 1 and len(main) < 2 and not with_honorific):
            full.append(t)  # a one-word alias of a one-word name is as full as the name
        elif len(t) == 1:
            partial.add(t[0])
    return full, partial


def _full_match(event_toks: list[str], full: list[str]) -> bool:
    if len(full) < 2 or len(event_toks) < 2:
        return event_toks == full
    return event_toks[0] == full[0] and event_toks[-1] == full[-1]


def _contains(haystack: list[str], needle: list[str]) -> bool:
    n = len(needle)
    return n > 0 and any(haystack[i:i + n] == needle for i in range(len(haystack) - n + 1))


def _org_ok(person: WatchPerson, organisation: str | None) -> bool:
    if not person.organisations or not organisation:
        return True
    event_org = set(tokens(organisation)) - _ORG_STOPWORDS
    return any(event_org & (set(tokens(o)) - _ORG_STOPWORDS) for o in person.organisations)


def match_watchlist(event: StaffingEvent, people: list[WatchPerson],
                    text: str | None = None) -> list[WatchPerson]:
    """The watched people the event's ``person`` refers to (input order, no duplicates)."""
    ev = name_tokens(event.person)
    if not ev:
        return []
    text_toks: list[str] | None = None
    matched: list[WatchPerson] = []
    for person in people:
        full, partial = _forms(person)
        hit = any(_full_match(ev, f) for f in full)
        if not hit and len(ev) == 1 and ev[0] in partial and text:
            if text_toks is None:
                text_toks = tokens(text)
            hit = any(_contains(text_toks, f) for f in full if len(f) >= 2)
        if hit and _org_ok(person, event.organisation) and person not in matched:
            matched.append(person)
    return matched
