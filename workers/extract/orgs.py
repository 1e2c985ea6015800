"""Organisations: where a post is held, resolved from the article (not from one sentence).

"Corbyn's campaigns director": the possessor is a person, and the post is held in *his* organisation,
the one the text ties to him ("Labour leader Jeremy Corbyn", "Jeremy Corbyn, the Labour leader",
"Corbyn's party, Labour", or an unnamed "the Labour leader"). When a mention states no organisation,
the article's main organisation stands in (the one tied to the role elsewhere in the text first).
"""
from __future__ import annotations

import re
from collections import Counter
from functools import lru_cache

from .lexicon import DEMONYMS, ORG_ENDINGS, TITLE_WORDS
from .names import NameTable, clean_person, key, looks_like_person

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
_COUNTRY_WORDS = {"uk", "us", "u.s.", "world", "state", "city"}
_MEDIA_BEFORE = re.compile(r"(?:\btold|\bto|according to|\bby)\s*$", re.I)


def _ok_org(org: str) -> str | None:
    org = re.sub(r"['’]s$", "", org.strip())
    words = org.split()
    while words and words[0].lower() in ("the",):
        words = words[1:]
    if not words or all(w.lower() in DEMONYMS for w in words):
        return None
    if words[0].lower() in _NOT_ORG and not (len(words) > 1 and words[0].lower() in _COUNTRY_WORDS
                                             and words[1][:1].isupper()):
        return None                         # "UK Athletics", "World Bank" are names; "UK" alone is none
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
    if not k or len(k) > 3 or names.is_firm(org):
        return None                          # "the firm of Ann Lee Moss": the text shows a firm
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
            "indonesian": "Indonesia", "ukrainian": "Ukraine", "saudi": "Saudi Arabia", "georgian": "Georgia",
            "dominican": "Dominican Republic", "costa rican": "Costa Rica", "cuban": "Cuba", "haitian": "Haiti",
            "hungarian": "Hungary", "czech": "Czech Republic", "romanian": "Romania", "bulgarian": "Bulgaria",
            "serbian": "Serbia", "croatian": "Croatia", "lebanese": "Lebanon", "syrian": "Syria",
            "afghan": "Afghanistan", "vietnamese": "Vietnam", "thai": "Thailand", "malaysian": "Malaysia",
            "south african": "South Africa", "new zealand": "New Zealand", "bolivian": "Bolivia"}


def not_the_person(org: str | None, person: str) -> str | None:
    """None for an organisation that is the person's own name, or holds it with a description
    ("scientist Ann Holt"): a name spans that wrongly; "Holt Partners" (a firm named after a person) stays."""
    if not org:
        return org
    ok, pk = key(org), key(person)
    if len(pk) >= 2 and any(ok[i:i + len(pk)] == pk for i in range(len(ok) - len(pk) + 1)):
        return None
    return None if ok == pk or key(clean_person(org)) == pk else org      # "Lord Alder" for Alder


def country(org: str | None) -> str | None:
    """'Italian' (a nationality written as the organisation of a post) -> 'Italy'."""
    if not org:
        return org
    low = org.lower()
    for dem in (low, " ".join(low.split()[:2]), low.split()[0]):
        if dem in _COUNTRY and (dem == low or low.split()[-1] in ("social", "socialist")):
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
    words = role.split()
    forms = [role]
    if len(words) > 1 and all(w.lower() in _RANK for w in words[:-1]):
        forms.append(words[-1])               # "acting director" holds the post of "the F.B.I. director"
    for form in forms:
        r = re.escape(form.strip()).replace(r"\ ", r"\s+")
        r = r if form == role else rf"(?i:{r})"
        for pat in (rf"\b{r}\s+(?:of|at)\s+(?:the\s+)?(?P<org>{_ORG})", rf"(?P<org>{_ORG})['’]s\s+{r}\b",
                    rf"\b(?P<org>{_ORG})\s+{r}\b"):
            for m in re.finditer(pat, text):
                org = _ok_org(m.group("org"))
                if org and org.lower() != form.lower() and (org in known or key(org)[-1] in ORG_ENDINGS
                                                            or _names_known(org, known) or _acronym(org)):
                    return org
    return None


_RANK = {"acting", "interim", "deputy", "assistant", "associate", "vice", "co", "joint", "new"}


def _acronym(org: str) -> bool:
    """"F.B.I.", "NASA": initials of an organisation (three letters or more)."""
    bare = org.replace(".", "")
    return " " not in org and bare.isalpha() and bare.isupper() and 3 <= len(bare) <= 6


def _names_known(org: str, known) -> bool:
    """``org`` is the start of an organisation the recogniser found ("Acme and Ruiz" of "Acme and
    Ruiz Group"), one or more words cut off at its end."""
    k = key(org)
    return len(k) >= 2 and any(len(key(o)) > len(k) and key(o)[:len(k)] == k for o in known)


def person_org(text: str, role: str | None, person: str, known: Counter | set = frozenset()) -> str | None:
    """The organisation written with this person's own title: "Acme chairman Ann Holt", "Ann Holt,
    chairman of Acme", "Ann Holt, Acme's chairman" - before any other organisation's chairman."""
    words = key(person)
    if not role or not words:
        return None
    r = re.escape(role.strip()).replace(r"\ ", r"\s+")
    sur = re.escape(person.split()[-1])
    for pat in (rf"(?P<org>{_ORG})['’]?s?\s+{r}\s+(?:[A-Z][\w.'’-]*\s+){{0,3}}{sur}\b",
                rf"\b{sur},\s+(?:the\s+)?{r}\s+(?:of|at)\s+(?:the\s+)?(?P<org>{_ORG})",
                rf"\b{sur},\s+(?:the\s+)?(?P<org>{_ORG})['’]s\s+{r}\b"):
        m = re.search(pat, text)
        if m:
            org = _ok_org(m.group("org"))
            if org and org.lower() != role.lower() and (org in known or key(org)[-1] in ORG_ENDINGS):
                return org
    return None


def _same_org(short: str, full: str) -> bool:
    """``short`` names ``full``: a shared distinctive word, or its acronym ("U.S. SEC")."""
    from workers.event_merge import _short_form, org_tokens
    if org_tokens(short) & org_tokens(full) or _short_form(short, full):
        return True
    acr, words = short.replace(".", "").split()[-1:], full.split()
    return bool(acr) and acr[0].isupper() and len(acr[0]) >= 2 and len(words) >= 2 \
        and acr[0] in (_initials(words), _initials(words[1:]))


def main_org(counter: Counter, headline_orgs: set[str], text: str = "", names: NameTable | None = None,
             lead_end: int = 0) -> str | None:
    """The organisation the article is about: of the organisations the entity recogniser found (not
    people of the article, not outlets quoted as sources), the one named in the headline, else the
    one the whole text names most (twice or more)."""
    def ok(org: str) -> bool:
        return plausible(org) and not quoted_outlet(org, text) and not _competition(org, text) and (
            names is None or is_person(org, names, text) is None)

    for org, _ in counter.most_common():
        if org in headline_orgs and ok(org):
            return org
    for org, _ in counter.most_common():
        # the headline's short form of it: "U.S. SEC" for "U.S. Securities and Exchange Commission"
        if ok(org) and any(_same_org(h, org) for h in headline_orgs):
            return org
    lead = _company_lead(counter, text)
    if lead:
        return lead                   # a wire's "Acme Corp said ...": the company telling its own news
    best, best_n = None, 1
    for org, n in counter.items():
        if text:
            n = len(re.findall(rf"(?<![\w-]){re.escape(_short(org))}(?![\w-])", text))
        if n > best_n and ok(org):
            best, best_n = org, n
    headed = _headline_company(text, lead_end, names) if lead_end else None
    if headed and headed[1] >= 3 and headed[1] > best_n and ok(headed[0]):
        return headed[0]              # the company of the headline that the text names most, never parsed
    return best or _company_lead(counter, text)


_PLACES = {"US", "UK", "EU", "UN", "USA", "UAE", "NYC", "DC", "LA", "MEP", "MSP", "PM", "AM", "QC", "KC", "GOP"}


def _headline_company(text: str, lead_end: int, names: NameTable | None) -> tuple[str, int] | None:
    """A one-word brand-like name of the headline ("Major Brellow layoffs to begin") and how often the
    body names it: the recogniser sees only trigger sentences, which may never name the company."""
    body = text[lead_end:]
    best = None
    for word in re.findall(r"(?<![\w'’-])([A-Z][\w&-]*[A-Z][\w&-]*|[A-Z][a-z]+[A-Z][\w-]*)(?![\w-])", text[:lead_end]):
        if word in _PLACES or country(word) != word or word.lower() in TITLE_WORDS:
            continue                   # not "UK", "Italian" nor "MP", "CEO"
        if names is not None and (is_person(word, names, text) is not None
                                  or any(word in key_ for key_ in (n.split() for n in names.full_names()))):
            continue
        n = len(re.findall(rf"(?<![\w-]){re.escape(word)}(?![\w-])", body))
        if best is None or n > best[1]:
            best = (word, n)
    return best


_MEDIA = re.compile(r"^(?:the\s+)?(?:guardian|times|observer|telegraph|independent|associated press|ap|reuters|"
                    r"afp|upi|bbc|itv|cnn|fox news|nbc|abc|cbs|politico|axios|new york times|washington post|"
                    r"wall street journal|financial times|daily \w+|sunday \w+|[\w ]+ (?:times|post|herald|journal|"
                    r"news|newspaper|magazine|television|radio|tv))$", re.I)


_CONTESTS = {"league", "cup", "championship", "championships", "open", "olympics", "games", "trophy",
             "tournament", "final", "finals", "series"}


def _competition(org: str, text: str) -> bool:
    """A competition ("Champions League", "World Cup") is no employer, unless the text gives it staff
    ("League chief executive X", "the Arab League's secretary-general")."""
    if org.split()[-1].lower() not in _CONTESTS:
        return False
    name = re.escape(org)
    return re.search(rf"\b{name}(?:['’]s)?\s+(?:[\w-]+\s+)?(?:chief|chairman|chairwoman|president|commissioner|"
                     rf"secretary|director|executive|boss|head|spokesman|spokeswoman)\b", text) is None


def quoted_outlet(org: str, text: str) -> bool:
    """A news outlet the article quotes as its source ("told the Guardian", "the AP reported")."""
    if not org or not _MEDIA.match(org.strip()) or not text:
        return False
    name = re.escape(re.sub(r"^the\s+", "", org.strip(), flags=re.I))
    if re.search(rf"\b{name}(?:['’]s)?\s+(?:[\w-]+\s+){{0,2}}?(?:chairman|chairwoman|director|presenter|reporter|"
                 rf"correspondent|editor|chief|executive|boss|head|governors?|journalist|host|president)\b", text):
        return False                           # "BBC director general X": the outlet is an employer here
    return re.search(rf"(?:\btold|\bto|according to|\bin|\bby)\s+(?:the\s+)?{name}\b|"
                     rf"\b{name}['’]?s?\s+(?:newspaper\s+)?(?:reported|reports|said|says|revealed|learned|"
                     rf"understands|has learned|quoted)\b", text) is not None


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


_GOVERNMENT_POST = re.compile(r"\b(?:minister|premier|president|ambassador|chancellor|government|cabinet|"
                              r"secretary|governor|envoy|consul|king|queen|monarch|leader|mp|senator|deputy)\b", re.I)


_SAME_KIND = {"company": ("company", "group", "firm", "corporation", "corp", "inc"),
              "firm": ("firm", "company", "group"), "group": ("group", "company")}


def kind_antecedent(org: str | None, text: str, before: int | None = None) -> str | None:
    """"the agency" of "the agency's chief executive": the nearest organisation named before it
    with that word ("the Rural Payments Agency", "the Velden games group"); None when none is."""
    m = re.fullmatch(r"the\s+(\w+)", org or "")
    if not m or not text:
        return org
    noun = m.group(1).lower()
    kinds = "|".join(_SAME_KIND.get(noun, (noun,)))
    found = None
    for hit in re.finditer(rf"(?<![\w&.'’-])((?:[A-Z][\w&.'’-]*\s+(?:(?:of|and|for|&)\s+)?){{0,5}}?)"
                           rf"(?:(?:[a-z]+\s+)?(?:{kinds})\b|(?i:{kinds})\b)", text[:before] if before else text):
        name = hit.group(0).strip()
        if not name[:1].isupper():
            continue
        described = re.search(rf"\b(?:{kinds})$", name) and not name.split()[-1][:1].isupper()
        if described:
            name = " ".join(name.split()[:-1])
            name = re.sub(r"\s+[a-z]+$", "", name)   # "Velden games group" -> Velden
        cand = _ok_org(name)
        if not cand or cand.split()[0].lower() in _NOT_ORG or _COUNTRY_RE.fullmatch(cand):
            continue
        # "the Denver firm": a place describes a firm; a name written again and again is the firm's
        if described and len(re.findall(rf"(?<![\w-]){re.escape(cand)}(?![\w-])", text)) < 3:
            continue
        found = cand
    return found


def resolve_in(org: str | None, ctx, role: str | None = None, at: int | None = None) -> str | None:
    """`resolve` with the article context, in the fullest form the article gives; the leader table
    is built only when first needed. A nationality is the organisation of a government post only
    ("the Italian prime minister"; not "Italian coach X"); an outlet quoted as a source is none;
    "the agency" is the agency the text named before ``at``."""
    if org and org.startswith("the ") and len(org.split()) == 2 and org.islower():
        found = kind_antecedent(org, ctx.text, at)     # an organisation, whatever the tagger made of it
        return fullest(found, ctx.text) if found and plausible(found) else None
    if org is not None and (not plausible(org) or quoted_outlet(org, ctx.text)):
        return None
    if is_person(org, ctx.names, ctx.text) is None:
        if org is not None and country(org) != org and not (role and _GOVERNMENT_POST.search(role)):
            return None
        return fullest(country(org), ctx.text)
    if ctx.leaders is None:
        ctx.leaders, ctx.unnamed_leader = leaders(ctx.text)
    return resolve(org, ctx.names, ctx.leaders, ctx.unnamed_leader, ctx.text)


# --- the fullest form of an organisation in the article ------------------------------------------

_SEQ = re.compile(r"(?<![\w&.'’-])[A-Z][\w&.'’-]*(?:\s+(?:(?:of|and|for|the|de|on)\s+|&\s+)?[A-Z][\w&.'’-]*){0,6}")
_MINOR = {"of", "and", "for", "the", "de", "on", "&"}
_CORP_WORDS = {"inc", "corp", "co", "ltd", "plc", "llc", "corporation", "incorporated", "group", "ag", "sa", "nv"}


def _initials(words: list[str]) -> str:
    return "".join(w[0] for w in words if w.lower() not in _MINOR).upper()


@lru_cache(maxsize=8)
def _sequences(text: str) -> list[str]:
    out = []
    for m in _SEQ.finditer(text):
        parts, cur = [], []
        for w in m.group(0).split():
            cur.append(w)
            if w.endswith(".") and len(w) > 3 and w[:-1].lower() not in _CORP_WORDS | {"bros", "st"}:
                parts.append(cur)                    # a sentence ends: "... of IBM. The Fed ..."
                cur = []
        parts.append(cur)
        for words in parts:
            seq = re.sub(r"['’]s?$", "", " ".join(words)).rstrip(".,")
            words = seq.split()
            while words and words[0].lower() in ("the", "a", "an", "and", "but", "in", "at", "of"):
                words = words[1:]
            if words:
                out.append(" ".join(words))
    return out


def fullest(org: str | None, text: str) -> str | None:
    """The fullest form of ``org`` the article writes: an acronym spelt out ("ISO" -> "International
    Sugar Organization", "SMC" -> "San Miguel Corp"), a clipped name completed ("Fed" -> "Federal
    Reserve Board", "Delmont" -> "Delmont Corp")."""
    if not org or not text:
        return org
    bare = org.replace(".", "")
    seqs = _sequences(text)
    if bare.isupper() and 2 <= len(bare) <= 6 and bare.isalpha():
        best = None
        for seq in seqs:
            words = seq.split()
            for start in range(len(words)):
                tail = words[start:]
                core = tail[:-1] if tail[-1].lower().rstrip(".") in _CORP_WORDS else tail
                if len(tail) >= 2 and tail[0].lower() not in _MINOR and bare in (_initials(tail), _initials(core)) \
                        and (best is None or len(tail) > len(best.split())):
                    best = " ".join(tail)
        return best or org
    words = org.split()
    if len(words) == 1:
        # "Orrin" of "Orrin and Tabb Group": a partnership's name, cut at its "and" by the recogniser
        joint = [seq for seq in seqs if re.match(rf"{re.escape(org)}\s+(?:and|&)\s+[A-Z]", seq)
                 and seq.split()[-1].lower().rstrip(".") in _CORP_WORDS | ORG_ENDINGS]
        if joint:
            return max(joint, key=lambda s: (joint.count(s), len(s)))
    if len(words) > 2 or not org[:1].isupper() or bare.isupper():
        return org
    counts: Counter = Counter()
    for seq in seqs:
        sw = seq.split()
        if len(sw) <= len(words) or not sw[0].startswith(words[0]):
            continue
        if len(words) == 2 and (len(sw) < 2 or sw[1] != words[1]):
            continue
        clipped = sw[0] != words[0]                 # "Fed" of "Federal Reserve Board"
        if clipped and (len(words) > 1 or len(words[0]) < 3 or org in _COUNTRY.values()):
            continue
        extra = [w.lower().rstrip(".") for w in sw[len(words):]]
        if clipped and sw[-1].lower() in ORG_ENDINGS or not clipped and all(
                w in _CORP_WORDS or w in ORG_ENDINGS and w not in _UNIT_ENDINGS for w in extra):
            counts[seq] += 1                         # "Delmont" -> "Delmont Corp", not a unit of it
    if not counts:
        return org
    return max(counts, key=lambda s: (counts[s], len(s)))


# a company's channel, unit or charity, not its fuller name ("Acme" is not "Acme Channel")
_UNIT_ENDINGS = {"channel", "network", "news", "division", "studios", "records", "foundation", "band"}
_GENERIC = {"board", "cabinet", "choice", "finance", "pe", "company", "firm", "group",
            "club", "committee", "department", "office", "ministry", "division", "unit", "team", "agency"}


def plausible(org: str | None) -> bool:
    """Not a generic word taken for a name ("Board", "Cabinet"), nor a person's description taken
    for one ("names Payments Pioneer X chief officer")."""
    return bool(org) and org.lower().strip() not in _GENERIC and org.split()[-1].lower() not in _DESCRIPTORS


# nouns that describe a person, closing a capitalised run the recogniser may take for an organisation
_DESCRIPTORS = {"pioneer", "veteran", "expert", "entrepreneur", "insider", "specialist", "guru", "legend",
                "icon", "activist", "billionaire"}


# --- the organisation of a mention that states none ------------------------------------------------

_GOVERNMENT_ROLE = re.compile(r"\b(?:minister|ministers|premier|ambassador)\b", re.I)
_COUNTRY_NAMES = sorted(set(_COUNTRY.values()) | {"Costa Rica", "Ecuador", "Georgia", "Ukraine", "Bolivia",
                                                  "Uruguay", "Paraguay", "Cuba", "Panama", "Nicaragua",
                                                  "Honduras", "Guatemala", "Dominican Republic", "Haiti",
                                                  "Philippines", "Malaysia", "Thailand", "Vietnam",
                                                  "South Africa", "Zimbabwe", "Zambia", "Ghana", "Uganda",
                                                  "Lebanon", "Syria", "Jordan", "Kuwait", "Libya",
                                                  "Algeria", "Morocco", "Tunisia", "Sri Lanka",
                                                  "Bangladesh", "Afghanistan", "New Zealand", "Hungary",
                                                  "Czechoslovakia", "Romania", "Bulgaria", "Yugoslavia",
                                                  "Serbia", "Croatia", "Lithuania", "Latvia", "Estonia",
                                                  "Belarus", "Taiwan", "Singapore", "Luxembourg",
                                                  "Iceland", "Cyprus", "Malta", "Scotland", "Wales"},
                        key=len, reverse=True)
_COUNTRY_RE = re.compile(r"\b(%s)\b" % "|".join(
    [re.escape(c) for c in _COUNTRY_NAMES] + [k.title() for k in sorted(_COUNTRY, key=len, reverse=True)]))


_CANONICAL = {c.lower(): c for c in _COUNTRY_NAMES}


def _as_country(word: str) -> str:
    return _COUNTRY.get(word.lower()) or _CANONICAL.get(word.lower(), word)


def government_country(role: str | None, text: str, lead_end: int = 0, loose: bool = False) -> str | None:
    """The country of a government post: the one written with the role ("Brazilian Planning
    Minister", "Ecuador's Minister for Trade"), else the one of the headline or first sentence."""
    if not role or not text:
        return None
    head_of_state = re.search(r"\b(?:president|prime minister|king|queen|chancellor)\b", role, re.I)
    if head_of_state and not _GOVERNMENT_ROLE.search(role):
        head = head_of_state.group(0)                # "Georgian President X", "Peru's president"
        tied = re.search(rf"{_COUNTRY_RE.pattern}(?:['’]s)?\s+(?:[\w-]+\s+)?{re.escape(head)}|"
                         rf"{re.escape(head)}\s+of\s+{_COUNTRY_RE.pattern}", text, re.I)
        if tied:
            found = tied.group(1) or tied.group(2)
            return _as_country(found) if found[:1].isupper() else None
        if not loose:
            return None
        first_sentence = re.split(r"(?<=[.!?])\s", text[lead_end:], maxsplit=1)[0]
        first = _COUNTRY_RE.search(text[:lead_end] + " " + first_sentence)
        return _as_country(first.group(1)) if first else None
    if not _GOVERNMENT_ROLE.search(role):
        return None
    head = _GOVERNMENT_ROLE.search(role).group(0)
    tied = re.search(rf"{_COUNTRY_RE.pattern}(?:['’]s)?\s+(?:[\w-]+\s+){{0,4}}?{re.escape(head)}", text, re.I)
    if tied and tied.group(1)[:1].isupper():
        return _as_country(tied.group(1))
    if _ENVOY.search(role):
        return None          # "ambassador to Spain": Spain is where the envoy goes, not who sends him
    first_sentence = re.split(r"(?<=[.!?])\s", text[lead_end:], maxsplit=1)[0]
    first = _COUNTRY_RE.search(text[:lead_end] + " " + first_sentence)
    return _as_country(first.group(1)) if first else None


_ENVOY = re.compile(r"\b(?:ambassador|envoy|consul|emissary|high commissioner)\b", re.I)
# the seat of a government standing for it ("the White House said"): who sends an envoy
_SEATS = {"white house": "United States", "downing street": "United Kingdom", "no 10": "United Kingdom",
          "kremlin": "Russia", "elysee": "France", "élysée": "France", "elysee palace": "France"}


def envoy_org(role: str | None, org: str | None, sentence: str = "") -> str | None:
    """An envoy's post is held in the state that sends him: "the White House said" gives that state;
    the country he is sent to ("ambassador to Norway", "appointed envoy to Norway") is no
    organisation of the post."""
    if not role or not org or not _ENVOY.search(role):
        return org
    low = re.sub(r"^the\s+", "", org.strip().lower())
    if low in _SEATS:
        return _SEATS[low]
    dest = re.search(r"\b(?:to|for|in)\s+(?:the\s+)?(.+)$", role)
    if dest and _as_country(dest.group(1).strip()).lower() in (low, _as_country(org).lower()):
        return None
    if re.search(rf"\b(?:to|for|in)\s+(?:the\s+)?{re.escape(org.strip())}\b", sentence):
        return None
    return org


_LEAD_SUBJECT = re.compile(
    r"^(?:[^\w<]*<)?(?P<org>[A-Z][\w&.'’-]*(?:\s+(?:(?:of|and|for|the|de)\s+|&\s+)?[A-Z&][\w&.'’-]*){0,6})>?"
    r"(?:\s*\([^)]*\))?(?:,\s+[^,.]{3,80},)?\s+(?:said|says|has|have|announced|reported|named|appointed|elected)\b")


def lead_org(text: str, names: NameTable) -> str | None:
    """A wire story's organisation: the subject of its first sentence ("Acme Foods Inc, a unit of
    X, said ...") when that is not a person."""
    for line in text.split("\n")[:3]:
        m = _LEAD_SUBJECT.match(line.strip())
        if not m:
            continue
        org = _ok_org(m.group("org"))
        if not org or key(org)[0].rstrip(".") in TITLE_WORDS:
            continue
        k = key(org)
        if any(key(p) == k or len(k) == 1 and key(p)[-1:] == k for p in names.persons):
            continue                                 # a person the entity recogniser confirmed
        company = re.search(r"\b(?:unit|subsidiary|firm|company|bank|group|maker|agency|division|corporation)\b",
                            m.group(0)[len(m.group("org")):])
        if k[-1].rstrip(".") in ORG_ENDINGS | _CORP_WORDS or company or not looks_like_person(org):
            return org
    return None


# posts whose title names the department they are held in
_DEPARTMENT_OF = [
    (r"\bhome secretary\b", "Home Office"), (r"\bforeign secretary\b", "Foreign Office"),
    (r"\bchancellor of the exchequer\b|^chancellor$", "Treasury"), (r"\bchief secretary to the treasury\b", "Treasury"),
    (r"\bdefen[cs]e secretary\b|\bsecretary of defen[cs]e\b", "Defence"),
    (r"\bhealth secretary\b", "Department of Health"), (r"\beducation secretary\b", "Department for Education"),
    (r"\btreasury secretary\b|\bsecretary of the treasury\b", "Treasury"),
    (r"^secretary of state$", "State Department"), (r"\battorney general\b", "Justice Department"),
    (r"\b(?:fbi|f\.b\.i\.) director\b|\bdirector of the (?:fbi|f\.b\.i\.)", "FBI"),
    (r"\bcia director\b", "CIA"), (r"^(?:mp|member of parliament)$", "Parliament"),
    (r"^mep$|\bmember of the european parliament\b", "European Parliament"), (r"^msp$", "Scottish Parliament"),
    (r"^(?:senator|us senator|u\.s\. senator)$", "Senate"), (r"\bwhite house (?:press secretary|chief of staff|counsel)\b", "White House"),
]


def department_of(role: str | None, text: str = "") -> str | None:
    """The department a government title names ("home secretary" -> Home Office), written as the
    article writes it when it does ("Defence" -> "Ministry of Defence", "Defense Department")."""
    if not role:
        return None
    low = role.lower().strip()
    for pat, dept in _DEPARTMENT_OF:
        if re.search(pat, low):
            if dept == "Defence":
                m = re.search(r"\b(?:Ministry of Defen[cs]e|Defen[cs]e (?:Department|Ministry)|Department of Defen[cs]e)\b",
                              text)
                return m.group(0) if m else ("Defense Department" if "defense" in low else "Ministry of Defence")
            return dept
    return None


_PARTIES = [(r"\b(?:Tory|Tories|Conservatives|Conservative Party)\b", "Conservative Party"),
            (r"\bLabour\b", "Labour"), (r"\b(?:Lib Dems?|Liberal Democrats?)\b", "Liberal Democrats"),
            (r"\bUKIP\b", "UKIP"), (r"\bSNP\b", "SNP"), (r"\bPlaid Cymru\b", "Plaid Cymru"),
            (r"\bGreen Party\b", "Green Party"), (r"\b(?:Democrats|Democratic Party)\b", "Democratic Party"),
            (r"\b(?:Republicans|Republican Party|GOP)\b", "Republican Party")]


def party_of(text: str, lead_end: int = 0) -> str | None:
    """The one party the headline and first sentence write about ("the Tories' campaign director")."""
    first_sentence = re.split(r"(?<=[.!?])\s", text[lead_end:], maxsplit=1)[0]
    lead = text[:lead_end] + " " + first_sentence
    found = {name for pat, name in _PARTIES if re.search(pat, lead)}
    return found.pop() if len(found) == 1 else None


_LEGISLATURES = {"parliament", "assembly", "congress", "senate", "government", "cabinet", "ministry", "duma"}


_ITS_SUBJECT = re.compile(r"(?:^|(?<=[.!?]\s)|\n)(?P<org>[A-Z][\w&'’-]*(?:\s+[A-Z][\w&'’-]*){0,3})\s+"
                          r"(?:is|has|was|said|says|have|had)\b[^.\n]{0,80}?\bits\b")


def its_subject(text: str, lead_end: int = 0) -> str | None:
    """The opening's subject that the sentence itself calls "its" ("Acme is parting company with its
    chief executive"): an organisation, whatever the recogniser tagged the name."""
    first = re.split(r"(?<=[.!?])\s", text[lead_end:], maxsplit=1)[0]
    m = _ITS_SUBJECT.search(first)
    if not m or m.group("org").split()[0].lower() in _NOT_ORG | {"he", "she", "it", "they", "this"}:
        return None
    return m.group("org")


def article_org(role: str | None, ctx) -> str | None:
    """The organisation of a mention that states none: tied to its role in the text, the country of
    a government post, else the organisation the article is about - in its fullest form."""
    known = set(ctx.org_counts) | ctx.headline_orgs
    lead = lead_org(ctx.text, ctx.names) if role else None
    found = role_org(ctx.text, role, known | ({lead} if lead else set())) if role else None
    if found:
        found = resolve_in(found, ctx)
    found = found or department_of(role, ctx.text) or government_country(role, ctx.text, ctx.title_end)
    if not found and role and _ENVOY.search(role):
        return None          # an envoy's post is held by the state that sends him, never by a company
    if not found:
        found = main_org(ctx.org_counts, ctx.headline_orgs, ctx.text, ctx.names, ctx.title_end) \
            or lead_org(ctx.text, ctx.names) \
            or its_subject(ctx.text, ctx.title_end)
        if found and not plausible(found):
            found = None
    found = fullest(found, ctx.text) if found else None
    if not found or found.split()[-1].lower() in _LEGISLATURES:
        # no company, or a legislature the head of state does not sit in: the country
        found = government_country(role, ctx.text, ctx.title_end, loose=True) or found
    if not found and ctx.title_end:
        found = government_country(ctx.text[:ctx.title_end], ctx.text[:ctx.title_end], ctx.title_end)
    if not found:
        found = party_of(ctx.text, ctx.title_end)
    return fullest(found, ctx.text) if found else None
