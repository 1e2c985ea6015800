"""The attribute ruler's matches found by table lookup instead of spaCy's Matcher.

The English model's ``attribute_ruler`` holds 179 patterns (its tag map and exceptions such as "I",
"'s" or "not"). spaCy's Matcher tries each of them at every token: a fifth of the CPU of the model's
components here. Nearly all are one token whose attributes must equal a value or be in a list
(``{"TAG": "VBZ", "LOWER": {"IN": ["is", "'s"]}}``), sometimes with a ``NOT_IN`` beside them:
`AttributeLookup` finds those by looking each token's values up in a table, leaves the others
(several tokens, ``REGEX``) to a Matcher of their own, and returns the same matches in the same
order as ``AttributeRuler.match``, so ``set_annotations`` is unchanged (tests/test_extract.py
compares both on text).
"""
from __future__ import annotations

import itertools
from operator import itemgetter

from spacy import attrs as spacy_attrs
from spacy.matcher import Matcher
from spacy.pipeline import AttributeRuler
from spacy.tokens import Doc

# token attributes a lookup can read with Doc.to_array (string attributes as hashes, flags as 0/1)
_KEYS = ("ORTH", "LOWER", "NORM", "TAG", "POS", "DEP", "LEMMA", "SHAPE", "ENT_TYPE", "IS_SPACE",
         "IS_PUNCT", "IS_ALPHA", "IS_DIGIT", "IS_TITLE", "IS_UPPER", "IS_LOWER")
_ALIASES = {"TEXT": "ORTH"}


def _values(key: str, value) -> list | None:
    """The values a token attribute may take under ``value`` (a plain value or ``{"IN": [...]}``)."""
    flag = key.startswith("IS_")
    if isinstance(value, dict):
        if set(value) != {"IN"} or not isinstance(value["IN"], (list, tuple)):
            return None
        options = list(value["IN"])
    else:
        options = [value]
    if not options or any(isinstance(v, bool) != flag or not isinstance(v, (str, bool)) for v in options):
        return None
    return options


def _plan(spec: dict) -> tuple[dict[str, list], dict[str, list]] | None:
    """({key: allowed values}, {key: excluded values}) of a one-token pattern a lookup can answer
    (at least one key with allowed values), else None."""
    allowed: dict[str, list] = {}
    excluded: dict[str, list] = {}
    for raw_key, value in spec.items():
        key = _ALIASES.get(raw_key, raw_key)
        if key not in _KEYS or key in allowed or key in excluded:
            return None
        if isinstance(value, dict) and set(value) == {"NOT_IN"} and not key.startswith("IS_") \
                and isinstance(value["NOT_IN"], (list, tuple)) \
                and all(isinstance(v, str) for v in value["NOT_IN"]):
            excluded[key] = list(value["NOT_IN"])
            continue
        options = _values(key, value)
        if options is None:
            return None
        allowed[key] = options
    return (allowed, excluded) if allowed else None


class AttributeLookup:
    """``match(doc)`` of an AttributeRuler: one-token patterns by lookup, the others by a Matcher."""

    def __init__(self, ruler: AttributeRuler):
        strings = ruler.vocab.strings

        def code(key: str, value) -> int:
            return int(value) if key.startswith("IS_") else strings.add(value)

        tables: dict[tuple[str, ...], dict] = {}
        self.rest = Matcher(ruler.vocab)
        for attr_id, entry in enumerate(ruler.patterns):
            match_id = strings.add(str(attr_id))
            rest = []
            for pattern in entry["patterns"]:
                plan = _plan(pattern[0]) if len(pattern) == 1 else None
                if plan is None:
                    rest.append(pattern)
                    continue
                allowed, excluded = plan
                keys = tuple(sorted(allowed))
                table = tables.setdefault(keys, {})
                ruled_out = tuple((k, frozenset(code(k, v) for v in vs)) for k, vs in sorted(excluded.items()))
                for combo in itertools.product(*([code(k, v) for v in allowed[k]] for k in keys)):
                    hits = table.setdefault(combo if len(combo) > 1 else combo[0], [])
                    if (attr_id, match_id, ruled_out) not in hits:
                        hits.append((attr_id, match_id, ruled_out))
            if rest:
                self.rest.add(str(attr_id), rest)
        used = sorted({k for keys in tables for k in keys}
                      | {k for table in tables.values() for hits in table.values()
                         for *_, ruled_out in hits for k, _ in ruled_out})
        self._columns = [getattr(spacy_attrs, k) for k in used]
        column = {k: i for i, k in enumerate(used)}
        self._groups = [(itemgetter(*(column[k] for k in keys)), table) for keys, table in tables.items()]
        self._column = column
        self._strings = strings

    def match(self, doc: Doc) -> list[tuple[int, int, int, int]]:
        """(attribute id, match id, start, end) of every match, sorted as AttributeRuler sorts them."""
        matches = []
        if self._groups and len(doc):
            column = self._column
            rows = doc.to_array(self._columns).reshape(len(doc), -1).tolist()  # one column comes flat
            for i, row in enumerate(rows):
                for values, table in self._groups:
                    hits = table.get(values(row))
                    if hits is None:
                        continue
                    for attr_id, match_id, ruled_out in hits:
                        if all(row[column[k]] not in vs for k, vs in ruled_out):
                            matches.append((attr_id, match_id, i, i + 1))
        if len(self.rest):
            strings = self._strings
            matches.extend((int(strings[m_id]), m_id, s, e)
                           for m_id, s, e in self.rest(doc, allow_missing=True, as_spans=False))
        matches.sort()
        return matches


def use_lookup(ruler: AttributeRuler) -> AttributeLookup:
    """Make ``ruler`` find its matches with an `AttributeLookup` (same matches, same annotations)."""
    lookup = AttributeLookup(ruler)
    ruler.match = lookup.match
    return lookup
