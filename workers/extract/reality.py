"""Is a stated move real? Negation, modality, conditions, calls, speculation, repetition."""
from __future__ import annotations

import re

from spacy.tokens import Token

from .lexicon import CONDITIONAL_MARKS, SPEC_GOVERNORS, SPEC_MODALS


_UNREAL_AMOD = {"possible", "potential", "likely", "rumoured", "rumored", "expected", "prospective", "would-be",
                "threatened", "mooted"}
_SHORTLIST = {"finalist", "contender", "front-runner", "frontrunner", "runner-up", "possibility", "option"}


# a move inside these is presupposed ("after X resigned", "since the resignation of X"): what governs
# the sentence above it (a denial, an expectation, a pledge) is no veto of the move
_PRESUPPOSING = {"after", "since", "following", "before", "until", "amid", "despite", "because", "upon", "though", "although",
                 "once", "over", "when"}
# what still makes a named move unreal when it is a definite noun ("calls for his resignation")
_CALLS = {"call", "demand", "urge", "press", "pressure", "petition", "clamour", "clamor", "plead", "ask",
          "want", "seek", "request", "push", "offer", "threaten", "vow", "pledge", "campaign", "hope",
          "expect", "rumour", "rumor", "speculation", "speculate", "consider", "possibility", "prospect",
          "chance", "talk", "idea", "suggest", "propose", "proposal", "fear", "bid", "attempt", "effort",
          "try", "move", "plot", "motion", "drive", "vote"}


def _clause_chain(trigger: Token, limit: int = 5) -> list[Token]:
    """The trigger and the heads above it, up to a presupposing clause or phrase."""
    chain = [trigger]
    t = trigger
    for _ in range(limit):
        if t.head is t:
            break
        if t.dep_ == "pobj" and t.head.lower_ in _PRESUPPOSING:
            break
        if t.dep_ in ("advcl", "pcomp") and (any(c.dep_ == "mark" and c.lower_ in _PRESUPPOSING for c in t.children)
                                            or t.dep_ == "pcomp" and t.head.lower_ in _PRESUPPOSING):
            break
        if t.dep_ == "prep" and t.lower_ in _PRESUPPOSING:
            break
        t = t.head
        chain.append(t)
    return chain


def presupposed(trigger: Token) -> bool:
    """A move the sentence takes as given: in a temporal or causal clause or phrase ("after X
    quit", "since the resignation of X"), or a definite noun with its owner ("X's resignation
    last week") that no call, offer or expectation governs."""
    near = _clause_chain(trigger, 2)
    if len(near) < 3 and near[-1].head is not near[-1]:
        return True                                  # the move heads a presupposing clause or phrase
    chain = _clause_chain(trigger, 6)
    if trigger.pos_ not in ("NOUN", "PROPN"):
        return False
    owned = any(c.dep_ == "poss" for c in trigger.children) or any(
        c.dep_ == "prep" and c.lower_ == "of" and any(g.ent_type_ == "PERSON" for g in c.subtree)
        for c in trigger.children)
    definite = owned or any(c.dep_ == "det" and c.lower_ in ("the", "his", "her", "their") for c in trigger.children)
    if not definite or any(c.dep_ == "det" and c.lower_ in ("any", "no", "a", "an") for c in trigger.children):
        return False
    if trigger.lemma_ == "resignation" and trigger.dep_ == "dobj" and trigger.head.lemma_ in ("accept", "receive") \
            and not any(c.dep_ == "neg" for c in trigger.head.children) \
            and not any(t.lower_ in ("if", "unless", "whether") for t in trigger.sent):
        return True                                  # a resignation to be accepted has been tendered
    for t in chain[1:4]:
        if t.lemma_.lower() in _CALLS or t.lower_ in _CALLS:
            return False
        if t.lemma_ in ("accept", "announce", "confirm", "finalise", "finalize", "approve") and any(
                c.dep_ == "neg" for c in t.children):
            return False                             # "his resignation was not accepted"
        if any(c.dep_ == "aux" and c.lower_ in ("would", "could", "might", "may") for c in t.children) \
                and t.lemma_ not in ("say", "tell"):
            return False                             # "her departure would leave a gap"
    return True


def _forms(t: Token) -> set[str]:
    """The word's lemma, and its stems where the lemmatiser misreads it ("hoped" -> "hop")."""
    low = t.lower_
    out = {t.lemma_.lower(), low}
    for end in ("d", "ed", "s", "es", "ing"):
        if low.endswith(end) and len(low) > len(end) + 2:
            out.add(low[:-len(end)])
            if end == "ing":
                out.add(low[:-3] + "e")
    return out


_SOMEDAY = {"someday", "eventually"}


def _some_day(trigger: Token) -> bool:
    """'will one day stand down': an undated future, a prospect rather than a plan."""
    if not any(c.dep_ == "aux" and c.lower_ in ("will", "would", "'ll") for c in trigger.children):
        return False
    for c in trigger.children:
        if c.lower_ in _SOMEDAY:
            return True
        if c.lower_ == "day" and c.dep_ in ("npadvmod", "advmod", "dobj") and any(
                g.lower_ in ("one", "some") for g in c.children):
            return True
    return False


def _claimed_promise(trigger: Token) -> bool:
    """'The book claims he told her he would stand down': a promise someone else alleges."""
    if not any(c.dep_ == "aux" and c.lower_ == "would" for c in trigger.children):
        return False
    return any(a.lemma_.lower() in ("claim", "allege") or a.lower_ in ("claims", "claimed", "alleges", "alleged")
               for a in list(trigger.ancestors)[:6])


def _own_request(trigger: Token, below: Token, gov: Token) -> bool:
    """'X and Y have asked to take early retirement': the leavers' own request (subject control,
    active, nobody else asked) states their departure."""
    from .lexicon import DEPART_SUBJ
    if gov.lemma_ in ("ask", "tell", "request") and below.dep_ == "xcomp" and any(
            c.dep_ == "conj" and c.lemma_ in ("comply", "agree", "oblige") for c in gov.children):
        return True                      # "was asked to resign and he complied"
    return gov.lemma_ in ("ask", "request", "apply") and below.dep_ == "xcomp" and below.i == trigger.i \
        and trigger.lemma_ in DEPART_SUBJ | {"take"} \
        and not any(c.dep_ in ("dobj", "nsubjpass", "auxpass", "neg") for c in gov.children)


def _reduced_relative(v: Token) -> bool:
    """A participle right after a name and a comma, parsed as a clause of the main verb."""
    from .syntax import child, subject_before
    return v.dep_ == "advcl" and v.tag_ in ("VBD", "VBN") and child(
        v, "nsubj", "nsubjpass", "aux", "auxpass", "mark") is None and subject_before(v) is not None


def _vote_held(gov: Token) -> bool:
    """'The Senate voted 52-48 to confirm X': a vote taken (the verb in the past), not a motion."""
    return gov.lemma_ == "vote" and gov.tag_ in ("VBD", "VBN") and not any(
        c.dep_ in ("neg", "aux") and c.lower_ in ("not", "n't", "will", "would", "could", "may", "might")
        for c in gov.children)


def unreal(trigger: Token, allow_neg: bool = False) -> bool:
    """Negated, modal, conditional, questioned or governed by a call / denial / expectation - in
    the trigger's own clause; a presupposed move is real whatever governs the sentence."""
    sent = trigger.sent
    if sent.text.rstrip().endswith("?"):
        return True
    if presupposed(trigger) and not any(c.dep_ == "amod" and c.lower_ in _UNREAL_AMOD for c in trigger.children):
        return False
    if any(c.dep_ == "aux" and c.lower_ == "to" for c in trigger.children) and trigger.head is not trigger \
            and trigger.dep_ in ("acl", "xcomp", "advcl") and trigger.head.lemma_.lower() in _CALLS \
            and not _own_request(trigger, trigger, trigger.head) and not _vote_held(trigger.head):
        return True                                  # "a campaign to oust X", "sought to remove X"
    if _some_day(trigger) or _claimed_promise(trigger):
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
        if t.dep_ == "conj" and t.head.dep_ in ("ccomp", "xcomp", "pcomp") and t.head.pos_ in ("VERB", "AUX"):
            t = t.head           # "letting him join them and take over": the conjuncts share a governor
            chain.append(t)
            continue
        if t is trigger and _reduced_relative(t):
            break                   # "... with X, recently sacked as manager": X's own fact
        if t.dep_ in ("ROOT", "conj") or t.head is t or t.dep_ == "relcl" and not any(
                c.dep_ == "aux" and c.lower_ == "to" for c in t.children):
            break                   # a relative clause states its own fact: "X, who quit, denied ..."
        if t is not trigger and t.dep_ == "advcl" and any(
                c.dep_ == "mark" and c.lower_ in ("after", "since", "because", "once") for c in t.children):
            break                   # "after a row sparked by X being brought in": presupposed
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
        if i > 0 and t.pos_ == "NOUN" and any(c.dep_ == "det" and c.lower_ == "no" for c in t.children):
            return True             # "had no intention of resigning"
        if i > 0 and _own_request(trigger, chain[i - 1], t):
            continue
        if i > 0 and not SPEC_GOVERNORS.isdisjoint(_forms(t)):
            return True
        if i > 0 and any(c.dep_ == "neg" for c in t.children) and t.lemma_ not in ("say", "tell"):
            return True
        if any(c.dep_ == "amod" and c.lower_ in _UNREAL_AMOD for c in t.children):
            return True
        if t.dep_ == "advcl" and any(c.lower_ in CONDITIONAL_MARKS for c in t.children):
            return True
    # "would quit if ..."
    if any(c.lower_ == "would" for c in trigger.children) and any(
            w.lower_ in CONDITIONAL_MARKS for w in sent):
        return True
    if any(c.lower_ == "would" for c in trigger.children):
        heads = [a.lemma_ for a in trigger.ancestors][:2]
        if trigger.lemma_ in ("succeed", "replace") and trigger.dep_ == "ROOT" and not any(
                c.lower_ in ("likely", "probably", "possibly", "perhaps", "then", "eventually") for c in trigger.children):
            return False            # a wire's "X would succeed Y": the announced succession, stated flat
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
