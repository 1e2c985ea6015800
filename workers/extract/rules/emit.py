"""Building raw events from a trigger and the people it governs."""
from __future__ import annotations

import re

from spacy.tokens import Token

from .. import historical, orgs
from ..context import Context, RawEvent
from ..persons import persons
from ..syntax import subject_of
from .slots import article_role, fill


def event(type_: str, name: str, role, org, cp, v: Token, ctx: Context, conf: float,
           role_src: str = "trigger") -> RawEvent:
    sent = v.sent
    off = v.doc.user_data.get("aidewatch_offset", 0) + sent.start_char
    evidence = None
    if "aidewatch_offset" in v.doc.user_data:       # one regex sentence per Doc: keep it whole
        sent, off = v.doc[:], v.doc.user_data["aidewatch_offset"]
        evidence = v.doc.user_data.get("aidewatch_evidence")
    if conf >= 0.6 and name not in ctx.names.event_people:
        ctx.names.event_people.append(name)
    if conf >= 0.6:
        ctx.names.event_types.setdefault(name, set()).add(type_)
    if role and re.search(r"\s[-–—]\s", role):
        role = re.split(r"\s[-–—]\s", role)[0].strip() or None    # "election chief - and deputy leader X"
    when = historical.cue(v, ctx.published)
    org = orgs.envoy_org(role, orgs.not_the_person(org, name), evidence or sent.text)
    org = orgs.resolve_in(org, ctx, role, at=off)
    if role is None:
        role = article_role(name, ctx, type_ == "departure", past=when == "past")
        role_src = "article"
    return RawEvent(type=type_, person=name, role=role, organisation=org, counterpart=cp,
                    evidence=evidence or sent.text.strip(), offset=off,
                    extra={"role_src": role_src, "trigger": v.text, "dated": historical.explicit_now(v),
                           "future": historical.announced_future(v)},
                    cue=when, background=historical.background_clause(v) and not historical.dated_now(v),
                    confidence=conf, in_title=off < ctx.title_end)


def subjects_leave(v: Token, role, org, ctx: Context, conf: float) -> list[RawEvent]:
    """Each person named as the subject of ``v`` leaves ``role`` at ``org`` (gaps filled from the person)."""
    return [event("departure", name, *fill(role, org, t, v), None, v, ctx, conf)
            for name, t in persons(subject_of(v), ctx)]
