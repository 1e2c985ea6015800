"""The spaCy component `staffing_events`: parse -> rules -> doc._.staffing_events."""
from __future__ import annotations

import re

from spacy.language import Language
from spacy.tokens import Doc

from . import events, lexicon, names, orgs, prefilter, rules

CTX_KEY = "aidewatch_ctx"
OFFSET_KEY = "aidewatch_offset"
RAW_KEY = "aidewatch_raw"

if not Doc.has_extension("staffing_events"):
    Doc.set_extension("staffing_events", default=None)


def context_for(text: str, published=None, title_end: int = 0) -> rules.Context:
    """Article-level context: the name table, publication date, collective-departure flag."""
    table = names.collect(text)
    table.title_end = title_end
    from .roles import article_titles
    former: dict = {}
    titles = article_titles(text, table.mentions, former)
    return rules.Context(names=table, titles=titles, former_titles=former, published=published,
                         collective=bool(re.search(lexicon.COLLECTIVE_DEPARTURE, text, re.I)),
                         title_end=title_end, text=text)


class StaffingEventsComponent:
    """Finds appointments and departures in a parsed Doc.

    When the caller stored an article context in ``doc.user_data`` (one Doc per trigger sentence of
    a longer article), names are linked across the whole article; otherwise the Doc is the article.
    """

    def __init__(self, nlp: Language, name: str = "staffing_events"):
        self.name = name
        self.lexicon = lexicon

    def __call__(self, doc: Doc) -> Doc:
        ctx = doc.user_data.get(CTX_KEY)
        standalone = ctx is None
        if standalone:
            ctx = context_for(doc.text)
        base = doc.user_data.get(OFFSET_KEY, 0)
        for ent in doc.ents:
            if ent.label_ == "PERSON":
                ctx.names.add_person(ent.text, base + ent.start_char)
        orgs.count_orgs(doc, ctx.org_counts, ctx.names)
        if base < ctx.title_end:
            ctx.headline_orgs.update(e.text for e in doc.ents if e.label_ == "ORG")
        raw = rules.extract_doc(doc, ctx)
        doc.user_data[RAW_KEY] = raw
        offsets = [doc.user_data.get(OFFSET_KEY, 0) + s.start_char for s in doc.sents]
        doc._.staffing_events = events.finalize(raw, offsets, ctx.headline_roles, ctx)
        return doc


@Language.factory("staffing_events", assigns=["doc._.staffing_events"])
def make_staffing_events(nlp: Language, name: str) -> StaffingEventsComponent:
    return StaffingEventsComponent(nlp, name)


__all__ = ["StaffingEventsComponent", "context_for", "prefilter"]
