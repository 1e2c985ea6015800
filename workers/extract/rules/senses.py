"""Word senses: whether a verb use is a staffing change, and which argument moves."""
from __future__ import annotations

import re

from spacy.tokens import Token

from .. import roles
from ..lexicon import (APPOINT_OBJ, APPOINT_OBJ_PHRASAL, APPOINT_PHRASAL, APPOINT_SUBJ, DEPART_OBJ,
    DEPART_OBJ_PHRASAL, DEPART_PHRASAL, DEPART_SUBJ, MEMBERSHIP_OBJECTS, POST_WORDS, WORKPLACE_NOUNS)
from ..syntax import agent_of, as_plural, child, has_as, is_passive, particle, pobj, trigger_lemma, wire_clause


def work_object(o: Token | None) -> bool:
    if o is None:
        return False
    if o.lemma_.lower() in MEMBERSHIP_OBJECTS or record_label(o):
        return False
    return o.ent_type_ in ("ORG", "FAC") or o.lemma_ in WORKPLACE_NOUNS or o.lemma_ in POST_WORDS \
        or o.lower_ in ("television", "tv", "radio") and any(c.dep_ == "det" for c in o.children) \
        or roles.is_role_word(o) or o.lower_ in ("posts", "duties", "responsibilities")

def record_label(o: Token) -> bool:
    """An organisation the article calls a record label ("her former label, Big Note Records"):
    artists sign to and leave labels, which is no post."""
    if o.ent_type_ not in ("ORG", "PERSON", "") or not o.text[:1].isupper():
        return False
    ent = roles.ent_span(o)
    name = (ent.text if ent is not None else o.text).strip()
    if name.split()[-1] == "Records":
        return True
    ctx = o.doc.user_data.get("aidewatch_ctx")
    text = ctx.text if ctx is not None else o.doc.text
    n = re.escape(name)
    return re.search(rf"\b(?:record\s+)?label,?\s+(?:the\s+)?{n}\b|\b{n}(?:\s+Records)?,\s+(?:her|his|their|the|a)\s+"
                     rf"(?:former\s+|new\s+|old\s+)?(?:record\s+)?label\b", text) is not None


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
    or written with party members ("Unity MEPs", "the New Dawn party")."""
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
    if name.isupper() and 2 <= len(name) <= 6 and name in _party_acronyms(text):
        return True                  # "UKIP" for the "UK Independence Party" of the same text
    return re.search(r"\b%s(?:'s)?\s+(?:[Pp]arty|MEPs?|MPs|MSPs|AMs|councillors|members|membership|activists)\b|"
                     r"\b(?:party|parties),?\s+%s\b" % (re.escape(name), re.escape(name)), text) is not None


_PARTY_NAME = re.compile(r"\b((?:[A-Z][\w'-]*\s+){1,4})Party\b")


def _party_acronyms(text: str) -> set[str]:
    """Acronyms of the "... Party" names of a text: capital words give their initial, all-caps words
    themselves ("UK Independence Party" -> UKIP, "Scottish National Party" -> SNP)."""
    out = set()
    for m in _PARTY_NAME.finditer(text):
        words = m.group(1).split() + ["Party"]
        for start in range(len(words) - 1):
            out.add("".join(w if w.isupper() else w[0] for w in words[start:]).upper())
    return out


def _party_group(o: Token) -> bool:
    """'the group of MEPs', 'the Tory group': a group of a party's elected members."""
    return o.lemma_ in ("group", "caucus", "bloc", "whip") and any(
        t.lower_ in ("meps", "mps", "msps", "senators", "councillors", "conference") or party_name(t)
        for t in o.subtree if t.i != o.i)


_BODIES = {"court", "bench", "cabinet", "board", "commission", "post", "position", "seat"}


def _confirmed_to_a_body(v: Token) -> bool:
    """'confirmed Judge X to the Supreme Court': a person confirmed to a court, board or post."""
    obj = child(v, "dobj")
    to = next((pobj(c) for c in v.children if c.dep_ == "prep" and c.lower_ == "to"), None)
    return obj is not None and obj.ent_type_ == "PERSON" and to is not None and (
        to.lemma_.lower() in _BODIES or to.ent_type_ == "ORG")


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
        if lemma == "swear" and not has_as(v):
            return None                          # a witness sworn in: only "sworn in as mayor" is a post
        return "appointment", "obj"              # "was brought in as interim chief executive"
    if (lemma, prt) in APPOINT_PHRASAL:
        obj = child(v, "dobj")
        if has_as(v) and as_plural(v):
            return None
        if (prt == "over" and (obj is None or work_object(obj) or obj.lemma_ in ("control", "helm", "reins", "running")))\
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
            if obj is not None and not work_object(obj) and not (obj.lemma_.lower() == "stage" and lemma != "quit"
                                                                 and obj.ent_type_ == "" and prt == ""):
                return None                  # "exits the political stage": an idiom of leaving office
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
                if any(c.dep_ in ("dative", "ccomp", "xcomp") and not _left_to_do(c) for c in v.children):
                    return None
        if lemma == "retire" and v.tag_ == "VBN" and v.dep_ in ("amod", "acl"):
            return None
        return "departure", "subj"
    if lemma in DEPART_OBJ:
        # "removed from suicide watch", "fired from the team"? - the place left must be a post or workplace
        frm = next((pobj(c) for c in v.children if c.dep_ == "prep" and c.lower_ == "from"), None)
        if frm is not None and not work_object(frm) and frm.ent_type_ not in ("ORG", "GPE", "NORP"):
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
            # "X was made chief executive"; "X was made an MEP" (the parser calls the post an object)
            # ("X was made to resign" is no post)
            post = next((c for c in v.children if (c.dep_ in ("oprd", "attr", "xcomp", "ccomp") and c.pos_ in (
                "NOUN", "PROPN")) or (c.dep_ == "dobj" and roles.is_role_word(c))), None)
            if lemma == "make" and not (is_passive(v) and post is not None):
                return None
            if lemma == "put" and not any(c.dep_ == "prep" and pobj(c) is not None and pobj(c).lower_ in ("charge", "place") for c in v.children):
                return None
            if lemma == "confirm" and not has_as(v) and not _confirmed_to_a_body(v):
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
        if lemma in ("join", "rejoin") and has_as(v) and as_plural(v):
            return None
        if lemma in ("join", "rejoin"):
            if obj is not None and not has_as(v) and party_name(obj):
                return None
            return ("appointment", "subj") if has_as(v) or work_object(obj) and obj.lemma_ not in ("party",) else None
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
            fut = any(c.dep_ == "aux" and c.lower_ in ("will", "to", "'ll", "would") for c in v.children) \
                or v.dep_ in ("xcomp", "advcl") \
                or v.tag_ == "VBG" and any(c.dep_ == "aux" and c.lower_ in ("is", "are", "am", "'s", "'re", "’s")
                                           for c in v.children)  # "is acting as", not "was then serving as"
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


# what people leave a post to do: "left to pursue other interests", "is leaving to join a rival"
_LEAVE_TO = {"pursue", "join", "start", "found", "launch", "spend", "become", "take", "focus", "concentrate",
             "run", "lead", "head", "set", "work", "teach", "study", "care", "return"}


def _left_to_do(c: Token) -> bool:
    return c.dep_ == "xcomp" and c.lemma_ in _LEAVE_TO and any(a.dep_ == "aux" and a.lower_ == "to" for a in c.children)
