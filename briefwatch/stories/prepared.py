"""What reading a page computed ahead of the store, as `batch` takes it.

A page is read (`briefwatch.pages.read`) in a worker process or in this one, and stored here, in
`batch`; `Prepared` is what passes between the two, and `report_day` the rule by which `batch`
dates a report, which the reader guesses ahead with. Plain data: no database, no Prefect, so a
worker process that builds one stays small.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import UTC, date, datetime

from briefwatch.extract import Extraction
from briefwatch.stories.neardup import Signature
from parsers.types import ParsedArticle, Rejection


@dataclass(frozen=True)
class Prepared:
    """A page parsed (or rejected), with its body fingerprint and the claims read ahead."""

    parsed: ParsedArticle | Rejection
    digest: str | None = None  # `dedupe.body_hash` of the paragraphs
    signature: Signature | None = None  # `neardup.signature` of the body
    extraction: Extraction | None = None
    day: date | None = None  # the report day the extraction assumed
    places: Mapping[str, str] = field(default_factory=dict)  # the places it assumed
    sides: Mapping[str, str] = field(default_factory=dict)  # the sides it assumed
    countries: tuple[str, ...] = ()  # the countries it assumed
    cpu_ns: Mapping[str, int] = field(default_factory=dict)  # per step, for bench/

    def extraction_for(
        self,
        day: date | None,
        places: Mapping[str, str],
        sides: Mapping[str, str],
        countries: Sequence[str] = (),
    ) -> Extraction | None:
        """The claims read ahead, if they were read with this day, places, sides and countries."""
        assumed = (self.day, self.places, self.sides, self.countries)
        if self.extraction is None or (day, places, sides, tuple(countries)) != assumed:
            return None
        return self.extraction


def report_day(published: datetime | None, dialect: str) -> date:
    """The day `batch` dates a new article's report by (`ClaimHome.day`): its published time
    as the store hands it back (SQLite keeps the wall-clock time, read back as UTC), else
    today. A guess for a revision, which keeps its first version's time: checked before use."""
    if published is None:
        return datetime.now(UTC).date()
    if dialect == "sqlite" or published.tzinfo is None:
        return published.date()
    return published.astimezone(UTC).date()
