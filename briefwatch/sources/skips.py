"""The skip ledger: every URL a source passed over, why, and what that means for the next pass.

A row of the ``skip`` table is one of three kinds (`Kind`, told from its reason by `kind_of`
and, in SQL, by `of_kind`, here alone):

* **waiting**, the retry queue (``retry-next-pass``, ``timed-out``): fetched first next pass,
  whatever queued it; a queued URL has one row, counting the passes it was tried in
  (`record_skip`), and after `MAX_PASSES` it is ``gave-up``;
* **again**: not the page's verdict (a parser error recorded before such pages were queued):
  read again while its listing offers it;
* **settled**: passed over for good (filtered out, not an article, robots.txt says no, given
  up): `passed_over` names these, and a page is read again only when listed as newer.

`queue_counts` is what ``briefwatch sources`` shows of the queue.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from enum import StrEnum
from typing import Any

from sqlalchemy import func
from sqlmodel import Session, col, select

from briefwatch.clock import as_utc
from briefwatch.models import MAX_URL_BYTES, Skip, url_fits
from briefwatch.store import Store, chunks, skip_key

RETRY = "retry-next-pass"  # queued: an error worth retrying, a parser's error, over a budget
TIMED_OUT = "timed-out"  # queued: left when its source's or the pass's time ran out
GAVE_UP = "gave-up"  # settled: tried in `MAX_PASSES` passes and still failing
# Passes a queued URL is tried in before it is given up: it counts passes, not fetches (a URL
# is fetched at most once a pass). 50 passes of the 5-minute monitor are ~4 hours: a site down
# for an afternoon loses nothing, and a page that is gone for good stops costing a fetch a pass.
MAX_PASSES = 50
# Rejections that are not the page's verdict, so the page is queued for the next pass like a
# timeout: a page that arrived cut short, and a parser that failed on it (`parser-error`: an
# exception in our code, or a module it needs missing from the install), which reads it once
# mended instead of leaving it skipped for ever.
RETRY_REJECTIONS = frozenset({"truncated-page", "parser-error"})


class Kind(StrEnum):
    """What a row of the skip ledger says of its URL: one of three kinds, told by its reason
    (`kind_of`) in this one place, so no caller compares reason strings to find the queue."""

    WAITING = "waiting"  # the retry queue: fetched first next pass, its passes counted
    # Not the page's verdict, recorded before such pages were queued (a parser error, a page
    # cut short): read again while its listing offers it.
    AGAIN = "again"
    SETTLED = "settled"  # passed over for good: read again only when listed as newer


# The reasons of the retry queue's rows; each queued URL has one row (`record_skip`).
WAITING_REASONS = frozenset({RETRY, TIMED_OUT})


def kind_of(reason: str) -> Kind:
    """The kind of a skip row recorded for ``reason``."""
    if reason in WAITING_REASONS:
        return Kind.WAITING
    return Kind.AGAIN if reason in RETRY_REJECTIONS else Kind.SETTLED


def of_kind(*kinds: Kind) -> Any:
    """The SQL condition on `Skip.reason` of the rows of ``kinds``: `kind_of` as a query."""
    reasons = {
        Kind.WAITING: WAITING_REASONS,
        Kind.AGAIN: RETRY_REJECTIONS,
    }
    if Kind.SETTLED in kinds:
        others = [r for kind in Kind if kind not in kinds for r in reasons.get(kind, ())]
        return col(Skip.reason).not_in(others)
    return col(Skip.reason).in_([r for kind in kinds for r in reasons[kind]])


@dataclass(frozen=True)
class Skipped:
    """A URL passed over in this pass, and why (recorded in the store's `skip` table)."""

    url: str
    reason: str
    detail: str


def long_url_skip(url: str) -> Skipped | None:
    """Why ``url`` is not read (too long to be stored as a key: `MAX_URL_BYTES`), or ``None``."""
    if url_fits(url):
        return None
    size = len(url.encode("utf-8", "replace"))
    detail = f"the URL is {size:,} bytes long; at most {MAX_URL_BYTES:,} are kept"
    return Skipped(url, "url-too-long", detail)


def record_skip(
    session: Session, store: Store, source: str, skip: Skipped, attempts: Mapping[str, int]
) -> None:
    """One skip recorded. One rule for the retry queue, whatever queued a page (an error worth
    retrying, a parser error, the source's or the pass's time): a queued URL has one row, and
    the passes it was tried in carry over, from the fetch that took it off the queue
    (``attempts``) or from its row under the other queued reason, so that it is given up after
    `MAX_PASSES` passes in all, however its failures alternate."""
    earlier = 0
    if kind_of(skip.reason) is Kind.WAITING:
        earlier = attempts.get(skip.url, 0)
        rows = session.exec(
            select(Skip).where(
                Skip.url == skip_key(skip.url),
                of_kind(Kind.WAITING),
                Skip.reason != skip.reason,
            )
        ).all()
        for row in rows:  # its count moves to this reason's row
            earlier = max(earlier, row.count)
            session.delete(row)
        if rows:
            session.flush()
    store.record_skip(session, skip.url, source, skip.reason, skip.detail, earlier=earlier)


@dataclass(frozen=True)
class QueueCounts:
    """A source's URLs waiting in the retry queue, those given up, and the last given up."""

    queued: int = 0
    given_up: int = 0
    last_given_up: Skipped | None = None

    def line(self) -> str:
        """What `briefwatch sources` shows: "" when nothing waits and nothing was given up."""
        parts = [f"{self.queued} queued"] if self.queued else []
        if self.last_given_up is not None:
            last = self.last_given_up
            parts.append(f"{self.given_up} given up (last: {last.url}: {last.detail})")
        return "; ".join(parts)

    def to_json(self) -> dict[str, Any]:
        last = self.last_given_up
        return {
            "queued": self.queued,
            "given_up": self.given_up,
            "last_given_up": None if last is None else {"url": last.url, "detail": last.detail},
        }


def queue_counts(store: Store, sources: Sequence[str]) -> dict[str, QueueCounts]:
    """Each of ``sources``' retry queue and given-up pages (`QueueCounts`)."""
    with store.session() as session:
        rows = session.exec(
            select(Skip.source, Skip.reason, func.count())
            .where(
                col(Skip.source).in_(sources),
                of_kind(Kind.WAITING) | (col(Skip.reason) == GAVE_UP),
            )
            .group_by(Skip.source, Skip.reason)
        ).all()
        counts: dict[str, dict[str, int]] = {}
        for name, reason, n in rows:
            key = "queued" if kind_of(reason) is Kind.WAITING else GAVE_UP
            counts.setdefault(name, {}).setdefault(key, 0)
            counts[name][key] += n
        out = {}
        for name in sources:
            got = counts.get(name, {})
            last = None
            if got.get(GAVE_UP):
                row = session.exec(
                    select(Skip)
                    .where(Skip.source == name, Skip.reason == GAVE_UP)
                    .order_by(col(Skip.last_seen_at).desc(), col(Skip.id).desc())
                ).first()
                last = Skipped(row.url, GAVE_UP, row.detail) if row else None
            out[name] = QueueCounts(got.get("queued", 0), got.get(GAVE_UP, 0), last)
    return out


@dataclass(frozen=True)
class Passed:
    """Why and when a URL was last passed over for good (`passed_over`)."""

    reason: str
    when: datetime


def passed_over(session: Session, source: str, urls: Iterable[str]) -> dict[str, Passed]:
    """Which of ``urls`` this source is done with: passed over for good (`Kind.SETTLED`), each
    with its latest verdict. Not the retry queue (still to be read), nor a `Kind.AGAIN` row (a
    parser error recorded before those were queued: still listed, the page is read again).
    The one answer the pass and the backfill both ask for."""
    out: dict[str, Passed] = {}
    for url, reason, when in skip_rows(session, source, urls, of_kind(Kind.SETTLED)):
        stamp = as_utc(when) or datetime.min.replace(tzinfo=UTC)
        if url not in out or stamp >= out[url].when:
            out[url] = Passed(reason, stamp)
    return out


def recorded_urls(session: Session, source: str, urls: Iterable[str]) -> set[str]:
    """Which of ``urls`` this source has any skip row for, whatever its kind."""
    return {url for url, _, _ in skip_rows(session, source, urls)}


def skip_rows(
    session: Session, source: str, urls: Iterable[str], *where: Any
) -> list[tuple[str, str, datetime | None]]:
    """(url, reason, last seen) of this source's skip rows for ``urls`` matching ``where``, in
    chunks that stay under the databases' bind-parameter limits (a sitemap may list thousands)."""
    wanted = list(dict.fromkeys(urls))
    rows: list[tuple[str, str, datetime | None]] = []
    for chunk in chunks(wanted):
        query = select(Skip.url, Skip.reason, Skip.last_seen_at).where(
            Skip.source == source, col(Skip.url).in_(chunk), *where
        )
        rows += [(url, reason, when) for url, reason, when in session.exec(query)]
    return rows
