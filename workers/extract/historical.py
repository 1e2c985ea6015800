"""Is a move background ("last year", "in 2013", "after X quit") or part of the article's news?"""
from __future__ import annotations

import re
from datetime import datetime

from spacy.tokens import Token

from .lexicon import BACKGROUND_MARKS, MONTHS

_PAST_PHRASE = re.compile(
    r"\b(last (?:year|month|autumn|fall|spring|summer|winter|term|decade)|years? ago|months ago|"
    r"earlier this year|previously|at the time|in the past|the following year|"
    r"the year before|decades? ago|went on to|go on to|subsequently|eventually|"
    r"(?:first|originally|once|then)\b)", re.I)
_CURRENT_PHRASE = re.compile(
    r"\b(today|tonight|yesterday|this week|last week|on (?:monday|tuesday|wednesday|thursday|friday|"
    r"saturday|sunday)|(?:monday|tuesday|wednesday|thursday|friday|saturday|sunday)|this morning|"
    r"this afternoon|with immediate effect|immediately|effective|next (?:week|month|year)|"
    r"at the end of|by the end of|later this (?:year|month))\b", re.I)
_YEAR = re.compile(r"\b(1[89]\d\d|20\d\d)\b")


def _clause_tokens(trigger: Token) -> list[Token]:
    """Tokens of the trigger's clause: its subtree minus nested clauses of other verbs."""
    out = []
    stack = [trigger]
    while stack:
        t = stack.pop()
        out.append(t)
        for c in t.children:
            if c.dep_ in ("relcl", "ccomp", "advcl", "parataxis") and c.pos_ in ("VERB", "AUX"):
                continue
            if c.dep_ == "conj" and c.pos_ in ("VERB", "AUX") and t.pos_ in ("VERB", "AUX"):
                continue
            stack.append(c)
    return sorted(out, key=lambda t: t.i)


def _is_future(trigger: Token) -> bool:
    chain = [trigger]
    t = trigger
    while t.dep_ in ("xcomp", "conj") and t.head is not t and len(chain) < 3:
        t = t.head
        chain.append(t)
    for i, t in enumerate(chain):
        for c in t.children:
            if c.dep_ == "aux" and c.lower_ in ("will", "'ll", "shall", "wo"):
                return True
            if c.dep_ == "aux" and c.lower_ == "to" and t is trigger and not (
                    t.head is not t and (t.head.lemma_ == "go" or _past_tense(t.head) and any(
                        c.dep_ == "auxpass" for c in t.head.children))):
                return True                    # "is to quit", not "was forced to quit", "went on to become"
        if i > 0 and chain[i - 1].dep_ == "xcomp" and t.lemma_ in (
                "plan", "intend", "set", "due", "decide", "agree", "announce"):
            return True
    return False


def cue(trigger: Token, published: datetime | None) -> str | None:
    """'past' (background), 'current' (news) or None (no cue) for the clause of ``trigger``."""
    found = _cue(trigger, published)
    if found is None and trigger.pos_ in ("NOUN", "PROPN"):
        head = next((a for a in trigger.ancestors if a.pos_ in ("VERB", "AUX")), None)
        if head is not None:
            found = _cue(head, published)
        elif trigger.dep_ == "ROOT":
            found = _sentence_cue(trigger, published)   # "X's selection ... after his 2016 election was praised"
    if found is None and trigger.dep_ == "conj" and trigger.head.pos_ in ("VERB", "AUX"):
        found = _cue(trigger.head, published)      # "was ousted last year and replaced by Y"
    if found is None:
        found = _tense(trigger)
    if found is None and _announced(trigger):
        found = "current"
    return found


_SPEAKERS = {"company", "firm", "bank", "board", "group", "it", "they", "corporation", "agency", "spokesman",
             "spokeswoman", "statement", "ministry", "department", "government", "club", "party"}


def _announced(trigger: Token) -> bool:
    """A move the organisation announces now ("the company said it named X", "X was also elected"):
    one of several moves of one announcement, news wherever it stands in the text."""
    if trigger.pos_ not in ("VERB", "AUX"):
        return False
    sent = trigger.sent
    if any(c.lower_ in ("also", "additionally") and c.dep_ == "advmod" for c in trigger.children) or \
            re.match(r"\s*(?:additionally|in addition|also)\b", sent.text, re.I):
        return True
    for anc in list(trigger.ancestors)[:2]:
        if anc.lemma_ in ("say", "announce") and anc.pos_ == "VERB":
            subj = next((c for c in anc.children if c.dep_ == "nsubj"), None)
            if subj is not None and (subj.ent_type_ == "ORG" or subj.lemma_.lower() in _SPEAKERS):
                return True
    return False


def _tense(v: Token) -> str | None:
    """Present, present perfect, progressive and future forms report the news."""
    if v.pos_ not in ("VERB", "AUX"):
        return None
    auxes = [c for c in v.children if c.dep_ in ("aux", "auxpass")]
    if any(a.lower_ in ("has", "have", "is", "are", "am", "'s", "will", "'ll", "shall") for a in auxes):
        return "current"
    if not auxes and v.tag_ in ("VBZ", "VBP"):
        return "current"
    return None


def _cue(trigger: Token, published: datetime | None) -> str | None:
    if trigger.dep_ == "xcomp" and trigger.head.lemma_ == "go" and any(
            c.lower_ == "on" for c in trigger.head.children):
        return "past"                          # a career told in sequence: "went on to become"
    if any(c.dep_ == "advmod" and c.lower_ == "since" and not any(g.dep_ == "pobj" for g in c.children)
           for c in trigger.children):
        return "past"                          # "have all since left": after the story's earlier events
    clause = _clause_tokens(trigger)
    text = " ".join(t.text for t in clause)
    future = _is_future(trigger)
    dated = re.sub(r"\b(?:until|till)\b.*", "", text)     # "until the end of the 2022/23 season": a term's end
    for m in _YEAR.finditer(dated):
        year = int(m.group(1))
        if published is not None:
            if year < published.year:
                return "past"
            if year == published.year:
                month = _month_in(text)
                if month and month < published.month - 1 and not future:
                    return "past"
        elif not future:
            return "past"
    if not future and _PAST_PHRASE.search(text) and not re.search(r"\blast week\b", text, re.I):
        m = _PAST_PHRASE.search(text)
        if m and m.group(0).lower() not in ("first", "then", "once", "originally"):
            return "past"
    if published is not None and not future and not re.search(r"\b(effective|next|from)\b", text, re.I):
        month = _month_in(text)
        if month and 2 <= (published.month - month) % 12 <= 9:
            return "past"
        if month and (published.month - month) % 12 >= 10 and _past_tense(trigger):
            return "past"                      # "resigned in February" in a December article
    if published is None and not future and _past_tense(trigger) and not _CURRENT_PHRASE.search(text):
        m = re.search(r"\bin ([A-Z][a-z]+)\b", text)
        if m and m.group(1).lower() in MONTHS and m.group(1).lower() != "may":
            return "past"                      # undated article: news is dated by day, background by month
    if future or _CURRENT_PHRASE.search(text):
        return "current"
    return None


def _past_tense(v: Token) -> bool:
    """Simple past or past passive: 'resigned', 'was appointed' (not 'has resigned', 'will go')."""
    if v.tag_ not in ("VBD", "VBN"):
        return False
    auxes = [c.lower_ for c in v.children if c.dep_ in ("aux", "auxpass")]
    if any(a in ("has", "have", "'s", "will", "'ll", "is", "are", "am", "be", "to") for a in auxes):
        return False
    return v.tag_ == "VBD" or any(a in ("was", "were", "had") for a in auxes)


def _month_in(text: str) -> int | None:
    for w in re.findall(r"[A-Z][a-z]+\.?", text):
        w = w.rstrip(".").lower()
        if w in MONTHS and w != "may":
            return MONTHS[w]
    return None


_SOMEONE = {"man", "woman", "person", "figure"}
_REPORTING = {"say", "announce", "report", "tell", "confirm", "disclose", "state"}


def background_clause(trigger: Token) -> bool:
    """The trigger sits in a subordinate background clause or in the past perfect."""
    t = trigger
    reported = t.dep_ == "ccomp" and t.head.lemma_ in _REPORTING     # "Acme announced that X had resigned"
    for c in t.children:
        if c.dep_ == "aux" and c.lower_ == "had" and not reported:
            return True
    for depth, anc in enumerate([t] + list(t.ancestors)):
        if depth > 2:
            break
        if anc.dep_ == "advcl" and any(c.dep_ == "mark" and c.lower_ in BACKGROUND_MARKS for c in anc.children):
            return True
        if anc.dep_ == "pcomp" and anc.head.lower_ in BACKGROUND_MARKS | {"between", "by"}:
            return True
        if anc.dep_ == "pobj" and anc.head.lower_ in ("after", "since", "following"):
            return True              # not "before X's appointment": that move came later, often the news
        if anc.dep_ == "dobj" and anc.head.lemma_ in ("follow", "succeed") and anc.pos_ == "NOUN":
            return True
        if anc.dep_ == "advcl" and anc.tag_ == "VBG" and any(c.lower_ == "having" for c in anc.children):
            return True
        if anc.dep_ == "acl" and anc.tag_ == "VBN" and anc.head.lemma_ in _SOMEONE and any(
                c.dep_ == "det" and c.lower_ == "the" for c in anc.head.children):
            return True                          # "X - the man appointed as election chief -": who X is
        if anc.dep_ == "relcl" and anc.tag_ in ("VBD", "VBN") and not any(c.lower_ in ("will", "has", "have") for c in anc.children):
            return True
    return False


def _sentence_cue(root: Token, published: datetime | None) -> str | None:
    """A dated past in a sentence without a verb head (the parser made the noun the root)."""
    text = root.sent.text
    if published is not None:
        if any(int(y) < published.year for y in _YEAR.findall(text)):
            return "past"
    if _PAST_PHRASE.search(text) and not _CURRENT_PHRASE.search(text):
        m = _PAST_PHRASE.search(text)
        if m.group(0).lower() not in ("first", "then", "once", "originally"):
            return "past"
    return None


_NOW = re.compile(r"\b(today|tonight|yesterday|this week|this morning|this afternoon|recently|just|"
                  r"(?:a|two|three|four|five|six|seven|eight|nine|ten|a few|several|\d) days ago|"
                  r"(?:on )?(?:monday|tuesday|wednesday|thursday|friday|saturday|sunday))\b", re.I)


def dated_now(trigger: Token) -> bool:
    """The move's own clause dates it to the days of the news: "before he resigned on Wednesday",
    "who recently announced plans to become"."""
    before = any(a.dep_ == "advcl" and any(c.dep_ == "mark" and c.lower_ == "before" for c in a.children)
                 for a in [trigger] + list(trigger.ancestors)[:2])
    t = trigger
    for _ in range(3):
        for m in _NOW.finditer(" ".join(x.text for x in _clause_tokens(t))):
            # "after/since he quit on Monday" and "who took the post on Thursday" stay background;
            # "before he resigned on Wednesday" and "who recently announced" are the latest news
            if before or m.group(0).lower() in ("recently", "just") or m.group(0).lower().endswith("days ago"):
                return True
        if t.dep_ not in ("xcomp", "dobj", "pobj", "prep", "acl") or t.head is t:
            break
        t = t.head
    return False


def explicit_now(trigger: Token) -> bool:
    """The clause itself dates the move to the news ("on Monday", "with immediate effect")."""
    tokens = _clause_tokens(trigger)
    if trigger.pos_ in ("NOUN", "PROPN"):
        head = next((a for a in trigger.ancestors if a.pos_ in ("VERB", "AUX")), None)
        if head is not None:
            tokens = _clause_tokens(head)
    return _CURRENT_PHRASE.search(" ".join(t.text for t in tokens)) is not None


def announced_future(trigger: Token) -> bool:
    """'will leave', 'is to stand down': a move announced for later."""
    for c in trigger.children:
        if c.dep_ == "aux" and c.lower_ in ("will", "'ll", "shall", "wo"):
            return True
        if c.dep_ == "aux" and c.lower_ == "to" and trigger.head is not trigger and trigger.head.lemma_ == "be":
            return True
    return False


def lead_offsets(sentence_offsets: list[int], text: str, first: int = 3) -> set[int]:
    """Offsets of the sentences that carry the news: the headline and the first ``first`` sentences."""
    ordered = sorted(sentence_offsets)
    return set(ordered[:first])
