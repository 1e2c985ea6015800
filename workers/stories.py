"""Story clustering: articles from different outlets about the same news share a story id.

Rewritten coverage shares little running text, so an article is reduced to a small weighted
profile of what rewrites keep: names (capitalised sequences, and their last word), numbers,
quoted phrases, word pairs and rarer content words, with the headline and the lead counted more.
Profiles are plain JSON. ``index_terms`` gives a few dozen short keys for an inverted index;
``choose_story`` compares a new article with the stored articles found through those keys in the
time window and returns the best story above a threshold that rises with the days between them.
Features that many candidate stories share (a president's name, "afghanistan") are
down-weighted by their frequency in the candidate set itself: no global statistics.

What the threshold asks depends on what the dates and lengths say:
- an archive page without a publication date (``undated``) may be from any year: it joins only on
  strong evidence (``STRONG_THRESHOLD`` after the discount, or ``CLOSE_THRESHOLD`` before it), never
  on the topic words and main figures that every story of a long-running subject shares;
- two short texts of the same day (lead excerpts, headlines of different outlets) join at a lower
  bar when they share a specific detail: a full name, a figure, a quoted phrase;
- days apart, an article about someone the other never names (the successor chosen days after the
  ouster) is the next development: it too needs strong evidence (a report that retells the news).
"""
from __future__ import annotations

import heapq
import math
import re
import zlib
from collections import Counter, defaultdict
from functools import lru_cache
from datetime import date, datetime, timezone
from typing import Iterable

from workers.spacy_import import import_spacy

import_spacy()  # before any spacy module: without its command-line package
from spacy.lang.en.stop_words import STOP_WORDS  # noqa: E402

STORY_WINDOW_DAYS = 7
STORY_THRESHOLD = 0.17      # similarity needed on the same or the next day (measured: bench/eval_stories.py)
DAY_PENALTY = 0.035         # added to the threshold for each further day apart
STRONG_THRESHOLD = 0.34     # similarity that is strong evidence: an undated page, or a sequel (below),
CLOSE_THRESHOLD = 0.42      # ... or this close before discounting what other candidate stories share
MAX_FEATURES = 80
MAX_INDEX_TERMS = 32
SHORT_TEXT_CHARS = 900     # a lead excerpt (or a headline): few words, so each shared detail weighs more
SHORT_THRESHOLD = 0.12      # two excerpts of the same day that share a specific detail (below)
SEQUEL_DAYS = 2.0           # from this many days apart, an article about someone new needs strong evidence

# Words too common in news to tell stories apart (beyond spaCy's stop words).
COMMON = set("""
said says say saying told tell according year years month months week weeks day days today
yesterday tomorrow time times new news people percent cent report reported reports statement
added including also would could should may might will just like get got going make made
many much well even still back first last next since former two three four five six seven
eight nine ten one told told monday tuesday wednesday thursday friday saturday sunday
january february march april may june july august september october november december
mr mrs ms dr gov sen rep lord lady sir dame prof president minister secretary official officials
government state states country city house told asked interview statement spokesman spokeswoman
spokesperson via reuter reuters associated press cnn fox reporting editing writing copyright
inc corp co ltd plc llc group company companies
""".split()) | set(STOP_WORDS)

# Vocabulary that every staffing story (the product's beat) or national story shares: kept, at a
# fraction of the weight, so that it supports a match without making one.
WEAK = set("""
chief executive officer officers chairman chairwoman director directors board vice deputy head
resign resigns resigned resignation quit quits step steps stepped appoint appointed appointment
named name replace replaced replacing succeed succeeds successor retire retired retirement
leave leaving left join joins joined hire hired fire fired post position role job jobs
american americans u.s us uk british united nation national federal administration
democrat democrats democratic republican republicans party
""".split())

TITLES = {"mr", "mrs", "ms", "miss", "dr", "sir", "dame", "lord", "lady", "baroness", "prof",
          "professor", "gov", "governor", "sen", "senator", "rep", "representative", "president",
          "vice", "prime", "minister", "secretary", "chancellor", "judge", "justice", "gen",
          "general", "col", "capt", "rev", "hon", "rt", "mayor", "speaker", "leader", "chairman",
          "chief", "deputy", "acting", "former", "ex", "st"}
ORG_HEADS = {"department", "ministry", "committee", "court", "house", "party", "council", "agency", "office",
             "bank", "university", "association", "commission", "administration", "service", "group",
             "board", "union", "senate", "congress", "parliament", "government", "state", "states",
             "news", "times", "post", "journal", "institute", "foundation", "center", "centre"}
CONNECTORS = {"of", "de", "la", "van", "von", "der", "du", "da", "al", "bin", "and", "&", "for"}
_NAME_EDGES = TITLES | CONNECTORS

_TOKEN = re.compile(r"\$?\d[\d,.]*\d(?:\s?(?:million|billion|trillion|bn|m|%|percent))?|\$?\d"
                    r"|[^\W\d_](?:[\w'\u2019.&-]*[^\W_])?|[.!?;:\n\"\u201c\u201d,()]")
_QUOTE = re.compile(r"[\"\u201c]([^\"\u201c\u201d]{12,400})[\"\u201d]")
_WORD = re.compile(r"[^\W\d_][\w']*")


@lru_cache(maxsize=200_000)
def _stem(w: str) -> str:
    """A crude, cheap stemmer: enough for plural/tense variants to meet."""
    w = w.replace("\u2019", "'")
    if w.endswith("'s"):
        w = w[:-2]
    for suf, rep in (("ies", "y"), ("sses", "ss"), ("ing", ""), ("ied", "y"), ("ed", ""), ("es", ""), ("s", "")):
        if w.endswith(suf) and len(w) - len(suf) >= 4:
            return w[: len(w) - len(suf)] + rep
    return w


def _number_key(tok: str) -> str | None:
    t = tok.lower().replace(",", "").replace("$", "").replace(" ", "")
    t = t.replace("percent", "%").replace("million", "m").replace("billion", "bn").replace("trillion", "tn")
    m = re.match(r"(\d+(?:\.\d+)?)(.*)$", t)
    if not m:
        return None
    num, unit = m.groups()
    try:
        val = float(num)
    except ValueError:
        return None
    if not unit and val <= 12 and val == int(val):
        return None  # small counts say little
    return f"{num.rstrip('.')}{unit}"


_ASCII_LETTERS = bytes(range(65, 91)) + bytes(range(97, 123))
_ASCII_UPPER = bytes(range(65, 91))
_NON_ASCII = re.compile(r"[^\x00-\x7f]")


def _is_upper_text(s: str) -> bool:
    """Whether more than 80 % of the letters are capitals (ASCII counted in C, the rest by hand)."""
    b = s.encode("ascii", "ignore")
    letters = len(b) - len(b.translate(None, _ASCII_LETTERS))
    upper = len(b) - len(b.translate(None, _ASCII_UPPER))
    for c in _NON_ASCII.findall(s):
        if c.isalpha():
            letters += 1
            upper += c.isupper()
    return bool(letters) and upper > 0.8 * letters


_PUNCT = ".!?;:\n\"\u201c\u201d,()"
_SENTENCE_END = ".!?\n:"


@lru_cache(maxsize=200_000)
def _word_info(tok: str) -> tuple:
    """What ``_features`` needs to know of a word token, whatever its context (kept per token:
    a story's words recur across its sentences and across articles): (lowercase form without
    possessive, capitalised and no stop word, common word, name connector, stem or None for a
    word too common or short to count, weak, stem weak, "t:" key, "p:" key or None)."""
    low = tok.lower().replace("\u2019", "'")
    if low.endswith("'s"):
        low = low[:-2]
    elif low.endswith("s'"):
        low = low[:-1]
    common_word = low in COMMON
    name_like = tok[0].isupper() and low not in STOP_WORDS
    st = weak = stem_weak = kt = kp = None
    if not (common_word or len(low) < 3):
        st = _stem(low)
        stem_weak = st in WEAK
        weak = low in WEAK or stem_weak
        kt = "t:" + st
        kp = "p:" + st if not weak and low not in TITLES and low not in ORG_HEADS else None
    return low, name_like, common_word, low in CONNECTORS, st, weak, stem_weak, kt, kp


def _features(text: str, lowercase_seen: set[str], boost: float, out: Counter,
              capitals: bool | None = None) -> None:
    """Add weighted features of one text (headline or body) to ``out`` (``capitals``: whether
    the text is in capitals, when the caller knows)."""
    if capitals is None:
        capitals = _is_upper_text(text)
    if capitals:
        text = text.lower()  # wire headlines in capitals: names cannot be told from words, so every
        # rarer word also counts as a possible name, at half a name's weight (below)
    toks = _TOKEN.findall(text)
    sentence_start = True
    run: list[str] = []
    prev = None  # the stem of the previous content word of the clause (a word pair's first half)
    pos = 0
    head_boost = boost * 1.5  # the first 59 tokens (the lead) count more
    get = out.get
    word_info = _word_info
    common, weak_words = COMMON, WEAK
    prev_weak = False

    def flush_name() -> None:
        while run and run[-1] in CONNECTORS:
            run.pop()
        while run and run[0] in _NAME_EDGES:
            run.pop(0)
        if len(run) == 1 and run[0] in common:
            run.clear()
        if run:
            w = (head_boost if pos < 60 else boost) * (0.3 if all(t in weak_words or t in common for t in run)
                                                      else 1.0)
            if run[-1] not in common and run[-1] not in ORG_HEADS:
                k = "p:" + _stem(run[-1])
                out[k] = get(k, 0) + 2.0 * w
            if len(run) > 1:
                k = "n:" + " ".join(run)[:60]
                out[k] = get(k, 0) + 2.5 * w
            run.clear()

    for tok in toks:
        if tok in _PUNCT:
            if run:
                flush_name()
            prev = None
            sentence_start = tok in _SENTENCE_END
            continue
        pos += 1
        lead = head_boost if pos < 60 else boost
        first = tok[0]
        if first.isdigit() or first == "$":
            if run:
                flush_name()
            key = _number_key(tok)
            if key:
                is_year = re.fullmatch(r"(19|20)\d\d", key) is not None
                k = "d:" + key
                out[k] = get(k, 0) + (0.7 if is_year else 2.0) * lead
            sentence_start = False
            continue
        low, name_like, common_word, connector, st, weak, stem_weak, kt, kp = word_info(tok)
        if name_like and not (sentence_start and (common_word or low in lowercase_seen)):
            run.append(low)
        elif connector and run:
            run.append(low)
        elif run:
            flush_name()
        sentence_start = False
        if st is None:
            prev = None
            continue
        out[kt] = get(kt, 0) + (0.3 if weak else 1.0) * lead
        if capitals and kp is not None:
            out[kp] = get(kp, 0) + 1.0 * lead
        if prev is not None:
            k = "b:" + prev + " " + st
            out[k] = get(k, 0) + (0.5 if weak or prev_weak else 1.2) * lead
        prev, prev_weak = st, stem_weak
    if run:
        flush_name()


def story_profile(text: str, title: str | None = None, *, undated: bool = False) -> dict:
    """JSON-serialisable profile: ``{"f": {feature: weight}}``, unit length, at most 80 features;
    ``"u": 1`` marks an article whose publication date is unknown (the store then files it under
    the day it was found, which says nothing about when its news happened)."""
    text = text or ""
    lowercase_seen = {w for w in _WORD.findall(text) if w.islower()}
    head: Counter = Counter()
    if title:
        _features(title, lowercase_seen, 2.0, head)
    body: Counter = Counter()
    body_in_capitals = _is_upper_text(text)
    _features(text, lowercase_seen, 1.0, body, body_in_capitals)
    raw = head + body
    for q in _QUOTE.findall(text):
        words = [w.lower() for w in _WORD.findall(q)]
        for i in range(len(words) - 2):
            raw["q:%08x" % zlib.crc32(" ".join(words[i:i + 3]).encode())] += 1.5
    weights = {k: (1.0 + math.log(v)) if v >= 1 else v for k, v in raw.items()}
    top = heapq.nsmallest(MAX_FEATURES, weights.items(), key=lambda kv: (-kv[1], kv[0]))
    norm = math.sqrt(sum(v * v for _, v in top)) or 1.0
    prof = {"f": {k: round(v / norm, 4) for k, v in top}}
    # who the article is about: its heaviest name (headline and lead count more) among those the
    # text spells as names (a text in capitals cannot tell)
    names = [(raw[k], k) for k in body if k.startswith("p:")] if not body_in_capitals else []
    if names:
        prof["h"] = [max(names)[1]]
    if (text.strip() or (title or "").strip()) and len(text) < SHORT_TEXT_CHARS:
        prof["s"] = 1                      # a lead excerpt, or a wire that carries only its headline
    if undated:
        prof["u"] = 1
    return prof


def index_terms(profile: dict) -> list[str]:
    """The profile's heaviest names, numbers, pairs and quotes: keys to look candidates up by."""
    feats = profile.get("f", {})
    ranked = sorted(feats.items(), key=lambda kv: (-kv[1] * (1.0 if kv[0][0] != "t" else 0.6), kv[0]))
    return [k for k, _ in ranked[:MAX_INDEX_TERMS]]


def story_similarity(a: dict, b: dict, discount: dict[str, float] | None = None) -> float:
    """Cosine of two profiles; ``discount`` optionally scales features down (candidate-set DF)."""
    fa, fb = a.get("f", {}), b.get("f", {})
    if len(fb) < len(fa):
        fa, fb = fb, fa
    d = discount or {}
    dot = sum(v * fb[k] * d.get(k, 1.0) ** 2 for k, v in fa.items() if k in fb)
    if not d:
        return dot
    na = math.sqrt(sum((v * d.get(k, 1.0)) ** 2 for k, v in a.get("f", {}).items())) or 1.0
    nb = math.sqrt(sum((v * d.get(k, 1.0)) ** 2 for k, v in b.get("f", {}).items())) or 1.0
    return dot / (na * nb)


def to_day(published) -> float | None:
    """Days since the epoch for a datetime, date, ISO string or epoch seconds; None if unknown."""
    if published is None or published == "":
        return None
    if isinstance(published, (int, float)):
        return published / 86400.0
    if isinstance(published, str):
        s = published.strip()
        for fmt in ("%d-%b-%Y %H:%M:%S.%f", "%d-%b-%Y %H:%M:%S", "%d-%b-%Y"):
            try:
                published = datetime.strptime(s, fmt)
                break
            except ValueError:
                pass
        else:
            try:
                published = datetime.fromisoformat(s.replace("Z", "+00:00"))
            except ValueError:
                return None
    if isinstance(published, datetime):
        if published.tzinfo is None:
            published = published.replace(tzinfo=timezone.utc)
        return published.timestamp() / 86400.0
    if isinstance(published, date):
        return datetime(published.year, published.month, published.day, tzinfo=timezone.utc).timestamp() / 86400.0
    return None


def threshold_for(days_apart: float | None) -> float:
    """Similarity needed between articles this many days apart (unknown counts as same day)."""
    if days_apart is None:
        return STRONG_THRESHOLD
    return STORY_THRESHOLD + DAY_PENALTY * max(0.0, abs(days_apart) - 1.0)


def candidate_discount(profiles: Iterable[tuple[str, dict]]) -> dict[str, float]:
    """Down-weight features present in several candidate stories: 1/sqrt(stories containing it)."""
    seen: dict[str, set] = defaultdict(set)
    for story_id, prof in profiles:
        for k in prof.get("f", {}):
            seen[k].add(story_id)
    return {k: 1.0 / math.sqrt(len(s)) for k, s in seen.items() if len(s) > 1}


def _specific(key: str) -> bool:
    """A feature that names one thing: a full name, a quoted phrase, or a figure (not a year).
    (Word pairs are not: "forestry budget" is a subject that different news of a day share.)"""
    kind, _, rest = key.partition(":")
    if kind in ("n", "q"):
        return True
    return kind == "d" and re.fullmatch(r"(19|20)\d\d", rest) is None


def _excerpts_sharing_detail(a: dict, b: dict, gap: float | None) -> bool:
    """Two short texts of the same day that share a specific detail (a name, a figure, a quote)."""
    if gap is None or gap >= 1.0 or not (a.get("s") and b.get("s")):
        return False
    fb = b.get("f", {})
    return any(k in fb and _specific(k) for k in a.get("f", {}))


def _newcomer(a: dict, b: dict) -> bool:
    """Whether ``a`` is about someone ``b`` never names: days later, that is likely the next
    development (the successor chosen after the ouster) unless ``a`` retells ``b``'s news."""
    fb, hb = b.get("f", {}), b.get("h", ())
    return any(k not in fb and k not in hb for k in a.get("h", ()))


def matching_stories(profile: dict, published, candidates) -> list[str]:
    """Every story among ``(story_id, article_id, profile, published)`` candidates that this
    article belongs to, best first (empty: a new story).

    A story's score is its best-matching article's; it must reach ``threshold_for(days apart)``
    and the article must lie within ``STORY_WINDOW_DAYS``. More than one story means the
    article bridges coverage that arrived in an order that split it: the caller joins them.
    """
    day = None if profile.get("u") else to_day(published)
    cands = []
    for story_id, _article_id, prof, pub in candidates:
        other = None if prof.get("u") else to_day(pub)
        gap = None if day is None or other is None else abs(day - other)
        if gap is not None and gap > STORY_WINDOW_DAYS:
            continue
        need = threshold_for(gap)
        if _excerpts_sharing_detail(profile, prof, gap):
            need = min(need, SHORT_THRESHOLD)
        if gap is not None and gap >= SEQUEL_DAYS and (_newcomer(profile, prof) or _newcomer(prof, profile)):
            need = max(need, STRONG_THRESHOLD)
        cands.append((story_id, prof, need))
    if not cands:
        return []
    discount = candidate_discount((s, p) for s, p, _ in cands)
    best: dict[str, float] = {}
    for story_id, prof, need in cands:
        margin = story_similarity(profile, prof, discount) - need
        if margin < 0 and need >= STRONG_THRESHOLD:  # strong evidence however many stories share it
            margin = story_similarity(profile, prof) - CLOSE_THRESHOLD
        if margin >= 0 and margin > best.get(story_id, -1.0):
            best[story_id] = margin
    return [sid for sid, _ in sorted(best.items(), key=lambda kv: (kv[1], kv[0]), reverse=True)]


def choose_story(profile: dict, published, candidates) -> str | None:
    """The best story for the article among the candidates, or None (a new story)."""
    found = matching_stories(profile, published, candidates)
    return found[0] if found else None
