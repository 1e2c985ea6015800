"""Is a move background ("last year", "in 2013", "after X quit") or part of the article's news?"""
from __future__ import annotations

import re
from datetime import datetime

from spacy.tokens import Token

from .lexicon import BACKGROUND_MARKS, MONTHS

_PAST_PHRASE = re.compile(
    r"\b(last (?:year|month|autumn|fall|spring|summer|winter|term|decade)|years? ago|months ago|"
    r"earlier this year|previously|at the time|in the past|the following year|"
    r"the year before|decades? ago|(?:first|originally|once|then)\b)", re.I)
_CURRENT_PHRASE = re.compile(
    r"\b(today|tonight|yesterday|this week|last week|on (?:monday|tuesday|wednesday|thursday|friday|"
    r"saturday|sunday)|(?:monday|tuesday|wednesday|thursday|friday|saturday|sunday)|this morning|"
    r"this afternoon|with immediate effect|immediately|effective|next (?:week|month|year)|"
    r"at the end of|by the end of|later this (?:year|month))\b", re.I)
_YEAR = re.compile(r"\b(1[89]\d\d|20\d\d)\b")


def _clause_tokens(trigger: Token) -> list[Token]:
    """Tokens of the trigger's clause: its subtree minus nested clauses of other verbs."""
    out = []
    stack = [trigger]
    while stack:
        t = stack.pop()
        out.append(t)
        for c in t.children:
            if c.dep_ in ("relcl", "ccomp", "advcl", "parataxis") and c.pos_ in ("VERB", "AUX"):
                continue
            if c.dep_ == "conj" and c.pos_ in ("VERB", "AUX") and t.pos_ in ("VERB", "AUX"):
                continue
            stack.append(c)
    return sorted(out, key=lambda t: t.i)


def _is_future(trigger: Token) -> bool:
    chain = [trigger]
    t = trigger
    while t.dep_ in ("xcomp", "conj") and t.head is not t and len(chain) < 3:
        t = t.head
        chain.append(t)
    for t in chain:
        for c in t.children:
            if c.dep_ == "aux" and c.lower_ in ("will", "'ll", "shall", "wo"):
                return True
            if c.dep_ == "aux" and c.lower_ == "to" and t is trigger:
                return True
        if t.lemma_ in ("plan", "intend", "set", "due", "decide", "agree", "announce"):
            return True
    return False


def cue(trigger: Token, published: datetime | None) -> str | None:
    """'past' (background), 'current' (news) or None (no cue) for the clause of ``trigger``."""
    found = _cue(trigger, published)
    if found is None and trigger.pos_ in ("NOUN", "PROPN"):
        head = next((a for a in trigger.ancestors if a.pos_ in ("VERB", "AUX")), None)
        if head is not None:
            found = _cue(head, published)
    if found is None and trigger.dep_ == "conj" and trigger.head.pos_ in ("VERB", "AUX"):
        found = _cue(trigger.head, published)      # "was ousted last year and replaced by Y"
    if found is None:
        found = _tense(trigger)
    return found


def _tense(v: Token) -> str | None:
    """Present, present perfect and progressive forms report the news."""
    if v.pos_ not in ("VERB", "AUX"):
        return None
    auxes = [c for c in v.children if c.dep_ in ("aux", "auxpass")]
    if any(a.lower_ in ("has", "have", "is", "are", "am", "'s") for a in auxes):
        return "current"
    if not auxes and v.tag_ in ("VBZ", "VBP"):
        return "current"
    return None


def _cue(trigger: Token, published: datetime | None) -> str | None:
    clause = _clause_tokens(trigger)
    text = " ".join(t.text for t in clause)
    future = _is_future(trigger)
    for m in _YEAR.finditer(text):
        year = int(m.group(1))
        if published is not None:
            if year < published.year:
                return "past"
            if year == published.year:
                month = _month_in(text)
                if month and month < published.month - 1 and not future:
                    return "past"
        elif not future:
            return "past"
    if not future and _PAST_PHRASE.search(text) and not re.search(r"\blast week\b", text, re.I):
        m = _PAST_PHRASE.search(text)
        if m and m.group(0).lower() not in ("first", "then", "once", "originally"):
            return "past"
    if published is not None and not future and not re.search(r"\b(effective|next|from)\b", text, re.I):
        month = _month_in(text)
        if month and 2 <= (published.month - month) % 12 <= 9:
            return "past"
    if future or _CURRENT_PHRASE.search(text):
        return "current"
    return None


def _month_in(text: str) -> int | None:
    for w in re.findall(r"[A-Z][a-z]+\.?", text):
        w = w.rstrip(".").lower()
        if w in MONTHS and w != "may":
            return MONTHS[w]
    return None


def background_clause(trigger: Token) -> bool:
    """The trigger sits in a subordinate background clause or in the past perfect."""
    t = trigger
    for c in t.children:
        if c.dep_ == "aux" and c.lower_ == "had":
            return True
    for depth, anc in enumerate([t] + list(t.ancestors)):
        if depth > 2:
            break
        if anc.dep_ == "advcl" and any(c.dep_ == "mark" and c.lower_ in BACKGROUND_MARKS for c in anc.children):
            return True
        if anc.dep_ == "pcomp" and anc.head.lower_ in BACKGROUND_MARKS | {"between", "by"}:
            return True
        if anc.dep_ == "pobj" and anc.head.lower_ in ("after", "since", "before", "following"):
            return True
        if anc.dep_ == "dobj" and anc.head.lemma_ in ("follow", "succeed") and anc.pos_ == "NOUN":
            return True
        if anc.dep_ == "advcl" and anc.tag_ == "VBG" and any(c.lower_ == "having" for c in anc.children):
            return True
        if anc.dep_ == "relcl" and anc.tag_ in ("VBD", "VBN") and not any(c.lower_ in ("will", "has", "have") for c in anc.children):
            return True
    return False
