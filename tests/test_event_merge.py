from workers.event_merge import absorb, merge_key, orgs_compatible, person_key, same_event, same_person
from workers.model import StaffingEvent


def ev(person, type_="departure", role=None, org=None, historical=False):
    return StaffingEvent(type=type_, person=person, role=role, organisation=org, counterpart=None,
                         historical=historical, evidence="")


def test_person_key_and_same_person():
    assert person_key("Dr. Helen M. Carver") == "helen carver"
    assert person_key('William "Bill" Oduya Jr.') == "william oduya jr"
    assert same_person("Mr Tom Reyes", "Thomas Reyes")          # same initial
    assert same_person("Reyes", "Tom Reyes")                    # first name missing
    assert same_person("Baroness Ann Pike", "Ann Pike")
    assert not same_person("Tom Reyes", "Maria Reyes")
    assert not same_person("Tom Reyes", "Tom Reyes Jr.")
    assert not same_person("", "Tom Reyes")


def test_merge_key():
    assert merge_key(ev("Sir Alan Brodie")) == "brodie:departure"
    assert merge_key(ev("A. Brodie", "appointment")) == "brodie:appointment"


def test_outlets_name_the_same_post_differently():
    a = ev("Nina Hollis", role="Director of Campaigns and Planning", org="Labour")
    b = ev("Ms Hollis", role="campaigns chief", org="the Labour leader's office")
    assert same_event(a, b, days_apart=1)
    assert same_event(ev("Raj Mehta", "appointment", "chief executive officer", "Corvel Inc"),
                      ev("Raj Mehta", "appointment", "CEO", "Corvel"), days_apart=0)
    assert same_event(ev("Raj Mehta", role="president and chief executive", org="Corvel Inc."),
                      ev("Raj Mehta", role="president", org="Corvel"))
    assert same_event(ev("Lee Park", role="special agent", org="F.B.I."),
                      ev("Lee Park", role="senior counterintelligence agent", org="FBI"))
    assert same_event(ev("Omar Said", role="vice-chairman", org="Northern Petroleum Corporation"),
                      ev("Omar Said", role="director and vice chairman", org="NPC"))
    assert same_event(ev("Omar Said", role="Minister for Industry and Trade", org="Ecuria"),
                      ev("Omar Said", role="minister of industry and trade"))
    assert same_event(ev("Kay Lin", role=None, org="Social Security Administration"),
                      ev("Kay Lin", role="acting commissioner", org="Social Security Administration"))


def test_two_moves_of_one_person_stay_apart():
    old = ev("Nina Hollis", role="chief of staff", org="Labour", historical=True)
    new = ev("Nina Hollis", role="Director of Campaigns and Planning", org="Labour")
    assert not same_event(old, new, days_apart=0)
    # the same post at another club
    assert not same_event(ev("Dario Conti", role="coach", org="Real Oviedo", historical=True),
                          ev("Dario Conti", role="coach", org="Sporting Braga"))
    # promoted from deputy: two appointments
    assert not same_event(ev("Kay Lin", "appointment", "deputy commissioner", historical=True),
                          ev("Kay Lin", "appointment", "commissioner"))
    assert not same_event(ev("Kay Lin", "appointment", "chairman", "Vodafin"),
                          ev("Kay Lin", "appointment", "president", "Vodafin", historical=True))
    # different type or person
    assert not same_event(ev("Kay Lin", "appointment", "commissioner"), ev("Kay Lin", "departure", "commissioner"))
    assert not same_event(ev("Kay Lin", role="commissioner"), ev("Jo Lin", role="commissioner"))


def test_history_and_time():
    news = ev("Pat Doyle", role="home secretary")
    background = ev("Pat Doyle", role="home secretary", historical=True)
    assert same_event(news, background, days_apart=400)      # the same named post, told later as background
    vague_news, vague_background = ev("Pat Doyle", org="the cabinet"), ev("Pat Doyle", historical=True)
    assert not same_event(vague_news, vague_background)      # unnamed post: history and news stay apart
    assert not same_event(vague_news, vague_background, days_apart=0)
    assert same_event(vague_news, ev("Pat Doyle"), days_apart=2)
    assert not same_event(news, ev("Pat Doyle", role="home secretary"), days_apart=200)  # two current moves


def test_same_story_lets_person_and_type_decide():
    a = StaffingEvent(type="departure", person="James Mattis", role="Secretary", organisation="Defense",
                      counterpart=None, historical=False, evidence="")
    b = StaffingEvent(type="departure", person="Jim Mattis", role="defense secretary", organisation="the White House",
                      counterpart=None, historical=True, evidence="")
    assert same_event(a, b, same_story=True)
    assert not same_event(a, b.__class__(**{**b.__dict__, "type": "appointment"}), same_story=True)


def test_an_organisation_clipped_or_initialled_is_the_same_organisation():
    assert orgs_compatible("Fed", "Federal Reserve Board") and orgs_compatible("Federal Reserve", "Fed")
    assert orgs_compatible("SEC", "Securities and Exchange Commission")
    assert not orgs_compatible("Fed", "Labour Party") and not orgs_compatible("Fed", "Bank of England")


def test_absorb_news_wins_and_the_fullest_wording_is_kept():
    def ev(role, org, historical, counterpart=None, confidence=0.5):
        return StaffingEvent(type="departure", person="Ines Varga", role=role, organisation=org,
                             counterpart=counterpart, historical=historical, evidence="", confidence=confidence)
    background = ev("chairman", "Fed", True)
    news = ev("chairman of the board", "Federal Reserve Board", False, "Omar Dale", 0.9)
    assert absorb(background, news) == {"historical": False, "organisation": "Federal Reserve Board",
                                        "role": "chairman of the board", "counterpart": "Omar Dale",
                                        "confidence": 0.9}
    assert absorb(news, background) == {}  # a background mention never makes news background
    assert absorb(ev(None, None, False), ev("chief economist", "Fed", False)) == {
        "role": "chief economist", "organisation": "Fed"}
    # another wording of the same post, or the organisation glued to the role, is not fuller
    assert absorb(ev("chairman", "Federal Reserve Board", False), ev("Fed chairman", None, False)) == {}
    assert absorb(ev("chief executive", "Acme", False), ev("managing director", "Acme Holdings", False)) == {
        "organisation": "Acme Holdings"}


def test_a_nomination_and_its_confirmation_months_later_are_one_move():
    nominated = ev("Ruth Abara", "appointment", "ambassador to Portugal", None)
    confirmed = ev("Ruth Abara", "appointment", "U.S. ambassador to Portugal", "State Department")
    assert same_event(nominated, confirmed, days_apart=120)
    assert not same_event(nominated, confirmed, days_apart=160)
    assert not same_event(ev("Ruth Abara", "appointment"), ev("Ruth Abara", "appointment"), days_apart=120)
    # "party" says nothing about which post it is
    assert same_event(ev("Ivo Kranjc", "appointment", "deputy leader", "Unity"),
                      ev("Ivo Kranjc", "appointment", "deputy party leader", "Unity"), days_apart=1)


def test_same_story_keeps_two_background_posts_of_a_career_apart():
    early = ev("Lee Marr", role="attorney general", org="Wessex", historical=True)
    later = ev("Lee Marr", role="senator", org="Senate", historical=True)
    assert not same_event(early, later, same_story=True)
    assert same_event(later, ev("Lee Marr", role="junior senator", historical=True), same_story=True)
    assert same_event(ev("Lee Marr", role="senator"), ev("Lee Marr", role="mayor"), same_story=True)  # news


def test_candidacy_and_office_are_two_moves_in_one_story():
    """Standing for a seat and holding an office are two appointments, even in one story."""
    office = ev("Rob Keane", "appointment", role="MEP", org="European Parliament")
    candidacy = ev("Rob Keane", "appointment", role="candidate for Eastwick", org="New Dawn")
    assert not same_event(office, candidacy, same_story=True)
    assert same_event(candidacy, ev("Rob Keane", "appointment", role="party candidate"), same_story=True)
    assert same_event(office, ev("Rob Keane", "appointment"), same_story=True)   # no post named
