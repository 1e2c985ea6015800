"""Which person a token stands for: entities, linked surnames, pronouns, misread names."""
from __future__ import annotations

import re

from spacy.tokens import Span, Token

from . import roles
from .context import Context
from .lexicon import HONORIFICS, PRONOUNS_FEMALE, PRONOUNS_MALE
from .names import clean_person, key, looks_like_person, product_like
from .syntax import child

_PRON = PRONOUNS_MALE | PRONOUNS_FEMALE
# entity labels the small model gives names it misreads ("Ines Moreau" as a PRODUCT after "has named")
_MISREAD = ("", "ORG", "GPE", "LOC", "NORP", "PRODUCT", "WORK_OF_ART", "FAC")
_AGE = re.compile(r"^\d+-year-old$")


def _offset(tok: Token) -> int:
    return tok.doc.user_data.get("aidewatch_offset", 0) + tok.idx

def person_name(tok: Token, ctx: Context) -> str | None:
    """The person a token stands for: a PERSON entity, a linked surname, a pronoun's antecedent;
    never a name the article writes as an organisation ("the law firm of X")."""
    name = _person_name(tok, ctx)
    return None if name and ctx.names.is_firm(name) else name


def _person_name(tok: Token, ctx: Context) -> str | None:
    if tok.ent_type_ == "PERSON":
        ent = roles.ent_span(tok)
        text = ent.text if ent is not None else tok.text
        name = clean_person(text)
        if not name or len(name) < 2 or len(name.split()) == 1 and product_like(name):
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
        return bound or ctx.names.antecedent(_offset(tok), low, _the_dead(tok, ctx))
    if _AGE.match(low) or (low == "old" and re.search(r"\d+\s*-\s*years?\s*-\s*old$", tok.doc[max(0, tok.i - 5):tok.i + 1].text)):
        return ctx.names.antecedent(_offset(tok), "")
    if (tok.pos_ == "PROPN" or tok.pos_ == "NOUN" and tok.text[:1].isupper()) and tok.ent_type_ in _MISREAD:
        ent = roles.ent_span(tok)
        word = tok.text
        if ent is not None and len(ent) == 3 and ent[1].text == "-" and tok.i == ent.end - 1:
            word = ent.text                  # "Ames-Whitby" split by the tokenizer
        k = word.lower()
        full = ctx.names.full_names()
        first = tok.i - 2 if word != tok.text else tok.i
        prev = tok.doc[first - 1].lower_.rstrip(".") if first > 0 else ""
        # "trade representative Yeutter", "Acme chairman Jones": a bare name under a title is a person
        honor = prev in ("mr", "mrs", "ms", "dr", "sir", "dame", "lord", "lady", "miss") or (
            tok.pos_ == "PROPN" and word == tok.text and (ent is None or len(ent) == 1) and any(
                c.dep_ == "compound" and c.i == tok.i - 1 and c.pos_ == "NOUN" and roles.is_role_word(c)
                for c in tok.children))
        noun_ok = tok.pos_ != "NOUN" or any(key(f)[-1] == k for f in full if len(key(f)) > 1)
        ent = roles.ent_span(tok)
        if noun_ok and ent is not None and ent.label_ in _MISREAD and len(ent) > 1 \
                and not honor and _misread_person(ent, ctx):
            return ctx.names.expand(clean_person(ent.text), _offset(tok))
        if noun_ok and tok.ent_type_ and not honor and not any(
                key(f)[-1] == k for f in ctx.names.full_names() if len(key(f)) > 1):
            noun_ok = False
        if noun_ok and (honor or any(key(f)[-1] == k or key(f)[0] == k for f in full if len(key(f)) > 1)):
            if ent is not None and ent.label_ != "PERSON" and len(ent) > 1 and not honor and word != ent.text:
                return None
            return ctx.names.expand(word, _offset(tok))
    if tok.pos_ == "NOUN" and tok.dep_ == "appos" and tok.head.ent_type_ == "PERSON" and tok.head.i < tok.i:
        return person_name(tok.head, ctx)      # "McCabe, a veteran agent who joined the bureau"
    if tok.pos_ in ("NOUN", "PROPN"):
        inner = _appos_person(tok)
        if inner is not None:
            return person_name(inner, ctx)
        if tok.lemma_ in ("employment", "job", "contract", "tenure", "services", "post", "position"):
            poss = child(tok, "poss")
            if poss is not None:
                return person_name(poss, ctx)
        nxt = tok.doc[tok.i + 1] if tok.i + 1 < len(tok.doc) else None
        if roles.is_role_word(tok) and nxt is not None and nxt.ent_type_ == "PERSON" and nxt.ent_iob_ == "B" \
                and nxt.head.i != tok.i and not any(c.dep_ in ("appos", "compound") and c.ent_type_ == "PERSON"
                                                    for c in tok.children):
            ent = roles.ent_span(nxt)                # "the resignation of treasurer Omar Pike", misparsed
            if ent is not None and ent.root.dep_ in ("appos", "compound", "npadvmod", "dep", "nmod"):
                return person_name(ent.root, ctx)
        if roles.is_role_word(tok) and tok.tag_ in ("NN", "NNP"):
            # "Special Envoy for Peru Ann Holt": the name closes the noun phrase
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
                    and all(a.dep_ in ("compound", "pobj", "prep", "appos")
                            for a in _path_up(run[-1], tok)):
                n = 3 if len(run) >= 3 and (run[-3].text.endswith(".") or len(run[-3].text) == 1) else 2
                text = " ".join(t.text for t in run[-n:])
                from .names import looks_like_person
                cleaned = clean_person(text)
                if looks_like_person(cleaned):
                    full = ctx.names.expand(cleaned, _offset(run[0]))
                    cut = {t.lower_ for t in run[:-n]}
                    return cleaned if cut & set(key(full)) else full   # not "Haiti Daniel Foote" again
    return None

_DEATH = {"death", "funeral", "murder", "killing", "assassination", "memorial", "burial"}


def _the_dead(pron: Token, ctx: Context) -> frozenset:
    """Names of the dead earlier in the pronoun's sentence ("after the death of X, he stood aside"):
    never the pronoun's antecedent."""
    out = set()
    for t in pron.sent:
        if t.i >= pron.i or t.ent_type_ != "PERSON":
            continue
        up = t.head.head if t.dep_ == "pobj" and t.head.lower_ == "of" else t.head if t.dep_ == "poss" else None
        if up is None and t.dep_ in ("compound", "appos") and t.head.dep_ == "pobj" and t.head.head.lower_ == "of":
            up = t.head.head.head            # "the death of leader X"
        if up is not None and up.lemma_.lower() in _DEATH:
            name = _person_name(t, ctx)
            if name:
                out.add(name)
    return frozenset(out)


def _path_up(tok: Token, top: Token) -> list[Token]:
    """The ancestors of ``tok`` below ``top`` (all of them when ``top`` is not an ancestor)."""
    out = []
    for a in tok.ancestors:
        if a.i == top.i:
            break
        out.append(a)
    return out

def _cataphor(pron: Token) -> Token | None:
    """'Before he resigned ..., David Blunkett had ...': the name follows in the main clause."""
    clause = next((a for a in pron.ancestors if a.dep_ == "advcl"), None)
    if clause is None or pron.dep_ != "nsubj" or clause.i > clause.head.i:
        return None
    subj = child(clause.head, "nsubj", "nsubjpass")
    if subj is not None and subj.i > clause.i and subj.ent_type_ == "PERSON":
        return subj
    return None

def _misread_person(ent: Span, ctx: Context) -> bool:
    """A two- or three-word name the tagger labelled as a place or organisation ("Marcus Bell")."""
    from .names import looks_like_person
    text = clean_person(ent.text)
    if not (2 <= len(text.split()) <= 3) or not looks_like_person(text) or ent[0].lower_ == "the":
        return False
    if any(t.lower_ in ("and", "&", "of") or not t.text[:1].isupper() for t in ent):
        return False
    # "OrbitX, Blue Harbor and ...": listed with organisations, it is one of them
    if any(c.ent_type_ == "ORG" and not (ent.start <= c.i < ent.end) for c in ent.root.conjuncts) \
            or ent.root.dep_ == "appos" and ent.root.head.tag_ == "NNS":
        return False
    return ent.text not in ctx.names.org_like

def _appos_person(tok: Token) -> Token | None:
    """'its chairman, X' and 'the chairman of Y, X' (apposition hung on the inner noun)."""
    for c in tok.children:
        if c.dep_ == "appos" and c.ent_type_ == "PERSON":
            return c
    if roles.is_role_word(tok):
        for prep in tok.children:
            if prep.dep_ == "prep" and prep.lower_ in ("of", "at", "for"):
                for pobj in prep.children:
                    for c in pobj.children:
                        if c.dep_ == "appos" and c.ent_type_ == "PERSON" and c.i > pobj.i:
                            return c
        # "picking Kennedy's longtime chief of staff, Paul Kirk." - the apposition hung elsewhere
        end = tok.right_edge.i + 1
        doc = tok.doc
        if end + 1 < len(doc) and doc[end].text == "," and doc[end + 1].ent_type_ == "PERSON" \
                and doc[end + 1].ent_iob_ == "B":
            ent = roles.ent_span(doc[end + 1])
            if ent is not None and ent.root.dep_ in ("appos", "npadvmod", "dep") \
                    and (ent.end == len(doc) or doc[ent.end].is_punct):
                return ent.root
    return None

def _bound_token(pron: Token) -> Token | None:
    prev = pron
    for depth, anc in enumerate(pron.ancestors):
        if depth > 3 or prev.dep_ == "conj":
            break
        prev = anc
        if anc.pos_ not in ("VERB", "AUX"):
            continue
        subj = child(anc, "nsubj", "nsubjpass")
        if subj is not None and subj.lower_ in ("who", "that") and anc.dep_ == "relcl" \
                and anc.head.ent_type_ == "PERSON" and anc.head.i < pron.i:
            return anc.head                 # "X, who served until his appointment to ..."
        if subj is not None and subj.dep_ == "nsubjpass" and subj.ent_type_ != "PERSON":
            by = child(anc, "agent")        # "New Dawn was formed by X after he quit the Unity Party"
            agent = child(by, "pobj") if by is not None else None
            if agent is not None and agent.ent_type_ == "PERSON" and agent.i < pron.i:
                return agent
        if subj is not None and subj.ent_type_ != "PERSON":
            owner = child(subj, "poss")
            if owner is not None and owner.ent_type_ == "PERSON" and owner.i < pron.i:
                return owner
        if subj is not None and subj.i < pron.i and (subj.ent_type_ == "PERSON" or subj.pos_ == "PROPN") \
                and not any(a.i == subj.i for a in pron.ancestors):
            return subj
    return None

def _bound_subject(pron: Token, ctx: Context) -> str | None:
    tok = _bound_token(pron)
    return person_name(tok, ctx) if tok is not None else None

def described_person(tok: Token, ctx: Context) -> str | None:
    """The name of an unnamed description ("a senior officer was removed from his post") given in the
    next or the previous sentence, which ties that name to the same noun ("The officer, Tom Reyes,
    ...", "Tom Reyes, the officer who ...", "officer Tom Reyes"). Not for someone new ("a new
    candidate", "an interim president"): that is another person."""
    if tok.pos_ != "NOUN" or tok.tag_ != "NN" or not roles.is_role_word(tok) or tok.ent_type_:
        return None
    if not any(c.dep_ in ("det", "poss") and c.lower_ in ("a", "an", "the", "one", "its", "their")
               for c in tok.children):
        return None
    if any(c.dep_ == "appos" or c.dep_ == "amod" and c.lower_ in _SOMEONE_NEW for c in tok.children):
        return None
    names = ctx.names
    starts = names.sentence_starts
    if not starts or not ctx.text:
        return None
    here = names.sentence_index(_offset(tok))
    mods = [c for c in tok.children if c.dep_ in ("compound", "amod") and c.i < tok.i and c.lower_ not in (
        "senior", "top", "former", "veteran", "longtime", "long-serving")]
    noun = "(?i:" + r"\s+".join(re.escape(t.lower_) for t in sorted(mods + [tok], key=lambda t: t.i)) + ")"
    for other in (here + 1, here - 1):
        if not 0 <= other < len(starts):
            continue
        begin, end = starts[other], starts[other + 1] if other + 1 < len(starts) else len(ctx.text)
        sentence = ctx.text[begin:end]
        tied = []
        for m in names.mentions:
            if not (begin <= m.start < end) or len(key(m.text)) < 2 or not (
                    m.text in names.persons or looks_like_person(m.text)):
                continue
            name = re.escape(m.text)
            if re.search(rf"\b[Tt]he\s+(?:[\w-]+\s+){{0,2}}{noun},?\s+(?:(?:named|identified)\s+(?:\w+\s+)?as\s+)?"
                         rf"(?:[A-Z][\w.]*\s+){{0,3}}{name}|{name},\s+(?:\d+,\s+)?the\s+(?:[\w-]+\s+){{0,2}}{noun}\b|"
                         rf"\b{noun}\s+{name}", sentence, re.I if False else 0):
                tied.append(m)
        if len({t.text for t in tied}) == 1:
            return names.expand(tied[0].text, tied[0].start)
    return None


_SOMEONE_NEW = {"new", "interim", "permanent", "acting", "replacement", "successor", "next", "future"}


def _titled(tok: Token) -> bool:
    """A name written with an honorific ("Ms Bowers"), whatever label the tagger gave it."""
    ent = roles.ent_span(tok)
    start = ent.start if ent is not None else tok.i
    words = [tok.doc[start].lower_.rstrip(".")] + ([tok.doc[start - 1].lower_.rstrip(".")] if start > 0 else [])
    return not HONORIFICS.isdisjoint(words)


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
        # "Blue Harbor Systems and Kestrel Works": a name listed with organisations is one of them
        # (not a title read as one: "to COO and president X"; nor an organisation someone owns: "X or
        # his Unity Party")
        listed_with_orgs = any(c.ent_type_ == "ORG" and not _titled(c) and not roles.is_role_word(c) and not any(
            g.dep_ == "poss" and g.pos_ == "PRON" for g in c.children) for c in t.conjuncts)
        name = None if listed_with_orgs else person_name(t, ctx)
        if name and all(n != name for n, _ in out):
            if t.pos_ == "PRON":
                bound = _cataphor(t) or _bound_token(t)
                if bound is not None:
                    out.append((name, bound))    # one person: not the names listed with the antecedent
                    return
                t = t
            if t.ent_type_ != "PERSON":
                inner = _appos_person(t)
                if inner is not None:
                    t = inner
                    for c in inner.children:
                        if c.dep_ == "conj":
                            add(c, depth + 1)
            out.append((name, t))
        for c in t.children:
            if c.dep_ == "conj":
                add(c, depth + 1)
            elif c.dep_ == "appos" and c.ent_type_ == "PERSON" and t.ent_type_ == "PERSON" \
                    and any(x.lower_ == "and" for x in t.doc[t.i:c.i]):
                add(c, depth + 1)
            elif c.dep_ == "appos" and c.ent_type_ == "PERSON" and t.tag_ in ("NNS", "NNPS", "NN") \
                    and t.lower_.endswith("s") and not name:
                add(c, depth + 1)         # "three other MPs - A, B and C -"
            elif c.dep_ == "appos" and c.ent_type_ == "PERSON" and t.ent_type_ == "PERSON" \
                    and any(g.dep_ == "conj" and g.ent_type_ == "PERSON" for g in c.children):
                add(c, depth + 1)         # "A Jr., B and C": a list read as an apposition
            elif c.dep_ == "appos" and c.ent_type_ != "PERSON":
                for g in c.children:
                    if g.dep_ == "conj":
                        add(g, depth + 1)
                    elif g.dep_ == "prep" and roles.is_role_word(c):
                        # "A, head of finance B and director C": titled names listed after the first
                        p = child(g, "pobj")
                        if p is not None and p.ent_type_ == "PERSON" and any(
                                x.dep_ == "conj" and x.ent_type_ == "PERSON" for x in list(p.children) + list(c.children)):
                            add(p, depth + 1)

    add(tok)
    if not out:
        named = described_person(tok, ctx)
        if named:
            out.append((named, tok))
    if tok.ent_type_ == "PERSON":
        ent = roles.ent_span(tok)
        for other in tok.doc.ents:
            if other.label_ == "PERSON" and other.end <= (ent.start if ent is not None else tok.i) \
                    and other.root.head.i >= other.end and any(
                        t.lower_ == "and" for t in tok.doc[other.end:tok.i]) \
                    and other.root.dep_ in ("nmod", "compound", "appos") and other.root.head in tok.subtree:
                name = person_name(other.root, ctx)
                if name and all(n != name for n, _ in out):
                    out.append((name, other.root))
    return out


# --- argument navigation --------------------------------------------------------------------------
