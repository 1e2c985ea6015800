"""Headlines are text: recasing ALL-CAPS wires, headline style as a sentence, headline-only articles."""
from __future__ import annotations

from datetime import datetime

from workers.extract import extract_events
from workers.extract.headlines import article_text, as_sentence, is_all_caps, recase


def run(nlp, text, title=None, published="1987-04-02"):
    return extract_events(nlp, text, title=title, published=datetime.fromisoformat(published))


def test_recase_takes_the_body_spelling_of_each_word():
    body = "Tarrant Mills Inc said Harold McVey resigned as president, citing health reasons."
    assert recase("TARRANT MILLS <TMI> PRESIDENT MCVEY RESIGNS", body).startswith("Tarrant Mills")
    text, end = article_text(body, "TARRANT MILLS &lt;TMI> PRESIDENT MCVEY RESIGNS")
    head = text[:end]
    assert "McVey" in head and "TMI" not in head and "president" in head and "resigned" in head
    assert text[end:] == body


def test_recase_without_body_lowercases_common_words_and_keeps_acronyms(nlp):   # nlp: its word lists
    head = recase("U.K.'S MINISTER CALLS BRANDT OUTSTANDING SEC CHAIRMAN, SAYS KOLLER EXCELLENT SUCCESSOR")
    assert head.startswith("U.K.'s minister calls Brandt outstanding SEC chairman")
    assert "Koller" in head and "successor" in head
    assert recase("ORLANDO VENTURES NAMES J. PETER HALE AS CHAIRMAN") == \
        "Orlando ventures names J. Peter Hale as chairman"
    assert is_all_caps("ORLANDO VENTURES <ORV> NAMES CHAIRMAN") and not is_all_caps("Orlando names chairman")


def test_recase_an_adjective_after_a_name_is_no_name_part(nlp):
    assert recase("AIDE SAYS KRAMER EXCELLENT SUCCESSOR") == "Aide says Kramer excellent successor"


def test_page_title_section_and_site_names_are_dropped():
    text, end = article_text("Body.", "Rovers agree deal to replace Ian Dale as manager | Sport News | Daily Post")
    assert text.startswith("Rovers agree deal to replace Ian Dale as manager.\n") and end == len(text) - len("Body.")
    text, _ = article_text("Body.", "Opinion | Why the mayor of Westmoor had to go")
    assert text.startswith("Why the mayor of Westmoor had to go.\n")


def test_headline_style_becomes_a_sentence():
    assert as_sentence("Harbour Minister Ilse Varga resigns - state radio reports") == \
        "Harbour Minister Ilse Varga resigned, state radio reports"
    # before a common word the voice is kept: the governor names someone, he is not named
    assert as_sentence("Governor Ames Names Former Chief Of Staff To Fill Seat").startswith(
        "Governor Ames has named former chief of staff")
    assert as_sentence("Vote Count: Dora Penn Quits Council").startswith("Vote Count. Dora Penn quit")


def test_body_repeating_its_headline_is_read_once():
    text, end = article_text("Quill Foods names new chief\nQuill Foods said it named Ana Ruiz chief.",
                             "Quill Foods names new chief")
    assert text.count("Quill Foods said") == 1 and text.lower().count("quill foods") == 2 and end > 0


def test_all_caps_headline_only_wire_gives_its_event(nlp):
    events = run(nlp, "", title="ORLANDO VENTURES NOMINATES J. PETER HALE AS CHAIRMAN\n")
    assert [(e.type, e.person, e.role, e.historical) for e in events] == \
        [("appointment", "J. Peter Hale", "chairman", False)]


def test_headline_only_record_with_attribution(nlp):
    title = "Harbour Minister Ilse Varga resigns - state radio reports"
    events = run(nlp, title, title=title)               # an archive record whose text is its headline
    assert [(e.type, e.person, e.historical) for e in events] == [("departure", "Ilse Varga", False)]


def test_all_caps_headline_is_parsed_with_the_body(nlp):
    body = ("Delmont Systems Inc said its board met on Tuesday.\n"
            "The company gave no reason for the change in its statement.")
    events = run(nlp, body, title="DELMONT SYSTEMS <DLM> NAMES RITA OSEI PRESIDENT")
    assert [(e.type, e.person, e.historical) for e in events] == [("appointment", "Rita Osei", False)]
