"""People: names kept whole (suffixes, particles), occupations stripped, descriptions named nearby."""
from __future__ import annotations

from datetime import datetime

from workers.extract import extract_events
from workers.extract.names import clean_person, collect, product_like


def test_suffixes_and_post_nominals_kept_as_written():
    assert clean_person("Martin J. Keogh III") == "Martin J. Keogh III"
    assert clean_person("LEONARD PRICE III") == "Leonard Price III"
    assert clean_person("Mr Dale Ormsby Jr.") == "Dale Ormsby Jr"
    assert clean_person("Ruth Okafor QC") == "Ruth Okafor QC"


def test_particle_names_collected_whole():
    assert [m.text for m in collect("Minister Karim al-Tamimi resigned.").mentions] == ["Karim al-Tamimi"]


def test_sentence_opening_participle_is_no_first_name():
    assert [m.text for m in collect("Regarding Tarrant, the club said nothing.").mentions] == ["Tarrant"]
    assert [m.text for m in collect("The club said Sterling Hayes would stay.").mentions] == ["Sterling Hayes"]


def test_pronoun_skips_names_of_sentences_that_go_on_about_the_same_person():
    from workers.extract.prefilter import split_sentences
    text = ("Tom Okoro is a former aide to the governor. From 2001 he was a partner at Hartley, Brandt, Kessler "
            "& Moyne, with Ann Brandt. He also taught law. He left the administration last year.")
    table = collect(text)
    table.sentence_starts = [off for off, _ in split_sentences(text)]
    assert table.antecedent(text.index("He left"), "he") == "Tom Okoro"


def test_brand_style_words_are_not_names():
    assert product_like("PowerDock") and product_like("iPad")
    assert not any(product_like(w) for w in ("McKay", "DeLuca", "MacLeod", "LeBlanc", "Okafor"))


def test_occupation_before_a_full_name_is_stripped():
    assert clean_person("Rapper Dex Varley") == "Dex Varley"
    assert clean_person("Dominican Ana Ruiz") == "Ana Ruiz"
    assert clean_person("Tennis Star") != ""        # two words: nothing stripped from a short run


def run(nlp, text):
    return [(e.type, e.person) for e in extract_events(nlp, text, published=datetime(2023, 6, 1))]


def test_particle_name_in_an_event(nlp):
    assert run(nlp, "Foreign minister Karim al-Tamimi resigned on Monday, state media said.") == \
        [("departure", "Karim al-Tamimi")]


def test_unnamed_description_named_in_the_next_sentence(nlp):
    text = ("A senior police officer has been removed from his post after complaints. "
            "The officer, Chief Inspector Tom Reyes, had led the unit for six years.")
    assert run(nlp, text) == [("departure", "Tom Reyes")]


def test_someone_new_is_not_the_person_named_nearby(nlp):
    text = ("Harrow Mills said chairman Ivo Lusk resigned on Monday. "
            "The company, which will appoint an interim chairman, said Lusk had been ill.")
    assert run(nlp, text) == [("departure", "Ivo Lusk")]


def test_sports_club_names_are_not_people():
    from workers.extract.names import looks_like_person
    assert not any(looks_like_person(n) for n in ("Castlebury FC", "Dunmore Rovers", "Harton Athletic",
                                                  "Kelby Wanderers", "West Farley Albion"))
    assert looks_like_person("Ron Baxter")


def test_he_after_a_sentence_about_someone_unnamed_is_not_resolved():
    from workers.extract.prefilter import split_sentences
    text = ("Detectives traced Dale Kemper to a caravan park. Two days earlier, a Brookvale customs officer had "
            "checked the caravan. He was later dismissed. Kemper confessed. A court in Ohio heard the case. He was jailed.")
    table = collect(text)
    table.sentence_starts = [off for off, _ in split_sentences(text)]
    assert table.antecedent(text.index("He was later"), "he") is None
    assert table.antecedent(text.index("He was jailed"), "he") == "Dale Kemper"


def test_subject_of_a_subordinate_clause_misread_as_the_root(nlp):
    """"The firm withdrew its filing, shortly after Kessler stepped down" parsed with both nouns as
    subjects of "stepped": the one after the clause's "after" is its subject."""
    from spacy.tokens import Doc

    from workers.extract.syntax import subject_of
    words = ["The", "firm", "withdrew", "its", "filing", ",", "shortly", "after", "Kessler", "stepped", "down", "."]
    heads = [1, 9, 9, 4, 2, 9, 9, 9, 9, 9, 9, 9]
    deps = ["det", "nsubj", "ccomp", "poss", "dobj", "punct", "advmod", "mark", "nsubj", "ROOT", "advmod", "punct"]
    doc = Doc(nlp.vocab, words=words, heads=heads, deps=deps)
    assert subject_of(doc[9]).text == "Kessler"


def test_a_run_ending_in_a_brand_is_no_person():
    from workers.extract.names import looks_like_person
    assert not looks_like_person("Nevada StarLift")          # "..., Nevada\nStarLift, ..." of a listing
    assert all(looks_like_person(n) for n in ("Ian McKay", "Ana DeLuca", "Jo LeBlanc", "Ron MacLeod"))


def test_he_after_an_unnamed_someone_who_speaks_of_a_definite_post_stays_open():
    from workers.extract.prefilter import split_sentences
    text = "Minister Jo Kent faced questions. A senior aide said the minister was tired. He resigned on Friday."
    table = collect(text)
    table.sentence_starts = [off for off, _ in split_sentences(text)]
    assert table.antecedent(text.index("He resigned"), "he") == "Jo Kent"
