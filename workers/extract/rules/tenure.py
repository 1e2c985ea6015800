"""Tenures: a tribute to years served (in a wave of departures), a tenure stated as over."""
from __future__ import annotations

import re

from spacy.tokens import Token

from .. import roles
from ..context import Context, RawEvent
from ..persons import persons
from ..reality import unreal
from ..syntax import child
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
