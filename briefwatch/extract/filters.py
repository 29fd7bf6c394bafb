"""Why a matching phrase is not an event: history, denial, hypothesis, doubt, sport, elections.

Each check looks at the clause that holds the trigger (a sentence is cut at commas, semicolons,
dashes and a few conjunctions), so "his forces had managed to capture 48 more settlements in
Nagorno-Karabakh, an ethnic Armenian enclave that broke away ... in the 1990s" keeps the capture
and drops only the 1990s clause. A veto returns the reason, for `trace` and for tests.
"""

from __future__ import annotations

import re
from collections.abc import Collection
from datetime import date

from briefwatch.extract.lexicon import scanning, sentence_words, words

# Clause boundaries: punctuation, and conjunctions that start a new statement.
_CLAUSE_BREAK = scanning(
    # A comma inside a figure ("30,000") is not a clause break.
    r",(?!\d{3}\b)|[;:()\"“”—–]|[.!?]\s|\s-\s|\b(?:while|whereas|although|though|but|however)\b|\band\s+(?=the\s|it\s|its\s)"
)
# "in 1992", "in the 1990s", "in November 2022", "in late September 2020". Whether a dated
# statement is history depends on when it was published (`_recent`).
DATED = scanning(
    r"\b[Ii]n\s+(?:the\s+)?(?P<part>early\s+|late\s+|mid-?)?(?:(?P<month>[A-Z][a-z]+)\.?\s+)?"
    r"(?:\d{1,2},?\s+)?(?P<year>1\d\d\d|20\d\d)(?P<decade>s|['’]s)?\b"
    # "on February 13, 1945", "on 13 February 1945"
    r"|\b[Oo]n\s+(?:(?P<month2>[A-Z][a-z]+)\.?\s+\d{1,2},?|\d{1,2}\s+(?P<month3>[A-Z][a-z]+),?)\s+"
    r"(?P<year2>1\d\d\d|20\d\d)\b"
)
MONTHS = {m: i for i, m in enumerate(
    ("jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"), 1
)}  # fmt: skip
HISTORY = scanning(
    r"\b(?:decades?|years?|centuries|century|(?:several|six|seven|eight|nine|ten|eleven|twelve|\d+)"
    r"\s+months)\s+ago\b"
    # ("since the 2021 coup" is the time since then, not the coup)
    r"|\b(?=[12]\d\d\d)(?<![Ss]ince\sthe\s)(?:1\d|20)\d\ds?\s+(?:war|conflict|fighting|earthquake|genocide|famine|massacre|"
    r"revolution|uprising|siege|invasion|battle|unrest|riots|crackdown|coup)\b"
    r"|\bbetween\s+1\d\d\d\s+and\s+(?:1\d\d\d|20\d\d)\b"
    # ("back in 2014", not "is back in the hands of the army")
    # ("back in army hands", "back in Ukrainian control" are now)
    r"|\bback\s+in\b(?!\s+(?:the\s+hands|(?:[\w’'-]+\s+){0,2}(?:hands|control)|charge|power|action))|\bformerly\b|\bhistorically\b|\bat\s+the\s+time\b"
    # background in a report: "had taken the two districts last year", "earlier this year"
    r"|\b(?:late\s+|early\s+)?last\s+year\b|\bearlier\s+this\s+year\b|\ba\s+year\s+(?:ago|earlier|after|before)\b"
    r"|\b(?:first|last|previous|earlier|later)\s+(?:war|conflict)\b"
    r"|\bwar\s+in\s+the\s+\d{4}s\b|\bsiege\s+of\s+Leningrad\b"
    r"|\b(?:war|conflict|fighting|occupation|siege)\s+(?:of|from|between|in)\s+(?:the\s+)?(?:1\d|20)\d\d"
    r"|\b(?:1\d|20)\d\d\s*(?:-|–|to)\s*(?:1\d|20)?\d\d\b"
    # "From 27 February 2022 to 10 September 2022, Russian forces held Kupiansk"
    r"|\b[Ff]rom\s+(?:\d{1,2}\s+)?[A-Z][a-z]+\s+(?:\d{1,2},?\s+)?(?:1\d|20)\d\d\s+(?:to|until)\b"
    r"|\b(?:1[0-9]|20)(?:st|nd|rd|th)\s+century\b"
    # "Russia's biggest victory since capturing the port of Mariupol last month"
    r"|\b[Ss]ince\s+(?:\w+ly\s+)?\w+ing\b"
    r"|\b[Ss]ince\s+the\s+(?:fall|capture|liberation|seizure|takeover|loss|recapture)\s+of\b"
    r"(?!\s+(?:19|20)\d\d)"  # ("since the fall of 2023" is a season)
    # "since 2014, when the Houthis captured the capital": what happened then
    r"|\b[Ss]ince\s+(?:1\d|20)\d\d\s*,?\s+when\b"
)
# Anniversaries: "30 years since the genocide", "the 80th anniversary". History in their own
# clause only: "On the third anniversary of the invasion, drones killed five" is today's news.
ANNIVERSARY = scanning(
    # ("more than four years after it was divided" is how long, not an occasion)
    r"(?<!than\s)(?<!over\s)(?<!nearly\s)(?<!almost\s)"
    r"\b(?:\d+|[A-Za-z]+(?:-[a-z]+)?)\s+years\s+(?:since|after)\s+(?!\w+\s+(?:began|started)\b)"
    r"|\banniversary\b"
)
# Deaths that are not the conflict's: a casualty figure next to these words is not a claim.
NOT_CONFLICT = scanning(
    r"\b(?:earthquakes?|quakes?|aftershocks?|floods?|flooding|hurricanes?|typhoons?|cyclones?|tsunamis?|wildfires?|"
    r"landslides?|mudslides?|avalanches?|droughts?|pandemic|epidemics?|outbreaks?|coronavirus|"
    r"covid(?:-19)?|cholera|measles|malaria|ebola|heatwaves?|road\s+accidents?|car\s+crash(?:es)?|"
    r"accidents?|collisions?|collided|derailed|derailment|capsized|plunged|overturned|stampedes?|"
    r"buses|bus|highway|motorway|train\s+crash|plane\s+crash|air\s+crash|mine\s+collapse|"
    r"building\s+collapse|fire\s+broke\s+out|blaze|gas\s+leak|food\s+poisoning|overdoses?|"
    r"plague|black\s+death|influenza|flu|tuberculosis|cancer|heart\s+disease|air\s+pollution|"
    r"smoking|alcohol|opioids?|fentanyl|famine|starvation|hunger|cold\s+snap|storms?|"
    r"blizzards?|lightning|volcan(?:o|ic)|eruption|explosion\s+at\s+(?:a|the)\s+(?:factory|plant|mine)|"
    r"collapsed|collapse|crashed|training\s+(?:flight|exercise|accident|mission|drill)|shaft|"
    r"(?:a|the)\s+fire\s+(?:at|in|broke|swept|engulfed|that)|fires?\s+(?:that\s+)?(?:swept|raged|burned|"
    r"broke|spread)|forest\s+fires?|bush\s*fires?|blaze|cylinder|mpox|monkeypox|dengue|diphtheria|"
    r"polio|hiv|aids|virus|infections?|illness|diseases?|heat|air\s+pollution|smog|"
    # seen on real ordinary news: a cave-in, a ferry that sank, rains, a fire that ignited
    r"cave-ins?|downpours?|torrential|rains|rainfall|ferry|ferries|shipwreck|"
    r"tipped\s+over|magnitude|tremors?|inferno|fire\s+(?:ignited|started)|rescue\s+workers|"
    # seen on real ordinary news (issue 12, fourth round): fires by their flames, animals by who
    # tends them ("Seventy-two were found dead and 10 were euthanized by veterinarians")
    # "killed in a crash involving two helicopters" (a shooting-down says "shot down")
    r"(?:in|after)\s+(?:a|the)\s+(?:[\w-]+\s+){0,2}?crash(?:es)?\b(?!\s+site)|"
    r"(?:deadly|deadliest|destructive|huge|massive|raging|brush|grass|house|apartment|forest)\s+fires?|"
    # an animal's attack, a heart attack, rocks that fell: no one's violence
    r"(?:shark|bear|dog|crocodile|alligator|lion|tiger|leopard|elephant|hippo|snake|wolf|heart)\s+"
    r"attacks?|mauled|trampled|falling\s+rocks?|rockfalls?|"
    r"parachutes?\s+(?:failed|malfunctioned|did\s+not\s+open)|malfunction(?:ed|ing)?|"
    r"tornado(?:es)?|twisters?|hailstorms?|snowstorms?|monsoons?|flash\s+floods?|"
    r"flames|engulfed|incinerated|blazes|fires\s+across|fire\s+(?:tore|ripped|raced|razed|gutted)|"
    r"euthani[sz]ed|veterinarians?|culled|stranded|stranding|beached|carcasses|avian|bird\s+flu|"
    r"poultry|livestock|wildlife|"
    # seen on real ordinary news (issue 12, general-news probe 8): a monsoon told by its rain and
    # mud, a road wreck by the road, a blast by the plant it wrecked, an air disaster by the
    # runway, a storm's dead by how they died
    r"(?:heavy|incessant|torrential|monsoon|days\s+of)\s+rain|mud|boulders|"
    r"(?:wrong-way|head-on|highway|freeway|interstate|road|traffic|car|truck)\s+wrecks?|"
    r"freeways?|interstate|runways?|caught\s+fire|electrocuted|drown(?:ed|ing|ings)?|"
    r"chemical\s+(?:reaction|plant|factory|leak|spill)|"
    r"(?:blasts?|explosions?)\s+(?:[\w-]+\s+){0,6}?(?:at|in|through|wiped\s+out)\s+(?:a|an|the)\s+"
    r"(?!(?:ammunition|arms|munitions|weapons|nuclear|power|military)\b)(?:[\w-]+\s+){0,2}?"
    r"(?:factory|plant|refinery|warehouse|mill|mine|pipeline|depot)\b)\b",
    re.I,
)
# A rate is no event: "570 to 800 deaths every year", "1.3 million people die each year",
# "8.2 road deaths per 100,000 inhabitants", "the annual average".
RATE = scanning(
    r"\b(?:every|each|per|a)\s+(?:year|decade)\b|\bannually\b|\bannual\s+(?:average|toll|number)\b|"
    r"\bper\s+(?:capita|\d[\d,.]*\s+(?:inhabitants|people|residents|population))\b|"
    r"\b(?:death|fatality|mortality)\s+rates?\b|\bin\s+the\s+(?:year|12\s+months)\s+to\b",
    re.I,
)
_RATE_WORDS = words("every each per year decade annually annual capita rate rates")
# A training accident is not the conflict's even when soldiers die in it.
TRAINING = scanning(
    r"\btraining\s+(?:flight|exercise|accident|mission|drill|jump|sortie)s?\b", re.I
)
# ... unless the sentence names an act of war too: "an air strike killed nine people at a cholera
# treatment centre" is a conflict casualty.
ACT_OF_WAR = scanning(
    r"\b(?:strikes?|shell(?:s|ed|ing)?|"
    # (checked only once "attack" matched: not an animal's, not a heart attack)
    r"attack(?<!shark\sattack)(?<!bear\sattack)(?<!dog\sattack)(?<!heart\sattack)"
    r"(?<!crocodile\sattack)(?<!lion\sattack)(?<!tiger\sattack)(?<!elephant\sattack)"
    r"(?<!snake\sattack)(?<!wolf\sattack)(?<!alligator\sattack)(?<!leopard\sattack)"
    r"(?<!hippo\sattack)s?|"
    r"bomb(?:s|ed|ing|ings)?|drones?|missiles?|rockets?|"
    r"artillery|fighting|clashes|gunmen|raids?|ambush(?:ed)?|shot|shooting|mines?|troops|forces|"
    r"explosives?|IEDs?|booby-?trap(?:ped|s)?|rigged|tunnels?|snipers?|gunfire|militants|insurgents|"
    r"rebels|shrapnel|grenades?|mortars?|war|conflict|violence|insurgency|"
    # security-force copy: "the suicide blast led to the collapse of a wall, resulting in ..."
    r"suicide|terror|terrorists?|bombers?|gunfight|firefight|bandits|jihadists?|militiamen)\b",
    re.I,
)
DENIAL = scanning(
    r"\b(?:not(?!\s+(?:only|just|merely|simply)\b)|n['’]t|never|no\s+longer|neither|nor|denied|denies|deny|denying|rejected|rejects|"
    r"dismissed|refuted|false|untrue|no\s+one|nobody|none|denials?\s+that|"
    # "confirmed the presence of rebels in X but stopped short of saying they controlled it"
    r"stop(?:ped|s)?\s+short\s+of)\b",
    re.I,
)
# A failed attempt says nothing about who holds the place now: not a claim at all.
# ("failed in their bid to seize X", "failed in an attempt to take X")
FAILED = scanning(
    r"\b(?:failed|fail|fails|unable)\s+(?:in\s+(?:their|its|his|her|an?|the)\s+(?:[\w-]+\s+)?"
    r"(?:bid|attempts?|efforts?|push|offensive|drive)\s+)?to\b",
    re.I,
)
# Intent, not an event: "an offensive to retake Kupiansk", "a push to capture the city".
# "rejected the idea of withdrawing Ukrainian forces from": no event
IDEA_OF = scanning(
    r"\b(?:idea|prospect|possibility|option|threat|plans?|talk|calls?|risk)\s+of\s+$", re.I
)
# "to stop farmers from entering it": prevented, not done
PREVENTED = scanning(
    r"\b(?:stop|stopped|stopping|prevent|prevented|preventing|keep|kept|bar|barred|block|blocked|"
    r"deter|deterred)\b[^,.;]{0,40}?\bfrom\s+$",
    re.I,
)
INTENT = scanning(
    r"\b(?:offensive|counteroffensive|counter-offensive|push|bid|attempts?|efforts?|operations?|"
    r"assaults?|"
    r"campaign|plans?|drive|mission|order|orders|ordered|vowed|pledged|promised|hoping|hopes|"
    r"aiming|seeking|intending|wants?|wanted|wanting|needs?|ability|advancing|moving|marching|"
    r"racing|poised|closer|close|threaten|threatens|threatening|look|looks|looking|looked)\s+to\s+$"
    r"|\b(?:aimed|aiming|aim|aims)\s+at\s+$",
    re.I,
)
# A denial that follows what it denies: "... had lost 200 people is unfounded", "..., which is
# not true".
DENIED_AFTER = scanning(
    r"\b(?:is|are|was|were|be)\s+[\"“”‘’']?(?:\w+\s+){0,2}?(?:unfounded|baseless|groundless|false|"
    r"untrue|fake|not\s+true|a\s+lie|lies|fabricated|fabrications?|disinformation|propaganda)\b",
    re.I,
)
UNCONFIRMED_AFTER = scanning(
    r"\b(?:is|are|was|were|remains?|remained)\s+(?:still\s+|as\s+yet\s+)?(?:unconfirmed|unverified|"
    r"not\s+(?:yet\s+)?(?:confirmed|verified))\b",
    re.I,
)
# "was not in a position to confirm the capture": not a denial, doubt.
NOT_CONFIRMED = scanning(
    r"\b(?:not|n['’]t|unable|no\s+way)\s+(?:[\w’'-]+\s+){0,5}?(?:confirm|verify|corroborate)\b",
    re.I,
)
DENIED_REPORT = scanning(
    r"\b(?:denied|denies|deny|denying|rejected|rejects|rejecting|dismissed|dismisses|dismissing|"
    r"refuted|refutes|refuting)\b[^.;]{0,100}?\b(?:reports?|claims?|allegations?|assertions?)\b",
    re.I,
)
REPORTS_THAT = scanning(
    r"\b(?:reports?|claims?|allegations?)\s+(?:\w+\s+){0,6}?(?:that|of)\b", re.I
)
UNCERTAIN = scanning(
    r"\b(?:whether|unclear|uncertain|unconfirmed|rumou?rs?|rumou?red|conflicting\s+reports)\b", re.I
)
# Modal or future wording before the trigger. "may have been killed" is an estimate about the
# past, not a hypothesis, so a modal followed by "have" does not count.
HYPOTHETICAL = scanning(
    r"\b(?:(?:could|might|(?-i:may)|would)(?!\s+have\b)|will|shall|['’]ll|going\s+to|plans?\s+to|"
    r"planning\s+to|intends?\s+to|aims?\s+to|vow(?:s|ed)?\s+to|threaten(?:s|ed)?\s+to|"
    r"expected\s+to|set\s+to|ready\s+to|about\s+to|agreed\s+to|agree\s+to|(?:is|are|was|were)\s+to|must|"
    # ("It should be recalled that ... has liberated X" is no hypothesis)
    r"should(?!\s+be\s+(?:recalled|noted|remembered|stressed|emphasi[sz]ed|mentioned))|"
    r"want(?:s|ed)?\s+to|tried\s+to|try\s+to|trying\s+to|attempt(?:s|ed|ing)?\s+to|"
    r"seek(?:s|ing)?\s+to|sought\s+to|bid\s+to|fears?|feared(?!\s+(?:dead|killed|drowned|lost))|if|"
    r"unless|in\s+case|risk\s+of)\b",
    re.I,
)
SPORT = scanning(
    r"\b(?:title|league|match|goals?|scored|season|championship|cup|striker|coach|tournament|"
    r"derby|(?:first|second)\s+half|win\s+over|points|minute|prize|award|trophy|medal|festival|Grand\s+Prix|Oscar|"
    # plurals and events: "forced him to withdraw from the European championships"
    r"championships|tournaments|trophies|medals|Olympics|Paralympics|Wimbledon|semi-?finals?|quarter-?finals?)\b",
    re.I,
)
# The sport words no war report uses ("the final goal of the operation", "a season of
# fighting", "points along the front" are war copy): they veto even an armed actor's claim.
SPORT_ONLY = scanning(
    r"\b(?:league|championship|cup|striker|coach|tournament|derby|(?:first|second)\s+half|"
    r"trophy|medal|Grand\s+Prix|Oscar|title|championships|tournaments|trophies|medals|Olympics|"
    r"Paralympics|Wimbledon|semi-?finals?|quarter-?finals?)\b",
    re.I,
)
ELECTION = scanning(
    r"\b(?:elections?|by-election|votes?|voters|seats|ballots?|polls?|constituency|landslide|"
    r"city\s+council|parliamentary|Senate|midterms?|primary|primaries|electoral|campaign)\b",
    re.I,
)

# Market copy: "Yum Brands fell after ...", "Oil fell", "the index took a hit". No war report
# names shares and indices in the sentence that tells a town's fall.
MARKET = scanning(
    # (not "shares a border", "stocks of ammunition", "crude barrel bombs": war copy has those)
    r"\b(?:Nasdaq|Dow\s+Jones|the\s+Dow|FTSE|Nikkei|Kospi|S&P|DAX|CAC\s+40|Hang\s+Seng|"
    r"stock\s+(?:markets?|exchanges?|index|indices|prices?)|share\s+prices?|"
    r"shares\s+(?:in|of|fell|rose|closed|gained|slid|dropped|jumped|traded|tumbled)|investors|"
    r"earnings|quarterly|profit\s+(?:outlook|forecast|warning)s?|index|indices|sell-?off|"
    r"market\s+(?:value|share|capitali[sz]ation)|traded\s+(?:lower|higher)|(?:a|per)\s+barrel|"
    r"bear\s+market|bull\s+market|(?:energy|tech|bank|oil|mining)\s+stocks|revenues?|"
    r"sales\s+(?:slumped|fell|dropped|slid|plunged|rose|grew|jumped|slowed))\b",
    re.I,
)
_MARKET_WORDS = words(
    """shares share stocks stock investors earnings quarterly profit profits nasdaq dow ftse
    nikkei kospi dax cac hang index indices indexes benchmark barrel crude futures bond bonds
    yield yields sell selloff market traded bear bull revenue revenues sales"""
)
# Civil unrest: guards and police withdraw from a capital, protesters take a square; with no
# word of war in the sentence, no place changed hands.
PROTEST = scanning(
    r"\b(?:protests?|protesters|demonstrators|demonstrations|curfews?|riots?|rioters|unrest|"
    r"looting|marchers)\b",
    re.I,
)
_PROTEST_WORDS = words(
    "protest protests protesters demonstrators demonstrations curfew curfews riot riots "
    "rioters unrest looting marchers"
)
# Crowds that take a city over are visitors, not forces (with no word of war in the sentence).
_CROWD_WORDS = words(
    "tourists visitors holidaymakers sightseers fans shoppers spectators revellers partygoers"
)
# A drill, a war game, a simulation, a re-enactment: what troops take in one is not taken.
# ("Russia exercises full control over X" is a hold, not a drill.)
EXERCISE = scanning(
    r"\b(?:exercises?|drills?|war\s*-?games?|wargames?|simulations?|manoeuvres|maneuvers|"
    r"re-?enactments?|re-?enactors?|rehearsals?)\b"
    r"(?!\s+(?:\w+\s+)?(?:control|authority|sovereignty|power|influence|restraint|caution)\b)",
    re.I,
)
# ... in its own clause, the sentence's opening, or "during an exercise" anywhere ("days after
# drills near the front" does not make a capture a drill)
_DURING_EXERCISE = scanning(
    r"\b(?:during|in)\s+(?:a|an|the)\s+(?:[\w-]+\s+){0,3}?(?:exercises?|drills?|war\s*-?games?|"
    r"wargames?|simulations?|manoeuvres|maneuvers|re-?enactments?)\b",
    re.I,
)


_EXERCISE_WORDS = words(
    """exercise exercises drill drills wargame wargames game games simulation simulations
    manoeuvres maneuvers enactment enactments reenactment reenactments enactor enactors
    reenactor reenactors rehearsal rehearsals"""
)


# "Missile strikes killed up to 60 soldiers as they conducted training exercises": the drill is
# what the victims were doing when an attack struck them, not the event itself
_VICTIMS_AT_DRILL = re.compile(
    r"\s(?:as|while|when)\s+(?:they|the\s+\w+)\s+(?:were\s+)?(?:conduct|hold|held|carr|tak|"
    r"train|practis|practic|rehears)\w*\b[^.;]{0,40}?\b(?:exercises?|drills?|manoeuvres|"
    r"maneuvers)\b",
    re.I,
)


_MISHAP = re.compile(
    r"\b(?:accident(?:al|ally)?|crash(?:ed)?|misfired?|malfunction(?:ed)?|friendly\s+fire|"
    r"exploded\s+prematurely|stray)\b",
    re.I,
)


def _struck_at_drill(sentence: str, start: int, end: int) -> bool:
    """Whether a casualty's exercise is only the victims' activity: an act of war struck them
    (before the figure) while they drilled (after it)."""
    at = _VICTIMS_AT_DRILL.search(sentence, end)
    return bool(at and ACT_OF_WAR.search(sentence, 0, start) and not _MISHAP.search(sentence))


def frames_a_drill(sentence: str, tokens: Collection[str]) -> bool:
    """Whether a sentence sets a drill as the frame of what follows it in its paragraph ("In the
    war game, an invading force crosses the border. Tanks surrounded the village of X").
    ``tokens``: the sentence's words, so that most sentences cost a set lookup, not a scan."""
    return not _EXERCISE_WORDS.isdisjoint(tokens) and _DURING_EXERCISE.search(sentence) is not None


# Who tells of the past: what historians and archaeologists say was captured is history.
_HISTORIAN_WORDS = words("historian historians archaeologist archaeologists chronicler chroniclers")
# Police who surround a house or a town make an arrest, not a siege (with no word of war).
_COPS = r"(?:police|policemen|officers|deputies|troopers|SWAT|sheriff(?:['’]s)?)"
POLICE = scanning(
    rf"\b(?:surrounded|encircled|cordoned\s+off|besieged)\s+by\s+(?:the\s+)?(?:[\w-]+\s+)?{_COPS}\b"
    rf"|\b{_COPS}\s+(?:had\s+|have\s+|has\s+)?(?:surrounded|encircled|cordoned\s+off)\b",
    re.I,
)
_POLICE_WORDS = words("police policemen officers deputies troopers swat sheriff")

# Pre-filters for the three sentence-wide checks above: a word each of their phrasings contains.
_NOT_CONFLICT_WORDS = words(
    """earthquake earthquakes quake quakes aftershock aftershocks flood floods flooding hurricane
    hurricanes typhoon typhoons cyclone cyclones tsunami tsunamis wildfire wildfires landslide
    landslides mudslide mudslides avalanche avalanches drought droughts pandemic epidemic
    epidemics outbreak outbreaks coronavirus covid cholera measles malaria ebola heatwave
    heatwaves accident accidents crash crashes collision collisions collided derailed
    derailment capsized plunged overturned stampede stampedes bus buses highway motorway blaze
    broke leak poisoning overdose overdoses plague black influenza flu tuberculosis cancer
    disease pollution smoking alcohol opioid opioids fentanyl famine starvation hunger snap
    storm storms blizzard blizzards lightning volcano volcanic eruption factory collapsed
    collapse crashed training shaft fire fires cylinder mpox monkeypox dengue diphtheria polio
    hiv aids virus infection infections illness diseases heat smog cave downpour
    downpours torrential rains rainfall ferry ferries shipwreck tipped magnitude
    tremor tremors inferno ignited started rescue flames engulfed incinerated blazes fires tore
    ripped raced razed gutted euthanized euthanised veterinarian veterinarians culled stranded
    stranding beached carcasses avian bird poultry livestock wildlife tornado tornadoes twister
    twisters hailstorm hailstorms snowstorm snowstorms monsoon monsoons flash shark bear dog
    crocodile alligator lion tiger leopard elephant hippo snake wolf heart mauled trampled
    falling rockfall rockfalls parachute parachutes malfunction malfunctioned malfunctioning
    rain mud boulders wreck wrecks freeway freeways interstate runway runways caught electrocuted
    drowned drowning drownings chemical blast blasts explosion explosions"""
)
_SPORT_WORDS = words(
    """title league match goal goals scored season championship cup striker coach tournament
    derby half win victory points minute prize award trophy medal festival grand oscar
    championships tournaments trophies medals olympics paralympics wimbledon semi semifinal
    semifinals quarter quarterfinal quarterfinals"""
)
_ELECTION_WORDS = words(
    """election elections vote votes voters seats ballot ballots poll polls constituency
    landslide council parliamentary senate midterm midterms primary primaries electoral
    campaign"""
)


# Words of violence (not of rescue: armies and troops dig people out of rubble too).
_WAR_TEXT = scanning(
    r"\b(?:war|wars|conflict|militants|rebels|insurgents|militia|jihadists|air\s*strikes?|"
    r"drone\s+strikes?|missile\s+strikes?|shelling|shelled|bomb(?:s|ed|ing|ings)?|missiles?|drones?|"
    r"attacks?|gunmen|ambush\w*|combat|fighting|clashes|offensive|invasion|occupation|artillery|"
    r"shot|shooting|gunfire|raids?)\b",
    re.I,
)
# A page about the Second World War: its battles are history, whatever their tense.
_WW2 = scanning(
    r"\b(?:Nazis?|Wehrmacht|Luftwaffe|D-Day|World\s+War\s+(?:II|Two|2|I|One|1)|Second\s+World\s+War|"
    r"First\s+World\s+War|WWII|WWI|Third\s+Reich|Red\s+Army|Allied\s+(?:forces|troops|armies)|"
    r"the\s+Allies|Hitler|Panzer\w*|Ottomans?|Napoleon\w*|medieval|crusaders?|1[0-8]\d\d|19[0-4]\d|"
    # the American Civil War: "Lee's retreat from Gettysburg ... Vicksburg to Union forces"
    r"Confedera(?:te|cy)|Union\s+(?:army|forces|troops|soldiers)|Gettysburg|Antietam|Appomattox|"
    # the city's name from 1924 to 1991, of a siege and a battle that are history
    r"(?:siege|blockade|battle)\s+of\s+(?:Leningrad|Stalingrad))\b"
)
_RECENT_YEAR = scanning(r"\b20\d\d\b")
_WW2_WORDS = words(
    "nazi nazis wehrmacht luftwaffe wwii wwi reich hitler panzer panzers ottoman ottomans "
    "napoleon napoleonic medieval crusader crusaders confederate confederacy gettysburg antietam "
    "appomattox leningrad stalingrad"
)
_WW2_YEAR = scanning(r"\b(?:1[0-8]\d\d|19[0-4]\d)\b")
# Single words of violence: one of them in a text is enough to keep its casualty figures.
_WAR_TOKENS = words(
    """war wars conflict militants rebels insurgents militia jihadists airstrike airstrikes
    shelling shelled bomb bombs bombed bombing bombings missile missiles drone drones attack
    attacks gunmen ambush ambushed combat fighting clashes offensive invasion occupation
    artillery shot shooting gunfire raid raids suicide terror terrorist terrorists bombers
    gunfight firefight bandits"""
)


def history_text(text: str) -> bool:
    """Whether a whole text is about the Second World War and nothing later: two or more of its
    markers (the Wehrmacht, D-Day, 1944 ...) and no year after 1999."""
    if _WW2_WORDS.isdisjoint(sentence_words(text)) and not _WW2_YEAR.search(text):
        return False
    markers = {m.group().lower() for m in _WW2.finditer(text)}
    return len(markers) >= 2 and not _RECENT_YEAR.search(text)


_MILITARY_WORDS = words("troops forces army soldiers military fighters armed")
# Said of a whole story, not of one sentence: a helicopter "crash" in a war story is often a
# shooting-down, but a story that speaks of "the crash" and no violence at all is an accident.
_CRASH_STORY = scanning(
    r"\b(?:the|a|its)\s+crash\b|\b(?:air|aviation|rail|mining)\s+disaster\b", re.I
)


# What a story told has (a novel, a film, a game): three of these and its sieges, captures and
# dead are the story's ("an army lays siege to the city of Varenna", "Dozens of soldiers are
# killed on screen", "our army surrounded the city of Rouen ... and took it").
_FICTION = scanning(
    r"\b(?:novels?|fiction|fantasy|paperback|chapters?|protagonists?|readers?|plot|characters|"
    r"films?|movies?|premiere|actors|on\s+screen|cinemas?|box\s+office|screenplay|genre|gameplay|"
    r"play-?through|consoles?|gamers|sequel|trilogy|instal?ments?)\b",
    re.I,
)
_FICTION_WORDS = words(
    """novel novels fiction fantasy paperback chapter chapters protagonist protagonists reader
    readers plot characters film films movie movies premiere actors screen cinema cinemas box
    screenplay genre gameplay play playthrough console consoles gamers sequel trilogy instalment
    instalments installment installments"""
)


def fiction_text(text: str) -> bool:
    """Whether a whole text is about a story told (a book, a film, a game): three or more
    different words of one."""
    tokens = sentence_words(text)
    if len(_FICTION_WORDS & tokens) < 3:
        return False
    return len({m.group().lower() for m in _FICTION.finditer(text)}) >= 3


# A war word in a simile or in another sense is no war: "going off like bombs", "it looked like
# a war zone", "drowned while shooting a video of the waves", "a bomb cyclone"
_SIMILE = scanning(
    r"\blike\s+(?:a\s+|an\s+)?(?:bombs?|war\s*zones?|battlefields?|gunfire|explosions?|"
    r"shelling|(?:an?\s+)?atomic\s+bomb)\b"
    r"|\bshooting\s+(?:a\s+|the\s+|some\s+)?(?:videos?|films?|footage|photos?|pictures?|"
    r"scenes?|selfies?|hoops)\b"
    r"|\bbomb\s+cyclones?\b|\bbombing\s+out\b|\bbombogenesis\b",
    re.I,
)
_SIMILE_WORDS = words("like shooting bomb bombing bombogenesis")


def not_conflict_text(text: str) -> bool:
    """Whether a whole text is about a disaster, a disease or an accident and never about war,
    or is a story told (`fiction_text`): then none of its figures is a conflict casualty ("More
    than 35 passengers were injured" after a sentence on the bus that fell down a hill)."""
    if fiction_text(text):
        return True
    tokens = sentence_words(text)
    if _NOT_CONFLICT_WORDS.isdisjoint(tokens):
        return False
    if not _WAR_TOKENS.isdisjoint(tokens) and not _SIMILE_WORDS.isdisjoint(tokens):
        text = _SIMILE.sub(" ", text)  # "propane tanks going off like bombs" in a fire story
        tokens = sentence_words(text)
    if not _WAR_TOKENS.isdisjoint(tokens):
        return False
    if _WAR_TEXT.search(text):
        return False
    if NOT_CONFLICT.search(text):
        return True
    # (a crash of troops' aircraft may be a shooting-down: the story must say more)
    return _MILITARY_WORDS.isdisjoint(tokens) and _CRASH_STORY.search(text) is not None


# (more than the sentence veto's words: said of a whole text, "seat" and "turnout" are a vote's)
_VOTE_WORDS = _ELECTION_WORDS | words("seat councils councillors councilors turnout ward wards")


def election_text(text: str) -> bool:
    """Whether a whole text is about a vote and names no armed force nor any violence: then a
    party that "took Eastbourne from the Liberal Democrats" in it won a seat, not a town."""
    tokens = sentence_words(text)
    if len(_VOTE_WORDS & tokens) < 2:
        return False
    if not _MILITARY_WORDS.isdisjoint(tokens) or not _WAR_TOKENS.isdisjoint(tokens):
        return False
    return ACT_OF_WAR.search(text) is None


def not_war_text(text: str) -> bool:
    """Whether a whole text is about a disaster, a disease or an accident and names no armed
    force either: then no place in it changed hands ("We lost the whole town of X" after a
    flood), or is a story told (`fiction_text`)."""
    if fiction_text(text):
        return True
    return _MILITARY_WORDS.isdisjoint(sentence_words(text)) and not_conflict_text(text)


def clause_bounds(sentence: str, start: int, end: int) -> tuple[int, int]:
    """The clause around the span [start, end): from the last break before to the next after."""
    left = 0
    for m in _CLAUSE_BREAK.finditer(sentence, 0, start):
        left = m.end()
    nxt = _CLAUSE_BREAK.search(sentence, end)
    right = nxt.start() if nxt else len(sentence)
    return left, right


def _recent(m: re.Match[str], today: date | None) -> bool:
    """Whether a dated phrase is this report's own time: its month or the month before.

    Without a publication date every date counts as history (a briefing rarely dates today's
    events with a year); a bare year or a decade always does.
    """
    named = m["month"] or m["month2"] or m["month3"]
    if today is None or m["decade"] or m["part"] or not named:
        return False
    month = MONTHS.get(named[:3].lower())
    if month is None:
        return False
    months_ago = (today.year - int(m["year"] or m["year2"])) * 12 + today.month - month
    return 0 <= months_ago <= 1


# A date right after what a trigger is about: "withdraw from the capital, Mogadishu, in August
# 2011" (the comma would end the clause before the date)
DATED_AFTER = scanning(
    r"\s*,?\s*(?=[Ii]n\s+(?:the\s+)?(?:early\s+|late\s+|mid-?)?(?:[A-Z][a-z]+\.?\s+)?"
    r"(?:\d{1,2},?\s+)?(?:1[89]|20)\d\d"
    # "occupied the Aghdam District on July 23, 1993"
    r"|[Oo]n\s+(?:[A-Z][a-z]+\.?\s+\d{1,2},?|\d{1,2}\s+[A-Z][a-z]+,?)\s+(?:1[89]|20)\d\d)"
)


def dated_after(sentence: str, pos: int, today: date | None = None) -> bool:
    """Whether the words right after ``pos`` date what comes before them in the past."""
    m = DATED_AFTER.match(sentence, pos)
    return bool(m) and is_history(sentence[m.end() : m.end() + 30], today)


# "the first capital taken since the military's overthrow of the government in February 2021":
# a date after "since" says from when, and what is told comes after it
_SINCE_BEFORE = scanning(r"\bsince\b[^,;.]*$", re.I)


def is_history(text: str, today: date | None = None, *, lead: bool = False) -> bool:
    """Whether a clause speaks of the past: an old date, "decades ago", "the 1994 war" ...
    (``lead``: the text is a sentence's opening adverbial, where an anniversary dates the
    occasion, not the event)."""
    if any(not _recent(m, today) and not _SINCE_BEFORE.search(text, max(0, m.start() - 90),
                                                               m.start())
           for m in DATED.finditer(text)):  # fmt: skip
        return True
    if HISTORY.search(text):
        return True
    anniversary = "years" in text or "anniversary" in text  # (the regex would try every word)
    return not lead and anniversary and ANNIVERSARY.search(text) is not None


_A_YEAR = scanning(r"\b(?:1\d|20)\d\d")  # ("1990s" too)
# "in the first days of August 1944", "in the spring of 2019": a year a few words after "in"
_LOOSELY_DATED = scanning(
    r"\b(?:[Ii]n|[Oo]n|during)\s+(?:[\w,]+\s+){0,5}?(?P<year>1\d\d\d|20\d\d)\b"
)


# A war named as a time: what the sentences after it tell in the past tense is that war's.
_OLD_WAR_NAME = scanning(
    r"\b(?:(?:In|During|in|during|after|After)\s+(?:the\s+)?(?:World\s+War\s+(?:II|Two|2|I|One|1)|"
    r"Second\s+World\s+War|First\s+World\s+War|WWII|WWI|Great\s+War|Korean\s+War|Vietnam\s+War))\b"
)


def old_dated(sentence: str, today: date | None) -> bool:
    """Whether a sentence dates what it tells in the past ("in the first days of August 1944",
    "on April 15, 2019"): the sentence after it may go on telling that past. A year at least
    two before publication is the past (without a publication date, one before 2000)."""
    if _OLD_WAR_NAME.search(sentence):
        return True  # "In World War Two, for example, we built 27 aircraft carriers"
    if not _A_YEAR.search(sentence):
        return False  # most sentences name no year: one cheap scan instead of two
    if any(not _recent(m, today) for m in DATED.finditer(sentence)):
        return True
    latest = today.year - 2 if today else 1999
    return any(int(m["year"]) <= latest for m in _LOOSELY_DATED.finditer(sentence))


# What puts a sentence in the present again after a dated one: a verb in the present or
# present perfect ("have been killed", "is"), or a time of its own ("on Monday", "overnight").
_NOW = scanning(
    r"\b(?:has|have|is|are|am|now|today|tonight|yesterday|overnight|currently|still|this\s+"
    r"(?:week|month|morning|afternoon|evening|year)|last\s+(?:night|week|month)|earlier|later|"
    r"(?:on|late\s+on|early\s+on)\s+(?:Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday)|"
    r"in\s+(?:\w+\s+){0,3}(?:days?|weeks?|hours?)|since|so\s+far)\b",
    re.I,
)


def goes_on_in_the_past(sentence: str) -> bool:
    """Whether a sentence that follows an old-dated one tells the same past: it has no time and
    no present tense of its own ("About 16,000 fighters ... were killed" after "in August
    1944")."""
    return _NOW.search(sentence) is None and not DATED.search(sentence)


_LEAD = scanning(r"(?:[^,]|,(?=\s*(?:1\d|20)\d\d\b)){1,40},")


def _lead_clause(sentence: str) -> str:
    """A sentence's opening adverbial ("Two decades ago," / "In 2014,"), which governs it all."""
    # (a comma inside a date is no end: "On June 6, 1944, known as D-Day, ...")
    m = _LEAD.match(sentence)
    return m.group() if m else ""


_PARTICIPLE = scanning(r"\w+ing\b")


def _participle_head(sentence: str, left: int, start: int) -> str:
    """The clause a participle at ``start`` hangs from ("bombers attacked the city ..., starting
    on February 13, 1945, killing up to 25,000"): its time is the participle's time."""
    if not _PARTICIPLE.match(sentence, start) or sentence[left:start].strip():
        return ""  # the clause does not open with an -ing word
    if not sentence[max(0, left - 3) : left].rstrip().endswith(","):
        return ""  # ... right after a comma
    return sentence[max(0, left - 60) : left]


def denial_at(sentence: str, start: int, end: int) -> re.Match[str] | None:
    """The denial governing the trigger at [start, end): a negation or denial word before it in
    its clause ("denied that ... had fallen", "have not taken"), or one after it in the sentence
    ("... is unfounded")."""
    left, right = clause_bounds(sentence, start, end)
    return DENIAL.search(sentence, left, end) or DENIED_AFTER.search(sentence, end, right)


_DIGIT = scanning(r"\d")
_MONTHS_AFTER = re.compile(
    r"\b(?:a|one|two|three|four|five|six|seven|eight|nine|ten|eleven|several|few|\d+)\s+months?\s+"
    r"(?:after|since)\s+(?:[^,;.]{0,60}\s)?$",
    re.I,
)
_NEARLY = scanning(r"\b(?:nearly|almost|narrowly|all\s+but)\s+$", re.I)
_WHEN_DATED = scanning(
    r"\b(?:[IiOo]n|during)\s+[^,;.]{0,25}?\b1\d\d\d\b[^.;]{0,40}?\bwhen\s+(?:[^.;]{0,40}\s)?$"
)
_HISTORY_WORDS = words(
    "ago back formerly historically time war conflict siege century since anniversary years year"
)
_FAILED_WORDS = words("failed fail fails unable")
_HYPOTHETICAL_WORDS = words(
    """could might may would will shall ll going plan plans planning intend intends aim aims vow
    vows vowed threaten threatens threatened expected set ready about agreed agree must should
    want wants wanted tried try trying attempt attempts attempted attempting seek seeks seeking
    sought bid fear fears feared if unless case risk"""
)
_IS_TO = scanning(r"\b(?:is|are|was|were)\s+to\b")
_CONFIRM_WORDS = words("confirm verify corroborate")
_DENIAL_WORDS = words(
    """not t never longer neither nor denied denies deny denying rejected rejects rejecting
    dismissed dismisses dismissing refuted refutes refuting false untrue one nobody none denial
    denials short"""
)
_FALSE_WORDS = words(
    """unfounded baseless groundless false untrue fake true lie lies fabricated fabrication
    fabrications disinformation propaganda"""
)
_DOUBT_WORDS = words(
    """whether unclear uncertain unconfirmed rumour rumours rumor rumors rumoured rumored
    conflicting unverified confirmed verified"""
)


_NEO = scanning(r"\bneo-?\s*nazis?\b", re.I)


def _second_world_war(sentence: str, clause: str) -> bool:
    """Whether a sentence that names the Second World War's parties ("after Nazi propaganda
    claimed that hundreds of thousands died") tells of that war: its figure's clause has no time
    or present tense of its own. "neo-Nazis" in today's propaganda are not that war."""
    if _NEO.search(sentence) and not _WW2.search(_NEO.sub("", sentence)):
        return False
    return goes_on_in_the_past(clause)


# "Israel occupied East Jerusalem, where ..., during the 1967 Arab-Israeli war": the war's year
# dates the whole sentence, wherever it stands
_DURING_OLD_WAR = scanning(
    r"\b(?:during|in)\s+the\s+(?P<year>1\d\d\d|20\d\d)\s+(?:[\w-]+\s+){0,3}?(?:war|conflict|"
    r"fighting|offensive|invasion|campaign|uprising|revolution|siege|battle)\b"
)


def _old_war(sentence: str, today: date | None) -> bool:
    """Whether the sentence names a war of two or more years before the report as its time."""
    latest = today.year - 2 if today else 1999
    return any(int(m["year"]) <= latest for m in _DURING_OLD_WAR.finditer(sentence))


def veto(
    sentence: str, start: int, end: int, *, kind: str = "control", today: date | None = None
) -> str | None:
    """The reason the trigger at [start, end) is not a current event, or None if it is one.

    ``kind`` is "control" or "casualty": sport and election wording only vetoes control.
    ``today`` is the report's publication date, for dated phrases (see `_recent`).
    """
    left, right = clause_bounds(sentence, start, end)
    before = sentence[left:end]
    clause = sentence[left:right]
    # Each check's regex runs only when one of its words is in the sentence (most are not).
    tokens = sentence_words(sentence)
    dated = _DIGIT.search(sentence) is not None or not _HISTORY_WORDS.isdisjoint(tokens)
    if dated and (
        is_history(clause, today)
        or is_history(_lead_clause(sentence), today, lead=True)
        or is_history(_participle_head(sentence, left, start), today)
        or _old_war(sentence, today)
    ):
        return "history"
    if not _WW2_WORDS.isdisjoint(tokens) and _second_world_war(sentence, clause):
        return "history"
    if not _HISTORIAN_WORDS.isdisjoint(tokens):
        return "history"  # "Historians say the town of Vienna was captured in the siege"
    if (
        not _EXERCISE_WORDS.isdisjoint(tokens)
        and (
            EXERCISE.search(clause)
            or EXERCISE.search(_lead_clause(sentence))
            or _DURING_EXERCISE.search(sentence)
        )
        and not (kind == "casualty" and _struck_at_drill(sentence, start, end))
    ):
        return "exercise"  # "During the NATO exercise, paratroopers seized the town of Rakvere"
    if not _FAILED_WORDS.isdisjoint(tokens) and FAILED.search(before):
        return "failed"
    # Modal before negation: "would not withdraw" is no statement about today (while "has not
    # fallen" is a denial, which a control claim reads as contested).
    # (searched to the clause's end so that "feared dead" can see its "dead")
    if not _HYPOTHETICAL_WORDS.isdisjoint(tokens) or _IS_TO.search(sentence):
        modal = next(
            (h for h in HYPOTHETICAL.finditer(sentence, left, right) if h.start() < end), None
        )
        if modal or HYPOTHETICAL.search(_lead_clause(sentence)):
            return "hypothetical"
    window = max(0, start - 40)
    if INTENT.search(sentence, window, start) or IDEA_OF.search(sentence, window, start):
        return "hypothetical"
    if "from" in tokens and PREVENTED.search(sentence, max(0, start - 60), start):
        return "hypothetical"
    # "... so nearly captured", "almost took": it was not taken
    if _NEARLY.search(sentence, max(0, start - 20), start):
        return "failed"
    # a "when" clause after a past date is that date's: "in May 1992, when Armenian forces
    # captured it"
    when = _WHEN_DATED.search(sentence, 0, start)
    if when and is_history(when.group(), today):
        return "history"
    # "withdrew from X ... less than a month after taking control of the town": what the text
    # dates months before its news is background (hours or days after is the same news)
    months = kind == "control" and ("month" in tokens or "months" in tokens)
    if months and _MONTHS_AFTER.search(sentence, max(left, start - 90), start):
        return "history"
    if not _CONFIRM_WORDS.isdisjoint(tokens) and NOT_CONFIRMED.search(before):
        return "uncertain"
    denial_words = not _DENIAL_WORDS.isdisjoint(tokens)
    false_words = not _FALSE_WORDS.isdisjoint(tokens)
    if (denial_words and DENIAL.search(before)) or (
        false_words and DENIED_AFTER.search(sentence, end, right)
    ):
        return "denial"
    # "rejected as 'false' reports that eight soldiers were killed", "reports that it had lost
    # 40 soldiers were 'fake news'": the denial reaches into the reported clause
    if kind == "casualty" and (
        (denial_words and DENIED_REPORT.search(sentence, 0, start))
        or (false_words and REPORTS_THAT.search(sentence, 0, start)
            and DENIED_AFTER.search(sentence, end))
    ):  # fmt: skip
        return "denial"
    if not _DOUBT_WORDS.isdisjoint(tokens) and (
        UNCERTAIN.search(before) or UNCONFIRMED_AFTER.search(sentence, end, right)
    ):
        return "uncertain"
    # The sentence-wide checks scan the whole sentence: only when one of their words is in it.
    tokens = sentence_words(sentence)
    disaster = kind == "casualty" and not _NOT_CONFLICT_WORDS.isdisjoint(tokens)
    if disaster and NOT_CONFLICT.search(sentence) and not ACT_OF_WAR.search(sentence):
        return "not-conflict"
    if disaster and TRAINING.search(sentence) and not _struck_at_drill(sentence, start, end):
        return "not-conflict"  # a training accident, whoever the victims are
    if not _SPORT_WORDS.isdisjoint(tokens) and SPORT.search(sentence):
        return "sport"  # "43 fighters captured championship gold"
    if kind == "control" and not _ELECTION_WORDS.isdisjoint(tokens) and ELECTION.search(sentence):
        return "election"
    if kind == "control" and not _MARKET_WORDS.isdisjoint(tokens) and MARKET.search(sentence):
        return "market"
    if (
        kind == "control"
        and not _CROWD_WORDS.isdisjoint(tokens)
        and not ACT_OF_WAR.search(sentence)
    ):
        return "crowd"  # "Tourists overran Venice again this summer"
    if (
        kind == "control"
        and not _POLICE_WORDS.isdisjoint(tokens)
        and POLICE.search(sentence)
        and not ACT_OF_WAR.search(sentence)
    ):
        return "police"  # "the town of Cedar Park had been surrounded by officers"
    if (
        kind == "control"
        and not _PROTEST_WORDS.isdisjoint(tokens)
        and PROTEST.search(sentence)
        and not ACT_OF_WAR.search(sentence)
    ):
        return "protest"  # "ordered the withdrawal of the National Guard from Washington"
    if kind == "casualty" and not _RATE_WORDS.isdisjoint(tokens) and RATE.search(sentence):
        return "statistic"
    return None
