"""The trigger vocabulary, read from data/triggers.toml: rule word sets, surface forms, prefilter.

Both the dependency rules (through lexicon.py) and the cheap prefilter are generated from the one
data file, so a trigger the rules know always reaches the parser (tests/test_extract.py proves it
with each entry's example sentence).
"""
from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

DATA = Path(__file__).with_name("data") / "triggers.toml"


@dataclass(frozen=True)
class Trigger:
    """One line of data/triggers.toml."""

    lemma: str
    kind: str                            # verb | noun | phrase
    type: str | None = None              # departure | appointment | replace
    person: str | None = None            # subject | object
    particles: tuple[str, ...] = ()
    requires: str | None = None
    forms: tuple[str, ...] = ()
    weak: bool = False
    example: str = ""
    rule: str | None = None
    prefilter: str = ""                  # the regex alternative of this entry
    anchors: tuple[str, ...] = ()        # words one of which every prefilter match contains
    extra: dict = field(default_factory=dict, compare=False, hash=False)


def _double(lemma: str) -> bool:
    """tap -> tapped, step -> stepping: one short syllable ending in a single consonant."""
    return re.fullmatch(r"[^aeiou]*[aeiou][bdgklmnprt]", lemma) is not None


def verb_forms(lemma: str) -> tuple[str, ...]:
    """Regular inflections of a verb lemma (irregular ones are listed in the data)."""
    if lemma.endswith("e") and not lemma.endswith("ee"):
        stem = lemma[:-1]
        return (lemma, lemma + "s", lemma + "d", stem + "ing")
    if re.search(r"[^aeiou]y$", lemma):
        return (lemma, lemma[:-1] + "ies", lemma[:-1] + "ied", lemma + "ing")
    third = lemma + ("es" if re.search(r"(?:s|x|z|ch|sh)$", lemma) else "s")
    if _double(lemma):
        return (lemma, third, lemma + lemma[-1] + "ed", lemma + lemma[-1] + "ing")
    return (lemma, third, lemma + "ed", lemma + "ing")


def noun_forms(lemma: str) -> tuple[str, ...]:
    plural = lemma + ("es" if re.search(r"(?:s|x|z|ch|sh)$", lemma) else "s")
    return (lemma, plural)


def _role_alternation() -> str:
    from .lexicon import POST_WORDS, ROLE_HEADS
    return "(?:%s)" % "|".join(sorted({re.escape(w) for w in ROLE_HEADS | POST_WORDS}, key=len, reverse=True))


def _alternative(row: dict, forms: tuple[str, ...]) -> str:
    if row.get("pattern"):
        return row["pattern"]
    alt = row.get("prev", "") + "(?:%s)\\b" % "|".join(sorted(map(re.escape, forms), key=len, reverse=True))
    if row.get("particles"):
        gap = int(row.get("gap", 0))
        alt += "\\s+" + ("(?:\\S+\\s+){0,%d}?" % gap if gap else "") + "(?:%s)\\b" % "|".join(row["particles"])
    nxt = row.get("next", "")
    if nxt:
        alt += nxt if nxt.startswith("(?!") or nxt.startswith("(?=") else "\\s+(?:%s)" % nxt
    return alt


@lru_cache(maxsize=1)
def load(path: str | None = None) -> tuple[Trigger, ...]:
    """Every entry of the data file, with its surface forms and prefilter alternative."""
    data = tomllib.loads(Path(path or DATA).read_text(encoding="utf-8"))
    roles = _role_alternation()
    out = []
    for kind, rows in (("verb", data.get("verbs", [])), ("noun", data.get("nouns", [])),
                       ("phrase", data.get("phrases", []))):
        for row in rows:
            lemma = row.get("lemma") or row["name"]
            if kind == "phrase":
                forms: tuple[str, ...] = ()
            elif row.get("forms"):
                forms = tuple(row["forms"])
            else:
                forms = verb_forms(lemma) if kind == "verb" else noun_forms(lemma)
            alt = _alternative(row, forms).replace("{role}", roles)
            known = {"lemma", "name", "type", "person", "particles", "requires", "forms", "weak", "example",
                     "rule", "pattern", "prev", "next", "gap", "anchors"}
            unknown = set(row) - known
            if unknown:
                raise ValueError(f"{DATA.name}: unknown field(s) {sorted(unknown)} in entry {lemma!r}")
            out.append(Trigger(lemma=lemma, kind=kind, type=row.get("type"), person=row.get("person"),
                               particles=tuple(row.get("particles", ())), requires=row.get("requires"),
                               forms=forms, weak=bool(row.get("weak")), example=row.get("example", ""),
                               rule=row.get("rule"), prefilter=alt,
                               anchors=tuple(row.get("anchors") or (f.lower() for f in forms))))
    return tuple(out)


def verbs(type_: str, person: str | None = None, phrasal: bool = False) -> set:
    """Lemmas (or (lemma, particle) pairs when ``phrasal``) of verb entries of one type and slot."""
    out: set = set()
    for t in load():
        if t.kind != "verb" or t.type != type_ or (person and t.person != person):
            continue
        if phrasal and t.particles:
            out |= {(t.lemma, p) for p in t.particles}
        elif not phrasal and not t.particles:
            out.add(t.lemma)
    return out


def nouns(type_: str) -> set[str]:
    return {t.lemma for t in load() if t.kind == "noun" and t.type == type_}


@lru_cache(maxsize=2)
def surface_lemmas(kind: str = "verb") -> dict[str, str]:
    """Surface form -> trigger lemma of one kind (verb | noun), for tokens whose spaCy lemma differs
    from the list word ("resignations" lemmatised as itself, "deselected" as "deselecte")."""
    out: dict[str, str] = {}
    for t in load():
        if t.kind == kind:
            for f in t.forms + (t.lemma,):
                out.setdefault(f.lower(), t.lemma)
    return out


def pattern_rows() -> list[dict]:
    """The DependencyMatcher argument patterns of data/patterns.jsonl (see patterns.py)."""
    from .patterns import load as load_patterns
    return load_patterns()


def anchor_words() -> frozenset[str]:
    """Every word a prefilter match can be anchored on: the prefilter first looks for one of these in
    a set of the text's words (cheap), and runs the regexes only when one is there."""
    words = {w for t in load() for w in t.anchors}
    words |= {w for row in pattern_rows() for w in row["anchors"]}
    bad = {w for w in words if not w.isalpha() or w != w.lower()}
    if bad:
        raise ValueError(f"anchors must be lower-case words: {sorted(bad)}")
    return frozenset(words)


def prefilter_rows() -> list[tuple[str, bool, tuple[str, ...]]]:
    """(regex alternative, weak, anchors) of every trigger entry and argument pattern: each match of
    an alternative contains one of its anchor words."""
    roles = _role_alternation()
    rows = [(t.prefilter, t.weak, t.anchors) for t in load()]
    rows += [(row["prefilter"].replace("{role}", roles), bool(row.get("weak")), tuple(row["anchors"]))
             for row in pattern_rows()]
    return rows

