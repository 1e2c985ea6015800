"""Where a trigger's person, role and organisation stand: the "as X" phrase, a title before a name,
an apposition, a title given elsewhere in the article, a description named in another sentence."""
from __future__ import annotations

import re

from spacy.tokens import Token

from .. import roles
from ..context import Context
from ..lexicon import APPOINT_OBJ, DEPART_OBJ, DEPART_SUBJ, POST_WORDS
from ..names import clean_person, looks_like_person
from ..syntax import child, object_of, pobj


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
        elif c.dep_ == "prep" and c.lower_ == "after" and v.lemma_ in DEPART_SUBJ | DEPART_OBJ \
                and pobj(c) is not None and pobj(c).lemma_ in ("year", "decade", "month"):
            as_ = next((pobj(g) for g in pobj(c).children if g.dep_ == "prep" and g.lower_ == "as"), None)
            if as_ is not None and roles.is_role_word(as_):
                cands.append(as_)                # "is leaving after ten years as finance director"
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
        elif c.dep_ in ("xcomp", "advcl") and c.lemma_ in ("serve", "become", "take", "act", "assume", "replace", "succeed", "fill", "run", "lead", "head",
                                                          "be"):
            if v.lemma_ in APPOINT_OBJ or v.pos_ == "NOUN":
                r, o = trigger_role(c)
                if r:
                    return r, o
                led = child(c, "dobj") if c.lemma_ in ("lead", "head", "run") else None
                if led is not None and roles._org_text(led):
                    return None, roles._org_text(led)     # "tapped X to lead the housing agency"
        elif c.dep_ in ("dobj",) and v.lemma_ in ("become", "assume", "accept", "take", "head", "win") and c.pos_ == "NOUN":
            as_ = next((pobj(g) for g in c.children if g.dep_ == "prep" and g.lower_ == "as"), None)
            if as_ is not None:
                cands.insert(0, as_)             # "won Senate confirmation as navy secretary"
            for_ = next((pobj(g) for g in c.children if g.dep_ == "prep" and g.lower_ == "for"), None)
            if v.lemma_ == "win" and for_ is not None and roles.is_role_word(for_):
                cands.insert(0, for_)            # "won the race for deputy chairman": the post contested
            cands.append(c)
        elif c.dep_ == "dobj" and v.lemma_ in APPOINT_OBJ and roles.is_role_word(c) and c.ent_type_ != "PERSON":
            cands.append(c)
        elif c.dep_ == "dobj" and v.lemma_ in ("succeed", "replace") and c.ent_type_ == "PERSON":
            as_ = next((pobj(g) for g in c.children if g.dep_ == "prep" and g.lower_ == "as"), None)
            if as_ is not None and (roles.is_role_word(as_) or as_.lemma_ in POST_WORDS):
                cands.insert(0, as_)             # "to succeed Ann Holt as Acme manager", "as" hung on the name
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
    if p.pos_ == "NOUN" and not p.ent_type_ and roles.is_role_word(p) \
            and any(c.dep_ == "det" and c.lower_ == "the" for c in p.children):
        role, org = roles.role_phrase(p)     # "fired the commissioner of Social Security": the description is the post
        if org:
            return role, org
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

def org_for(v: Token) -> str | None:
    org = roles.org_near(v)
    if org:
        return org
    if v.dep_ == "conj" and v.head.pos_ == "VERB" and not any(
            c.dep_ == "dobj" or c.dep_ == "prep" and pobj(c) is not None and pobj(c).ent_type_ not in ("DATE", "TIME")
            for c in v.children):
        org = roles.org_near(v.head)         # "joined the Varga administration in 2009 and quit"
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


def appointee_instead(tok: Token | None) -> Token | None:
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
    from ..events import _same
    names = [n for n in found if not any(_same(n, o) and len(o) > len(n) for o in found)]
    if len(names) != 1:
        return []
    return [(names[0], arg)]


# words for any post of a group ("resigned as officers of the company"): each person's own title,
# written with the name, says which post it was
GROUP_POSTS = {"officer", "official", "executive", "employee", "member", "staff", "staffer", "manager"}


def _words(text: str) -> set[str]:
    return set(re.findall(r"\w+", text.lower())) - {"the", "of", "and", "a", "an", "to", "for"}


def fill(ev_role, ev_org, p: Token, v: Token, appointment: bool = False) -> tuple[str | None, str | None]:
    role, org = ev_role, ev_org
    prole, porg = person_role(p, appointment)
    if role and prole and role.lower() in GROUP_POSTS and prole.lower() not in GROUP_POSTS:
        role = prole
    if role and prole and porg and not _words(role) & _words(prole):
        porg = None        # "X, chairman of Acme, as ambassador": Acme is the old post's, not the new one's
    role = role or prole
    org = org or porg or org_for(v)
    if org and role and org.lower() == role.lower():
        org = None         # "became an MEP": the recogniser's organisation is the post itself
    return role, org


def article_role(name: str, ctx: Context, departure: bool = True, past: bool = False) -> str | None:
    """A title the article gives the person elsewhere ("former" titles only for departures).

    A departure stated in the past ("was ousted last year") is from a post the person no longer
    holds: only a "former" title can be it, never the title the person holds now."""
    from ..events import _same
    if departure and past:
        tables = (ctx.former_titles,)
    else:
        tables = (ctx.titles, ctx.former_titles) if departure else (ctx.titles,)
    for table in tables:
        for mentioned, title in table.items():
            if _same(mentioned, name):
                return title
    if departure and ctx.text and name.split():
        # "Mr. X, who ..., is a former chief of staff to ...": a former post stated as a predicate
        m = re.search(r"\b%s\b[^.;]{0,120}?\b(?:is|was) (?:a|the) former ((?:[a-z-]+ ){0,4}?[a-z-]+)(?= to | at | for | and |[,.])"
                      % re.escape(name.split()[-1]), ctx.text)
        if m and roles.is_role_text(m.group(1)):
            return m.group(1)
    return None


def as_role(tok: Token) -> tuple[str | None, str | None]:
    """The role of an 'as X' phrase attached to ``tok`` or to one of its children."""
    for t in [tok] + list(tok.children):
        for c in t.children:
            if c.dep_ == "prep" and c.lower_ == "as" and pobj(c) is not None and (
                    roles.is_role_word(pobj(c)) or pobj(c).lemma_ in POST_WORDS):
                return roles.role_phrase(pobj(c))
    return None, None
