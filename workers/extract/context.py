"""What the rules know about an article, and the raw events they produce."""
from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from datetime import datetime

from .names import NameTable


@dataclass
class Context:
    """What the rules know about the article beyond one sentence."""

    names: NameTable
    titles: dict = field(default_factory=dict)            # name as mentioned -> title seen in text
    former_titles: dict = field(default_factory=dict)     # name -> title written with "former"
    headline_roles: dict = field(default_factory=dict)    # type -> (role, org) of an unnamed headline subject
    published: datetime | None = None
    collective: bool = False
    title_end: int = 0                                   # text offsets [0, title_end) are the headline
    text: str = ""                                       # the whole article (headline first)
    leaders: dict | None = None                          # surname -> organisation the person leads (lazy)
    unnamed_leader: str | None = None                    # organisation of "the X leader", when one
    org_counts: Counter = field(default_factory=Counter)  # organisation entities of parsed sentences
    headline_orgs: set = field(default_factory=set)

@dataclass
class RawEvent:
    type: str
    person: str
    role: str | None
    organisation: str | None
    counterpart: str | None
    evidence: str
    offset: int                                          # article offset of the sentence
    cue: str | None = None                               # 'past' | 'current' | None
    background: bool = False
    confidence: float = 0.7
    in_title: bool = False
    extra: dict = field(default_factory=dict)


# --- person resolution -------------------------------------------------------------------------
