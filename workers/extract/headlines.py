"""Headlines are text: recase ALL-CAPS wire headlines, turn headline style into a sentence.

A wire headline ("ACME <ACM> NAMES J. PAUL SMITH AS CHAIRMAN") often carries the news alone. It is
recased from how the article body spells each word; words the body does not use are lower-cased
when they are function words, titles, trigger words or common English adjectives, verbs and
adverbs (from the spaCy model's lemma index), and capitalised otherwise (names, organisations).
Title Case headlines get their common words lower-cased; headline present tense becomes the past
("Firm names X chief" parses as a noun phrase otherwise); a trailing attribution after a dash
("X resigns - TV reports") becomes a reporting clause.
"""
from __future__ import annotations

import html
import re
from collections import Counter, defaultdict

from spacy.lang.en.stop_words import STOP_WORDS

from workers.htmlmeta import headline

from .lexicon import COMMON_HEADLINE_WORDS, TITLE_WORDS
from .prefilter import has_trigger, normalise

__all__ = ["article_text", "recase", "is_all_caps", "use_word_lists"]

_COMMON: set[str] = set()            # common English adjectives, verbs, adverbs (lemmas)


def use_word_lists(nlp) -> None:
    """Take the common-word lemmas of the model's lemmatizer (adjectives, verbs, adverbs)."""
    if _COMMON or "lemmatizer" not in nlp.pipe_names:
        return
    lookups = getattr(nlp.get_pipe("lemmatizer"), "lookups", None)
    if lookups is None or "lemma_index" not in lookups.tables:
        return
    index = lookups.get_table("lemma_index")
    for pos in ("adj", "verb", "adv"):
        if pos in index:
            _COMMON.update(w for w in index[pos] if w.isalpha())


def is_all_caps(text: str) -> bool:
    letters = [c for c in text if c.isalpha()]
    return len(letters) >= 4 and sum(c.isupper() for c in letters) / len(letters) > 0.8


_TOKEN = re.compile(r"[A-Za-z][A-Za-z.&’'-]*[A-Za-z.]|[A-Za-z]")


def _body_forms(body: str) -> dict[str, str]:
    """lower-case word -> how the body writes it (mid-sentence spellings count most)."""
    forms: dict[str, Counter] = defaultdict(Counter)
    for m in _TOKEN.finditer(body):
        w = re.sub(r"[’']s$", "", m.group(0)).rstrip(".") if not re.fullmatch(r"(?:[A-Za-z]\.)+", m.group(0)) \
            else m.group(0)
        if not w:
            continue
        before = body[max(0, m.start() - 3):m.start()].rstrip(" \"'“‘(")
        initial = not before or before[-1] in ".!?\n:"
        forms[w.lower()][w] += 1 if initial else 3
    return {k: c.most_common(1)[0][0] for k, c in forms.items()}


def _lemma_candidates(low: str) -> list[str]:
    out = [low]
    for suf, rep in (("ies", "y"), ("es", ""), ("s", ""), ("ied", "y"), ("ed", ""), ("ed", "e"), ("ing", ""),
                     ("ing", "e"), ("ly", "")):
        if low.endswith(suf) and len(low) - len(suf) >= 3:
            stem = low[: len(low) - len(suf)] + rep
            out.append(stem)
            if suf in ("ed", "ing") and not rep and len(stem) >= 4 and stem[-1] == stem[-2]:
                out.append(stem[:-1])            # "stepping" -> "step"
    return out


def _common(low: str) -> bool:
    if low in STOP_WORDS or low in TITLE_WORDS or low in COMMON_HEADLINE_WORDS or has_trigger(low):
        return True
    return any(c in _COMMON or c in TITLE_WORDS for c in _lemma_candidates(low))


_CORP = {"inc", "co", "corp", "ltd", "plc", "llc", "bros"}


def _recase_word(word: str, forms: dict[str, str], first: bool, in_name: bool = False) -> str:
    m = re.fullmatch(r"([^A-Za-z]*)(.*?)((?:[’']S)?)([^A-Za-z.]*)", word)
    lead, core, poss, trail = m.groups() if m else ("", word, "", "")
    if not core:
        return word
    poss = poss.lower()
    low = core.lower()
    if re.fullmatch(r"(?:[A-Za-z]\.)+[A-Za-z]?", core):
        new = core.upper()                           # "U.S.", "J."
    elif low in forms:
        new = forms[low]
    elif low.rstrip(".") in forms:
        new = forms[low.rstrip(".")] + ("." if core.endswith(".") else "")
    elif lead.startswith("<") or not re.search(r"[aeiouy]", low) or len(low) <= 3 and not (
            low in STOP_WORDS or low in TITLE_WORDS or low in COMMON_HEADLINE_WORDS or low in _CORP
            or has_trigger(low)):
        new = core.upper()                           # ticker or acronym: "<ACM>", "RJR", "SEC"
    elif low in _CORP:
        new = core[:1].upper() + low[1:]
    elif _common(low) and not (in_name and _bare_lemma(low)):
        new = low                                    # not "Peter hale": a base form after a name part
    else:
        new = "-".join(p[:1].upper() + p[1:].lower() for p in core.split("-"))
    if first:
        new = new[:1].upper() + new[1:]
    return lead + new + poss + trail


def _bare_lemma(low: str) -> bool:
    """Not an inflected form ('hale', 'brown'; not 'regrets', 'stepping') nor a function word, nor
    a word of an adjective's ending that no surname has ('excellent', 'decisive', 'capable')."""
    return not (low in STOP_WORDS or low in TITLE_WORDS or low in COMMON_HEADLINE_WORDS or has_trigger(low)
                or re.search(r"(?:s|ed|ing)$", low) or len(low) >= 7 and _ADJECTIVE_END.search(low))


_ADJECTIVE_END = re.compile(r"(?:ent|ive|ous|able|ible|ful|less)$")


def recase(head: str, body: str = "") -> str:
    """An ALL-CAPS headline in the casing of running text, using the body's spellings."""
    forms = _body_forms(body) if body else {}
    out: list[str] = []
    for i, w in enumerate(head.split()):
        prev = out[-1] if out else ""
        # after an initial or a capitalised unknown word ("J. PETER HALE") a name goes on
        in_name = bool(prev) and i > 1 and prev[:1].isupper() and not prev.endswith((",", ":", ";")) \
            and prev.lower().strip(".'’s") not in TITLE_WORDS or re.fullmatch(r"[A-Z]\.", prev) is not None
        out.append(_recase_word(w, forms, i == 0, in_name))
    return " ".join(out)


_TICKER = re.compile(r"(?<=\S)\s*<[A-Z0-9.]{1,8}>")      # "ACME <ACM> NAMES ...": a stock ticker


_HEADLINE_VERBS = {"names": "named", "appoints": "appointed", "hires": "hired", "taps": "tapped",
                   "picks": "picked", "sacks": "sacked", "fires": "fired", "ousts": "ousted",
                   "quits": "quit", "resigns": "resigned", "replaces": "replaced", "promotes": "promoted",
                   "elects": "elected", "nominates": "nominated", "joins": "joined", "axes": "axed",
                   "dismisses": "dismissed", "recruits": "recruited", "retires": "retired",
                   "steps": "stepped", "stands": "stood", "takes": "took", "chooses": "chose",
                   "selects": "selected", "succeeds": "succeeded", "removes": "removed"}


def headline_tense(head: str) -> str:
    """Headline present tense is read as plural nouns ('Firm names X chief'): use the past, or the
    present perfect before a common word ('X names former aide' is active, 'X named former aide' not)."""
    def past(m: re.Match) -> str:
        # "X named former aide ..." reads as a passive: before a common word keep the voice with "has"
        nxt = head[m.end():].split(None, 1)
        common = bool(nxt) and nxt[0][:1].islower() and nxt[0] not in ("as", "to", "down", "over", "up")
        return ("has " if common else "") + _HEADLINE_VERBS[m.group(1)]
    return re.sub(r"\b(%s)\b" % "|".join(_HEADLINE_VERBS), past, head)


def sentence_case(head: str) -> str:
    """Lower-case common words of a Title Case headline so the tagger sees a sentence."""
    words = head.split()
    caps = sum(w[:1].isupper() for w in words)
    if len(words) < 4 or caps / len(words) < 0.6:
        return head
    out = []
    for i, w in enumerate(words):
        bare = re.sub(r"[^\w'-]", "", w).lower()
        if i > 0 and not (len(bare) >= 2 and w.isupper()) and (bare in STOP_WORDS or bare in TITLE_WORDS or bare in COMMON_HEADLINE_WORDS
                      or has_trigger(bare)):
            w = w.lower()
        out.append(w)
    return " ".join(out)


_ATTRIBUTION = re.compile(r"\s+[-–—]+\s+((?:\S+\s+){0,5}?(?:says?|said|reports?|reported|sources?|"
                          r"officials?|spokesm[ae]n|announced?|confirms?)\b.*)$", re.I)


_KICKER = re.compile(r"^((?:\S+\s+){0,3}\S+?):\s+(?=[A-Z])")      # "Topic: the headline proper"


def as_sentence(head: str) -> str:
    """Headline style -> a sentence: tense, Title Case, and a dash attribution ("- TV reports")."""
    head = headline_tense(sentence_case(head))
    head = _ATTRIBUTION.sub(lambda m: ", " + m.group(1), head)
    head = _KICKER.sub(lambda m: m.group(1) + ". ", head)
    return head.rstrip(" .")


def article_text(text: str, title: str | None) -> tuple[str, int]:
    """(headline sentence + body, length of the headline part): the text the extractor reads."""
    body = normalise(text or "")
    if not title or not title.strip():
        return body, 0
    head = " ".join(normalise(_TICKER.sub("", html.unescape(title))).split())
    head = headline({"title": head}) or head   # "X quits as chairman | Business News | The Daily"
    first, _, rest = body.partition("\n")
    if " ".join(first.split()).lower() == head.lower():
        body = rest.lstrip("\n")               # the record repeats its headline as the first line
    elif body.lower().startswith(head.lower()[:40]):
        return body, len(first) + 1            # the body opens with a longer form of the headline
    if is_all_caps(head):
        head = recase(head, body)
    head = as_sentence(head)
    if not head:
        return body, 0
    return head + ".\n" + body, len(head) + 2
