"""Builds the storage CommitPolicy from the pure dedup, merge and watchlist stages."""
from __future__ import annotations

import numpy as np

from storage import CommitPolicy, Fingerprint
from workers import event_merge, fingerprint, stories
from workers.watchlist import match_watchlist

from . import runtime


def pack(signature) -> bytes:
    return np.asarray(signature, dtype=np.uint64).tobytes()


def unpack(data: bytes) -> list[int]:
    return np.frombuffer(data, dtype=np.uint64).tolist()


def make_fingerprint(text: str, title: str | None, *, undated: bool = False) -> Fingerprint:
    """Everything the dedup index keeps of an article's text (``undated``: no publication date known)."""
    norm = fingerprint.normalise_text(text)
    sig = fingerprint.minhash_signature(text, normalised=norm)
    profile = stories.story_profile(text, title, undated=undated)
    return Fingerprint(content_hash=fingerprint.content_hash(text, normalised=norm), minhash=pack(sig),
                       band_keys=fingerprint.band_keys(sig), profile=profile,
                       terms=stories.index_terms(profile), undated=undated)


def make_policy() -> CommitPolicy:
    s = runtime.settings()
    people = runtime.watchlist()
    return CommitPolicy(
        similarity=lambda a, b: fingerprint.jaccard(unpack(a), unpack(b)),
        near_dup_threshold=fingerprint.NEAR_DUP_THRESHOLD,
        match_stories=stories.matching_stories,
        same_event=lambda a, b, days, story: event_merge.same_event(a, b, days_apart=days, same_story=story),
        merge_key=event_merge.merge_key,
        absorb=event_merge.absorb,
        watch_match=lambda ev, text: [p.name for p in match_watchlist(ev, people, text)],
        channels=s.alert_urls or ("log://",),
        alert_max_age_days=s.alert_max_age_days,
        story_window_days=stories.STORY_WINDOW_DAYS,
    )
