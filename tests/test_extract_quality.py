"""Quality gate for staffing-event extraction, the way trafilatura gates its extractor.

Runs `nlp.evaluate` over tests/quality/extraction_cases.jsonl (short articles written for this
project, plus the seed articles with their gold): the `staffing_events` component processes each
article as `extract_events` does, and its `score` method (workers/extract/scoring.py, the project
scorer's matching rules) gives the figures. Fails when precision, recall, F1, role agreement or
historical accuracy fall below the floors pinned in tests/quality/floors.json.

    python tests/test_extract_quality.py      # print the figures and every miss / extra
"""
from __future__ import annotations

import json
import sys
from datetime import datetime
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
CASES = ROOT / "tests" / "quality" / "extraction_cases.jsonl"
FLOORS = ROOT / "tests" / "quality" / "floors.json"

def load_cases():
    cases = [json.loads(line) for line in CASES.read_text(encoding="utf-8").splitlines() if line.strip()]
    for case in cases:
        if case.get("seed_file"):
            case["text"] = (ROOT / case["seed_file"]).read_text(encoding="utf-8")
    return cases


def examples(nlp, cases):
    """spaCy Examples: the predicted Doc carries the headline and date, the reference the gold events."""
    from spacy.training import Example

    from workers.extract.component import ID_KEY, PUBLISHED_KEY, TITLE_KEY

    out = []
    for case in cases:
        predicted, reference = nlp.make_doc(case["text"]), nlp.make_doc(case["text"])
        predicted.user_data[TITLE_KEY] = case.get("title")
        predicted.user_data[PUBLISHED_KEY] = datetime.fromisoformat(case["published"]) if case.get("published") else None
        reference.user_data[ID_KEY] = case["id"]
        reference._.staffing_events = case["events"]
        out.append(Example(predicted, reference))
    return out


def evaluate(nlp, cases):
    """`nlp.evaluate` drives the gate: the component's `score` gives the figures and every miss / extra."""
    scores = nlp.evaluate(examples(nlp, cases))
    report = scores["events_errors"]
    return {"precision": scores["events_p"], "recall": scores["events_r"], "f1": scores["events_f"],
            "role_agreement": scores["events_role_agreement"],
            "organisation_agreement": scores["events_organisation_agreement"],
            "historical_accuracy": scores["events_historical_accuracy"]}, report


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
