"""Cross-article event merging: is this event, reported by another article, one we know?

Same person (the scorer's rule family), same type, compatible positions (roles compared after
abbreviations, synonyms and qualifiers are normalised; organisations by words, acronyms and a few
aliases), and a compatible time: a move given as background ("last year") only meets a current
one when both name the same post (even on the same day); two current reports of one post months
apart stay apart.
``merge_key`` is the coarse key a store looks candidates up (and locks) by; ``absorb`` says
what a further report changes in the merged event (the fullest wording; news wins).
"""
from __future__ import annotations

import re
import unicodedata

from workers.model import StaffingEvent

HONORIFICS = {"mr", "mrs", "ms", "miss", "mx", "dr", "sir", "dame", "lord", "lady", "baroness", "baron",
              "prof", "professor", "rev", "hon", "rt"}
SUFFIXES = {"jr", "sr", "ii", "iii", "iv"}
STOP = {"the", "of", "a", "an", "and", "for", "to", "at", "in", "on", "s", "its", "his", "her", "their",
        "as", "with", "by", "from", "&"}

# Phrases rewritten before tokenising (longest first).
PHRASES = [
    ("chief executive officer", "ceo"), ("chief executive", "ceo"), ("chief operating officer", "coo"),
    ("chief financial officer", "cfo"), ("finance director", "cfo"), ("finance chief", "cfo"),
    ("chief technology officer", "cto"), ("chief information officer", "cio"),
    ("managing director", "md"), ("member of parliament", "mp"), ("senate seat", "senator"),
    ("house seat", "representative"), ("congressman", "representative"),
    ("congresswoman", "representative"), ("member of congress", "representative"),
    ("director general", "director_general"), ("director-general", "director_general"),
    ("attorney general", "attorney_general"), ("secretary general", "secretary_general"),
    ("chief of staff", "chief_of_staff"), ("head coach", "coach"), ("manager", "coach"),
    ("defence", "defense"),
]
SYNONYMS = {
    "chief": "head", "director": "head", "boss": "head", "leader": "head", "supremo": "head",
    "chair": "chairman", "chairwoman": "chairman", "chairperson": "chairman",
    "advisor": "adviser", "counsellor": "adviser", "consultant": "adviser",
    "senate": "senator", "premier": "prime_minister", "ambassador": "envoy",
    "president": "president", "campaigns": "campaign",
}
# Words that say nothing about which post it is.
QUALIFIERS = {"acting", "interim", "new", "former", "senior", "top", "special", "permanent",
              "temporary", "current", "incoming", "outgoing", "then", "longtime", "veteran", "post",
              "position", "role", "job", "official", "staff", "member", "executive", "officer",
              "us", "u", "national", "federal", "s", "job", "seat", "party"}
# Modifiers that make another post of the word they precede ("deputy commissioner").
MODIFIERS = {"deputy", "vice", "assistant", "under", "associate", "co", "shadow", "junior", "lieutenant"}
GENERIC_ROLES = {"head"}
GENERIC_ORG = {"department", "ministry", "office", "state", "states", "national", "party", "the", "us",
               "u", "s", "united", "inc", "ltd", "co", "corp", "corporation", "company", "plc", "group",
               "government", "administration", "agency", "bureau", "commission", "council", "team",
               "board", "house", "federal", "international", "association", "service", "services",
               "limited", "llc", "holdings", "and", "of", "bank", "university", "committee"}
ORG_ALIASES = {"pentagon": "defense", "whitehouse": "white", "tories": "conservative", "tory": "conservative",
               "labor": "labour", "gop": "republican", "democrats": "democratic", "republicans": "republican"}
CURRENT_GAP_DAYS = 90   # two current reports of one post further apart are two events,
CONFIRMATION_GAP_DAYS = 150  # unless both name the post: a nomination and its confirmation months later


def _fold(text: str) -> str:
    t = unicodedata.normalize("NFKD", text or "")
    return "".join(c for c in t if not unicodedata.combining(c)).lower().replace("\u2019", "'")


def name_tokens(name: str) -> list[str]:
    """Lower-case name words without honorifics, nicknames in quotes or punctuation."""
    t = re.sub(r"[\"\u201c\u201d]([^\"\u201c\u201d]*)[\"\u201c\u201d]", " ", _fold(name))
    t = re.sub(r"[^\w\s-]", " ", t.replace("'s ", " ")).replace("-", " ")
    words = [w for w in t.split() if w not in HONORIFICS]
    while len(words) > 1 and words[0] in HONORIFICS:
        words.pop(0)
    return words


def _surname(tokens: list[str]) -> str:
    if len(tokens) > 1 and tokens[-1] in SUFFIXES:
        return tokens[-2] + " " + tokens[-1]
    return tokens[-1] if tokens else ""


def person_key(name: str) -> str:
    """Canonical name: tokens without honorifics, middle names and initials ("simon fletcher")."""
    toks = [t for t in name_tokens(name) if len(t) > 1 or t in SUFFIXES]
    if not toks:
        return ""
    sur = _surname(toks)
    first = toks[0] if len(toks) > len(sur.split()) else ""
    return f"{first} {sur}".strip()


def same_person(a: str, b: str) -> bool:
    """Scorer's rule: equal surnames and first names equal, missing or of the same initial."""
    ta, tb = name_tokens(a), name_tokens(b)
    if not ta or not tb:
        return False
    if ta == tb:
        return True
    if len(ta) == 1 or len(tb) == 1:
        one, other = (ta, tb) if len(ta) == 1 else (tb, ta)
        return one[0] in (other[0], _surname(other))
    if _surname(ta) != _surname(tb):
        return False
    return ta[0] == tb[0] or ta[0][0] == tb[0][0]


def merge_key(event: StaffingEvent) -> str:
    """Coarse lookup/lock key: surname (or lone name) and type, e.g. "fletcher:departure"."""
    return f"{_surname(name_tokens(event.person)) or '?'}:{event.type}"


def _stem(w: str) -> str:
    if w.endswith("ies") and len(w) > 5:
        return w[:-3] + "y"
    if w.endswith("s") and not w.endswith("ss") and len(w) > 4:
        return w[:-1]
    return w


def org_tokens(org: str | None) -> set[str]:
    """Distinctive words of an organisation (dotted acronyms joined, generic words dropped)."""
    if not org:
        return set()
    t = _fold(org)
    t = re.sub(r"\b((?:[a-z]\.){2,})", lambda m: m.group(1).replace(".", ""), t)
    words = [ORG_ALIASES.get(w, w) for w in re.sub(r"[^\w\s]", " ", t.replace("'s", " ")).split()]
    return {_stem(w) for w in words if w not in GENERIC_ORG and w not in STOP}


def _acronym(org: str) -> str:
    words = [w for w in re.sub(r"[^\w\s]", " ", _fold(org)).split() if w not in STOP]
    return "".join(w[0] for w in words)


def _short_form(short: str, long_: str) -> bool:
    """``short`` abbreviates ``long_``: its acronym ("SEC"), or a clipping of its first word ("Fed")."""
    s = re.sub(r"[^\w]", "", _fold(short))
    acr = _acronym(long_)
    if 2 <= len(s) <= 6 and len(acr) >= 2 and (s == acr or s.startswith(acr) or acr.startswith(s)):
        return True
    first = next(iter(re.sub(r"[^\w\s]", " ", _fold(long_)).split()), "")
    return " " not in _fold(short).strip() and 3 <= len(s) < len(first) and first.startswith(s) \
        and len(long_.split()) > 1


def orgs_compatible(a: str | None, b: str | None) -> bool:
    """Unknown on either side, a shared distinctive word, or one an abbreviation of the other."""
    ta, tb = org_tokens(a), org_tokens(b)
    if not ta or not tb:
        return True
    if ta & tb:
        return True
    return _short_form(a, b) or _short_form(b, a)


def role_tokens(role: str | None, organisation: str | None = None) -> set[str]:
    """Post words after normalisation; organisation words and qualifiers removed."""
    if not role:
        return set()
    t = " " + re.sub(r"\s+", " ", _fold(role).replace(".", "")) + " "
    for phrase, rep in PHRASES:
        t = re.sub(rf"(?<![\w-]){re.escape(phrase)}(?![\w-])", rep, t)
    t = t.replace("-", " ")
    org = org_tokens(organisation)
    words = []
    for w in re.sub(r"[^\w\s]", " ", t).split():
        if w in STOP:
            continue
        w = ORG_ALIASES.get(w, w)
        w = SYNONYMS.get(w, w)
        w = SYNONYMS.get(_stem(w), _stem(w))
        if w in org or w in QUALIFIERS:
            continue
        words.append(w)
    out, i = set(), 0
    while i < len(words):
        if words[i] in MODIFIERS and i + 1 < len(words) and words[i + 1] not in MODIFIERS:
            out.add(words[i] + "_" + words[i + 1])
            i += 2
        else:
            out.add(words[i])
            i += 1
    return out


def _tok_match(x: str, other: set[str]) -> bool:
    if x in other:
        return True
    if x in MODIFIERS:  # a bare "deputy" meets "deputy_commissioner"
        return any(o.startswith(x + "_") for o in other)
    return False


def roles_compatible(ra: set[str], rb: set[str]) -> bool | None:
    """True/False for two named posts; None when either post is unnamed or only generic."""
    if not ra or not rb or ra <= GENERIC_ROLES or rb <= GENERIC_ROLES:
        return None
    a_in_b = all(_tok_match(x, rb) for x in ra)
    b_in_a = all(_tok_match(x, ra) for x in rb)
    if a_in_b or b_in_a:
        return True
    shared = sum(_tok_match(x, rb) for x in ra)
    return shared / len(ra | rb) >= 0.5


def _posts_apart(a: StaffingEvent, b: StaffingEvent) -> bool:
    """Both posts named, and not one word of them shared ("senator" / "attorney general"; not
    "senator" / "junior senator")."""
    wa = {w for t in role_tokens(a.role, a.organisation) for w in t.split("_")}
    wb = {w for t in role_tokens(b.role, b.organisation) for w in t.split("_")}
    return bool(wa) and bool(wb) and not wa & wb


def _candidacy(ev: StaffingEvent) -> bool | None:
    """Whether the move's post is a candidacy ("candidate for Eastwick"); None when no post is named."""
    words = _content_words(ev.role)
    return None if not words else any(w in ("candidate", "candidacy") for w in words)


def same_event(a: StaffingEvent, b: StaffingEvent, *, days_apart: float | None = None,
               same_story: bool = False) -> bool:
    """Whether two events from different articles are one move of one person.

    ``same_story`` says the caller knows both come from coverage of one story and that
    neither side has another move of this person of this type: then person and type
    decide, because outlets name roles and organisations (and judge background) differently.
    """
    if a.type != b.type or not same_person(a.person, b.person):
        return False
    if same_story:
        # two background mentions naming posts without a word in common are two steps of a career;
        # standing as a candidate and holding the office are two moves, whatever the wording
        if _candidacy(a) is not None and _candidacy(b) is not None and _candidacy(a) != _candidacy(b):
            return False
        return not (a.historical and b.historical and _posts_apart(a, b))
    if not orgs_compatible(a.organisation, b.organisation):
        return False
    roles = roles_compatible(role_tokens(a.role, a.organisation), role_tokens(b.role, b.organisation))
    if roles is False:
        return False
    if not a.historical and not b.historical and days_apart is not None and days_apart > CURRENT_GAP_DAYS \
            and not (roles and days_apart <= CONFIRMATION_GAP_DAYS):
        return False
    if a.historical == b.historical:
        return True
    # Background in one report, news in the other: one move only when both name the same post
    # (same-story articles are published together, so closeness in time cannot decide here).
    return bool(roles)


def _content_words(text: str | None) -> list[str]:
    return [w for w in re.sub(r"[^\w\s]", " ", _fold(text or "")).split() if w not in STOP]


def absorb(event: StaffingEvent, report: StaffingEvent) -> dict:
    """What ``report`` (a further source of ``event``) changes in the merged event, as a dict of
    fields: the move is news when any source gives it as news; a role, organisation or counterpart
    the event lacks is taken; a fuller form of the same post ("chief executive" -> "chief executive
    of Fiat Auto") or organisation ("Fed" -> "Federal Reserve Board") replaces the shorter one.
    Each source keeps its own wording; this is the event's summary of them."""
    out: dict = {}
    if event.historical and not report.historical:
        out["historical"] = False
    if report.organisation and event.organisation != report.organisation:
        if not event.organisation:
            out["organisation"] = report.organisation
        elif orgs_compatible(event.organisation, report.organisation) and (
                len(_content_words(report.organisation)) > len(_content_words(event.organisation))
                or _short_form(event.organisation, report.organisation)):
            out["organisation"] = report.organisation
    if report.role and event.role != report.role:
        if not event.role:
            out["role"] = report.role
        else:
            orgs = [o for o in (event.organisation, report.organisation) if o]

            def post(role: str) -> set[str]:  # "Fed chairman" names no fuller post than "chairman"
                return {w for w in role_tokens(role, " ".join(orgs)) if not any(_short_form(w, o) for o in orgs)}
            old, new = post(event.role), post(report.role)
            if old and old < new or (not old and new):
                out["role"] = report.role
    if report.counterpart and not event.counterpart:
        out["counterpart"] = report.counterpart
    if report.confidence > event.confidence:
        out["confidence"] = report.confidence
    return out
