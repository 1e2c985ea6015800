"""Positions and organisations read off a dependency parse (titles, appositions, "as" phrases)."""
from __future__ import annotations

import re

from spacy.tokens import Span, Token

from .lexicon import POST_WORDS, ROLE_HEADS, WORD_BLOCK_ROLE

ORG_LABELS = {"ORG", "GPE", "NORP", "FAC"}
_CUT_DEPS = {"relcl", "acl", "appos", "punct", "advcl", "parataxis", "det", "poss", "case", "xcomp",
             "ccomp", "mark",
             "nummod", "quantmod", "npadvmod", "advmod", "mark", "aux", "auxpass", "neg"}


_ORG_NOUNS = {"company", "firm", "bank", "group", "agency", "board", "corporation", "business",
              "subsidiary", "unit", "division", "organisation", "organization", "association",
              "party", "club", "team", "network", "newspaper", "paper", "fund", "institute"}


# nouns that stand for an organisation the text named before ("the agency's chief executive")
KIND_NOUNS = {"company", "firm", "group", "agency", "bank", "corporation", "institute", "club",
              "association", "authority", "commission", "council", "department", "ministry", "bureau",
              "network", "newspaper", "paper", "charity", "foundation", "university", "union", "fund"}


def is_role_word(tok: Token) -> bool:
    low = tok.lower_.rstrip(".")
    return low in ROLE_HEADS or tok.lemma_.lower() in ROLE_HEADS


def is_role_text(text: str) -> bool:
    """A phrase with a role word in it ("chief of staff", "deputy editor")."""
    return any(w in ROLE_HEADS for w in text.lower().split())


def _is_org(tok: Token) -> bool:
    return tok.ent_type_ in ORG_LABELS and not _area_name(tok)


# capitalised names of a function, not of an organisation: "Director of Campaigns and Planning"
FUNCTION_AREAS = {"campaigns", "campaign", "planning", "communications", "policy", "strategy",
                  "operations", "finance", "research", "marketing", "sales", "development",
                  "engagement", "outreach", "compliance", "governance", "legislative", "affairs",
                  "public", "external", "internal", "political", "press", "media", "digital",
                  "programmes", "programs", "partnerships", "fundraising", "membership", "events",
                  "elections", "organising", "organizing", "and", "&", "the", "human", "resources"}


def _area_name(tok: Token) -> bool:
    ent = ent_span(tok)
    return ent is not None and ent.label_ == "ORG" and all(
        t.lower_ in FUNCTION_AREAS for t in ent) and any(t.text[:1].isupper() for t in ent)


def ent_span(tok: Token) -> Span | None:
    if not tok.ent_type_:
        return None
    for ent in tok.doc.ents:
        if ent.start <= tok.i < ent.end:
            return ent
    return None


def _org_text(tok: Token) -> str | None:
    ent = ent_span(tok)
    if ent is not None and ent.label_ in ORG_LABELS:
        start = ent.start
        while start > 0 and tok.doc[start - 1].dep_ == "compound" and tok.doc[start - 1].pos_ == "PROPN" \
                and tok.doc[start - 1].head.i in range(start, ent.end) \
                and tok.doc[start - 1].ent_type_ in ("", "ORG", "FAC"):
            start -= 1                       # "Harbor Studios Tour [Maine]": the name the tagger cut
        text = tok.doc[start:ent.end].text
        text = re.split(r"['’]s\b", text)[0].strip()     # "Labour's Westminster" -> Labour
        return text or None
    return None


def _its_owner(tok: Token) -> str | None:
    """'its' of a post is the clause's subject when that is a name ("Acme is parting company with its
    chief executive"): "its" never stands for a person, whatever the recogniser tagged the name."""
    subj = None
    for verb in (a for a in tok.ancestors if a.pos_ in ("VERB", "AUX")):
        subj = next((c for c in verb.children if c.dep_ in ("nsubj", "nsubjpass")), None)
        if subj is not None and subj.ent_type_ != "PERSON":
            break
        subj = None       # "Acme said scientist Ann Holt will take over as its director": the speaker's
    if subj is None or subj.pos_ != "PROPN" or subj.i > tok.i:
        return None
    words = [t for t in subj.subtree if t.dep_ in ("compound", "flat") or t is subj]
    return " ".join(t.text for t in words)


def _owner_text(tok: Token) -> str | None:
    """The possessor of a post: an organisation, or a person ("Corbyn's aide"), whom the rules then
    replace by the organisation the article ties to that person (see orgs.resolve)."""
    if tok.lower_ == "its":
        return _its_owner(tok)
    if tok.pos_ == "NOUN" and tok.lemma_ in KIND_NOUNS and any(
            c.dep_ == "det" and c.lower_ in ("the", "this") for c in tok.children):
        return "the " + tok.lemma_           # "the agency's chief": resolved to the agency the text named
    org = _org_text(tok)
    if org is None and tok.ent_type_ == "PERSON":
        ent = ent_span(tok)
        org = re.split(r"['’]s\b", ent.text)[0].strip() if ent is not None else None
    if org is None and not tok.ent_type_ and tok.pos_ == "PROPN" and tok.text[:1].isupper() \
            and not is_role_word(tok):
        # a name the recogniser left untagged: "Rolm's founder" (a person is resolved later)
        words = [t for t in tok.subtree if t.dep_ in ("compound", "flat") or t is tok]
        org = " ".join(t.text for t in words)
    return org or None


_ENVOYS = {"ambassador", "envoy", "consul", "emissary", "delegate"}


def role_phrase(head: Token) -> tuple[str | None, str | None]:
    """(role, organisation) from a noun phrase headed by ``head``: 'Labour's head of policy'."""
    if head.pos_ in ("VERB", "AUX", "PRON"):
        return None, None
    keep: set[int] = set()
    org = None

    def walk(tok: Token, depth: int = 0) -> None:
        nonlocal org
        if depth > 6:
            return
        if tok.ent_type_ == "PERSON" and tok is not head:
            return
        keep.add(tok.i)
        for c in tok.children:
            if c.dep_ == "poss":
                org = org or _owner_text(c)
                continue
            if c.dep_ in _CUT_DEPS:
                continue
            if c.dep_ in ("amod", "acl", "conj") and c.i > tok.i and c.pos_ in ("ADJ", "VERB") and any(
                    tok.doc[k].text in (",", ";", "(") for k in range(tok.i + 1, c.left_edge.i)):
                continue                          # "vice presidents, responsible for finance": a description
            if c.dep_ == "conj" and any(g.dep_ == "appos" and g.ent_type_ == "PERSON" for g in c.children):
                continue                          # "... and the agency's chairman, Ann Holt, would ...": another subject
            if c.dep_ == "conj" and c.pos_ == "PROPN" and is_role_word(tok) and not is_role_word(c) \
                    and c.lower_ not in FUNCTION_AREAS:
                continue                          # "senior vice president, and Bohr, ...": a name, listed
            if c.dep_ == "prep":
                pobj = next((g for g in c.children if g.dep_ == "pobj"), None)
                if pobj is None or c.lower_ not in ("of", "for", "to", "in", "on"):
                    continue
                if c.lower_ == "of" and (pobj.lemma_ in _ORG_NOUNS or any(_is_org(g) for g in pobj.subtree)) \
                        and not _is_org(pobj):
                    # "president of its Acme Corp subsidiary": the unit named there holds the post
                    named = next((g for g in pobj.children if g.dep_ in ("compound", "nmod") and _is_org(g)), None)
                    if named is not None and pobj.lemma_ in _ORG_NOUNS:
                        org = org or _org_text(named)
                    continue
                if c.lower_ in ("to", "for") and tok.lemma_ in _ENVOYS and _is_org(pobj):
                    walk(c, depth + 1)             # "ambassador to Norway": part of the post's name; the
                    continue                       # post is held in the sending state, not in Norway
                if _is_org(pobj) or pobj.ent_type_ == "PERSON":
                    if c.lower_ in ("of", "at", "in", "for") and _is_org(pobj) \
                            or c.lower_ == "to" and pobj.ent_type_ == "ORG":
                        org = org or _org_text(pobj)   # "adviser to Acme Consulting"
                    continue
                if c.lower_ in ("in", "on") and pobj.ent_type_ not in ("GPE", "LOC", "FAC", "NORP"):
                    continue
                if c.lower_ == "for" and (pobj.lemma_ in ("record", "year", "month", "decade", "time", "period",
                                                          "reason", "ground", "cause", "purpose")
                                          or is_role_word(pobj)
                                          or any(g.like_num for g in pobj.subtree)):
                    continue
            if c.dep_ in ("compound", "amod") and _is_org(c) and c.i < head.i and c.i == _first_left(head):
                org = org or _org_text(c)
                continue
            if c.dep_ == "compound" and c.ent_type_ == "ORG" and c.i < head.i and tok is head:
                org = org or _org_text(c)    # "vice Democratic Caucus chairman": named inside the title
            walk(c, depth + 1)

    walk(head)
    if not keep:
        return None, org
    idx = sorted(keep)
    toks = [head.doc[i] for i in range(idx[0], idx[-1] + 1)]
    # a name inside the span ends the role: "vice chairman and William Hamilton president" (gapping)
    cut = next((k for k, t in enumerate(toks) if t.i not in keep and t.ent_type_ == "PERSON" and t.i > head.i), None)
    if cut is not None:
        toks = toks[:cut]
    while toks and (toks[0].lower_ in WORD_BLOCK_ROLE or toks[0].dep_ in ("det", "poss", "case", "cc")
                    or toks[0].is_punct or (_is_org(toks[0]) and toks[0].i < head.i and toks[0].ent_type_ != "")):
        if _is_org(toks[0]) and org is None:
            org = _org_text(toks[0])
        toks = toks[1:]
    while toks and (toks[-1].is_punct or toks[-1].dep_ in ("cc", "prep", "case")):
        toks = toks[:-1]
    # no fragment of a hyphenated word ("58-year-old" -> "old") and no ordinal ("the 23rd chairman")
    while toks and toks[0].i < head.i and (_glued_to_hyphen(toks[0]) or _ORDINAL.match(toks[0].text)):
        toks = toks[1:]
    if len(toks) > 12:
        cut = next((k for k, t in enumerate(toks) if t.dep_ == "prep" and t.i > head.i), None)
        toks = toks[:cut] if cut else toks
    if not toks or len(toks) > 12:
        return None, org
    if not any(is_role_word(t) or t.lower_ in POST_WORDS for t in toks):
        return None, org
    text = toks[0].doc[toks[0].i:toks[-1].i + 1].text
    text = text.replace(" 's", "'s").replace(" ’s", "’s")
    if text.lower() in POST_WORDS or text.lower() in {"his post", "her post"}:
        return None, org
    return text, org


_ORDINAL = re.compile(r"^\d+(?:st|nd|rd|th)$", re.I)


def _glued_to_hyphen(tok: Token) -> bool:
    doc = tok.doc
    return tok.i > 0 and doc[tok.i - 1].text in ("-", "–") and not doc[tok.i - 1].whitespace_


def _first_left(head: Token) -> int:
    return head.left_edge.i


def title_before_name(person_tok: Token, ent: Span | None) -> tuple[str | None, str | None]:
    """A title written in front of a name: 'Defence Secretary Ann Holt' -> Defence Secretary."""
    start = ent.start if ent is not None else person_tok.i
    doc = person_tok.doc
    j = start - 1
    toks: list[Token] = []
    while j >= 0:
        t = doc[j]
        if t.ent_type_ == "PERSON" or t.is_punct and t.text not in ("-", ".") or t.pos_ in ("VERB", "AUX", "ADP", "PRON", "SCONJ", "CCONJ", "DET") and t.lower_ not in ("of", "for", "and", "&"):
            break
        if t.lower_ in ("and", "&") and not (j > 0 and is_role_word(doc[j - 1]) or j > 0 and doc[j - 1].lower_ in ("chairman", "president", "director", "executive")):
            break
        if t.dep_ == "poss" or t.lower_ in ("'s", "’s"):
            break
        if t.lower_ in ("of", "for") and j > 0 and doc[j - 1].text.islower() and not is_role_word(doc[j - 1]):
            break                        # "the resignation of Minister X": the title starts after "of"
        if not toks and t.pos_ == "PROPN" and not is_role_word(t) and t.text[:1].isupper() \
                and t.lower_ not in FUNCTION_AREAS and not (j > 0 and doc[j - 1].lower_ in ("of", "for")) \
                and t.lower_.rstrip(".") not in ABBREV_TITLES and t.ent_type_ not in ORG_LABELS:
            j -= 1                       # a first name the entity missed: "MP Ravi [Kumar Sen]"
            continue
        toks.insert(0, t)
        j -= 1
    org = None
    if len(toks) == 1 and toks[0].lower_ in ABBREV_TITLES:
        return ABBREV_TITLES[toks[0].lower_], None
    # leading organisation words are the organisation, not the role
    while toks and (_is_org(toks[0]) or toks[0].lower_ in WORD_BLOCK_ROLE) and not is_role_word(toks[0]):
        if _is_org(toks[0]) and org is None:
            org = _org_text(toks[0])
        toks = toks[1:]
    while toks and toks[-1].lower_ in ("of", "for", "and", "&"):
        toks = toks[:-1]
    while toks and toks[0].lower_ in ("and", "&", "of", "for"):
        toks = toks[1:]
    while toks and (toks[0].is_punct or toks[0].text in ("-", "–")):
        toks = toks[1:]
    if not toks or not any(is_role_word(t) for t in toks) or len(toks) > 8:
        return None, org
    if j >= 0 and doc[j].dep_ == "poss" or (j >= 0 and doc[j].lower_ in ("'s", "’s")):
        owner = doc[j - 1] if doc[j].lower_ in ("'s", "’s") and j > 0 else doc[j]
        org = org or _owner_text(owner)
    text = doc[toks[0].i:toks[-1].i + 1].text
    if toks[-1].tag_ in ("NNS", "NNPS") and toks[-1].lemma_:
        text = doc[toks[0].i:toks[-1].i].text_with_ws + toks[-1].lemma_   # "Directors X" -> director
    return text.strip(), org


def appositive_role(person_tok: Token, skip_former: bool = False) -> tuple[str | None, str | None]:
    """'Ann Holt, a former policy chief for the mayor' or 'its chairman, Sir Ian Roe'."""
    for c in person_tok.children:
        if c.dep_ == "appos" and c.ent_type_ != "PERSON" and c.pos_ in ("NOUN", "PROPN"):
            if skip_former and any(g.lower_ in ("former", "retired", "formerly", "ex", "then") for g in c.subtree):
                continue
            if skip_former and any(g.dep_ == "det" and g.lower_ in ("a", "an") for g in c.children):
                continue                     # "X, a longtime police official, will be named": who he is
            role, org = role_phrase(c)
            if role:
                return role, org
    if person_tok.dep_ == "appos" and person_tok.head.pos_ in ("NOUN", "PROPN") \
            and person_tok.head.ent_type_ != "PERSON":
        role, org = role_phrase(person_tok.head)
        if role:
            return role, org
        # "the chairman of Acme Water, Ann Holt": apposition hung on the inner noun
        holder = person_tok.head
        if holder.dep_ == "pobj" and holder.head.dep_ == "prep" and is_role_word(holder.head.head):
            return role_phrase(holder.head.head)
    return None, None


def org_near(verb: Token) -> str | None:
    """An organisation attached to the trigger: 'left the firm', 'joined Fiat', 'at the bank'."""
    for c in verb.children:
        if c.dep_ in ("dobj", "pobj", "attr") and _is_org(c):
            return _org_text(c)
        if c.dep_ == "dobj" and c.lemma_ in ("administration", "government", "team", "campaign"):
            led = [g for g in c.children if g.dep_ == "compound" and g.pos_ == "PROPN" and g.i < c.i]
            if led:                          # "left the Varga administration", "joined the Holt team"
                return " ".join(t.text for t in led) + " " + c.lower_
        if c.dep_ == "prep" and c.lower_ in ("at", "from", "of", "with", "to", "in"):
            for g in c.children:
                if g.dep_ == "pobj" and _is_org(g):
                    return _org_text(g)
        if c.dep_ in ("dobj", "pobj", "prep"):
            named = _named_by(c if c.dep_ != "prep" else next((g for g in c.children if g.dep_ == "pobj"), None))
            if named:
                return named
    return None


def _named_by(noun: Token | None) -> str | None:
    """"the firm of Acme and Co", "his position at Acme": the organisation a workplace or post noun names."""
    if noun is None or not (noun.lemma_ in _ORG_NOUNS or noun.lemma_ in POST_WORDS):
        return None
    named = [t for t in noun.children if t.dep_ == "compound" and t.pos_ == "PROPN" and t.i < noun.i
             and t.ent_type_ not in ("PERSON", "DATE", "GPE", "NORP")]
    if noun.lemma_ in POST_WORDS and noun.lemma_ not in ("seat", "term", "tenure") and named:
        return " ".join(t.text for t in named)      # "stepped down from his Treasury post"
    want = ("of",) if noun.lemma_ in _ORG_NOUNS else ("at", "with")
    for p in noun.children:
        if p.dep_ == "prep" and p.lower_ in want:
            g = next((x for x in p.children if x.dep_ == "pobj"), None)
            if g is not None and _is_org(g) and g.ent_type_ == "ORG":
                return _org_text(g)
    return None


_TITLE_MOD = {"chief", "executive", "financial", "operating", "deputy", "vice", "assistant", "acting",
              "interim", "general", "special", "managing", "national", "security", "foreign", "home",
              "principal", "senior", "associate", "co", "joint", "non-executive", "technical",
              "communications", "press", "policy", "campaigns", "campaign", "political", "legal",
              "finance", "production", "performance", "executive", "branch", "party", "election",
              "elections", "health", "defence", "defense", "education", "transport", "energy",
              "environment", "trade", "industry", "justice", "interior", "economic", "research",
              "investment", "marketing", "sales", "news", "sports", "football", "team", "head",
              "immigration", "state", "district", "regional", "county", "city", "white", "house",
              "prime", "first", "attorney", "solicitor", "surgeon", "chairman", "chairwoman",
              "president", "director", "secretary", "minister", "officer", "and"}


# words that put a title in the past: "former chief of staff X", "X, the original chief of staff"
_FORMER = {"former", "ex", "ex-", "then", "original", "onetime", "one-time", "erstwhile", "previous"}

ABBREV_TITLES = {"sen": "senator", "sen.": "senator", "rep": "Representative", "rep.": "Representative",
                 "gov": "governor", "gov.": "governor", "senator": "senator", "gen.": "general",
                 "adm.": "admiral"}


_FORMER_GROUP = re.compile(r"\b(?:former|previous|past|earlier)\s+([a-z-]+)\s+(?:include|included|have\s+included|were)\s+$",
                           re.I)
_THE_TITLE_COMMA = re.compile(r"\b[Tt]he\s+((?:[\w-]+\s+){0,3}?[\w-]+?)(\s+(?:for|of)\s+[A-Z][\w'’-]*(?:\s+[A-Z][\w'’-]*){0,2})?,\s*$")
_TITLE_COMMA = re.compile(r"\b(?:its|his|her|their|our)\s+(?:(former|then|new)\s+)?((?:[\w-]+\s+){0,3}[\w-]+),\s*$", re.I)


def _title_words(words: list[str]) -> bool:
    """Words that can make a title on their own: role words and their modifiers, ending in a role word."""
    return bool(words) and words[-1].lower() in ROLE_HEADS and all(
        w.lower() in ROLE_HEADS or w.lower() in _TITLE_MOD for w in words)


def article_titles(text: str, mentions, former: dict | None = None) -> dict[str, str]:
    """Titles written next to names anywhere in the article: 'chief financial officer Tim Howard',
    'Ann Holt, President of ...'. Keys are the names as mentioned. Titles written with
    'former' go to ``former`` instead."""
    import re as _re
    out: dict[str, str] = {}
    former = former if former is not None else {}
    for m in mentions:
        before = text[max(0, m.start - 80):m.start]
        words = before.split()
        title: list[str] = []
        for w in reversed(words):
            lw = w.lower().strip(",;:()\"“”")
            if w != w.rstrip(",;:.") or lw in ("the", "a", "an", "his", "her", "its", "their", "said", "says"):
                break
            if lw in ROLE_HEADS or lw in _TITLE_MOD or (w[:1].isupper() and lw not in WORD_BLOCK_ROLE and not title):
                title.insert(0, w)
                continue
            if w[:1].isupper() and title:
                title.insert(0, w)
                continue
            break
        if words and words[-1].lower() in ABBREV_TITLES and not title:
            out.setdefault(m.text, ABBREV_TITLES[words[-1].lower()])
            continue
        group = _FORMER_GROUP.search(before)
        if group and not title:
            # "Other former chairmen include Ann Holt": a past holder of the post
            word = group.group(1).lower()
            single = (word[:-2] + "an") if word.endswith("men") and word[:-2] + "an" in ROLE_HEADS else (
                word[:-1] if word.endswith("s") and word[:-1] in ROLE_HEADS else None)
            if single:
                former.setdefault(m.text, single)
                continue
        lead = _TITLE_COMMA.search(before)
        the = _THE_TITLE_COMMA.search(before) if not title else None
        if the and (the.group(2) or any(w[:1].isupper() for w in the.group(1).split()[:-1])) \
                and the.group(1).split()[-1].lower() in ROLE_HEADS and all(
                w[:1].isupper() or w.lower() in ROLE_HEADS or w.lower() in _TITLE_MOD for w in the.group(1).split()):
            # "The Labour MP for Eastfield, Jane Roe," - a title (named by its party, body or place; not a
            # bare description: "The diplomat, X,") before the name and a comma
            out.setdefault(m.text, the.group(1) + (the.group(2) or ""))
            continue
        if not title and lead and _title_words(lead.group(2).split()):
            # "its chairman, Ann Holt," - the title, then the name after a comma
            target = former if (lead.group(1) or "").lower() in _FORMER else out
            target.setdefault(m.text, lead.group(2))
            continue
        run = len(title)                   # "former Unite official": 'former' precedes the whole run
        while title and title[0].lower() not in ROLE_HEADS and title[0].lower() not in _TITLE_MOD:
            title = title[1:]
        while title and title[0].lower() == "and":
            title = title[1:]
        if title and title[-1].lower() in ROLE_HEADS and len(title) <= 6:
            prev = words[-run - 1].lower() if len(words) > run else ""
            target = former if prev in _FORMER else out
            target.setdefault(m.text, " ".join(title))
            continue
        after = text[m.start + len(m.text):m.start + len(m.text) + 120]
        ap = _re.match(r"\s*(?:,\s*\d+\s*)?,\s*(?:(?:a|an|the|its|his|her)\s+)?((?:[\w-]+\s+){0,4}?[\w-]+)(?=\s+(?:of|at|for|to|in|and|who)\b|\s*[,.])", after)
        if ap:
            cand = ap.group(1).split()
            ok = all(c.lower() in ROLE_HEADS or c.lower() in _TITLE_MOD or c[:1].isupper() or "-" in c for c in cand)
            if ok and cand and cand[-1].lower() in ROLE_HEADS:
                if cand[0].lower() in _FORMER:
                    former.setdefault(m.text, " ".join(cand[1:]))
                else:
                    out.setdefault(m.text, " ".join(cand))
    return out
