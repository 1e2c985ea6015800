"""Verb triggers: "X resigned", "Y named X chief", "X replaces Y", "none but X is leaving"."""
from __future__ import annotations

import re

from spacy.tokens import Token

from .. import historical, roles
from ..context import Context, RawEvent
from ..lexicon import APPOINT_OBJ, APPOINT_PHRASAL, DEPART_OBJ, DEPART_SUBJ
from ..names import clean_person
from ..persons import person_name, persons
from ..reality import is_repeat, unreal
from ..syntax import (agent_of, child, has_as, is_passive, object_of, particle, partitive_holder, pobj, subject_of,
                     trigger_lemma)
from .emit import event
from .senses import classify_verb
from .slots import appointee_instead, article_role, described_person, fill, org_for, person_role, trigger_role


def _misread_clause(v: Token, ctx: Context) -> list[RawEvent]:
    """"Trump fired Secretary of State X earlier this year, and ..." parsed as one noun phrase, the
    verb a modifier of X: the name before the verb is the one who fired, X the one fired."""
    if v.dep_ != "amod" or trigger_lemma(v) not in DEPART_OBJ or v.i == 0 or v.head.ent_type_ != "PERSON" \
            or v.head.i < v.i:
        return []
    agent = v.doc[v.i - 1]
    if agent.head.i != v.head.i or agent.dep_ not in ("nmod", "compound", "nsubj") or not agent.text[:1].isupper() \
            or agent.pos_ not in ("PROPN", "NOUN") or (v.i > 1 and v.doc[v.i - 2].dep_ in ("det", "poss")):
        return []
    if unreal(v):
        return []
    return [event("departure", n, *fill(None, None, t, v), None, v, ctx, 0.6) for n, t in persons(v.head, ctx)]


def from_verb(v: Token, ctx: Context) -> list[RawEvent]:
    if v.dep_ == "amod":
        found = _misread_clause(v, ctx)
        if found:
            return found
    kind = classify_verb(v)
    if kind is None:
        return []
    type_, slot = kind
    if unreal(v) or (type_ == "appointment" and is_repeat(v)):
        return []
    role, org = trigger_role(v)
    role = _without_next_subject(v, role)
    out: list[RawEvent] = []
    if slot == "special":                     # replace / succeed
        passive = is_passive(v)
        if passive:
            old, new = object_of(v), agent_of(v)
        else:
            new, old = subject_of(v), child(v, "dobj")
            if old is None:      # "X ..., replaces Y, who ..." parsed with two subjects
                late = [c for c in v.children if c.dep_ == "nsubj" and c.i > v.i]
                early = [c for c in v.children if c.dep_ == "nsubj" and c.i < v.i]
                if late and early:
                    new, old = early[0], late[0]
        new = appointee_instead(new)
        if v.dep_ == "advcl" and v.head.lemma_ in APPOINT_OBJ and not passive:
            gapped = _gapped(v.head, ctx)    # "named A vice chairman and B president, succeeding C": B
            if gapped:
                new = gapped[-1][2]
                role = role or gapped[-1][1]
        olds, news = persons(old, ctx), persons(new, ctx)
        if olds and not news and role and roles.is_role_text(role):
            news = _bare_surname(new, ctx)   # "Smith will succeed Jones as chairman", Smith read as a firm
        if not olds:                          # "succeeded in", "replace workers"
            if news and has_as(v) and v.lemma_ == "succeed":
                for n, t in news:
                    r, o = fill(role, org, t, v)
                    out.append(event("appointment", n, r, o, None, v, ctx, 0.7))
            return out
        if role is None and not news and new is not None and roles.is_role_word(new):
            role, org = roles.role_phrase(new)
        cp_new = news[0][0] if len(news) == 1 else None
        cp_old = olds[0][0] if len(olds) == 1 else None
        for n, t in olds:
            moved_on = _now_elsewhere(t)
            r, o = fill(role, org, t, v) if not moved_on else (role, org)
            out.append(event("departure", n, r, o, cp_new, v, ctx, 0.8, "trigger" if role else "title"))
            if moved_on:                     # "succeed X, now the bank's chief economist": X left before
                out[-1].background = True
        for n, t in news:
            r, o = role, org
            if r is None and olds and _now_elsewhere(olds[0][1]):
                # the post the predecessor left, named elsewhere: never the successor's own title
                out.append(event("appointment", n, out[0].role, o or out[0].organisation, cp_old, v, ctx, 0.8,
                                 "article"))
                if out[0].role is None:
                    out[-1].role = out[-1].organisation = None      # not the successor's present title
                continue
            if r is None and olds:
                r, o2 = person_role(olds[0][1])
                r = r or article_role(olds[0][0], ctx, past=historical.cue(v, ctx.published) == "past")
                o = o or o2
            src = "trigger" if r else "title"
            r, o = fill(r, o, t, v, appointment=True)
            out.append(event("appointment", n, r, o, cp_old, v, ctx, 0.8, src))
        return out
    arg = subject_of(v) if slot == "subj" else object_of(v)
    if slot == "subj" and v.lemma_ in DEPART_OBJ | APPOINT_OBJ:
        arg = object_of(v)
    if slot == "subj" and role is None and arg is not None and (arg.ent_type_ == "PERSON" or arg.pos_ == "PROPN"):
        group = next((c for c in v.children if c.dep_ == "nsubj" and c.tag_ == "NNS" and c.i < arg.i
                      and roles.is_role_word(c)), None)
        if group is not None:                # "The three Velden directors - A, B and C - have left"
            role = group.lemma_
            org = next((c.text for c in group.children if c.dep_ == "compound" and c.ent_type_ == "ORG"), None) or org
    found = persons(arg, ctx)
    if not found and arg is not None and partitive_holder(arg) is not None:
        found = persons(partitive_holder(arg), ctx)
    if not found and arg is not None:
        found = described_person(arg, ctx, appointment=type_ == "appointment")
    if not found and arg is not None:
        found = _both_of_them(arg, ctx)
    off = v.doc.user_data.get("aidewatch_offset", 0) + v.sent.start_char
    if not found and arg is not None and roles.is_role_word(arg) and off < max(ctx.title_end, 1) + 1:
        hr, ho = roles.role_phrase(arg)
        if hr:
            ctx.headline_roles.setdefault(type_, (hr, ho))
    companions: dict = {}
    if found:                                # "was elected along with A and B"
        for c in v.children:
            if c.dep_ in ("prep", "advmod") and c.lower_ in ("along", "together"):
                w = next((g for g in c.children if g.dep_ == "prep" and g.lower_ == "with"), None)
                c = w if w is not None else c
            if c.dep_ == "prep" and c.lower_ == "with" and c.i > 0 and v.doc[c.i - 1].lower_ in ("along", "together"):
                group = pobj(c)
                more = [(n, t) for n, t in persons(group, ctx) if all(n != f for f, _ in found)]
                if more and group is not None and roles.is_role_word(group) and group.tag_ == "NNS":
                    companions[group.lemma_] = [n for n, _ in more]    # "three other Labour councillors"
                found += more
    gapped = _gapped(v, ctx) if type_ == "appointment" and slot == "obj" and found else []
    for name, r, _ in gapped:                # "named A to the post of X and B president": X is A's alone
        first = name.split()[0]
        if role and f" and {first}" in role:
            role = role[:role.index(f" and {first}")].strip(" ,")
    for n, t in found:
        r, o = fill(role, org, t, v, appointment=type_ == "appointment")
        together = next((lemma for lemma, names in companions.items() if n in names), None)
        if together:
            r = role or together
        conf = 0.85 if t.ent_type_ == "PERSON" else 0.6
        ev = event(type_, n, r, o, None, v, ctx, conf)
        if ev.role is None and trigger_lemma(v) in _EVICTIONS:
            continue                         # "boot X off the show": a contestant or member, no post named
        out.append(ev)
    for name, r, t in gapped:
        if all(name != e.person for e in out):
            out.append(event(type_, name, r, org_for(v), None, v, ctx, 0.7))
    # "takes over from Y", "named X to replace Y" handled by their own triggers; "from Y" here
    if type_ == "appointment" and out:
        took_over = (trigger_lemma(v), particle(v)) in APPOINT_PHRASAL
        obj = child(v, "dobj")
        owner = child(obj, "poss") if took_over and obj is not None and obj.lemma_ in (
            "duty", "duties", "job", "post", "role", "responsibility", "responsibilities") else None
        if owner is not None and role is None:      # "would take over his duties": the owner's post
            taker = frozenset(ev.person for ev in out)
            who = [n for n, _ in persons(owner, ctx) if n not in taker]
            if not who and owner.pos_ == "PRON":       # "his duties": someone other than the taker
                at = v.doc.user_data.get("aidewatch_offset", 0) + owner.idx
                who = [n for n in [ctx.names.antecedent(at, owner.lower_, taker)] if n]
            for ev in out:
                if who:
                    ev.role, ev.counterpart, ev.extra["role_src"] = None, who[0], "article"
        stood_in = _in_place_of(v, ctx)         # "put X in charge of Y in place of the chancellor"
        for n in stood_in if not any(ev.counterpart for ev in out) else ():
            if all(n != ev.person for ev in out):
                out.append(event("departure", n, out[0].role, out[0].organisation, out[0].person, v, ctx, 0.65))
                out[0].counterpart = n
        near = list(v.children) + (list(obj.children) + [g for c in obj.children for g in c.children if c.dep_ == "prep"]
                                   if obj is not None and took_over else [])
        for c in near:                       # "took over (the title of president) from X", "take over for X"
            if c.dep_ == "prep" and (c.lower_ == "from" or c.lower_ == "for" and took_over and c.head.i == v.i) \
                    and pobj(c) is not None and (c.lower_ == "from" or pobj(c).ent_type_ == "PERSON" or pobj(c).pos_ == "PROPN"):
                for n, t in persons(pobj(c), ctx):
                    out.append(event("departure", n, out[0].role, out[0].organisation, out[0].person, v, ctx, 0.7))
                    out[0].counterpart = n
    return out


_PEOPLE = {"man", "woman", "people", "person"}
_EVICTIONS = {"boot", "kick", "throw"}     # informal: a move only of someone whose post the article names


def _both_of_them(arg: Token, ctx: Context) -> list[tuple[str, Token]]:
    """"Both officials had been put in place under X": the two people the article has just reported
    moving (and only when there are two)."""
    if arg.tag_ != "NNS" or not (roles.is_role_word(arg) or arg.lemma_ in _PEOPLE) \
            or not any(c.lower_ == "both" and c.dep_ in ("det", "predet", "amod") for c in arg.children) \
            or len(ctx.names.event_people) < 2:
        return []
    return [(name, arg) for name in ctx.names.event_people[-2:]]


def _bare_surname(tok: Token | None, ctx: Context) -> list[tuple[str, Token]]:
    """A lone capitalised word the tagger took for a firm or place, where only a person fits (the one
    who succeeds a named person as chairman); never a firm the article names as one."""
    if tok is None or tok.pos_ != "PROPN" or not tok.text[:1].isupper() or tok.ent_type_ not in ("ORG", "GPE", "") \
            or any(c.dep_ == "compound" for c in tok.children) or roles.is_role_word(tok):
        return []
    ent = roles.ent_span(tok)
    if ent is not None and len(ent) > 1 or ctx.org_counts.get(tok.text, 0) > 1:
        return []
    name = clean_person(tok.text)
    return [(ctx.names.expand(name), tok)] if name and not ctx.names.is_firm(name) else []


def _in_place_of(v: Token, ctx: Context) -> list[str]:
    """The person an appointee stands in for: "in place of X" under the verb, X a name or a title the
    article gives one person ("in place of the chancellor")."""
    for t in v.subtree:
        if t.lower_ != "place" or t.dep_ != "pobj" or t.head.lower_ != "in" or t.i - 1 != t.head.i:
            continue
        verb = next((a for a in t.ancestors if a.pos_ in ("VERB", "AUX")), None)
        of = next((c for c in t.children if c.dep_ == "prep" and c.lower_ == "of"), None)
        held = pobj(of) if of is not None else None
        if verb is None or verb.i != v.i or held is None:
            continue
        named = [n for n, _ in persons(held, ctx)]
        if named:
            return named
        if held.pos_ == "NOUN" and roles.is_role_word(held) and any(
                c.dep_ == "det" and c.lower_ == "the" for c in held.children) and len(list(held.children)) == 1:
            holders = {ctx.names.expand(name) for name, title in ctx.titles.items()
                       if title.split()[-1].lower() == held.lower_}
            return list(holders) if len(holders) == 1 else []
    return []


def _without_next_subject(v: Token, role: str | None) -> str | None:
    """'resigned as president and the agency's chairman, Y, would take over': the second noun phrase
    is the next clause's subject (see syntax.subject_of), not a second post."""
    if not role or " and " not in role:
        return role
    for c in v.children:
        if c.dep_ == "prep" and c.lower_ == "as":
            p = child(c, "pobj")
            for conj in (p.conjuncts if p is not None else ()):
                if any(a.dep_ == "appos" and a.ent_type_ == "PERSON" for a in conj.children) \
                        and any(t.pos_ in ("VERB", "AUX") and t.i > conj.i and t.dep_ in ("conj", "ccomp")
                                and subject_of(t) is not None and subject_of(t).head.i == conj.i for t in v.doc):
                    return role[:role.index(" and ")].strip()
    return role


def _now_elsewhere(t: Token) -> bool:
    """'Y, now the department's chief economist': the predecessor already holds another post."""
    doc = t.doc
    end = t.right_edge.i if t.ent_type_ != "PERSON" else max(x.i for x in doc[t.i:t.i + 1])
    j = end + 1
    return j + 1 < len(doc) and doc[j].text == "," and doc[j + 1].lower_ == "now"


def _gapped(v: Token, ctx: Context) -> list[tuple[str, str, Token]]:
    """A second appointee under one verb, the verb gapped: "named A to the new post of vice chairman
    and B president" (B's name parsed inside the coordinated role: "B president")."""
    out = []
    for t in v.subtree:
        if t.dep_ != "conj" or not roles.is_role_word(t) or t.head.i < v.i:
            continue
        named = [c for c in t.children if c.dep_ in ("compound", "nmod") and c.i < t.i
                 and (c.ent_type_ == "PERSON" or c.pos_ == "PROPN" and c.ent_type_ in ("ORG", ""))]
        if not named:
            continue
        last = max(c.i for c in named)
        name = person_name(named[-1], ctx)
        role = t.doc[last + 1:t.i + 1].text.strip()
        if name and role:
            out.append((name, role, named[-1]))
    return out


def from_exception(v: Token, ctx: Context) -> list[RawEvent]:
    """'Other than X, none of the directors are leaving' -> X leaves."""
    if v.lemma_.lower() not in DEPART_SUBJ:
        return []
    subj = subject_of(v)
    if subj is None or subj.lower_ not in ("none", "nobody", "no"):
        return []
    sent = v.sent
    text = sent.text.lower()
    if not re.search(r"\b(other than|except|apart from|besides|save for)\b", text):
        return []
    out = []
    role = None
    for c in subj.children:
        if c.dep_ == "prep" and c.lower_ == "of" and pobj(c) is not None:
            r, _ = roles.role_phrase(pobj(c))
            if r:
                role = re.sub(r"^(?:\w+ )?(?:remaining )", "", r)
                role = re.sub(r"s$", "", role)
    for tok in sent:
        if tok.ent_type_ == "PERSON" or tok.pos_ == "PROPN":
            if tok.i < v.i and tok.i < subj.i:
                name = person_name(tok, ctx) or clean_person(tok.text)
                if name:
                    out.append(event("departure", name, role, org_for(v), None, v, ctx, 0.55))
                    break
    return out
