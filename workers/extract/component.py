"""The spaCy component `staffing_events`: parse -> rules -> doc._.staffing_events."""
from __future__ import annotations

import re

from spacy.language import Language
from spacy.tokens import Doc

from . import events, lexicon, names, orgs, prefilter, rules, scoring
from . import patterns as patterns_mod

CTX_KEY = "aidewatch_ctx"
OFFSET_KEY = "aidewatch_offset"
RAW_KEY = "aidewatch_raw"
TITLE_KEY = "aidewatch_title"            # a whole-article Doc: its headline, publication date and id
PUBLISHED_KEY = "aidewatch_published"
ID_KEY = "aidewatch_id"

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

    def __init__(self, nlp: Language, name: str = "staffing_events", patterns: str | None = None):
        self.name = name
        self.nlp = nlp
        self.lexicon = lexicon
        self.patterns_path = patterns
        self.patterns: patterns_mod.ArgumentPatterns | None = None

    def initialize(self, get_examples=None, *, nlp: Language | None = None, patterns: str | None = None) -> None:
        """Load the argument patterns (data/patterns.jsonl unless a path is configured)."""
        self.patterns_path = patterns or self.patterns_path
        vocab = (nlp or self.nlp).vocab
        self.patterns = patterns_mod.ArgumentPatterns(vocab, patterns_mod.load(self.patterns_path))

    def __call__(self, doc: Doc) -> Doc:
        ctx = doc.user_data.get(CTX_KEY)
        if ctx is None:
            # a whole article: the article path (trigger sentences parsed one by one, names linked
            # across the article), so nlp(text) and extract_events(nlp, text) give the same events
            from . import extract_events
            doc._.staffing_events = extract_events(self.nlp, doc.text, title=doc.user_data.get(TITLE_KEY),
                                                   published=doc.user_data.get(PUBLISHED_KEY))
            return doc
        if self.patterns is None:
            self.initialize()
        base = doc.user_data.get(OFFSET_KEY, 0)
        for ent in doc.ents:
            if ent.label_ == "PERSON":
                ctx.names.add_person(ent.text, base + ent.start_char)
        orgs.count_orgs(doc, ctx.org_counts, ctx.names)
        if base < ctx.title_end:
            ctx.headline_orgs.update(e.text for e in doc.ents if e.label_ == "ORG")
        raw = rules.extract_doc(doc, ctx) + self.patterns.extract(doc, ctx, rules.pattern_event)
        doc.user_data[RAW_KEY] = raw
        offsets = [doc.user_data.get(OFFSET_KEY, 0) + s.start_char for s in doc.sents]
        doc._.staffing_events = events.finalize(raw, offsets, ctx.headline_roles, ctx)
        return doc


    def score(self, examples, **kwargs) -> dict:
        """Event precision, recall and F1 (the project scorer's rules) for `nlp.evaluate`: gold events
        are the reference Doc's ``doc._.staffing_events`` (dicts or StaffingEvents)."""
        return scoring.score([(eg.reference.user_data.get(ID_KEY, str(i)), eg.predicted._.staffing_events or [],
                               eg.reference._.staffing_events or []) for i, eg in enumerate(examples)])


@Language.factory("staffing_events", assigns=["doc._.staffing_events"], default_config={"patterns": None},
                  default_score_weights={"events_f": 1.0, "events_p": 0.0, "events_r": 0.0})
def make_staffing_events(nlp: Language, name: str, patterns: str | None) -> StaffingEventsComponent:
    """`patterns`: a DependencyMatcher patterns file (JSONL) instead of the packaged data/patterns.jsonl."""
    return StaffingEventsComponent(nlp, name, patterns)


__all__ = ["StaffingEventsComponent", "context_for", "prefilter"]
