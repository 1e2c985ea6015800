"""Seats and candidacies: a seat filled or vacated, not standing again, a seat lost, a candidacy."""
from __future__ import annotations

from spacy.tokens import Token

from .. import roles
from ..context import Context, RawEvent
from ..lexicon import POST_WORDS
from ..persons import persons
from ..reality import unreal
from ..syntax import agent_of, child, has_as, is_passive, pobj, subject_of
from .emit import event, subjects_leave
from .slots import as_role, fill, org_for, person_role, trigger_role


def from_vacancy(v: Token, ctx: Context) -> list[RawEvent]:
    """'to fill X's seat' / 'the seat vacated by X': X left that seat."""
    if v.lemma_ == "fill":
        obj = child(v, "dobj")
        if obj is None or obj.lemma_ not in POST_WORDS | {"vacancy", "slot"}:
            return []
        holder = child(obj, "poss")
    else:
        holder = agent_of(v) if is_passive(v) else child(v, "nsubj")
    out = []
    for name, t in persons(holder, ctx):
        role, org = person_role(t)
        out.append(event("departure", name, role, org, None, v, ctx, 0.6))
    return out

def from_not_standing(v: Token, ctx: Context) -> list[RawEvent]:
    """'will not stand again', 'will not seek re-election', 'will not be its candidate'."""
    if v.lemma_ not in ("stand", "run", "seek", "be", "contest") or not any(c.dep_ == "neg" for c in v.children):
        return []
    words = {t.lower_ for t in v.subtree}
    ok = ("again" in words or "re-election" in words or "reelection" in words
          or ("next" in words and "election" in words))
    if v.lemma_ == "be":
        attr = child(v, "attr")
        ok = attr is not None and attr.lemma_ == "candidate" and any(c.lower_ in ("will", "wo") for c in v.children)
    if not ok or unreal(v, allow_neg=True):
        return []
    role = None
    attr = child(v, "attr")
    if attr is not None:
        role, _ = roles.role_phrase(attr)
    return subjects_leave(v, role, None, ctx, 0.7)


_LOSS_OBJECTS = {"seat", "job", "post", "position", "bid", "election", "race", "primary", "nomination"}


def from_lost_seat(v: Token, ctx: Context) -> list[RawEvent]:
    """'X lost his seat / his job as Y / his re-election bid to Z': X leaves; Z takes the seat."""
    if v.lemma_.lower() != "lose" or is_passive(v):
        return []
    objs = [c for c in v.children if c.dep_ == "dobj" and c.lemma_ in _LOSS_OBJECTS]
    if not objs or unreal(v, allow_neg=False):
        return []
    obj = objs[0]
    words = {t.lower_ for c in v.children if c.dep_ == "dobj" for t in c.subtree}
    held = bool({"re-election", "reelection", "re"} & words) or obj.lemma_ in ("seat", "job", "post", "position")
    if obj.lemma_ in ("seat", "job", "post", "position") and child(obj, "poss") is None:
        held = False                          # "lost a seat" on a board of many, not his own
    if not held:
        return []
    role, org = trigger_role(v)
    if role is None:
        role, org = as_role(obj)
    out = []
    leavers = persons(subject_of(v), ctx)
    to = next((pobj(c) for c in v.children if c.dep_ == "prep" and c.lower_ == "to"), None)
    winners = persons(to, ctx) if obj.lemma_ not in ("job", "post", "position") else []
    for name, t in leavers:
        r, o = fill(role, org, t, v)
        out.append(event("departure", name, r, o, winners[0][0] if len(winners) == 1 else None, v, ctx, 0.65))
    if leavers:
        for name, t in winners:
            out.append(event("appointment", name, out[0].role, out[0].organisation, leavers[0][0], v, ctx, 0.6))
    return out


def from_candidacy(v: Token, ctx: Context) -> list[RawEvent]:
    """'to stand as a Labour candidate', 'will run as the party's nominee': a selected candidacy."""
    if v.lemma_.lower() not in ("stand", "run") or not has_as(v) or unreal(v):
        return []
    p = pobj(next(c for c in v.children if c.dep_ == "prep" and c.lower_ == "as"))
    if p is None or p.lemma_ not in ("candidate", "nominee") or p.tag_ != "NN":
        return []
    role, org = roles.role_phrase(p)
    out = []
    for name, t in persons(subject_of(v), ctx):
        out.append(event("appointment", name, role or p.lower_, org or org_for(v), None, v, ctx, 0.6))
    return out
