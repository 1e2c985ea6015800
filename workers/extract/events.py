"""Article-level decisions: merge mentions of one move, decide `historical`, build StaffingEvents."""
from __future__ import annotations

from dataclasses import replace
import re

from workers.event_merge import same_person
from workers.model import StaffingEvent

from . import historical, orgs
from .lexicon import ORG_ENDINGS, ROLE_HEADS, TITLE_WORDS
from .names import _NAME_ROLE_OK, key
from .prefilter import has_trigger
from .rules import RawEvent

_NEWS_SENTENCES = 3          # the headline and the first sentences carry the news


def _same(a: str, b: str) -> bool:
    """One person under two spellings: the scorer's rule, shared with cross-article merging."""
    return same_person(a, b)


def _plausible_person(name: str, persons: set[str] | frozenset = frozenset()) -> bool:
    """No organisation-looking names ("... Band", "... Systems") and no lower-case words; a common
    surname that also ends place names ("Carol Hill", not "Capitol Hill") where the recogniser
    found the whole name a person's."""
    k = key(name)
    if not k or k[-1] in ORG_ENDINGS and not (k[-1] in _SURNAME_ENDINGS and len(k) >= 2 and name in persons) \
            or k[-1] in TITLE_WORDS and k[-1] not in _NAME_ROLE_OK:
        return False
    return all(t[:1].isupper() or t[:1] in "\"'‘“" or t.lower().split("-")[0] in _PARTICLES for t in name.split())


_SURNAME_ENDINGS = {"hill", "church", "court", "street", "house"}
_PARTICLES = {"van", "von", "de", "der", "den", "du", "da", "di", "del", "la", "le", "al", "bin", "ibn"}


def _words(text: str | None) -> set[str]:
    return set(re.sub(r"[^\w\s]", " ", (text or "").lower()).split()) - {"the", "of", "a", "an", "and"}


def _same_role(a: str | None, b: str | None) -> bool:
    if a is None or b is None:
        return True
    wa, wb = _words(a), _words(b)
    return bool(wa & wb)


def _mention_hist(ev: RawEvent, lead_offsets: set[int]) -> bool | None:
    if ev.in_title:
        return False
    if ev.cue == "past" or ev.background:
        return True
    if ev.cue == "current":
        return False
    if ev.offset in lead_offsets:
        return False
    return None


def _when(ev: RawEvent, lead_offsets: set[int]) -> str | None:
    """'past' for a mention dated before the news ("last year", "in 2013"), 'news' for a mention
    that is the news (headline, present or future tense, a recent date); None when undecided.
    Mentions of one person with different answers are different moves: never one event."""
    if ev.in_title or ev.cue == "current":
        return "news"
    if ev.cue == "past":
        return "past"
    return None


def _described(ev: RawEvent) -> bool:
    """The mention's role is the person's description, not a post: "X, an economist, said he was
    stepping down" (an indefinite apposition)."""
    if not ev.role or not ev.person.split():
        return False
    sur = re.escape(ev.person.split()[-1])
    return re.search(rf"\b{sur},\s+an?\s+(?:[\w-]+\s+){{0,3}}?{re.escape(ev.role)}\s*,", ev.evidence) is not None


def _in_passing(raw: list[RawEvent], lead: set[int], ctx) -> None:
    """A story whose headline is about something else: a later, undated move announced for the
    future by someone the headline does not name is background ("He is to stand down at the next
    election" in a story about MPs' earnings)."""
    if ctx is None or not ctx.title_end:
        return
    headline = ctx.text[:ctx.title_end]
    if has_trigger(headline):
        return
    for ev in raw:
        if ev.cue == "current" and not ev.in_title and ev.offset not in lead \
                and ev.extra.get("future") and not ev.extra.get("dated") and not _named_in(ev.person, headline):
            ev.cue = None
        # "the country's new president, X, will also attend": a description of who holds the post now
        elif (ev.extra.get("trigger") or "").lower() in ROLE_HEADS and not ev.in_title \
                and not ev.extra.get("dated") and not _named_in(ev.person, headline):
            ev.cue = None
            ev.background = True


def _named_in(person: str, text: str) -> bool:
    words = [w for w in re.findall(r"[\w'-]+", person) if w[:1].isupper()]
    return bool(words) and re.search(r"\b%s\b" % re.escape(words[-1]), text) is not None


def _article_org(role: str | None, ctx) -> str | None:
    """The organisation of a mention that states none: tied to its role in the text, else the
    article's main organisation."""
    return orgs.article_org(role, ctx)


_TENURE_AS = re.compile(r"\b(?:his|her|their)\s+(?:[\w-]+\s+){0,2}(?:tenure|term|terms|time|years|stint|spell)\s+as\s+"
                        r"(?:the\s+)?(?:(?P<org>[A-Z][\w.-]*(?:\s+[A-Z][\w.-]*){0,3})['’]s\s+)?"
                        r"(?P<role>[\w-]+(?:\s+[\w-]+){0,4})")


def _tenure_post(m: re.Match) -> tuple[str, str | None] | None:
    words = m.group("role").split()
    while words and words[-1].lower() not in ROLE_HEADS:
        words.pop()
    return (" ".join(words), m.group("org")) if words else None


_MEMBER_OF = {"parliament": "MP", "commons": "MP", "house of commons": "MP", "westminster": "MP",
              "senate": "senator", "congress": "Representative", "house": "Representative",
              "house of representatives": "Representative"}
_ELECTED = re.compile(r"^(?:elect|re-elect|win|won)", re.I)
_MPS = re.compile(r"\bMPs?\b")
_SEAT = re.compile(r"\b(?:won|wins|win|winning|took|takes|gained)\s+(?:the|a|his|her|their)\s+(?:[\w-]+\s+){0,2}seat\b")


def _elected_member(g: dict, ctx) -> str | None:
    """An election that names no post elects a member of the legislature it fills: "elected to
    Parliament in 1997" (an MP), or "elected" in a sentence or headline about MPs."""
    if not any(_ELECTED.match(ev.extra.get("trigger") or "") for ev in g["mentions"]):
        return None
    org = re.sub(r"^the\s+", "", (g["org"] or "").strip().lower())
    if org in _MEMBER_OF:
        return _MEMBER_OF[org]
    headline = ctx.text[:ctx.title_end] if ctx is not None else ""
    if any(_MPS.search(ev.evidence) for ev in g["mentions"]) or _MPS.search(headline):
        return "MP"
    # "X won the seat in 1997" in an article about MPs: a parliamentary seat
    if ctx is not None and _MPS.search(ctx.text) and any(_SEAT.search(ev.evidence) for ev in g["mentions"]):
        return "MP"
    return None


def _partner_org(g: dict, groups: list[dict], ctx) -> str | None:
    """"X succeeds Y as chairman" where only the text names the post with its organisation ("X ...
    to become chairman of Acme"): the organisation tied to the partner's role, before any
    article-level default."""
    if not g["cp"] or not g["role"]:
        return None
    for h in groups:
        if h["type"] != g["type"] and h["role"] and _same(h["person"], g["cp"]) and _same_role(h["role"], g["role"]):
            known = set(ctx.org_counts) | ctx.headline_orgs
            lead = orgs.lead_org(ctx.text, ctx.names)
            found = h["org"] or orgs.role_org(ctx.text, h["role"], known | ({lead} if lead else set()))
            if found:
                return orgs.resolve_in(found, ctx, h["role"])
    return None


def finalize(raw: list[RawEvent], sentence_offsets: list[int],
             headline_roles: dict | None = None, ctx=None) -> list[StaffingEvent]:
    """Merge raw mentions into one event per (person, type, position) and set `historical`."""
    lead = historical.lead_offsets(sentence_offsets, ctx.text if ctx is not None else "", _NEWS_SENTENCES)
    _in_passing(raw, lead, ctx)
    # "Acme chief stepping down": the headline's unnamed role belongs to the news event
    for type_, (hrole, horg) in (headline_roles or {}).items():
        for ev in raw:
            if ev.type == type_ and (ev.role is None or _described(ev)) and _mention_hist(ev, lead) is not True \
                    and ev.offset in lead:
                ev.role = hrole
                ev.organisation = ev.organisation or horg
    # the fullest spelling of each person
    names: list[str] = []
    for ev in raw:
        for i, n in enumerate(names):
            if _same(n, ev.person):
                if len(key(ev.person)) > len(key(n)):
                    names[i] = ev.person
                break
        else:
            names.append(ev.person)

    def canon(name: str) -> str:
        return next((n for n in names if _same(n, name)), name)

    # partners share the position: same sentence, or the news appointment of the counterpart: "X named president to succeed Y"
    for ev in raw:
        if ev.role is None or ev.extra.get("role_src") == "article":
            for other in raw:
                if other is not ev and other.role and other.extra.get("role_src") == "trigger" \
                        and other.type != ev.type and (other.evidence == ev.evidence or (
                            ev.counterpart and _same(ev.counterpart, other.person)
                            and (other.counterpart is None and other.offset in lead and other.type == "appointment"
                                 or other.counterpart and _same(other.counterpart, ev.person)))) and (
                        (ev.counterpart and _same(ev.counterpart, other.person))
                        or (other.counterpart and _same(other.counterpart, ev.person))):
                    ev.role = other.role
                    # the organisation goes with the post taken over, not with whoever announced it
                    ev.organisation = other.organisation or ev.organisation
                    break
    # "The diplomat was appointed envoy in July ... has resigned": the post left is the one taken before
    for ev in raw:
        if ev.type == "departure" and ev.role is None and _mention_hist(ev, lead) is not True:
            before = [o for o in raw if o.type == "appointment" and o.role and o.extra.get("role_src") == "trigger"
                      and _same(o.person, ev.person) and _mention_hist(o, lead) is True]
            if len({o.role for o in before}) == 1:
                ev.role = before[0].role
                ev.organisation = ev.organisation or before[0].organisation
    # "his tenure as Ruritania's attorney general, until his resignation in 1990": the post of the tenure
    for ev in raw:
        if ev.type == "departure" and ev.role is None:
            found = {m for m in (_tenure_post(t) for t in _TENURE_AS.finditer(ev.evidence)) if m}
            if len(found) == 1:
                ev.role, org = found.pop()
                ev.organisation = ev.organisation or org
    # an undated later mention continues the news only for the same kind of move, or when it shares
    # a sentence with the news ("X quit A to join B"): a news departure does not make the person's
    # earlier career ("was reassigned", "went on to become") news
    news_moves = {(canon(ev.person), ev.type) for ev in raw if _mention_hist(ev, lead) is False}
    news_sentences = {(canon(ev.person), ev.evidence) for ev in raw if _mention_hist(ev, lead) is False}
    groups: list[dict] = []
    for ev in raw:
        person = canon(ev.person)
        when = _when(ev, lead)
        for g in groups:
            if g["person"] == person and g["type"] == ev.type and _same_role(g["role"], ev.role) \
                    and not (when and g["when"] and when != g["when"]):
                break
        else:
            g = {"person": person, "type": ev.type, "role": None, "org": None, "cp": None,
                 "when": None, "mentions": []}
            groups.append(g)
        g["when"] = g["when"] or when
        g["role"] = g["role"] or ev.role
        g["org"] = g["org"] or ev.organisation
        g["cp"] = g["cp"] or (canon(ev.counterpart) if ev.counterpart else None)
        g["mentions"].append(ev)
    people = ctx.names.persons if ctx is not None else frozenset()
    stated = {(g["org"] or "").lower(): g["org"] for g in groups if g["org"] and _plausible_person(g["person"], people)}
    only_org = next(iter(stated.values())) if len(stated) == 1 else None
    out: list[StaffingEvent] = []
    weak_news: list[bool] = []       # per event of ``out``: news only by its place in the text
    for g in groups:
        if not _plausible_person(g["person"], people):
            continue
        flags = [_mention_hist(ev, lead) for ev in g["mentions"]]
        if any(f is False for f in flags):
            hist = False
        elif any(f is True for f in flags):
            hist = True
        else:
            news = (g["person"], g["type"]) in news_moves or any(
                (g["person"], ev.evidence) in news_sentences for ev in g["mentions"])
            hist = not news and min(ev.offset for ev in g["mentions"]) not in lead
        if all(ev.extra.get("role_src") == "destination" for ev in g["mentions"]):
            # "his departure, to the firm of X": the move to X is as new as the departure
            left = [o for o in raw if o.type == "departure" and canon(o.person) == g["person"]]
            if any(_mention_hist(o, lead) is False for o in left):
                hist = False
        best = min(g["mentions"], key=lambda ev: (flags[g["mentions"].index(ev)] is not (not hist), -ev.confidence))
        conf = max(ev.confidence for ev in g["mentions"])
        conf = min(0.99, conf + 0.05 * (len(g["mentions"]) - 1) + (0.05 if g["role"] else 0))
        if g["cp"] and _same(g["cp"], g["person"]):
            g["cp"] = None
        if g["role"] is None and g["type"] == "appointment":
            g["role"] = _elected_member(g, ctx)
        g["org"] = orgs.not_the_person(g["org"], g["person"])
        if g["org"] is None and ctx is not None:
            found = orgs.person_org(ctx.text, g["role"], g["person"], set(ctx.org_counts) | ctx.headline_orgs)
            found = orgs.resolve_in(found, ctx, g["role"]) if found else None
            g["org"] = found or _partner_org(g, groups, ctx) or _article_org(g["role"], ctx)
        if g["org"] is None:
            g["org"] = only_org              # the one organisation the article's moves name
        g["org"] = orgs.not_the_person(g["org"], g["person"])
        # news only because it stands early in the text: no headline, no present or dated clause
        weak_news.append(not hist and not any(ev.in_title or ev.cue == "current" for ev in g["mentions"]))
        out.append(StaffingEvent(type=g["type"], person=g["person"], role=g["role"],
                                 organisation=g["org"], counterpart=g["cp"], historical=hist,
                                 evidence=best.evidence, confidence=round(conf, 3)))
    return _taken_before_left(out, weak_news)


def _taken_before_left(out: list[StaffingEvent], weak_news: list[bool]) -> list[StaffingEvent]:
    """A post whose leaving is the news was taken before: the appointment to that same post (same
    role words, same or no organisation) is background unless its own clause says it is news
    ("Chancellor Varga steps down ... She came to power in a landslide")."""
    for i, (ev, weak) in enumerate(zip(out, weak_news)):
        if ev.type != "appointment" or ev.historical or not weak:
            continue
        if any(o.type == "departure" and not o.historical and o.person == ev.person
               and o.evidence != ev.evidence and _same_post(o, ev) for o in out):
            out[i] = replace(ev, historical=True)
    return out


def _same_post(a: StaffingEvent, b: StaffingEvent) -> bool:
    if (a.role is None) != (b.role is None) or not _same_role(a.role, b.role):
        return False
    oa, ob = (a.organisation or "").lower(), (b.organisation or "").lower()
    return oa == ob or bool(oa and ob and (oa in ob or ob in oa))
