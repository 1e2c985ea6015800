"""Quality gate for staffing-event extraction, the way trafilatura gates its extractor.

Runs `extract_events` over tests/quality/extraction_cases.jsonl (short articles written for this
project, plus the seed articles with their gold) and fails when precision, recall, F1, role agreement
or historical accuracy fall below the floors pinned in tests/quality/floors.json. Matching follows the
project's scorer: one unit per (article, person, type); names equal after lower-casing and removing
honorifics and punctuation, or equal surnames with equal or missing first names or equal initials.

    python tests/test_extract_quality.py      # print the figures and every miss / extra
"""
from __future__ import annotations

import json
import re
import sys
from datetime import datetime
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
CASES = ROOT / "tests" / "quality" / "extraction_cases.jsonl"
FLOORS = ROOT / "tests" / "quality" / "floors.json"

HONORIFICS = {"mr", "mrs", "ms", "miss", "dr", "sir", "dame", "lord", "lady", "baroness", "baron",
              "prof", "professor", "rev", "hon", "rt"}
STOP = {"the", "of", "a", "an", "and", "for", "to", "at", "in", "on", "s", "its", "his", "her", "their"}


def name_tokens(name):
    words = re.sub(r"[^\w\s-]", " ", (name or "").lower().replace("'s", " ")).replace("-", " ").split()
    return [w for w in words if w not in HONORIFICS]


def same_person(a, b):
    ta, tb = name_tokens(a), name_tokens(b)
    if not ta or not tb:
        return False
    if ta == tb:
        return True
    if len(ta) == 1 or len(tb) == 1:
        one, other = (ta, tb) if len(ta) == 1 else (tb, ta)
        return one[0] in (other[0], other[-1])
    return ta[-1] == tb[-1] and (ta[0] == tb[0] or ta[0][0] == tb[0][0])


def content_words(text):
    return {w for w in re.sub(r"[^\w\s]", " ", (text or "").lower()).split() if w not in STOP}


def role_agrees(gold, pred):
    g, p = content_words(gold), content_words(pred)
    return bool(p) and 2 * len(g & p) / (len(g) + len(p)) >= 0.5


def units(events):
    out = []
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


def match(gold, pred):
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


def load_cases():
    cases = [json.loads(line) for line in CASES.read_text(encoding="utf-8").splitlines() if line.strip()]
    for case in cases:
        if case.get("seed_file"):
            case["text"] = (ROOT / case["seed_file"]).read_text(encoding="utf-8")
    return cases


def evaluate(nlp, cases):
    """Scores over all cases, plus the per-case misses and extras for the report."""
    from workers.extract import extract_events

    tp = fp = fn = 0
    role = [0, 0]
    org = [0, 0]
    hist = [0, 0]
    report = []
    for case in cases:
        published = datetime.fromisoformat(case["published"]) if case.get("published") else None
        found = extract_events(nlp, case["text"], title=case.get("title"), published=published)
        pred = units([{"type": e.type, "person": e.person, "role": e.role, "organisation": e.organisation,
                       "historical": e.historical} for e in found])
        gold = units(case["events"])
        pairs = match(gold, pred)
        tp += len(pairs)
        fp += len(pred) - len(pairs)
        fn += len(gold) - len(pairs)
        for gi, pi in pairs:
            g, p = gold[gi], pred[pi]
            golds = [r for r in g["roles"] if content_words(r)]
            if golds:
                role[0] += any(role_agrees(r, q) for r in golds for q in p["roles"])
                role[1] += 1
            gorgs = [r for r in g["orgs"] if content_words(r)]
            if gorgs:
                org[0] += any(role_agrees(r, q) for r in gorgs for q in p["orgs"])
                org[1] += 1
            hist[0] += g["historical"] == p["historical"]
            hist[1] += 1
        mg, mp = {gi for gi, _ in pairs}, {pi for _, pi in pairs}
        report += [(case["id"], "missed", g["type"], g["person"]) for i, g in enumerate(gold) if i not in mg]
        report += [(case["id"], "extra", p["type"], p["person"]) for i, p in enumerate(pred) if i not in mp]
    precision = tp / (tp + fp) if tp + fp else 0.0
    recall = tp / (tp + fn) if tp + fn else 0.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    scores = {"precision": precision, "recall": recall, "f1": f1,
              "role_agreement": role[0] / role[1] if role[1] else 0.0,
              "organisation_agreement": org[0] / org[1] if org[1] else 0.0,
              "historical_accuracy": hist[0] / hist[1] if hist[1] else 0.0}
    return scores, report


@pytest.fixture(scope="module")
def scored():
    from workers.extract import load_pipeline

    return evaluate(load_pipeline(), load_cases())


@pytest.mark.parametrize("metric", ["precision", "recall", "f1", "role_agreement", "organisation_agreement",
                                    "historical_accuracy"])
def test_quality_floor(scored, metric):
    scores, report = scored
    floor = json.loads(FLOORS.read_text())[metric]
    assert scores[metric] >= floor, f"{metric} {scores[metric]:.3f} < floor {floor}; errors: {report}"


def test_every_seed_event_found(scored):
    _, report = scored
    missed = [r for r in report if r[0].startswith("seed-") and r[1] == "missed"]
    assert not missed, missed


def seed_cases_with_headlines():
    """The seed cases as the live pipeline sees them: with their headline and publication date."""
    meta = {}
    for line in (ROOT / "seeds" / "meta.jsonl").read_text(encoding="utf-8").splitlines():
        if line.strip():
            row = json.loads(line)
            meta[f"seeds/{row['id']}.txt"] = row
    out = []
    for case in load_cases():
        row = meta.get(case.get("seed_file"))
        if row:
            out.append(dict(case, id=case["id"] + "-headline", title=row["title"], published=row["published"]))
    return out


def test_every_seed_event_found_with_headlines():
    from workers.extract import load_pipeline

    cases = seed_cases_with_headlines()
    assert len(cases) == 3
    scores, report = evaluate(load_pipeline(), cases)
    assert not [r for r in report if r[1] == "missed"], report
    assert scores["historical_accuracy"] == 1.0, report


if __name__ == "__main__":
    sys.path.insert(0, str(ROOT))
    from workers.extract import load_pipeline

    scores, report = evaluate(load_pipeline(), load_cases())
    for row in report:
        print(*row, sep="\t")
    print(json.dumps({k: round(v, 4) for k, v in scores.items()}))
