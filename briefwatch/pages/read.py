"""A fetched page made ready to store: parsed, fingerprinted, its claims read. Pure CPU.

`prepare` runs in a worker process (`briefwatch.pages.pool`) or in this one; what it returns is
plain data, and the store writes stay with the caller, in page order. The claims are read ahead
of the store with what is known when the page is handed over (the place names, the day the
report will be dated by); `Prepared.extraction_for` gives them only when the store then agrees,
so a page whose day or places turn out otherwise (a revision dated by its first version, an
alias learnt from an earlier page of the batch) is read again by the caller, as before.

Nothing here imports Prefect or the database layer: a worker process stays small.
"""

from __future__ import annotations

import time
from collections.abc import Mapping
from dataclasses import dataclass, field

from briefwatch.extract import Extraction, extract
from briefwatch.stories.dedupe import body_hash
from briefwatch.stories.neardup import signature
from briefwatch.stories.prepared import Prepared, report_day
from parsers.registry import parse_article
from parsers.types import Page, Rejection


@dataclass(frozen=True)
class Job:
    """One page to prepare, as it came off the wire."""

    url: str
    body: bytes
    content_type: str
    charset: str | None
    parser: str  # the source's parser setting ("auto" or a name)
    places: Mapping[str, str]  # place names the extractor knows (`names.places_map`)
    dialect: str  # the store's ("sqlite", "postgresql"): how it hands a stored time back
    sides: Mapping[str, str] = field(default_factory=dict)  # config sides (`names.sides_map`)
    countries: tuple[str, ...] = ()  # the countries watched (`Settings.countries`)


def prepare(job: Job, read_claims: bool = True) -> Prepared:
    """Parse the page and, with ``read_claims``, read its claims and fingerprint and sign its
    body (`neardup.signature`, for finding the story it copies).

    A worker reads them (its core is otherwise idle); the caller's own process leaves them to
    the store, which skips reading a duplicate's.
    """
    started = time.thread_time_ns()
    parsed = parse_article(Page(job.url, job.body, job.content_type, job.charset), job.parser)
    parsed_at = time.thread_time_ns()
    cpu = {"parse": parsed_at - started}
    if isinstance(parsed, Rejection) or not read_claims:
        return Prepared(parsed, cpu_ns=cpu)
    day = report_day(parsed.published, job.dialect)
    found = extract(
        list(parsed.paragraphs), places=job.places, published=day, sides=job.sides,
        countries=job.countries,
    )  # fmt: skip
    # Only what storing reads: the dropped candidates would only weigh down the pipe.
    extraction = Extraction(
        found.casualties, found.control, found.aliases, found.aggregates, cuts=found.cuts
    )
    cpu["extract"] = time.thread_time_ns() - parsed_at
    signed_at = time.thread_time_ns()
    digest, sig = body_hash(parsed.paragraphs), signature(parsed.paragraphs)
    cpu["sign"] = time.thread_time_ns() - signed_at
    return Prepared(
        parsed, digest, sig, extraction, day, dict(job.places), dict(job.sides), job.countries,
        cpu_ns=cpu,
    )  # fmt: skip
