"""The words of the synthetic newsroom: sentence templates, written for the benchmark.

Every sentence is built from the templates below (none is copied from a real article), filled
from small vocabularies with a seeded `random.Random`, so the same seed gives the same corpus.
The mix follows what conflict briefings read like: most sentences are context (diplomacy, aid,
analysis, daily background), a few carry a casualty figure or a claim of control, and some only
look like one (history, denials, promised hand-overs), which the extractor must pass over.
"""

from __future__ import annotations

import random
from dataclasses import dataclass

# A fictional front: invented towns on a real-looking map, so nothing here reports a real event.
# (name, alias or "", kind). Aliases exercise "X, known as Y": one place, one fact.
PLACES: tuple[tuple[str, str, str], ...] = (
    ("Varnadzor", "Varnadsor", "town"),
    ("Kelbasar", "", "town"),
    ("Tavrikend", "Tavrik", "village"),
    ("Ordubek", "", "town"),
    ("Sarnagh", "", "village"),
    ("Mezrahan", "Mezra", "town"),
    ("Gorisal", "", "city"),
    ("Hajiravan", "", "village"),
    ("Lorvanik", "", "town"),
    ("Aghdzor", "", "village"),
    ("Dashkaya", "Dashkend", "town"),
    ("Berdavan", "", "village"),
)
CITIES = ("Stepanakert", "Ganja", "Barda", "Tartar", "Martuni")
DISTRICTS = ("Kelbasar", "Lorvanik", "Ordubek")

# Who speaks for each side. The extractor knows the sides from country words and demonyms.
SIDE_A_SPEAKERS = (
    "the Azerbaijani Defence Ministry",
    "the Defence Ministry in Baku",
    "an aide to the Azerbaijani president",
    "Azerbaijan's foreign ministry",
)
SIDE_B_SPEAKERS = (
    "the Armenian Defence Ministry",
    "officials in Yerevan",
    "the Armenian government",
    "a spokeswoman for the Armenian Defence Ministry",
)
MEDIATORS = ("Russia", "France", "the United States", "the OSCE Minsk Group", "Turkey", "Iran")
WEEKDAYS = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")
NUMBER_WORDS = ("two", "three", "four", "five", "six", "seven", "eight", "nine", "ten")
SUPPLIES = ("blankets", "insulin", "fuel", "drinking water", "baby formula", "generators")

# -- claims: the sentences the extractor should read ----------------------------------------

CAPTURE = (
    "{a} said its troops had taken control of {place} {when}.",
    "Azerbaijani units captured the {kind} of {place} after days of heavy fighting, {a} said.",
    "{a} said the army had seized {place} {when} and was clearing the hills around it.",
    "{place} has fallen to Azerbaijani forces, {a} announced {when}.",
)
CONTESTED = (
    "{b} said the battle for {place} was still going on.",
    "{b} insisted that fighting for {place} continued {when}.",
)
HELD = (
    "{b} said Armenian forces remained in control of {place} despite heavy shelling.",
    "Armenian troops still hold {place}, {b} said {when}.",
)
CONCEDED = (
    "{b} acknowledged that {place} was now completely out of their control.",
    "Armenian forces withdrew from {place} overnight, {b} admitted {when}.",
)
THREATENED = (
    "Azerbaijani troops were advancing towards {place}, {b} said.",
    "{b} said enemy units had reached the outskirts of {place}.",
)
ALIAS_INTRO = (
    "{place}, known as {alias} in Armenian, sits on the road that links the valley to the pass.",
)
CUMULATIVE = (
    "{b} said {n} Armenian servicemen had been killed since the fighting broke out.",
    "{a} said {n} civilians had died on the Azerbaijani side since late September.",
    "More than {n} people have been killed in the fighting so far, according to both sides.",
    "The number of displaced people has risen to {n}, {b} said.",
)
INCIDENT = (
    "{word} civilians were killed when rockets struck a residential street in {city}, {a} said.",
    "At least {n} people were wounded in the overnight shelling of {city}, local officials said.",
    "{word} soldiers were killed when their truck hit a mine near {place}, {b} said.",
    "A drone strike on a convoy near {place} killed {word} fighters, {a} said.",
)

# -- look-alikes: sentences the extractor must not turn into claims --------------------------

LOOKALIKES = (
    "{place} last changed hands during the war of the early 1990s, which killed some 30,000 "
    "people.",
    "{b} denied that {place} had fallen, calling the reports an attempt to spread panic.",
    "Under the truce terms, Armenia is due to hand over the {district} district by the end of "
    "the month.",
    "If {place} were to fall, the road to {city} would be open, analysts warned.",
    "The museum in {place} holds a collection of carpets that survived two wars.",
)

# -- context: the bulk of every story ---------------------------------------------------------

CONTEXT = (
    "{mediator} called on both sides to stop the shooting and return to talks.",
    "Foreign ministers met in Geneva on {weekday} but left without announcing any agreement.",
    "Aid agencies said shelters in {city} were running short of {supply}.",
    "Hundreds of families have spent the past nights in basements as sirens sounded.",
    "Diplomats said a humanitarian truce agreed last week had barely held for a few hours.",
    "Analysts said neither side appeared ready to make concessions before winter.",
    "Both sides accused each other of targeting residential areas, claims that could not be "
    "independently verified.",
    "Journalists were taken on a government tour of damaged buildings in {city} on {weekday}.",
    "The Red Cross said it was ready to help exchange the bodies of those killed.",
    "{mediator} said it was in contact with both capitals and urged restraint.",
    "Traffic on the main highway was limited to military vehicles and ambulances.",
    "Volunteers collected {supply} in churches and schools to send to the front.",
    "Oil and gas pipelines that cross the region were not affected, the operator said.",
    "Phone lines to several villages were cut, residents who had left said.",
    "The leaders are expected to speak again by phone later this week.",
)
NOISE_CONTEXT = (
    "The central bank kept its key rate unchanged at {pct} percent, citing slowing inflation.",
    "The city council approved a plan to add {n} electric buses to the fleet next year.",
    "The theatre will reopen in the spring after a renovation that took {months} months.",
    "Retail sales rose {pct} percent in the third quarter, the statistics office said.",
    "Organisers said the book fair drew more visitors than last year despite the restrictions.",
    "The airline said it would resume flights to three European capitals in December.",
    "A new exhibition of photographs of the old port opens on {weekday}.",
    "Farmers said a dry autumn had cut the grape harvest by about a {fraction}.",
    "The football club confirmed its coach would stay until the end of the season.",
    "Engineers said the bridge would be closed to heavy trucks while repairs continue.",
)
HEADLINES = (
    "Fighting spreads around {place} as talks stall",
    "{place} shelled overnight, officials say",
    "Both sides claim gains near {place}",
    "Aid groups warn of shortages in {city}",
    "Mediators push for new truce as toll rises",
    "Residents flee {place} ahead of advance",
    "Drone strikes hit supply roads near {place}",
)
NOISE_HEADLINES = (
    "Central bank holds rates steady",
    "City unveils plan for electric buses",
    "Theatre to reopen after long renovation",
    "Airline to restart European routes",
    "Grape harvest hit by dry autumn",
)
# Paragraphs of background every outlet repeats each day; {weeks} and {toll} move day by day.
BACKGROUND = (
    "The region broke away from Azerbaijan in a war in the 1990s and has been run by ethnic "
    "Armenian separatists ever since.",
    "The latest fighting began on September 27 and has now lasted {weeks} weeks, the worst "
    "since the ceasefire of 1994.",
    "Turkey has backed Azerbaijan throughout the conflict, while Russia has a defence pact "
    "with Armenia.",
    "Officials on both sides have reported a combined toll of more than {toll} people killed, "
    "though the real figure is thought to be higher.",
    "International mediators have tried for decades without success to broker a lasting "
    "settlement.",
)


@dataclass(frozen=True)
class DayState:
    """What is true of the fictional war on one day: the figures the sentences report."""

    day: int  # 0 = the first day of the corpus
    toll: int  # running toll, both sides
    servicemen: int  # Armenian servicemen killed so far
    civilians: int  # Azerbaijani civilians killed so far
    displaced: int


def day_state(day: int) -> DayState:
    """The running figures on ``day``: they only grow, as tolls do."""
    return DayState(
        day=day,
        toll=1000 + 85 * day,
        servicemen=480 + 31 * day,
        civilians=40 + 3 * day,
        displaced=60000 + 2500 * day,
    )


def background(state: DayState) -> list[str]:
    """The day's background paragraphs: word for word the same in every story that day."""
    weeks = max(1, state.day // 7 + 1)
    return [p.format(weeks=weeks, toll=f"{state.toll:,}") for p in BACKGROUND]


class Writer:
    """Fills templates from the seeded generator it is given."""

    def __init__(self, rng: random.Random) -> None:
        self.rng = rng

    def _fields(self, state: DayState) -> dict[str, str]:
        r = self.rng
        place, alias, kind = r.choice(PLACES)
        return {
            "place": place,
            "alias": alias or place,
            "kind": kind,
            "city": r.choice(CITIES),
            "district": r.choice(DISTRICTS),
            "a": r.choice(SIDE_A_SPEAKERS),
            "b": r.choice(SIDE_B_SPEAKERS),
            "mediator": r.choice(MEDIATORS),
            "weekday": r.choice(WEEKDAYS),
            "when": f"on {r.choice(WEEKDAYS)}",
            "supply": r.choice(SUPPLIES),
            "word": r.choice(NUMBER_WORDS),
            "n": f"{r.randint(3, 60)}",
            "pct": f"{r.randint(2, 9)}.{r.randint(0, 9)}",
            "months": str(r.randint(6, 30)),
            "fraction": r.choice(("third", "quarter", "fifth")),
        }

    def sentence(self, templates: tuple[str, ...], state: DayState, **fixed: str) -> str:
        text = self.rng.choice(templates).format(**{**self._fields(state), **fixed})
        return text[0].upper() + text[1:]

    def claim(self, state: DayState) -> str:
        """One sentence that carries a casualty figure or a control claim."""
        r = self.rng
        roll = r.random()
        if roll < 0.35:
            cumulative = r.choice(CUMULATIVE)
            figure = {
                "Armenian servicemen": state.servicemen,
                "civilians had died": state.civilians,
                "displaced": state.displaced,
            }
            n = next((v for k, v in figure.items() if k in cumulative), state.toll)
            return self.sentence((cumulative,), state, n=f"{n:,}")
        if roll < 0.55:
            return self.sentence(INCIDENT, state)
        groups = (CAPTURE, CONTESTED, HELD, CONCEDED, THREATENED)
        return self.sentence(r.choice(groups), state)

    def lookalike(self, state: DayState) -> str:
        return self.sentence(LOOKALIKES, state)

    def context(self, state: DayState, noise: bool = False) -> str:
        return self.sentence(NOISE_CONTEXT if noise else CONTEXT, state)

    def alias_intro(self, state: DayState) -> str:
        place, alias, _ = self.rng.choice([p for p in PLACES if p[1]])
        return self.sentence(ALIAS_INTRO, state, place=place, alias=alias)

    def headline(self, state: DayState, noise: bool = False) -> str:
        return self.sentence(NOISE_HEADLINES if noise else HEADLINES, state)

    def paragraph(self, sentences: list[str]) -> str:
        return " ".join(sentences)
