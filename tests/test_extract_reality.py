"""Factuality scoped to the trigger's own clause: presupposed moves are facts, unreal ones are not."""
from __future__ import annotations

from datetime import datetime

from workers.extract import extract_events


def people(nlp, text, type_="departure"):
    return [e.person for e in extract_events(nlp, text, published=datetime(2023, 6, 1)) if e.type == type_]


def test_move_in_a_temporal_phrase_is_a_fact_under_an_expectation(nlp):
    text = "The reshuffle, expected since the resignation of Transport Minister Ivo Kral, is due next month."
    assert people(nlp, text) == ["Ivo Kral"]


def test_pledge_made_after_someone_quit(nlp):
    assert people(nlp, "The pledge, made after finance director Lena Voss quit, was welcomed by staff.") == \
        ["Lena Voss"]


def test_denial_about_the_reasons_keeps_the_departure(nlp):
    text = "The party denied that the resignation of treasurer Omar Pike last week was linked to the audit."
    assert people(nlp, text) == ["Omar Pike"]


def test_denial_of_the_move_itself_is_no_event(nlp):
    assert people(nlp, "Treasurer Omar Pike denied he had resigned.") == []


def test_calls_and_campaigns_to_oust_are_no_events(nlp):
    assert people(nlp, "Rivals called for the resignation of Mayor Ivo Kral.") == []
    assert people(nlp, "Critics launched a campaign to oust chairman Ivo Kral.") == []
    assert people(nlp, "Shareholders sought to remove chief executive Mira Holm at the meeting.") == []


def test_planned_departure_is_announced_not_speculated(nlp):
    text = "On Saturday envoy Brett Lomax accelerated his planned departure and announced his resignation."
    assert people(nlp, text) == ["Brett Lomax"]
