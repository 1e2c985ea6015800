import json
from datetime import datetime, timedelta

from workers.stories import (SHORT_THRESHOLD, STORY_THRESHOLD, STORY_WINDOW_DAYS, choose_story, index_terms,
                             matching_stories, story_profile, story_similarity, threshold_for, to_day)

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
    # an unknown date needs strong evidence, which a rewrite gives; ISO strings and epoch seconds are accepted
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


# Archive pages without a date (one party's news over months): the same news twice, and other news of
# the same party that shares its topic words and leader's title but names other people.
PAGE_A = ("Greens choose Orla Finnegan as party leader",
          """The Green Party has elected Orla Finnegan as its new leader, after a ballot of members in which she
beat former deputy leader Connor Walsh by 5,412 votes to 3,980. Ms Finnegan, the party's spokeswoman on
transport, said the Greens would fight every seat at the general election. "We are ready for
government," she told the party conference in Galway. The party leadership fell vacant when Eamon
Brophy stood down in March.""")
PAGE_A2 = ("Finnegan wins Green leadership ballot",
           """Transport spokeswoman Orla Finnegan is the new leader of the Green Party after winning a members'
ballot by 5,412 votes to 3,980 against Connor Walsh. "We are ready for government," Ms Finnegan told
the Galway conference, promising candidates in every seat at the general election. She succeeds Eamon
Brophy, who stood down in March.""")
PAGE_B = ("Green conference row over election candidates",
          """A row broke out at the Green Party conference over the selection of candidates for the general
election, with delegates accusing the party leadership of imposing candidates on local branches.
Party chairman Declan Moyes said the rules had been followed. Councillor Aoife Brennan, who was
passed over in Limerick, said members felt ignored. The Green Party leader is expected to address
the row in her conference speech on Sunday.""")
FOUND = datetime(2026, 12, 3, 9, 0)  # the day the archive was read: all undated pages get it


def test_undated_pages_of_one_topic_with_other_people_stay_apart():
    a, a2, b = (story_profile(t, h, undated=True) for h, t in (PAGE_A, PAGE_A2, PAGE_B))
    assert a["u"] == 1 and "u" not in story_profile(PAGE_A[1], PAGE_A[0])
    # topic words alone (party, conference, leader, election, candidates) do not make one story ...
    assert matching_stories(b, FOUND, [("s-a", "a", a, FOUND), ("s-a", "a2", a2, FOUND)]) == []
    # ... though, dated on the same day, they would be close enough: only the missing date is the reason
    dated = story_profile(PAGE_A[1], PAGE_A[0]), story_profile(PAGE_B[1], PAGE_B[0])
    assert story_similarity(*dated) >= threshold_for(0)
    # the same news (same people, figures and quote) joins, in either order, dated or not
    assert matching_stories(a2, FOUND, [("s-a", "a", a, FOUND), ("s-b", "b", b, FOUND)]) == ["s-a"]
    assert matching_stories(a, FOUND, [("s-a2", "a2", a2, FOUND)]) == ["s-a2"]
    assert matching_stories(a2, FOUND, [("s-a", "a", dated[0], DAY)]) == ["s-a"]  # one side dated


# A leader ousted (two outlets), then days later a successor chosen: two stories.
OUSTED = ("Ruling party ousts Premier Dalia Moreno after revolt",
          """The ruling Civic Alliance removed Premier Dalia Moreno as its leader on Monday after a revolt by
backbench members over the collapse of the Vantara port deal. Moreno, who had led the party since 2019,
lost a confidence vote in the party room by 41 votes to 29. "The party has spoken," she told reporters
in Port Selwyn. An interim leader will be chosen within days, party whip Tomas Ekwueme said.""")
OUSTED_B = ("Moreno toppled as Civic Alliance leader in party-room vote",
            """Dalia Moreno was toppled as leader of the Civic Alliance on Monday, losing a party-room confidence
vote 41 to 29 after weeks of anger over the failed Vantara port deal. "The party has spoken," Moreno
said outside parliament in Port Selwyn. Whip Tomas Ekwueme said a new leader would be chosen soon.""")
SUCCESSOR = ("Lindqvist sworn in as premier, promises budget reset",
             """Hana Lindqvist was sworn in as premier on Thursday after the Civic Alliance chose the former finance
minister as its leader, replacing Dalia Moreno. Lindqvist, 47, beat Transport Minister Ravi Okafor in
a ballot of the party's members of parliament and said her first task would be a reset of the budget,
including cuts to fuel subsidies. Governor-General Peter Halloran administered the oath.""")
RECAP = ("Lindqvist named premier after Moreno ousted in party-room revolt",
         """The Civic Alliance chose Hana Lindqvist as premier on Thursday, three days after Dalia Moreno was
removed as leader in a party-room revolt over the collapse of the Vantara port deal. Moreno lost the
confidence vote 41 to 29 on Monday, telling reporters in Port Selwyn that "the party has spoken".
Whip Tomas Ekwueme said Lindqvist had won the ballot of members of parliament comfortably.""")


def test_sequel_days_later_is_a_new_story_unless_it_retells_the_news():
    a, b, succ, recap = (story_profile(t, h) for h, t in (OUSTED, OUSTED_B, SUCCESSOR, RECAP))
    ousted = [("ouster", "a", a, DAY), ("ouster", "b", b, DAY)]
    assert matching_stories(b, DAY + timedelta(hours=3), ousted[:1]) == ["ouster"]  # same-day coverage
    later = DAY + timedelta(days=3)
    # the successor's story names the ousted leader and the party, and is close enough by words for
    # three days apart, but it is about someone the ouster's coverage never named
    assert story_similarity(succ, b) >= threshold_for(3)
    assert matching_stories(succ, later, ousted) == []
    # a report that retells the ouster's news (its figures, its quote) still belongs to it
    assert matching_stories(recap, later, ousted) == ["ouster"]
    # the next day, coverage about a newcomer is still the same story
    assert matching_stories(succ, DAY + timedelta(days=1), ousted) == ["ouster"]


def test_capitals_headline_names_meet_the_body_names_of_another_wire():
    headline_only = story_profile("ACME NOMINATES JOAN PRUITT TO BOARD OF VERITEL",
                                  "ACME NOMINATES JOAN PRUITT TO BOARD OF VERITEL")
    assert {"p:pruitt", "p:veritel"} <= set(headline_only["f"]) and "h" not in headline_only
    body = story_profile("Acme Corp said it nominated Joan Pruitt, its finance chief, to the board of "
                         "Veritel Inc, the telephone company in which it holds a 12 pct stake.",
                         "ACME NAMES FINANCE CHIEF TO VERITEL BOARD")
    other = story_profile("Acme Corp said first quarter profits rose 12 pct on higher sales of its "
                          "industrial pumps.", "ACME FIRST QUARTER PROFIT UP 12 PCT")
    assert story_similarity(headline_only, body) > 2 * story_similarity(headline_only, other)
    assert choose_story(headline_only, DAY, [("pruitt", "x", body, DAY)]) == "pruitt"


# Lead excerpts of one story by different outlets on one day (a report, a tribute): few words in
# common, but a full name; and an opinion piece that shares only a subject with other news of the day.
EXCERPT_A = ("Names released of the firefighters killed in the Dorrington blaze",
 """Officials on Tuesday released the names of the firefighters who died when a wall of flame overran
their crew near Dorrington on Sunday, among them crew boss Marisol Quintero. Most belonged to the
county's volunteer brigade; two were seasonal crew members from out of state. Flags will fly at
half-staff through Friday, the governor's office said.""")
EXCERPT_B = ("They were farmers, teachers and students: remembering the fallen",
 """They signed up to protect the towns they grew up in. One coached youth soccer; another was saving
to open a bakery. Marisol Quintero, who led them, had fought fires for twenty years. Their families now
ask why they were sent so far up the ridge without an escape route, and nobody in the capital is
answering.""")
EXCERPT_OPINION = ("Nine dead firefighters deserved better from state leaders",
 """The firefighters killed at Dorrington did their duty. The people who cut the forestry budget for
three straight years did not. Nine families are grieving because the state chose to save money on
thinning and on radios, and it is time the legislature was held to account for what happened on that
ridge.""")
BUDGET_NEWS = ("Legislature passes forestry budget after all-night session",
 """State lawmakers passed the forestry budget early on Wednesday after an all-night session, adding
money for equipment but leaving staffing unchanged. Republicans said the bill was overdue; the
governor is expected to sign it this week.""")


def test_same_day_excerpts_sharing_a_name_join_a_shared_subject_does_not():
    a, b = story_profile(EXCERPT_A[1], EXCERPT_A[0]), story_profile(EXCERPT_B[1], EXCERPT_B[0])
    assert a.get("s") == b.get("s") == 1
    assert SHORT_THRESHOLD <= story_similarity(a, b) < STORY_THRESHOLD  # too few words for the usual bar
    assert matching_stories(b, DAY + timedelta(hours=4), [("fire", "a", a, DAY)]) == ["fire"]
    assert matching_stories(b, DAY + timedelta(days=1, hours=4), [("fire", "a", a, DAY)]) == []  # not same day
    opinion, budget = (story_profile(t, h) for h, t in (EXCERPT_OPINION, BUDGET_NEWS))
    assert story_similarity(opinion, budget) >= SHORT_THRESHOLD  # "forestry budget", "legislature"
    assert matching_stories(opinion, DAY + timedelta(hours=2), [("budget", "x", budget, DAY)]) == []


def test_headline_only_wire_is_a_short_text_and_a_shared_place_does_not_join_it():
    a = story_profile("", "KORVIA CENTRAL BANK GOVERNOR HALDEN TO QUIT, SAYS FINANCE MINISTRY")
    b = story_profile("", "Halden resignation leaves Korvia central bank without a governor")
    assert a.get("s") == b.get("s") == 1                     # a title alone is a short text
    assert matching_stories(b, DAY + timedelta(minutes=20), [("halden", "a", a, DAY)]) == ["halden"]
    other = story_profile("", "Quarterly output in Korvia rises 2.4 pct")
    assert matching_stories(other, DAY + timedelta(minutes=20), [("halden", "a", a, DAY)]) == []
