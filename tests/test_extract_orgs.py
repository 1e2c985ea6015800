"""Organisations in their fullest form, the country of a government post, outlets quoted as sources."""
from __future__ import annotations

from collections import Counter
from datetime import datetime

from workers.extract import extract_events
from workers.extract.names import collect
from workers.extract.orgs import department_of, fullest, government_country, lead_org, main_org, quoted_outlet


def test_acronym_spelt_out_from_the_article():
    text = "The Pacific Cocoa Organization (PCO) said its council met. The PCO has 40 members."
    assert fullest("PCO", text) == "Pacific Cocoa Organization"
    assert fullest("DMC", "Shares of Dalton Mining Corp rose; DMC said ...") == "Dalton Mining Corp"
    assert fullest("XYZ", "Nothing spells it here.") == "XYZ"


def test_clipped_or_short_name_completed():
    text = "The Federal Reserve Board met on Tuesday. Later the Fed said rates would stay."
    assert fullest("Fed", text) == "Federal Reserve Board"
    text = "Harlow Textiles Inc said profits rose. Harlow Textiles Apparel Unit was sold."
    assert fullest("Harlow Textiles", text) == "Harlow Textiles Inc"     # the company, not a unit of it
    assert fullest("Brazil", "Brazilian Finance Minister Ana Lopes resigned.") == "Brazil"
    text = "Revenue fell at Talvo's networks, Talvo Channel among them. Marsh was named chairman of Talvo's unit."
    assert fullest("Talvo", text) == "Talvo"                   # its channel is not its fuller name


def test_government_post_takes_its_country():
    assert government_country("Planning Minister", "Chilean Planning Minister Luis Ortega resigned.") == "Chile"
    assert government_country("minister of trade", "PERU NAMES TRADE MINISTER.\nPresident X named Y.", 26) == "Peru"
    assert government_country("chief executive", "Chilean firm Z named a chief executive.") is None


def test_quoted_outlet_is_no_employer():
    text = "Ms Dale told the Daily Courier she had resigned. Daily Courier editor Sam Hoy declined to comment."
    assert not quoted_outlet("Daily Courier", text)        # an editor works there
    assert quoted_outlet("the Evening Herald", "The move was first reported by the Evening Herald.")


def test_main_org_skips_people_and_sources():
    names = collect("President Ruth Kane fired the head of the Port Authority, the Evening Herald reported.")
    names.add_person("Ruth Kane", 10)
    counts = Counter({"Kane": 1, "Port Authority": 1, "Evening Herald": 1})
    text = "President Ruth Kane fired the head of the Port Authority. Kane said so, the Evening Herald reported."
    assert main_org(counts, {"Kane", "Port Authority"}, text, names) == "Port Authority"
    assert main_org(Counter({"Evening Herald": 3}), set(), text, names) is None


def test_wire_lead_subject_is_the_organisation():
    names = collect("Ostrander Freight Lines, a unit of Kell Holdings Co, said Ada Brill was named president.")
    assert lead_org("Ostrander Freight Lines, a unit of Kell Holdings Co, said Ada Brill was named president.",
                    names) == "Ostrander Freight Lines"


def test_event_gets_the_fullest_organisation(nlp):
    text = ("The Andean Coffee Organization (ACO) said on Monday that Pedro Salas will take over as "
            "executive director in May. The ACO has 12 member states.")
    events = extract_events(nlp, text, published=datetime(1987, 3, 2))
    assert [e.person for e in events] == ["Pedro Salas"]
    assert events[0].organisation.endswith("Andean Coffee Organization")


def test_department_named_by_the_title():
    from workers.extract.orgs import department_of
    assert department_of("Home Secretary") == "Home Office"
    assert department_of("defense secretary", "He ran the Defense Department for two years.") == "Defense Department"
    assert department_of("chief executive") is None


def test_head_of_state_takes_the_country_not_the_legislature():
    text = ("Lutavia plans tax amnesty.\nLutavia is offering an amnesty to people who hid earnings. "
            "The country's new president has urged the Lutavian Parliament to approve it.")
    assert government_country("president", "Peruvian President Ana Soto spoke.", 0) == "Peru"
    assert government_country("president", "Acme president Ana Soto spoke.", 0) is None
    assert government_country("president", "Peru plans reform.\nThe new president spoke.", 19, loose=True) == "Peru"
    assert department_of("MP") == "Parliament" and department_of("MEP") == "European Parliament"
    assert text  # a made-up country is not known: nothing is guessed for it
    assert government_country("president", text, 26, loose=True) is None


def test_party_of_a_political_story():
    from workers.extract.orgs import party_of
    text = "Tory aide quits.\nThe Conservatives' press chief has resigned, the party said. Labour said nothing."
    assert party_of(text, 17) == "Conservative Party"
    assert party_of("Row over budget.\nLabour and the Tories clashed again.", 17) is None   # two: no guess


def test_opening_subject_called_its_is_an_organisation():
    from workers.extract.orgs import its_subject
    assert its_subject("Mabel Carrow is parting company with its finance director Ian Lee. More.") == "Mabel Carrow"
    assert its_subject("He said its plans were fine.") is None


def test_country_word_opens_an_organisation_name(nlp):
    ev = extract_events(nlp, "US Rowing has ended its search for a coach by appointing Ken Haldane.",
                        title="Haldane named US Rowing coach")
    assert any(e.organisation == "US Rowing" for e in ev)


def test_organisation_written_with_the_persons_own_title():
    from workers.extract.orgs import person_org
    text = ("Harbour Safety Panel chairman Ed Loyd said he regretted that Grain Council chairman Ivo Marsh "
            "had decided to step down.")
    assert person_org(text, "chairman", "Ivo Marsh", {"Grain Council", "Harbour Safety Panel"}) == "Grain Council"
    assert person_org("Ivo Marsh, chairman of Dorley Mills Inc, left.", "chairman", "Ivo Marsh") == "Dorley Mills Inc"


def test_old_post_organisation_is_not_the_new_posts(nlp):
    ev = extract_events(nlp, "The nominees are Ann Voss, chairman and chief executive of Telby Corp, and "
                             "two others, Perrin Tools Inc said.", title="Perrin Tools names board nominees")
    voss = [e for e in ev if e.person == "Ann Voss" and e.type == "appointment"]
    assert voss and all(e.organisation != "Telby Corp" for e in voss)


def test_headline_acronym_names_the_body_organisation():
    from workers.extract.orgs import _same_org
    assert _same_org("U.K. PTA", "U.K. Port Traffic Authority")
    assert not _same_org("PTA", "Northwold University")
    counts = Counter({"Northwold University": 1, "U.K. Port Traffic Authority": 1})
    assert main_org(counts, {"U.K. PTA"}, "") == "U.K. Port Traffic Authority"


def test_past_holders_listed_as_a_group_get_the_post():
    from workers.extract.roles import article_titles
    text = "Other former chairmen include Tom Reye, who served until 1970. Past presidents were Ann Bell."
    former: dict = {}
    assert article_titles(text, collect(text).mentions, former) == {}
    assert former == {"Tom Reye": "chairman", "Ann Bell": "president"}


def test_an_organisation_never_holds_the_persons_own_name():
    from workers.extract.orgs import not_the_person
    assert not_the_person("agronomist Henk Vlaar", "Henk Vlaar") is None
    assert not_the_person("Vlaar", "Vlaar") is None
    assert not_the_person("Vlaar Harbor Partners", "Tom Vlaar") == "Vlaar Harbor Partners"   # a firm named after him


def test_envoy_post_is_held_by_the_sending_state():
    from workers.extract.orgs import envoy_org
    assert envoy_org("ambassador to Norway", "the White House") == "United States"
    assert envoy_org("ambassador to the Netherlands", "Netherlands") is None
    assert envoy_org("special envoy for Ruritania", "State Department") == "State Department"
    assert envoy_org("chairman", "the White House") == "the White House"


def test_partnership_name_cut_at_its_and_is_completed():
    text = "Orrin and Tabb Group said Walter Kessing will join Orrin and Tabb as chairman."
    assert fullest("Orrin", text) == "Orrin and Tabb Group"
    assert fullest("Orrin", "Orrin said it would hire staff.") == "Orrin"


def test_kind_noun_stands_for_the_organisation_named_before():
    from workers.extract.orgs import kind_antecedent
    text = "The Velden games group went into administration. Velden had grown fast. Velden needed deals. "
    assert kind_antecedent("the company", text, len(text)) == "Velden"
    text = "It may scrap the Rural Payments Agency. Later the agency's chief quit."
    assert kind_antecedent("the agency", text, text.index("Later")) == "Rural Payments Agency"
    text = "The Denver brokerage firm said he would join. Then the firm's chief spoke."
    assert kind_antecedent("the firm", text, text.index("Then")) is None      # a place describes it


def test_rank_of_a_post_takes_the_posts_organisation():
    from workers.extract.orgs import role_org
    text = "Aides expect a new N.S.B. director soon."
    assert role_org(text, "acting director") == "N.S.B."
    assert role_org("He met the PR director.", "acting director") is None    # two letters: no name


def test_a_person_with_a_title_is_no_organisation():
    from workers.extract.orgs import not_the_person
    assert not_the_person("Lord Alder", "Alder") is None
    assert not_the_person("Alder Group", "Alder") == "Alder Group"
def test_a_persons_description_is_no_organisation():
    from workers.extract.orgs import plausible
    assert not plausible("Retail Payments Pioneer") and not plausible("Energy Industry Veteran")
    assert plausible("Pioneer Foods Group") and plausible("Veterans Affairs Department")


def test_the_headlines_company_when_no_parsed_sentence_names_it():
    from collections import Counter
    text = ("Big BrelloWorks layoffs to begin.\nBrelloWorks staff wait. BrelloWorks declined to comment. "
            "BrelloWorks shares fell. After X left the company, Kasumi Capital, its investor, stepped in.")
    assert main_org(Counter({"Kasumi Capital": 1}), set(), text, collect(text), lead_end=34) == "BrelloWorks"
    assert main_org(Counter({"Kasumi Capital": 1}), set(), text, collect(text)) != "BrelloWorks"


def test_the_headlines_company_is_no_title_or_place():
    from collections import Counter
    text = "MP quits in UK row.\nThe MP said the UK row was over. The MP left. UK papers said the MP was tired."
    assert main_org(Counter(), set(), text, collect(text), lead_end=20) is None


def test_a_competition_is_no_main_organisation_unless_it_has_staff():
    from collections import Counter
    text = "Coach sacked.\nHe led the side to the Vesta Cup final. The Vesta Cup draw is Friday. The club said little."
    assert main_org(Counter({"Vesta Cup": 2}), set(), text, collect(text)) is None
    text = "League chief quits.\nNorland League chief executive Ann Roe quit. The Norland League said it would meet."
    assert main_org(Counter({"Norland League": 2}), set(), text, collect(text)) == "Norland League"
