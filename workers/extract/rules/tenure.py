"""Tenures: a tribute to years served (in a wave of departures), a tenure stated as over."""
from __future__ import annotations

import re

from spacy.tokens import Token

from .. import roles
from ..context import Context, RawEvent
from ..persons import persons
from ..reality import unreal
from ..syntax import child, subject_of
from .emit import event, subjects_leave
from .slots import as_role


def from_tenure(v: Token, ctx: Context) -> list[RawEvent]:
    """In an article about a wave of departures, a tribute to a tenure marks who is leaving."""
    if not ctx.collective or v.lemma_ not in ("work", "serve", "run", "lead", "head"):
        return []
    words = " ".join(t.lower_ for t in v.sent)
    if not re.search(r"\b(for the (?:past|last) \w+ years|in the \w+ years|during (?:his|her|the) \w+ years|after \w+ years)\b", words):
        return []
    subj = child(v, "nsubj")
    out = []
    for name, t in persons(subj, ctx):
        ev = event("departure", name, None, roles.org_near(v), None, v, ctx, 0.45)
        ev.cue = "current"                  # the wave of departures is the article's news
        out.append(ev)
    return out

_TENURE_NOUNS = {"tenure", "stint", "spell", "term", "reign"}


def from_ended_tenure(v: Token, ctx: Context) -> list[RawEvent]:
    """A tenure stated as over: 'lasted six months as chief of staff', 'had a short tenure as X'."""
    lemma = v.lemma_.lower()
    if lemma == "last":
        span = child(v, "npadvmod", "dobj")
        if span is None or span.ent_type_ != "DATE":
            return []
        role, org = as_role(v)
    elif lemma in ("have", "serve", "enjoy"):
        obj = child(v, "dobj")
        if obj is None or obj.lemma_ not in _TENURE_NOUNS or not any(
                c.dep_ == "amod" and c.lower_ in ("short", "brief", "short-lived", "shortlived")
                for c in obj.children):
            return []
        role, org = as_role(obj)
    else:
        return []
    if role is None or unreal(v):
        return []
    return subjects_leave(v, role, org, ctx, 0.6)


_EARLIER = {"previously", "formerly", "earlier", "once"}


def _role_words(tok: Token) -> list[Token]:
    """A role noun and the role nouns coordinated with it ("both president and chairman")."""
    out = [tok] if roles.is_role_word(tok) else []
    for c in tok.conjuncts:
        if roles.is_role_word(c) and c not in out:
            out.append(c)
    return out


def _words_of(tok: Token) -> str:
    left = [c for c in tok.lefts if c.dep_ in ("compound", "amod") and c.lower_ not in ("both", "former")]
    start = min([tok.i] + [c.left_edge.i for c in left])
    return tok.doc[start:tok.i + 1].text


def _held_before(person: Token, v: Token) -> list[Token]:
    """Roles the sentence says the person held until now: a relative clause "who previously was A
    and B" / "who had been acting as A" (the continuing verb may be coordinated inside it)."""
    out = []
    for rel in [c for c in person.children if c.dep_ == "relcl"] + ([v.head] if v.dep_ == "conj" else []):
        if rel.i == v.i:
            continue
        earlier = any(c.lower_ in _EARLIER for c in rel.children) or any(
            c.dep_ == "aux" and c.lower_ == "had" for c in rel.children)
        if not earlier:
            continue
        if rel.lemma_ == "be":
            attr = child(rel, "attr")
            out += _role_words(attr) if attr is not None else []
        for c in rel.children:
            if c.dep_ == "prep" and c.lower_ == "as":
                p = child(c, "pobj")
                out += _role_words(p) if p is not None else []
    return out


def from_dropped_role(v: Token, ctx: Context) -> list[RawEvent]:
    """'X, who previously was both president and chairman, will continue as chairman': X gives up
    the roles he held and does not continue in (here: president)."""
    if v.lemma_ not in ("continue", "remain", "stay") or unreal(v):
        return []
    as_ = next((c for c in v.children if c.dep_ == "prep" and c.lower_ == "as"), None)
    kept_tok = child(as_, "pobj") if as_ is not None else None
    if kept_tok is None:
        return []
    kept = {t.lemma_.lower() for t in _role_words(kept_tok)}
    if not kept:
        return []
    subj = subject_of(v)
    if subj is None:
        return []
    person = subj
    out = []
    for name, t in persons(person, ctx):
        for held in _held_before(t if t.ent_type_ == "PERSON" else person, v):
            if held.lemma_.lower() not in kept:
                out.append(event("departure", name, _words_of(held), roles.org_near(v), None, v, ctx, 0.6))
    return out
