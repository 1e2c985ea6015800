"""Word lists that drive the staffing-event rules (data, not logic).

Lemmas are lower-case spaCy lemmas. Keep every list general English: never add a name or a phrase
taken from an evaluation text.
"""

# --- cues -------------------------------------------------------------------------------------
# a governing word that makes the move unreal: calls, denials, refusals, expectations
SPEC_GOVERNORS = {"call", "urge", "demand", "deny", "refuse", "decline", "threaten", "expect",
                  "consider", "rumor", "rumour", "speculate", "speculation", "rule", "reject",
                  "pressure", "press", "push", "ask", "want", "hope", "seek", "offer", "consider",
                  "weigh", "mull", "could", "might", "may", "likely", "possible", "possibility",
                  "tip", "favourite", "favorite", "frontrunner", "contender", "candidate",
                  "if", "unless", "whether", "would-be", "resist", "rebuff", "face",
                  "plead", "petition", "clamour", "clamor", "suggest", "vow", "pledge",
                  "fear", "allegation", "idea", "mistake", "close", "request", "search", "shortlist", "audition", "interview", "bid", "reason", "chance", "prospect", "odds", "talk", "urging",
                  "attempt", "effort", "try", "proposal", "propose", "interested", "keen", "eager"}
SPEC_MODALS = {"could", "might", "may", "should", "must", "can", "ought"}
CONDITIONAL_MARKS = {"if", "unless", "whether"}
# subordinators that put a move in the background of the news
BACKGROUND_MARKS = {"after", "since", "before", "when", "following"}

# --- positions --------------------------------------------------------------------------------
ROLE_HEADS = {
    "adviser", "advisor", "aide", "administrator", "ambassador", "analyst", "anchor", "assistant",
    "attorney", "auditor", "boss", "candidate", "captain", "ceo", "cfo", "coo", "cto", "chair",
    "chairman", "chairwoman", "chairperson", "chancellor", "chief", "coach", "commander",
    "commissioner", "comptroller", "consultant", "controller", "coordinator", "co-ordinator",
    "counsel", "counsellor", "counselor", "deputy", "designer", "director", "director-general",
    "diplomat", "economist", "editor", "envoy", "executive", "founder", "general", "governor",
    "guitarist", "drummer", "singer", "head", "inspector", "judge", "justice", "leader", "lawyer",
    "manager", "mayor", "member", "minister", "mp", "negotiator", "nominee", "officer", "official",
    "partner", "president", "presenter", "principal", "producer", "professor", "prosecutor",
    "representative", "regulator", "secretary", "senator", "congressman", "congresswoman",
    "speaker", "spokesman", "spokeswoman", "spokesperson", "staffer", "strategist", "superintendent",
    "supremo", "treasurer", "trustee", "tsar", "czar", "vice-chairman", "vice-president", "whip",
    "agent", "investigator", "councillor", "councilor", "delegate", "enforcer", "commissioner",
    "general-secretary", "chairmanship", "presidency", "reporter", "correspondent", "columnist",
    "owner", "lead", "architect", "steward", "adjutant", "attaché", "attache", "liaison",
    "handler", "physician", "surgeon", "marshal", "sheriff", "clerk", "registrar", "dean",
    "provost", "rector", "headteacher", "teacher", "player", "striker", "goalkeeper", "boss",
    "skipper", "conductor", "actor", "actress", "understudy", "host", "commentator", "pundit",
    "spokesman", "press", "lieutenant", "marine", "colonel", "admiral", "major",
    # members of legislatures and councils, and offices named by one word
    "mep", "msp", "mla", "lawmaker", "legislator", "assemblyman", "assemblywoman", "councilman",
    "councilwoman", "alderman", "premier", "ombudsman", "archbishop", "bishop", "curator",
    "secretary-general", "attorney-general", "solicitor-general", "governor-general", "auditor-general",
}
# generic post words: "quit his post", "to the post of"
POST_WORDS = {"post", "job", "position", "role", "office", "seat", "portfolio", "title", "helm",
              "duties", "responsibilities", "command", "charge", "chairmanship", "presidency",
              "leadership", "tenure", "term"}
# nouns for places of work that may be the object of leave / join / quit
WORKPLACE_NOUNS = {"government", "administration", "firm", "company", "bank", "board", "team",
                   "cabinet", "department", "agency", "bureau", "house", "senate", "chamber",
                   "club", "band", "show", "group", "business", "organisation", "organization",
                   "office", "ministry", "commission", "committee", "panel", "campaign", "paper",
                   "newspaper", "network", "station", "council", "fund", "unit",
                   "division", "staff", "service", "force", "parliament", "congress", "pentagon",
                   "frontbench", "corporation", "society", "institute", "university",
                   "school", "college", "hospital", "practice", "partnership", "side", "squad",
                   "job", "post", "position", "role", "seat", "profession", "politics", "race",
                   "contest", "presidency", "chairmanship", "leadership", "association", "party"}
# joining / leaving these is membership, not a position
MEMBERSHIP_OBJECTS = {"party", "union", "protest", "call", "chorus", "fight", "rally", "movement",
                      "church", "club"}
WORD_BLOCK_ROLE = {"former", "ex", "then", "new", "outgoing", "incoming", "current", "previous",
                   "longtime", "long-time", "veteran", "senior", "top", "key", "close", "trusted",
                   "original", "erstwhile", "one-time", "onetime", "late", "embattled", "beleaguered",
                   "controversial", "respected", "popular", "powerful", "influential",
                   "experienced", "permanent", "own", "more", "most", "highly", "sacked", "ousted",
                   "retired", "retiring", "disgraced", "future", "first", "last", "sole", "only", "recent",
                   "female", "male", "youngest", "oldest"}

HONORIFICS = {"mr", "mrs", "ms", "miss", "dr", "sir", "dame", "lord", "lady", "baroness", "baron",
              "prof", "professor", "rev", "hon", "rt", "mx"}
# titles written before a name that are not part of it
NAME_PREFIX_TITLES = HONORIFICS | {
    "sen", "senator", "rep", "representative", "gov", "governor", "gen", "general", "adm",
    "admiral", "col", "colonel", "capt", "captain", "lt", "sgt", "judge", "justice", "president",
    "pres", "vice", "secretary", "minister", "chancellor", "king", "queen", "prince", "princess",
    "mayor", "chairman", "chief", "director", "commissioner", "agent", "coach", "ambassador",
    "deputy", "attorney", "mp", "premier", "sheikh", "pope", "father", "brother", "sister", "st",
    "former", "ex", "acting", "interim", "u.s.", "us", "uk", "the",
}
PRONOUNS_MALE = {"he", "him", "his", "himself"}
PRONOUNS_FEMALE = {"she", "her", "hers", "herself"}
# words that end organisation names, so a capitalised run ending in one is no person
ORG_ENDINGS = {"network", "channel", "band", "robotics", "systems", "pro", "united", "city", "hill",
               "moon", "inc", "corp", "co", "ltd", "plc", "group", "party", "bank", "association", "fund",
               "institute", "department", "office", "house", "committee", "council", "agency",
               "administration", "university", "college", "school", "court", "commission",
               "ministry", "board", "union", "league", "club", "news", "times", "post", "press",
               "street", "road", "city", "county", "state", "states", "kingdom", "republic",
               "international", "holdings", "partners", "systems", "technologies", "motors",
               "airlines", "energy", "industries", "services", "securities", "division", "senate",
               "congress", "parliament", "police", "guard", "force", "army", "navy", "command",
               "church", "centre", "center", "foundation", "trust", "authority", "service",
               "corporation", "machines", "aerospace", "airways", "labs", "studios", "records",
               "entertainment", "media", "capital", "partners", "ventures", "pharmaceuticals",
               "foods", "stores", "brands", "products", "electronics", "communications", "resources",
               "insurance", "petroleum", "chemicals", "logistics", "solutions", "software", "works",
               "limited", "incorporated", "llc", "llp", "gmbh", "consulting", "consultants", "caucus",
               "fc", "afc", "athletic", "rovers", "wanderers", "hotspur", "albion"}     # the last: sports clubs
# words that start sentences or headlines but are no first names
NOT_FIRST_NAMES = {"the", "a", "an", "in", "on", "at", "but", "and", "or", "as", "when", "after",
                   "before", "this", "that", "these", "those", "his", "her", "its", "their", "our",
                   "mr", "mrs", "ms", "dr", "sir", "for", "with", "from", "by", "of", "to", "if",
                   "while", "since", "during", "under", "over", "new", "former", "president",
                   "prime", "chief", "sen", "rep", "gov", "senator", "secretary", "minister",
                   "speaker", "labour", "conservative", "democrat", "democratic", "republican",
                   "tory", "tories", "british", "american", "us", "u.s.", "uk", "january",
                   "february", "march", "april", "may", "june", "july", "august", "september",
                   "october", "november", "december", "monday", "tuesday", "wednesday", "thursday",
                   "friday", "saturday", "sunday", "both", "neither", "either", "one", "two",
                   "three", "some", "many", "most", "all", "other", "another", "according", "said",
                   "says", "asked", "meanwhile", "however", "also", "then", "now", "there", "here",
                   "it", "he", "she", "they", "we", "i", "you", "white", "house", "state", "north",
                   "south", "east", "west", "united", "european", "national", "federal", "central",
                   "although", "though", "because", "make", "let", "yet", "whether", "unless", "until",
                   "despite", "unlike", "without", "even", "only", "just", "whose", "which", "what",
                   "why", "how", "where", "every", "each", "such", "not", "nor", "thus", "instead",
                   "perhaps", "maybe", "still", "already", "again", "once", "so", "no"}

# collective departures: an article about a wave of staff leaving
COLLECTIVE_DEPARTURE = r"\b(departures|exodus|resignations|handed (?:in )?their notice|are (?:all )?leaving|staff turnover|shake-?up|clear-?out)\b"

MONTHS = {m: i for i, m in enumerate(
    ["january", "february", "march", "april", "may", "june", "july", "august", "september",
     "october", "november", "december"], 1)}
MONTHS.update({m[:3]: i for m, i in list(MONTHS.items())})
MONTHS["sept"] = 9

DEMONYMS = {
    "american", "british", "english", "scottish", "welsh", "irish", "french", "german", "italian",
    "spanish", "portuguese", "dutch", "belgian", "swiss", "austrian", "swedish", "norwegian",
    "danish", "finnish", "polish", "russian", "ukrainian", "greek", "turkish", "israeli",
    "palestinian", "iranian", "iraqi", "syrian", "saudi", "egyptian", "indian", "pakistani",
    "chinese", "japanese", "korean", "vietnamese", "thai", "malaysian", "indonesian", "filipino",
    "australian", "canadian", "mexican", "brazilian", "argentine", "argentinian", "chilean",
    "colombian", "venezuelan", "peruvian", "cuban", "nigerian", "kenyan", "african", "european",
    "asian", "arab", "haitian", "ecuadorian", "finnish", "hungarian", "czech", "romanian",
    "bulgarian", "serbian", "croatian", "lebanese", "afghan", "dutchman", "scot", "briton",
}
# capitalised words that sit in front of names as titles or descriptions, never first names
TITLE_WORDS = (ROLE_HEADS | NAME_PREFIX_TITLES | WORD_BLOCK_ROLE | DEMONYMS | {
    "special", "staff", "defense", "defence", "foreign", "home", "social", "security", "health",
    "communications", "press", "white", "house", "national", "federal", "central", "chief",
    "executive", "financial", "operating", "vice", "deputy", "acting", "interim", "assistant",
    "associate", "senior", "junior", "lib", "dem", "democrat", "democratic", "republican", "gop",
    "labour", "tory", "conservative", "liberal", "ukip", "snp", "party", "state", "labor",
    "besides", "unite", "union", "boss", "bosses", "veteran", "coach", "manager", "striker",
    "midfielder", "defender", "goalkeeper", "rep.", "sen.", "gov.", "gen.", "lt.", "col.", "supt",
    "detective", "officer", "constable", "inspector", "superintendent", "commissioner", "fbi",
    "cia", "nsa", "dhs", "doj", "epa", "nasa", "army", "navy", "air", "marine", "corps", "world",
    "trade", "europe", "management", "committee", "agent", "counsel", "attorney", "general",
    "prosecutor", "mayor", "councillor", "alderman", "ceo", "cfo", "coo", "chairman", "chair",
    "director", "president", "premier", "prime", "minister", "secretary", "treasury", "budget",
    "finance", "policy", "campaign", "campaigns", "planning", "legal", "political", "actor",
    "actress", "singer", "guitarist", "drummer", "bassist", "player", "star", "judge", "justice",
})

# verbs and nouns common in headlines, lower-cased when a headline is in Title Case
COMMON_HEADLINE_WORDS = {"says", "say", "said", "will", "to", "sees", "gets", "wins", "loses", "faces",
                         "calls", "rejects", "denies", "hails", "plans", "warns", "after", "over",
                         "amid", "former", "new", "top", "ex", "chief", "boss", "pick", "picks",
                         "fill", "fills", "seat", "deal", "vote", "first", "job", "jobs", "post"}


# --- triggers: generated from data/triggers.toml (one line of data per trigger) ------------------
from . import vocabulary as _vocabulary  # noqa: E402  (needs the role words above)

# the person is the subject: "X resigned"; verb + particle: ("step", "down")
DEPART_SUBJ = _vocabulary.verbs("departure", "subject")
DEPART_PHRASAL = _vocabulary.verbs("departure", "subject", phrasal=True)
# the person is the object (passive subject): "Trump fired X", "X was sacked"
DEPART_OBJ = _vocabulary.verbs("departure", "object")
DEPART_OBJ_PHRASAL = _vocabulary.verbs("departure", "object", phrasal=True)
# the person is the object (passive subject): "X was appointed", "Y named X as ..."
APPOINT_OBJ = _vocabulary.verbs("appointment", "object")
APPOINT_OBJ_PHRASAL = _vocabulary.verbs("appointment", "object", phrasal=True)
# the person is the subject: "X joins Y as ...", "X takes over as ..."; replace/succeed: both
APPOINT_SUBJ = _vocabulary.verbs("appointment", "subject") | _vocabulary.verbs("replace")
APPOINT_PHRASAL = _vocabulary.verbs("appointment", "subject", phrasal=True)
DEPART_NOUNS = _vocabulary.nouns("departure")
APPOINT_NOUNS = _vocabulary.nouns("appointment")
