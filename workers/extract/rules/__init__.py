"""Dependency rules: from a trigger token to (person, type, role, organisation, counterpart).

By concept: `senses` (is this verb use a staffing change), `slots` (where the person, role and
organisation stand), `emit` (building the event), and the trigger families `verbs`, `nouns`,
`seats`, `tenure`."""
from __future__ import annotations

from spacy.tokens import Doc, Token

from ..context import Context, RawEvent
from ..lexicon import APPOINT_NOUNS, APPOINT_OBJ, DEPART_NOUNS, DEPART_OBJ, DEPART_SUBJ
from ..syntax import child, trigger_lemma
from .emit import event
from .nouns import from_adjective, from_newly, from_noun
from .seats import from_candidacy, from_lost_seat, from_not_standing, from_vacancy
from .slots import fill, trigger_role
from .tenure import from_dropped_role, from_ended_tenure, from_tenure
from .verbs import from_exception, from_verb

_VERB_LEMMAS = DEPART_SUBJ | DEPART_OBJ | APPOINT_OBJ | {"replace", "succeed", "join", "rejoin"}

__all__ = ["Context", "RawEvent", "extract_doc", "pattern_event"]


def extract_doc(doc: Doc, ctx: Context) -> list[RawEvent]:
    """All raw events of a parsed doc (a sentence, a window or a whole article)."""
    out: list[RawEvent] = []
    for tok in doc:
        if tok.pos_ in ("VERB", "AUX") or tok.tag_.startswith("VB"):
            out += from_verb(tok, ctx)
            out += from_not_standing(tok, ctx)
            out += from_exception(tok, ctx)
            out += from_tenure(tok, ctx)
            out += from_ended_tenure(tok, ctx)
            out += from_dropped_role(tok, ctx)
            out += from_lost_seat(tok, ctx)
            out += from_candidacy(tok, ctx)
        elif tok.pos_ in ("NOUN", "PROPN") and tok.dep_ == "ROOT" and child(tok, "nsubj") is not None \
                and trigger_lemma(tok) in _VERB_LEMMAS:
            out += from_verb(tok, ctx)           # "X and Y resign from ...": a verb tagged as a noun
        elif tok.pos_ in ("NOUN", "PROPN"):
            lemma = trigger_lemma(tok)
            ctx.names.want_type = "departure" if lemma in DEPART_NOUNS else (
                "appointment" if lemma in APPOINT_NOUNS else None)
            out += from_noun(tok, ctx)
            ctx.names.want_type = None
        elif tok.pos_ == "ADJ":
            out += from_adjective(tok, ctx)
        if tok.dep_ == "amod" and tok.lemma_.lower() in APPOINT_OBJ and any(
                c.lower_ in ("newly", "recently", "just") for c in tok.children):
            out += from_newly(tok, ctx)
        if tok.lemma_ in ("fill", "vacate"):
            out += from_vacancy(tok, ctx)
    return out


def pattern_event(type_: str, name: str, tok: Token, role, org, v: Token, ctx: Context) -> RawEvent:
    """An event of a DependencyMatcher pattern (patterns.py): gaps filled from the person's title."""
    if role is None:
        role, org = trigger_role(v)          # "entered the cabinet as transport secretary"
    r, o = fill(role, org, tok, v, appointment=type_ == "appointment")
    return event(type_, name, r, o, None, v, ctx, 0.7 if tok.ent_type_ == "PERSON" else 0.55)
