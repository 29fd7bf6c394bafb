"""The bundled sample newsroom: which article each outlet shows on each day of the replay."""

from __future__ import annotations

import tomllib
from dataclasses import dataclass, replace
from datetime import datetime
from pathlib import Path

from briefwatch.demo.pages import (
    DemoArticle,
    article_path,
    article_url,
    render_article,
    render_feed,
    render_index,
)

NEWSROOM = Path(__file__).parent / "newsroom"
FEED_PATH = "/mt/rss/news"
INDEX_PATH = "/wire/news"

Pages = dict[str, tuple[str, bytes]]


@dataclass(frozen=True)
class Revision:
    day: int
    modified: datetime
    after_paragraph: int
    paragraphs: tuple[str, ...]


@dataclass(frozen=True)
class Entry:
    day: int
    article: DemoArticle
    revision: Revision | None = None

    def as_of(self, day: int) -> DemoArticle:
        """The article as its outlet shows it on ``day`` (revised once its revision is out)."""
        rev = self.revision
        if rev is None or day < rev.day:
            return self.article
        body = list(self.article.paragraphs)
        body[rev.after_paragraph : rev.after_paragraph] = rev.paragraphs
        return replace(self.article, paragraphs=tuple(body), modified=rev.modified)


@dataclass(frozen=True)
class Newsroom:
    days: tuple[tuple[int, str], ...]  # (day number, date)
    entries: tuple[Entry, ...]

    def pages(self, day: int, base_url: str) -> Pages:
        """Every page of both outlets as they stand on ``day``, by path."""
        mt_base, wire_base = f"{base_url}/mt", f"{base_url}/wire"
        visible = [e.as_of(day) for e in self.entries if e.day <= day]
        visible.sort(key=lambda a: a.published, reverse=True)  # newest first, as sites list
        pages: Pages = {}
        for article in visible:
            base = mt_base if article.outlet_build == "moscowtimes" else wire_base
            prefix = "/mt" if article.outlet_build == "moscowtimes" else "/wire"
            pages[prefix + article_path(article)] = (
                "text/html; charset=utf-8",
                render_article(article, base),
            )
        mt = [a for a in visible if a.outlet_build == "moscowtimes"]
        wire = [(article_url(a, wire_base), a.title) for a in visible if a.outlet_build == "wire"]
        pages[FEED_PATH] = (
            "application/rss+xml; charset=utf-8",
            render_feed(mt, mt_base, "The Moscow Times - News"),
        )
        pages[INDEX_PATH] = ("text/html; charset=utf-8", render_index(wire, wire_base))
        return pages


def _paragraphs(name: str) -> tuple[str, ...]:
    text = (NEWSROOM / name).read_text(encoding="utf-8")
    return tuple(p.strip() for p in text.split("\n\n") if p.strip())


def load_newsroom(path: Path = NEWSROOM / "newsroom.toml") -> Newsroom:
    """Read the newsroom description and the briefings' text files."""
    data = tomllib.loads(path.read_text(encoding="utf-8"))
    entries = []
    for item in data["articles"]:
        article = DemoArticle(
            slug=item["slug"],
            outlet_build=item["build"],
            title=item["title"],
            paragraphs=_paragraphs(item["text"]),
            published=datetime.fromisoformat(item["published"]),
            subtitle=item.get("subtitle", ""),
            authors=tuple(item.get("authors", ())),
            related=tuple(tuple(r) for r in item.get("related", ())),
            image_caption=item.get("image_caption", ""),
            image_credit=item.get("image_credit", ""),
            dateline=item.get("dateline", ""),
        )
        revision = None
        if "revise" in item:
            rev = item["revise"]
            revision = Revision(
                day=rev["day"],
                modified=datetime.fromisoformat(rev["modified"]),
                after_paragraph=rev["after_paragraph"],
                paragraphs=_paragraphs(rev["text"]),
            )
        entries.append(Entry(item["day"], article, revision))
    days = tuple((d["day"], d["date"]) for d in data["days"])
    return Newsroom(days, tuple(entries))
