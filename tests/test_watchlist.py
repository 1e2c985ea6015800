"""Watchlist matching of an event's person."""
from __future__ import annotations

from pathlib import Path

import pytest

from workers.model import StaffingEvent, WatchPerson
from workers.watchlist import match_watchlist, name_tokens

SEEDS = Path(__file__).resolve().parent.parent / "seeds"
FLETCHER = WatchPerson("Simon Fletcher", ("Mr Fletcher",), ("Labour",))
MURPHY = WatchPerson("Karie Murphy", ("Ms Murphy",), ("Labour",))
SMITH = WatchPerson("John Smith")
PEOPLE = [FLETCHER, MURPHY, SMITH]


def ev(person: str, organisation: str | None = None, counterpart: str | None = None) -> StaffingEvent:
    return StaffingEvent(type="departure", person=person, role="aide", organisation=organisation,
                         counterpart=counterpart, historical=False, evidence="...")


@pytest.mark.parametrize("person, expected", [
    ("Simon Fletcher", [FLETCHER]),
    ("simon fletcher", [FLETCHER]),
    ("Mr Simon Fletcher", [FLETCHER]),
    ("Símon Flétcher", [FLETCHER]),
    ("Simon Fletcher MP", [FLETCHER]),
    ("Simon J. Fletcher", [FLETCHER]),
    ("John Smith", [SMITH]),
    ("John Smithson", []),
    ("Jon Smith", []),
    ("Smith", []),          # no text to confirm the full name
    ("Fletcher", []),
    ("Sir", []),
    ("", []),
])
def test_full_names(person, expected):
    assert match_watchlist(ev(person), PEOPLE) == expected


def test_surname_and_honorific_alias_need_the_full_name_in_the_text():
    text = "Simon Fletcher is leaving. Mr Fletcher said he was proud."
    assert match_watchlist(ev("Fletcher"), PEOPLE, text) == [FLETCHER]
    assert match_watchlist(ev("Mr Fletcher"), PEOPLE, text) == [FLETCHER]
    other = "Ben Fletcher, a councillor, stood down. Fletcher said little."
    assert match_watchlist(ev("Fletcher"), PEOPLE, other) == []
    assert match_watchlist(ev("Smith"), PEOPLE, "JOHN SMITH'S exit: Smith quits") == [SMITH]
    assert match_watchlist(ev("Smith"), PEOPLE, "John Smithson quits; Smith said") == []


def test_only_the_person_field_is_matched():
    e = ev("Jennie Formby", organisation="Labour", counterpart="Simon Fletcher")
    assert match_watchlist(e, PEOPLE, "Simon Fletcher was replaced by Jennie Formby") == []


@pytest.mark.parametrize("organisation, expected", [
    (None, [FLETCHER]),
    ("Labour", [FLETCHER]),
    ("the Labour leader's office", [FLETCHER]),
    ("labour party", [FLETCHER]),
    ("Fiat Auto", []),
    ("The Party", []),   # stopwords alone never overlap
])
def test_organisation_scope(organisation, expected):
    assert match_watchlist(ev("Simon Fletcher", organisation), PEOPLE) == expected


def test_unscoped_person_matches_any_organisation():
    assert match_watchlist(ev("John Smith", "Fiat Auto"), PEOPLE) == [SMITH]


def test_full_alias_and_one_word_names():
    maiden = WatchPerson("Jane Doe", ("Jane Roe",))
    mononym = WatchPerson("Banksy")
    assert match_watchlist(ev("Jane Roe"), [maiden, mononym]) == [maiden]
    assert match_watchlist(ev("Banksy"), [maiden, mononym]) == [mononym]
    assert match_watchlist(ev("Doe"), [maiden], "Jane Roe, now Doe, left") == [maiden]


def test_name_tokens():
    assert name_tokens("Baroness Jenny Chapman") == ["jenny", "chapman"]
    assert name_tokens("Ms O'Neill-Smith") == ["o", "neill", "smith"]


def test_seed_watchlist_against_seed_text():
    from workers.config_files import load_watchlist_toml
    people = load_watchlist_toml(SEEDS / "watchlist.toml")
    text = (SEEDS / "000_39eb890eb2b64ca7.txt").read_text(encoding="utf-8")
    assert [p.name for p in match_watchlist(ev("Fletcher", "Labour"), people, text)] == ["Simon Fletcher"]
    assert [p.name for p in match_watchlist(ev("Karie Murphy"), people, text)] == ["Karie Murphy"]
