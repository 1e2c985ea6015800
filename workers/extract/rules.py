"""Dependency rules: from a trigger token to (person, type, role, organisation, counterpart)."""
from __future__ import annotations

import re

from spacy.tokens import Doc, Token

from . import historical, orgs, roles
from .context import Context, RawEvent
from .lexicon import (APPOINT_NOUNS, APPOINT_OBJ, APPOINT_OBJ_PHRASAL, APPOINT_PHRASAL, APPOINT_SUBJ, DEPART_NOUNS,
                      DEPART_OBJ, DEPART_OBJ_PHRASAL, DEPART_PHRASAL, DEPART_SUBJ, MEMBERSHIP_OBJECTS,
                      POST_WORDS, WORKPLACE_NOUNS)
from .names import clean_person, looks_like_person
from .persons import person_name, persons
from .reality import is_repeat, unreal
from .syntax import (agent_of, as_plural, child, has_as, is_passive, object_of, particle, partitive_holder,
                     phrase_head, pobj,
                     subject_of, trigger_lemma, wire_clause)

_VERB_LEMMAS = DEPART_SUBJ | DEPART_OBJ | APPOINT_OBJ | {"replace", "succeed", "join"}

__all__ = ["Context", "RawEvent", "extract_doc"]


def trigger_role(v: Token) -> tuple[str | None, str | None]:
    """A role attached to the trigger: 'as X', 'to the post of X', oprd/attr 'named X president'."""
    cands: list[Token] = []
    for c in v.children:
        if c.dep_ == "prep" and c.lower_ == "as":
            objs = [g for g in c.children if g.dep_ == "pobj"]
            p = next((g for g in objs if roles.is_role_word(g)), objs[0] if objs else None)
            if p is not None:
                cands.insert(0, p)
        elif c.dep_ in ("oprd", "attr") and c.pos_ in ("NOUN", "PROPN"):
            cands.append(c)
        elif c.dep_ in ("advcl", "ccomp") and c.pos_ in ("NOUN", "PROPN") and any(
                g.dep_ == "mark" and g.lower_ == "as" for g in c.children):
            cands.insert(0, c)
        elif c.dep_ == "dobj" and c.lemma_ in POST_WORDS:
            inner = next((g for g in c.children if g.dep_ == "prep" and g.lower_ in ("of", "as")), None)
            if inner is not None and pobj(inner) is not None:
                cands.append(pobj(inner))
        elif c.dep_ == "prep" and c.lower_ in ("to", "from", "of", "for", "at") and v.pos_ in ("VERB", "NOUN"):
            p = pobj(c)
            if p is not None and p.ent_type_ != "PERSON":
                if p.lemma_ in POST_WORDS:
                    inner = next((g for g in p.children if g.dep_ == "prep" and g.lower_ in ("of", "as")), None)
                    if inner is not None and pobj(inner) is not None:
                        cands.append(pobj(inner))
                        continue
                if roles.is_role_word(p) or (p.lemma_ in POST_WORDS and any(
                        g.dep_ in ("compound", "amod") and g.lower_ not in ("same", "new", "top", "senior", "more", "old") for g in p.children)):
                    cands.append(p)
        elif c.dep_ in ("xcomp", "advcl") and c.lemma_ in ("serve", "become", "take", "act", "assume", "replace", "succeed", "fill", "run", "lead", "head"):
            if v.lemma_ in APPOINT_OBJ or v.pos_ == "NOUN":
                r, o = trigger_role(c)
                if r:
                    return r, o
        elif c.dep_ in ("dobj",) and v.lemma_ in ("become", "assume", "accept", "take", "head", "win") and c.pos_ == "NOUN":
            as_ = next((pobj(g) for g in c.children if g.dep_ == "prep" and g.lower_ == "as"), None)
            if as_ is not None:
                cands.insert(0, as_)             # "won Senate confirmation as navy secretary"
            cands.append(c)
        elif c.dep_ == "dobj" and v.lemma_ in APPOINT_OBJ and roles.is_role_word(c) and c.ent_type_ != "PERSON":
            cands.append(c)
    for cand in cands:
        role, org = roles.role_phrase(cand)
        if role:
            doc = cand.doc
            if role.startswith(cand.text) and cand.i >= 2 and doc[cand.i - 1].text == "-" \
                    and not doc[cand.i - 2].whitespace_ and not doc[cand.i - 1].whitespace_:
                role = doc[cand.i - 2].text + "-" + role      # "vice - chairman" split by the tokenizer
            if cand.tag_ == "NNS" and role.endswith(cand.text) and cand.lemma_ != cand.lower_:
                role = role[:-len(cand.text)] + cand.lemma_     # "resigned as directors": each a director
            return role, org
    return None, None

def person_role(p: Token, appointment: bool = False) -> tuple[str | None, str | None]:
    """A role written with the person: title in front, or an apposition."""
    if p.pos_ == "PRON":
        return None, None
    ent = roles.ent_span(p)
    if appointment:
        start = ent.start if ent is not None else p.i
        if any(t.lower_ in ("former", "ex", "then", "onetime", "one-time", "retired") for t in p.doc[max(0, start - 5):start]):
            return None, None
    role, org = roles.title_before_name(p, ent)
    if role:
        return role, org
    head = ent.root if ent is not None else p
    role, org2 = roles.appositive_role(head, skip_former=appointment)
    return role, org or org2

def _org_for(v: Token) -> str | None:
    org = roles.org_near(v)
    if org:
        return org
    # "Acme Corp said X resigned": the company speaking
    for anc in v.ancestors:
        if anc.lemma_ in ("say", "announce", "report", "confirm"):
            subj = child(anc, "nsubj")
            if subj is not None and subj.ent_type_ in ("ORG",):
                return roles._org_text(subj)
            break
    return None


# --- the rules --------------------------------------------------------------------------------------

def _work_object(o: Token | None) -> bool:
    if o is None:
        return False
    if o.lemma_.lower() in MEMBERSHIP_OBJECTS:
        return False
    return o.ent_type_ in ("ORG", "FAC") or o.lemma_ in WORKPLACE_NOUNS or o.lemma_ in POST_WORDS \
        or roles.is_role_word(o) or o.lower_ in ("posts", "duties", "responsibilities")

_NOT_EMPLOYERS = {"client", "customer", "fan", "voter", "reader", "viewer", "user", "audience", "listener",
                  "follower", "supporter", "friend", "parent", "patient", "student"}


def _characterisation(obj: Token) -> bool:
    """'assumed the role of the insatiable negotiator': a part played, not a post ('the role of chairman')."""
    if obj.lemma_ not in ("role", "part", "mantle", "guise"):
        return False
    of = next((pobj(c) for c in obj.children if c.dep_ == "prep" and c.lower_ == "of"), None)
    return of is None or any(c.dep_ == "det" for c in of.children) or obj.lemma_ != "role"


_CONTESTS = {"seat", "election", "by-election", "race", "competition", "nomination", "contest", "leadership",
             "vote", "primary", "confirmation", "ballot", "runoff", "run-off"}


def party_name(o: Token) -> bool:
    """An organisation the article shows to be a political party: tagged NORP, named "... Party",
    or written with party members ("UKIP MEPs", "the Veritas party")."""
    if o.ent_type_ == "NORP" or o.lower_ == "party":
        return True
    if o.ent_type_ != "ORG":
        return False
    ent = roles.ent_span(o)
    name = ent.text if ent is not None else o.text
    if name.split()[-1].lower() == "party":
        return True
    ctx = o.doc.user_data.get("aidewatch_ctx")
    text = ctx.text if ctx is not None else o.doc.text
    return re.search(r"\b%s(?:'s)?\s+(?:[Pp]arty|MEPs?|MPs|MSPs|AMs|councillors|members|membership|activists)\b|"
                     r"\b(?:party|parties),?\s+%s\b" % (re.escape(name), re.escape(name)), text) is not None


def _party_group(o: Token) -> bool:
    """'the group of MEPs', 'the Tory group': a group of a party's elected members."""
    return o.lemma_ in ("group", "caucus", "bloc", "whip") and any(
        t.lower_ in ("meps", "mps", "msps", "senators", "councillors", "conference") or party_name(t)
        for t in o.subtree if t.i != o.i)


def classify_verb(v: Token) -> tuple[str, str] | None:
    """(type, argument slot) for a verb trigger, or None when the sense is not a staffing change."""
    lemma = trigger_lemma(v)
    prt = particle(v)
    if v.dep_ == "amod" and not wire_clause(v):
        return None
    if (lemma, prt) in DEPART_PHRASAL:
        return "departure", "subj"
    if (lemma, prt) in DEPART_OBJ_PHRASAL:
        return "departure", "obj"
    if (lemma, prt) in APPOINT_OBJ_PHRASAL:
        return "appointment", "obj"              # "was brought in as interim chief executive"
    if (lemma, prt) in APPOINT_PHRASAL:
        obj = child(v, "dobj")
        if has_as(v) and as_plural(v):
            return None
        if (prt == "over" and (obj is None or _work_object(obj) or obj.lemma_ in ("control", "helm", "reins", "running")))\
                or has_as(v) or (obj is not None and (obj.lemma_ in POST_WORDS or roles.is_role_word(obj))):
            return "appointment", "subj"
        return None
    if lemma in ("replace", "succeed"):
        return "replace", "special"
    if lemma in DEPART_SUBJ:
        if prt in ("out", "behind", "over", "off") and lemma == "leave":
            return None
        obj = child(v, "dobj")
        if lemma in ("leave", "quit", "exit", "depart"):
            if obj is not None and not _work_object(obj):
                return None
            if lemma == "leave" and child(v, "auxpass", "nsubjpass") is not None:
                return None                  # "was left in the position of ..."
            if obj is not None and not has_as(v) and (party_name(obj) or _party_group(obj)):
                return None                  # leaving a party is membership, not a position
            if obj is None and lemma == "leave":
                for c in v.children:
                    if c.dep_ == "prep" and c.lower_ in ("for", "to", "on", "with", "in"):
                        p = pobj(c)
                        if p is not None and p.ent_type_ not in ("ORG",) and c.lower_ != "in":
                            return None
                if any(c.dep_ in ("dative", "ccomp", "xcomp") for c in v.children):
                    return None
        if lemma == "retire" and v.tag_ == "VBN" and v.dep_ in ("amod", "acl"):
            return None
        return "departure", "subj"
    if lemma in DEPART_OBJ:
        # "removed from suicide watch", "fired from the team"? - the place left must be a post or workplace
        frm = next((pobj(c) for c in v.children if c.dep_ == "prep" and c.lower_ == "from"), None)
        if frm is not None and not _work_object(frm) and frm.ent_type_ not in ("ORG", "GPE", "NORP"):
            return None
        # "her clients fired her": dropped by clients or fans is no change of position
        agent = agent_of(v) if is_passive(v) else child(v, "nsubj")
        if agent is not None and agent.lower_ in ("many", "some", "most", "all", "several", "one"):
            agent = next((pobj(c) for c in agent.children if c.dep_ == "prep" and c.lower_ == "of"), agent)
        if agent is not None and agent.lemma_.lower() in _NOT_EMPLOYERS:
            return None
        return "departure", "obj"
    if lemma in APPOINT_OBJ:
        if v.tag_ == "VB" and v.dep_ in ("ROOT", "ccomp") and child(v, "nsubj", "nsubjpass", "aux", "auxpass") is None \
                and (v.i == v.sent.start or v.doc[v.i - 1].is_punct):
            return None                      # an imperative: "Recruit the right people!"
        if lemma in ("make", "put", "confirm", "name"):
            if lemma == "make" and not (is_passive(v) and child(v, "oprd", "attr", "xcomp", "ccomp")):
                return None
            if lemma == "put" and not any(c.dep_ == "prep" and pobj(c) is not None and pobj(c).lower_ in ("charge", "place") for c in v.children):
                return None
            if lemma == "confirm" and not has_as(v):
                return None
            nxt = v.doc[v.i + 1].lower_ if v.i + 1 < len(v.doc) else ""
            if lemma == "name" and (nxt in ("after", "in", "for") or any(
                    c.dep_ == "prep" and c.lower_ == "in" and pobj(c) is not None
                    and pobj(c).lemma_ in ("suit", "lawsuit", "report", "case", "complaint", "indictment")
                    for c in v.children)):
                return None
        if v.dep_ in ("acl", "advcl") and lemma == "name" and not any(
                c.dep_ in ("oprd", "dobj") and c.ent_type_ == "PERSON" for c in v.children):
            return None
        return "appointment", "obj"
    if lemma in APPOINT_SUBJ:
        obj = child(v, "dobj")
        if lemma == "join" and has_as(v) and as_plural(v):
            return None
        if lemma == "join":
            if obj is not None and not has_as(v) and party_name(obj):
                return None
            return ("appointment", "subj") if has_as(v) or _work_object(obj) and obj.lemma_ not in ("party",) else None
        if lemma == "become":
            attr = child(v, "attr", "dobj", "oprd")
            if attr is not None and any(c.dep_ in ("amod", "nummod") and (c.tag_ in ("JJS", "CD") or c.lower_ in (
                    "first", "last", "only", "second", "third", "youngest", "oldest", "latest")) for c in attr.children):
                return None
            return ("appointment", "subj") if attr is not None and (roles.is_role_word(attr) or attr.lemma_ in POST_WORDS) else None
        if lemma == "assume" and obj is not None and _characterisation(obj):
            return None
        if lemma == "assume":
            return ("appointment", "subj") if obj is not None and (obj.lemma_ in POST_WORDS or roles.is_role_word(obj) or obj.lemma_ in ("title", "role")) else None
        if lemma in ("return", "start"):
            if lemma == "return" and any(c.dep_ == "prep" and c.lower_ == "to" and pobj(c) is not None
                                         and pobj(c).lemma_ in ("post", "position", "job", "role", "seat")
                                         and child(pobj(c), "poss") is not None for c in v.children):
                return "appointment", "subj"         # "is returning to his position at X"
            return ("appointment", "subj") if has_as(v) else None
        if lemma in ("remain", "stay"):
            if not has_as(v):
                return None
            role_tok = pobj(next(c for c in v.children if c.dep_ == "prep" and c.lower_ == "as"))
            ok = role_tok is not None and role_tok.lemma_ in ("consultant", "adviser", "advisor", "counsel")
            return ("appointment", "subj") if ok else None
        if lemma in ("serve", "act"):
            fut = any(c.dep_ == "aux" and c.lower_ in ("will", "to", "'ll") for c in v.children) \
                or v.dep_ in ("xcomp", "advcl") \
                or v.tag_ == "VBG" and any(c.dep_ == "aux" and c.lemma_ == "be" for c in v.children)  # "is acting as"
            return ("appointment", "subj") if has_as(v) and fut else None
        if lemma == "accept":
            return ("appointment", "subj") if obj is not None and obj.lemma_ in POST_WORDS else None
        if lemma == "win":
            ok = obj is not None and (obj.lemma_ in _CONTESTS or any(   # "won the Eastfield by-election"
                t.lemma_ in _CONTESTS for t in v.doc[obj.i + 1:obj.i + 4] if v in t.ancestors))
            if obj is not None and any("re-" in t.lower_ or t.lower_ == "reelection" for t in obj.subtree):
                return None
            return ("appointment", "subj") if ok else None
        if lemma == "move":
            to = next((c for c in v.children if c.dep_ == "prep" and c.lower_ == "to"), None)
            return ("appointment", "subj") if to is not None and pobj(to) is not None and pobj(to).ent_type_ == "ORG" else None
        return None
    return None

def _event(type_: str, name: str, role, org, cp, v: Token, ctx: Context, conf: float,
           role_src: str = "trigger") -> RawEvent:
    sent = v.sent
    off = v.doc.user_data.get("aidewatch_offset", 0) + sent.start_char
    evidence = None
    if "aidewatch_offset" in v.doc.user_data:       # one regex sentence per Doc: keep it whole
        sent, off = v.doc[:], v.doc.user_data["aidewatch_offset"]
        evidence = v.doc.user_data.get("aidewatch_evidence")
    if conf >= 0.6 and name not in ctx.names.event_people:
        ctx.names.event_people.append(name)
    when = historical.cue(v, ctx.published)
    org = orgs.resolve_in(org, ctx, role)
    if role is None:
        role = article_role(name, ctx, type_ == "departure", past=when == "past")
        role_src = "article"
    return RawEvent(type=type_, person=name, role=role, organisation=org, counterpart=cp,
                    evidence=evidence or sent.text.strip(), offset=off,
                    extra={"role_src": role_src, "trigger": v.text, "dated": historical.explicit_now(v),
                           "future": historical.announced_future(v)},
                    cue=when, background=historical.background_clause(v) and not historical.dated_now(v),
                    confidence=conf, in_title=off < ctx.title_end)

def _fill(ev_role, ev_org, p: Token, v: Token, appointment: bool = False) -> tuple[str | None, str | None]:
    role, org = ev_role, ev_org
    prole, porg = person_role(p, appointment)
    role = role or prole
    org = org or porg or _org_for(v)
    return role, org

def _subjects_leave(v: Token, role, org, ctx: Context, conf: float) -> list[RawEvent]:
    """Each person named as the subject of ``v`` leaves ``role`` at ``org`` (gaps filled from the person)."""
    return [_event("departure", name, *_fill(role, org, t, v), None, v, ctx, conf)
            for name, t in persons(subject_of(v), ctx)]


def article_role(name: str, ctx: Context, departure: bool = True, past: bool = False) -> str | None:
    """A title the article gives the person elsewhere ("former" titles only for departures).

    A departure stated in the past ("was ousted last year") is from a post the person no longer
    holds: only a "former" title can be it, never the title the person holds now."""
    from .events import _same
    if departure and past:
        tables = (ctx.former_titles,)
    else:
        tables = (ctx.titles, ctx.former_titles) if departure else (ctx.titles,)
    for table in tables:
        for mentioned, title in table.items():
            if _same(mentioned, name):
                return title
    return None

def _appointee_instead(tok: Token | None) -> Token | None:
    """'Y named X ... to replace Z': the one who replaces Z is X, not the appointer Y."""
    if tok is None:
        return None
    if tok.dep_ == "nsubj" and tok.head.lemma_ in APPOINT_OBJ:
        return object_of(tok.head) or tok
    for c in tok.children:
        if c.dep_ == "acl" and c.lemma_ in APPOINT_OBJ:
            return child(c, "oprd", "dobj") or tok
    return tok

_NOT_DESCRIPTIVE = {"new", "next", "previous", "former", "interim", "acting", "permanent", "another",
                    "incoming", "outgoing", "future", "replacement", "successor", "same", "other"}


def described_person(arg: Token, ctx: Context, appointment: bool = False) -> list[tuple[str, Token]]:
    """'A senior American diplomat ... has resigned' where the article names him elsewhere with the
    same noun: 'The diplomat, Daniel Foote, ...' or 'Daniel Foote, the diplomat who ...'. Only one
    distinct name may fit. An appointee written "a ..." is not known yet ("selecting a candidate")."""
    dets = ("the",) if appointment else ("a", "an", "the")
    if arg.pos_ != "NOUN" or arg.tag_ != "NN" or not roles.is_role_word(arg) \
            or not any(c.dep_ == "det" and c.lower_ in dets for c in arg.children) \
            or any(c.dep_ == "poss" or c.dep_ == "prep" and c.lower_ == "of"
                   or c.lower_ in _NOT_DESCRIPTIVE for c in arg.children):
        return []
    noun = re.escape(arg.lower_)
    name = r"((?:[A-Z][\w'’.-]*[ ]){1,3}[A-Z][\w'’-]+)"
    found = set()
    for pat in (r"\b[Tt]he (?:[a-z-]+ ){0,2}%s, %s," % (noun, name),
                r"%s, (?:a|an|the) (?:[a-zA-Z-]+ ){0,3}%s\b" % (name, noun)):
        for m in re.finditer(pat, ctx.text):
            cand = clean_person(m.group(1))
            if cand and looks_like_person(cand):
                found.add(ctx.names.expand(cand))
    from .events import _same
    names = [n for n in found if not any(_same(n, o) and len(o) > len(n) for o in found)]
    if len(names) != 1:
        return []
    return [(names[0], arg)]


def from_verb(v: Token, ctx: Context) -> list[RawEvent]:
    kind = classify_verb(v)
    if kind is None:
        return []
    type_, slot = kind
    if unreal(v) or (type_ == "appointment" and is_repeat(v)):
        return []
    role, org = trigger_role(v)
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
        new = _appointee_instead(new)
        olds, news = persons(old, ctx), persons(new, ctx)
        if not olds:                          # "succeeded in", "replace workers"
            if news and has_as(v) and v.lemma_ == "succeed":
                for n, t in news:
                    r, o = _fill(role, org, t, v)
                    out.append(_event("appointment", n, r, o, None, v, ctx, 0.7))
            return out
        if role is None and not news and new is not None and roles.is_role_word(new):
            role, org = roles.role_phrase(new)
        cp_new = news[0][0] if len(news) == 1 else None
        cp_old = olds[0][0] if len(olds) == 1 else None
        for n, t in olds:
            r, o = _fill(role, org, t, v)
            out.append(_event("departure", n, r, o, cp_new, v, ctx, 0.8, "trigger" if role else "title"))
        for n, t in news:
            r, o = role, org
            if r is None and olds:
                r, o2 = person_role(olds[0][1])
                r = r or article_role(olds[0][0], ctx, past=historical.cue(v, ctx.published) == "past")
                o = o or o2
            src = "trigger" if r else "title"
            r, o = _fill(r, o, t, v, appointment=True)
            out.append(_event("appointment", n, r, o, cp_old, v, ctx, 0.8, src))
        return out
    arg = subject_of(v) if slot == "subj" else object_of(v)
    if slot == "subj" and v.lemma_ in DEPART_OBJ | APPOINT_OBJ:
        arg = object_of(v)
    found = persons(arg, ctx)
    if not found and arg is not None and partitive_holder(arg) is not None:
        found = persons(partitive_holder(arg), ctx)
    if not found and arg is not None:
        found = described_person(arg, ctx, appointment=type_ == "appointment")
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
    for n, t in found:
        r, o = _fill(role, org, t, v, appointment=type_ == "appointment")
        together = next((lemma for lemma, names in companions.items() if n in names), None)
        if together:
            r = role or together
        conf = 0.85 if t.ent_type_ == "PERSON" else 0.6
        out.append(_event(type_, n, r, o, None, v, ctx, conf))
    # "takes over from Y", "named X to replace Y" handled by their own triggers; "from Y" here
    if type_ == "appointment" and out:
        took_over = (trigger_lemma(v), particle(v)) in APPOINT_PHRASAL
        obj = child(v, "dobj")
        near = list(v.children) + (list(obj.children) + [g for c in obj.children for g in c.children if c.dep_ == "prep"]
                                   if obj is not None and took_over else [])
        for c in near:                       # "took over (the title of president) from X", "take over for X"
            if c.dep_ == "prep" and (c.lower_ == "from" or c.lower_ == "for" and took_over and c.head.i == v.i) \
                    and pobj(c) is not None and (c.lower_ == "from" or pobj(c).ent_type_ == "PERSON"):
                for n, t in persons(pobj(c), ctx):
                    out.append(_event("departure", n, out[0].role, out[0].organisation, out[0].person, v, ctx, 0.7))
                    out[0].counterpart = n
    return out

def _possessor_before(n: Token) -> Token | None:
    """"Mr. Comey's sudden firing" parsed without a poss arc: the person before "'s" owns the noun."""
    j = n.i - 1
    while j >= 0 and n.doc[j].dep_ in ("amod", "compound", "advmod") and n.doc[j].head.i >= n.i:
        j -= 1
    if j >= 1 and n.doc[j].tag_ == "POS" and n.doc[j - 1].ent_type_ == "PERSON":
        return n.doc[j - 1]
    return None

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
    if of_arg is None:
        j = n.i + 1
        while j < len(n.doc) and (n.doc[j].ent_type_ in ("DATE", "TIME") or n.doc[j].pos_ == "ADV"):
            j += 1
        if j < len(n.doc) and n.doc[j].lower_ == "of":
            of_arg = pobj(n.doc[j])
    if lemma in ("successor", "replacement", "appointee", "nominee"):
        # "X, Y's successor" / "a replacement for Y": Y leaves
        found = persons(poss_arg or of_arg, ctx)
        out = []
        for name, t in found:
            r, o = person_role(t)
            out.append(_event("departure", name, r, o, None, n, ctx, 0.6))
        if lemma in ("successor", "replacement") and n.dep_ in ("appos", "attr"):
            holder = n.head if n.dep_ == "appos" else child(n.head, "nsubj", "nsubjpass")
            for name, t in persons(holder, ctx):
                r, o = person_role(t)
                out.append(_event("appointment", name, r, o, found[0][0] if found else None, n, ctx, 0.6))
        return out if lemma in ("successor", "replacement") else []
    if lemma == "loss" and (of_arg is None or of_arg.ent_type_ != "PERSON"):
        return []
    if lemma == "pick":
        if of_arg is None:                   # "Trump's pick" is the picker: only "the pick of X"
            return []
        poss_arg = None
    # "his departure from a meeting": only leaving a post or a workplace is a departure
    frm = next((pobj(c) for c in n.children if c.dep_ == "prep" and c.lower_ == "from"), None)
    if type_ == "departure" and frm is not None and not _work_object(frm) \
            and frm.ent_type_ not in ("ORG", "GPE", "NORP"):
        return []
    if of_arg is not None and not persons(of_arg, ctx) and roles.is_role_word(of_arg):
        # "the sacking of coach X" read as an apposition of the noun, or as a second object of "of"
        named = [c for c in list(n.children) + list(of_arg.head.children)
                 if c.dep_ in ("appos", "pobj") and c.ent_type_ == "PERSON" and c.i > of_arg.i]
        of_arg = named[0] if named else of_arg
    arg = of_arg if of_arg is not None and persons(of_arg, ctx) else poss_arg
    if arg is None:
        comp = next((c for c in n.children if c.dep_ == "compound" and c.ent_type_ == "PERSON"), None)
        arg = comp
    found = persons(arg, ctx)
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
    for name, t in found:
        r, o = _fill(role, org, t, n)
        out.append(_event(type_, name, r, o, None, n, ctx, 0.7 if t.ent_type_ == "PERSON" else 0.55))
    return out

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
    if holder is None:
        return []
    role, org = roles.role_phrase(head)
    out = []
    for name, t in persons(holder, ctx):
        out.append(_event(type_, name, role, org or _org_for(head.head), None, head, ctx, 0.65))
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
        out.append(_event("appointment", name, role, org, None, a, ctx, 0.6))
    return out

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
        out.append(_event("departure", name, role, org, None, v, ctx, 0.6))
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
    return _subjects_leave(v, role, None, ctx, 0.7)

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
                    out.append(_event("departure", name, role, _org_for(v), None, v, ctx, 0.55))
                    break
    return out

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
        ev = _event("departure", name, None, roles.org_near(v), None, v, ctx, 0.45)
        ev.cue = "current"                  # the wave of departures is the article's news
        out.append(ev)
    return out

_TENURE_NOUNS = {"tenure", "stint", "spell", "term", "reign"}
_LOSS_OBJECTS = {"seat", "job", "post", "position", "bid", "election", "race", "primary", "nomination"}


def _as_role(tok: Token) -> tuple[str | None, str | None]:
    """The role of an 'as X' phrase attached to ``tok`` or to one of its children."""
    for t in [tok] + list(tok.children):
        for c in t.children:
            if c.dep_ == "prep" and c.lower_ == "as" and pobj(c) is not None and (
                    roles.is_role_word(pobj(c)) or pobj(c).lemma_ in POST_WORDS):
                return roles.role_phrase(pobj(c))
    return None, None


def from_ended_tenure(v: Token, ctx: Context) -> list[RawEvent]:
    """A tenure stated as over: 'lasted six months as chief of staff', 'had a short tenure as X'."""
    lemma = v.lemma_.lower()
    if lemma == "last":
        span = child(v, "npadvmod", "dobj")
        if span is None or span.ent_type_ != "DATE":
            return []
        role, org = _as_role(v)
    elif lemma in ("have", "serve", "enjoy"):
        obj = child(v, "dobj")
        if obj is None or obj.lemma_ not in _TENURE_NOUNS or not any(
                c.dep_ == "amod" and c.lower_ in ("short", "brief", "short-lived", "shortlived")
                for c in obj.children):
            return []
        role, org = _as_role(obj)
    else:
        return []
    if role is None or unreal(v):
        return []
    return _subjects_leave(v, role, org, ctx, 0.6)


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
        role, org = _as_role(obj)
    out = []
    leavers = persons(subject_of(v), ctx)
    to = next((pobj(c) for c in v.children if c.dep_ == "prep" and c.lower_ == "to"), None)
    winners = persons(to, ctx) if obj.lemma_ not in ("job", "post", "position") else []
    for name, t in leavers:
        r, o = _fill(role, org, t, v)
        out.append(_event("departure", name, r, o, winners[0][0] if len(winners) == 1 else None, v, ctx, 0.65))
    if leavers:
        for name, t in winners:
            out.append(_event("appointment", name, out[0].role, out[0].organisation, leavers[0][0], v, ctx, 0.6))
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
        out.append(_event("appointment", name, role or p.lower_, org or _org_for(v), None, v, ctx, 0.6))
    return out


def extract_doc(doc: Doc, ctx: Context) -> list[RawEvent]:
    """All raw events of a parsed doc (a sentence, a window or a whole article)."""
    out: list[RawEvent] = []
    for tok in doc:
        if tok.pos_ in ("VERB", "AUX") or tok.tag_.startswith("VB"):
            out += from_verb(tok, ctx)
            out += from_not_standing(tok, ctx)
            out += from_exception(tok, ctx)
            out += from_tenure(tok, ctx)
            out += from_ended_tenure(tok, ctx)
            out += from_lost_seat(tok, ctx)
            out += from_candidacy(tok, ctx)
        elif tok.pos_ in ("NOUN", "PROPN") and tok.dep_ == "ROOT" and child(tok, "nsubj") is not None \
                and trigger_lemma(tok) in _VERB_LEMMAS:
            out += from_verb(tok, ctx)           # "X and Y resign from ...": a verb tagged as a noun
        elif tok.pos_ in ("NOUN", "PROPN"):
            out += from_noun(tok, ctx)
        elif tok.pos_ == "ADJ":
            out += from_adjective(tok, ctx)
        if tok.dep_ == "amod" and tok.lemma_.lower() in APPOINT_OBJ and any(
                c.lower_ in ("newly", "recently", "just") for c in tok.children):
            out += from_newly(tok, ctx)
        if tok.lemma_ in ("fill", "vacate"):
            out += from_vacancy(tok, ctx)
    return out


def pattern_event(type_: str, name: str, tok: Token, role, org, v: Token, ctx: Context) -> RawEvent:
    """An event of a DependencyMatcher pattern (patterns.py): gaps filled from the person's title."""
    if role is None:
        role, org = trigger_role(v)          # "entered the cabinet as transport secretary"
    r, o = _fill(role, org, tok, v, appointment=type_ == "appointment")
    return _event(type_, name, r, o, None, v, ctx, 0.7 if tok.ent_type_ == "PERSON" else 0.55)
