"""Person names without a coreference model: collect name mentions cheaply, link short forms.

A surname ("Okafor", "Mr Okafor"), a first name ("Nneka") or a pronoun is linked to the fullest
form of a name used in the same article.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import lru_cache

from .lexicon import (HONORIFICS, NAME_PREFIX_TITLES, NOT_FIRST_NAMES, ORG_ENDINGS,
                      PRONOUNS_FEMALE, PRONOUNS_MALE, ROLE_HEADS, TITLE_WORDS)

_NAME_ROLE_OK = {"major", "general", "marine", "lead", "host", "press", "page", "price", "head",
                 "judge", "player", "partner", "dean", "chancellor", "marshal", "speaker", "baker",
                 "mayor", "clerk", "justice", "king", "bishop", "singer", "green", "marshall",
                 "young", "hunt", "rice", "miller", "cook", "fisher", "potter", "hunter", "porter",
                 "turner", "carter", "mason", "walker", "bishop", "chamberlain", "steward", "knight",
                 "sheriff", "ward", "rector", "abbott", "prior", "dean", "provost", "judge", "page"}

_WORD = r"(?:(?:al|el|ad|as|ash|an|ar|at|az)-[A-Z][a-zA-Z’'\-]*[a-zA-Z]|[A-Z][a-zA-Z’'\-]*[a-zA-Z]|[A-Z]\.(?:[A-Z]\.)*|[A-Z])"
_NICK = r"(?:\"[A-Z][a-z]+\"|'[A-Z][a-z]+'|“[A-Z][a-z]+”|‘[A-Z][a-z]+’)"
_PARTICLE = r"(?:van|von|de|der|den|du|da|di|del|la|le|al|bin|ibn|dos|das)"
_NAME_RE = re.compile(rf"\b{_WORD}(?:[ ]+(?:{_WORD}|{_NICK}|{_PARTICLE}(?=[ ]+[A-Z])))*")
_HON_RE = re.compile(r"^(?:(?:%s)\.?\s+)+" % "|".join(sorted(HONORIFICS, key=len, reverse=True)), re.I)


# kept as written after a name: generational suffixes and post-nominal letters ("III", "Jr", "QC")
_SUFFIX = re.compile(r"^(?:[IVX]{2,4}|Jr\.?|Sr\.?|QC|KC|MP|MEP|MSP|OBE|MBE|CBE|KBE|DBE|PhD|MD)$")
# occupations written before a full name, never part of it (only stripped before two name words)
OCCUPATIONS = {"rapper", "singer", "songwriter", "actor", "actress", "comedian", "author", "novelist", "writer",
               "musician", "producer", "filmmaker", "businessman", "businesswoman", "tycoon", "billionaire",
               "entrepreneur", "investor", "economist", "lawyer", "attorney", "journalist", "broadcaster",
               "presenter", "designer", "chef", "model", "footballer", "striker", "midfielder", "defender",
               "goalkeeper", "winger", "captain", "veteran", "star", "legend", "activist", "campaigner",
               "academic", "scientist", "historian", "architect", "artist", "composer", "pianist",
               "guitarist", "drummer", "dancer", "poet", "playwright", "photographer", "astronaut",
               "banker", "financier", "lobbyist", "strategist", "pollster", "consultant", "diplomat",
               "analyst", "columnist", "commentator", "anchor", "reporter", "correspondent", "rookie",
               "teenager", "cleric", "preacher", "pastor", "rabbi", "imam", "magnate", "heiress",
               "socialite", "boxer", "golfer", "cricketer", "batsman", "bowler", "jockey", "cyclist",
               "sprinter", "swimmer", "tennis", "agronomist", "engineer", "physicist", "blairite",
               "brownite", "loyalist", "rebel", "moderate", "hardliner", "centrist", "progressive"}
MORE_DEMONYMS = {"dominican", "salvadoran", "guatemalan", "honduran", "nicaraguan", "panamanian", "jamaican",
                 "bolivian", "paraguayan", "uruguayan", "ecuadorean", "ethiopian", "ghanaian", "ugandan",
                 "tanzanian", "zimbabwean", "zambian", "moroccan", "algerian", "tunisian", "libyan",
                 "sudanese", "somali", "yemeni", "jordanian", "kuwaiti", "qatari", "emirati", "bahraini",
                 "omani", "bangladeshi", "sri", "nepalese", "burmese", "cambodian", "singaporean",
                 "taiwanese", "mongolian", "kazakh", "uzbek", "georgian", "armenian", "azerbaijani",
                 "belarusian", "lithuanian", "latvian", "estonian", "slovak", "slovenian", "bosnian",
                 "albanian", "macedonian", "montenegrin", "cypriot", "maltese", "icelandic", "luxembourgish",
                 "new", "zealander", "kiwi", "welshman", "scotsman", "irishman", "englishman", "frenchman",
                 "german-born", "british-born", "american-born", "us-born", "uk-born"}


_SPACES = re.compile(r"\s+")
_END_POSSESSIVE = re.compile(r"[’']s$")
_UP_TO_POSSESSIVE = re.compile(r"^.*[’']s\s+")
_ORG_LEAD = re.compile(r"\b(?:the|at|of|from|with)\s*$", re.I)
NICKNAMES = {n: set(full.split()) for n, full in {
    "dick": "richard", "rick": "richard", "rich": "richard", "bob": "robert", "rob": "robert",
    "bobby": "robert", "bill": "william", "will": "william", "billy": "william", "jim": "james",
    "jimmy": "james", "mike": "michael", "tom": "thomas", "tommy": "thomas", "joe": "joseph",
    "tony": "anthony antony", "dave": "david", "dan": "daniel", "danny": "daniel", "steve": "stephen steven",
    "chris": "christopher", "ed": "edward", "eddie": "edward", "ted": "edward theodore", "jack": "john",
    "pat": "patrick patricia", "ron": "ronald", "don": "donald", "ken": "kenneth", "larry": "lawrence",
    "sam": "samuel", "andy": "andrew", "alex": "alexander", "fred": "frederick", "greg": "gregory",
    "jeff": "jeffrey", "matt": "matthew", "nick": "nicholas", "pete": "peter", "phil": "philip phillip",
    "tim": "timothy", "ben": "benjamin", "charlie": "charles", "chuck": "charles", "hank": "henry",
    "harry": "henry", "liz": "elizabeth", "beth": "elizabeth", "kate": "katherine catherine",
    "sue": "susan", "peggy": "margaret", "maggie": "margaret", "jerry": "gerald jerome", "walt": "walter",
}.items()}


def tokens(name: str) -> list[str]:
    return [t for t in _SPACES.split(name.strip()) if t]


@lru_cache(maxsize=65536)
def clean_person(name: str) -> str:
    """Strip honorifics, leading titles, possessive 's and stray punctuation from a name."""
    name = _END_POSSESSIVE.sub("", name.strip())
    name = _UP_TO_POSSESSIVE.sub("", name)               # "Labour's Cunningham" -> Cunningham
    name = name.strip(" ,.;:-—()[]")
    name = re.sub(r"(?:\s+[-–—]+)?\s+(?:the|a|an)$", "", name).strip(" ,.;:-–—")   # "X - the" (a tagger span)
    toks = tokens(name)
    while len(toks) > 1 and (toks[0].lower().rstrip(".") in TITLE_WORDS or toks[0].lower() in TITLE_WORDS
                             or toks[0].lower().endswith("s") and toks[0].lower()[:-1] in TITLE_WORDS):
        toks = toks[1:]
    if len(toks) == 1 and toks[0].lower().rstrip(".") in TITLE_WORDS | NOT_FIRST_NAMES:
        return ""
    while len(toks) > 2 and (toks[0].lower().rstrip(".,") in OCCUPATIONS or toks[0].lower() in MORE_DEMONYMS):
        toks = toks[1:]                                  # "Rapper Kendrick Lamar", "Dominican Ana Ruiz"
    toks = [t if _SUFFIX.match(t) else t.capitalize() if t.isupper() and len(t) > 2 and not t.endswith(".")
            else t for t in toks]
    out = " ".join(toks)
    return out.strip(" ,;:-")


_CAMEL = re.compile(r"[a-z]([A-Z])")
_NAME_PREFIXES = ("mc", "mac", "de", "di", "da", "du", "le", "la", "van", "von", "st", "fitz", "ben", "abu", "al", "el")


def product_like(word: str) -> bool:
    """A brand-style word ("MagSafe", "iPhone", "PlayStation"), never a name ("McKay", "DeLuca")."""
    if word[:1].islower() and any(c.isupper() for c in word[1:]):
        return True
    m = _CAMEL.search(word)
    return m is not None and word[:m.start() + 1].lower() not in _NAME_PREFIXES


def key(name: str) -> list[str]:
    return list(_key(name))


# pure functions of a name, asked again for every mention and candidate of an article: memoised
@lru_cache(maxsize=65536)
def _key(name: str) -> tuple[str, ...]:
    return tuple(t.lower().strip(".,'’\"“”‘") for t in tokens(name))


@lru_cache(maxsize=65536)
def looks_like_person(name: str) -> bool:
    """A multi-word capitalised run that is plausibly a person's name."""
    toks = _key(name)
    if len(toks) < 2 or len(toks) > 5:
        return False
    if product_like(tokens(name)[-1].strip(".,'’\"“”‘")):
        return False                      # "Colorado OrbitX" of a list's lines: a brand ends it
    if toks[0] in NOT_FIRST_NAMES or toks[-1] in ORG_ENDINGS or toks[-1] in NOT_FIRST_NAMES:
        return False
    if any((t in ROLE_HEADS or t in TITLE_WORDS or t in ORG_ENDINGS or t in _NOT_NAME)
           and t not in _NAME_ROLE_OK for t in toks):
        return False
    return all(len(t) <= 20 for t in toks)


_NOT_NAME = {"law", "school", "levin", "trade", "europe", "world", "street", "capital", "media",
             "news", "senate", "congress", "guard", "national", "mae", "mac"}
_CONTRACTION_NEXT = {"been", "a", "an", "the", "not", "now", "also", "going", "leaving", "expected",
                     "set", "due", "to", "got", "done", "said", "very", "still", "just", "never"}


@dataclass
class Mention:
    start: int
    text: str          # cleaned name as written
    female: bool | None = None
    possessive: bool = False


@dataclass
class NameTable:
    """Every name-like mention of an article, in text order, plus confirmed persons."""

    mentions: list[Mention] = field(default_factory=list)
    persons: set[str] = field(default_factory=set)      # full names confirmed by NER
    sentence_starts: list[int] = field(default_factory=list)
    title_end: int = 0                                   # mentions before this offset are the headline
    org_like: set[str] = field(default_factory=set)      # runs written with "the" or "at"/"of" before them
    firms: set[str] = field(default_factory=set)         # keys of runs the text shows to be organisations
    event_people: list[str] = field(default_factory=list)  # people of confident events so far
    event_types: dict = field(default_factory=dict)      # person of a confident event -> its types
    want_type: str | None = None                         # type of the trigger whose people are resolved
    text: str = ""                                       # the article text the mentions index

    def sentence_index(self, offset: int) -> int:
        import bisect
        return bisect.bisect_right(self.sentence_starts, offset) - 1

    def full_names(self) -> list[str]:
        seen = []
        for m in self.mentions:
            if (looks_like_person(m.text) or m.text in self.persons) and m.text not in seen:
                seen.append(m.text)
        for p in self.persons:
            if p not in seen:
                seen.append(p)
        return seen

    def add_person(self, name: str, start: int | None = None) -> None:
        name = clean_person(name)
        if name:
            self.persons.add(name)
            known = any(abs(m.start - start) <= len(m.text) + 4 and key(m.text)[-1:] == key(name)[-1:]
                        for m in self.mentions) if start is not None else True
            if not known:
                self.mentions.append(Mention(start, name))
                self.mentions.sort(key=lambda m: m.start)

    def expand(self, name: str, near: int | None = None) -> str:
        """The fullest form of ``name`` used in the article (surname or first name linked); a
        familiar first name gives way to the formal one the article also uses ("Dick" -> "Richard")."""
        best = self._expand(name, near)
        k = key(best)
        if len(k) == 1 and len(k[0]) > 3 and k[0].endswith("s") and best == clean_person(name):
            stem = self._expand(best[:-1], near)        # "Mr Sans" for the article's "Jez San"
            if len(key(stem)) > 1 and key(stem)[-1] == k[0][:-1]:
                return stem
        k = key(best)
        if len(k) >= 2 and k[0] in NICKNAMES:
            for cand in self.full_names():
                ck = key(cand)
                if len(ck) == len(k) and ck[1:] == k[1:] and ck[0] in NICKNAMES[k[0]]:
                    return cand
        return best

    def _expand(self, name: str, near: int | None = None) -> str:
        name = clean_person(name)
        k = key(name)
        if not k:
            return name
        best, best_score = name, (False, len(k), 0)
        for cand in self.full_names():
            ck = key(cand)
            if len(ck) <= len(k) or not _compatible(k, ck):
                continue
            if len(k) > 1 and ck[0] != k[0] and ck[0][:1] != k[0][:1] and cand not in self.persons \
                    and not any(m.text == cand and m.start >= self.title_end for m in self.mentions):
                continue
            dist = 0
            if near is not None:
                starts = [m.start for m in self.mentions if m.text == cand]
                dist = -min((abs(near - s) for s in starts), default=10 ** 6)
            score = (cand in self.persons, len(ck) if len(k) > 1 else 1, dist)
            if score > best_score or best == name:
                best, best_score = cand, score
        return best

    def is_firm(self, name: str) -> bool:
        """A name the article writes as an organisation ("the law firm of X", "X's customers")."""
        return " ".join(key(name)) in self.firms

    def _is_person(self, m: Mention, full: list[str]) -> bool:
        mk = key(m.text)
        if self.is_firm(m.text):
            return False
        return m.text in self.persons or looks_like_person(m.text) or (
            len(mk) == 1 and any(mk[0] in (key(f)[0], key(f)[-1]) for f in full))

    def _continued_from(self, offset: int, pronoun: str) -> int | None:
        """"X is a former aide. From 1997 he was a partner at A, B & C. He also served ... He left":
        sentences between that open with the same pronoun, before any name, go on about the one
        person, so their names are not the antecedent. The start of the first of them, or None."""
        if pronoun not in ("he", "she") or not self.text or not self.sentence_starts:
            return None
        here = self.sentence_index(offset)
        k, first = here - 1, None
        while k >= 0 and here - k <= 4:
            begin = self.sentence_starts[k]
            end = self.sentence_starts[k + 1] if k + 1 < len(self.sentence_starts) else len(self.text)
            m = re.search(r"\b%s\b" % pronoun, self.text[begin:end], re.I)
            named = [x.start for x in self.mentions if begin <= x.start < end and self._is_person(x, [])]
            if m is None or named and min(named) < begin + m.start():
                break
            first, k = begin, k - 1
        return first

    def _unnamed_before(self, offset: int) -> bool:
        """"A police sergeant searched the room. He was later fired.": a sentence-opening he / she
        after a sentence about an unnamed someone ("a/an/another ... sergeant") and no name is that
        someone, not a person named further back."""
        if not self.text or not self.sentence_starts:
            return False
        here = self.sentence_index(offset)
        if here < 1 or not _OPENING.fullmatch(self.text[self.sentence_starts[here]:offset]):
            return False
        begin, end = self.sentence_starts[here - 1], self.sentence_starts[here]
        if any(begin <= m.start < end and self._is_person(m, []) for m in self.mentions):
            return False
        m = _UNNAMED.match(self.text, begin, end)
        if m is None:
            return False
        head = ""
        for word in m.group(1).split()[:6]:        # the head noun: the word before "in", "who", "searched"
            bare = word.strip(",;:").lower()
            if bare in _AFTER_HEAD or bare.endswith("ed"):
                break
            head = bare
            if word.endswith((",", ";", ":")):
                break
        if head not in _SOMEONE:
            return False
        # "A senior aide said the minister was tired. He resigned": a definite post named after it may
        # be the one meant
        rest = self.text[m.start(1):end]
        return not any(w in ROLE_HEADS for w in re.findall(r"\b(?:the|its|their)\s+(?:[\w-]+\s+){0,2}?([a-z-]+)\b", rest))

    def antecedent(self, offset: int, pronoun: str = "", exclude: frozenset = frozenset()) -> str | None:
        """Nearest preceding person mention (for he / she / the 48-year-old)."""
        if pronoun.lower() in ("he", "she") and self._unnamed_before(offset):
            return None
        want_f = True if pronoun.lower() in PRONOUNS_FEMALE else (
            False if pronoun.lower() in PRONOUNS_MALE else None)
        full = self.full_names()
        surnames = {key(f)[-1] for f in full}
        firsts = {key(f)[0] for f in full}
        last = self._continued_from(offset, pronoun.lower())
        ordered = [m for m in reversed(self.mentions) if m.start < offset and offset - m.start < 1500
                   and (last is None or m.start < last or self.sentence_index(m.start) == self.sentence_index(offset))]
        # the subject of the previous sentence first (its first name mention), then the nearest
        here_s = self.sentence_index(offset)
        ordered.sort(key=lambda m: (here_s - self.sentence_index(m.start),
                                    -m.start if self.sentence_index(m.start) == here_s else m.start))
        ordered = [m for m in ordered if not m.possessive] + [m for m in ordered if m.possessive][:1]
        ordered = [m for m in ordered if m.text not in exclude and self.expand(m.text, m.start) not in exclude]
        here = self.sentence_index(offset)
        near = [m for m in ordered if here - self.sentence_index(m.start) <= 1 and self._is_person(m, full)]
        if len({self.expand(m.text, m.start) for m in near}) != 1:
            # several candidates: prefer someone the article already reports moving
            known = [m for m in ordered[:8] if here - self.sentence_index(m.start) <= 3
                     and self.expand(m.text, m.start) in self.event_people]
            # "X replaces Y ... The 56-year-old said after his appointment": the one who moved that way
            movers = [m for m in ordered if here - self.sentence_index(m.start) <= 3
                      and self.expand(m.text, m.start) in self.event_people]
            typed = [m for m in movers if self.want_type in self.event_types.get(self.expand(m.text, m.start), ())]
            if typed and len({self.expand(m.text, m.start) for m in typed}) == 1 \
                    and len({self.expand(m.text, m.start) for m in movers}) > 1:
                known = typed
            if known:
                ordered = known + ordered
        for m in ordered:
            mk = key(m.text)
            if self.is_firm(m.text):
                continue
            ok = m.text in self.persons or looks_like_person(m.text) or (
                len(mk) == 1 and (mk[0] in surnames or mk[0] in firsts))
            if not ok:
                continue
            if want_f is not None and m.female is not None and m.female != want_f:
                continue
            return self.expand(m.text, m.start)
        return None


_OPENING = re.compile(r"\W*(?:\w+,?\s+){0,2}", re.S)
# a sentence that opens on someone unnamed, after an optional lead ("Earlier that night, ")
_UNNAMED = re.compile(r"\W*(?:[A-Z][\w ]{0,30},\s+)?(?:[Aa]n?|[Aa]nother|[Oo]ne)\s+([^.!?\n]{1,80})")
_AFTER_HEAD = {"in", "of", "at", "for", "from", "with", "to", "on", "by", "who", "whom", "that", "which",
               "was", "is", "were", "are", "had", "has", "have", "and", "or", "said", "says", "told"}
_SOMEONE = ROLE_HEADS | {"sergeant", "detective", "constable", "trooper", "guard", "employee", "worker",
                         "nurse", "doctor", "man", "woman", "staff", "member"}


def _compatible(short: list[str], full: list[str]) -> bool:
    if len(short) == 1:
        return short[0] in (full[-1], full[0])
    if full[-len(short):] == short:
        return True
    if short[-1] != full[-1]:
        return False
    return short[0] == full[0] or short[0][0] == full[0][0]


_POSSESSED = re.compile(r"(?:[’']s|(?<=s)[’'])\s+(\w+)")


def _possessive(text: str, m: re.Match) -> bool:
    """A name written as a possessor ("Corbyn's aide", "Jones' deputy"), not a contraction ("Corbyn's
    been", "Smith's expected"). The name regex may or may not have swallowed the "'s"."""
    end = m.end() - 2 if m.group(0).endswith(("'s", "’s")) else m.end()
    nxt = _POSSESSED.match(text, end, min(len(text), end + 24))
    return bool(nxt) and not (nxt.group(1).endswith("ly") or nxt.group(1) in _CONTRACTION_NEXT)


# a name the text shows to be an organisation: "the offices of X", "the law firm of X", "X's customers"
_FIRM_BEFORE = re.compile(r"\b(?:firm|firms|offices?|company|bank|banks|branch|subsidiary|unit|division|"
                          r"partnership|brokerage|employees?|staff|shareholders?|customers|clients)\s+(?:of|at|with)\s+(?:the\s+)?$", re.I)
# "returned to manage X", "played for X": a team (not "managed X's campaign")
_TEAM_BEFORE = re.compile(r"\b(?:manage|managed|managing|(?:play|plays|played|playing|signed|signs)"
                          r"\s+for)\s+(?:the\s+)?$", re.I)
_FIRM_AFTER = re.compile(r"^(?:[’']s\s+(?:\w+\s+){0,2}(?:procedures|shares|shareholders|headquarters|workforce|"
                         r"subsidiary|subsidiaries|share\s+price)\b|\s+(?:Inc|Corp|Co|Ltd|LLP|LLC|plc|PLC)\b)")


def _firm_cue(text: str, m: re.Match) -> bool:
    return _FIRM_BEFORE.search(text, max(0, m.start() - 40), m.start()) is not None \
        or _FIRM_AFTER.match(text[m.end():m.end() + 60]) is not None \
        or _TEAM_BEFORE.search(text, max(0, m.start() - 20), m.start()) is not None \
        and not text.startswith(("'s", "’s", "'", "’"), m.end())


_OPENING_PARTICIPLE = re.compile(r"^[A-Z][a-z]{3,}ing$")
_SENTENCE_START = re.compile(r"(?:^|[.!?:;\n][\"”’')]?\s*)$")


def collect(text: str) -> NameTable:
    """Cheap regex pass over the whole article: capitalised runs with their offsets."""
    table = NameTable(text=text)
    for m in _NAME_RE.finditer(text):
        raw = m.group(0)
        before = text[max(0, m.start() - 6):m.start()].lower()
        female = None
        hon = _HON_RE.match(raw)
        if hon:
            h = hon.group(0).lower().strip(" .")
            female = h.startswith(("mrs", "ms", "miss", "dame", "lady", "baroness"))
            if not h.startswith(("mr", "ms", "mrs", "miss", "dame", "lady", "baroness", "sir", "lord")):
                female = None
        name = clean_person(raw)
        if not name or key(name)[0] in NOT_FIRST_NAMES and len(key(name)) == 1:
            continue
        # split runs like "Chief Executive Nora Bellamy": keep the tail that looks like a name
        toks = tokens(name)
        titled = [i for i, t in enumerate(toks) if t.lower().rstrip(".") in TITLE_WORDS
                  or t.isupper() and _SUFFIX.match(t) and i < len(toks) - 2]     # "Midlands MEP Ann Roe"
        if titled and titled[-1] < len(toks) - 1:
            toks = toks[titled[-1] + 1:]          # "Socialist Prime Minister Luca Ferri"
        while len(toks) > 2 and (toks[0].lower() in NOT_FIRST_NAMES or toks[0].lower() in NAME_PREFIX_TITLES):
            toks = toks[1:]
        if len(toks) > 1 and _OPENING_PARTICIPLE.match(toks[0]) and raw.startswith(toks[0]) \
                and _SENTENCE_START.search(text, max(0, m.start() - 4), m.start()):
            toks = toks[1:]                   # "Regarding Acme, ...", "Following Smith's exit": no first name
        name = " ".join(toks)
        del before
        first = raw.find(toks[0]) if toks else -1
        start = m.start() + max(first, 0)
        if _ORG_LEAD.search(text[max(0, m.start() - 6):m.start()]):
            table.org_like.add(raw)
        if _firm_cue(text, m) and len(key(name)) <= 3:
            table.firms.add(" ".join(key(name)))
        table.mentions.append(Mention(start, name, female, possessive=_possessive(text, m)))
    return table
