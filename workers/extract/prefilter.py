"""Cheap text work before spaCy: normalising wire text, splitting sentences, spotting triggers."""
from __future__ import annotations

import html
import re
from functools import lru_cache

from .lexicon import ORG_ENDINGS, POST_WORDS, ROLE_HEADS, WORKPLACE_NOUNS
from .vocabulary import prefilter_rows

# Every trigger of data/triggers.toml (see vocabulary.py). A sentence without one is never parsed.
# Triggers that are common words in other senses ("left the court", "named after", "join the
# protest", "returns", "new book"), marked `weak` in the data: a sentence with only these is parsed
# only when a staffing word (a role, a post, a workplace, an organisation's name ending) is in it, or
# the trigger is followed by a capitalised name ("joined Fiat", "left Labour") or an "as" phrase.
# Each alternative is filed under its anchor words (one of which every match contains): a text is
# searched only with the alternatives of the anchors among its words, one small regex per anchor,
# compiled on first use (one regex of all of them tried hundreds of alternatives at every position).
_STRONG_BY_ANCHOR: dict[str, list[str]] = {}
_ANY_BY_ANCHOR: dict[str, list[str]] = {}
_WEAK_SOURCES: list[str] = []
_WEAK_ANCHORS: set[str] = set()
for _src, _weak, _anchors in prefilter_rows():
    for _a in _anchors:
        if not _weak:
            _STRONG_BY_ANCHOR.setdefault(_a, []).append(_src)
        _ANY_BY_ANCHOR.setdefault(_a, []).append(_src)
    if _weak:
        _WEAK_SOURCES.append(_src)
        _WEAK_ANCHORS.update(_anchors)
_WORD = re.compile(r"[a-z]+")


@lru_cache(maxsize=None)
def _anchor_regex(anchor: str, strong_only: bool) -> re.Pattern:
    table = _STRONG_BY_ANCHOR if strong_only else _ANY_BY_ANCHOR
    return re.compile("\\b(?:%s)" % "|".join(dict.fromkeys(table[anchor])), re.IGNORECASE)


@lru_cache(maxsize=1)
def _weak_regex() -> re.Pattern:
    return re.compile("\\b(?:%s)" % "|".join(dict.fromkeys(_WEAK_SOURCES)), re.IGNORECASE)


def _search(text: str, words: set[str], strong_only: bool) -> bool:
    """Whether a (strong) trigger alternative matches somewhere in ``text`` (``words``: its words)."""
    table = _STRONG_BY_ANCHOR if strong_only else _ANY_BY_ANCHOR
    return any(_anchor_regex(a, strong_only).search(text) for a in words.intersection(table))


# tenure tributes matter only in articles about a wave of departures (see rules.from_tenure)
TENURE = re.compile(r"\b(?:worked\s+for|served\s+(?:as|for)|has\s+(?:run|led|headed|worked|served))\b", re.I)

_ABBREV = {"mr", "mrs", "ms", "dr", "st", "jr", "sr", "sen", "rep", "gov", "gen", "adm", "col", "capt",
           "lt", "sgt", "prof", "rev", "hon", "inc", "corp", "co", "ltd", "no", "vs", "v", "jan", "feb",
           "mar", "apr", "jun", "jul", "aug", "sep", "sept", "oct", "nov", "dec", "u.s", "u.k", "u.n",
           "d.c", "e.g", "i.e", "mt", "ft", "messrs", "pres", "dept", "univ", "approx", "est", "calif",
           "mass", "conn", "fla", "ill", "md", "va", "wash", "mich", "penn", "tenn", "ariz", "colo",
           "ore", "okla", "wis", "minn"}
_BOUNDARY = re.compile(r"(?<=[.!?])([\"”’')\]]*)\s+(?=[\"“‘'(\[]?[A-Z0-9À-ÖØ-Þ])|\n+(?![a-z])")
_BLOCK_TAG = re.compile(r"</?(?:p|br|div|li|ul|ol|h[1-6]|blockquote|section|article|header|footer|"
                        r"table|tr|td|th|tbody|thead|figure|figcaption|hr)\b[^<>]*>", re.I)
_INLINE_TAG = re.compile(r"</?(?:span|a|b|i|em|strong|u|sup|sub|small|img|font|abbr|cite|time)\b[^<>]*>", re.I)
_DATELINE = re.compile(r"^\s*(?:[A-Z][A-Z.'\- ]{2,40}(?:,\s*[A-Z][A-Za-z.]+\s+\d{1,2})?\s*(?:\([A-Za-z ]+\))?\s*[-—―–]+\s+)")


_STAFF_WORDS = ({w for w in ROLE_HEADS | POST_WORDS | WORKPLACE_NOUNS | ORG_ENDINGS if w.isalpha()} | {"power"}) - {"court"}
_STAFF_CONTEXT = re.compile(r"\b(?:%s)s?\b" % "|".join(sorted(_STAFF_WORDS, key=len, reverse=True)), re.I)
_AFTER_WEAK = re.compile(r"^\W{0,3}(?:(?:of|from|by)\s+)?(?:(?:the|his|her|their|its)\s+)?(?:[A-Z][\w&'’.-]+)|"
                         r"^[^.;:]{0,40}?\bas\b")


def staffing_sentence(sentence: str) -> bool:
    """A sentence worth parsing: a strong trigger, or a weak one with staffing context."""
    words = set(_WORD.findall(sentence.lower()))
    if _search(sentence, words, strong_only=True):
        return True
    if words.isdisjoint(_WEAK_ANCHORS):
        return False
    found = False
    for m in _weak_regex().finditer(sentence):
        found = True
        if _AFTER_WEAK.match(sentence[m.end():m.end() + 60]):
            return True
    return found and _STAFF_CONTEXT.search(sentence) is not None


def has_trigger(text: str) -> bool:
    """True when ``text`` contains any staffing trigger word (the cheap article-level filter)."""
    return bool(text) and _search(text, set(_WORD.findall(text.lower())), strong_only=False)


_CAP_INSIDE = re.compile(r"[\s\"“‘'(\[—-][A-Z][a-z]")
_PRONOUN = re.compile(r"\b(?:he|she|his|her|him)\b|\d+-year-old", re.I)
_CAP_FIRST = re.compile(r"^[\"“‘'(]?([A-Z][a-zA-Z’'\-]+)")


def may_name_person(sentence: str) -> bool:
    """A sentence can only state a named person's move if it has a capitalised word or a pronoun."""
    if _CAP_INSIDE.search(sentence) or _PRONOUN.search(sentence):
        return True
    m = _CAP_FIRST.match(sentence)
    return bool(m) and m.group(1).lower() not in _SENTENCE_OPENERS


_SENTENCE_OPENERS = {"the", "a", "an", "in", "on", "at", "it", "this", "that", "these", "those", "there",
                     "but", "and", "or", "so", "if", "when", "after", "before", "as", "we", "they", "you",
                     "i", "our", "their", "its", "some", "many", "most", "all", "no", "one", "two",
                     "what", "why", "how", "who", "while", "for", "with", "from", "to", "by", "of"}


_ENDS_ABBREV = re.compile(r"(?:\b[A-Z]\.|\b(?:Mr|Mrs|Ms|Dr|St|Jr|Sen|Rep|Gov|Gen|Inc|Corp|Co|Ltd)\.)\s*$")
_ENDS_SENTENCE = re.compile(r"[.!?:\"”’]\s*$")


def _caps_line(line: str) -> bool:
    letters = [c for c in line if c.isalpha()]
    return len(letters) >= 12 and sum(c.isupper() for c in letters) > 0.9 * len(letters)


def normalise(text: str) -> str:
    """Undo SGML entities, wire line breaks, ticker brackets and datelines; keep paragraphs."""
    text = _BLOCK_TAG.sub("\n", text or "")
    text = _INLINE_TAG.sub("", text)
    text = html.unescape(html.unescape(text))
    text = text.replace("\r\n", "\n").replace("\r", "\n").replace("\u00a0", " ")
    # Reuters-style hard-wrapped lines: join a line that does not end a sentence with the next.
    lines = text.split("\n")
    out: list[str] = []
    last = ""
    for line in lines:
        stripped = line.strip()
        prev = out[-1] if out else ""
        ends_abbrev = bool(_ENDS_ABBREV.search(prev))
        # an ALL-CAPS line between mixed-case ones (a page's interposed headline) is its own sentence
        if out and prev and stripped and (ends_abbrev or not _ENDS_SENTENCE.search(prev)) \
                and not line.startswith(("    ", "\t")) and _caps_line(last) == _caps_line(stripped):
            out[-1] = out[-1].rstrip() + " " + stripped
        else:
            out.append(stripped)
        last = stripped
    text = "\n".join(out)
    text = re.sub(r"<([^<>\n]{1,80})>", r"\1", text)          # <Company Inc> -> Company Inc
    # initials glued to the surname or doubled by the wire: "J.R.Moman", "C..Joseph" -> "J.R. Moman"
    text = re.sub(r"\b([A-Z])\.\.(?=[A-Z][a-z])", r"\1. ", text)
    text = re.sub(r"\b((?:[A-Z]\.){1,3})(?=[A-Z][a-z]{2,})", r"\1 ", text)
    text = re.sub(r"\(\s*\)", "", text)
    text = re.sub(r"[ \t]+", " ", text)
    text = re.sub(r"\s+Reuter\s*$", "", text)
    paras = [_DATELINE.sub("", p, count=1) if i < 2 else p for i, p in enumerate(text.split("\n"))]
    return "\n".join(paras).strip()


_CORP_ABBREV = {"inc", "corp", "co", "ltd"}


def _new_sentence_after_company(text: str, at: int) -> bool:
    """A company's "Inc." ends the sentence when a name or "The" follows that is no part of the
    company's name or a title before a name ("Acme Inc. Chairman Ann Roe said", "Acme Co. Ltd")."""
    m = re.match(r"([A-Z][a-z]+)\b(?!['’]s)", text[at:at + 40])
    if not m:
        return False
    word = m.group(1).lower()
    return word not in ORG_ENDINGS and word not in ROLE_HEADS and word not in _TITLE_LIKE


_TITLE_LIKE = {"chairman", "president", "chief", "vice", "executive", "senior", "managing", "general",
               "group", "holdings", "international", "and", "of", "unit", "subsidiary", "shares", "stock"}


def split_sentences(text: str) -> list[tuple[int, str]]:
    """Split into (offset, sentence) pairs with abbreviation-aware rules."""
    out: list[tuple[int, str]] = []
    start = 0
    for m in _BOUNDARY.finditer(text):
        end = m.start() + len(m.group(1) or "")
        if "\n" not in m.group(0):
            word = re.search(r"(?:^|[\s(\"“])([A-Za-z.]+)\.$", text[max(0, m.start() - 12):m.start()])
            if word:
                raw = word.group(1).rstrip(".")
                w = raw.lower()
                if w in _CORP_ABBREV and _new_sentence_after_company(text, m.end()):
                    pass                     # "... chief of Acme Inc. Ann Roe, son of ..., remains"
                elif w in _ABBREV or re.fullmatch(r"[A-Z]", raw) or re.fullmatch(r"(?:[A-Za-z]\.)+[A-Za-z]", raw):
                    continue
        seg = text[start:end]
        if seg.strip():
            lead = len(seg) - len(seg.lstrip())
            out.append((start + lead, seg.strip()))
        start = m.end()
    seg = text[start:]
    if seg.strip():
        out.append((start + len(seg) - len(seg.lstrip()), seg.strip()))
    return out
