"""The benchmark's corpus: a seeded, offline newsroom of N article pages across seven outlets.

    corpus = generate(articles=10_000, seed=7)
    pages = site_pages(corpus, base_url, stop=2_000)      # what the server shows

Outlets use four page builds: The Moscow Times structure and a WordPress-like wire outlet (from
`briefwatch.demo.pages`), an AMP outlet and a JSON-LD-only React outlet (`bench.builds`). Each
outlet has sections; each section is one source (an RSS feed or an HTML section page), 100
sources by default. The newsroom follows what a monitor meets:

- wire stories syndicated to 2-4 outlets (most word for word, some trimmed by an editor);
- ~5% of pages revised hours later (a paragraph with new figures inserted), shown in edition 2;
- background paragraphs every story repeats word for word each day, with a figure that moves;
- casualty and control sentences at a realistic rate, among context and look-alikes;
- ~35% of stories off-topic (economy, culture), which a source's ``include`` filter drops.

Generation is pure and deterministic: the same (articles, seed) gives the same pages, byte for
byte, in every process, so the server process and the measuring process agree without sharing.
"""

from __future__ import annotations

import argparse
import random
import re
from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime, timedelta
from functools import cached_property

from bench import builds
from bench.text import DayState, Writer, background, day_state
from briefwatch.demo import pages as demo_pages
from briefwatch.demo.pages import DemoArticle

START = datetime(2020, 9, 27, 6, 0, tzinfo=UTC)
ARTICLES_PER_DAY = 250
SYNDICATED = 0.35  # share of on-topic stories that are wire copy carried by several outlets
EDITED_COPY = 0.25  # share of syndicated copies an editor trimmed (not a byte-equal body)
REVISED = 0.05  # share of pages revised later (shown in edition 2)
OFF_TOPIC = 0.35
DATELINES = ("BAKU (AFP) - ", "YEREVAN (AFP) - ", "STEPANAKERT (AFP) - ", "MOSCOW (AFP) - ")
AUTHORS = ("Mara Kestel", "Tomas Arvid", "Nune Vardan", "Elgun Sadig", "Ana Dorell", "Ivo Ren")
SUBHEADS = ("Calls for restraint", "Shelters fill up", "Talks in Geneva", "A long winter")
SECTION_WORDS = [
    *["news", "caucasus", "world", "politics", "conflict", "region", "defence", "diplomacy"],
    *["europe", "asia", "economy", "business", "analysis", "opinion", "society", "culture"],
]
TOPIC_WORDS = ("Azerbaijan", "Azerbaijani", "Armenia", "Armenian")


@dataclass(frozen=True)
class Outlet:
    """One news site on the bench server."""

    name: str  # source names start with it
    display: str  # the name its pages carry
    build: str  # moscowtimes | wire | amp | nextjs
    prefix: str  # its path on the bench server
    listing: str  # feed | index
    share: float  # share of stories it runs
    include: tuple[str, ...] = ()  # the source's include filter (config)


OUTLETS: tuple[Outlet, ...] = (
    Outlet("moscow-times", "The Moscow Times", "moscowtimes", "/mt", "feed", 0.22, TOPIC_WORDS),
    Outlet("southern-wire", "Southern Wire", "wire", "/sw", "index", 0.14),
    Outlet("caucasus-ledger", "Caucasus Ledger", "wire", "/cl", "index", 0.12),
    Outlet("pocket-news", "Pocket News", "amp", "/pn", "feed", 0.14),
    Outlet("valley-mobile", "Valley Mobile", "amp", "/vm", "feed", 0.12),
    Outlet("daily-record", "The Daily Record", "nextjs", "/dr", "index", 0.14),
    Outlet("frontline-today", "Frontline Today", "nextjs", "/ft", "index", 0.12),
)
PARSER_PATH = {"moscowtimes": "site", "wire": "generic", "amp": "generic", "nextjs": "generic"}


@dataclass(frozen=True)
class Source:
    """One section of one outlet: a feed or a section page, polled as one source."""

    name: str
    outlet: Outlet
    section: str

    @property
    def path(self) -> str:
        if self.outlet.listing == "feed":
            return f"{self.outlet.prefix}/rss/{self.section}"
        return f"{self.outlet.prefix}/category/{self.section}/"


@dataclass(frozen=True)
class Item:
    """One article page: one outlet's copy of one story."""

    index: int  # publication order across the corpus
    story: int
    source: Source
    title: str
    paragraphs: tuple[str, ...]
    published: datetime
    authors: tuple[str, ...]
    dateline: str = ""
    revision: tuple[int, tuple[str, ...]] | None = None  # (insert at, paragraphs) in edition 2
    on_topic: bool = True

    @property
    def outlet(self) -> Outlet:
        return self.source.outlet

    @cached_property
    def slug(self) -> str:
        words = re.sub(r"[^a-z0-9]+", "-", self.title.lower()).strip("-")
        return f"{words}-{self.index}"

    def body(self, edition: int) -> tuple[str, ...]:
        """The paragraphs as shown in ``edition`` (1: first publication, 2: with revisions)."""
        if edition < 2 or self.revision is None:
            return self.paragraphs
        at, added = self.revision
        return (*self.paragraphs[:at], *added, *self.paragraphs[at:])

    def modified(self, edition: int) -> datetime | None:
        return self.published + timedelta(hours=3) if edition >= 2 and self.revision else None


@dataclass
class Corpus:
    """The generated newsroom."""

    seed: int
    items: list[Item]
    sources: list[Source]
    stories: int = 0
    counts: dict[str, int] = field(default_factory=dict)

    def by_build(self) -> dict[str, int]:
        out: dict[str, int] = {}
        for item in self.items:
            out[item.outlet.build] = out.get(item.outlet.build, 0) + 1
        return out


# -- generation --------------------------------------------------------------------------------


def make_sources(count: int) -> list[Source]:
    """``count`` sources, split over the outlets by their share (at least one each)."""
    shares = [max(1, round(count * o.share)) for o in OUTLETS]
    while sum(shares) > count:
        shares[shares.index(max(shares))] -= 1
    while sum(shares) < count:
        shares[shares.index(min(shares))] += 1
    sources = []
    for outlet, n in zip(OUTLETS, shares, strict=True):
        for i in range(n):
            word = SECTION_WORDS[i % len(SECTION_WORDS)]
            section = word if i < len(SECTION_WORDS) else f"{word}-{i // len(SECTION_WORDS)}"
            sources.append(Source(f"{outlet.name}-{section}", outlet, section))
    return sources


def _story_text(writer: Writer, state: DayState, on_topic: bool) -> tuple[str, list[str]]:
    """A headline and its paragraphs; an item starting "## " is a subheading."""
    r = writer.rng
    if not on_topic:
        paragraphs = [
            writer.paragraph([writer.context(state, noise=True) for _ in range(r.randint(1, 3))])
            for _ in range(r.randint(5, 10))
        ]
        return writer.headline(state, noise=True), paragraphs
    paragraphs = [writer.paragraph([writer.claim(state), writer.context(state)])]
    for _ in range(r.randint(7, 14)):
        sentences = []
        for _ in range(r.randint(1, 3)):
            roll = r.random()
            if roll < 0.12:
                sentences.append(writer.claim(state))
            elif roll < 0.16:
                sentences.append(writer.lookalike(state))
            elif roll < 0.18:
                sentences.append(writer.alias_intro(state))
            else:
                sentences.append(writer.context(state))
        paragraphs.append(writer.paragraph(sentences))
    if len(paragraphs) >= 8 and r.random() < 0.5:
        paragraphs.insert(5, "## " + r.choice(SUBHEADS))
    day_background = background(state)
    keep = sorted(r.sample(range(len(day_background)), r.randint(2, 3)))
    paragraphs.extend(day_background[i] for i in keep)
    return writer.headline(state), paragraphs


def generate(articles: int = 10_000, seed: int = 7, sources: int = 100) -> Corpus:
    """Generate ``articles`` pages (copies of stories, in publication order) with ``seed``."""
    rng = random.Random(seed)
    writer = Writer(rng)
    all_sources = make_sources(sources)
    by_outlet = {o.name: [s for s in all_sources if s.outlet is o] for o in OUTLETS}
    weights = [o.share for o in OUTLETS]
    spacing = 86_400 / ARTICLES_PER_DAY
    items: list[Item] = []
    counts = {"syndicated_copies": 0, "edited_copies": 0, "revised": 0, "off_topic": 0}
    story = 0
    while len(items) < articles:
        state = day_state(len(items) // ARTICLES_PER_DAY)
        on_topic = rng.random() >= OFF_TOPIC
        title, paragraphs = _story_text(writer, state, on_topic)
        carriers = [rng.choices(OUTLETS, weights)[0]]
        if on_topic and rng.random() < SYNDICATED:
            others = [o for o in OUTLETS if o is not carriers[0]]
            carriers += rng.sample(others, rng.randint(1, 3))
        authors = (rng.choice(AUTHORS),)
        for copy, outlet in enumerate(carriers):
            if len(items) >= articles:
                break
            body = list(paragraphs)
            if copy:
                counts["syndicated_copies"] += 1
                if rng.random() < EDITED_COPY:
                    counts["edited_copies"] += 1
                    del body[-rng.randint(1, 2) :]
            revision = None
            if rng.random() < REVISED:
                counts["revised"] += 1
                added = writer.paragraph([writer.claim(state), writer.context(state)])
                revision = (2, (added,))
            counts["off_topic"] += not on_topic
            index = len(items)
            items.append(
                Item(
                    index=index,
                    story=story,
                    source=rng.choice(by_outlet[outlet.name]),
                    title=title,
                    paragraphs=tuple(body),
                    published=START + timedelta(seconds=index * spacing),
                    authors=authors if outlet.build != "moscowtimes" else ("AFP",),
                    dateline=rng.choice(DATELINES) if len(carriers) > 1 else "",
                    revision=revision,
                    on_topic=on_topic,
                )
            )
        story += 1
    return Corpus(seed=seed, items=items, sources=all_sources, stories=story, counts=counts)


# -- rendering ---------------------------------------------------------------------------------


def _demo_article(item: Item, edition: int) -> DemoArticle:
    build = item.outlet.build
    slug = f"{item.slug}-a{100_000 + item.index}" if build == "moscowtimes" else item.slug
    return DemoArticle(
        slug=slug,
        outlet_build=build,  # type: ignore[arg-type]
        title=item.title,
        paragraphs=item.body(edition),
        published=item.published,
        modified=item.modified(edition),
        authors=item.authors,
        tags=("Karabakh",) if item.on_topic else (),
        dateline=item.dateline,
    )


def article_path(item: Item) -> str:
    """The page's path on the bench server (its outlet prefix included)."""
    build = item.outlet.build
    if build in ("moscowtimes", "wire"):
        return item.outlet.prefix + demo_pages.article_path(_demo_article(item, 1))
    if build == "amp":
        return f"{item.outlet.prefix}/news/{item.published:%Y%m%d}/{item.slug}/amp"
    return f"{item.outlet.prefix}/articles/{item.slug}"


def article_url(item: Item, base_url: str) -> str:
    return base_url.rstrip("/") + article_path(item)


def render_page(item: Item, base_url: str, edition: int = 1) -> bytes:
    """The article page as its outlet serves it in ``edition``."""
    outlet = item.outlet
    site = base_url.rstrip("/") + outlet.prefix
    if outlet.build in ("moscowtimes", "wire"):
        html = demo_pages.render_article(_demo_article(item, edition), site)
        if outlet.build == "wire":  # the demo's wire build names one outlet; this is another
            html = html.replace(demo_pages.WIRE_NAME.encode(), outlet.display.encode())
        return builds.weigh(html, outlet.name)
    page = builds.PageArticle(
        url=article_url(item, base_url),
        outlet=outlet.display,
        title=item.title,
        paragraphs=item.body(edition),
        published=item.published,
        modified=item.modified(edition),
        authors=item.authors,
        section=item.source.section,
        dateline=item.dateline,
    )
    return builds.render_amp(page) if outlet.build == "amp" else builds.render_nextjs(page)


def render_listing(
    source: Source, items: Sequence[Item], base_url: str, edition: int = 1
) -> tuple[str, bytes]:
    """(content type, body) of a source's listing showing ``items`` (newest first)."""
    outlet = source.outlet
    site = base_url.rstrip("/") + outlet.prefix
    if outlet.listing == "index":
        links = [(article_url(i, base_url), i.title) for i in items]
        return "text/html; charset=utf-8", builds.render_section(
            links, outlet.display, source.section
        )
    if outlet.build == "moscowtimes":
        shown = [_demo_article(i, edition) for i in items]
        # A revised story moves up the feed with its new time, as outlets' feeds do.
        shown = [replace(a, published=a.modified or a.published) for a in shown]
        body = demo_pages.render_feed(shown, site, f"{outlet.display} - {source.section}")
        return "application/rss+xml; charset=utf-8", body
    entries = [
        (
            article_url(i, base_url),
            i.title,
            i.paragraphs[0][:200],
            i.modified(edition) or i.published,
        )
        for i in items
    ]
    body = builds.render_rss(entries, site + "/", f"{outlet.display} - {source.section}")
    return "application/rss+xml; charset=utf-8", body


def visible_listings(
    corpus: Corpus, stop: int, listing_size: int | None = None
) -> dict[Source, list[Item]]:
    """Each source's items among the first ``stop``, newest first (``listing_size`` newest)."""
    shown: dict[Source, list[Item]] = {s: [] for s in corpus.sources}
    for item in corpus.items[:stop]:
        shown[item.source].append(item)
    return {s: items[::-1][:listing_size] for s, items in shown.items()}


def main() -> None:
    """Print a summary of a corpus (and optionally one page), to look at what is generated."""
    parser = argparse.ArgumentParser(description=main.__doc__)
    parser.add_argument("--articles", type=int, default=10_000)
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--show", type=int, help="print the page of this item index")
    args = parser.parse_args()
    corpus = generate(args.articles, args.seed)
    print(f"{len(corpus.items)} pages, {corpus.stories} stories, {len(corpus.sources)} sources")
    print(f"builds: {corpus.by_build()}  {corpus.counts}")
    if args.show is not None:
        print(render_page(corpus.items[args.show], "http://127.0.0.1:8000").decode())


if __name__ == "__main__":
    main()
