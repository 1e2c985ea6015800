"""Is a stated move real? Negation, modality, conditions, calls, speculation, repetition."""
from __future__ import annotations

import re

from spacy.tokens import Token

from .lexicon import CONDITIONAL_MARKS, SPEC_GOVERNORS, SPEC_MODALS


_SHORTLIST = {"finalist", "contender", "front-runner", "frontrunner", "runner-up", "possibility", "option"}


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
    # "had neither met him nor appointed him"
    if trigger.dep_ == "conj" and any(t.lower_ == "nor" for t in trigger.doc[trigger.head.i:trigger.i]) \
            and not allow_neg:
        return True
    # "named X as a finalist": a place on a shortlist, not the post
    for c in trigger.children:
        if c.dep_ == "prep" and c.lower_ == "as" and any(
                g.dep_ == "pobj" and g.lemma_.lower() in _SHORTLIST for g in c.children):
            return True
    # "it was a mistake to nominate him": an evaluation of a possible move
    if any(c.dep_ == "aux" and c.lower_ == "to" for c in trigger.children) and trigger.head is not trigger \
            and trigger.head.lemma_ == "be" and any(c.dep_ in ("nsubj", "expl") and c.lower_ == "it"
                                                    for c in trigger.head.children):
        return True
    chain = [trigger]
    t = trigger
    for _ in range(5):
        if t.dep_ in ("ROOT", "conj") or t.head is t or t.dep_ == "relcl" and not any(
                c.dep_ == "aux" and c.lower_ == "to" for c in t.children):
            break                   # a relative clause states its own fact: "X, who quit, denied ..."
        t = t.head
        chain.append(t)
    if trigger.dep_ == "conj" and any(c.dep_ == "aux" and c.lower_ in SPEC_MODALS for c in trigger.head.children):
        return True
    for i, t in enumerate(chain):
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

def is_repeat(v: Token) -> bool:
    """Re-election or re-appointment to a post already held: 'an eighth term', 'to again lead'."""
    words = [t.lower_ for t in v.subtree]
    if "again" in words or "re-elected" in words or "re-election" in words:
        return True
    text = " ".join(words)
    return bool(re.search(r"\b(another|second|third|fourth|fifth|sixth|seventh|eighth|ninth|tenth|new|further|fresh) (?:\w+ )?term\b", text))
