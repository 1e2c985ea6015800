import json
from datetime import datetime, timedelta

from workers.stories import (STORY_THRESHOLD, STORY_WINDOW_DAYS, choose_story, index_terms,
                             story_profile, story_similarity, threshold_for, to_day)

# Two outlets rewrite the same news.
OUTLET_A = ("Envoy to Moldavia quits over deportation policy",
            """The State Department's special envoy to Moldavia, Harriet Okonkwo, has resigned in protest at
the deportation of hundreds of asylum seekers, calling the policy "inhumane and counterproductive" in a
letter to Secretary of State Paul Dreyfus. Okonkwo, a career diplomat appointed in July, said 1,200
people had been flown back in three weeks despite warnings about unrest in the capital, Chisinova.""")
OUTLET_B = ("Top diplomat for Moldavia resigns, citing 'inhumane' expulsions",
            """Harriet Okonkwo stepped down on Thursday as America's envoy for Moldavia, accusing the
administration of an "inhumane and counterproductive" approach after some 1,200 migrants were expelled
to the troubled country. Her resignation letter to Paul Dreyfus, seen by reporters, said her advice on
conditions in Chisinova had been ignored. A department spokesman thanked her for her service.""")

# Same topic, different news (and different days).
JOBS = [
    ("Employers add 180,000 jobs in March",
     "Employers added 180,000 jobs in March and the unemployment rate held at 4.1 percent, the Labor "
     "Department said on Friday, as hiring in health care and construction offset losses in retail."),
    ("Hiring slows to 95,000 in April",
     "Hiring slowed sharply in April, with employers adding 95,000 jobs, the Labor Department said. "
     "The unemployment rate rose to 4.3 percent as manufacturers and retailers shed workers."),
]
WAR_A = ("Evacuation flights resume at northern airport",
         """Military transport planes resumed evacuation flights from the airport at Tarnak on Tuesday
after a two-day pause, carrying 4,300 civilians to safety, General Ruth Ambrose told reporters.""")
WAR_B = ("Last foreign troops leave Tarnak province",
         """The final contingent of foreign soldiers left Tarnak province on Sunday, ending a 14-year
deployment. Defence minister Kofi Brandt said the handover to local forces was complete.""")

DAY = datetime(2024, 5, 2, 9, 0)


def test_profile_is_json_and_index_terms_short():
    prof = story_profile(OUTLET_A[1], OUTLET_A[0])
    assert json.loads(json.dumps(prof)) == prof
    terms = index_terms(prof)
    assert 0 < len(terms) <= 32
    assert all(isinstance(t, str) and len(t) <= 64 for t in terms)
    assert "p:okonkwo" in prof["f"] and "n:harriet okonkwo" in prof["f"]
    assert "d:1200" in prof["f"]


def test_rewrites_are_similar_same_topic_is_not():
    a, b = story_profile(OUTLET_A[1], OUTLET_A[0]), story_profile(OUTLET_B[1], OUTLET_B[0])
    assert story_similarity(a, b) >= STORY_THRESHOLD
    assert set(index_terms(a)) & set(index_terms(b))
    w1, w2 = story_profile(WAR_A[1], WAR_A[0]), story_profile(WAR_B[1], WAR_B[0])
    assert story_similarity(w1, w2) < threshold_for(5)
    j1, j2 = (story_profile(t, h) for h, t in JOBS)
    assert story_similarity(a, j1) < 0.05
    assert story_similarity(j1, j2) < 0.6  # same topic: only the window keeps monthly reports apart


def test_choose_story_joins_rewrite_and_respects_window():
    a, b = story_profile(OUTLET_A[1], OUTLET_A[0]), story_profile(OUTLET_B[1], OUTLET_B[0])
    cands = [("story-1", "art-1", a, DAY)]
    assert choose_story(b, DAY + timedelta(hours=5), cands) == "story-1"
    assert choose_story(b, DAY + timedelta(days=STORY_WINDOW_DAYS + 1), cands) is None
    assert choose_story(b, DAY, []) is None
    # unknown dates count as the same day; ISO strings and epoch seconds are accepted
    assert choose_story(b, None, [("story-1", "art-1", a, "2024-05-02")]) == "story-1"
    assert to_day("2024-05-02") == to_day(datetime(2024, 5, 2)) == to_day(to_day("2024-05-02") * 86400)


def test_monthly_reports_are_separate_stories():
    j1, j2 = (story_profile(t, h) for h, t in JOBS)
    assert choose_story(j2, DAY + timedelta(days=30), [("jobs-march", "a1", j1, DAY)]) is None


def test_different_news_of_one_topic_on_nearby_days_stay_apart():
    w1, w2 = story_profile(WAR_A[1], WAR_A[0]), story_profile(WAR_B[1], WAR_B[0])
    assert choose_story(w2, DAY + timedelta(days=5), [("evac", "a1", w1, DAY)]) is None


def test_best_story_wins_and_order_does_not_matter():
    a, b = story_profile(OUTLET_A[1], OUTLET_A[0]), story_profile(OUTLET_B[1], OUTLET_B[0])
    w1 = story_profile(WAR_A[1], WAR_A[0])
    cands = [("war", "w1", w1, DAY), ("envoy", "a", a, DAY)]
    assert choose_story(b, DAY, cands) == choose_story(b, DAY, cands[::-1]) == "envoy"
    assert choose_story(a, DAY, [("envoy", "b", b, DAY)]) == "envoy"


def test_wire_headline_in_capitals_and_empty_text():
    prof = story_profile("Acme Corp said its president resigned.", "ACME CORP PRESIDENT RESIGNS")
    assert "t:acme" in prof["f"]
    assert story_profile("", None) == {"f": {}}
