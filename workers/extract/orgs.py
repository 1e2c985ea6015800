"""Organisations: where a post is held, resolved from the article (not from one sentence).

"Corbyn's campaigns director": the possessor is a person, and the post is held in *his* organisation,
the one the text ties to him ("Labour leader Jeremy Corbyn", "Jeremy Corbyn, the Labour leader",
"Corbyn's party, Labour", or an unnamed "the Labour leader"). When a mention states no organisation,
the article's main organisation stands in (the one tied to the role elsewhere in the text first).
"""
from __future__ import annotations

import re
from collections import Counter

from .lexicon import DEMONYMS, ORG_ENDINGS
from .names import NameTable, key

_CAP = r"(?:(?:[A-Z]\.){2,}|[A-Z][\w&'’-]*)"
_ORG = rf"{_CAP}(?:\s+(?:of\s+|and\s+|&\s+|for\s+)?{_CAP}){{0,3}}"
_NAME = r"(?:[A-Z][a-z’'-]+\s+){0,2}[A-Z][a-z’'-]+"
_LEAD = (r"(?:leader|chairman|chairwoman|chair|president|chief executive|boss|founder|owner|head|"
         r"general secretary|secretary-general|prime minister|premier|mayor|governor)")
_PATTERNS = [
    # "Labour leader Jeremy Corbyn", "Acme chairman Ann Holt"
    re.compile(rf"\b(?P<org>{_ORG})\s+(?:[Pp]arty\s+)?{_LEAD}\s+(?P<name>{_NAME})"),
    # "Jeremy Corbyn, the Labour leader"
    re.compile(rf"(?P<name>{_NAME}),\s+(?:the\s+)?(?P<org>{_ORG})\s+(?:[Pp]arty\s+)?{_LEAD}\b"),
    # "Jeremy Corbyn, Labour's leader" / "... the leader of Labour"
    re.compile(rf"(?P<name>{_NAME}),\s+(?P<org>{_ORG})['’]s\s+{_LEAD}\b"),
    re.compile(rf"(?P<name>{_NAME}),\s+(?:the\s+)?{_LEAD}\s+of\s+(?:the\s+)?(?P<org>{_ORG})"),
    # "Corbyn's party, Labour"
    re.compile(rf"(?P<name>{_NAME})['’]s\s+(?:party|company|firm|group|organi[sz]ation),\s+(?:the\s+)?(?P<org>{_ORG})"),
]
# an unnamed leader: "the Labour leader's office", "both the Labour leader and ..."
_UNNAMED = re.compile(rf"\bthe\s+(?P<org>{_ORG})\s+(?:[Pp]arty\s+)?{_LEAD}\b(?!\s+[A-Z])")
_NOT_ORG = {"the", "a", "an", "his", "her", "its", "their", "former", "new", "party", "deputy", "acting",
            "interim", "vice", "then", "mr", "mrs", "ms", "dr", "sir", "chief", "shadow", "opposition",
            "labour's", "world", "state", "city", "us", "u.s.", "uk", "mp", "when", "but", "and", "as"}
_MEDIA_BEFORE = re.compile(r"(?:\btold|\bto|according to|\bby)\s*$", re.I)


def _ok_org(org: str) -> str | None:
    org = re.sub(r"['’]s$", "", org.strip())
    words = org.split()
    while words and words[0].lower() in ("the",):
        words = words[1:]
    if not words or words[0].lower() in _NOT_ORG or all(w.lower() in DEMONYMS for w in words):
        return None
    return " ".join(words)


def leaders(text: str) -> tuple[dict[str, str], str | None]:
    """(surname -> organisation of the people the text presents as its leaders, the organisation of
    an unnamed 'the X leader' when the article has exactly one)."""
    table: dict[str, str] = {}
    for pat in _PATTERNS:
        for m in pat.finditer(text):
            org = _ok_org(m.group("org"))
            name = key(m.group("name"))
            if org and name and not set(key(org)) & set(name):
                table.setdefault(name[-1], org)
    unnamed = {o for o in (_ok_org(m.group("org")) for m in _UNNAMED.finditer(text)) if o}
    return table, (unnamed.pop() if len(unnamed) == 1 else None)


_PERSON_TITLE = r"(?:Mr|Mrs|Ms|Dr|Sir|Dame|Lord|President|Sen|Senator|Rep|Gov|Governor|Mayor|Prime Minister|Secretary)\.?"


def is_person(org: str | None, names: NameTable, text: str = "") -> str | None:
    """The surname when ``org`` is really a person of the article ("Corbyn's ..." tagged ORG)."""
    if not org:
        return None
    k = key(re.sub(r"['’]s$", "", org))
    if not k or len(k) > 3:
        return None
    if org in names.persons:
        return k[-1]
    if text and len(k) == 1 and re.search(rf"\b{_PERSON_TITLE}\s+{re.escape(org)}\b", text):
        return k[-1]
    for full in names.full_names():
        fk = key(full)
        if len(fk) > 1 and (k == fk or len(k) == 1 and k[0] == fk[-1]):
            return fk[-1]
    return None


_COUNTRY = {"american": "United States", "british": "Britain", "english": "England", "scottish": "Scotland",
            "welsh": "Wales", "irish": "Ireland", "french": "France", "german": "Germany",
            "west german": "West Germany", "italian": "Italy", "spanish": "Spain",
            "portuguese": "Portugal", "dutch": "Netherlands", "belgian": "Belgium", "swiss": "Switzerland",
            "austrian": "Austria", "swedish": "Sweden", "norwegian": "Norway", "danish": "Denmark",
            "finnish": "Finland", "polish": "Poland", "russian": "Russia", "soviet": "Soviet Union",
            "greek": "Greece", "turkish": "Turkey", "israeli": "Israel", "iranian": "Iran", "iraqi": "Iraq",
            "egyptian": "Egypt", "indian": "India", "pakistani": "Pakistan", "chinese": "China",
            "japanese": "Japan", "korean": "Korea", "australian": "Australia", "canadian": "Canada",
            "mexican": "Mexico", "brazilian": "Brazil", "argentine": "Argentina", "chilean": "Chile",
            "colombian": "Colombia", "venezuelan": "Venezuela", "peruvian": "Peru", "ecuadorean": "Ecuador",
            "ecuadorian": "Ecuador", "nigerian": "Nigeria", "kenyan": "Kenya", "filipino": "Philippines",
            "indonesian": "Indonesia", "ukrainian": "Ukraine", "saudi": "Saudi Arabia"}


def country(org: str | None) -> str | None:
    """'Italian' (a nationality written as the organisation of a post) -> 'Italy'."""
    if not org:
        return org
    low = org.lower()
    for dem in (low, " ".join(low.split()[:2]), low.split()[0]):
        if dem in _COUNTRY and (dem == low or low.split()[-1] in ("social", "socialist", "government")):
            return _COUNTRY[dem]
    return org


def resolve(org: str | None, names: NameTable, leader_table: dict[str, str],
            unnamed_leader: str | None, text: str = "") -> str | None:
    """A person given as the organisation becomes the organisation the article ties to them."""
    surname = is_person(org, names, text)
    if surname is None:
        return country(org)
    return leader_table.get(surname) or unnamed_leader


def count_orgs(doc, counter: Counter, names: NameTable) -> None:
    """Count organisation entities of a parsed sentence (not outlets quoted as sources)."""
    for ent in doc.ents:
        if ent.label_ != "ORG":
            continue
        before = doc[max(0, ent.start - 3):ent.start].text
        after = doc[ent.end].lemma_ if ent.end < len(doc) else ""
        if _MEDIA_BEFORE.search(before) or after in ("report", "say", "tell"):
            continue
        org = _ok_org(ent.text)
        if org and not is_person(org, names):
            counter[org] += 1


def role_org(text: str, role: str | None, known: Counter | set = frozenset()) -> str | None:
    """An organisation the text writes with this role: 'chief executive of Acme', 'Acme's chief
    executive' - one the entity recogniser confirmed (``known``) or that ends like an organisation."""
    if not role:
        return None
    r = re.escape(role.strip()).replace(r"\ ", r"\s+")
    for pat in (rf"\b{r}\s+(?:of|at)\s+(?:the\s+)?(?P<org>{_ORG})", rf"(?P<org>{_ORG})['’]s\s+{r}\b",
                rf"\b(?P<org>{_ORG})\s+{r}\b"):
        for m in re.finditer(pat, text):
            org = _ok_org(m.group("org"))
            if org and org.lower() != role.lower() and (org in known or key(org)[-1] in ORG_ENDINGS):
                return org
    return None


def main_org(counter: Counter, headline_orgs: set[str], text: str = "") -> str | None:
    """The organisation the article is about: of the organisations the entity recogniser found, the
    one named in the headline, else the one the whole text names most (twice or more)."""
    for org, _ in counter.most_common():
        if org in headline_orgs:
            return org
    best, best_n = None, 1
    for org, n in counter.items():
        if text:
            n = len(re.findall(rf"(?<![\w-]){re.escape(_short(org))}(?![\w-])", text))
        if n > best_n:
            best, best_n = org, n
    return best or _company_lead(counter, text)


_CORP_SUFFIX = re.compile(r"\s+(?:Inc|Corp|Co|Ltd|Plc|PLC|plc|LLC|Corporation|Incorporated|Group|AG|SA|NV)\.?$")


def _short(org: str) -> str:
    """'NL Industries Inc' is also written 'NL Industries'."""
    short = _CORP_SUFFIX.sub("", org)
    return short if len(short) >= 3 else org


def _company_lead(counter: Counter, text: str) -> str | None:
    """A wire story's company named once, as the source of its first sentence: "Triton Energy Corp
    said president ... resigned" - only a name with a company ending, only in the opening."""
    if not text:
        return None
    for line in text.split("\n")[:3]:
        m = _SAID_CORP.match(line.strip())
        if m:
            return m.group("org")
    return None


_SAID_CORP = re.compile(r"^(?:[^\w<]*<)?(?P<org>[A-Z][\w&.'’-]*(?:\s+(?:of\s+|and\s+|&\s+)?[A-Z&][\w&.'’-]*){0,4}?"
                        r"\s+(?:Inc|Corp|Co|Ltd|Plc|PLC|plc|LLC|Corporation|Incorporated|Group|AG|SA|NV)\.?)"
                        r"\s*>?(?:\s*\([^)]*\))?\s+said\b")


def resolve_in(org: str | None, ctx) -> str | None:
    """`resolve` with the article context; the leader table is built only when first needed."""
    if is_person(org, ctx.names, ctx.text) is None:
        return country(org)
    if ctx.leaders is None:
        ctx.leaders, ctx.unnamed_leader = leaders(ctx.text)
    return resolve(org, ctx.names, ctx.leaders, ctx.unnamed_leader, ctx.text)
