"""What one run of a backfill did and where it stopped: for the CLI, the flow's artifact and
its run name (see `briefwatch.backfill.run`)."""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from typing import Any, Literal

from briefwatch import pipeline
from briefwatch.alerts import send as alerts
from briefwatch.backfill.range import Refusal


@dataclass(frozen=True)
class Step:
    """What to do next: read one listing document, fetch a batch of articles, or stop, with
    the reason (``finished``, ``page-cap``, ``incomplete``, ``unreadable``) and where."""

    action: Literal["listing", "articles", "stop"]
    items: tuple[int, ...] = ()
    reason: str = ""
    detail: str = ""


@dataclass
class ListingRead:
    """What reading one listing document found."""

    url: str
    kind: str | None = None
    page: int = 1
    entries: int = 0  # links it lists
    queued: int = 0  # article URLs in the range (or undated), new to this backfill
    out_of_range: int = 0
    sitemaps: int = 0  # child sitemaps queued
    sitemaps_out_of_range: int = 0
    next_url: str | None = None
    failure: str | None = None  # why it could not be read ("reason: detail")
    refusal: Refusal | None = None


@dataclass
class ArticlesRead:
    """What fetching and storing a batch (or all of a run's batches) did."""

    batch: pipeline.BatchResult
    fetched: int = 0
    already: int = 0  # in the store before: done without a fetch
    out_of_range: int = 0  # fetched, then dated outside the range by the page itself
    undated: int = 0
    failed: list[str] = field(default_factory=list)  # "url: reason: detail", tried next run
    # The changes the stored claims made.
    folded: pipeline.Folded = field(default_factory=pipeline.Folded)

    def add(self, other: ArticlesRead) -> None:
        self.add_fold(other.folded)
        merge_batches(self.batch, other.batch)
        self.fetched += other.fetched
        self.already += other.already
        self.out_of_range += other.out_of_range
        self.undated += other.undated
        self.failed += other.failed

    def add_fold(self, folded: pipeline.Folded) -> None:
        self.folded.alerted += folded.alerted
        self.folded.quiet += folded.quiet


@dataclass
class Report:
    """What one run of a backfill did and where it stopped: the CLI's and the artifact's."""

    source: str
    range: str
    refusal: Refusal | None = None
    listings: list[ListingRead] = field(default_factory=list)
    articles: ArticlesRead = field(
        default_factory=lambda: ArticlesRead(pipeline.BatchResult(source=""))
    )
    stop: Step | None = None
    progress: dict[str, int] = field(default_factory=dict)
    alerts: alerts.DeliveryReport = field(default_factory=alerts.DeliveryReport)
    alert_days: float = pipeline.DEFAULT_ALERT_DAYS

    @property
    def pages_read(self) -> int:
        """Listing documents asked for in this run (failed ones count: the cap is on requests)."""
        return len(self.listings)

    @property
    def alerted(self) -> list[str]:
        """Titles of the changes queued for the channels."""
        return [change.title for change in self.articles.folded.alerted]

    @property
    def quiet(self) -> list[str]:
        """Titles of the changes recorded quietly: their evidence is older than alert_days."""
        return [change.title for change in self.articles.folded.quiet]

    def counts(self) -> dict[str, int]:
        batch = self.articles.batch
        return {
            "listing_pages": self.pages_read,
            "articles_fetched": self.articles.fetched,
            "already_stored": self.articles.already,
            "outside_range": self.articles.out_of_range,
            "new_stories": len(batch.new_stories),
            "copies": len(batch.copies),
            "revisions": len(batch.revisions),
            "claims": batch.claims,
            "skipped": len(batch.skipped) + self.articles.undated,
            "failed": len(self.articles.failed) + sum(1 for r in self.listings if r.failure),
            "changes_alerted": len(self.alerted),
            "changes_quiet": len(self.quiet),
            "alerts_sent": len(self.alerts.sent),
        }

    def headline(self) -> str:
        """One line for the run's name: what it did and how it ended."""
        head = f"backfill: {self.source} {self.range}"
        if self.refusal is not None:
            return f"{head}: refused ({self.refusal.reason})"
        c = self.counts()
        changes = c["changes_alerted"] + c["changes_quiet"]
        ended = self.stop.reason if self.stop else "stopped"
        return (
            f"{head}: {c['listing_pages']} pages, {c['new_stories'] + c['copies']} articles, "
            f"{changes} changes ({c['changes_alerted']} alerted), {ended}"
        )

    def to_json(self) -> dict[str, Any]:
        return {
            "source": self.source,
            "range": self.range,
            "refused": asdict(self.refusal) if self.refusal else None,
            "stopped": {"reason": self.stop.reason, "detail": self.stop.detail}
            if self.stop
            else None,
            "counts": self.counts(),
            "listings": [asdict(read) for read in self.listings],
            "new_stories": self.articles.batch.new_stories,
            "failed": self.articles.failed
            + [f"{r.url}: {r.failure}" for r in self.listings if r.failure],
            "changes_alerted": self.alerted,
            "changes_quiet": self.quiet,
            "alerts_sent": self.alerts.sent,
            "alerts_failed": self.alerts.failed,
            "alerts_unknown": self.alerts.unknown,
            "progress": self.progress,
        }

    def markdown(self) -> str:
        """The run's artifact: what was read, what it changed, where it stopped."""
        lines = [f"## briefwatch backfill: {self.source}, {self.range}", ""]
        if self.refusal is not None:
            return "\n".join(
                [*lines, f"**Refused** ({self.refusal.reason}): {self.refusal.detail}", ""]
            )
        if self.stop is not None:
            lines += [f"**Stopped: {self.stop.reason}** — {self.stop.detail}", ""]
        lines += ["| this run | count |", "| --- | ---: |"]
        lines += [f"| {key.replace('_', ' ')} | {value} |" for key, value in self.counts().items()]
        lines += ["", "### Listing pages read", ""]
        for read in self.listings:
            what = read.failure or (
                f"{read.entries} entries, {read.queued} queued, {read.out_of_range} outside the "
                f"range" + (f", {read.sitemaps} sitemaps queued" if read.sitemaps else "")
            )
            lines.append(f"- {read.url} ({read.kind or '?'}, page {read.page}): {what}")
        sections = (
            ("New stories", self.articles.batch.new_stories),
            ("Changes alerted", self.alerted),
            (
                f"Changes recorded quietly (evidence older than {self.alert_days:g} days)",
                self.quiet,
            ),
            ("Failed, tried again next run", self.articles.failed),
        )
        for title, items in sections:
            if items:
                lines += ["", f"### {title}", "", *(f"- {item}" for item in items)]
        lines += ["", "### The whole backfill so far", "", "| items | count |", "| --- | ---: |"]
        lines += [f"| {key} | {value} |" for key, value in self.progress.items()]
        return "\n".join(lines) + "\n"


def merge_batches(into: pipeline.BatchResult, other: pipeline.BatchResult) -> None:
    """Add what ``other`` stored to ``into`` (a run stores article by article)."""
    into.new_stories += other.new_stories
    into.copies += other.copies
    into.revisions += other.revisions
    into.duplicates += other.duplicates
    into.claims += other.claims
    into.skipped += other.skipped
