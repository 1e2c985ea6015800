"""Which words of a sentence make the role of a move, and which the person's description."""
from __future__ import annotations

from datetime import datetime

from workers.extract import extract_events


def run(nlp, text, title=None, published="2023-06-01"):
    return extract_events(nlp, text, title=title, published=datetime.fromisoformat(published))


def one(events, type_, surname):
    found = [e for e in events if e.type == type_ and e.person.split()[-1] == surname]
    assert len(found) == 1, events
    return found[0]


def test_post_named_by_the_trigger_wins_over_a_description(nlp):
    ev = run(nlp, "Mara Quell, a 61-year-old Liberal economics lecturer at Dunmore College, was named on "
                  "Monday to be the 12th director of the Harbour Planning Authority.")
    e = one(ev, "appointment", "Quell")
    assert e.role == "director"                        # not "old Liberal economics lecturer"
    assert e.organisation.endswith("Harbour Planning Authority")


def test_title_after_of_a_trigger_noun(nlp):
    ev = run(nlp, "Talks began after the resignation of Minister of Fisheries Tomas Elvander two days ago.")
    assert one(ev, "departure", "Elvander").role == "Minister of Fisheries"


def test_possessive_title_before_the_name_is_the_persons_title(nlp):
    ev = run(nlp, "Corvane Mills Inc said its chairman, R.T. Corvane, has handed in his resignation, "
                  "effective at once.")
    assert one(ev, "departure", "Corvane").role == "chairman"


def test_own_title_beats_a_group_noun(nlp):
    ev = run(nlp, "Ruth K. Allard, senior vice president, and Owen P. Marsh, treasurer, resigned as officers "
                  "of the company, Delmont Foods Inc said.")
    assert one(ev, "departure", "Allard").role.endswith("vice president")
    assert one(ev, "departure", "Marsh").role == "treasurer"


def test_role_stops_at_a_listed_name_and_a_comma_description(nlp):
    ev = run(nlp, "Halvers Group Inc said Nina Brook, chief financial officer, and Ostrander, a director, "
                  "resigned. Halvers also said Pia Lund and Ivo Rask were named senior vice presidents, "
                  "responsible for sales and for research, respectively.")
    assert one(ev, "departure", "Brook").role == "chief financial officer"
    assert one(ev, "appointment", "Lund").role.endswith("vice president")
    assert one(ev, "appointment", "Rask").role.endswith("vice president")


def test_gapped_second_appointment_does_not_join_the_first_role(nlp):
    ev = run(nlp, "Kellan Tools Corp said it named Ada Brill to the new post of vice chairman and Tomas Ek "
                  "president, succeeding Brill.")
    assert one(ev, "appointment", "Brill").role == "vice chairman"


def test_unit_named_with_the_post_holds_it(nlp):
    ev = run(nlp, "Orland Systems Corp said Lia Varga has been named president of its Tessel Corp subsidiary, "
                  "succeeding Piet Moor, who remains with Orland as an adviser.")
    assert one(ev, "appointment", "Varga").organisation == "Tessel Corp"
    assert one(ev, "departure", "Moor").organisation == "Tessel Corp"     # the post taken over


def test_untagged_possessor_is_the_organisation(nlp):
    from spacy.tokens import Span

    from workers.extract import roles
    doc = nlp("Quorlink's respected founder, Kenneth Ashby, left.")
    doc.ents = [Span(doc, 5, 7, label="PERSON")]          # the recogniser left the company untagged
    founder = next(t for t in doc if t.lower_ == "founder")
    assert roles.role_phrase(founder) == ("founder", "Quorlink")


def test_wire_company_telling_its_news_beats_a_frequent_other_company(nlp):
    text = ("<Harwick Lane Group Plc> said its profits fell because of its Norland Plc shares.\n"
            "Norland has faced an inquiry. Norland shares fell and Norland said it would cooperate.\n"
            "Harwick chief executive Paul Brent resigned in January over the Norland affair.")
    assert "Harwick" in one(run(nlp, text), "departure", "Brent").organisation


def test_election_without_a_post_elects_a_member(nlp):
    ev = run(nlp, "Young candidates have done well. Tory Hal Morrow was elected to Parliament in 1931 at 23.",
             title="MPs debate the voting age")
    assert one(ev, "appointment", "Morrow").role == "MP"


def test_departure_from_the_post_of_a_tenure(nlp):
    ev = run(nlp, "Gina Morel's experience stems from her long tenure as Wessex's chief prosecutor, from 1990 "
                  "until her resignation in 1996.")
    e = one(ev, "departure", "Morel")
    assert e.role == "chief prosecutor" and e.organisation == "Wessex"


def test_new_holder_described_in_a_story_about_something_else_is_background(nlp):
    ev = run(nlp, "Leaders gather for the summit on Monday. Moldavia's new president, Ilie Vornic, will also "
                  "be there, officials said.", title="Trade and climate top summit agenda")
    assert one(ev, "appointment", "Vornic").historical is True
    news = run(nlp, "Moldavia's new president, Ilie Vornic, was sworn in on Monday.",
               title="Vornic sworn in as Moldavia president")
    assert all(not e.historical for e in news if e.person.endswith("Vornic"))


def test_role_stops_before_the_next_subjects_title(nlp):
    ev = run(nlp, "Dunmore Press announced that Carl Ibsen had resigned as company president and the agency's "
                  "chairman, Rosa Tellez, a local publisher, would take over his duties.")
    assert one(ev, "departure", "Ibsen").role == "company president"


def test_indefinite_description_yields_to_the_headline_post(nlp):
    ev = run(nlp, "Moldavia's Minister for Fisheries resigned today.\nIlie Vornic, an economist, told reporters "
                  "he was stepping down for personal reasons.", title="MOLDAVIA FISHERIES MINISTER RESIGNS")
    assert "minister" in one(ev, "departure", "Vornic").role.lower()


def test_reported_past_perfect_is_the_news_not_background(nlp):
    ev = run(nlp, "Norra Wire Service announced that Lena Sorby had resigned as president, effective at once.",
             title="Norra president resigns")
    assert one(ev, "departure", "Sorby").historical is False


def test_move_before_which_something_happened_is_not_background_for_that(nlp):
    from workers.extract.historical import background_clause
    doc = nlp("The union sought a seat before Tom Hale's appointment.")
    appointment = next(t for t in doc if t.lower_ == "appointment")
    assert not background_clause(appointment)
    doc = nlp("The union sought a seat after Tom Hale's appointment.")
    assert background_clause(next(t for t in doc if t.lower_ == "appointment"))


def test_as_phrase_hung_on_the_replaced_person_names_the_post(nlp):
    ev = run(nlp, "Hal Brodie says Ian Kerr would be the ideal choice to succeed Piet Laan as Wales manager.")
    e = one(ev, "departure", "Laan")
    assert e.role == "manager" and e.organisation == "Wales"


def test_won_the_seat_in_a_story_about_mps_is_an_mp(nlp):
    ev = run(nlp, "Ex-presenter Ola Brandt is to contest Dunmore at the election. Labour's Nia Rees won the seat "
                  "in 2001 and says she will fight on her record as a hard-working MP.")
    assert one(ev, "appointment", "Rees").role == "MP"
