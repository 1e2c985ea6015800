"""Dependency rules: from a trigger token to (person, type, role, organisation, counterpart)."""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import datetime

from spacy.tokens import Doc, Span, Token

from . import historical, roles
from .lexicon import (APPOINT_NOUNS, APPOINT_OBJ, APPOINT_PHRASAL, APPOINT_SUBJ, CONDITIONAL_MARKS,
                      DEPART_NOUNS, DEPART_OBJ, DEPART_OBJ_PHRASAL, DEPART_PHRASAL, DEPART_SUBJ,
                      MEMBERSHIP_OBJECTS, POST_WORDS, PRONOUNS_FEMALE, PRONOUNS_MALE, SPEC_GOVERNORS,
                      SPEC_MODALS, WORKPLACE_NOUNS)
from .names import NameTable, clean_person, key

_PRON = PRONOUNS_MALE | PRONOUNS_FEMALE
_AGE = re.compile(r"^\d+-year-old$")


@dataclass
class Context:
    """What the rules know about the article beyond one sentence."""

    names: NameTable
    titles: dict = field(default_factory=dict)            # name as mentioned -> title seen in text
    former_titles: dict = field(default_factory=dict)     # name -> title written with "former"
    headline_roles: dict = field(default_factory=dict)    # type -> (role, org) of an unnamed headline subject
    published: datetime | None = None
    collective: bool = False
    title_end: int = 0                                   # text offsets [0, title_end) are the headline


@dataclass
class RawEvent:
    type: str
    person: str
    role: str | None
    organisation: str | None
    counterpart: str | None
    evidence: str
    offset: int                                          # article offset of the sentence
    cue: str | None = None                               # 'past' | 'current' | None
    background: bool = False
    confidence: float = 0.7
    in_title: bool = False
    extra: dict = field(default_factory=dict)


# --- person resolution -------------------------------------------------------------------------

def _offset(tok: Token) -> int:
    return tok.doc.user_data.get("aidewatch_offset", 0) + tok.idx


def person_name(tok: Token, ctx: Context) -> str | None:
    """The person a token stands for: a PERSON entity, a linked surname, a pronoun's antecedent."""
    if tok.ent_type_ == "PERSON":
        ent = roles.ent_span(tok)
        text = ent.text if ent is not None else tok.text
        name = clean_person(text)
        if not name or len(name) < 2:
            return None
        return ctx.names.expand(name, _offset(tok))
    low = tok.lower_
    if low in _PRON and tok.pos_ == "PRON":
        cata = _cataphor(tok)
        if cata is not None:
            return person_name(cata, ctx)
        if tok.dep_ in ("dobj", "pobj", "dative") and low in ("him", "her"):
            sent_names = frozenset(person_name(t, ctx) for t in tok.sent
                                   if t.ent_type_ == "PERSON" and t.i < tok.i and t.dep_ != "compound")
            return ctx.names.antecedent(_offset(tok), low, sent_names - {None})
        bound = _bound_subject(tok, ctx)
        return bound or ctx.names.antecedent(_offset(tok), low)
    if _AGE.match(low) or (low == "old" and tok.i > 0 and _AGE.match(tok.doc[tok.i - 1].lower_ + "-old")):
        return ctx.names.antecedent(_offset(tok), "")
    if (tok.pos_ == "PROPN" or tok.pos_ == "NOUN" and tok.text[:1].isupper()) and tok.ent_type_ in ("", "ORG", "GPE", "NORP"):
        k = tok.lower_
        full = ctx.names.full_names()
        prev = tok.doc[tok.i - 1].lower_.rstrip(".") if tok.i > 0 else ""
        honor = prev in ("mr", "mrs", "ms", "dr", "sir", "dame", "lord", "lady", "miss")
        if tok.pos_ == "NOUN" and not any(key(f)[-1] == k for f in full if len(key(f)) > 1):
            return None
        if tok.ent_type_ and not honor and not any(
                key(f)[-1] == k for f in ctx.names.full_names() if len(key(f)) > 1):
            return None
        if honor or any(key(f)[-1] == k or key(f)[0] == k for f in full if len(key(f)) > 1):
            ent = roles.ent_span(tok)
            if ent is not None and ent.label_ != "PERSON" and len(ent) > 1 and not honor:
                return None
            return ctx.names.expand(tok.text, _offset(tok))
    if tok.pos_ in ("NOUN", "PROPN"):
        for c in tok.children:
            if c.dep_ == "appos" and c.ent_type_ == "PERSON":
                return person_name(c, ctx)
        if tok.lemma_ in ("employment", "job", "contract", "tenure", "services", "post", "position"):
            poss = _child(tok, "poss")
            if poss is not None:
                return person_name(poss, ctx)
        if roles.is_role_word(tok) and tok.tag_ in ("NN", "NNP"):
            # "Special Envoy for Haiti Daniel Foote": the name closes the noun phrase
            run = []
            for t in reversed(list(tok.subtree)):
                if t.pos_ == "PROPN" and t.i > tok.i - 1:
                    run.insert(0, t)
                elif run or t.is_punct:
                    if run:
                        break
                    continue
                else:
                    break
            if len(run) >= 2 and all(t.dep_ in ("compound", "pobj", "appos", "flat") for t in run) \
                    and all(a.dep_ in ("compound", "pobj", "prep", "appos") or a.i == tok.i
                            for a in run[-1].ancestors if a.i >= tok.i):
                n = 3 if len(run) >= 3 and (run[-3].text.endswith(".") or len(run[-3].text) == 1) else 2
                text = " ".join(t.text for t in run[-n:])
                from .names import looks_like_person
                cleaned = clean_person(text)
                if looks_like_person(cleaned):
                    return ctx.names.expand(cleaned, _offset(run[0]))
    return None


def _cataphor(pron: Token) -> Token | None:
    """'Before he resigned ..., David Blunkett had ...': the name follows in the main clause."""
    clause = next((a for a in pron.ancestors if a.dep_ == "advcl"), None)
    if clause is None or pron.dep_ != "nsubj" or clause.i > clause.head.i:
        return None
    subj = _child(clause.head, "nsubj", "nsubjpass")
    if subj is not None and subj.i > clause.i and subj.ent_type_ == "PERSON":
        return subj
    return None


def _bound_token(pron: Token) -> Token | None:
    prev = pron
    for depth, anc in enumerate(pron.ancestors):
        if depth > 3 or prev.dep_ == "conj":
            break
        prev = anc
        if anc.pos_ not in ("VERB", "AUX"):
            continue
        subj = _child(anc, "nsubj", "nsubjpass")
        if subj is not None and subj.ent_type_ != "PERSON":
            owner = _child(subj, "poss")
            if owner is not None and owner.ent_type_ == "PERSON" and owner.i < pron.i:
                return owner
        if subj is not None and subj.i < pron.i and (subj.ent_type_ == "PERSON" or subj.pos_ == "PROPN") \
                and not any(a.i == subj.i for a in pron.ancestors):
            return subj
    return None


def _bound_subject(pron: Token, ctx: Context) -> str | None:
    tok = _bound_token(pron)
    return person_name(tok, ctx) if tok is not None else None


def _bound_subject_old(pron: Token, ctx: Context) -> str | None:
    """'X announced her resignation', 'X said he would quit': the pronoun is the clause subject."""
    for depth, anc in enumerate(pron.ancestors):
        if depth > 3:
            break
        if anc.pos_ not in ("VERB", "AUX"):
            continue
        subj = _child(anc, "nsubj", "nsubjpass")
        if subj is not None and subj.i < pron.i and subj.ent_type_ == "PERSON" and subj.i != pron.i \
                and not any(a.i == subj.i for a in pron.ancestors):
            return person_name(subj, ctx)
    return None


def persons(tok: Token | None, ctx: Context) -> list[tuple[str, Token]]:
    """Persons of an argument, following coordination ('Raines and Howard')."""
    if tok is None:
        return []
    out: list[tuple[str, Token]] = []
    seen: set[int] = set()

    def add(t: Token, depth: int = 0) -> None:
        if t.i in seen or depth > 6:
            return
        seen.add(t.i)
        name = person_name(t, ctx)
        if name and all(n != name for n, _ in out):
            if t.pos_ == "PRON":
                t = _cataphor(t) or _bound_token(t) or t
            if t.ent_type_ != "PERSON":
                t = next((c for c in t.children if c.dep_ == "appos" and c.ent_type_ == "PERSON"), t)
            out.append((name, t))
        for c in t.children:
            if c.dep_ == "conj":
                add(c, depth + 1)
            elif c.dep_ == "appos" and c.ent_type_ == "PERSON" and t.ent_type_ == "PERSON" \
                    and any(x.lower_ == "and" for x in t.doc[t.i:c.i]):
                add(c, depth + 1)
            elif c.dep_ == "appos" and c.ent_type_ != "PERSON":
                for g in c.children:
                    if g.dep_ == "conj":
                        add(g, depth + 1)

    add(tok)
    return out


# --- argument navigation --------------------------------------------------------------------------

def _child(tok: Token, *deps: str) -> Token | None:
    return next((c for c in tok.children if c.dep_ in deps), None)


def _is_passive(v: Token) -> bool:
    if any(c.dep_ in ("auxpass", "nsubjpass") for c in v.children):
        return True
    return v.tag_ == "VBN" and v.dep_ in ("acl", "relcl", "amod", "conj", "advcl") and not any(
        c.dep_ in ("aux", "nsubj", "dobj") for c in v.children)


def subject_of(v: Token, depth: int = 0) -> Token | None:
    subj = _child(v, "nsubj", "nsubjpass")
    if subj is not None and subj.lower_ in ("who", "that", "which") and v.dep_ == "relcl":
        return v.head
    if subj is not None:
        return subj
    if depth > 3:
        return None
    if v.dep_ == "acl" and v.head.lemma_ in ("decision", "plan", "intention", "announcement", "move", "bid",
                                             "choice", "offer", "nomination", "appointment", "selection", "pick"):
        owner = _child(v.head, "poss")
        if owner is None:
            by = next((c for c in v.head.children if c.dep_ == "prep" and c.lower_ == "by"), None)
            owner = _pobj(by) if by is not None else None
        return owner
    if v.dep_ in ("relcl", "acl") and v.head.pos_ in ("NOUN", "PROPN", "PRON"):
        return v.head
    if v.dep_ in ("xcomp", "advcl") and v.head.pos_ in ("VERB", "AUX"):
        obj = _child(v.head, "dobj")
        if obj is not None and v.dep_ == "xcomp":
            return obj
        if obj is not None and v.head.lemma_ in APPOINT_OBJ and v.dep_ == "advcl":
            return obj
        return subject_of(v.head, depth + 1)
    if v.dep_ == "conj":
        return subject_of(v.head, depth + 1)
    if v.dep_ == "pcomp" and v.head.head is not None:
        return subject_of(v.head.head, depth + 1)
    return None


def object_of(v: Token) -> Token | None:
    obj = _child(v, "dobj")
    if obj is not None and v.tag_ == "VBN" and v.dep_ in ("advcl", "acl") and roles.is_role_word(obj) \
            and obj.ent_type_ != "PERSON" and _child(v, "nsubj", "nsubjpass", "aux") is None:
        return subject_of(v.head) if v.dep_ == "advcl" else v.head   # "Named home secretary, X ..."
    for c in v.children:
        if c.dep_ in ("dobj", "oprd") and c.ent_type_ == "PERSON" and not any(x.dep_ == "auxpass" for x in v.children):
            return c
    if _is_passive(v):
        subj = _child(v, "nsubjpass", "nsubj")
        if subj is not None and subj.lower_ in ("who", "that", "which") and v.dep_ == "relcl":
            return v.head
        if subj is not None:
            return subj
        if v.dep_ in ("acl", "amod") or v.dep_ == "relcl":
            return v.head
        if v.dep_ in ("conj", "xcomp", "advcl"):
            return subject_of(v.head)
        return None
    obj = _child(v, "dobj")
    if obj is None and v.dep_ == "relcl" and v.head.pos_ in ("NOUN", "PROPN"):
        return v.head
    return obj


def agent_of(v: Token) -> Token | None:
    agent = _child(v, "agent")
    return _child(agent, "pobj") if agent is not None else None


# --- reality check ----------------------------------------------------------------------------------

def unreal(trigger: Token, allow_neg: bool = False) -> bool:
    """Negated, modal, conditional, questioned or governed by a call / denial / expectation."""
    sent = trigger.sent
    if sent.text.rstrip().endswith("?"):
        return True
    before = trigger.doc[sent.start:trigger.i].text.lower()
    if re.search(r"\b(calls?|demands?|pressure|pressing|urging|clamou?r)\b[^.;]{0,60}\b(for|to|on)\b", before):
        return True
    if re.search(r"\b(shortlist|short-list|short list|contenders?|front-?runners?|in the running|"
                 r"under consideration|considered for|tipped|favou?rite to|in line to|vying)\b", before):
        return True
    chain = [trigger]
    t = trigger
    for _ in range(5):
        if t.dep_ in ("ROOT", "conj") or t.head is t:
            break
        t = t.head
        chain.append(t)
    if trigger.dep_ == "conj" and any(c.dep_ == "aux" and c.lower_ in SPEC_MODALS for c in trigger.head.children):
        return True
    for i, t in enumerate(chain):
        own = t is trigger or t.dep_ in ("xcomp",) or chain[i - 1].dep_ in ("xcomp", "pobj", "prep", "dobj", "nsubj", "nsubjpass", "acl", "ccomp", "advcl", "relcl", "conj", "attr", "compound")
        for c in t.children:
            if c.lower_ in ("never", "neither", "nor") and not allow_neg and i <= 1:
                return True
            if c.dep_ == "neg" and not allow_neg and (t is trigger or chain[i - 1].dep_ in ("xcomp", "ccomp")):
                return True
            if c.dep_ == "aux" and c.lower_ in SPEC_MODALS and i <= 1:
                return True
            if c.dep_ == "mark" and c.lower_ in CONDITIONAL_MARKS and i <= 1:
                return True
        if i > 0 and (t.lemma_.lower() in SPEC_GOVERNORS or t.lower_ in SPEC_GOVERNORS):
            return True
        if i > 0 and any(c.dep_ == "neg" for c in t.children) and t.lemma_ not in ("say", "tell"):
            return True
        if any(c.dep_ == "amod" and c.lower_ in ("possible", "potential", "likely", "rumoured", "rumored", "expected", "prospective", "would-be") for c in t.children):
            return True
        if t.dep_ == "advcl" and any(c.lower_ in CONDITIONAL_MARKS for c in t.children):
            return True
    # "would quit if ..."
    if any(c.lower_ == "would" for c in trigger.children) and any(
            w.lower_ in CONDITIONAL_MARKS for w in sent):
        return True
    if any(c.lower_ == "would" for c in trigger.children):
        heads = [a.lemma_ for a in trigger.ancestors][:2]
        if not any(h in ("say", "tell", "announce", "confirm", "report", "add", "write", "state") for h in heads):
            return True
    return False


# --- roles ------------------------------------------------------------------------------------------

def _pobj(prep: Token) -> Token | None:
    return _child(prep, "pobj")


def trigger_role(v: Token) -> tuple[str | None, str | None]:
    """A role attached to the trigger: 'as X', 'to the post of X', oprd/attr 'named X president'."""
    cands: list[Token] = []
    for c in v.children:
        if c.dep_ == "prep" and c.lower_ == "as":
            p = _pobj(c)
            if p is not None:
                cands.insert(0, p)
        elif c.dep_ in ("oprd", "attr") and c.pos_ in ("NOUN", "PROPN"):
            cands.append(c)
        elif c.dep_ in ("advcl", "ccomp") and c.pos_ in ("NOUN", "PROPN") and any(
                g.dep_ == "mark" and g.lower_ == "as" for g in c.children):
            cands.insert(0, c)
        elif c.dep_ == "dobj" and c.lemma_ in POST_WORDS:
            inner = next((g for g in c.children if g.dep_ == "prep" and g.lower_ in ("of", "as")), None)
            if inner is not None and _pobj(inner) is not None:
                cands.append(_pobj(inner))
        elif c.dep_ == "prep" and c.lower_ in ("to", "from", "of", "for", "at") and v.pos_ in ("VERB", "NOUN"):
            p = _pobj(c)
            if p is not None and p.ent_type_ != "PERSON":
                if p.lemma_ in POST_WORDS:
                    inner = next((g for g in p.children if g.dep_ == "prep" and g.lower_ in ("of", "as")), None)
                    if inner is not None and _pobj(inner) is not None:
                        cands.append(_pobj(inner))
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
            cands.append(c)
        elif c.dep_ == "dobj" and v.lemma_ in APPOINT_OBJ and roles.is_role_word(c) and c.ent_type_ != "PERSON":
            cands.append(c)
    for cand in cands:
        role, org = roles.role_phrase(cand)
        if role:
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
    # "Hartmarx Corp said X resigned": the company speaking
    for anc in v.ancestors:
        if anc.lemma_ in ("say", "announce", "report", "confirm"):
            subj = _child(anc, "nsubj")
            if subj is not None and subj.ent_type_ in ("ORG",):
                return roles._org_text(subj)
            break
    return None


# --- the rules --------------------------------------------------------------------------------------

def _prt(v: Token) -> str:
    p = _child(v, "prt")
    if p is not None:
        return p.lower_
    nxt = v.doc[v.i + 1] if v.i + 1 < len(v.doc) else None
    if nxt is not None and nxt.lower_ in ("down", "aside", "out", "over", "up", "on", "back") and nxt.dep_ in ("advmod", "prt", "prep"):
        return nxt.lower_
    return ""


def _work_object(o: Token | None) -> bool:
    if o is None:
        return False
    if o.lemma_ in MEMBERSHIP_OBJECTS and o.ent_type_ not in ("ORG",):
        return False
    return o.ent_type_ in ("ORG", "FAC") or o.lemma_ in WORKPLACE_NOUNS or o.lemma_ in POST_WORDS \
        or roles.is_role_word(o) or o.lower_ in ("posts", "duties", "responsibilities")


def _as_plural(v: Token) -> bool:
    """'joins X as the only black senators': a plural 'as' phrase is no position."""
    for c in v.children:
        if c.dep_ == "prep" and c.lower_ == "as":
            p = _pobj(c)
            return p is not None and p.tag_ in ("NNS", "NNPS")
    return False


def _has_as(v: Token) -> bool:
    return any(c.dep_ == "prep" and c.lower_ == "as" for c in v.children)


def classify_verb(v: Token) -> tuple[str, str] | None:
    """(type, argument slot) for a verb trigger, or None when the sense is not a staffing change."""
    lemma = v.lemma_.lower()
    prt = _prt(v)
    if v.dep_ == "amod":
        return None
    if (lemma, prt) in DEPART_PHRASAL:
        return "departure", "subj"
    if (lemma, prt) in DEPART_OBJ_PHRASAL:
        return "departure", "obj"
    if (lemma, prt) in APPOINT_PHRASAL:
        obj = _child(v, "dobj")
        if _has_as(v) and _as_plural(v):
            return None
        if (prt == "over" and (obj is None or _work_object(obj) or obj.lemma_ in ("control", "helm", "reins", "running")))\
                or _has_as(v) or (obj is not None and (obj.lemma_ in POST_WORDS or roles.is_role_word(obj))):
            return "appointment", "subj"
        return None
    if lemma in ("replace", "succeed"):
        return "replace", "special"
    if lemma in DEPART_SUBJ:
        if prt in ("out", "behind", "over", "off") and lemma == "leave":
            return None
        obj = _child(v, "dobj")
        if lemma in ("leave", "quit", "exit", "depart"):
            if obj is not None and not _work_object(obj):
                return None
            if obj is None and lemma == "leave":
                for c in v.children:
                    if c.dep_ == "prep" and c.lower_ in ("for", "to", "on", "with", "in"):
                        p = _pobj(c)
                        if p is not None and p.ent_type_ not in ("ORG",) and c.lower_ != "in":
                            return None
                if any(c.dep_ in ("dative", "ccomp", "xcomp") for c in v.children):
                    return None
        if lemma == "retire" and v.tag_ == "VBN" and v.dep_ in ("amod", "acl"):
            return None
        return "departure", "subj"
    if lemma in DEPART_OBJ:
        return "departure", "obj"
    if lemma in APPOINT_OBJ:
        if lemma in ("make", "put", "confirm", "name", "reappoint"):
            if lemma == "make" and not (_is_passive(v) and _child(v, "oprd", "attr", "xcomp", "ccomp")):
                return None
            if lemma == "put" and not any(c.dep_ == "prep" and _pobj(c) is not None and _pobj(c).lower_ in ("charge", "place") for c in v.children):
                return None
            if lemma == "confirm" and not _has_as(v):
                return None
            nxt = v.doc[v.i + 1].lower_ if v.i + 1 < len(v.doc) else ""
            if lemma == "name" and (nxt in ("after", "in", "for") or any(
                    c.dep_ == "prep" and c.lower_ == "in" and _pobj(c) is not None
                    and _pobj(c).lemma_ in ("suit", "lawsuit", "report", "case", "complaint", "indictment")
                    for c in v.children)):
                return None
            if lemma == "reappoint":
                return None
        if v.dep_ == "acl" and lemma == "name" and not any(
                c.dep_ in ("oprd", "dobj") and c.ent_type_ == "PERSON" for c in v.children):
            return None
        return "appointment", "obj"
    if lemma in APPOINT_SUBJ:
        obj = _child(v, "dobj")
        if lemma == "join" and _has_as(v) and _as_plural(v):
            return None
        if lemma == "join":
            return ("appointment", "subj") if _has_as(v) or _work_object(obj) and obj.lemma_ not in ("party",) else None
        if lemma == "become":
            attr = _child(v, "attr", "dobj", "oprd")
            if attr is not None and any(c.dep_ in ("amod", "nummod") and (c.tag_ in ("JJS", "CD") or c.lower_ in (
                    "first", "last", "only", "second", "third", "youngest", "oldest", "latest")) for c in attr.children):
                return None
            return ("appointment", "subj") if attr is not None and (roles.is_role_word(attr) or attr.lemma_ in POST_WORDS) else None
        if lemma == "assume":
            return ("appointment", "subj") if obj is not None and (obj.lemma_ in POST_WORDS or roles.is_role_word(obj) or obj.lemma_ in ("title", "role")) else None
        if lemma in ("return", "start"):
            return ("appointment", "subj") if _has_as(v) else None
        if lemma in ("remain", "stay"):
            if not _has_as(v):
                return None
            role_tok = _pobj(next(c for c in v.children if c.dep_ == "prep" and c.lower_ == "as"))
            ok = role_tok is not None and role_tok.lemma_ in ("consultant", "adviser", "advisor", "counsel")
            return ("appointment", "subj") if ok else None
        if lemma in ("serve", "act"):
            fut = any(c.lower_ in ("will", "to") for c in v.children) or v.dep_ in ("xcomp", "advcl")
            return ("appointment", "subj") if _has_as(v) and fut else None
        if lemma == "accept":
            return ("appointment", "subj") if obj is not None and obj.lemma_ in POST_WORDS else None
        if lemma == "win":
            ok = obj is not None and obj.lemma_ in ("seat", "election", "race", "competition", "nomination", "contest", "leadership", "vote", "primary")
            if obj is not None and any("re-" in t.lower_ or t.lower_ == "reelection" for t in obj.subtree):
                return None
            return ("appointment", "subj") if ok else None
        if lemma == "move":
            to = next((c for c in v.children if c.dep_ == "prep" and c.lower_ == "to"), None)
            return ("appointment", "subj") if to is not None and _pobj(to) is not None and _pobj(to).ent_type_ == "ORG" else None
        return None
    return None


def _event(type_: str, name: str, role, org, cp, v: Token, ctx: Context, conf: float,
           role_src: str = "trigger") -> RawEvent:
    sent = v.sent
    off = v.doc.user_data.get("aidewatch_offset", 0) + sent.start_char
    if "aidewatch_offset" in v.doc.user_data:       # one regex sentence per Doc: keep it whole
        sent, off = v.doc[:], v.doc.user_data["aidewatch_offset"]
    if conf >= 0.6 and name not in ctx.names.event_people:
        ctx.names.event_people.append(name)
    if role is None:
        role = article_role(name, ctx, type_ == "departure")
        role_src = "article"
    return RawEvent(type=type_, person=name, role=role, organisation=org, counterpart=cp,
                    evidence=sent.text.strip(), offset=off, extra={"role_src": role_src},
                    cue=historical.cue(v, ctx.published), background=historical.background_clause(v),
                    confidence=conf, in_title=off < ctx.title_end)


def _fill(ev_role, ev_org, p: Token, v: Token, appointment: bool = False) -> tuple[str | None, str | None]:
    role, org = ev_role, ev_org
    prole, porg = person_role(p, appointment)
    role = role or prole
    org = org or porg or _org_for(v)
    return role, org


def article_role(name: str, ctx: Context, departure: bool = True) -> str | None:
    """A title the article gives the person elsewhere ("former" titles only for departures)."""
    from .events import _same
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
            return _child(c, "oprd", "dobj") or tok
    return tok


def from_verb(v: Token, ctx: Context) -> list[RawEvent]:
    kind = classify_verb(v)
    if kind is None:
        return []
    type_, slot = kind
    if unreal(v) or (type_ == "appointment" and _repeat(v)):
        return []
    role, org = trigger_role(v)
    out: list[RawEvent] = []
    if slot == "special":                     # replace / succeed
        passive = _is_passive(v)
        if passive:
            old, new = object_of(v), agent_of(v)
        else:
            new, old = subject_of(v), _child(v, "dobj")
            if old is None:      # "X ..., replaces Y, who ..." parsed with two subjects
                late = [c for c in v.children if c.dep_ == "nsubj" and c.i > v.i]
                early = [c for c in v.children if c.dep_ == "nsubj" and c.i < v.i]
                if late and early:
                    new, old = early[0], late[0]
        new = _appointee_instead(new)
        olds, news = persons(old, ctx), persons(new, ctx)
        if not olds:                          # "succeeded in", "replace workers"
            if news and _has_as(v) and v.lemma_ == "succeed":
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
                r = r or article_role(olds[0][0], ctx)
                o = o or o2
            src = "trigger" if r else "title"
            r, o = _fill(r, o, t, v, appointment=True)
            out.append(_event("appointment", n, r, o, cp_old, v, ctx, 0.8, src))
        return out
    arg = subject_of(v) if slot == "subj" else object_of(v)
    if slot == "subj" and v.lemma_ in DEPART_OBJ | APPOINT_OBJ:
        arg = object_of(v)
    found = persons(arg, ctx)
    off = v.doc.user_data.get("aidewatch_offset", 0) + v.sent.start_char
    if not found and arg is not None and roles.is_role_word(arg) and off < max(ctx.title_end, 1) + 1:
        hr, ho = roles.role_phrase(arg)
        if hr:
            ctx.headline_roles.setdefault(type_, (hr, ho))
    for n, t in found:
        r, o = _fill(role, org, t, v, appointment=type_ == "appointment")
        conf = 0.85 if t.ent_type_ == "PERSON" else 0.6
        out.append(_event(type_, n, r, o, None, v, ctx, conf))
    # "takes over from Y", "named X to replace Y" handled by their own triggers; "from Y" here
    if type_ == "appointment" and out:
        for c in v.children:
            if c.dep_ == "prep" and c.lower_ == "from" and _pobj(c) is not None:
                for n, t in persons(_pobj(c), ctx):
                    out.append(_event("departure", n, out[0].role, out[0].organisation, out[0].person, v, ctx, 0.7))
                    out[0].counterpart = n
    return out


def _repeat(v: Token) -> bool:
    """Re-election or re-appointment to a post already held: 'an eighth term', 'to again lead'."""
    words = [t.lower_ for t in v.subtree]
    if "again" in words or "re-elected" in words or "re-election" in words:
        return True
    text = " ".join(words)
    return bool(re.search(r"\b(another|second|third|fourth|fifth|sixth|seventh|eighth|ninth|tenth|new|further|fresh) (?:\w+ )?term\b", text))


def from_noun(n: Token, ctx: Context) -> list[RawEvent]:
    lemma = n.lemma_.lower()
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
        if c.dep_ == "prep" and _pobj(c) is not None and (c.lower_ == "of" or (
                c.lower_ in ("for", "to") and lemma in ("successor", "replacement"))):
            of_arg = of_arg or _pobj(c)
        elif c.dep_ == "poss":
            poss_arg = c
    if of_arg is None:
        j = n.i + 1
        while j < len(n.doc) and (n.doc[j].ent_type_ in ("DATE", "TIME") or n.doc[j].pos_ == "ADV"):
            j += 1
        if j < len(n.doc) and n.doc[j].lower_ == "of":
            of_arg = _pobj(n.doc[j])
    if lemma in ("successor", "replacement", "appointee", "nominee"):
        # "X, Y's successor" / "a replacement for Y": Y leaves
        found = persons(poss_arg or of_arg, ctx)
        out = []
        for name, t in found:
            r, o = person_role(t)
            out.append(_event("departure", name, r, o, None, n, ctx, 0.6))
        if lemma in ("successor", "replacement") and n.dep_ in ("appos", "attr"):
            holder = n.head if n.dep_ == "appos" else _child(n.head, "nsubj", "nsubjpass")
            for name, t in persons(holder, ctx):
                r, o = person_role(t)
                out.append(_event("appointment", name, r, o, found[0][0] if found else None, n, ctx, 0.6))
        return out if lemma in ("successor", "replacement") else []
    if lemma == "loss" and (of_arg is None or of_arg.ent_type_ != "PERSON"):
        return []
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
        holder = _child(head.head, "nsubj")
    if holder is None and head.dep_ == "nsubj":
        holder = _child(head.head, "attr")
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
    out = []
    for name, t in persons(holder, ctx):
        role, org = person_role(t)
        out.append(_event("appointment", name, role, org, None, a, ctx, 0.6))
    return out


def from_vacancy(v: Token, ctx: Context) -> list[RawEvent]:
    """'to fill X's seat' / 'the seat vacated by X': X left that seat."""
    if v.lemma_ == "fill":
        obj = _child(v, "dobj")
        if obj is None or obj.lemma_ not in POST_WORDS | {"vacancy", "slot"}:
            return []
        holder = _child(obj, "poss")
    else:
        holder = agent_of(v) if _is_passive(v) else _child(v, "nsubj")
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
        attr = _child(v, "attr")
        ok = attr is not None and attr.lemma_ == "candidate" and any(c.lower_ in ("will", "wo") for c in v.children)
    if not ok or unreal(v, allow_neg=True):
        return []
    role = None
    attr = _child(v, "attr")
    if attr is not None:
        role, _ = roles.role_phrase(attr)
    out = []
    for name, t in persons(subject_of(v), ctx):
        r, o = _fill(role, None, t, v)
        out.append(_event("departure", name, r, o, None, v, ctx, 0.7))
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
        if c.dep_ == "prep" and c.lower_ == "of" and _pobj(c) is not None:
            r, _ = roles.role_phrase(_pobj(c))
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
    subj = _child(v, "nsubj")
    out = []
    for name, t in persons(subj, ctx):
        out.append(_event("departure", name, None, roles.org_near(v), None, v, ctx, 0.45))
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
