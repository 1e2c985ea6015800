"""Scores of extracted staffing events against gold, the project scorer's rules (see the definition).

One unit per (article, person, type); names match when equal after lower-casing and removing
honorifics and punctuation, or with equal surnames and equal or missing first names or initials.
Used by the component's `score` method, so `nlp.evaluate` reports event precision, recall and F1.
"""
from __future__ import annotations

import re

HONORIFICS = {"mr", "mrs", "ms", "miss", "dr", "sir", "dame", "lord", "lady", "baroness", "baron",
              "prof", "professor", "rev", "hon", "rt"}
STOP = {"the", "of", "a", "an", "and", "for", "to", "at", "in", "on", "s", "its", "his", "her", "their"}


def name_tokens(name: str | None) -> list[str]:
    words = re.sub(r"[^\w\s-]", " ", (name or "").lower().replace("'s", " ")).replace("-", " ").split()
    return [w for w in words if w not in HONORIFICS]


def same_person(a: str | None, b: str | None) -> bool:
    ta, tb = name_tokens(a), name_tokens(b)
    if not ta or not tb:
        return False
    if ta == tb:
        return True
    if len(ta) == 1 or len(tb) == 1:
        one, other = (ta, tb) if len(ta) == 1 else (tb, ta)
        return one[0] in (other[0], other[-1])
    return ta[-1] == tb[-1] and (ta[0] == tb[0] or ta[0][0] == tb[0][0])


def content_words(text: str | None) -> set[str]:
    return {w for w in re.sub(r"[^\w\s]", " ", (text or "").lower()).split() if w not in STOP}


def agrees(gold: str | None, pred: str | None) -> bool:
    g, p = content_words(gold), content_words(pred)
    return bool(p) and 2 * len(g & p) / (len(g) + len(p)) >= 0.5


def units(events: list[dict]) -> list[dict]:
    """One unit per (person, type), with every role, organisation and the historical flag."""
    out: list[dict] = []
    for e in events:
        for u in out:
            if u["type"] == e["type"] and same_person(u["person"], e["person"]):
                break
        else:
            u = {"type": e["type"], "person": e["person"], "roles": [], "orgs": [], "historical": True}
            out.append(u)
        if len(name_tokens(e["person"])) > len(name_tokens(u["person"])):
            u["person"] = e["person"]
        u["roles"].append(e.get("role"))
        u["orgs"].append(e.get("organisation"))
        u["historical"] = u["historical"] and bool(e.get("historical"))
    return out


def match(gold: list[dict], pred: list[dict]) -> list[tuple[int, int]]:
    """One-to-one pairs on type and name: exact names first, then looser ones."""
    pairs, used_g, used_p = [], set(), set()
    for strict in (True, False):
        for gi, g in enumerate(gold):
            if gi in used_g:
                continue
            for pi, p in enumerate(pred):
                if pi in used_p or p["type"] != g["type"]:
                    continue
                ok = name_tokens(p["person"]) == name_tokens(g["person"]) if strict \
                    else same_person(p["person"], g["person"])
                if ok:
                    pairs.append((gi, pi))
                    used_g.add(gi)
                    used_p.add(pi)
                    break
    return pairs


def as_dict(event) -> dict:
    """A StaffingEvent (or a gold dict) as the dict the scorer reads."""
    if isinstance(event, dict):
        return event
    return {"type": event.type, "person": event.person, "role": event.role,
            "organisation": event.organisation, "historical": event.historical}


def score(articles: list[tuple[str, list, list]]) -> dict:
    """Scores over (article id, predicted events, gold events) triples, with the misses and extras."""
    tp = fp = fn = 0
    role, org, hist = [0, 0], [0, 0], [0, 0]
    errors = []
    for art_id, predicted, gold_events in articles:
        pred = units([as_dict(e) for e in predicted])
        gold = units([as_dict(e) for e in gold_events])
        pairs = match(gold, pred)
        tp += len(pairs)
        fp += len(pred) - len(pairs)
        fn += len(gold) - len(pairs)
        for gi, pi in pairs:
            g, p = gold[gi], pred[pi]
            for tally, gvals, pvals in ((role, g["roles"], p["roles"]), (org, g["orgs"], p["orgs"])):
                gvals = [r for r in gvals if content_words(r)]
                if gvals:
                    tally[0] += any(agrees(r, q) for r in gvals for q in pvals)
                    tally[1] += 1
            hist[0] += g["historical"] == p["historical"]
            hist[1] += 1
        mg, mp = {gi for gi, _ in pairs}, {pi for _, pi in pairs}
        errors += [(art_id, "missed", g["type"], g["person"]) for i, g in enumerate(gold) if i not in mg]
        errors += [(art_id, "extra", p["type"], p["person"]) for i, p in enumerate(pred) if i not in mp]
    precision = tp / (tp + fp) if tp + fp else 0.0
    recall = tp / (tp + fn) if tp + fn else 0.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return {"events_p": precision, "events_r": recall, "events_f": f1,
            "events_role_agreement": role[0] / role[1] if role[1] else 0.0,
            "events_organisation_agreement": org[0] / org[1] if org[1] else 0.0,
            "events_historical_accuracy": hist[0] / hist[1] if hist[1] else 0.0,
            "events_errors": errors}
