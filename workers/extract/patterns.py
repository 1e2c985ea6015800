"""Argument patterns in spaCy's DependencyMatcher form, read from data/patterns.jsonl.

Each line: {"id", "type", "person", "pattern", "example"} and optionally "role_text". The pattern's
first node is named ``trigger``; other named nodes are slots: ``person`` (the person who moves),
``role`` (the position), ``post`` (a word that makes the sense a staffing one). Without a ``person``
node, "person" says where the person stands: ``subject`` or ``object`` of the trigger, or ``head``
(the noun phrase the trigger modifies: "ousted president X"). "background": true marks a move the
sentence presupposes rather than states (a modifier); "negated": true, a pattern whose own
negation is its meaning ("the new cabinet does not include X"), so the negation veto skips it.
Adding a construction is one line.
"""
from __future__ import annotations

import json
from pathlib import Path

from spacy.matcher import DependencyMatcher
from spacy.tokens import Doc, Token
from spacy.vocab import Vocab

from . import roles
from .context import Context, RawEvent
from .names import clean_person
from .persons import persons
from .reality import unreal
from .syntax import object_of, phrase_head, subject_of

DATA = Path(__file__).with_name("data") / "patterns.jsonl"


def load(path: str | Path | None = None) -> list[dict]:
    rows = []
    for line in Path(path or DATA).read_text(encoding="utf-8").splitlines():
        if line.strip():
            row = json.loads(line)
            if row["pattern"][0].get("RIGHT_ID") != "trigger":
                raise ValueError(f"pattern {row['id']}: the first node must be named 'trigger'")
            rows.append(row)
    return rows


class ArgumentPatterns:
    """The DependencyMatcher of the data's patterns, and the events its matches give."""

    def __init__(self, vocab: Vocab, rows: list[dict]):
        self.rows = {row["id"]: row for row in rows}
        self.matcher = DependencyMatcher(vocab)
        for row in rows:
            self.matcher.add(row["id"], [row["pattern"]])
        self.needs = [_word_needs(row["pattern"]) for row in rows]

    def possible(self, doc: Doc) -> bool:
        """Whether some pattern has, for each of its nodes that asks for given words, such a token in
        ``doc``: when none has, the matcher finds nothing (and is not run: most trigger sentences
        hold none of the patterns' words)."""
        seen = {"LOWER": set(), "LEMMA": set(), "ORTH": set()}
        for tok in doc:
            seen["LOWER"].add(tok.lower_)
            seen["LEMMA"].add(tok.lemma_)
            seen["ORTH"].add(tok.text)
        return any(all(not seen[attr].isdisjoint(words) for attr, words in needs) for needs in self.needs)

    def extract(self, doc: Doc, ctx: Context, make_event) -> list[RawEvent]:
        out: list[RawEvent] = []
        if not self.possible(doc):
            return out
        seen = set()
        for match_id, token_ids in self.matcher(doc):
            row = self.rows[doc.vocab.strings[match_id]]
            slots = {node["RIGHT_ID"]: doc[i] for node, i in zip(row["pattern"], token_ids)}
            trigger = slots["trigger"]
            key = (row["id"], trigger.i, slots["person"].i if "person" in slots else None)
            # one match each ("the nominees are A, ... and B"); a "negated" row's negation is its meaning
            # ("the new cabinet does not include X")
            if key in seen or unreal(trigger, allow_neg=bool(row.get("negated"))):
                continue
            seen.add(key)
            out += self._events(row, slots, ctx, make_event)
        return out

    def _events(self, row: dict, slots: dict[str, Token], ctx: Context, make_event) -> list[RawEvent]:
        trigger = slots["trigger"]
        where = row.get("person", "subject")
        if "person" in slots:
            arg = slots["person"]
        elif where == "object":
            arg = object_of(trigger)
        elif where == "head":
            if not roles.is_role_word(trigger.head):
                return []
            arg = phrase_head(trigger.head)
        else:
            arg = subject_of(trigger)
        role = org = None
        if "role" in slots:
            if _praise(slots["role"]):
                return []
            if row.get("role_owned") and not _owned_or_bare(slots["role"]):
                return []
            role, org = roles.role_phrase(slots["role"])
            if not role:
                return []
            if arg is not None and arg.head.i == slots["role"].i:      # "made [him] deputy leader"
                inner = arg.doc[arg.left_edge.i:arg.right_edge.i + 1].text
                role = role[len(inner):].strip() if role.startswith(inner) else role
        elif where == "head":
            role, org = roles.role_phrase(trigger.head)
        role = role or row.get("role_text")
        if row.get("role_from") == "subject" and role is None:
            role, org = _subject_post(trigger, ctx)      # "X handed the reins to Y": X's post
        found = persons(arg, ctx)
        if arg is not None and trigger.dep_ == "relcl" and arg.i == trigger.head.i:
            from .persons import person_name    # "A, who served until ..., and B": the relative clause is A's
            name = person_name(arg, ctx)
            found = [(name, arg)] if name else []
        if arg is not None and arg.lower_ in ("him", "her") and arg.pos_ == "PRON" and "person" in slots:
            found = _object_pronoun(arg, ctx)   # "X made him ...": never X himself
        events = [make_event(row["type"], name, tok, role, org, trigger, ctx) for name, tok in found]
        if row.get("role_from") == "subject" and role is not None:
            for ev in events:
                ev.organisation = org            # the post's, not the new holder's present employer
        for ev in events:
            ev.background = ev.background or bool(row.get("background"))
        return events


def _subject_post(trigger: Token, ctx: Context) -> tuple[str | None, str | None]:
    """The post the trigger's subject holds: its title in the sentence or elsewhere in the article."""
    from .rules.slots import article_role, person_role
    subj = subject_of(trigger)
    found = persons(subj, ctx)
    if not found and subj is not None and subj.text[:1].isupper() and subj.dep_ == "nsubj":
        full = ctx.names.expand(subj.text)              # a bare surname the recogniser missed
        found = [(full, subj)] if len(full.split()) > 1 else []
    for name, tok in found:
        role, org = person_role(tok)
        role = role or article_role(name, ctx, departure=True)
        if role:
            return role, org
    return None, None


def _owned_or_bare(role: Token) -> bool:
    """"the company's chairman", "its chairman", "chairman of X": a post; not "the keynote speaker",
    "a candidate", "the first president to ...": a part or a description."""
    if any(c.dep_ == "amod" and c.lower_ in ("first", "last", "only", "next", "youngest", "oldest") for c in role.children):
        return False
    return any(c.dep_ == "poss" for c in role.children) or not any(c.dep_ == "det" for c in role.children)


def _word_needs(pattern: list[dict]) -> list[tuple[str, frozenset[str]]]:
    """(attribute, words) that a token must have for each node of ``pattern`` that names its words
    (LOWER, LEMMA or ORTH equal to, or IN, a list); other conditions only narrow a match further."""
    needs = []
    for node in pattern:
        for attr, value in node.get("RIGHT_ATTRS", {}).items():
            if attr not in ("LOWER", "LEMMA", "ORTH"):
                continue
            if isinstance(value, str):
                needs.append((attr, frozenset([value])))
            elif isinstance(value, dict) and set(value) == {"IN"}:
                needs.append((attr, frozenset(value["IN"])))
    return needs


_PRAISE = {"great", "good", "better", "best", "fine", "finer", "strong", "stronger", "natural", "born",
           "brilliant", "effective", "successful", "terrific", "wonderful", "excellent", "outstanding",
           "poor", "bad", "worse", "real", "true", "better-than-average", "decent", "tough", "weak"}


def _praise(role: Token) -> bool:
    """"made him such a great leader": a quality (a judged "a/such a ADJ" noun), not a post."""
    if any(c.dep_ == "predet" or c.lower_ in ("such", "what") for c in role.children):
        return True
    return any(c.dep_ == "det" and c.lower_ in ("a", "an") for c in role.children) and any(
        c.dep_ == "amod" and c.lower_ in _PRAISE for c in role.children)


def _object_pronoun(pron: Token, ctx: Context) -> list[tuple[str, Token]]:
    """The antecedent of an object pronoun, which is never a person named earlier in its sentence."""
    from .persons import person_name
    trigger = pron.head if pron.head.pos_ == "VERB" else pron.head.head
    named = frozenset(person_name(t, ctx) for t in pron.sent if t.ent_type_ == "PERSON" and t.i < pron.i) - {None}
    subj = subject_of(trigger)                                            # the maker is not the one made
    if subj is not None:
        named |= frozenset(n for n, _ in persons(subj, ctx))
        span = roles.ent_span(subj)
        named |= {ctx.names.expand(clean_person(span.text if span is not None else subj.text))}
    offset = pron.doc.user_data.get("aidewatch_offset", 0) + pron.idx
    name = ctx.names.antecedent(offset, pron.lower_, named)
    return [(name, pron)] if name else []
