"""Noun and adjective triggers: "X's resignation", "the appointment of X", "new chief X", "newly named X"."""
from __future__ import annotations

import re

from spacy.tokens import Token

from .. import roles
from ..context import Context, RawEvent
from ..lexicon import APPOINT_NOUNS, APPOINT_OBJ, DEPART_NOUNS, HONORIFICS
from ..names import clean_person, looks_like_person
from ..persons import persons
from ..reality import unreal
from ..syntax import child, object_of, pobj, trigger_lemma
from .emit import event
from .senses import work_object
from .slots import fill, org_for, person_role, trigger_role


def _possessor_before(n: Token) -> Token | None:
    """"Mr. Varga's sudden firing" parsed without a poss arc: the person before "'s" owns the noun."""
    j = n.i - 1
    while j >= 0 and n.doc[j].dep_ in ("amod", "compound", "advmod") and n.doc[j].head.i >= n.i:
        j -= 1
    if j >= 1 and n.doc[j].tag_ == "POS" and n.doc[j - 1].ent_type_ == "PERSON":
        return n.doc[j - 1]
    return None

_MOVE_THINGS = {"date", "timetable"}
_GOVERNMENTS = {"government", "cabinet", "coalition", "administration"}
_TITLED = HONORIFICS | {"judge", "justice"}


def from_noun(n: Token, ctx: Context) -> list[RawEvent]:
    lemma = trigger_lemma(n)
    if n.pos_ not in ("NOUN", "PROPN") or n.tag_ in ("NNS", "NNPS"):
        return []
    if lemma in DEPART_NOUNS:
        type_ = "departure"
    elif lemma in APPOINT_NOUNS:
        type_ = "appointment"
    else:
        return []
    if unreal(n):
        return []
    of_arg = poss_arg = None
    for c in n.children:
        if c.dep_ == "prep" and pobj(c) is not None and (c.lower_ == "of" or (
                c.lower_ in ("for", "to") and lemma in ("successor", "replacement"))):
            of_arg = of_arg or pobj(c)
        elif c.dep_ == "poss":
            poss_arg = c
    if poss_arg is None:
        poss_arg = _possessor_before(n)
    if poss_arg is None and of_arg is None and n.dep_ == "compound" and n.head.lemma_ in _MOVE_THINGS:
        poss_arg = child(n.head, "poss")     # "named his own retirement date"
    if of_arg is None:
        j = n.i + 1
        while j < len(n.doc) and (n.doc[j].ent_type_ in ("DATE", "TIME") or n.doc[j].pos_ == "ADV"):
            j += 1
        if j < len(n.doc) and (n.doc[j].lower_ == "of" or n.doc[j].lower_ in ("to", "for")
                               and lemma in ("successor", "replacement")):
            of_arg = pobj(n.doc[j])          # "named X successor to Y", the "to" hung on the verb
    if lemma in ("successor", "replacement", "appointee", "nominee"):
        # "X, Y's successor" / "a replacement for Y": Y leaves
        found = persons(poss_arg or of_arg, ctx)
        chooser = _chooser(n)
        if chooser is not None and poss_arg is not None and poss_arg.pos_ == "PRON":
            mine = {name for name, _ in persons(chooser, ctx)}
            if mine and not mine & set(ctx.names.event_people) and ctx.names.event_people:
                found = [(name, t) for name, t in found if name not in mine]   # "X decided on his successor"
        out = []
        for name, t in found:
            r, o = person_role(t)
            out.append(event("departure", name, r, o, None, n, ctx, 0.6))
        if lemma in ("successor", "replacement") and n.dep_ in ("appos", "attr"):
            holder = n.head if n.dep_ == "appos" else child(n.head, "nsubj", "nsubjpass")
            for name, t in persons(holder, ctx):
                r, o = person_role(t)
                out.append(event("appointment", name, r, o, found[0][0] if found else None, n, ctx, 0.6))
        elif lemma in ("successor", "replacement"):
            # "named X (as) successor to Y", "says X excellent successor": X takes Y's post
            taker = _named_before(n)
            chooser = n.head.head if n.dep_ == "pobj" and n.head.lower_ == "as" else n.head
            if taker is None and n.dep_ in ("dobj", "oprd", "pobj") and chooser.lemma_ in APPOINT_OBJ:
                taker = object_of(chooser)
                taker = None if taker is None or taker.i == n.i else taker
            takers = [(name, t) for name, t in persons(taker, ctx) if all(name != f for f, _ in found)]
            if takers and not found:
                out += _predecessor_in_sentence(n, ctx)
            for name, t in takers:
                r, o = (out[0].role, out[0].organisation) if out else (None, None)
                before = out[0].person if out and out[0].type == "departure" else None
                out.append(event("appointment", name, r, o, before, n, ctx, 0.6))
                if out[0].type == "departure" and out[0].counterpart is None:
                    out[0].counterpart = name
        return out if lemma in ("successor", "replacement") else []
    if lemma == "loss" and (of_arg is None or of_arg.ent_type_ != "PERSON"):
        return []
    if lemma in ("pick", "choice"):
        if of_arg is None:                   # "Trump's pick" is the picker: only "the pick of X"
            return []
        titled = any(t.lower_.rstrip(".") in _TITLED for t in of_arg.subtree)
        if of_arg.ent_type_ != "PERSON" and not titled or any(c.dep_ == "poss" and c.lower_ in ("your", "my", "our")
                                               for c in n.children):
            return []                        # "your choice of colour": a shopper's choice, not a post
        poss_arg = None
    # "his departure from a meeting": only leaving a post or a workplace is a departure
    frm = next((pobj(c) for c in n.children if c.dep_ == "prep" and c.lower_ == "from"), None)
    if type_ == "departure" and frm is not None and not work_object(frm) \
            and frm.ent_type_ not in ("ORG", "GPE", "NORP"):
        return []
    if of_arg is not None and not persons(of_arg, ctx) and roles.is_role_word(of_arg):
        # "the sacking of coach X" read as an apposition of the noun, or as a second object of "of"
        named = [c for c in list(n.children) + list(of_arg.head.children)
                 if c.dep_ in ("appos", "pobj") and c.ent_type_ == "PERSON" and c.i > of_arg.i]
        of_arg = named[0] if named else of_arg
    gov_org = None
    if type_ == "departure" and of_arg is not None and of_arg.lemma_ in _GOVERNMENTS and poss_arg is None:
        led_by = child(of_arg, "poss")       # "the resignation of Prime Minister X's government": its leader goes
        if led_by is not None and led_by.ent_type_ == "PERSON":
            where = next((t for t in of_arg.subtree if t.ent_type_ in ("NORP", "GPE") and t.i < of_arg.i), None)
            gov_org = f"{where.text} {of_arg.lower_}" if where is not None else None    # "Belgian government"
            of_arg = led_by
    arg = of_arg if of_arg is not None and persons(of_arg, ctx) else poss_arg
    if arg is None:
        comp = next((c for c in n.children if c.dep_ == "compound" and c.ent_type_ == "PERSON"), None)
        arg = comp
    found = persons(arg, ctx)
    trailing = [f for f in _trailing_conjunct(arg, ctx) if all(f[0] != n for n, _ in found)] \
        if found and arg is of_arg else []
    role, org = trigger_role(n)
    if role is None and found:
        # "the removal of X, as election co-ordinator": the 'as' phrase hangs off the clause
        last = found[-1][1]
        j = max(t.i for t in last.subtree) + 1 if last.i >= n.i else -1
        while 0 <= j < len(n.doc) and n.doc[j].is_punct:
            j += 1
        if 0 <= j < len(n.doc) and n.doc[j].lower_ == "as":
            span = n.doc[j + 1:j + 8]
            toks = []
            for t in span:
                if t.is_punct and t.text not in ("-",) or t.pos_ in ("VERB", "CCONJ", "ADP"):
                    break
                toks.append(t)
            if toks and any(roles.is_role_word(t) or t.text.lower().endswith("ordinator") for t in toks):
                role = "".join(t.text_with_ws for t in toks).strip()
                role = re.sub(r"^(?:the|his|her|a|an)\s+", "", role)
    out = []
    dated = n.dep_ == "compound" and n.head.lemma_ in _MOVE_THINGS
    for name, t in found:
        r, o = fill(role, org, t, n)
        o = gov_org or o
        out.append(event(type_, name, r, o, None, n, ctx, 0.7 if t.ent_type_ == "PERSON" else 0.55))
        if dated:
            out[-1].cue = None               # setting a date is no date of the move itself
    for name, t, own in trailing:
        out.append(event(type_, name, own, org or (out[0].organisation if out else None), None, n, ctx, 0.6))
    new_org = _destination(n) if type_ == "departure" and lemma in ("departure", "exit") else None
    for name, t in found if new_org else []:
        ev = event("appointment", name, None, new_org, None, n, ctx, 0.6)
        ev.role, ev.organisation, ev.extra["role_src"] = None, new_org, "destination"   # no post named
        out.append(ev)
    return out


_CHOOSING = {"decide", "choose", "pick", "name", "appoint", "select", "find", "seek", "search", "interview",
             "announce", "nominate", "recommend", "approve"}


def _predecessor_in_sentence(n: Token, ctx: Context) -> list[RawEvent]:
    """A headline's "calls X outstanding Fed chairman, says Y excellent successor": the one other post
    of the sentence written with a name is the post Y succeeds to, and X its holder."""
    if n.doc.user_data.get("aidewatch_offset", 0) >= max(ctx.title_end, 1):
        return []
    posts = [t for t in n.sent if t.i != n.i and t.pos_ == "NOUN" and roles.is_role_word(t)
             and any(c.dep_ in ("nmod", "compound", "appos") and c.pos_ == "PROPN" and c.text[:1].isupper()
                     and not roles.is_role_word(c) for c in t.children)]
    if len(posts) != 1:
        return []
    post = posts[0]
    holder = next(c for c in post.children if c.dep_ in ("nmod", "compound", "appos") and c.pos_ == "PROPN"
                  and c.text[:1].isupper() and not roles.is_role_word(c))
    named = persons(holder, ctx)
    if not named and holder.ent_type_ in ("PERSON", "ORG", "") and not any(
            c.dep_ == "compound" for c in holder.children):
        name = clean_person(holder.text)
        named = [(ctx.names.expand(name), holder)] if name else []
    role = " ".join(t.text for t in post.subtree if t.i >= holder.i + 1 and t.i <= post.i
                    and t.dep_ in ("compound", "amod") and t.pos_ == "PROPN" or t.i == post.i)
    org = next((c.text for c in post.children if c.dep_ == "compound" and c.ent_type_ == "ORG" and c.i != holder.i), None)
    return [event("departure", name, role or post.lower_, org, None, n, ctx, 0.55) for name, _ in named]


def _named_before(n: Token) -> Token | None:
    """A name written inside the noun's own phrase, before it: "Ann Roe successor", "Roe excellent choice"."""
    for c in n.children:
        if c.dep_ in ("compound", "nmod") and c.i < n.i and c.ent_type_ == "PERSON":
            return c
    return None


def _chooser(n: Token) -> Token | None:
    """The subject of the verb that chooses or seeks the successor ("X has decided on his successor"):
    the one choosing, not the one leaving unless the article has X moving."""
    for a in list(n.ancestors)[:3]:
        if a.pos_ in ("VERB", "AUX"):
            return child(a, "nsubj") if a.lemma_ in _CHOOSING else None
    return None


def _trailing_conjunct(arg: Token, ctx: Context) -> list[tuple[str, Token, str]]:
    """"the resignation of its chairman, Sir X, and production chief Y" with Y hung elsewhere by the
    parser: a titled name right after ", and" closing the sentence is the second person of "of"."""
    doc = arg.doc
    j = arg.right_edge.i + 1
    if j < len(doc) and doc[j].text == ",":
        j += 1
    if j >= len(doc) or doc[j].lower_ != "and":
        return []
    run = []
    for t in doc[j + 1:j + 9]:
        if t.is_punct:
            break
        run.append(t)
    if not run or (run[-1].i + 1 < len(doc) and not doc[run[-1].i + 1].is_punct) \
            or not any(t.ent_type_ == "PERSON" for t in run) or run[-1].dep_ in ("nsubj", "nsubjpass"):
        return []
    titled = [i for i, t in enumerate(run) if roles.is_role_word(t)]
    if not titled or titled[-1] == len(run) - 1:
        return []
    name = clean_person(" ".join(t.text for t in run[titled[-1] + 1:]))
    if not looks_like_person(name):
        return []
    return [(ctx.names.expand(name), run[-1], " ".join(t.text for t in run[:titled[-1] + 1]))]


def _destination(n: Token) -> str | None:
    """'his departure, to the investment firm of X,': the organisation the leaver goes to."""
    doc = n.doc
    j = n.i + 1
    if j < len(doc) and doc[j].text == ",":
        j += 1
    if j >= len(doc) or doc[j].lower_ not in ("to", "for"):
        return None
    for t in doc[j + 1:j + 10]:
        if t.text in (",", ";", ".") or t.pos_ in ("VERB", "AUX"):
            break
        if t.ent_type_ == "ORG" and t.ent_iob_ == "B":
            ent = next(e for e in doc.ents if e.start == t.i)
            return ent.text
    return None

def from_adjective(a: Token, ctx: Context) -> list[RawEvent]:
    """'the new chief of X, Y' / 'X is the new chief' (appointment); 'outgoing president Y' (departure)."""
    low = a.lower_
    if low not in ("new", "outgoing", "departing") or a.dep_ != "amod" or not roles.is_role_word(a.head):
        return []
    head = a.head
    type_ = "appointment" if low == "new" else "departure"
    if low == "new" and unreal(head):
        return []
    holder = None
    for c in head.children:
        if c.dep_ in ("appos", "compound") and c.ent_type_ == "PERSON" and c.i > head.i:
            holder = c
    if holder is None and head.dep_ == "attr":
        holder = child(head.head, "nsubj")
    if holder is None and head.dep_ == "nsubj":
        holder = child(head.head, "attr")
    if holder is None and head.dep_ == "compound" and head.head.ent_type_ == "PERSON":
        holder = head.head
    if holder is None and head.dep_ == "appos" and head.head.ent_type_ == "PERSON" and head.head.i < head.i:
        holder = head.head                   # "X, the city's new police commissioner, said"
    if holder is None and head.dep_ == "pobj" and head.head.lower_ == "as" and head.head.head is not head.head:
        # "is thrilled to have X, a longtime employee, as our new CEO": the object before "as"
        had = [t for t in head.head.head.subtree if t.dep_ == "dobj" and t.i < head.head.i
               and (t.ent_type_ == "PERSON" or t.pos_ == "PROPN")]
        holder = had[-1] if had else None
    if holder is None:
        return []
    role, org = roles.role_phrase(head)
    out = []
    for name, t in persons(holder, ctx):
        out.append(event(type_, name, role, org or org_for(head.head), None, head, ctx, 0.65))
    return out

def from_newly(a: Token, ctx: Context) -> list[RawEvent]:
    """'newly-appointed chief executive X', 'newly confirmed Secretary of State X'."""
    head = a.head
    holder = head if head.ent_type_ == "PERSON" else None
    if holder is None and head.head.ent_type_ == "PERSON" and head.dep_ == "compound":
        holder = head.head
    if holder is None and roles.is_role_word(head):      # "the newly elected MP for X, Jane Roe"
        holder = next((t for t in head.subtree if t.dep_ == "appos" and t.ent_type_ == "PERSON" and t.i > head.i), None)
    out = []
    for name, t in persons(holder, ctx):
        role, org = person_role(t)
        out.append(event("appointment", name, role, org, None, a, ctx, 0.6))
    return out
