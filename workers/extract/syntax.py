"""Dependency-tree navigation shared by the rules: arguments, voice, particles."""
from __future__ import annotations

from spacy.tokens import Token

from . import roles
from .lexicon import APPOINT_OBJ
from .vocabulary import surface_lemmas


def trigger_lemma(tok: Token) -> str:
    """The trigger word a token stands for: the data's surface form table first, so a plural or
    inflection that spaCy lemmatises differently ("deselected", "resignations") still matches."""
    kind = "noun" if tok.pos_ in ("NOUN", "PROPN") and not tok.tag_.startswith("VB") else "verb"
    return surface_lemmas(kind).get(tok.lower_) or tok.lemma_.lower()


def wire_clause(v: Token) -> bool:
    """'Rovers sacked manager X': the small parser reads the verb as a modifier of the noun phrase
    that is really its object; it still carries its subject."""
    return v.dep_ in ("amod", "compound") and v.tag_ in ("VBD", "VBN") and child(v, "nsubj") is not None


def phrase_head(tok: Token) -> Token:
    """The head of the noun phrase ``tok`` is inside ('manager' in 'manager Ivo Stanek' -> 'Stanek')."""
    while tok.dep_ == "compound" and tok.head is not tok:
        tok = tok.head
    return tok


def partitive_holder(tok: Token) -> Token | None:
    """'X, one of the MPs elected in 1997' / 'X was one of those dismissed' / 'X, the last MP to be
    elected': the person a description is said of, through 'one of' or an apposition."""
    if tok.dep_ == "appos" and tok.head.ent_type_ == "PERSON" and tok.head.i < tok.i:
        return tok.head                      # "X, the most recent MP to be elected"
    of = tok.head if tok.dep_ == "pobj" and tok.head.lower_ == "of" else None
    one = of.head if of is not None and of.head.lower_ in ("one", "among", "two", "three") else None
    if one is None:
        return None
    if one.dep_ == "appos" and one.head.ent_type_ == "PERSON":
        return one.head
    if one.dep_ == "attr":
        return child(one.head, "nsubj")
    return None


def child(tok: Token, *deps: str) -> Token | None:
    return next((c for c in tok.children if c.dep_ in deps), None)

def is_passive(v: Token) -> bool:
    if any(c.dep_ in ("auxpass", "nsubjpass") for c in v.children):
        return True
    return v.tag_ == "VBN" and v.dep_ in ("acl", "relcl", "amod", "conj", "advcl") and not any(
        c.dep_ in ("aux", "nsubj", "dobj") for c in v.children)

def subject_of(v: Token, depth: int = 0) -> Token | None:
    subj = child(v, "nsubj", "nsubjpass")
    subjects = [c for c in v.children if c.dep_ in ("nsubj", "nsubjpass") and c.i < v.i]
    if len(subjects) > 1 and any(t.lower_ in ("and", "but", ";") and v.doc[t.i - 1].text in (",", ";")
                                 for t in v.doc[subjects[-2].i:subjects[-1].i]):
        subj = subjects[-1]                 # "X was fired earlier, and Y stepped aside": two clauses read as one
    if len(subjects) > 1 and any(c.dep_ == "mark" and subjects[-2].i < c.i < subjects[-1].i for c in v.children):
        subj = subjects[-1]                 # "The firm said ..., shortly after X stepped down": the clause's own
    if subj is not None and subj.lower_ in ("who", "that", "which") and v.dep_ == "relcl":
        return v.head
    if len(subjects) > 1 and subjects[0].tag_ == "NNS" and (subjects[-1].ent_type_ == "PERSON"
                                                             or subjects[-1].pos_ == "PROPN"):
        return subjects[-1]                 # "The three directors - A, B and C - have left"
    if subj is not None:
        return subj
    if depth > 3:
        return None
    before = subject_before(v)
    if before is not None:
        return before
    if v.head.lemma_ in _INTENT_NOUNS and (v.dep_ == "acl" or v.dep_ == "relcl" and any(
            c.dep_ == "aux" and c.lower_ == "to" for c in v.children)):  # "a deal to replace": parsed relcl
        owner = child(v.head, "poss")
        if owner is None:
            by = next((c for c in v.head.children if c.dep_ == "prep" and c.lower_ == "by"), None)
            owner = pobj(by) if by is not None else None
        if owner is None and v.head.dep_ == "dobj" and v.head.head.pos_ in ("VERB", "AUX") \
                and v.head.head.lemma_ in ("announce", "unveil", "reveal", "confirm", "make", "take", "agree",
                                           "sign", "accept", "reach", "strike"):
            return subject_of(v.head.head, depth + 1)     # "who announced plans to become chairman"
        return owner
    if v.dep_ == "advcl" and any(c.dep_ == "aux" and c.lower_ == "to" for c in v.children):
        # "follows a decision earlier this month by X to resign": the infinitive belongs to the noun
        obj = child(v.head, "dobj", "nsubj")
        if obj is not None and obj.lemma_ in _INTENT_NOUNS:
            owner = child(obj, "poss")
            by = next((c for h in (obj, v.head) for c in h.children if c.dep_ == "prep" and c.lower_ == "by"), None)
            owner = owner or (pobj(by) if by is not None else None)
            if owner is not None:
                return owner
    if v.dep_ == "acl" and v.head.ent_type_ in ("DATE", "TIME"):
        verb = next((a for a in v.ancestors if a.pos_ in ("VERB", "AUX")), None)
        return subject_of(verb, depth + 1) if verb is not None else None   # "left after six years to become X"
    if v.dep_ in ("relcl", "acl") and v.head.pos_ in ("NOUN", "PROPN", "PRON"):
        return v.head
    if v.dep_ in ("xcomp", "advcl") and v.head.pos_ in ("VERB", "AUX"):
        obj = child(v.head, "dobj")
        if obj is not None and obj.lemma_ in _INTENT_NOUNS and not obj.n_lefts + obj.n_rights:
            obj = None                      # "agrees deal to replace Y" (headline): the one who agrees
        if obj is not None and v.dep_ == "xcomp" and v.head.lemma_ not in _SUBJECT_CONTROL:
            return obj                      # not "left the firm to take over as president": the leaver
        if obj is not None and v.head.lemma_ in APPOINT_OBJ and v.dep_ == "advcl":
            return obj
        return subject_of(v.head, depth + 1)
    if v.dep_ in ("conj", "ccomp") and any(c.dep_ == "aux" for c in v.children):
        # "X had resigned as president and the agency's chairman, Y, would take over": the second
        # clause's subject read as a second role of the first clause, its name an apposition
        named = [t for t in v.doc[v.head.i + 1:v.i] if t.dep_ == "appos" and t.ent_type_ == "PERSON"
                 and t.head.dep_ == "conj" and t.head.i > v.head.i
                 and all(x.is_punct or x.head.i == v.i and x.dep_ in ("aux", "neg", "advmod")
                         for x in v.doc[t.right_edge.i + 1:v.i])]
        if named:
            return named[-1]
    if v.dep_ == "conj":
        return subject_of(v.head, depth + 1)
    if v.dep_ == "pcomp" and v.head.head is not None:
        # "was away ... between stepping down as X and becoming Y": the nearest clause's subject
        verb = next((a for a in v.ancestors if a.pos_ in ("VERB", "AUX")), None)
        return subject_of(verb if verb is not None else v.head.head, depth + 1)
    return None


# verbs whose subject, not object, does what the infinitive says: "left the firm to become X",
# "defeated Y to become mayor", "won the vote to become leader"
_SUBJECT_CONTROL = {"leave", "quit", "exit", "resign", "defeat", "beat", "edge", "outpoll", "overcome",
                    "oust", "unseat", "topple", "win"}

_INTENT_NOUNS = {"decision", "plan", "intention", "announcement", "move", "bid", "choice", "offer",
                 "nomination", "appointment", "selection", "pick", "deal", "contract", "agreement"}


def subject_before(v: Token) -> Token | None:
    """A subject the parser lost: a verb without one, right after a person's name ("after the
    company's chairman Gene Kahn resigned", "the previous candidate, X, was sacked")."""
    if child(v, "nsubj", "nsubjpass", "csubj", "expl") is not None or v.dep_ in ("xcomp", "acl", "relcl", "amod", "pcomp"):
        return None
    if v.tag_ not in ("VBD", "VBZ", "VBP", "VBN"):
        return None
    if v.dep_ == "conj" and any(c.dep_ == "cc" and c.i < v.i for c in v.head.children):
        return None                       # "X resigned and left": the subject is shared
    first = min([v.i] + [c.i for c in v.children if c.dep_ in ("aux", "auxpass", "neg", "advmod") and c.i < v.i])
    j = first - 1
    if j >= 0 and v.doc[j].text == ",":
        j -= 1
    if j < 0:
        return None
    t = v.doc[j]
    if t.ent_type_ != "PERSON" or t.dep_ not in ("appos", "conj", "pobj", "npadvmod", "nmod", "compound"):
        return None
    if t.dep_ == "compound" and t.head.i > j:
        return None
    return t

def object_of(v: Token) -> Token | None:
    if wire_clause(v):
        return phrase_head(v.head)
    if v.tag_ == "VBN" and v.dep_ in ("ccomp", "xcomp") and v.head.lemma_ in ("get", "have") \
            and child(v, "dobj") is None and child(v, "nsubj") is not None:
        return child(v, "nsubj")            # "the remarks that got him sacked"
    obj = child(v, "dobj")
    if obj is not None and v.tag_ == "VBN" and v.dep_ in ("advcl", "acl") and roles.is_role_word(obj) \
            and obj.ent_type_ != "PERSON" and child(v, "nsubj", "nsubjpass", "aux") is None:
        return subject_of(v.head) if v.dep_ == "advcl" else v.head   # "Named home secretary, X ..."
    for c in v.children:
        if c.dep_ in ("dobj", "oprd") and c.ent_type_ == "PERSON" and not any(x.dep_ == "auxpass" for x in v.children):
            return c
        if c.dep_ in ("dobj", "oprd") and roles.is_role_word(c) and not is_passive(v):
            # "named [X] [chief executive]" parsed with the name inside the role phrase
            inner = next((g for g in c.children if g.dep_ in ("nmod", "compound") and g.i < c.i and (
                g.ent_type_ == "PERSON" or g.ent_type_ in ("ORG", "GPE") and g.pos_ == "PROPN"
                and g.ent_iob_ == "I" and not roles.is_role_word(g))), None)
            if inner is not None:
                return inner
    if is_passive(v):
        subj = child(v, "nsubjpass", "nsubj")
        if subj is not None and subj.lower_ in ("who", "that", "which") and v.dep_ == "relcl":
            return v.head
        if subj is not None:
            return subj
        if v.dep_ in ("acl", "amod") or v.dep_ == "relcl":
            return _contact_clause_head(v)
        before = subject_before(v)
        if before is not None:
            return before
        if v.dep_ in ("conj", "xcomp", "advcl"):
            return subject_of(v.head)
        return None
    obj = child(v, "dobj")
    if v.dep_ == "relcl" and v.head.pos_ in ("NOUN", "PROPN") and (
            obj is None or obj.lower_ in ("who", "whom", "that")):
        return v.head                        # "X, who the premier put in charge of ..."
    if obj is None and child(v, "nsubj") is None and v.tag_ in ("VBD", "VBN"):
        return subject_before(v)             # "X, recently sacked as manager, ..." (a participle tagged VBD)
    if obj is None and v.dep_ == "ROOT" and (v.tag_ == "VBN" or v.tag_ == "VBD" and v.lower_.endswith(("en", "wn", "rn"))) \
            and child(v, "aux", "auxpass", "oprd", "dative") is None:
        return child(v, "nsubj")             # a headline's passive without "was": "X sworn in as chairman"
                                             # (a strong participle the tagger read as a past: "sworn", "chosen")
    return obj

def _contact_clause_head(v: Token) -> Token | None:
    """The noun a participle modifies; but in "X, a hotelier Ann Roe tapped as ambassador" (a relative
    clause without "whom") the name before the verb is the clause's subject: the one chosen is the
    noun phrase the clause describes (X), never that name."""
    h = v.head
    if v.i != h.i + 1 or not h.text[:1].isupper() or h.ent_type_ not in ("PERSON", "ORG", "") \
            or h.pos_ not in ("PROPN", "NOUN"):
        return h
    j = h.i - 1
    while j >= 0 and v.doc[j].text[:1].isupper() and v.doc[j].head.i == h.i and v.doc[j].dep_ in ("compound", "flat"):
        j -= 1                               # the rest of the name
    if j < 0 or not v.doc[j].text[:1].islower() or v.doc[j].pos_ not in ("NOUN", "ADJ") \
            or roles.is_role_word(v.doc[j]):
        return h
    k = j
    while k >= 0 and v.doc[k].text[:1].islower() and v.doc[k].pos_ in ("NOUN", "ADJ", "ADV"):
        k -= 1
    if k < 0 or v.doc[k].lower_ not in ("a", "an", "the"):
        return h
    return h.head if h.dep_ == "appos" and h.head.i < h.i else None


def agent_of(v: Token) -> Token | None:
    agent = child(v, "agent")
    return child(agent, "pobj") if agent is not None else None


# --- reality check ----------------------------------------------------------------------------------

def pobj(prep: Token) -> Token | None:
    return child(prep, "pobj")

def particle(v: Token) -> str:
    p = child(v, "prt")
    if p is not None:
        return p.lower_
    nxt = v.doc[v.i + 1] if v.i + 1 < len(v.doc) else None
    if nxt is not None and nxt.lower_ in ("down", "aside", "out", "over", "up", "on", "back") and nxt.dep_ in ("advmod", "prt", "prep"):
        return nxt.lower_
    return ""

def has_as(v: Token) -> bool:
    return any(c.dep_ == "prep" and c.lower_ == "as" for c in v.children)

def as_plural(v: Token) -> bool:
    """'joins X as the only black senators': a plural 'as' phrase is no position."""
    for c in v.children:
        if c.dep_ == "prep" and c.lower_ == "as":
            p = pobj(c)
            return p is not None and p.tag_ in ("NNS", "NNPS")
    return False
